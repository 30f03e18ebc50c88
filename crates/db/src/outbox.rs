//! The persistent outbox: mail, webhook and Vision One messages are written in the same
//! transaction as the change that caused them, and delivered later by workers. Workers of
//! several processes share the table: a message is claimed by a conditional update on its
//! lease, so exactly one worker holds it at a time.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
    sea_query::{Expr, ExprTrait},
};

use crate::entities::outbox_message;
use crate::writes::StatementWriter;

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxKind {
    /// An email (payload: a rendered message).
    Email,
    /// A partner webhook delivery.
    Webhook,
    /// A provisioning call to Vision One.
    VisionOne,
}

impl OutboxKind {
    /// Stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Webhook => "webhook",
            Self::VisionOne => "vision_one",
        }
    }

    fn parse(text: &str) -> Result<Self, DbErr> {
        match text {
            "email" => Ok(Self::Email),
            "webhook" => Ok(Self::Webhook),
            "vision_one" => Ok(Self::VisionOne),
            other => Err(DbErr::Custom(format!("unknown outbox kind {other:?}"))),
        }
    }
}

/// Delivery state of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for (another) attempt.
    Pending,
    /// Delivered.
    Sent,
    /// Gave up after the last attempt.
    Failed,
}

impl OutboxStatus {
    /// Stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<Self, DbErr> {
        match text {
            "pending" => Ok(Self::Pending),
            "sent" => Ok(Self::Sent),
            "failed" => Ok(Self::Failed),
            other => Err(DbErr::Custom(format!("unknown outbox status {other:?}"))),
        }
    }
}

/// A message to enqueue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Kind.
    pub kind: OutboxKind,
    /// JSON payload, interpreted by the deliverer of the kind.
    pub payload: serde_json::Value,
    /// Attempts allowed before the message is `failed`.
    pub max_attempts: u32,
    /// Webhook subscription, for webhook messages.
    pub subscription_id: Option<i64>,
    /// Event id (the `webhook-id` header), stable across retries.
    pub event_id: Option<String>,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: OutboxKind,
    /// Payload.
    pub payload: serde_json::Value,
    /// State.
    pub status: OutboxStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// Attempts allowed.
    pub max_attempts: u32,
    /// Earliest next attempt.
    pub next_attempt_at: DateTime<Utc>,
    /// Last failure.
    pub last_error: Option<String>,
    /// Webhook subscription.
    pub subscription_id: Option<i64>,
    /// Event id.
    pub event_id: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Delivery time.
    pub sent_at: Option<DateTime<Utc>>,
}

fn to_message(row: outbox_message::Model) -> Result<OutboxMessage, DbErr> {
    Ok(OutboxMessage {
        id: row.id,
        kind: OutboxKind::parse(&row.kind)?,
        payload: serde_json::from_str(&row.payload)
            .map_err(|e| DbErr::Custom(format!("outbox payload is not JSON: {e}")))?,
        status: OutboxStatus::parse(&row.status)?,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        max_attempts: u32::try_from(row.max_attempts).unwrap_or(1),
        next_attempt_at: row.next_attempt_at,
        last_error: row.last_error,
        subscription_id: row.subscription_id,
        event_id: row.event_id,
        created_at: row.created_at,
        sent_at: row.sent_at,
    })
}

/// The row of a new message, due at once.
fn new_row(message: NewMessage, now: DateTime<Utc>) -> outbox_message::ActiveModel {
    outbox_message::ActiveModel {
        id: NotSet,
        kind: Set(message.kind.as_str().to_owned()),
        payload: Set(message.payload.to_string()),
        status: Set(OutboxStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        max_attempts: Set(i32::try_from(message.max_attempts).unwrap_or(i32::MAX)),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        subscription_id: Set(message.subscription_id),
        event_id: Set(message.event_id),
        created_at: Set(now),
        sent_at: Set(None),
    }
}

/// Writes a message; call it inside the transaction of the change that causes it.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    message: NewMessage,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let result = outbox_message::Entity::insert(new_row(message, now))
        .exec(conn)
        .await?;
    Ok(result.last_insert_id)
}

/// Writes `messages` in one multi-row insert, in their order (their ids ascend in it); call it
/// inside the transaction of the change that causes them. Nothing is sent for no message.
pub async fn enqueue_all(
    conn: &impl StatementWriter,
    messages: Vec<NewMessage>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if messages.is_empty() {
        return Ok(());
    }
    let insert = outbox_message::Entity::insert_many(messages.into_iter().map(|m| new_row(m, now)));
    conn.write(insert.build(conn.backend())).await?;
    Ok(())
}

/// Claims up to `limit` due messages for `worker` for `lease`: each is taken by a conditional
/// update, so two workers (of one or several processes) never hold the same message.
pub async fn claim_due(
    conn: &impl ConnectionTrait,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Vec<OutboxMessage>, DbErr> {
    let free = Condition::any()
        .add(outbox_message::Column::LockedUntil.is_null())
        .add(outbox_message::Column::LockedUntil.lt(now));
    let candidates: Vec<i64> = outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::Id)
        .filter(outbox_message::Column::Status.eq(OutboxStatus::Pending.as_str()))
        .filter(outbox_message::Column::NextAttemptAt.lte(now))
        .filter(free.clone())
        .order_by_asc(outbox_message::Column::NextAttemptAt)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    let mut claimed = Vec::new();
    for id in candidates {
        let updated = outbox_message::Entity::update_many()
            .col_expr(
                outbox_message::Column::LockedUntil,
                Expr::value(now + lease),
            )
            .col_expr(outbox_message::Column::LockedBy, Expr::value(worker))
            .filter(outbox_message::Column::Id.eq(id))
            .filter(outbox_message::Column::Status.eq(OutboxStatus::Pending.as_str()))
            .filter(free.clone())
            .exec(conn)
            .await?;
        if updated.rows_affected == 1
            && let Some(row) = outbox_message::Entity::find_by_id(id).one(conn).await?
        {
            claimed.push(to_message(row)?);
        }
    }
    Ok(claimed)
}

