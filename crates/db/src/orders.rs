//! Orders (license certificates) and their lines: insertion and loading as domain `Order`s.

use chrono::{DateTime, NaiveDate, Utc};
use clp_domain::account::AccountId;
use clp_domain::order::{
    EndCustomer, LineRegistration, Order, OrderLine, OrderType, SuiteComponent,
};
use clp_domain::{ActivationCode, RegistrationKey};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QueryTrait, Statement,
};

use crate::entities::{line_component, order, order_line};
use crate::rows::{FromRow, RowRead, RowSource};

/// The stored state of an order (`orders.status`): `unregistered`, `partially_registered`
/// and `registered` follow its lines (set in the transactions that register them, see
/// [`refresh_status`]); `cancelled` is set once by [`crate::order_admin::cancel_order`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderState {
    /// No line registered.
    Unregistered,
    /// Some lines registered.
    PartiallyRegistered,
    /// Every line registered.
    Registered,
    /// Cancelled by the partner.
    Cancelled,
}

impl OrderState {
    /// Every state.
    pub const ALL: [OrderState; 4] = [
        OrderState::Unregistered,
        OrderState::PartiallyRegistered,
        OrderState::Registered,
        OrderState::Cancelled,
    ];

    /// Stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unregistered => "unregistered",
            Self::PartiallyRegistered => "partially_registered",
            Self::Registered => "registered",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses the stored text.
    pub fn parse(text: &str) -> Result<Self, DbErr> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| DbErr::Custom(format!("unknown order status {text:?}")))
    }
}

/// A line to insert: the keys are already generated and checked by the caller.
#[derive(Debug, Clone)]
pub struct NewLine {
    /// Product SKU.
    pub sku: String,
    /// Seats bought.
    pub seats: u32,
    /// First day of the term.
    pub term_start: NaiveDate,
    /// Last day of the term.
    pub term_end: NaiveDate,
    /// The line's registration key.
    pub registration_key: RegistrationKey,
    /// Suite components, with retained ACs.
    pub components: Vec<SuiteComponent>,
    /// The AC a renewal line renews.
    pub renews_ac: Option<ActivationCode>,
}

/// An order to insert.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// Selling partner.
    pub partner_id: i64,
    /// Partner's order number.
    pub order_number: String,
    /// `new` or `renewal`.
    pub order_type: OrderType,
    /// Purchase date.
    pub purchase_date: NaiveDate,
    /// End customer.
    pub end_customer: EndCustomer,
    /// Lines, in certificate order.
    pub lines: Vec<NewLine>,
}

/// Stored text of an order type.
pub fn order_type_str(order_type: OrderType) -> &'static str {
    match order_type {
        OrderType::New => "new",
        OrderType::Renewal => "renewal",
    }
}

fn parse_order_type(text: &str) -> Result<OrderType, DbErr> {
    match text {
        "new" => Ok(OrderType::New),
        "renewal" => Ok(OrderType::Renewal),
        other => Err(DbErr::Custom(format!("unknown order type {other:?}"))),
    }
}

fn corrupt(what: &str) -> DbErr {
    DbErr::Custom(format!("stored {what} is not well-formed"))
}

