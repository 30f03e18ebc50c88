//! Entity of the `line_components` table: the components of a suite line.

use sea_orm::entity::prelude::*;

/// One row of `line_components`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "line_components")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owning suite line.
    pub line_id: i64,
    /// Component SKU.
    pub sku: String,
    /// Activation code the customer keeps (cross grade).
    pub retained_ac: Option<String>,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
