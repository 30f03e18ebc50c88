//! Customer accounts: creation (simplified and legacy profiles), look-up by login, email or
//! id, email verification, the sign-in back-off, and what an account holds for `/me/products`.
//!
//! Uniqueness of the email and of the login ID is held by unique indexes: a duplicate insert
//! fails with [`CreateAccountError::Exists`] (409 `account_exists` in the API), whatever the
//! concurrency. Emails and login IDs are stored trimmed and lower-cased, so look-ups are
//! case-insensitive.
//!
//! Back-off: after [`BACKOFF_THRESHOLD`] consecutive failed sign-ins, the account is locked
//! for `2^(n - 5)` seconds (n = failures so far), capped at [`BACKOFF_CAP_SECS`]. Counter and
//! lock change in one conditional `UPDATE`, so parallel failures all count.

use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use clp_domain::Lang;
use clp_domain::account::AccountId;
use clp_domain::mask::{email_domain, normalize_company};
use clp_domain::region::Region;
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Statement,
};

use crate::entities::{account, activation_code, order, saas_instance};
use crate::failure::DbFailure;
use crate::holdings::CodeRow;
use crate::language::stored_lang;
use crate::rows::{FromRow, RowRead, RowSource};
use crate::writes::StatementWriter;

/// Consecutive failed sign-ins allowed before the account is locked.
pub const BACKOFF_THRESHOLD: u32 = 5;
/// Longest lock after failed sign-ins (15 minutes).
pub const BACKOFF_CAP_SECS: i64 = 15 * 60;

/// Which sign-up form created an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// The simplified form (email, password, full name).
    Simplified,
    /// The long legacy form (login ID, address, phone, ...).
    Legacy,
}

impl Profile {
    /// Stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Simplified => "simplified",
            Self::Legacy => "legacy",
        }
    }

    fn parse(text: &str) -> Result<Self, DbErr> {
        match text {
            "simplified" => Ok(Self::Simplified),
            "legacy" => Ok(Self::Legacy),
            other => Err(DbErr::Custom(format!("unknown account profile {other:?}"))),
        }
    }
}

/// A simplified account to create (unverified until a link is followed).
#[derive(Clone)]
pub struct NewSimplifiedAccount {
    /// Email (trimmed and lower-cased on insert).
    pub email: String,
    /// Argon2id PHC string of the password.
    pub password_hash: String,
    /// Full name.
    pub full_name: String,
    /// Company (may be empty).
    pub company: String,
    /// ISO 3166-1 alpha-2 country (may be empty; upper-cased on insert).
    pub country: String,
    /// The account's language (of its emails).
    pub language: Lang,
}

/// A legacy (long form) account to create.
#[derive(Clone)]
pub struct NewLegacyAccount {
    /// Login ID (trimmed and lower-cased on insert).
    pub login_id: String,
    /// Argon2id PHC string of the password.
    pub password_hash: String,
    /// Email (trimmed and lower-cased on insert).
    pub email: String,
    /// Company.
    pub company: String,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State, prefecture or province.
    pub state: String,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country (upper-cased on insert).
    pub country: String,
    /// Phone.
    pub phone: String,
    /// Contact person (also the account's full name).
    pub contact_name: String,
    /// The account's language (of its emails).
    pub language: Lang,
}

/// A stored account. `Debug` leaves the password hash out.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// Id.
    pub id: AccountId,
    /// Lower-case email.
    pub email: String,
    /// Lower-case login ID (legacy accounts).
    pub login_id: Option<String>,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Full name (the contact name of legacy accounts).
    pub full_name: String,
    /// Company (may be empty).
    pub company: String,
    /// Country (may be empty).
    pub country: String,
    /// Which form created it.
    pub profile: Profile,
    /// Street address (legacy).
    pub address: Option<String>,
    /// City (legacy).
    pub city: Option<String>,
    /// State (legacy).
    pub state: Option<String>,
    /// Postal code (legacy).
    pub postal_code: Option<String>,
    /// Phone (legacy).
    pub phone: Option<String>,
    /// Contact name (legacy).
    pub contact_name: Option<String>,
    /// Whether the email is verified.
    pub email_verified: bool,
    /// XDR region, once set.
    pub xdr_region: Option<Region>,
    /// The account's language (of its emails).
    pub language: Lang,
    /// Consecutive failed sign-ins.
    pub failed_logins: u32,
    /// End of the sign-in lock, if any.
    pub locked_until: Option<DateTime<Utc>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// The epoch of its sessions: a session issued in an earlier epoch is refused.
    pub session_epoch: i32,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("login_id", &self.login_id)
            .field("profile", &self.profile)
            .field("email_verified", &self.email_verified)
            .field("xdr_region", &self.xdr_region)
            .field("failed_logins", &self.failed_logins)
            .field("locked_until", &self.locked_until)
            .finish_non_exhaustive()
    }
}

