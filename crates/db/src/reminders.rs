//! Reminders of a license's end: at 60, 30 and 7 days before the last day of a registered
//! line's term, and once the term has ended.
//!
//! Each (line, milestone) is sent once, whatever the number of server processes and however
//! late a sweeper runs: the row of `license_reminders` (unique on `line_id, milestone`) is
//! inserted with `ON CONFLICT DO NOTHING`, and only the rows a sweeper's insert returns are
//! emailed and announced, in the same transaction. A line is considered at the latest
//! milestone due (a sweeper that last ran 40 days before the end sends the 30-day reminder,
//! not the 60-day one too), and only while its term ended at most [`EXPIRED_GRACE_DAYS`]
//! ago: a term that ended long before this feature (or a long outage) is history, not news.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use clp_domain::Lang;
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{DbBackend, DbErr, Statement, TransactionTrait, Value};
use serde_json::json;

use crate::Database;
use crate::audit::{self, Actor, AuditEntry, AuditKind};
use crate::entities::license_reminder;
use crate::events::{self, EventKind, OrderEvent};
use crate::language::stored_lang;
use crate::outbox::{self, NewMessage};
use crate::rows::{FromRow, RowRead, RowSource};
use crate::writes::StatementWriter;

/// Days after a term's end during which its `expired` reminder is still sent.
pub const EXPIRED_GRACE_DAYS: u64 = 30;

/// A reminder milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Milestone {
    /// 60 days or fewer left.
    D60,
    /// 30 days or fewer left.
    D30,
    /// 7 days or fewer left.
    D7,
    /// The term has ended.
    Expired,
}

impl Milestone {
    /// Every milestone, in the order they come.
    pub const ALL: [Milestone; 4] = [
        Milestone::D60,
        Milestone::D30,
        Milestone::D7,
        Milestone::Expired,
    ];

    /// Stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::D60 => "d60",
            Self::D30 => "d30",
            Self::D7 => "d7",
            Self::Expired => "expired",
        }
    }

    /// Parses the stored text.
    pub fn parse(text: &str) -> Result<Self, DbErr> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == text)
            .ok_or_else(|| DbErr::Custom(format!("unknown reminder milestone {text:?}")))
    }

    /// The latest milestone due for a term with `days_left` days left (0 on its last day,
    /// negative once ended); `None` with more than 60 days left.
    pub const fn due(days_left: i64) -> Option<Milestone> {
        if days_left < 0 {
            Some(Self::Expired)
        } else if days_left <= 7 {
            Some(Self::D7)
        } else if days_left <= 30 {
            Some(Self::D30)
        } else if days_left <= 60 {
            Some(Self::D60)
        } else {
            None
        }
    }
}

/// A registered line that reached a milestone, with what its reminder says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    /// The line.
    pub line_id: i64,
    /// The milestone reached.
    pub milestone: Milestone,
    /// Days left on the day of the sweep (negative once ended).
    pub days_left: i64,
    /// Product SKU.
    pub sku: String,
    /// Seats.
    pub seats: u32,
    /// Last day of the term.
    pub term_end: NaiveDate,
    /// The order.
    pub order_id: i64,
    /// Its number.
    pub order_number: String,
    /// The partner that sold it.
    pub partner_id: i64,
    /// The partner's name.
    pub partner_name: String,
    /// The account the line is registered to.
    pub account_id: i64,
    /// Its email address.
    pub email: String,
    /// Its holder's name.
    pub full_name: String,
    /// Its language.
    pub language: Lang,
}

/// The reminders of one account at one milestone: one email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountReminder {
    /// The milestone.
    pub milestone: Milestone,
    /// The lines, by term end then id (every one of the same account).
    pub lines: Vec<DueReminder>,
}

/// What one batch of [`queue_due_reminders`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReminderBatch {
    /// Lines found due (at most the limit): when it equals the limit, more may be due.
    pub due: u64,
    /// Lines this call reminded (the others were reminded by another process meanwhile).
    pub reminded: u64,
    /// Emails queued.
    pub emails: u64,
}

struct Row {
    line_id: i64,
    sku: String,
    seats: i32,
    term_end: NaiveDate,
    order_id: i64,
    order_number: String,
    partner_id: i64,
    partner_name: String,
    account_id: i64,
    email: String,
    full_name: String,
    language: String,
}

