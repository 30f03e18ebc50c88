//! The outbox worker: one task per process claims due outbox messages (a 60 s lease taken by
//! a conditional update, so several processes share the table safely), hands each to the
//! [`Deliverer`] registered for its kind, and records the outcome: `mark_sent` (which also drops
//! the verification token from a delivered email's payload), or `mark_attempt_failed` with an
//! exponential back-off with jitter (2 s doubling, capped at 10 min, 1 h for webhooks, ±20 %).
//! A message whose attempts are used up, or whose failure is not retryable, becomes `failed`.
//!
//! It polls every 200 ms, and at once when [`OutboxWakeup::notify`] is called after an enqueue.
//! On shutdown it finishes the messages in hand, then stops.
//!
//! # Adding a deliverer
//!
//! Implement [`Deliverer`] and register it for its kind in
//! [`crate::workers::register_deliverers`]:
//!
//! ```text
//! struct WebhookDeliverer { http: reqwest::Client, db: Database }
//! impl Deliverer for WebhookDeliverer {
//!     fn deliver<'a>(&'a self, msg: &'a OutboxMessage) -> DeliveryFuture<'a> {
//!         Box::pin(async move {
//!             // ... Err(DeliveryFailure::retryable("status 503")) to be retried later
//!             Ok(())
//!         })
//!     }
//! }
//! registry.register(OutboxKind::Webhook, WebhookDeliverer { .. });
//! ```

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use clp_db::Database;
use clp_db::outbox::{self, OutboxKind, OutboxMessage};
use rand::Rng as _;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

/// Lease of a claimed message: another worker may take it over after this.
pub const LEASE: Duration = Duration::from_secs(60);
/// A delivery taking longer than this counts as a retryable failure (well inside the lease).
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(45);
/// Idle polling interval.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// Pause after the database failed to answer a claim.
pub const ERROR_PAUSE: Duration = Duration::from_secs(2);
/// Messages claimed (and delivered concurrently) per round.
pub const BATCH: u64 = 8;
/// First retry delay.
pub const BACKOFF_BASE: Duration = Duration::from_secs(2);
/// Longest retry delay (email, Vision One).
pub const BACKOFF_CAP: Duration = Duration::from_secs(10 * 60);
/// Longest retry delay of a webhook delivery: with `clp_db::events::WEBHOOK_MAX_ATTEMPTS`
/// (35) the attempts span about a day (2 s doubling to 2048 s, then hourly: 24 h 8 min
/// before jitter), so a receiver down for a night still gets its events.
pub const WEBHOOK_BACKOFF_CAP: Duration = Duration::from_secs(60 * 60);

/// Why a delivery failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryFailure {
    /// Whether another attempt may succeed (a timeout, a 5xx, a refused connection), as
    /// opposed to a message that can never be delivered (a malformed payload, a 4xx).
    pub retryable: bool,
    /// What happened, stored as the message's `last_error`; never a secret.
    pub error: String,
}

impl DeliveryFailure {
    /// A failure worth retrying.
    pub fn retryable(error: impl Into<String>) -> Self {
        Self {
            retryable: true,
            error: error.into(),
        }
    }

    /// A failure that no retry can fix.
    pub fn permanent(error: impl Into<String>) -> Self {
        Self {
            retryable: false,
            error: error.into(),
        }
    }
}

impl std::fmt::Display for DeliveryFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error)
    }
}

/// The future returned by [`Deliverer::deliver`].
pub type DeliveryFuture<'a> =
    Pin<Box<dyn Future<Output = Result<(), DeliveryFailure>> + Send + 'a>>;

/// Delivers the outbox messages of one kind (email, webhook, Vision One).
///
/// Object safe (the future is boxed) so that deliverers of different types share one
/// [`DelivererRegistry`].
pub trait Deliverer: Send + Sync + 'static {
    /// Delivers `message` once; `Ok` marks it sent.
    fn deliver<'a>(&'a self, message: &'a OutboxMessage) -> DeliveryFuture<'a>;
}