impl Account {
    /// How long sign-in stays refused, if the account is locked at `now`.
    pub fn locked_for(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.locked_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateAccountError {
    /// The email or login ID belongs to another account (409 `account_exists`).
    #[error("an account with this email or login ID exists")]
    Exists,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Trimmed, lower-cased email.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Trimmed, lower-cased login ID.
pub fn normalize_login_id(login_id: &str) -> String {
    login_id.trim().to_lowercase()
}

fn to_account(row: account::Model) -> Result<Account, DbErr> {
    Ok(Account {
        id: AccountId(row.id),
        profile: Profile::parse(&row.profile)?,
        xdr_region: row
            .xdr_region
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|_| DbErr::Custom("stored account region is unknown".into()))?,
        failed_logins: u32::try_from(row.failed_logins).unwrap_or(0),
        email: row.email,
        login_id: row.login_id,
        password_hash: row.password_hash,
        full_name: row.full_name,
        company: row.company,
        country: row.country,
        address: row.address,
        city: row.city,
        state: row.state,
        postal_code: row.postal_code,
        phone: row.phone,
        contact_name: row.contact_name,
        email_verified: row.email_verified,
        language: stored_lang(&row.language),
        locked_until: row.locked_until,
        created_at: row.created_at,
        session_epoch: row.session_epoch,
    })
}

fn base_row(
    email: &str,
    password_hash: &str,
    full_name: &str,
    company: &str,
    country: &str,
    profile: Profile,
    language: Lang,
) -> account::ActiveModel {
    let email = normalize_email(email);
    let domain = email_domain(&email).unwrap_or_default().to_owned();
    account::ActiveModel {
        id: NotSet,
        company_key: Set(normalize_company(company)),
        email_domain: Set(domain),
        email: Set(email),
        login_id: Set(None),
        password_hash: Set(password_hash.to_owned()),
        full_name: Set(full_name.trim().to_owned()),
        company: Set(company.trim().to_owned()),
        country: Set(country.trim().to_ascii_uppercase()),
        profile: Set(profile.as_str().to_owned()),
        address: Set(None),
        city: Set(None),
        state: Set(None),
        postal_code: Set(None),
        phone: Set(None),
        contact_name: Set(None),
        email_verified: Set(false),
        xdr_region: Set(None),
        language: Set(language.code().to_owned()),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: NotSet,
        session_epoch: Set(0),
    }
}

async fn insert(
    conn: &impl ConnectionTrait,
    row: account::ActiveModel,
) -> Result<Account, CreateAccountError> {
    let id = match account::Entity::insert(row).exec(conn).await {
        Ok(result) => result.last_insert_id,
        Err(err) if DbFailure::of(&err) == DbFailure::Duplicate => {
            return Err(CreateAccountError::Exists);
        }
        Err(err) => return Err(err.into()),
    };
    find_by_id(conn, AccountId(id))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the account just created".into()).into())
}

/// Creates a simplified account: unverified, without XDR region.
pub async fn create_simplified(
    conn: &impl ConnectionTrait,
    new: &NewSimplifiedAccount,
    now: DateTime<Utc>,
) -> Result<Account, CreateAccountError> {
    let mut row = base_row(
        &new.email,
        &new.password_hash,
        &new.full_name,
        &new.company,
        &new.country,
        Profile::Simplified,
        new.language,
    );
    row.created_at = Set(now);
    insert(conn, row).await
}

/// Creates a legacy account with every long-form field; the contact name is its full name.
pub async fn create_legacy(
    conn: &impl ConnectionTrait,
    new: &NewLegacyAccount,
    now: DateTime<Utc>,
) -> Result<Account, CreateAccountError> {
    let mut row = base_row(
        &new.email,
        &new.password_hash,
        &new.contact_name,
        &new.company,
        &new.country,
        Profile::Legacy,
        new.language,
    );
    row.created_at = Set(now);
    let text = |v: &str| Set(Some(v.trim().to_owned()));
    row.login_id = Set(Some(normalize_login_id(&new.login_id)));
    row.address = text(&new.address);
    row.city = text(&new.city);
    row.state = text(&new.state);
    row.postal_code = text(&new.postal_code);
    row.phone = text(&new.phone);
    row.contact_name = text(&new.contact_name);
    insert(conn, row).await
}

/// The account of `id`.
pub async fn find_by_id(
    conn: &impl ConnectionTrait,
    id: AccountId,
) -> Result<Option<Account>, DbErr> {
    account::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .map(to_account)
        .transpose()
}

/// The account of `email` (case-insensitive).
pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<Account>, DbErr> {
    account::Entity::find()
        .filter(account::Column::Email.eq(normalize_email(email)))
        .one(conn)
        .await?
        .map(to_account)
        .transpose()
}

/// The account signing in with `login`: an email when it contains `@`, else a login ID
/// (login IDs cannot contain `@`). Both case-insensitive.
pub async fn find_by_login(
    conn: &impl ConnectionTrait,
    login: &str,
) -> Result<Option<Account>, DbErr> {
    if login.contains('@') {
        return find_by_email(conn, login).await;
    }
    let login_id = normalize_login_id(login);
    if login_id.is_empty() {
        return Ok(None);
    }
    account::Entity::find()
        .filter(account::Column::LoginId.eq(login_id))
        .one(conn)
        .await?
        .map(to_account)
        .transpose()
}

/// Marks the account's email verified; returns whether it was unverified before.
pub async fn mark_email_verified(
    conn: &impl StatementWriter,
    id: AccountId,
) -> Result<bool, DbErr> {
    let update = account::Entity::update_many()
        .col_expr(account::Column::EmailVerified, Expr::value(true))
        .filter(account::Column::Id.eq(id.0))
        .filter(account::Column::EmailVerified.eq(false));
    Ok(conn.write(update.build(conn.backend())).await? == 1)
}

/// Lock length after the `failures`-th consecutive failure: none below the threshold, then
/// `2^(failures - 5)` seconds, capped at 15 minutes.
pub fn backoff_after(failures: u32) -> Option<Duration> {
    let over = failures.checked_sub(BACKOFF_THRESHOLD)?;
    let secs = 2_i64
        .checked_pow(over)
        .map_or(BACKOFF_CAP_SECS, |s| Ord::min(s, BACKOFF_CAP_SECS));
    Some(Duration::seconds(secs))
}

/// Records a failed sign-in: one `UPDATE` increments the counter and sets the lock computed
/// from the new count (`CASE` over the thresholds), so concurrent failures all count. Returns
/// the lock end, if the account is now locked.
pub async fn record_failed_sign_in(
    conn: &impl ConnectionTrait,
    id: AccountId,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let next = Expr::col(account::Column::FailedLogins).add(1);
    let mut lock = CaseStatement::new();
    // From the cap down: the first matching threshold gives the lock length.
    let mut failures = BACKOFF_THRESHOLD;
    let mut thresholds = Vec::new();
    while let Some(length) = backoff_after(failures) {
        thresholds.push((failures, length));
        if length.num_seconds() >= BACKOFF_CAP_SECS {
            break;
        }
        failures += 1;
    }
    for (i, (failures, length)) in thresholds.iter().rev().enumerate() {
        let condition: SimpleExpr = if i == 0 {
            next.clone().gte(i64::from(*failures))
        } else {
            next.clone().eq(i64::from(*failures))
        };
        lock = lock.case(condition, Expr::value(Some(now + *length)));
    }
    let lock = lock.finally(Expr::col(account::Column::LockedUntil));
    account::Entity::update_many()
        .col_expr(account::Column::FailedLogins, next)
        .col_expr(account::Column::LockedUntil, lock.into())
        .filter(account::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(find_by_id(conn, id)
        .await?
        .and_then(|a| a.locked_until.filter(|until| *until > now)))
}

/// Resets the failure counter and the lock after a successful sign-in (only when there is
/// something to reset, so the common case writes nothing).
pub async fn reset_failed_sign_ins(
    conn: &impl ConnectionTrait,
    id: AccountId,
) -> Result<(), DbErr> {
    account::Entity::update_many()
        .col_expr(account::Column::FailedLogins, Expr::value(0))
        .col_expr(
            account::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(account::Column::Id.eq(id.0))
        .filter(
            account::Column::FailedLogins
                .gt(0)
                .or(account::Column::LockedUntil.is_not_null()),
        )
        .exec(conn)
        .await?;
    Ok(())
}

/// An activation code held by an account, as `/me/products` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRecord {
    /// The code (canonical form).
    pub code: String,
    /// The product it activates (a suite component for suite lines).
    pub sku: String,
    /// The order line that issued or last extended it.
    pub line_id: Option<i64>,
    /// First day of its term.
    pub term_start: NaiveDate,
    /// Its expiry.
    pub term_end: NaiveDate,
}

/// A SaaS instance of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaasRecord {
    /// The service, e.g. `cloud-app-security`.
    pub service: String,
    /// The line that provisioned it.
    pub line_id: i64,
    /// Whether it is active (not cancelled).
    pub active: bool,
}

/// A line registered to the account, with its order number, codes and SaaS instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductLine {
    /// The order line.
    pub line_id: i64,
    /// Its order's number.
    pub order_number: String,
    /// Product SKU of the line.
    pub sku: String,
    /// Seats.
    pub seats: u32,
    /// First day of the term.
    pub term_start: NaiveDate,
    /// Last day of the term.
    pub term_end: NaiveDate,
    /// When it was registered.
    pub registered_at: Option<DateTime<Utc>>,
    /// Codes issued or last extended by this line.
    pub activation_codes: Vec<CodeRecord>,
    /// The SaaS instance it provisioned.
    pub saas: Option<SaasRecord>,
}

/// Everything an account holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountProducts {
    /// Registered lines, oldest registration first.
    pub lines: Vec<ProductLine>,
    /// Codes of the account that no registered line of it carries (e.g. issued by a line
    /// later registered elsewhere, or imported).
    pub other_codes: Vec<CodeRecord>,
}

