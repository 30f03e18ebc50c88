//! Two-factor sign-in (TOTP): the secret of an account, pending until confirmed, the last time
//! step accepted, and the one-time recovery codes (only their SHA-256 is stored).
//!
//! Every rule that must hold under concurrency is a conditional `UPDATE` or a unique index:
//! one credential a account (`ux_totp_credentials_account_id`), a confirmation happens once
//! (`confirmed_at IS NULL`), a time step is accepted once and never one older than the last
//! (`last_used_step < step`), a recovery code is used once (`used_at IS NULL`). Two servers
//! racing on one code: one wins.

use chrono::{DateTime, Utc};
use clp_domain::account::AccountId;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};

use crate::entities::{mfa_recovery_code, totp_credential};
use crate::failure::DbFailure;

/// The TOTP credential of an account. `Debug` leaves the secret out.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpCredential {
    /// The account.
    pub account_id: AccountId,
    /// The shared secret, base32.
    pub secret: String,
    /// When it was confirmed: `None` while the enrolment is pending (not active).
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The last time step whose code was accepted.
    pub last_used_step: Option<i64>,
}

impl std::fmt::Debug for TotpCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpCredential")
            .field("account_id", &self.account_id)
            .field("confirmed_at", &self.confirmed_at)
            .field("last_used_step", &self.last_used_step)
            .finish_non_exhaustive()
    }
}

impl TotpCredential {
    /// Whether two-factor sign-in is on (the enrolment was confirmed).
    pub fn is_active(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

fn to_credential(row: totp_credential::Model) -> TotpCredential {
    TotpCredential {
        account_id: AccountId(row.account_id),
        secret: row.secret,
        confirmed_at: row.confirmed_at,
        last_used_step: row.last_used_step,
    }
}

/// Why an enrolment could not start.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    /// Two-factor sign-in is already on for the account.
    #[error("two-factor sign-in is already on")]
    AlreadyActive,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The TOTP credential of `account`, pending or active.
pub async fn find(
    conn: &impl ConnectionTrait,
    account: AccountId,
) -> Result<Option<TotpCredential>, DbErr> {
    Ok(totp_credential::Entity::find()
        .filter(totp_credential::Column::AccountId.eq(account.0))
        .one(conn)
        .await?
        .map(to_credential))
}

/// Whether two-factor sign-in is on for `account`.
pub async fn is_active(conn: &impl ConnectionTrait, account: AccountId) -> Result<bool, DbErr> {
    Ok(find(conn, account)
        .await?
        .is_some_and(|credential| credential.is_active()))
}

/// Starts (or restarts) an enrolment with `secret`: a pending enrolment of the account is
/// replaced; an active one is left alone ([`EnrolError::AlreadyActive`]). Run it in a
/// transaction.
pub async fn start_enrolment(
    conn: &impl ConnectionTrait,
    account: AccountId,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<(), EnrolError> {
    totp_credential::Entity::delete_many()
        .filter(totp_credential::Column::AccountId.eq(account.0))
        .filter(totp_credential::Column::ConfirmedAt.is_null())
        .exec(conn)
        .await?;
    let inserted = totp_credential::Entity::insert(totp_credential::ActiveModel {
        id: NotSet,
        account_id: Set(account.0),
        secret: Set(secret.to_owned()),
        confirmed_at: Set(None),
        last_used_step: Set(None),
        created_at: Set(now),
    })
    .exec(conn)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(err) if DbFailure::of(&err) == DbFailure::Duplicate => Err(EnrolError::AlreadyActive),
        Err(err) => Err(err.into()),
    }
}

/// Confirms the pending enrolment of `account` with the code of time step `step`, and stores
/// the hashes of its new recovery codes (replacing any earlier ones). Returns `false` when no
/// enrolment was pending (nothing changed). Run it in a transaction.
pub async fn confirm(
    conn: &impl ConnectionTrait,
    account: AccountId,
    step: i64,
    recovery_code_hashes: &[String],
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let confirmed = totp_credential::Entity::update_many()
        .col_expr(totp_credential::Column::ConfirmedAt, Expr::value(Some(now)))
        .col_expr(
            totp_credential::Column::LastUsedStep,
            Expr::value(Some(step)),
        )
        .filter(totp_credential::Column::AccountId.eq(account.0))
        .filter(totp_credential::Column::ConfirmedAt.is_null())
        .exec(conn)
        .await?;
    if confirmed.rows_affected != 1 {
        return Ok(false);
    }
    mfa_recovery_code::Entity::delete_many()
        .filter(mfa_recovery_code::Column::AccountId.eq(account.0))
        .exec(conn)
        .await?;
    if !recovery_code_hashes.is_empty() {
        mfa_recovery_code::Entity::insert_many(recovery_code_hashes.iter().map(|hash| {
            mfa_recovery_code::ActiveModel {
                id: NotSet,
                account_id: Set(account.0),
                code_hash: Set(hash.clone()),
                created_at: Set(now),
                used_at: Set(None),
            }
        }))
        .exec(conn)
        .await?;
    }
    Ok(true)
}

/// Accepts the code of time step `step` for the active credential of `account`: one
/// conditional update, true only when `step` is later than the last accepted one (a code is
/// not accepted twice, nor an older one after a newer).
pub async fn use_step(
    conn: &impl ConnectionTrait,
    account: AccountId,
    step: i64,
) -> Result<bool, DbErr> {
    let used = totp_credential::Entity::update_many()
        .col_expr(
            totp_credential::Column::LastUsedStep,
            Expr::value(Some(step)),
        )
        .filter(totp_credential::Column::AccountId.eq(account.0))
        .filter(totp_credential::Column::ConfirmedAt.is_not_null())
        .filter(
            Expr::col(totp_credential::Column::LastUsedStep)
                .is_null()
                .or(Expr::col(totp_credential::Column::LastUsedStep).lt(step)),
        )
        .exec(conn)
        .await?;
    Ok(used.rows_affected == 1)
}

/// Uses the recovery code of `account` whose hash is `code_hash`: one conditional update, true
/// only for an unused code (two concurrent uses: one wins).
pub async fn use_recovery_code(
    conn: &impl ConnectionTrait,
    account: AccountId,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let used = mfa_recovery_code::Entity::update_many()
        .col_expr(mfa_recovery_code::Column::UsedAt, Expr::value(Some(now)))
        .filter(mfa_recovery_code::Column::AccountId.eq(account.0))
        .filter(mfa_recovery_code::Column::CodeHash.eq(code_hash))
        .filter(mfa_recovery_code::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(used.rows_affected == 1)
}

/// How many recovery codes of `account` are still unused.
pub async fn unused_recovery_codes(
    conn: &impl ConnectionTrait,
    account: AccountId,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait as _;
    mfa_recovery_code::Entity::find()
        .filter(mfa_recovery_code::Column::AccountId.eq(account.0))
        .filter(mfa_recovery_code::Column::UsedAt.is_null())
        .count(conn)
        .await
}

/// Turns two-factor sign-in off for `account`: its credential and recovery codes are deleted.
/// Returns whether it was on. Run it in a transaction.
pub async fn disable(conn: &impl ConnectionTrait, account: AccountId) -> Result<bool, DbErr> {
    let deleted = totp_credential::Entity::delete_many()
        .filter(totp_credential::Column::AccountId.eq(account.0))
        .filter(totp_credential::Column::ConfirmedAt.is_not_null())
        .exec(conn)
        .await?;
    mfa_recovery_code::Entity::delete_many()
        .filter(mfa_recovery_code::Column::AccountId.eq(account.0))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected == 1)
}
