//! Entity of the `rate_limits` table: fixed-window rate limit counters shared by all processes.

use sea_orm::entity::prelude::*;

/// One row of `rate_limits`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_limits")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Client and route class.
    pub bucket: String,
    /// Start of the fixed window.
    pub window_start: DateTimeUtc,
    /// Requests counted.
    pub hits: i32,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