/// The deliverer of each outbox kind.
#[derive(Clone, Default)]
pub struct DelivererRegistry {
    deliverers: HashMap<OutboxKind, Arc<dyn Deliverer>>,
}

impl std::fmt::Debug for DelivererRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kinds: Vec<&str> = self.deliverers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("DelivererRegistry")
            .field("kinds", &kinds)
            .finish()
    }
}

impl DelivererRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers (or replaces) the deliverer of `kind`.
    pub fn register(&mut self, kind: OutboxKind, deliverer: impl Deliverer) -> &mut Self {
        self.deliverers.insert(kind, Arc::new(deliverer));
        self
    }

    /// The deliverer of `kind`.
    pub fn get(&self, kind: OutboxKind) -> Option<&Arc<dyn Deliverer>> {
        self.deliverers.get(&kind)
    }
}

/// Wakes the worker after an enqueue, so a message goes out at once rather than at the next
/// poll. Cheap to clone; kept in `AppState`.
#[derive(Debug, Clone, Default)]
pub struct OutboxWakeup(Arc<Notify>);

impl OutboxWakeup {
    /// A new wake-up handle.
    pub fn new() -> Self {
        Self::default()
    }

    /// Wakes the worker (call after the transaction that enqueued has committed).
    pub fn notify(&self) {
        self.0.notify_one();
    }

    async fn notified(&self) {
        self.0.notified().await;
    }
}

/// The longest retry delay of a message of `kind`.
pub fn backoff_cap(kind: OutboxKind) -> Duration {
    match kind {
        OutboxKind::Webhook => WEBHOOK_BACKOFF_CAP,
        OutboxKind::Email | OutboxKind::VisionOne => BACKOFF_CAP,
    }
}

/// The delay before retry number `attempts + 1`: `2 s · 2^attempts`, capped at `cap`, ±20 %.
pub fn backoff(attempts: u32, cap: Duration) -> Duration {
    let exp = BACKOFF_BASE.saturating_mul(2_u32.saturating_pow(attempts.min(20)));
    let capped = exp.min(cap);
    let factor = rand::rng().random_range(0.8..=1.2);
    capped.mul_f64(factor)
}

/// The running worker; [`OutboxWorker::shutdown`] stops it cleanly.
#[derive(Debug)]
pub struct OutboxWorker {
    id: String,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl OutboxWorker {
    /// Starts the worker on the current tokio runtime.
    pub fn spawn(db: Database, registry: DelivererRegistry, wakeup: OutboxWakeup) -> Self {
        let id = format!(
            "outbox-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        );
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(db, Arc::new(registry), wakeup, id.clone(), stopped));
        tracing::info!(worker = %id, "outbox worker started");
        Self { id, stop, task }
    }

    /// The worker's id (`locked_by` of the messages it holds).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Asks the worker to stop, and waits until it has finished the messages in hand.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "outbox worker task failed");
        }
        tracing::info!(worker = %self.id, "outbox worker stopped");
    }
}

async fn run(
    db: Database,
    registry: Arc<DelivererRegistry>,
    wakeup: OutboxWakeup,
    id: String,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        if *stopped.borrow() {
            return;
        }
        let idle = match round(&db, &registry, &id).await {
            // More may be due: claim again at once (a stop request is seen at the loop head).
            Ok(n) if n > 0 => continue,
            Ok(_) => POLL_INTERVAL,
            Err(e) => {
                tracing::warn!(worker = %id, error = %e, "outbox: cannot claim messages");
                ERROR_PAUSE
            }
        };
        tokio::select! {
            () = wakeup.notified() => {}
            () = tokio::time::sleep(idle) => {}
            _ = stopped.changed() => {}
        }
    }
}

