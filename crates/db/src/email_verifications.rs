//! Email verification links of accounts created with the simplified sign-up
//! (`POST /api/v1/accounts`). Only the SHA-256 of a link's token is stored; the token itself
//! travels in the email alone.
//!
//! A link of a change of address (`POST /api/v1/me/email`) carries `new_email`: following it
//! moves the account to that address (verified), unless another account has it by then.
//!
//! A link works once and until it expires. Following it is one conditional `UPDATE` (unused
//! and unexpired, set `used_at`), so two concurrent follows of one link verify once.

use chrono::{DateTime, Utc};
use clp_domain::account::AccountId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};

use crate::accounts::{self, Account};
use crate::entities::email_verification;

/// What following a verification link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyOutcome {
    /// The link was valid: the account's email is verified now (or was already).
    Verified(Box<Account>),
    /// The link of a change of address was valid: the account has the new address now,
    /// verified. `old_email` is the address it had.
    EmailChanged {
        /// The account as it is now.
        account: Box<Account>,
        /// The address before the change.
        old_email: String,
    },
    /// The link of a change of address was valid, but another account has the address now
    /// (the unique index refused it): roll the transaction back.
    EmailTaken,
    /// The link is past its expiry and was never followed; nothing changed.
    Expired,
    /// The link was followed before; nothing changed.
    Used,
    /// No link has this token.
    Unknown,
}

/// Stores a link for `account`, valid until `expires_at`; call it inside the transaction that
/// queues the email carrying the token.
pub async fn create(
    conn: &impl ConnectionTrait,
    account: AccountId,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let result = email_verification::Entity::insert(email_verification::ActiveModel {
        id: NotSet,
        account_id: Set(account.0),
        token_hash: Set(token_hash.to_owned()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        new_email: Set(None),
    })
    .exec(conn)
    .await?;
    Ok(result.last_insert_id)
}

/// Stores a link moving `account` to `new_email` (lower-cased), valid until `expires_at`, and
/// spends the account's earlier unused change links (the latest request wins). Call it inside
/// the transaction that queues the email carrying the token.
pub async fn create_change(
    conn: &impl ConnectionTrait,
    account: AccountId,
    new_email: &str,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<i64, DbErr> {
    email_verification::Entity::update_many()
        .col_expr(email_verification::Column::UsedAt, Expr::value(Some(now)))
        .filter(email_verification::Column::AccountId.eq(account.0))
        .filter(email_verification::Column::NewEmail.is_not_null())
        .filter(email_verification::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    let result = email_verification::Entity::insert(email_verification::ActiveModel {
        id: NotSet,
        account_id: Set(account.0),
        token_hash: Set(token_hash.to_owned()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        new_email: Set(Some(accounts::normalize_email(new_email))),
    })
    .exec(conn)
    .await?;
    Ok(result.last_insert_id)
}

/// Follows the link of `token_hash` at `now`: marks it used and the account's email verified.
/// Call it inside a transaction, so both changes happen together.
pub async fn verify(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<VerifyOutcome, DbErr> {
    let used = email_verification::Entity::update_many()
        .col_expr(email_verification::Column::UsedAt, Expr::value(Some(now)))
        .filter(email_verification::Column::TokenHash.eq(token_hash))
        .filter(email_verification::Column::UsedAt.is_null())
        .filter(email_verification::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    let Some(row) = email_verification::Entity::find()
        .filter(email_verification::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await?
    else {
        return Ok(VerifyOutcome::Unknown);
    };
    if used.rows_affected == 0 {
        return Ok(if row.used_at.is_some() {
            VerifyOutcome::Used
        } else {
            VerifyOutcome::Expired
        });
    }
    let id = AccountId(row.account_id);
    if let Some(new_email) = row.new_email {
        let old_email = accounts::find_by_id(conn, id)
            .await?
            .map(|a| a.email)
            .unwrap_or_default();
        // An unverified account holding nothing does not squat the address.
        crate::unverified_accounts::release_email(conn, &new_email, None, now).await?;
        match crate::account_changes::change_email(conn, id, &new_email).await {
            Ok(()) => {}
            Err(accounts::CreateAccountError::Exists) => return Ok(VerifyOutcome::EmailTaken),
            Err(accounts::CreateAccountError::Db(e)) => return Err(e),
        }
        let account = accounts::find_by_id(conn, id)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("the account of an email change".into()))?;
        return Ok(VerifyOutcome::EmailChanged {
            account: Box::new(account),
            old_email,
        });
    }
    accounts::mark_email_verified(conn, id).await?;
    let account = accounts::find_by_id(conn, id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the account of an email verification".into()))?;
    Ok(VerifyOutcome::Verified(Box::new(account)))
}