/// Inserts an order with its lines and components. Unique indexes reject a duplicate order
/// number for the partner and a duplicate registration key. Run it inside a transaction.
pub async fn insert_order(
    conn: &impl ConnectionTrait,
    new: &NewOrder,
    now: DateTime<Utc>,
) -> Result<Order, DbErr> {
    let inserted = order::Entity::insert(order::ActiveModel {
        id: NotSet,
        partner_id: Set(new.partner_id),
        order_number: Set(new.order_number.clone()),
        order_type: Set(order_type_str(new.order_type).to_owned()),
        purchase_date: Set(new.purchase_date),
        company: Set(new.end_customer.company.clone()),
        contact_name: Set(new.end_customer.contact_name.clone()),
        contact_email: Set(new.end_customer.contact_email.clone()),
        country: Set(new.end_customer.country.clone()),
        created_at: Set(now),
        status: Set(OrderState::Unregistered.as_str().to_owned()),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
    })
    .exec(conn)
    .await?;
    let order_id = inserted.last_insert_id;
    for (index, line) in new.lines.iter().enumerate() {
        let line_no =
            i32::try_from(index + 1).map_err(|_| DbErr::Custom("too many lines".into()))?;
        let seats =
            i32::try_from(line.seats).map_err(|_| DbErr::Custom("too many seats".into()))?;
        let line_row = order_line::Entity::insert(order_line::ActiveModel {
            id: NotSet,
            order_id: Set(order_id),
            line_no: Set(line_no),
            sku: Set(line.sku.clone()),
            seats: Set(seats),
            term_start: Set(line.term_start),
            term_end: Set(line.term_end),
            registration_key: Set(line.registration_key.as_str().to_owned()),
            renews_ac: Set(line.renews_ac.as_ref().map(|ac| ac.as_str().to_owned())),
            registered_account_id: Set(None),
            registered_at: Set(None),
        })
        .exec(conn)
        .await?;
        for component in &line.components {
            line_component::Entity::insert(line_component::ActiveModel {
                id: NotSet,
                line_id: Set(line_row.last_insert_id),
                sku: Set(component.sku.clone()),
                retained_ac: Set(component
                    .retained_ac
                    .as_ref()
                    .map(|ac| ac.as_str().to_owned())),
            })
            .exec(conn)
            .await?;
        }
    }
    find_order(conn, order_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("order just inserted".into()))
}

/// One row of [`find_order_by_key`]'s join: a line of the order (with its order's columns)
/// and one of its components, if any.
#[derive(Debug)]
struct OrderLineRow {
    order_id: i64,
    partner_id: i64,
    order_number: String,
    order_type: String,
    purchase_date: NaiveDate,
    company: String,
    contact_name: String,
    contact_email: String,
    country: String,
    status: String,
    line_id: i64,
    line_no: i32,
    sku: String,
    seats: i32,
    term_start: NaiveDate,
    term_end: NaiveDate,
    registration_key: String,
    renews_ac: Option<String>,
    registered_account_id: Option<i64>,
    registered_at: Option<DateTime<Utc>>,
    component_sku: Option<String>,
    retained_ac: Option<String>,
}

impl FromRow for OrderLineRow {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            order_id: row.i64("order_id")?,
            partner_id: row.i64("partner_id")?,
            order_number: row.string("order_number")?,
            order_type: row.string("order_type")?,
            purchase_date: row.date("purchase_date")?,
            company: row.string("company")?,
            contact_name: row.string("contact_name")?,
            contact_email: row.string("contact_email")?,
            country: row.string("country")?,
            status: row.string("status")?,
            line_id: row.i64("line_id")?,
            line_no: row.i32("line_no")?,
            sku: row.string("sku")?,
            seats: row.i32("seats")?,
            term_start: row.date("term_start")?,
            term_end: row.date("term_end")?,
            registration_key: row.string("registration_key")?,
            renews_ac: row.opt_string("renews_ac")?,
            registered_account_id: row.opt_i64("registered_account_id")?,
            registered_at: row.opt_timestamp("registered_at")?,
            component_sku: row.opt_string("component_sku")?,
            retained_ac: row.opt_string("retained_ac")?,
        })
    }
}

/// The columns of [`OrderLineRow`].
macro_rules! order_columns {
    () => {
        "SELECT o.id AS order_id, o.partner_id, o.order_number, \
o.order_type, o.purchase_date, o.company, o.contact_name, o.contact_email, o.country, \
o.status, l.id AS line_id, l.line_no, l.sku, l.seats, l.term_start, l.term_end, l.registration_key, \
l.renews_ac, l.registered_account_id, l.registered_at, \
c.sku AS component_sku, c.retained_ac "
    };
}

