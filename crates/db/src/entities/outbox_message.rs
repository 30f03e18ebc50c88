//! Entity of the `outbox` table: mail, webhook and Vision One messages waiting for delivery.

use sea_orm::entity::prelude::*;

/// One row of `outbox`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `email`, `webhook` or `vision_one`.
    pub kind: String,
    /// JSON payload.
    pub payload: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
    /// Earliest next attempt.
    pub next_attempt_at: DateTimeUtc,
    /// Lease end of the worker holding it.
    pub locked_until: Option<DateTimeUtc>,
    /// Worker holding it.
    pub locked_by: Option<String>,
    /// Last failure.
    pub last_error: Option<String>,
    /// Webhook subscription.
    pub subscription_id: Option<i64>,
    /// Event id (webhook-id).
    pub event_id: Option<String>,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Delivery time.
    pub sent_at: Option<DateTimeUtc>,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
