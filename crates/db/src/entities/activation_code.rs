//! Entity of the `activation_codes` table: activation codes owned by accounts.

use sea_orm::entity::prelude::*;

/// One row of `activation_codes`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activation_codes")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Canonical activation code.
    #[sea_orm(unique)]
    pub code: String,
    /// Owner.
    pub account_id: i64,
    /// Product SKU.
    pub sku: String,
    /// Order line that issued or last extended it.
    pub line_id: Option<i64>,
    /// First day of the term.
    pub term_start: Date,
    /// Last day of the term.
    pub term_end: Date,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
