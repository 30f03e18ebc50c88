//! The expiry sweeper: every `CLP_SWEEP_INTERVAL` (30 s by default) pending activations past
//! their expiry become `expired` (each emitting `activation.expired` to the partner's webhooks
//! and recording it in the audit trail), and rate limit windows older than two minutes are
//! deleted, and accounts left unverified (and holding nothing) past
//! `CLP_UNVERIFIED_ACCOUNT_TTL` are deleted, without anyone calling the API.
//!
//! Every process runs one; the conditional update in `clp_db::activations::mark_expired`
//! decides which process expires (and announces) each activation. On shutdown the sweeper
//! finishes the batch in hand, then stops.

use std::time::Duration;

use chrono::Utc;
use clp_db::Database;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::metrics::{self, ActivationOutcome};
use crate::rate_limit::WINDOW_SECS;
use crate::workers::outbox::OutboxWakeup;

/// Activations expired per transaction.
pub const BATCH: u64 = 100;

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Pending activations this process expired.
    pub expired: u64,
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
        interval: Duration,
        unverified_ttl: Duration,
        wakeup: OutboxWakeup,
    ) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(db, interval, unverified_ttl, wakeup, stopped));
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
    interval: Duration,
    unverified_ttl: Duration,
    wakeup: OutboxWakeup,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        if *stopped.borrow() {
            return;
        }
        match sweep_once(&db, unverified_ttl, Some(&stopped)).await {
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
