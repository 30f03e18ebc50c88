//! An order's stored state (`orders.status`) and its cancellation.
//!
//! The race between a partner cancelling an order and a customer activating or registering it
//! is decided by the database, on the order's row: every transaction that registers lines or
//! creates a pending activation first locks the row with [`lock_unless_cancelled`] (a
//! conditional no-op update: `status <> 'cancelled'`), and [`cancel_order`] first locks the
//! same row, then checks (in statements that start after the lock, so they see every commit
//! before it) that no line is registered and no activation is pending. On PostgreSQL the
//! second of two such transactions waits for the first and then sees its outcome; on SQLite
//! the first write of a transaction takes the database's write lock.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
    TransactionTrait,
};
use serde_json::json;

use crate::Database;
use crate::activation_status::ActivationStatus;
use crate::audit::{self, Actor, AuditEntry, AuditKind};
use crate::entities::{order, order_line, pending_activation};
use crate::events::{self, EventKind, OrderEvent};
use crate::orders::OrderState;
use crate::rows::{FromRow, RowRead, RowSource};
use crate::writes::StatementWriter;

/// Locks the order's row for the rest of the transaction unless the order is cancelled:
/// `false` when it is (the caller rolls back and answers `order_cancelled`). Run it before the
/// transaction registers lines or creates a pending activation.
pub async fn lock_unless_cancelled(
    conn: &impl StatementWriter,
    order_id: i64,
) -> Result<bool, DbErr> {
    let touch = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::col(order::Column::Status))
        .filter(order::Column::Id.eq(order_id))
        .filter(order::Column::Status.ne(OrderState::Cancelled.as_str()))
        .into_query();
    Ok(conn.write(conn.backend().build(&touch)).await? > 0)
}

/// Sets the order's status from its lines (`registered` when none is left unregistered,
/// `partially_registered` when some are registered, else `unregistered`); a cancelled order
/// stays cancelled. Run it in the transaction that registered lines, after
/// [`lock_unless_cancelled`], so it counts every line registered before.
pub async fn refresh_status(conn: &impl StatementWriter, order_id: i64) -> Result<(), DbErr> {
    let lines = |registered: bool| {
        let mut select = Query::select();
        select
            .expr(Expr::val(1))
            .from(order_line::Entity)
            .and_where(Expr::col(order_line::Column::OrderId).eq(order_id));
        if registered {
            select.and_where(Expr::col(order_line::Column::RegisteredAccountId).is_not_null());
        } else {
            select.and_where(Expr::col(order_line::Column::RegisteredAccountId).is_null());
        }
        select
    };
    let status = Expr::case(
        Expr::exists(lines(false)).not(),
        OrderState::Registered.as_str(),
    )
    .case(
        Expr::exists(lines(true)),
        OrderState::PartiallyRegistered.as_str(),
    )
    .finally(OrderState::Unregistered.as_str());
    let update = order::Entity::update_many()
        .col_expr(order::Column::Status, status.into())
        .filter(order::Column::Id.eq(order_id))
        .filter(order::Column::Status.ne(OrderState::Cancelled.as_str()))
        .into_query();
    conn.write(conn.backend().build(&update)).await?;
    Ok(())
}

/// The stored head of an order: what the partner routes show besides the domain order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderHead {
    /// Database id.
    pub id: i64,
    /// Stored state.
    pub status: OrderState,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// When it was cancelled.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The reason given for the cancellation.
    pub cancel_reason: Option<String>,
}

impl FromRow for OrderHead {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            id: row.i64("id")?,
            status: OrderState::parse(&row.string("status")?)?,
            created_at: row.timestamp("created_at")?,
            cancelled_at: row.opt_timestamp("cancelled_at")?,
            cancel_reason: row.opt_string("cancel_reason")?,
        })
    }
}