/// [`find_order_by_key`]'s statement: the key's line (unique index) -> its order -> every line
/// of the order (index on `order_id`) -> their components (index on `line_id`).
const ORDER_BY_KEY_SQL: &str = concat!(
    order_columns!(),
    "FROM order_lines k \
JOIN orders o ON o.id = k.order_id \
JOIN order_lines l ON l.order_id = o.id \
LEFT JOIN line_components c ON c.line_id = l.id \
WHERE k.registration_key = "
);

/// [`find_order`]'s statement.
const ORDER_BY_ID_SQL: &str = concat!(
    order_columns!(),
    "FROM orders o \
JOIN order_lines l ON l.order_id = o.id \
LEFT JOIN line_components c ON c.line_id = l.id \
WHERE o.id = "
);

/// Loads the order that holds the registration key `key`, if any, in one indexed query (the
/// preview runs it for every request, through [`crate::Database::reads`]: on a SQLite file,
/// the synchronous reader).
pub async fn find_order_by_key(
    source: &impl RowSource,
    key: &RegistrationKey,
) -> Result<Option<Order>, DbErr> {
    find_order_where(source, ORDER_BY_KEY_SQL, key.as_str().into()).await
}

/// Runs an order statement (`sql` ends with the comparison awaiting `value`) and builds the
/// order of its rows; `None` when there is no row.
async fn find_order_where(
    source: &impl RowSource,
    sql: &str,
    value: sea_orm::Value,
) -> Result<Option<Order>, DbErr> {
    let backend = source.backend();
    let placeholder = match backend {
        DbBackend::Postgres => "$1",
        _ => "?",
    };
    let sql = format!("{sql}{placeholder} ORDER BY l.line_no, l.id, c.id");
    let rows: Vec<OrderLineRow> = source
        .rows(Statement::from_sql_and_values(backend, sql, [value]))
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let head = order::Model {
        id: first.order_id,
        partner_id: first.partner_id,
        order_number: first.order_number.clone(),
        order_type: first.order_type.clone(),
        purchase_date: first.purchase_date,
        company: first.company.clone(),
        contact_name: first.contact_name.clone(),
        contact_email: first.contact_email.clone(),
        country: first.country.clone(),
        status: first.status.clone(),
        // Not part of the domain order.
        created_at: DateTime::<Utc>::MIN_UTC,
        cancelled_at: None,
        cancel_reason: None,
    };
    let mut lines: Vec<order_line::Model> = Vec::new();
    let mut components: Vec<line_component::Model> = Vec::new();
    for row in rows {
        if lines.last().is_none_or(|l| l.id != row.line_id) {
            lines.push(order_line::Model {
                id: row.line_id,
                order_id: row.order_id,
                line_no: row.line_no,
                sku: row.sku,
                seats: row.seats,
                term_start: row.term_start,
                term_end: row.term_end,
                registration_key: row.registration_key,
                renews_ac: row.renews_ac,
                registered_account_id: row.registered_account_id,
                registered_at: row.registered_at,
            });
        }
        if let Some(sku) = row.component_sku {
            components.push(line_component::Model {
                id: 0,
                line_id: row.line_id,
                sku,
                retained_ac: row.retained_ac,
            });
        }
    }
    build_order(head, lines, &components).map(Some)
}

/// Loads a partner's order by its order number.
pub async fn find_order_by_number(
    conn: &impl ConnectionTrait,
    partner_id: i64,
    order_number: &str,
) -> Result<Option<Order>, DbErr> {
    let row = order::Entity::find()
        .filter(order::Column::PartnerId.eq(partner_id))
        .filter(order::Column::OrderNumber.eq(order_number))
        .one(conn)
        .await?;
    match row {
        Some(row) => load_lines(conn, row).await.map(Some),
        None => Ok(None),
    }
}

