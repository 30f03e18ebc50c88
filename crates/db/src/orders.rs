//! Orders (license certificates) and their lines: insertion and loading as domain `Order`s.

use chrono::{DateTime, NaiveDate, Utc};
use clp_domain::account::AccountId;
use clp_domain::order::{EndCustomer, LineRegistration, Order, OrderLine, OrderType, SuiteComponent};
use clp_domain::{ActivationCode, RegistrationKey};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use crate::entities::{line_component, order, order_line};

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
    })
    .exec(conn)
    .await?;
    let order_id = inserted.last_insert_id;
    for (index, line) in new.lines.iter().enumerate() {
        let line_no = i32::try_from(index + 1).map_err(|_| DbErr::Custom("too many lines".into()))?;
        let seats = i32::try_from(line.seats).map_err(|_| DbErr::Custom("too many seats".into()))?;
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
                retained_ac: Set(component.retained_ac.as_ref().map(|ac| ac.as_str().to_owned())),
            })
            .exec(conn)
            .await?;
        }
    }
    find_order(conn, order_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("order just inserted".into()))
}

/// Loads the order that holds the registration key `key`, if any.
pub async fn find_order_by_key(
    conn: &impl ConnectionTrait,
    key: &RegistrationKey,
) -> Result<Option<Order>, DbErr> {
    let line = order_line::Entity::find()
        .filter(order_line::Column::RegistrationKey.eq(key.as_str()))
        .one(conn)
        .await?;
    match line {
        Some(line) => find_order(conn, line.order_id).await,
        None => Ok(None),
    }
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

/// Loads an order by id.
pub async fn find_order(conn: &impl ConnectionTrait, order_id: i64) -> Result<Option<Order>, DbErr> {
    match order::Entity::find_by_id(order_id).one(conn).await? {
        Some(row) => load_lines(conn, row).await.map(Some),
        None => Ok(None),
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
    })
}
