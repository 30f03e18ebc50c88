//! The links of pending activations after the first: a resend replaces the link with a fresh
//! one (the earlier stops working, its hash is kept in `superseded_activation_links` so
//! following it says the link expired), a cancel stops the activation (the customer chose to
//! use a different email).
//!
//! Both are one conditional `UPDATE` of the `pending` row: a resend only below the limit of
//! resends and only of the link it read (`token_hash = old`), so concurrent resends cannot
//! exceed the limit and a resend racing a completion or a cancel changes nothing.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::activations::{ActivationStatus, PendingActivation, find_by_public_id, to_pending};
use crate::entities::{pending_activation, superseded_activation_link};

/// What a resend did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResendOutcome {
    /// A fresh link: its hash is stored, the earlier link stopped working.
    Resent(Box<PendingActivation>),
    /// No activation has this id.
    NotFound,
    /// The activation is completed: nothing to activate.
    Completed(Box<PendingActivation>),
    /// The activation expired, failed or was cancelled: start again.
    Ended(Box<PendingActivation>),
    /// The activation had its `max` resends already.
    LimitReached(Box<PendingActivation>),
}

/// Replaces the link of the pending activation `public_id` with the one hashing to
/// `new_token_hash`, valid until `expires_at`, unless it had `max` resends already. Run it in
/// the transaction that queues the email carrying the new link.
pub async fn resend(
    conn: &impl ConnectionTrait,
    public_id: Uuid,
    new_token_hash: &str,
    expires_at: DateTime<Utc>,
    max: i32,
    now: DateTime<Utc>,
) -> Result<ResendOutcome, DbErr> {
    let Some(row) = pending_activation::Entity::find()
        .filter(pending_activation::Column::PublicId.eq(public_id.to_string()))
        .one(conn)
        .await?
    else {
        return Ok(ResendOutcome::NotFound);
    };
    let activation = to_pending(row.clone())?;
    if let Some(outcome) = classify(&activation, row.resend_count, max, now) {
        return Ok(outcome);
    }
    let updated = pending_activation::Entity::update_many()
        .col_expr(
            pending_activation::Column::TokenHash,
            Expr::value(new_token_hash),
        )
        .col_expr(
            pending_activation::Column::ExpiresAt,
            Expr::value(expires_at),
        )
        .col_expr(
            pending_activation::Column::ResendCount,
            Expr::col(pending_activation::Column::ResendCount).add(1),
        )
        .filter(pending_activation::Column::Id.eq(row.id))
        .filter(pending_activation::Column::TokenHash.eq(row.token_hash.clone()))
        .filter(pending_activation::Column::Status.eq(ActivationStatus::Pending.as_str()))
        .filter(pending_activation::Column::ExpiresAt.gt(now))
        .filter(pending_activation::Column::ResendCount.lt(max))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        // Something else changed the row meanwhile (a resend, a completion, a cancel): tell
        // what it is now.
        let row = pending_activation::Entity::find_by_id(row.id)
            .one(conn)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("the activation just read".into()))?;
        let activation = to_pending(row.clone())?;
        return Ok(classify(&activation, row.resend_count, max, now)
            .unwrap_or(ResendOutcome::LimitReached(Box::new(activation))));
    }
    superseded_activation_link::Entity::insert(superseded_activation_link::ActiveModel {
        id: NotSet,
        activation_id: Set(row.id),
        token_hash: Set(row.token_hash),
        superseded_at: Set(now),
    })
    .exec(conn)
    .await?;
    Ok(ResendOutcome::Resent(Box::new(PendingActivation {
        expires_at,
        ..activation
    })))
}

/// Why an activation cannot get a fresh link, if it cannot.
fn classify(
    activation: &PendingActivation,
    resend_count: i32,
    max: i32,
    now: DateTime<Utc>,
) -> Option<ResendOutcome> {
    let boxed = || Box::new(activation.clone());
    match activation.status {
        ActivationStatus::Completed => Some(ResendOutcome::Completed(boxed())),
        ActivationStatus::Expired | ActivationStatus::Failed => Some(ResendOutcome::Ended(boxed())),
        ActivationStatus::Pending if activation.expires_at <= now => {
            Some(ResendOutcome::Ended(boxed()))
        }
        ActivationStatus::Pending if resend_count >= max => {
            Some(ResendOutcome::LimitReached(boxed()))
        }
        ActivationStatus::Pending => None,
    }
}

/// What a cancel did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The pending activation is stopped now: its link no longer works.
    Cancelled(Box<PendingActivation>),
    /// It had ended before (expired, failed or cancelled): nothing changed.
    AlreadyEnded,
    /// It is completed: nothing to cancel.
    Completed,
    /// No activation has this id.
    NotFound,
}

/// Cancels the pending activation `public_id`: one conditional update of a `pending` row to
/// `expired` (its link then answers that it expired). Run it in a transaction.
pub async fn cancel(
    conn: &impl ConnectionTrait,
    public_id: Uuid,
    now: DateTime<Utc>,
) -> Result<CancelOutcome, DbErr> {
    let updated = pending_activation::Entity::update_many()
        .col_expr(
            pending_activation::Column::Status,
            Expr::value(ActivationStatus::Expired.as_str()),
        )
        .col_expr(pending_activation::Column::ExpiresAt, Expr::value(now))
        .filter(pending_activation::Column::PublicId.eq(public_id.to_string()))
        .filter(pending_activation::Column::Status.eq(ActivationStatus::Pending.as_str()))
        .exec(conn)
        .await?;
    let Some(activation) = find_by_public_id(conn, public_id).await? else {
        return Ok(CancelOutcome::NotFound);
    };
    Ok(if updated.rows_affected == 1 {
        CancelOutcome::Cancelled(Box::new(activation))
    } else if activation.status == ActivationStatus::Completed {
        CancelOutcome::Completed
    } else {
        CancelOutcome::AlreadyEnded
    })
}

/// Whether `token_hash` is the hash of a link a resend replaced.
pub async fn is_superseded(conn: &impl ConnectionTrait, token_hash: &str) -> Result<bool, DbErr> {
    Ok(superseded_activation_link::Entity::find()
        .filter(superseded_activation_link::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await?
        .is_some())
}