/// Loads an order by id: one query (like [`find_order_by_key`]) for an order with lines.
pub async fn find_order(source: &impl RowSource, order_id: i64) -> Result<Option<Order>, DbErr> {
    if let Some(order) = find_order_where(source, ORDER_BY_ID_SQL, order_id.into()).await? {
        return Ok(Some(order));
    }
    // No row: no such order, or one without lines.
    let head = order::Entity::find_by_id(order_id).build(source.backend());
    let heads: Vec<order::Model> = source.rows(head).await?;
    match heads.into_iter().next() {
        Some(row) => build_order(row, Vec::new(), &[]).map(Some),
        None => Ok(None),
    }
}

impl FromRow for order::Model {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            id: row.i64("id")?,
            partner_id: row.i64("partner_id")?,
            order_number: row.string("order_number")?,
            order_type: row.string("order_type")?,
            purchase_date: row.date("purchase_date")?,
            company: row.string("company")?,
            contact_name: row.string("contact_name")?,
            contact_email: row.string("contact_email")?,
            country: row.string("country")?,
            created_at: row.timestamp("created_at")?,
            status: row.string("status")?,
            cancelled_at: row.opt_timestamp("cancelled_at")?,
            cancel_reason: row.opt_string("cancel_reason")?,
        })
    }
}

async fn load_lines(conn: &impl ConnectionTrait, row: order::Model) -> Result<Order, DbErr> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(row.id))
        .order_by_asc(order_line::Column::LineNo)
        .all(conn)
        .await?;
    let line_ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
    let components = if line_ids.is_empty() {
        Vec::new()
    } else {
        line_component::Entity::find()
            .filter(line_component::Column::LineId.is_in(line_ids))
            .order_by_asc(line_component::Column::Id)
            .all(conn)
            .await?
    };
    build_order(row, lines, &components)
}

/// The domain order of an order row, its lines (by line number) and their components.
fn build_order(
    row: order::Model,
    lines: Vec<order_line::Model>,
    components: &[line_component::Model],
) -> Result<Order, DbErr> {
    let mut out_lines = Vec::with_capacity(lines.len());
    for line in lines {
        let parts = components
            .iter()
            .filter(|c| c.line_id == line.id)
            .map(|c| {
                Ok(SuiteComponent {
                    sku: c.sku.clone(),
                    retained_ac: c
                        .retained_ac
                        .as_deref()
                        .map(ActivationCode::parse)
                        .transpose()
                        .map_err(|_| corrupt("retained AC"))?,
                })
            })
            .collect::<Result<Vec<_>, DbErr>>()?;
        let registration = match (line.registered_account_id, line.registered_at) {
            (Some(account), Some(at)) => Some(LineRegistration {
                account_id: AccountId(account),
                registered_at: at,
            }),
            _ => None,
        };
        out_lines.push(OrderLine {
            id: line.id,
            line_no: u32::try_from(line.line_no).map_err(|_| corrupt("line number"))?,
            sku: line.sku,
            seats: u32::try_from(line.seats).map_err(|_| corrupt("seats"))?,
            term_start: line.term_start,
            term_end: line.term_end,
            registration_key: RegistrationKey::parse(&line.registration_key)
                .map_err(|_| corrupt("registration key"))?,
            components: parts,
            renews_ac: line
                .renews_ac
                .as_deref()
                .map(ActivationCode::parse)
                .transpose()
                .map_err(|_| corrupt("renewed AC"))?,
            registration,
        });
    }
    let cancelled = OrderState::parse(&row.status)? == OrderState::Cancelled;
    Ok(Order {
        id: row.id,
        order_number: row.order_number,
        order_type: parse_order_type(&row.order_type)?,
        purchase_date: row.purchase_date,
        partner_id: row.partner_id,
        end_customer: EndCustomer {
            company: row.company,
            contact_name: row.contact_name,
            contact_email: row.contact_email,
            country: row.country,
        },
        lines: out_lines,
        cancelled,
    })
}