impl FromRow for Row {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            line_id: row.i64("line_id")?,
            sku: row.string("sku")?,
            seats: row.i32("seats")?,
            term_end: row.date("term_end")?,
            order_id: row.i64("order_id")?,
            order_number: row.string("order_number")?,
            partner_id: row.i64("partner_id")?,
            partner_name: row.string("partner_name")?,
            account_id: row.i64("account_id")?,
            email: row.string("email")?,
            full_name: row.string("full_name")?,
            language: row.string("language")?,
        })
    }
}

struct Inserted {
    line_id: i64,
    milestone: String,
}

impl FromRow for Inserted {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            line_id: row.i64("line_id")?,
            milestone: row.string("milestone")?,
        })
    }
}

fn day(today: NaiveDate, offset: i64) -> NaiveDate {
    let days = Days::new(offset.unsigned_abs());
    let moved = if offset < 0 {
        today.checked_sub_days(days)
    } else {
        today.checked_add_days(days)
    };
    moved.unwrap_or(today)
}

/// Lines registered to an account whose latest due milestone has no reminder yet, by term end.
async fn due_lines(conn: &impl RowSource, today: NaiveDate, limit: u64) -> Result<Vec<Row>, DbErr> {
    let backend = conn.backend();
    let mut n = 0;
    let mut p = || {
        n += 1;
        match backend {
            DbBackend::Postgres => format!("${n}"),
            _ => "?".to_owned(),
        }
    };
    let grace = i64::try_from(EXPIRED_GRACE_DAYS).unwrap_or(30);
    let sql = format!(
        "SELECT l.id AS line_id, l.sku, l.seats, l.term_end, o.id AS order_id, o.order_number, \
o.partner_id, p.name AS partner_name, a.id AS account_id, a.email, a.full_name, a.language \
FROM order_lines l \
JOIN orders o ON o.id = l.order_id \
JOIN partners p ON p.id = o.partner_id \
JOIN accounts a ON a.id = l.registered_account_id \
WHERE l.registered_account_id IS NOT NULL AND l.term_end >= {} AND l.term_end <= {} \
AND NOT EXISTS (SELECT 1 FROM license_reminders r WHERE r.line_id = l.id AND r.milestone = \
CASE WHEN l.term_end < {} THEN 'expired' WHEN l.term_end <= {} THEN 'd7' \
WHEN l.term_end <= {} THEN 'd30' ELSE 'd60' END) \
ORDER BY l.term_end, l.id LIMIT {}",
        p(),
        p(),
        p(),
        p(),
        p(),
        p()
    );
    let values: Vec<Value> = vec![
        day(today, -grace).into(),
        day(today, 60).into(),
        today.into(),
        day(today, 7).into(),
        day(today, 30).into(),
        i64::try_from(limit).unwrap_or(i64::MAX).into(),
    ];
    conn.rows(Statement::from_sql_and_values(backend, sql, values))
        .await
}

