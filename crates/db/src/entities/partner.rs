//! Entity of the `partners` table: distributors and resellers using the partner API.

use sea_orm::entity::prelude::*;

/// One row of `partners`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partners")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Display name.
    pub name: String,
    /// OAuth2 client id.
    #[sea_orm(unique)]
    pub client_id: String,
    /// Argon2id hash of the client secret.
    pub client_secret_hash: String,
    /// Granted scopes, space separated.
    pub scopes: String,
    /// Creation time.
    pub created_at: DateTimeUtc,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
