//! Order events and their fan-out: one `webhook` outbox message per active subscription of the
//! order's partner that listens to the event, and one `vision_one` message when an order with
//! XDR add-ons is activated. Call [`emit`] inside the transaction that causes the event, so the
//! messages exist exactly when the change does; a caller that has the order in memory builds
//! the messages with `order_messages` instead and writes them with its own in one insert.

use chrono::{DateTime, SecondsFormat, Utc};
use clp_domain::catalog::Catalog;
use clp_domain::order::Order;
use clp_domain::region::Region;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QueryTrait,
};
use serde_json::{Value, json};

use crate::entities::{account, order, order_line, product, webhook_subscription};
use crate::outbox::{self, NewMessage, OutboxKind};
use crate::rows::{FromRow, RowRead, RowSource};

/// Attempts of a webhook delivery before it is `failed`. With the worker's webhook back-off
/// (2 s doubling, capped at 1 h, ±20 %) the 34 waits between them add up to about a day
/// (4094 s until the cap, then 23 hourly waits: 24 h 8 min before jitter).
pub const WEBHOOK_MAX_ATTEMPTS: u32 = 35;

/// Attempts of a Vision One provisioning call before it is `failed`.
pub const VISION_ONE_MAX_ATTEMPTS: u32 = 12;

/// What happened to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// An account-based activation of the order completed (`order.activated`).
    OrderActivated,
    /// A line of the order was registered to an account (`line.registered`).
    LineRegistered,
    /// A pending activation of the order expired unverified (`activation.expired`).
    ActivationExpired,
    /// The partner cancelled the order (`order.cancelled`).
    OrderCancelled,
    /// A registered line of the order ends in 60, 30 or 7 days (`license.expiring`).
    LicenseExpiring,
    /// A registered line of the order has ended (`license.expired`).
    LicenseExpired,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 6] = [
        EventKind::OrderActivated,
        EventKind::LineRegistered,
        EventKind::ActivationExpired,
        EventKind::OrderCancelled,
        EventKind::LicenseExpiring,
        EventKind::LicenseExpired,
    ];

    /// The dotted wire name, as partners subscribe to it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrderActivated => "order.activated",
            Self::LineRegistered => "line.registered",
            Self::ActivationExpired => "activation.expired",
            Self::OrderCancelled => "order.cancelled",
            Self::LicenseExpiring => "license.expiring",
            Self::LicenseExpired => "license.expired",
        }
    }

    /// Parses a dotted wire name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// One event of an order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderEvent {
    /// What happened.
    pub kind: EventKind,
    /// The order.
    pub order_id: i64,
    /// The partner that sold the order (its subscriptions receive the event).
    pub partner_id: i64,
    /// The account concerned, when there is one.
    pub account_id: Option<i64>,
    /// Event-specific data (line ids, activation id...); never a key in full.
    pub data: Value,
}

/// A new Standard Webhooks message id: `msg_` and a random UUID.
pub fn new_event_id() -> String {
    format!("msg_{}", uuid::Uuid::new_v4().simple())
}

/// Writes the outbox messages of `event`: one `webhook` message per active subscription of the
/// partner listening to the event (payload `{id, type, timestamp, data}`, `event_id` shared by
/// every retry), and one `vision_one` message for `order.activated` when the order holds XDR
/// add-ons.
pub async fn emit(
    conn: &impl ConnectionTrait,
    event: &OrderEvent,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    emit_all(conn, std::slice::from_ref(event), now).await
}

/// [`emit`] for several events, in order; the order number and the partner's subscriptions
/// are read once for consecutive events of the same order (an activation emits one event for
/// the order and one a line), and every message goes in one multi-row insert.
pub async fn emit_all(
    conn: &impl ConnectionTrait,
    events: &[OrderEvent],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut messages = Vec::new();
    let mut loaded: Option<(i64, i64, Option<String>, Subscriptions)> = None;
    for event in events {
        let fresh = loaded.as_ref().is_some_and(|(order_id, partner_id, _, _)| {
            *order_id == event.order_id && *partner_id == event.partner_id
        });
        if !fresh {
            let order_number = order::Entity::find_by_id(event.order_id)
                .one(conn)
                .await?
                .map(|row| row.order_number);
            let subscriptions = active_subscriptions(conn, event.partner_id).await?;
            loaded = Some((
                event.order_id,
                event.partner_id,
                order_number,
                subscriptions,
            ));
        }
        if let Some((_, _, order_number, subscriptions)) = &loaded {
            messages.extend(webhook_messages(
                event,
                order_number.as_deref(),
                subscriptions,
                now,
            ));
            if event.kind == EventKind::OrderActivated
                && let Some(message) = read_vision_one(conn, event, order_number, now).await?
            {
                messages.push(message);
            }
        }
    }
    outbox::enqueue_all(conn, messages, now).await
}

