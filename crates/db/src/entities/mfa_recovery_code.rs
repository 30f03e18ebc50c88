//! Entity of the `mfa_recovery_codes` table: the one-time recovery codes of two-factor sign-in.

use sea_orm::entity::prelude::*;

/// One row of `mfa_recovery_codes`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mfa_recovery_codes")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// Hex SHA-256 of the normalized code.
    pub code_hash: String,
    /// When it was issued.
    pub created_at: DateTimeUtc,
    /// When it was used; a code works once.
    pub used_at: Option<DateTimeUtc>,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
