//! The append-only audit trail: every step of an order's life, with actor, client IP, order
//! and account. Rows are only ever inserted.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};

use crate::entities::audit_event;
use crate::writes::StatementWriter;

/// One step to record.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// What happened, e.g. `order.created`, `activation.requested`, `line.registered`.
    pub kind: String,
    /// Who acted: `account:12`, `partner:3`, `system`, `anonymous`.
    pub actor: String,
    /// Client IP of the request, when there was one.
    pub client_ip: Option<String>,
    /// Order concerned.
    pub order_id: Option<i64>,
    /// Account concerned.
    pub account_id: Option<i64>,
    /// Free-form detail; never a key, password or token.
    pub detail: serde_json::Value,
}

/// A recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// Time of the step.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: String,
    /// Who acted.
    pub actor: String,
    /// Client IP.
    pub client_ip: Option<String>,
    /// Order concerned.
    pub order_id: Option<i64>,
    /// Account concerned.
    pub account_id: Option<i64>,
    /// Detail.
    pub detail: serde_json::Value,
}

/// Appends one entry.
pub async fn record(
    conn: &impl StatementWriter,
    entry: AuditEntry,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    record_all(conn, vec![entry], now).await
}

/// Appends `entries` in one multi-row insert (in their order).
pub async fn record_all(
    conn: &impl StatementWriter,
    entries: Vec<AuditEntry>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let insert = audit_event::Entity::insert_many(entries.into_iter().map(|entry| {
        audit_event::ActiveModel {
            id: NotSet,
            at: Set(now),
            kind: Set(entry.kind),
            actor: Set(entry.actor),
            client_ip: Set(entry.client_ip),
            order_id: Set(entry.order_id),
            account_id: Set(entry.account_id),
            detail: Set(entry.detail.to_string()),
        }
    }));
    conn.write(insert.build(conn.backend())).await?;
    Ok(())
}

fn to_record(row: audit_event::Model) -> AuditRecord {
    AuditRecord {
        at: row.at,
        kind: row.kind,
        actor: row.actor,
        client_ip: row.client_ip,
        order_id: row.order_id,
        account_id: row.account_id,
        detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null),
    }
}

/// The latest `limit` events of an account, oldest first.
pub async fn for_account(
    conn: &impl ConnectionTrait,
    account_id: i64,
    limit: u64,
) -> Result<Vec<AuditRecord>, DbErr> {
    let mut rows = audit_event::Entity::find()
        .filter(audit_event::Column::AccountId.eq(account_id))
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    rows.reverse();
    Ok(rows.into_iter().map(to_record).collect())
}

/// Every event of an order, oldest first.
pub async fn for_order(
    conn: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<AuditRecord>, DbErr> {
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::OrderId.eq(order_id))
        .order_by_asc(audit_event::Column::Id)
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(to_record).collect())
}
