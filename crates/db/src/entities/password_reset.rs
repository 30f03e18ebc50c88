//! Entity of the `password_resets` table: single-use password reset links.

use sea_orm::entity::prelude::*;

/// One row of `password_resets`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "password_resets")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account whose password the link resets.
    pub account_id: i64,
    /// Hex SHA-256 of the link's token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// When the link was asked for.
    pub created_at: DateTimeUtc,
    /// Link expiry.
    pub expires_at: DateTimeUtc,
    /// When the link was used; a link works once.
    pub used_at: Option<DateTimeUtc>,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