/// The outbox messages of `events`, all of `order` (loaded by the caller, so neither the
/// order nor its lines are read again), in [`emit_all`]'s order: reads the partner's active
/// subscriptions once. The Vision One call of `order.activated` lists the order's XDR add-ons
/// by `catalog` and gives `xdr_region`, the account's region after the event. The caller
/// writes the messages (with its own, in one insert).
pub(crate) async fn order_messages(
    conn: &impl RowSource,
    catalog: &Catalog,
    order: &Order,
    events: &[OrderEvent],
    xdr_region: Option<Region>,
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, DbErr> {
    let subscriptions = active_subscriptions(conn, order.partner_id).await?;
    let mut messages = Vec::new();
    for event in events {
        messages.extend(webhook_messages(
            event,
            Some(&order.order_number),
            &subscriptions,
            now,
        ));
        if event.kind == EventKind::OrderActivated {
            let addons = xdr_addons(catalog, order);
            if !addons.is_empty() {
                messages.push(vision_one_message(
                    event.account_id,
                    xdr_region.map(|r| r.as_str().to_owned()),
                    Some(&order.order_number),
                    addons,
                    now,
                ));
            }
        }
    }
    Ok(messages)
}

/// The active webhook subscriptions of a partner, in creation order.
struct Subscriptions(Vec<webhook_subscription::Model>);

async fn active_subscriptions(
    conn: &impl RowSource,
    partner_id: i64,
) -> Result<Subscriptions, DbErr> {
    let select = webhook_subscription::Entity::find()
        .filter(webhook_subscription::Column::PartnerId.eq(partner_id))
        .filter(webhook_subscription::Column::Active.eq(true))
        .order_by_asc(webhook_subscription::Column::Id)
        .build(conn.backend());
    conn.rows(select).await.map(Subscriptions)
}

impl FromRow for webhook_subscription::Model {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            id: row.i64("id")?,
            public_id: row.string("public_id")?,
            partner_id: row.i64("partner_id")?,
            url: row.string("url")?,
            events: row.string("events")?,
            secret: row.string("secret")?,
            active: row.bool("active")?,
            created_at: row.timestamp("created_at")?,
        })
    }
}

/// The webhook messages of `event`: one per subscription listening to it, each with its own
/// event id.
fn webhook_messages(
    event: &OrderEvent,
    order_number: Option<&str>,
    subscriptions: &Subscriptions,
    now: DateTime<Utc>,
) -> Vec<NewMessage> {
    let mut data = json!({ "order_number": order_number });
    if let Some(account_id) = event.account_id {
        data["account_id"] = json!(account_id);
    }
    if let (Value::Object(target), Value::Object(extra)) = (&mut data, &event.data) {
        for (key, value) in extra {
            target.insert(key.clone(), value.clone());
        }
    }
    let timestamp = now.to_rfc3339_opts(SecondsFormat::Secs, true);

    let mut messages = Vec::new();
    for subscription in &subscriptions.0 {
        let events: Vec<String> = serde_json::from_str(&subscription.events).unwrap_or_default();
        if !events.iter().any(|name| name == event.kind.as_str()) {
            continue;
        }
        // One id per subscription and event: retries of a delivery carry the same id, two
        // subscriptions receive two distinct messages.
        let event_id = new_event_id();
        let payload = json!({
            "id": event_id,
            "type": event.kind.as_str(),
            "timestamp": timestamp,
            "data": data,
        });
        messages.push(NewMessage {
            kind: OutboxKind::Webhook,
            payload,
            max_attempts: WEBHOOK_MAX_ATTEMPTS,
            subscription_id: Some(subscription.id),
            event_id: Some(event_id),
        });
    }
    messages
}

/// The SKUs of the XDR add-ons among the lines of `order` (registered or not), sorted, each
/// once.
fn xdr_addons(catalog: &Catalog, order: &Order) -> Vec<String> {
    let mut addons: Vec<String> = order
        .lines
        .iter()
        .filter(|line| catalog.get(&line.sku).is_some_and(|p| p.xdr_addon))
        .map(|line| line.sku.clone())
        .collect();
    addons.sort_unstable();
    addons.dedup();
    addons
}

/// The Vision One provisioning call of an activated order.
fn vision_one_message(
    account_id: Option<i64>,
    region: Option<String>,
    order_number: Option<&str>,
    addons: Vec<String>,
    now: DateTime<Utc>,
) -> NewMessage {
    let event_id = new_event_id();
    NewMessage {
        kind: OutboxKind::VisionOne,
        payload: json!({
            "id": event_id,
            "type": "xdr.provision",
            "timestamp": now.to_rfc3339_opts(SecondsFormat::Secs, true),
            "account_id": account_id,
            "region": region,
            "order_number": order_number,
            "addons": addons,
        }),
        max_attempts: VISION_ONE_MAX_ATTEMPTS,
        subscription_id: None,
        event_id: Some(event_id),
    }
}

/// [`vision_one_message`] of an `order.activated` event, reading the order's lines, the
/// products and the account's region; `None` when the order has no XDR add-on.
async fn read_vision_one(
    conn: &impl ConnectionTrait,
    event: &OrderEvent,
    order_number: &Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<NewMessage>, DbErr> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(event.order_id))
        .order_by_asc(order_line::Column::LineNo)
        .all(conn)
        .await?;
    let skus: Vec<String> = lines.iter().map(|line| line.sku.clone()).collect();
    let addons: Vec<String> = product::Entity::find()
        .filter(product::Column::Sku.is_in(skus))
        .filter(product::Column::XdrAddon.eq(true))
        .order_by_asc(product::Column::Sku)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.sku)
        .collect();
    if addons.is_empty() {
        return Ok(None);
    }
    let region = match event.account_id {
        Some(id) => account::Entity::find_by_id(id)
            .one(conn)
            .await?
            .and_then(|row| row.xdr_region),
        None => None,
    }
    // The completing transaction may set the account's region after emitting: the event says it.
    .or_else(|| {
        event
            .data
            .get("xdr_region")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    Ok(Some(vision_one_message(
        event.account_id,
        region,
        order_number.as_deref(),
        addons,
        now,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_kinds_round_trip_their_wire_names() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("order.created"), None);
    }

    #[test]
    fn event_ids_follow_standard_webhooks() {
        let id = new_event_id();
        assert!(id.starts_with("msg_"));
        assert_ne!(id, new_event_id());
    }
}
