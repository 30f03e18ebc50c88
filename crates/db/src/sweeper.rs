//! Periodic clean-up run by the server's sweeper: pending activations past their expiry become
//! `expired`, and old rate limit windows are deleted.
//!
//! Safe with several processes on one database: each activation is expired by the conditional
//! update of [`crate::activations::mark_expired`] (`status = 'pending' AND expires_at <= now`),
//! so exactly one process emits `activation.expired` and records the audit entry for it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::Database;
use crate::activations::{ActivationStatus, mark_expired};
use crate::entities::pending_activation;

/// What one batch of [`expire_pending_activations`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiryBatch {
    /// Pending activations found past their expiry (at most the limit): when it equals the
    /// limit, more may be due.
    pub due: u64,
    /// How many of them this call expired (the others were expired, or completed, by another
    /// process meanwhile).
    pub expired: u64,
}

/// Expires up to `limit` pending activations whose link expired by `now`, in one transaction:
/// each becomes `expired`, with an `activation.expired` audit entry and partner event (see
/// [`mark_expired`]).
pub async fn expire_pending_activations(
    db: &Database,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<ExpiryBatch, DbErr> {
    let txn = db.begin().await?;
    // Ordered by (expires_at, id) so concurrent sweepers take row locks in the same order.
    let due: Vec<i64> = pending_activation::Entity::find()
        .select_only()
        .column(pending_activation::Column::Id)
        .filter(pending_activation::Column::Status.eq(ActivationStatus::Pending.as_str()))
        .filter(pending_activation::Column::ExpiresAt.lte(now))
        .order_by_asc(pending_activation::Column::ExpiresAt)
        .order_by_asc(pending_activation::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(&txn)
        .await?;
    let mut batch = ExpiryBatch {
        due: u64::try_from(due.len()).unwrap_or(u64::MAX),
        expired: 0,
    };
    for id in due {
        if mark_expired(&txn, id, now).await? {
            batch.expired += 1;
        }
    }
    txn.commit().await?;
    Ok(batch)
}
