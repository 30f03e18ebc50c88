//! Background workers of the server process.
//!
//! [`outbox`]: delivery of the outbox messages (mail, webhooks, Vision One) by the
//! [`Deliverer`](outbox::Deliverer) registered for each kind in [`register_deliverers`].
//! [`sweeper`]: expiry of pending activations and clean-up of old rate limit windows.

pub mod outbox;
pub mod sweeper;

use clp_db::outbox::OutboxKind;

use crate::mail::{MailDeliverer, Mailer};
use crate::state::AppState;
use crate::webhooks::{VisionOneDeliverer, WebhookDeliverer};
use outbox::DelivererRegistry;

/// The configuration cannot build a deliverer.
#[derive(Debug, thiserror::Error)]
pub enum DelivererError {
    /// The mail transport (`CLP_SMTP_URL`).
    #[error(transparent)]
    Mail(#[from] crate::mail::MailConfigError),
    /// The HTTP client of webhooks and Vision One.
    #[error("HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

/// Registers every deliverer of this process: one `registry.register(kind, deliverer)` each.
pub fn register_deliverers(
    registry: &mut DelivererRegistry,
    state: &AppState,
) -> Result<(), DelivererError> {
    registry.register(
        OutboxKind::Email,
        MailDeliverer::new(Mailer::from_config(&state.config)?),
    );
    let http = crate::webhooks::http_client()?;
    registry.register(
        OutboxKind::Webhook,
        WebhookDeliverer::new(state.db.clone(), http.clone()),
    );
    registry.register(
        OutboxKind::VisionOne,
        VisionOneDeliverer::new(state.db.clone(), http, state.config.vision_one_url.clone()),
    );
    Ok(())
}
