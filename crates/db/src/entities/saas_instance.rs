//! Entity of the `saas_instances` table: provisioned SaaS service instances.

use sea_orm::entity::prelude::*;

/// One row of `saas_instances`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saas_instances")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owner.
    pub account_id: i64,
    /// SaaS service name.
    pub service: String,
    /// Order line that provisioned it.
    pub line_id: i64,
    /// `active` or `cancelled`.
    pub status: String,
    /// The service while active, NULL otherwise (unique per account).
    pub active_service: Option<String>,
    /// Creation time.
    pub created_at: DateTimeUtc,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