struct LineRow {
    id: i64,
    order_number: String,
    sku: String,
    seats: i32,
    term_start: NaiveDate,
    term_end: NaiveDate,
    registered_at: Option<DateTime<Utc>>,
}

impl FromRow for LineRow {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            id: row.i64("id")?,
            order_number: row.string("order_number")?,
            sku: row.string("sku")?,
            seats: row.i32("seats")?,
            term_start: row.date("term_start")?,
            term_end: row.date("term_end")?,
            registered_at: row.opt_timestamp("registered_at")?,
        })
    }
}

/// A SaaS instance of [`products_of_account`].
struct InstanceRow {
    service: String,
    line_id: i64,
    status: String,
}

impl FromRow for InstanceRow {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            service: row.string("service")?,
            line_id: row.i64("line_id")?,
            status: row.string("status")?,
        })
    }
}

/// [`products_of_account`]'s lines: each registered line of the account with the number of its
/// order, looked up by primary key per line. A join leaves PostgreSQL free to plan a hash join
/// over a sequential scan of every order (the estimate of an account's lines is rough and a
/// custom plan for a large account picks it): 35 ms instead of about 2 at 1,000 lines of
/// 500,000 (docs/benchmarks.md).
const PRODUCT_LINES_SQL: &str = "SELECT l.id, \
(SELECT o.order_number FROM orders o WHERE o.id = l.order_id) AS order_number, \
l.sku, l.seats, l.term_start, l.term_end, l.registered_at \
FROM order_lines l WHERE l.registered_account_id = ";

