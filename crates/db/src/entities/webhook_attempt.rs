//! Entity of the `webhook_attempts` table: delivery attempts of outbox messages.

use sea_orm::entity::prelude::*;

/// One row of `webhook_attempts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_attempts")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Message.
    pub outbox_id: i64,
    /// Attempt number, from 1.
    pub attempt: i32,
    /// Time of the attempt.
    pub at: DateTimeUtc,
    /// HTTP status received.
    pub status_code: Option<i32>,
    /// Failure.
    pub error: Option<String>,
    /// Duration.
    pub duration_ms: i64,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
