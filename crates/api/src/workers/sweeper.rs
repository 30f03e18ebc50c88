//! The expiry sweeper: every `CLP_SWEEP_INTERVAL` (30 s by default) pending activations past
//! their expiry become `expired` (each emitting `activation.expired` to the partner's webhooks
//! and recording it in the audit trail), and rate limit windows older than two minutes are
//! deleted, without anyone calling the API.
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
}

/// Runs one sweep now: expires every due pending activation (in batches of [`BATCH`], one
/// transaction each), then deletes rate limit counters of windows that ended over a minute ago.
///
/// `stopped` is checked between batches, so a shutdown waits for one batch at most.
pub async fn sweep_once(
    db: &Database,
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
    pub fn spawn(db: Database, interval: Duration, wakeup: OutboxWakeup) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(db, interval, wakeup, stopped));
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
    wakeup: OutboxWakeup,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        if *stopped.borrow() {
            return;
        }
        match sweep_once(&db, Some(&stopped)).await {
            Ok(report) => {
                if report.expired > 0 {
                    tracing::info!(expired = report.expired, "expired pending activations");
                    // `activation.expired` webhooks were queued.
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