/// The head of the order `order_id`.
pub async fn order_head(
    conn: &impl StatementWriter,
    order_id: i64,
) -> Result<Option<OrderHead>, DbErr> {
    let select = Query::select()
        .columns([
            order::Column::Id,
            order::Column::Status,
            order::Column::CreatedAt,
            order::Column::CancelledAt,
            order::Column::CancelReason,
        ])
        .from(order::Entity)
        .and_where(Expr::col(order::Column::Id).eq(order_id))
        .to_owned();
    let rows: Vec<OrderHead> = conn.rows(conn.backend().build(&select)).await?;
    Ok(rows.into_iter().next())
}

/// What [`cancel_order`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelOutcome {
    /// This call cancelled the order.
    Cancelled(OrderHead),
    /// The order was cancelled before (the call changes nothing: cancelling is idempotent).
    AlreadyCancelled(OrderHead),
    /// A line is registered or an activation is pending: the order stays as it is.
    InUse,
    /// The partner has no order with this number.
    NotFound,
}

/// Cancels the partner's order `order_number` in one transaction, only while no line is
/// registered and no activation is pending (unexpired): the status becomes `cancelled` with
/// `reason` and `now`, `order.cancelled` is recorded in the audit trail and emitted to the
/// partner's webhooks. See the module documentation for the race with activations.
pub async fn cancel_order(
    db: &Database,
    partner_id: i64,
    order_number: &str,
    reason: &str,
    client_ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<CancelOutcome, DbErr> {
    let txn = db.begin().await?;
    // Locks the row (a no-op write): every check below runs after the lock.
    let touch = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::col(order::Column::Status))
        .filter(order::Column::PartnerId.eq(partner_id))
        .filter(order::Column::OrderNumber.eq(order_number))
        .into_query();
    if txn.write(txn.backend().build(&touch)).await? == 0 {
        return Ok(CancelOutcome::NotFound);
    }
    let ids: Vec<i64> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .filter(order::Column::PartnerId.eq(partner_id))
        .filter(order::Column::OrderNumber.eq(order_number))
        .into_tuple()
        .all(&txn)
        .await?;
    let Some(order_id) = ids.into_iter().next() else {
        return Ok(CancelOutcome::NotFound);
    };
    let head = order_head(&txn, order_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("order {order_id}")))?;
    match head.status {
        OrderState::Cancelled => return Ok(CancelOutcome::AlreadyCancelled(head)),
        OrderState::Registered | OrderState::PartiallyRegistered => {
            return Ok(CancelOutcome::InUse);
        }
        OrderState::Unregistered => {}
    }
    let pending = pending_activation::Entity::find()
        .filter(pending_activation::Column::OrderId.eq(order_id))
        .filter(pending_activation::Column::Status.eq(ActivationStatus::Pending.as_str()))
        .filter(pending_activation::Column::ExpiresAt.gt(now))
        .count(&txn)
        .await?;
    if pending > 0 {
        return Ok(CancelOutcome::InUse);
    }
    let cancel = order::Entity::update_many()
        .col_expr(
            order::Column::Status,
            Expr::value(OrderState::Cancelled.as_str()),
        )
        .col_expr(order::Column::CancelledAt, Expr::value(Some(now)))
        .col_expr(
            order::Column::CancelReason,
            Expr::value(Some(reason.to_owned())),
        )
        .filter(order::Column::Id.eq(order_id))
        .filter(order::Column::Status.eq(OrderState::Unregistered.as_str()))
        .exec(&txn)
        .await?;
    if cancel.rows_affected == 0 {
        return Ok(CancelOutcome::InUse);
    }
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::OrderCancelled,
            actor: Actor::Partner(partner_id),
            client_ip,
            order_id: Some(order_id),
            account_id: None,
            detail: json!({ "order_number": order_number, "reason": reason }),
        },
        now,
    )
    .await?;
    events::emit(
        &txn,
        &OrderEvent {
            kind: EventKind::OrderCancelled,
            order_id,
            partner_id,
            account_id: None,
            data: json!({ "reason": reason, "cancelled_at": now }),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(CancelOutcome::Cancelled(OrderHead {
        status: OrderState::Cancelled,
        cancelled_at: Some(now),
        cancel_reason: Some(reason.to_owned()),
        ..head
    }))
}
