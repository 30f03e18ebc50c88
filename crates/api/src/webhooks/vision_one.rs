//! The deliverer of `vision_one` outbox messages: the provisioning call that enables XDR and
//! the registered add-ons of an account in Vision One.

use std::time::Instant;

use chrono::Utc;
use clp_db::Database;
use clp_db::outbox::OutboxMessage;
use clp_db::webhooks::{self, NewAttempt};

use super::{describe, truncate};
use crate::workers::outbox::{Deliverer, DeliveryFailure, DeliveryFuture};

/// Path under `CLP_VISION_ONE_URL` receiving the provisioning requests.
pub const PROVISION_PATH: &str = "/provisioning";

/// POSTs the provisioning payload (`{id, type, timestamp, account_id, region, order_number,
/// addons[]}`) to `CLP_VISION_ONE_URL` + [`PROVISION_PATH`], with the message id as
/// `Idempotency-Key`. Without a URL configured there is nothing to call: the message counts as
/// delivered.
#[derive(Debug, Clone)]
pub struct VisionOneDeliverer {
    db: Database,
    http: reqwest::Client,
    base_url: Option<String>,
}

impl VisionOneDeliverer {
    /// A deliverer posting to `base_url` (`None`: provisioning is off).
    pub fn new(db: Database, http: reqwest::Client, base_url: Option<String>) -> Self {
        Self { db, http, base_url }
    }

    async fn attempt(&self, message: &OutboxMessage) -> Result<(), DeliveryFailure> {
        let Some(base) = &self.base_url else {
            tracing::debug!(
                id = message.id,
                "CLP_VISION_ONE_URL is unset; provisioning skipped"
            );
            return Ok(());
        };
        let url = format!("{}{PROVISION_PATH}", base.trim_end_matches('/'));
        let started_at = Utc::now();
        let clock = Instant::now();
        let mut request = self.http.post(&url).json(&message.payload);
        if let Some(id) = &message.event_id {
            request = request.header("idempotency-key", id);
        }
        let sent = request.send().await;
        let duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (status_code, outcome) = match sent {
            Ok(response) => {
                let status = response.status();
                let _ = response.bytes().await;
                if status.is_success() {
                    (Some(status.as_u16()), Ok(()))
                } else if status.is_client_error()
                    && status != reqwest::StatusCode::REQUEST_TIMEOUT
                    && status != reqwest::StatusCode::TOO_MANY_REQUESTS
                {
                    // Vision One refused the request itself: retrying sends the same refusal.
                    (
                        Some(status.as_u16()),
                        Err(DeliveryFailure::permanent(format!(
                            "Vision One answered {status}"
                        ))),
                    )
                } else {
                    (
                        Some(status.as_u16()),
                        Err(DeliveryFailure::retryable(format!(
                            "Vision One answered {status}"
                        ))),
                    )
                }
            }
            Err(e) => (None, Err(DeliveryFailure::retryable(describe(e)))),
        };
        let attempt = NewAttempt {
            outbox_id: message.id,
            attempt: message.attempts + 1,
            at: started_at,
            status_code,
            error: outcome.as_ref().err().map(|f| truncate(f.error.clone())),
            duration_ms,
        };
        if let Err(e) = webhooks::record_attempt(&self.db, &attempt).await {
            tracing::warn!(id = message.id, error = %e, "cannot record the Vision One attempt");
        }
        outcome
    }
}

impl Deliverer for VisionOneDeliverer {
    fn deliver<'a>(&'a self, message: &'a OutboxMessage) -> DeliveryFuture<'a> {
        Box::pin(self.attempt(message))
    }
}
