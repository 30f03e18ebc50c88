//! Entity of the `superseded_activation_links` table: links of pending activations replaced by
//! a resend.

use sea_orm::entity::prelude::*;

/// One row of `superseded_activation_links`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "superseded_activation_links")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The pending activation (`pending_activations.id`).
    pub activation_id: i64,
    /// Hex SHA-256 of the replaced link's token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// When a resend replaced it.
    pub superseded_at: DateTimeUtc,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
