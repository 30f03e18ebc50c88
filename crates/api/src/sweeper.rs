//! The expiry sweeper: every `CLP_SWEEP_INTERVAL` (30 s by default) pending activations past
//! their expiry become `expired` (each emitting `activation.expired` to the partner's webhooks
//! and recording it in the audit trail), license reminders that are due are queued (emails to
//! the accounts, `license.expiring` / `license.expired` to the partners), rate limit windows
//! older than two minutes are deleted, and accounts left unverified (and holding nothing) past
//! `CLP_UNVERIFIED_ACCOUNT_TTL` are deleted, without anyone calling the API.
//!
//! Every process runs one; the conditional update in `clp_db::activations::mark_expired`
//! decides which process expires (and announces) each activation, and the unique row of
//! `clp_db::reminders` which process sends each reminder. On shutdown the sweeper finishes the
//! batch in hand, then stops.

use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, NaiveDate, Utc};
use clp_db::Database;
use clp_db::outbox::NewMessage;
use clp_db::reminders::{AccountReminder, Milestone};
use clp_domain::catalog::Catalog;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::mail::{
    LicenseReminderMail, MailPayload, MailTemplate, ReminderMilestone, ReminderProduct,
};
use crate::metrics::{self, ActivationOutcome};
use crate::rate_limit::WINDOW_SECS;
use crate::workers::outbox::OutboxWakeup;

/// Activations expired (or lines reminded) per transaction.
pub const BATCH: u64 = 100;

/// What the reminders need: product names, and the test hook that moves their clock.
#[derive(Debug, Clone)]
pub struct ReminderSettings {
    /// The catalog (product names of the emails).
    pub catalog: Arc<Catalog>,
    /// Days added to today (`CLP_CLOCK_OFFSET_DAYS`; 0 in production).
    pub clock_offset_days: i64,
}

impl ReminderSettings {
    /// The day the reminders are decided on: today (UTC), moved by the offset.
    pub fn today(&self) -> NaiveDate {
        let today = Utc::now().date_naive();
        let days = Days::new(self.clock_offset_days.unsigned_abs());
        let moved = if self.clock_offset_days < 0 {
            today.checked_sub_days(days)
        } else {
            today.checked_add_days(days)
        };
        moved.unwrap_or(today)
    }

    /// The email of `reminder`, in the account's language.
    fn email(&self, reminder: &AccountReminder) -> NewMessage {
        let first = reminder.lines.first();
        let products = reminder
            .lines
            .iter()
            .map(|line| ReminderProduct {
                sku: line.sku.clone(),
                product_name: self.catalog.name_of(&line.sku).to_owned(),
                seats: line.seats,
                term_end: line.term_end,
                order_number: line.order_number.clone(),
                partner_name: line.partner_name.clone(),
            })
            .collect();
        MailPayload::new(
            first.map(|l| l.email.clone()).unwrap_or_default(),
            first.map(|l| l.language).unwrap_or_default(),
            MailTemplate::LicenseReminder(LicenseReminderMail {
                milestone: match reminder.milestone {
                    Milestone::D60 => ReminderMilestone::D60,
                    Milestone::D30 => ReminderMilestone::D30,
                    Milestone::D7 => ReminderMilestone::D7,
                    Milestone::Expired => ReminderMilestone::Expired,
                },
                full_name: first.map(|l| l.full_name.clone()).unwrap_or_default(),
                products,
            }),
        )
        .outbox_message()
    }
}

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Pending activations this process expired.
    pub expired: u64,
    /// Lines this process sent a license reminder of.
    pub reminded: u64,
    /// Old rate limit counters deleted.
    pub rate_limit_rows_deleted: u64,
    /// Unverified accounts holding nothing, older than the TTL, deleted.
    pub unverified_accounts_deleted: u64,
}

