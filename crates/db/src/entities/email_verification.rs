//! Entity of the `email_verifications` table: links verifying the email of a simplified sign-up.

use sea_orm::entity::prelude::*;

/// One row of `email_verifications`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_verifications")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account whose email the link verifies.
    pub account_id: i64,
    /// Hex SHA-256 of the link's token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// Link expiry.
    pub expires_at: DateTimeUtc,
    /// When the link was followed; a link works once.
    pub used_at: Option<DateTimeUtc>,
    /// For a change of address (`POST /api/v1/me/email`): the address the link moves the
    /// account to; `None` for a sign-up verification.
    pub new_email: Option<String>,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
