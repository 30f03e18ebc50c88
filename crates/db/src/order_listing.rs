//! The partner's order listing: keyset pagination on `(created_at, id)`, newest first.
//!
//! A page is one statement that walks the index `(partner_id, created_at DESC, id DESC)` (or,
//! filtered by status, `(partner_id, status, created_at DESC, id DESC)`) from the cursor and
//! stops after `limit` rows: its cost does not depend on how many orders the partner has, nor
//! on how deep the page is (no `OFFSET`). Orders inserted while a client walks the pages are
//! newer than its cursor: they never shift a page, so every order present when the walk began
//! is seen exactly once.

use chrono::{DateTime, NaiveDate, Utc};
use clp_domain::order::OrderType;
use sea_orm::{DbBackend, DbErr, Statement, Value};

use crate::orders::{OrderState, order_type_str};
use crate::rows::{FromRow, RowRead, RowSource};

/// The filters of a listing; every one given applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Only orders in this state.
    pub status: Option<OrderState>,
    /// Only orders of this type.
    pub order_type: Option<OrderType>,
    /// Only orders created at or after this time.
    pub created_after: Option<DateTime<Utc>>,
    /// Only orders created before this time.
    pub created_before: Option<DateTime<Utc>>,
    /// Text contained in the order number or the end customer's company, compared in lower
    /// case (ASCII case folding: SQLite's `lower`).
    pub text: Option<String>,
}

/// Where a page starts: after the order with this creation time and id (the last of the
/// previous page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListCursor {
    /// Creation time of the last order of the previous page.
    pub created_at: DateTime<Utc>,
    /// Its id.
    pub id: i64,
}

/// One order of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedOrder {
    /// Database id.
    pub id: i64,
    /// The partner's order number.
    pub order_number: String,
    /// New purchase or renewal.
    pub order_type: OrderType,
    /// Date of purchase.
    pub purchase_date: NaiveDate,
    /// End customer company.
    pub company: String,
    /// End customer contact.
    pub contact_name: String,
    /// End customer contact email.
    pub contact_email: String,
    /// End customer country.
    pub country: String,
    /// Stored state.
    pub status: OrderState,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Cancellation time.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Number of lines.
    pub line_count: u32,
    /// Number of registered lines.
    pub registered_count: u32,
}

impl ListedOrder {
    /// The cursor of the page after this order.
    pub fn cursor(&self) -> ListCursor {
        ListCursor {
            created_at: self.created_at,
            id: self.id,
        }
    }
}

impl FromRow for ListedOrder {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        let count = |column: &str| -> Result<u32, DbErr> {
            u32::try_from(row.i64(column)?)
                .map_err(|_| DbErr::Custom(format!("{column} out of range")))
        };
        Ok(Self {
            id: row.i64("id")?,
            order_number: row.string("order_number")?,
            order_type: match row.string("order_type")?.as_str() {
                "renewal" => OrderType::Renewal,
                "new" => OrderType::New,
                other => return Err(DbErr::Custom(format!("unknown order type {other:?}"))),
            },
            purchase_date: row.date("purchase_date")?,
            company: row.string("company")?,
            contact_name: row.string("contact_name")?,
            contact_email: row.string("contact_email")?,
            country: row.string("country")?,
            status: OrderState::parse(&row.string("status")?)?,
            created_at: row.timestamp("created_at")?,
            cancelled_at: row.opt_timestamp("cancelled_at")?,
            line_count: count("line_count")?,
            registered_count: count("registered_count")?,
        })
    }
}

/// The `LIKE` pattern matching `text` anywhere, with `\` escaping `%`, `_` and itself.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A statement under construction: SQL text and its values, with the backend's placeholders.
struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    /// Appends a placeholder for `value`.
    fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let n = self.values.len();
                self.text.push_str(&format!("${n}"));
            }
            _ => self.text.push('?'),
        }
        self
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }
}

/// One page of the partner's orders matching `filter`, newest first (`created_at`, then `id`,
/// descending), starting after `after`; at most `limit` orders.
pub async fn list_orders(
    source: &impl RowSource,
    partner_id: i64,
    filter: &OrderFilter,
    after: Option<ListCursor>,
    limit: u64,
) -> Result<Vec<ListedOrder>, DbErr> {
    let mut sql = Sql {
        backend: source.backend(),
        text: String::with_capacity(1024),
        values: Vec::new(),
    };
    sql.push(
        "SELECT o.id, o.order_number, o.order_type, o.purchase_date, o.company, \
o.contact_name, o.contact_email, o.country, o.status, o.created_at, o.cancelled_at, \
(SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) AS line_count, \
(SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id \
AND l.registered_account_id IS NOT NULL) AS registered_count \
FROM orders o WHERE o.partner_id = ",
    )
    .bind(partner_id);
    if let Some(status) = filter.status {
        sql.push(" AND o.status = ").bind(status.as_str());
    }
    if let Some(order_type) = filter.order_type {
        sql.push(" AND o.order_type = ")
            .bind(order_type_str(order_type));
    }
    if let Some(at) = filter.created_after {
        sql.push(" AND o.created_at >= ").bind(at);
    }
    if let Some(at) = filter.created_before {
        sql.push(" AND o.created_at < ").bind(at);
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !t.is_empty()) {
        let pattern = contains_pattern(text);
        sql.push(" AND (LOWER(o.order_number) LIKE ")
            .bind(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(o.company) LIKE ")
            .bind(pattern)
            .push(" ESCAPE '\\')");
    }
    if let Some(cursor) = after {
        sql.push(" AND (o.created_at, o.id) < (")
            .bind(cursor.created_at)
            .push(", ")
            .bind(cursor.id)
            .push(")");
    }
    sql.push(" ORDER BY o.created_at DESC, o.id DESC LIMIT ")
        .bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let Sql {
        backend,
        text,
        values,
    } = sql;
    source
        .rows(Statement::from_sql_and_values(backend, text, values))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_pattern_escapes_like_wildcards() {
        assert_eq!(contains_pattern("Acme"), "%acme%");
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
