//! Entity of the `order_lines` table: the lines of an order, one registration key each.

use sea_orm::entity::prelude::*;

/// One row of `order_lines`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_lines")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owning order.
    pub order_id: i64,
    /// Position in the order, from 1.
    pub line_no: i32,
    /// Product SKU.
    pub sku: String,
    /// Seats bought.
    pub seats: i32,
    /// First day of the term.
    pub term_start: Date,
    /// Last day of the term.
    pub term_end: Date,
    /// Canonical registration key.
    #[sea_orm(unique)]
    pub registration_key: String,
    /// Activation code renewed by this line.
    pub renews_ac: Option<String>,
    /// Account the line is registered to.
    pub registered_account_id: Option<i64>,
    /// Registration time.
    pub registered_at: Option<DateTimeUtc>,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
