//! Changes a customer makes to an account: its profile, its password (which ends every earlier
//! session) and its email address, and the session epoch the customer extractor checks.
//!
//! Sessions are stateless tokens that carry the account's `session_epoch` of their issue; a
//! password reset or change increments the column in the same `UPDATE` as the new hash, so a
//! token of an earlier epoch is refused by every server process at its next request (one read
//! of the column by primary key, no cache).

use chrono::{DateTime, Utc};
use clp_domain::Lang;
use clp_domain::account::AccountId;
use clp_domain::mask::{email_domain, normalize_company};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
};

use crate::accounts::{self, Account, CreateAccountError, Profile, normalize_email};
use crate::entities::account;
use crate::failure::DbFailure;
use crate::rows::{FromRow, RowRead, RowSource};

struct Epoch(i32);

impl FromRow for Epoch {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        row.i32("session_epoch").map(Epoch)
    }
}

/// The session epoch of the account `id`, `None` when there is no such account (deleted).
pub async fn session_epoch(source: &impl RowSource, id: AccountId) -> Result<Option<i32>, DbErr> {
    let statement = account::Entity::find()
        .select_only()
        .column(account::Column::SessionEpoch)
        .filter(account::Column::Id.eq(id.0))
        .build(source.backend());
    Ok(source
        .rows::<Epoch>(statement)
        .await?
        .into_iter()
        .next()
        .map(|e| e.0))
}

/// Sets the password hash, clears the sign-in back-off and starts a new session epoch (every
/// session issued before ends); returns the new epoch, `None` when the account is gone.
pub async fn set_password(
    conn: &impl ConnectionTrait,
    id: AccountId,
    password_hash: &str,
) -> Result<Option<i32>, DbErr> {
    let updated = account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(
            account::Column::SessionEpoch,
            Expr::col(account::Column::SessionEpoch).add(1),
        )
        .col_expr(account::Column::FailedLogins, Expr::value(0))
        .col_expr(
            account::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(account::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(None);
    }
    Ok(accounts::find_by_id(conn, id)
        .await?
        .map(|a| a.session_epoch))
}

/// The fields of `PATCH /api/v1/me`, each `None` when unchanged (already validated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileChange {
    /// Full name (for a legacy account also its contact name).
    pub full_name: Option<String>,
    /// Company (may be empty).
    pub company: Option<String>,
    /// ISO 3166-1 alpha-2 country, or empty.
    pub country: Option<String>,
    /// Language of the emails and the app.
    pub language: Option<Lang>,
}

impl ProfileChange {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Applies `change` to the account (one `UPDATE`, nothing when the change is empty) and
/// returns it as stored; `None` when the account is gone.
pub async fn update_profile(
    conn: &impl ConnectionTrait,
    current: &Account,
    change: &ProfileChange,
) -> Result<Option<Account>, DbErr> {
    if !change.is_empty() {
        let mut update =
            account::Entity::update_many().filter(account::Column::Id.eq(current.id.0));
        if let Some(name) = &change.full_name {
            let name = name.trim().to_owned();
            if current.profile == Profile::Legacy {
                update = update.col_expr(
                    account::Column::ContactName,
                    Expr::value(Some(name.clone())),
                );
            }
            update = update.col_expr(account::Column::FullName, Expr::value(name));
        }
        if let Some(company) = &change.company {
            update = update
                .col_expr(
                    account::Column::CompanyKey,
                    Expr::value(normalize_company(company)),
                )
                .col_expr(
                    account::Column::Company,
                    Expr::value(company.trim().to_owned()),
                );
        }
        if let Some(country) = &change.country {
            update = update.col_expr(
                account::Column::Country,
                Expr::value(country.trim().to_ascii_uppercase()),
            );
        }
        if let Some(language) = change.language {
            update = update.col_expr(account::Column::Language, Expr::value(language.code()));
        }
        update.exec(conn).await?;
    }
    accounts::find_by_id(conn, current.id).await
}

/// Moves the account to `new_email`, verified (the link sent to it was followed). Another
/// account holding the address meanwhile makes the unique index refuse it:
/// [`CreateAccountError::Exists`] (then roll the transaction back: on PostgreSQL it is aborted).
pub async fn change_email(
    conn: &impl ConnectionTrait,
    id: AccountId,
    new_email: &str,
) -> Result<(), CreateAccountError> {
    let email = normalize_email(new_email);
    let domain = email_domain(&email).unwrap_or_default().to_owned();
    let result = account::Entity::update_many()
        .col_expr(account::Column::Email, Expr::value(email))
        .col_expr(account::Column::EmailDomain, Expr::value(domain))
        .col_expr(account::Column::EmailVerified, Expr::value(true))
        .filter(account::Column::Id.eq(id.0))
        .exec(conn)
        .await;
    match result {
        Ok(_) => Ok(()),
        Err(err) if DbFailure::of(&err) == DbFailure::Duplicate => Err(CreateAccountError::Exists),
        Err(err) => Err(err.into()),
    }
}