/// Claims up to [`BATCH`] due messages and delivers them concurrently; returns how many.
async fn round(
    db: &Database,
    registry: &DelivererRegistry,
    worker: &str,
) -> Result<usize, clp_db::DbErr> {
    let lease = chrono::Duration::from_std(LEASE).unwrap_or_else(|_| chrono::Duration::seconds(60));
    let messages = outbox::claim_due(db, worker, Utc::now(), lease, BATCH).await?;
    let count = messages.len();
    futures_util::future::join_all(
        messages
            .iter()
            .map(|message| deliver_one(db, registry, worker, message)),
    )
    .await;
    Ok(count)
}

async fn deliver_one(
    db: &Database,
    registry: &DelivererRegistry,
    worker: &str,
    message: &OutboxMessage,
) {
    let outcome = match registry.get(message.kind) {
        Some(deliverer) => {
            match tokio::time::timeout(DELIVERY_TIMEOUT, deliverer.deliver(message)).await {
                Ok(outcome) => outcome,
                Err(_) => Err(DeliveryFailure::retryable(format!(
                    "delivery timed out after {}s",
                    DELIVERY_TIMEOUT.as_secs()
                ))),
            }
        }
        // Kept for a process that has the deliverer (or a later start of this one).
        None => Err(DeliveryFailure::retryable(format!(
            "no deliverer registered for `{}` in this process",
            message.kind.as_str()
        ))),
    };
    let now = Utc::now();
    let recorded = match &outcome {
        Ok(()) => outbox::mark_sent(db, message, worker, now).await.map(|()| {
            tracing::info!(
                id = message.id,
                kind = message.kind.as_str(),
                "outbox message delivered"
            );
        }),
        Err(failure) => {
            crate::metrics::outbox_delivery_failure(message.kind.as_str());
            let retry_at = failure.retryable.then(|| {
                now + chrono::Duration::from_std(backoff(
                    message.attempts,
                    backoff_cap(message.kind),
                ))
                .unwrap_or_else(|_| chrono::Duration::minutes(10))
            });
            outbox::mark_attempt_failed(db, message, worker, &failure.error, retry_at)
                .await
                .map(|status| {
                    tracing::warn!(
                        id = message.id,
                        kind = message.kind.as_str(),
                        attempt = message.attempts + 1,
                        max_attempts = message.max_attempts,
                        status = status.as_str(),
                        retry_at = ?retry_at,
                        error = %failure.error,
                        "outbox delivery failed"
                    );
                })
        }
    };
    if let Err(e) = recorded {
        // The lease runs out and the message is delivered again: at-least-once.
        tracing::error!(id = message.id, error = %e, "outbox: cannot record the delivery outcome");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for (attempts, base) in [(0_u32, 2.0_f64), (1, 4.0), (3, 16.0)] {
            let d = backoff(attempts, BACKOFF_CAP).as_secs_f64();
            assert!(
                d >= base * 0.8 - 1e-9 && d <= base * 1.2 + 1e-9,
                "{attempts}: {d}"
            );
        }
        for attempts in [9, 10, 30, u32::MAX] {
            let d = backoff(attempts, BACKOFF_CAP).as_secs_f64();
            assert!((480.0..=720.0).contains(&d), "{attempts}: {d}");
        }
        for attempts in [11, 12, 34, u32::MAX] {
            let d = backoff(attempts, WEBHOOK_BACKOFF_CAP).as_secs_f64();
            assert!((2880.0..=4320.0).contains(&d), "{attempts}: {d}");
        }
    }

    #[test]
    fn webhook_retries_span_about_a_day() {
        // The delays between the attempts, without jitter.
        let max_attempts = clp_db::events::WEBHOOK_MAX_ATTEMPTS;
        let unjittered = |attempts: u32| {
            BACKOFF_BASE
                .saturating_mul(2_u32.saturating_pow(attempts.min(20)))
                .min(backoff_cap(OutboxKind::Webhook))
        };
        let span: Duration = (0..max_attempts - 1).map(unjittered).sum();
        let hours = span.as_secs_f64() / 3600.0;
        assert!((23.0..=25.0).contains(&hours), "{hours} h");
        assert_eq!(backoff_cap(OutboxKind::Email), BACKOFF_CAP);
    }
}