/// Fields of a delivered email's `data` that must not outlive delivery: the raw verification
/// token (of an activation or of a sign-up) is needed to render the email, and nowhere else
/// (the database keeps only its hash).
const SECRET_FIELDS: [&str; 1] = ["token"];

/// The payload of a delivered message without its secrets, or `None` when there is nothing to
/// drop. Only emails carry secrets; webhook bodies are kept as sent, for redelivery.
fn redacted(kind: OutboxKind, payload: &serde_json::Value) -> Option<serde_json::Value> {
    if kind != OutboxKind::Email {
        return None;
    }
    let mut copy = payload.clone();
    let data = copy.get_mut("data")?.as_object_mut()?;
    let mut changed = false;
    for field in SECRET_FIELDS {
        changed |= data.remove(field).is_some();
    }
    changed.then_some(copy)
}

/// Marks a claimed message delivered, and drops secrets (the verification token) from its
/// stored payload.
pub async fn mark_sent(
    conn: &impl ConnectionTrait,
    message: &OutboxMessage,
    worker: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut update = outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Status,
            Expr::value(OutboxStatus::Sent.as_str()),
        )
        .col_expr(outbox_message::Column::SentAt, Expr::value(Some(now)))
        .col_expr(
            outbox_message::Column::Attempts,
            Expr::col(outbox_message::Column::Attempts).add(1),
        )
        .col_expr(
            outbox_message::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbox_message::Column::LastError,
            Expr::value(Option::<String>::None),
        );
    if let Some(payload) = redacted(message.kind, &message.payload) {
        update = update.col_expr(
            outbox_message::Column::Payload,
            Expr::value(payload.to_string()),
        );
    }
    update
        .filter(outbox_message::Column::Id.eq(message.id))
        .filter(outbox_message::Column::LockedBy.eq(worker))
        .exec(conn)
        .await?;
    Ok(())
}

/// Records a failed attempt: the message is retried at `retry_at`, or becomes `failed` when it
/// has used its last attempt (`retry_at` is `None` to give up at once).
pub async fn mark_attempt_failed(
    conn: &impl ConnectionTrait,
    message: &OutboxMessage,
    worker: &str,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<OutboxStatus, DbErr> {
    let attempts = message.attempts + 1;
    let (status, next) = match retry_at {
        Some(at) if attempts < message.max_attempts => (OutboxStatus::Pending, at),
        _ => (OutboxStatus::Failed, message.next_attempt_at),
    };
    outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            outbox_message::Column::Attempts,
            Expr::value(i32::try_from(attempts).unwrap_or(i32::MAX)),
        )
        .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(next))
        .col_expr(
            outbox_message::Column::LastError,
            Expr::value(Some(error.to_owned())),
        )
        .col_expr(
            outbox_message::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox_message::Column::Id.eq(message.id))
        .filter(outbox_message::Column::LockedBy.eq(worker))
        .exec(conn)
        .await?;
    Ok(status)
}

/// Puts a message back in the queue for a fresh round of attempts (the redeliver route).
pub async fn requeue(
    conn: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Status,
            Expr::value(OutboxStatus::Pending.as_str()),
        )
        .col_expr(outbox_message::Column::Attempts, Expr::value(0))
        .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            outbox_message::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox_message::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Messages waiting for delivery (the outbox depth).
pub async fn pending_count(conn: &impl ConnectionTrait) -> Result<u64, DbErr> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.eq(OutboxStatus::Pending.as_str()))
        .count(conn)
        .await
}

/// Messages of a webhook subscription, newest first.
pub async fn for_subscription(
    conn: &impl ConnectionTrait,
    subscription_id: i64,
    limit: u64,
) -> Result<Vec<OutboxMessage>, DbErr> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::SubscriptionId.eq(subscription_id))
        .order_by_desc(outbox_message::Column::Id)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_message)
        .collect()
}

/// Loads one message.
pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<Option<OutboxMessage>, DbErr> {
    outbox_message::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_message)
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::{OutboxKind, redacted};
    use serde_json::json;

    #[test]
    fn delivered_emails_lose_the_verification_token() {
        let payload = json!({"template": "verification", "to": "jane@acme.example",
            "data": {"token": "secret", "order_number": "A-1"}});
        let clean = redacted(OutboxKind::Email, &payload).expect("token removed");
        assert_eq!(
            clean,
            json!({"template": "verification", "to": "jane@acme.example",
                "data": {"order_number": "A-1"}})
        );
    }

    #[test]
    fn payloads_without_secrets_and_webhook_bodies_are_left_alone() {
        let email = json!({"template": "registration_notice", "data": {"order_number": "A-1"}});
        assert!(redacted(OutboxKind::Email, &email).is_none());
        assert!(redacted(OutboxKind::Email, &json!({"type": "order.activated"})).is_none());
        let webhook = json!({"type": "x", "data": {"token": "part of the event"}});
        assert!(redacted(OutboxKind::Webhook, &webhook).is_none());
    }
}
