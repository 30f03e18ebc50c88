//! Entity of the `license_reminders` table: the expiry reminders sent, one per line and
//! milestone.

use sea_orm::entity::prelude::*;

/// One row of `license_reminders`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "license_reminders")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The registered order line (the account's product).
    pub line_id: i64,
    /// `d60`, `d30`, `d7` or `expired`.
    pub milestone: String,
    /// The account reminded.
    pub account_id: i64,
    /// The term end the reminder was about.
    pub term_end: Date,
    /// When the reminder was queued.
    pub created_at: DateTimeUtc,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
