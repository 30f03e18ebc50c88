//! Which [`Deliverer`](crate::workers::outbox::Deliverer) delivers each kind of outbox message
//! in this process: mail, partner webhooks, Vision One provisioning. To deliver a new kind,
//! register its deliverer here.

use clp_db::outbox::OutboxKind;

use clp_db::Database;

use crate::config::Config;
use crate::mail::{MailDeliverer, Mailer};
use crate::webhooks::{VisionOneDeliverer, WebhookDeliverer};
use crate::workers::outbox::DelivererRegistry;

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
    config: &Config,
    db: &Database,
) -> Result<(), DelivererError> {
    registry.register(
        OutboxKind::Email,
        MailDeliverer::new(Mailer::from_config(config)?),
    );
    let http = crate::webhooks::http_client()?;
    registry.register(
        OutboxKind::Webhook,
        WebhookDeliverer::new(db.clone(), http.clone()),
    );
    registry.register(
        OutboxKind::VisionOne,
        VisionOneDeliverer::new(db.clone(), http, config.vision_one_url.clone()),
    );
    Ok(())
}
