//! Entity of the `webhook_subscriptions` table: partner webhook subscriptions.

use sea_orm::entity::prelude::*;

/// One row of `webhook_subscriptions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_subscriptions")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Public UUID.
    #[sea_orm(unique)]
    pub public_id: String,
    /// Owner.
    pub partner_id: i64,
    /// Receiver URL.
    pub url: String,
    /// JSON array of event names.
    pub events: String,
    /// Signing secret.
    pub secret: String,
    /// False once deleted.
    pub active: bool,
    /// Creation time.
    pub created_at: DateTimeUtc,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
