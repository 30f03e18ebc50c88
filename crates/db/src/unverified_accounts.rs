//! Unverified accounts that hold nothing do not squat their address: a new sign-up with the
//! address replaces such an account, and the sweeper deletes those left unverified past
//! `CLP_UNVERIFIED_ACCOUNT_TTL`.
//!
//! "Holds nothing": no registered order line, no activation code, no SaaS instance. The delete
//! is one conditional statement (`email_verified = false AND NOT EXISTS ...`), so an account
//! verified or given a product meanwhile stays. Its links go with it and its pending
//! activations become `failed` (their link no longer completes anything).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait as _,
};
use serde_json::json;

use crate::Database;
use crate::accounts::normalize_email;
use crate::activations::ActivationStatus;
use crate::audit::{self, Actor, AuditEntry, AuditKind};
use crate::entities::{
    account, activation_code, email_verification, order_line, password_reset, pending_activation,
    saas_instance,
};

/// `accounts.email_verified = false` and the account holds no line, code or SaaS instance.
fn unverified_and_empty() -> SimpleExpr {
    let none_of = |table: SimpleExpr| table.not();
    let lines = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(order_line::Entity)
            .and_where(
                Expr::col((order_line::Entity, order_line::Column::RegisteredAccountId))
                    .equals((account::Entity, account::Column::Id)),
            )
            .to_owned(),
    );
    let codes = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(activation_code::Entity)
            .and_where(
                Expr::col((activation_code::Entity, activation_code::Column::AccountId))
                    .equals((account::Entity, account::Column::Id)),
            )
            .to_owned(),
    );
    let instances = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(saas_instance::Entity)
            .and_where(
                Expr::col((saas_instance::Entity, saas_instance::Column::AccountId))
                    .equals((account::Entity, account::Column::Id)),
            )
            .to_owned(),
    );
    Expr::col((account::Entity, account::Column::EmailVerified))
        .eq(false)
        .and(none_of(lines))
        .and(none_of(codes))
        .and(none_of(instances))
}

/// Whether `email` belongs to an account that a new sign-up cannot replace (verified, or
/// holding a product).
pub async fn email_taken(conn: &impl ConnectionTrait, email: &str) -> Result<bool, DbErr> {
    let holder: Option<i64> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::Email.eq(normalize_email(email)))
        .into_tuple()
        .one(conn)
        .await?;
    let Some(id) = holder else {
        return Ok(false);
    };
    Ok(replaceable(conn, id).await?.is_none())
}

/// `Some(id)` when the account `id` is unverified and holds nothing.
async fn replaceable(conn: &impl ConnectionTrait, id: i64) -> Result<Option<i64>, DbErr> {
    account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::Id.eq(id))
        .filter(unverified_and_empty())
        .into_tuple()
        .one(conn)
        .await
}

/// Deletes the account `id` if it is unverified and holds nothing (with its links; its pending
/// activations become `failed`). Returns whether it was deleted. Call it in a transaction.
pub async fn delete_if_unverified(conn: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    if replaceable(conn, id).await?.is_none() {
        return Ok(false);
    }
    email_verification::Entity::delete_many()
        .filter(email_verification::Column::AccountId.eq(id))
        .exec(conn)
        .await?;
    password_reset::Entity::delete_many()
        .filter(password_reset::Column::AccountId.eq(id))
        .exec(conn)
        .await?;
    pending_activation::Entity::update_many()
        .col_expr(
            pending_activation::Column::Status,
            Expr::value(ActivationStatus::Failed.as_str()),
        )
        .filter(pending_activation::Column::AccountId.eq(id))
        .filter(pending_activation::Column::Status.eq(ActivationStatus::Pending.as_str()))
        .exec(conn)
        .await?;
    let deleted = account::Entity::delete_many()
        .filter(account::Column::Id.eq(id))
        .filter(unverified_and_empty())
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected == 1)
}

/// Before a sign-up with `email`: deletes the unverified account holding nothing that has the
/// address, if any, and records it (`account.deleted`, reason `replaced`). Returns the deleted
/// account's id. Call it in the sign-up's transaction, before the insert (the unique index then
/// decides between concurrent sign-ups).
pub async fn release_email(
    conn: &impl ConnectionTrait,
    email: &str,
    client_ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    let holder: Option<i64> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::Email.eq(normalize_email(email)))
        .into_tuple()
        .one(conn)
        .await?;
    let Some(id) = holder else {
        return Ok(None);
    };
    if !delete_if_unverified(conn, id).await? {
        return Ok(None);
    }
    audit::record(
        conn,
        AuditEntry {
            kind: AuditKind::AccountDeleted,
            actor: Actor::Anonymous,
            client_ip,
            order_id: None,
            account_id: Some(id),
            detail: json!({ "reason": "replaced" }),
        },
        now,
    )
    .await?;
    Ok(Some(id))
}

/// Deletes up to `limit` accounts created before `cutoff` and still unverified and empty, in
/// one transaction, each recorded (`account.deleted`, reason `unverified_expired`, by the
/// system). Returns how many were due (at most `limit`) and how many this call deleted.
pub async fn delete_stale(
    db: &Database,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<(u64, u64), DbErr> {
    let txn = db.begin().await?;
    let due: Vec<i64> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::CreatedAt.lt(cutoff))
        .filter(unverified_and_empty())
        .order_by_asc(account::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(&txn)
        .await?;
    let mut deleted = 0;
    for id in &due {
        if delete_if_unverified(&txn, *id).await? {
            deleted += 1;
            audit::record(
                &txn,
                AuditEntry {
                    kind: AuditKind::AccountDeleted,
                    actor: Actor::System,
                    client_ip: None,
                    order_id: None,
                    account_id: Some(*id),
                    detail: json!({ "reason": "unverified_expired" }),
                },
                now,
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok((u64::try_from(due.len()).unwrap_or(u64::MAX), deleted))
}