/// Inserts the reminder rows of `due` (one multi-row insert, `ON CONFLICT DO NOTHING`) and
/// returns the (line, milestone) pairs this insert took.
async fn claim(
    conn: &impl StatementWriter,
    due: &[DueReminder],
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Milestone)>, DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table(license_reminder::Entity)
        .columns([
            license_reminder::Column::LineId,
            license_reminder::Column::Milestone,
            license_reminder::Column::AccountId,
            license_reminder::Column::TermEnd,
            license_reminder::Column::CreatedAt,
        ])
        .on_conflict(
            OnConflict::columns([
                license_reminder::Column::LineId,
                license_reminder::Column::Milestone,
            ])
            .do_nothing()
            .to_owned(),
        )
        .returning(Query::returning().columns([
            license_reminder::Column::LineId,
            license_reminder::Column::Milestone,
        ]));
    for reminder in due {
        insert
            .values([
                reminder.line_id.into(),
                reminder.milestone.as_str().into(),
                reminder.account_id.into(),
                reminder.term_end.into(),
                now.into(),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    let rows: Vec<Inserted> = conn.rows(conn.backend().build(&insert)).await?;
    rows.into_iter()
        .map(|r| Ok((r.line_id, Milestone::parse(&r.milestone)?)))
        .collect()
}

/// Queues the reminders due on `today` for up to `limit` lines, in one transaction: claims
/// their rows (see the module documentation), then for the lines it claimed records
/// `license.reminded` in the audit trail, emits `license.expiring` / `license.expired` to the
/// selling partner's webhooks (one event a line), and queues one email per account and
/// milestone, built by `email` (the caller renders it in the account's language).
pub async fn queue_due_reminders(
    db: &Database,
    today: NaiveDate,
    now: DateTime<Utc>,
    limit: u64,
    email: impl Fn(&AccountReminder) -> NewMessage,
) -> Result<ReminderBatch, DbErr> {
    let txn = db.begin().await?;
    let rows = due_lines(&txn, today, limit).await?;
    let mut batch = ReminderBatch {
        due: u64::try_from(rows.len()).unwrap_or(u64::MAX),
        ..ReminderBatch::default()
    };
    let due: Vec<DueReminder> = rows
        .into_iter()
        .filter_map(|row| {
            let days_left = (row.term_end - today).num_days();
            Some(DueReminder {
                line_id: row.line_id,
                milestone: Milestone::due(days_left)?,
                days_left,
                sku: row.sku,
                seats: u32::try_from(row.seats).unwrap_or(0),
                term_end: row.term_end,
                order_id: row.order_id,
                order_number: row.order_number,
                partner_id: row.partner_id,
                partner_name: row.partner_name,
                account_id: row.account_id,
                email: row.email,
                full_name: row.full_name,
                language: stored_lang(&row.language),
            })
        })
        .collect();
    if due.is_empty() {
        txn.commit().await?;
        return Ok(batch);
    }
    let claimed = claim(&txn, &due, now).await?;
    let reminded: Vec<DueReminder> = due
        .into_iter()
        .filter(|r| claimed.contains(&(r.line_id, r.milestone)))
        .collect();
    batch.reminded = u64::try_from(reminded.len()).unwrap_or(u64::MAX);

    let entries = reminded
        .iter()
        .map(|r| AuditEntry {
            kind: AuditKind::LicenseReminded,
            actor: Actor::System,
            client_ip: None,
            order_id: Some(r.order_id),
            account_id: Some(r.account_id),
            detail: json!({
                "line_id": r.line_id,
                "sku": r.sku,
                "milestone": r.milestone.as_str(),
                "term_end": r.term_end,
            }),
        })
        .collect();
    audit::record_all(&txn, entries, now).await?;
    let order_events: Vec<OrderEvent> = reminded
        .iter()
        .map(|r| OrderEvent {
            kind: match r.milestone {
                Milestone::Expired => EventKind::LicenseExpired,
                _ => EventKind::LicenseExpiring,
            },
            order_id: r.order_id,
            partner_id: r.partner_id,
            account_id: Some(r.account_id),
            data: json!({
                "line_id": r.line_id,
                "sku": r.sku,
                "seats": r.seats,
                "term_end": r.term_end,
                "days_left": r.days_left,
                "milestone": r.milestone.as_str(),
            }),
        })
        .collect();
    events::emit_all(&txn, &order_events, now).await?;

    let mut by_account: BTreeMap<(i64, Milestone), Vec<DueReminder>> = BTreeMap::new();
    for reminder in reminded {
        by_account
            .entry((reminder.account_id, reminder.milestone))
            .or_default()
            .push(reminder);
    }
    let messages: Vec<NewMessage> = by_account
        .into_iter()
        .map(|((_, milestone), lines)| email(&AccountReminder { milestone, lines }))
        .collect();
    batch.emails = u64::try_from(messages.len()).unwrap_or(u64::MAX);
    outbox::enqueue_all(&txn, messages, now).await?;
    txn.commit().await?;
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_due_milestone_is_chosen() {
        assert_eq!(Milestone::due(61), None);
        assert_eq!(Milestone::due(60), Some(Milestone::D60));
        assert_eq!(Milestone::due(31), Some(Milestone::D60));
        assert_eq!(Milestone::due(30), Some(Milestone::D30));
        assert_eq!(Milestone::due(8), Some(Milestone::D30));
        assert_eq!(Milestone::due(7), Some(Milestone::D7));
        assert_eq!(Milestone::due(0), Some(Milestone::D7));
        assert_eq!(Milestone::due(-1), Some(Milestone::Expired));
        for m in Milestone::ALL {
            assert_eq!(Milestone::parse(m.as_str()).unwrap(), m);
        }
    }
}
