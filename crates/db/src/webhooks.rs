//! Partner webhook subscriptions and the delivery attempts of their outbox messages.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};

use crate::entities::{webhook_attempt, webhook_subscription};

/// A subscription to create.
#[derive(Clone)]
pub struct NewSubscription {
    /// Owner.
    pub partner_id: i64,
    /// Receiver URL.
    pub url: String,
    /// Event names (`order.activated`, ...).
    pub events: Vec<String>,
    /// Signing secret (`whsec_<base64>`).
    pub secret: String,
}

/// A stored subscription.
#[derive(Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Internal id (outbox messages refer to it).
    pub id: i64,
    /// Public UUID.
    pub public_id: uuid::Uuid,
    /// Owner.
    pub partner_id: i64,
    /// Receiver URL.
    pub url: String,
    /// Event names.
    pub events: Vec<String>,
    /// Signing secret.
    pub secret: String,
    /// False once deleted.
    pub active: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

// The signing secret never reaches a log line through debug output.
impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .field("public_id", &self.public_id)
            .field("partner_id", &self.partner_id)
            .field("url", &self.url)
            .field("events", &self.events)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

fn to_subscription(row: webhook_subscription::Model) -> Result<Subscription, DbErr> {
    Ok(Subscription {
        id: row.id,
        public_id: uuid::Uuid::parse_str(&row.public_id)
            .map_err(|_| DbErr::Custom("stored subscription id is not a UUID".into()))?,
        partner_id: row.partner_id,
        url: row.url,
        events: serde_json::from_str(&row.events)
            .map_err(|_| DbErr::Custom("stored subscription events are not JSON".into()))?,
        secret: row.secret,
        active: row.active,
        created_at: row.created_at,
    })
}

/// Creates a subscription with a new public UUID.
pub async fn create(
    conn: &impl ConnectionTrait,
    new: &NewSubscription,
    now: DateTime<Utc>,
) -> Result<Subscription, DbErr> {
    let inserted = webhook_subscription::Entity::insert(webhook_subscription::ActiveModel {
        id: NotSet,
        public_id: Set(uuid::Uuid::new_v4().to_string()),
        partner_id: Set(new.partner_id),
        url: Set(new.url.clone()),
        events: Set(serde_json::Value::from(new.events.clone()).to_string()),
        secret: Set(new.secret.clone()),
        active: Set(true),
        created_at: Set(now),
    })
    .exec(conn)
    .await?;
    find_by_id(conn, inserted.last_insert_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("subscription just inserted".into()))
}

/// Loads a subscription by internal id (active or not).
pub async fn find_by_id(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<Subscription>, DbErr> {
    webhook_subscription::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_subscription)
        .transpose()
}

/// Loads an active subscription of `partner_id` by its public id.
pub async fn find_for_partner(
    conn: &impl ConnectionTrait,
    partner_id: i64,
    public_id: uuid::Uuid,
) -> Result<Option<Subscription>, DbErr> {
    webhook_subscription::Entity::find()
        .filter(webhook_subscription::Column::PublicId.eq(public_id.to_string()))
        .filter(webhook_subscription::Column::PartnerId.eq(partner_id))
        .filter(webhook_subscription::Column::Active.eq(true))
        .one(conn)
        .await?
        .map(to_subscription)
        .transpose()
}

/// The active subscriptions of `partner_id`, oldest first.
pub async fn list_for_partner(
    conn: &impl ConnectionTrait,
    partner_id: i64,
) -> Result<Vec<Subscription>, DbErr> {
    webhook_subscription::Entity::find()
        .filter(webhook_subscription::Column::PartnerId.eq(partner_id))
        .filter(webhook_subscription::Column::Active.eq(true))
        .order_by_asc(webhook_subscription::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_subscription)
        .collect()
}

/// Deactivates a subscription of `partner_id`; `false` when there is no such active one.
pub async fn deactivate(
    conn: &impl ConnectionTrait,
    partner_id: i64,
    public_id: uuid::Uuid,
) -> Result<bool, DbErr> {
    let updated = webhook_subscription::Entity::update_many()
        .col_expr(webhook_subscription::Column::Active, Expr::value(false))
        .filter(webhook_subscription::Column::PublicId.eq(public_id.to_string()))
        .filter(webhook_subscription::Column::PartnerId.eq(partner_id))
        .filter(webhook_subscription::Column::Active.eq(true))
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// One delivery attempt to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttempt {
    /// The outbox message.
    pub outbox_id: i64,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// Start of the attempt.
    pub at: DateTime<Utc>,
    /// HTTP status received, if any.
    pub status_code: Option<u16>,
    /// Failure, if any (never a secret).
    pub error: Option<String>,
    /// Duration in milliseconds.
    pub duration_ms: u64,
}

/// A recorded attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The outbox message.
    pub outbox_id: i64,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// Start of the attempt.
    pub at: DateTime<Utc>,
    /// HTTP status received.
    pub status_code: Option<u16>,
    /// Failure.
    pub error: Option<String>,
    /// Duration in milliseconds.
    pub duration_ms: u64,
}

/// Records one delivery attempt.
pub async fn record_attempt(
    conn: &impl ConnectionTrait,
    attempt: &NewAttempt,
) -> Result<(), DbErr> {
    webhook_attempt::Entity::insert(webhook_attempt::ActiveModel {
        id: NotSet,
        outbox_id: Set(attempt.outbox_id),
        attempt: Set(i32::try_from(attempt.attempt).unwrap_or(i32::MAX)),
        at: Set(attempt.at),
        status_code: Set(attempt.status_code.map(i32::from)),
        error: Set(attempt.error.clone()),
        duration_ms: Set(i64::try_from(attempt.duration_ms).unwrap_or(i64::MAX)),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// Every attempt of the given outbox messages, oldest first.
pub async fn attempts_for(
    conn: &impl ConnectionTrait,
    outbox_ids: &[i64],
) -> Result<Vec<Attempt>, DbErr> {
    if outbox_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::OutboxId.is_in(outbox_ids.iter().copied()))
        .order_by_asc(webhook_attempt::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| Attempt {
            outbox_id: row.outbox_id,
            attempt: u32::try_from(row.attempt).unwrap_or(0),
            at: row.at,
            status_code: row.status_code.and_then(|c| u16::try_from(c).ok()),
            error: row.error,
            duration_ms: u64::try_from(row.duration_ms).unwrap_or(0),
        })
        .collect())
}
