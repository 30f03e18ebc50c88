//! Entity of the `product_components` table: the components of a suite.

use sea_orm::entity::prelude::*;

/// One row of `product_components`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_components")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// SKU of the suite.
    pub suite_sku: String,
    /// SKU of the component.
    pub component_sku: String,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
