//! What an account holds (ACs, SaaS instances, XDR region), owners of activation codes, and
//! the candidate accounts for existing-account hints.

use clp_domain::ActivationCode;
use clp_domain::Lang;
use clp_domain::account::{AcOwner, AccountId, AccountSummary, HeldCode, HeldSaas, Holdings};
use clp_domain::mask::{email_domain, is_public_mail_domain, normalize_company};
use clp_domain::order::Order;
use sea_orm::{
    ColumnTrait, DbBackend, DbErr, EntityTrait, JoinType, QueryFilter, QuerySelect, QueryTrait,
    Statement,
};

use crate::entities::{account, activation_code, order_line, saas_instance};
use crate::rows::{FromRow, RowRead, RowSource};

/// How many candidate accounts a hint lookup returns at most.
const HINT_CANDIDATE_LIMIT: u64 = 20;

/// Loads the holdings of an account, or `None` when the account does not exist.
pub async fn load_holdings(
    source: &impl RowSource,
    account_id: AccountId,
) -> Result<Option<Holdings>, DbErr> {
    let Some(row) = find_account_head(source, account_id).await? else {
        return Ok(None);
    };
    holdings_of(source, &row).await.map(Some)
}

/// The columns of an account that an activation reads: who it is and its XDR region.
pub(crate) struct AccountHead {
    pub(crate) id: i64,
    pub(crate) email: String,
    pub(crate) full_name: String,
    pub(crate) language: Lang,
    pub(crate) xdr_region: Option<String>,
}

impl FromRow for AccountHead {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            id: row.i64("id")?,
            email: row.string("email")?,
            full_name: row.string("full_name")?,
            language: crate::language::stored_lang(&row.string("language")?),
            xdr_region: row.opt_string("xdr_region")?,
        })
    }
}

/// Reads an account's [`AccountHead`], `None` when there is no such account.
pub(crate) async fn find_account_head(
    source: &impl RowSource,
    account_id: AccountId,
) -> Result<Option<AccountHead>, DbErr> {
    let statement = account::Entity::find_by_id(account_id.0)
        .select_only()
        .column(account::Column::Id)
        .column(account::Column::Email)
        .column(account::Column::FullName)
        .column(account::Column::Language)
        .column(account::Column::XdrRegion)
        .build(source.backend());
    let rows: Vec<AccountHead> = source.rows(statement).await?;
    Ok(rows.into_iter().next())
}

/// The holdings of the account whose row the caller has just read (so a caller that needs
/// more of the row reads it once): two more reads, its codes and its active SaaS instances
/// with their orders.
pub(crate) async fn holdings_of(
    source: &impl RowSource,
    row: &AccountHead,
) -> Result<Holdings, DbErr> {
    let xdr_region = row
        .xdr_region
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|_| DbErr::Custom("stored XDR region is unknown".into()))?;
    let codes = CodeRow::of_account(row.id).build(source.backend());
    let codes: Vec<CodeRow> = source.rows(codes).await?;
    let activation_codes = codes
        .into_iter()
        .map(|c| {
            Ok(HeldCode {
                code: ActivationCode::parse(&c.code).map_err(|_| {
                    DbErr::Custom("stored activation code is not well-formed".into())
                })?,
                sku: c.sku,
                term_end: c.term_end,
                line_id: c.line_id,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    // The instances joined to their lines, for the orders (one query).
    let to_line = saas_instance::Entity::belongs_to(order_line::Entity)
        .from(saas_instance::Column::LineId)
        .to(order_line::Column::Id)
        .into();
    let instances = saas_instance::Entity::find()
        .select_only()
        .column(saas_instance::Column::Service)
        .column(saas_instance::Column::LineId)
        .column_as(order_line::Column::OrderId, "order_id")
        .join(JoinType::LeftJoin, to_line)
        .filter(saas_instance::Column::AccountId.eq(row.id))
        .filter(saas_instance::Column::Status.eq("active"))
        .build(source.backend());
    let instances: Vec<InstanceRow> = source.rows(instances).await?;
    let saas_instances = instances
        .into_iter()
        .map(|i| HeldSaas {
            order_id: i.order_id.unwrap_or(0),
            service: i.service,
            line_id: i.line_id,
        })
        .collect();
    Ok(Holdings {
        account_id: AccountId(row.id),
        xdr_region,
        activation_codes,
        saas_instances,
    })
}

/// The columns of an activation code that [`holdings_of`] and
/// [`crate::accounts::products_of_account`] read.
pub(crate) struct CodeRow {
    pub(crate) code: String,
    pub(crate) sku: String,
    pub(crate) line_id: Option<i64>,
    pub(crate) term_start: chrono::NaiveDate,
    pub(crate) term_end: chrono::NaiveDate,
}

impl CodeRow {
    /// The codes of the account `account_id`, as a select of [`CodeRow`]'s columns.
    pub(crate) fn of_account(account_id: i64) -> sea_orm::Select<activation_code::Entity> {
        activation_code::Entity::find()
            .select_only()
            .column(activation_code::Column::Code)
            .column(activation_code::Column::Sku)
            .column(activation_code::Column::LineId)
            .column(activation_code::Column::TermStart)
            .column(activation_code::Column::TermEnd)
            .filter(activation_code::Column::AccountId.eq(account_id))
    }
}

impl FromRow for CodeRow {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            code: row.string("code")?,
            sku: row.string("sku")?,
            line_id: row.opt_i64("line_id")?,
            term_start: row.date("term_start")?,
            term_end: row.date("term_end")?,
        })
    }
}