/// Runs one sweep now: expires every due pending activation (in batches of [`BATCH`], one
/// transaction each), then deletes rate limit counters of windows that ended over a minute ago,
/// then the accounts created over `unverified_ttl` ago that are still unverified and hold
/// nothing (in batches too).
///
/// `stopped` is checked between batches, so a shutdown waits for one batch at most.
pub async fn sweep_once(
    db: &Database,
    reminders: &ReminderSettings,
    unverified_ttl: Duration,
    stopped: Option<&watch::Receiver<bool>>,
) -> Result<SweepReport, clp_db::DbErr> {
    let mut report = SweepReport::default();
    loop {
        let batch = clp_db::sweeper::expire_pending_activations(db, Utc::now(), BATCH).await?;
        report.expired += batch.expired;
        metrics::activations(ActivationOutcome::Expired, batch.expired);
        if batch.due < BATCH || stopped.is_some_and(|s| *s.borrow()) {
            break;
        }
    }
    let today = reminders.today();
    loop {
        let batch = clp_db::reminders::queue_due_reminders(db, today, Utc::now(), BATCH, |r| {
            reminders.email(r)
        })
        .await?;
        report.reminded += batch.reminded;
        // A batch whose lines another process claimed meanwhile leaves them out next time.
        if batch.due < BATCH || stopped.is_some_and(|s| *s.borrow()) {
            break;
        }
    }
    let cutoff = Utc::now() - chrono::Duration::seconds(2 * WINDOW_SECS);
    report.rate_limit_rows_deleted = clp_db::rate_limits::delete_before(db, cutoff).await?;
    let ttl = chrono::Duration::from_std(unverified_ttl).unwrap_or(chrono::Duration::MAX);
    loop {
        let now = Utc::now();
        let cutoff = now
            .checked_sub_signed(ttl)
            .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC);
        let (due, deleted) =
            clp_db::unverified_accounts::delete_stale(db, cutoff, now, BATCH).await?;
        report.unverified_accounts_deleted += deleted;
        if due < BATCH || stopped.is_some_and(|s| *s.borrow()) {
            break;
        }
    }
    Ok(report)
}

/// The running sweeper; [`Sweeper::shutdown`] stops it cleanly.
#[derive(Debug)]
pub struct Sweeper {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Sweeper {
    /// Starts the sweeper on the current tokio runtime: a sweep at once, then one every
    /// `interval`. `wakeup` is notified when a sweep queued webhook messages.
    /// Accounts unverified for `unverified_ttl` and holding nothing are deleted.
    pub fn spawn(
        db: Database,
        reminders: ReminderSettings,
        interval: Duration,
        unverified_ttl: Duration,
        wakeup: OutboxWakeup,
    ) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(
            db,
            reminders,
            interval,
            unverified_ttl,
            wakeup,
            stopped,
        ));
        tracing::info!(interval = ?interval, "expiry sweeper started");
        Self { stop, task }
    }

    /// Asks the sweeper to stop, and waits until it has finished the batch in hand.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "expiry sweeper task failed");
        }
        tracing::info!("expiry sweeper stopped");
    }
}

async fn run(
    db: Database,
    reminders: ReminderSettings,
    interval: Duration,
    unverified_ttl: Duration,
    wakeup: OutboxWakeup,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        if *stopped.borrow() {
            return;
        }
        match sweep_once(&db, &reminders, unverified_ttl, Some(&stopped)).await {
            Ok(report) => {
                if report.expired > 0 {
                    tracing::info!(expired = report.expired, "expired pending activations");
                    // `activation.expired` webhooks were queued.
                    wakeup.notify();
                }
                if report.unverified_accounts_deleted > 0 {
                    tracing::info!(
                        deleted = report.unverified_accounts_deleted,
                        "deleted accounts left unverified"
                    );
                }
                if report.reminded > 0 {
                    tracing::info!(lines = report.reminded, "queued license reminders");
                    wakeup.notify();
                }
                if report.rate_limit_rows_deleted > 0 {
                    tracing::debug!(
                        deleted = report.rate_limit_rows_deleted,
                        "deleted old rate limit windows"
                    );
                }
            }
            Err(e) => tracing::warn!(error = %e, "expiry sweep failed; retrying next interval"),
        }
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stopped.changed() => {}
        }
    }
}