/// The order of [`PRODUCT_LINES_SQL`]'s rows.
const PRODUCT_LINES_ORDER: &str = " ORDER BY l.registered_at, l.id";

/// Every registered line of the account (with its order's number), its codes and SaaS
/// instances: three queries, whatever the number of lines.
pub async fn products_of_account(
    conn: &impl RowSource,
    id: AccountId,
) -> Result<AccountProducts, DbErr> {
    let lines = Statement::from_sql_and_values(
        conn.backend(),
        match conn.backend() {
            DbBackend::Postgres => format!("{PRODUCT_LINES_SQL}$1{PRODUCT_LINES_ORDER}"),
            _ => format!("{PRODUCT_LINES_SQL}?{PRODUCT_LINES_ORDER}"),
        },
        [id.0.into()],
    );
    let lines: Vec<LineRow> = conn.rows(lines).await?;
    let codes = CodeRow::of_account(id.0)
        .order_by_asc(activation_code::Column::Id)
        .build(conn.backend());
    let codes: Vec<CodeRow> = conn.rows(codes).await?;
    let instances = saas_instance::Entity::find()
        .select_only()
        .column(saas_instance::Column::Service)
        .column(saas_instance::Column::LineId)
        .column(saas_instance::Column::Status)
        .filter(saas_instance::Column::AccountId.eq(id.0))
        .order_by_desc(saas_instance::Column::Id)
        .build(conn.backend());
    let instances: Vec<InstanceRow> = conn.rows(instances).await?;

    // Grouped by line once (a scan per line was quadratic: 1,000 lines x 1,000 codes).
    let mut by_line: std::collections::HashMap<i64, Vec<(usize, CodeRecord)>> =
        std::collections::HashMap::new();
    let mut unlinked: Vec<(usize, CodeRecord)> = Vec::new();
    for (index, c) in codes.into_iter().enumerate() {
        let record = CodeRecord {
            code: c.code,
            sku: c.sku,
            line_id: c.line_id,
            term_start: c.term_start,
            term_end: c.term_end,
        };
        match record.line_id {
            Some(line_id) => by_line.entry(line_id).or_default().push((index, record)),
            None => unlinked.push((index, record)),
        }
    }
    // The newest instance of each line (the rows come newest first).
    let mut saas_of_line: std::collections::HashMap<i64, &InstanceRow> =
        std::collections::HashMap::new();
    for instance in &instances {
        saas_of_line.entry(instance.line_id).or_insert(instance);
    }
    let mut out = AccountProducts::default();
    for line in lines {
        out.lines.push(ProductLine {
            line_id: line.id,
            order_number: line.order_number,
            sku: line.sku,
            seats: u32::try_from(line.seats).unwrap_or(0),
            term_start: line.term_start,
            term_end: line.term_end,
            registered_at: line.registered_at,
            activation_codes: by_line
                .remove(&line.id)
                .unwrap_or_default()
                .into_iter()
                .map(|(_, c)| c)
                .collect(),
            saas: saas_of_line.get(&line.id).map(|i| SaasRecord {
                service: i.service.clone(),
                line_id: i.line_id,
                active: i.status == "active",
            }),
        });
    }
    // Codes of no listed line, in id order as before.
    unlinked.extend(by_line.into_values().flatten());
    unlinked.sort_by_key(|(index, _)| *index);
    out.other_codes = unlinked.into_iter().map(|(_, c)| c).collect();
    Ok(out)
}

/// The order numbers of `order_ids` (one query), for the activity log.
pub async fn order_numbers(
    conn: &impl ConnectionTrait,
    order_ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    if order_ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(i64, String)> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .column(order::Column::OrderNumber)
        .filter(order::Column::Id.is_in(order_ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_starts_after_five_failures_and_doubles_to_the_cap() {
        assert_eq!(backoff_after(0), None);
        assert_eq!(backoff_after(4), None);
        assert_eq!(backoff_after(5), Some(Duration::seconds(1)));
        assert_eq!(backoff_after(6), Some(Duration::seconds(2)));
        assert_eq!(backoff_after(10), Some(Duration::seconds(32)));
        assert_eq!(backoff_after(14), Some(Duration::seconds(512)));
        assert_eq!(backoff_after(15), Some(Duration::seconds(900)));
        assert_eq!(backoff_after(200), Some(Duration::seconds(900)));
    }

    #[test]
    fn emails_and_login_ids_are_normalized() {
        assert_eq!(
            normalize_email("  Jane.Doe@ACME.example \n"),
            "jane.doe@acme.example"
        );
        assert_eq!(normalize_login_id(" Acme-IT "), "acme-it");
    }
}
