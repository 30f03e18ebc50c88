//! Password reset links (`POST /api/v1/password-resets`). Only the SHA-256 of a link's token is
//! stored; the token travels in the email alone.
//!
//! Asking for a link runs the same statements whether or not an account has the address: one
//! `INSERT ... SELECT` from `accounts` that inserts a row or none. Using a link is one
//! conditional `UPDATE` (unused and unexpired -> `used_at`), so a link works once whatever the
//! concurrency; the new password, a new session epoch and the verified email follow in the
//! same transaction, and every other unused link of the account is spent too.

use chrono::{DateTime, Utc};
use clp_domain::account::AccountId;
use sea_orm::sea_query::{Expr, ExprTrait as _, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::accounts::{self, Account, normalize_email};
use crate::entities::{account, password_reset};

/// Stores a link for the account of `email`, if there is one (an `INSERT ... SELECT` inserting
/// one row or none); returns whether a row was inserted. Call it inside the transaction that
/// queues the email carrying the token.
pub async fn create_for_email(
    conn: &impl ConnectionTrait,
    email: &str,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let select = Query::select()
        .column(account::Column::Id)
        .expr(Expr::val(token_hash))
        .expr(Expr::val(now))
        .expr(Expr::val(expires_at))
        .from(account::Entity)
        .and_where(Expr::col(account::Column::Email).eq(normalize_email(email)))
        .to_owned();
    let insert = Query::insert()
        .into_table(password_reset::Entity)
        .columns([
            password_reset::Column::AccountId,
            password_reset::Column::TokenHash,
            password_reset::Column::CreatedAt,
            password_reset::Column::ExpiresAt,
        ])
        .select_from(select)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    let result = conn.execute(&insert).await?;
    Ok(result.rows_affected() == 1)
}

/// What using a reset link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetOutcome {
    /// The link was valid: the password is set, every earlier session ended, the email is
    /// verified (the link reached it). The account as it is now.
    Reset(Box<Account>),
    /// The link was used before, expired, or never existed: nothing changed.
    Spent,
}

/// Uses the link of `token_hash` at `now`: sets `password_hash`, starts a new session epoch,
/// clears the back-off, verifies the email, and spends every other unused link of the account.
/// Call it inside a transaction.
pub async fn reset(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<ResetOutcome, DbErr> {
    let used = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::TokenHash.eq(token_hash))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    if used.rows_affected == 0 {
        return Ok(ResetOutcome::Spent);
    }
    let Some(row) = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await?
    else {
        return Ok(ResetOutcome::Spent);
    };
    let id = AccountId(row.account_id);
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::AccountId.eq(id.0))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    if crate::account_changes::set_password(conn, id, password_hash)
        .await?
        .is_none()
    {
        return Ok(ResetOutcome::Spent);
    }
    accounts::mark_email_verified(conn, id).await?;
    let account = accounts::find_by_id(conn, id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the account of a password reset".into()))?;
    Ok(ResetOutcome::Reset(Box::new(account)))
}
