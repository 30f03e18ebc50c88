//! Entity of the `orders` table: license certificates.

use sea_orm::entity::prelude::*;

/// One row of `orders`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Selling partner.
    pub partner_id: i64,
    /// Partner's order number, unique per partner.
    pub order_number: String,
    /// `new` or `renewal`.
    pub order_type: String,
    /// Purchase date.
    pub purchase_date: Date,
    /// End customer company.
    pub company: String,
    /// End customer contact name.
    pub contact_name: String,
    /// End customer contact email.
    pub contact_email: String,
    /// End customer country (ISO 3166 alpha-2).
    pub country: String,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// `unregistered`, `partially_registered`, `registered` or `cancelled` (see
    /// `crate::orders::OrderState`).
    pub status: String,
    /// When the partner cancelled the order.
    pub cancelled_at: Option<DateTimeUtc>,
    /// The reason the partner gave.
    pub cancel_reason: Option<String>,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
