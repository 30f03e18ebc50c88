//! Entity of the `products` table: the product catalog.

use sea_orm::entity::prelude::*;

/// One row of `products`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// SKU, the catalog key.
    #[sea_orm(unique)]
    pub sku: String,
    /// Display name.
    pub name: String,
    /// `ac`, `saas` or `suite`.
    pub delivery: String,
    /// Whether the product is an XDR add-on.
    pub xdr_addon: bool,
    /// Whether the product is an XDR-related endpoint product.
    pub xdr_related: bool,
    /// SaaS service provisioned by the product.
    pub saas_service: Option<String>,
    /// XDR region the product pins.
    pub region_pin: Option<String>,
    /// Two-letter product-line prefix of keys.
    pub key_prefix: String,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