/// An active SaaS instance of [`holdings_of`] with the order of its line.
struct InstanceRow {
    service: String,
    line_id: i64,
    order_id: Option<i64>,
}

impl FromRow for InstanceRow {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            service: row.string("service")?,
            line_id: row.i64("line_id")?,
            order_id: row.opt_i64("order_id")?,
        })
    }
}

/// The owners of the given activation codes (codes nobody owns are left out), in one query:
/// the codes joined to their owners.
pub async fn find_ac_owners(
    source: &impl RowSource,
    codes: &[ActivationCode],
) -> Result<Vec<AcOwner>, DbErr> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let to_account = activation_code::Entity::belongs_to(account::Entity)
        .from(activation_code::Column::AccountId)
        .to(account::Column::Id)
        .into();
    let statement = activation_code::Entity::find()
        .select_only()
        .column(activation_code::Column::Code)
        .column(activation_code::Column::AccountId)
        .column_as(activation_code::Column::CreatedAt, "registered_at")
        .column_as(account::Column::Email, "email")
        .column_as(account::Column::Company, "company")
        .join(JoinType::InnerJoin, to_account)
        .filter(activation_code::Column::Code.is_in(codes.iter().map(|c| c.as_str().to_owned())))
        .build(source.backend());
    let rows: Vec<OwnerRow> = source.rows(statement).await?;
    rows.into_iter()
        .map(|row| {
            Ok(AcOwner {
                code: ActivationCode::parse(&row.code).map_err(|_| {
                    DbErr::Custom("stored activation code is not well-formed".into())
                })?,
                account: AccountSummary {
                    id: AccountId(row.account_id),
                    email: row.email,
                    company: row.company,
                },
                registered_at: Some(row.registered_at),
            })
        })
        .collect()
}

/// A code of [`find_ac_owners`] with its owner.
#[derive(Debug)]
struct OwnerRow {
    code: String,
    account_id: i64,
    registered_at: chrono::DateTime<chrono::Utc>,
    email: String,
    company: String,
}

impl FromRow for OwnerRow {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            code: row.string("code")?,
            account_id: row.i64("account_id")?,
            registered_at: row.timestamp("registered_at")?,
            email: row.string("email")?,
            company: row.string("company")?,
        })
    }
}

impl FromRow for AccountSummary {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            id: AccountId(row.i64("id")?),
            email: row.string("email")?,
            company: row.string("company")?,
        })
    }
}

/// Every AC an order refers to: retained ACs of suite components and renewed ACs.
pub fn referenced_codes(order: &Order) -> Vec<ActivationCode> {
    let mut codes = Vec::new();
    for line in &order.lines {
        codes.extend(line.components.iter().filter_map(|c| c.retained_ac.clone()));
        codes.extend(line.renews_ac.clone());
    }
    codes
}

/// Accounts that may belong to the order's end customer: the contact email, the email domain
/// (not for public mail domains) or the normalized company. The domain ranks and filters them.
pub async fn find_hint_candidates(
    source: &impl RowSource,
    order: &Order,
) -> Result<Vec<AccountSummary>, DbErr> {
    let contact = order.end_customer.contact_email.trim().to_lowercase();
    let mut conditions = vec![("email", contact.clone())];
    if let Some(domain) = email_domain(&contact)
        && !is_public_mail_domain(domain)
    {
        conditions.push(("email_domain", domain.to_owned()));
    }
    let company = normalize_company(&order.end_customer.company);
    if !company.is_empty() {
        conditions.push(("company_key", company));
    }
    let statement = hint_statement(source.backend(), conditions);
    source.rows(statement).await
}

/// The statement of [`find_hint_candidates`]: the accounts whose column equals the value of
/// any of `conditions`, at most [`HINT_CANDIDATE_LIMIT`]. The limit is part of the SQL, not a
/// bound value: SQLite plans with the value of a bound `LIMIT` and so prepares the statement
/// again every time it is bound (about 5 % of the server's time under preview load, in a
/// profile).
fn hint_statement(backend: DbBackend, conditions: Vec<(&str, String)>) -> Statement {
    // Only verified accounts: an address nobody proved to own hints at nothing.
    let mut sql =
        String::from("SELECT id, email, company FROM accounts WHERE email_verified AND (");
    for (index, (column, _)) in conditions.iter().enumerate() {
        if index > 0 {
            sql.push_str(" OR ");
        }
        sql.push_str(column);
        match backend {
            DbBackend::Postgres => sql.push_str(&format!(" = ${}", index + 1)),
            _ => sql.push_str(" = ?"),
        }
    }
    sql.push_str(&format!(") LIMIT {HINT_CANDIDATE_LIMIT}"));
    let values = conditions.into_iter().map(|(_, value)| value.into());
    Statement::from_sql_and_values(backend, sql, values)
}
