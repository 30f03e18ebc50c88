//! Email: the payload stored in the outbox ([`MailPayload`], see [`payload`] for the contract),
//! the templates ([`templates`]), and the transport ([`Mailer`]) used by the outbox worker
//! through [`MailDeliverer`].
//!
//! Transport: SMTP when `CLP_SMTP_URL` is set (`smtp://host:port` is plain SMTP, meant for a
//! relay on loopback; `smtp://host:port?tls=required` uses STARTTLS; `smtps://host:port` is
//! implicit TLS; `user:password@` in the URL authenticates). Without it, each email is written
//! as an `.eml` file into `CLP_OUTBOX_DIR` and the verification link is logged at info level:
//! a development convenience, and the only place a token is ever logged.

pub mod payload;
pub mod templates;
mod wording;

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub use payload::{
    ActivationConfirmationMail, EmailChangeMail, EmailChangeNoticeMail, EmailVerificationMail,
    MAIL_MAX_ATTEMPTS, MailPayload, MailProduct, MailTemplate, MfaChangedMail, PasswordResetMail,
    RegistrationNoticeMail, VerificationMail,
};
pub use templates::{
    RenderContext, RenderedMail, email_verification_link, password_reset_link, render,
    verification_link,
};

use crate::config::Config;
use crate::workers::outbox::{Deliverer, DeliveryFailure, DeliveryFuture};
use clp_db::outbox::OutboxMessage;

/// Sender of every email.
pub const FROM: &str = "Open CLP <no-reply@clp.example>";

/// How long one SMTP exchange may take before the attempt counts as failed (and is retried).
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// The configuration cannot build a mail transport.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    /// `CLP_SMTP_URL` is not a usable SMTP URL (the URL itself is not repeated: it may hold a password).
    #[error("CLP_SMTP_URL: {0}")]
    SmtpUrl(String),
    /// The sender address does not parse.
    #[error("sender address: {0}")]
    From(String),
}

/// Where mail goes.
#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files {
        dir: PathBuf,
        transport: AsyncFileTransport<Tokio1Executor>,
    },
}

/// Renders payloads and sends them by SMTP or into `.eml` files.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    context: RenderContext,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let transport = match &self.transport {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::Files { dir, .. } => format!("files in {}", dir.display()),
        };
        f.debug_struct("Mailer")
            .field("transport", &transport)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// The mailer of `config`: SMTP from `smtp_url`, else files in `outbox_dir`.
    pub fn from_config(config: &Config) -> Result<Self, MailConfigError> {
        let transport = match &config.smtp_url {
            Some(url) => {
                let url = url.expose();
                if !is_loopback_plain_ok(url) {
                    tracing::warn!(
                        "CLP_SMTP_URL is plain smtp:// to a host that is not loopback: mail \
                         travels unencrypted; use ?tls=required or smtps://"
                    );
                }
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailConfigError::SmtpUrl(e.to_string()))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                Transport::Smtp(transport)
            }
            None => Transport::Files {
                dir: config.outbox_dir.clone(),
                transport: AsyncFileTransport::new(&config.outbox_dir),
            },
        };
        Ok(Self {
            transport,
            from: FROM
                .parse()
                .map_err(|e: lettre::address::AddressError| MailConfigError::From(e.to_string()))?,
            context: RenderContext {
                public_url: config.public_url.clone(),
                console_urls: config.xdr_console_urls.clone(),
            },
        })
    }

    /// Whether mail goes to SMTP (otherwise to files).
    pub fn is_smtp(&self) -> bool {
        matches!(self.transport, Transport::Smtp(_))
    }

    /// Builds the MIME message of `payload` (multipart/alternative: text, then HTML).
    pub fn message(&self, payload: &MailPayload) -> Result<Message, DeliveryFailure> {
        let to: Mailbox = payload
            .to
            .parse()
            .map_err(|_| DeliveryFailure::permanent("the recipient address is not valid"))?;
        let rendered = render(payload, &self.context);
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(rendered.subject)
            .multipart(MultiPart::alternative_plain_html(
                rendered.text,
                rendered.html,
            ))
            .map_err(|e| DeliveryFailure::permanent(format!("cannot build the message: {e}")))
    }

    /// Renders and sends `payload`.
    pub async fn send(&self, payload: &MailPayload) -> Result<(), DeliveryFailure> {
        let message = self.message(payload)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(smtp_failure),
            Transport::Files { dir, transport } => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| {
                    DeliveryFailure::retryable(format!("cannot create {}: {e}", dir.display()))
                })?;
                let id = transport.send(message).await.map_err(|e| {
                    DeliveryFailure::retryable(format!("cannot write the email file: {e}"))
                })?;
                let file = dir.join(format!("{id}.eml"));
                // Development only (no SMTP configured): the one place a token is logged.
                if let MailTemplate::Verification(data) = &payload.template {
                    tracing::info!(
                        file = %file.display(),
                        link = %verification_link(&self.context.public_url, &data.token),
                        "verification email written (no CLP_SMTP_URL); follow the link to verify"
                    );
                } else if let MailTemplate::EmailVerification(data) = &payload.template {
                    tracing::info!(
                        file = %file.display(),
                        link = %email_verification_link(&self.context.public_url, &data.token),
                        "email verification written (no CLP_SMTP_URL); follow the link to verify"
                    );
                } else {
                    tracing::info!(file = %file.display(), template = payload.template_name(), "email written (no CLP_SMTP_URL)");
                }
                Ok(())
            }
        }
    }
}

/// Whether plain SMTP is acceptable for `url`: TLS is asked for, or the host is loopback.
fn is_loopback_plain_ok(url: &str) -> bool {
    if url.starts_with("smtps://")
        || url.contains("tls=required")
        || url.contains("tls=opportunistic")
    {
        return true;
    }
    let rest = url.strip_prefix("smtp://").unwrap_or(url);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A transient SMTP failure (connection refused, 4xx, timeout) is retried; a permanent one
/// (5xx: the server refuses the message or recipient) is not.
fn smtp_failure(error: SmtpError) -> DeliveryFailure {
    let message = format!("smtp: {error}");
    if error.is_permanent() {
        DeliveryFailure::permanent(message)
    } else {
        DeliveryFailure::retryable(message)
    }
}

/// The outbox deliverer of `email` messages.
#[derive(Debug, Clone)]
pub struct MailDeliverer {
    mailer: Mailer,
}

impl MailDeliverer {
    /// A deliverer sending through `mailer`.
    pub fn new(mailer: Mailer) -> Self {
        Self { mailer }
    }
}

impl Deliverer for MailDeliverer {
    fn deliver<'a>(&'a self, message: &'a OutboxMessage) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let payload = MailPayload::from_json(&message.payload).map_err(|e| {
                DeliveryFailure::permanent(format!("the mail payload does not parse: {e}"))
            })?;
            self.mailer.send(&payload).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_smtp_is_fine_on_loopback_only() {
        assert!(is_loopback_plain_ok("smtp://127.0.0.1:2525"));
        assert!(is_loopback_plain_ok("smtp://localhost:25"));
        assert!(is_loopback_plain_ok("smtp://u:p@[::1]:25"));
        assert!(is_loopback_plain_ok("smtp://mail.example:587?tls=required"));
        assert!(is_loopback_plain_ok("smtps://mail.example"));
        assert!(!is_loopback_plain_ok("smtp://mail.example:25"));
    }

    #[test]
    fn messages_have_text_and_html_parts() {
        let config = Config::for_tests("sqlite::memory:");
        let mailer = Mailer::from_config(&config).unwrap();
        let payload = MailPayload::new(
            "jane@acme.example",
            clp_domain::Lang::En,
            MailTemplate::RegistrationNotice(RegistrationNoticeMail {
                order_number: "SO-9".into(),
                full_name: "Jane".into(),
                renewal: false,
                products: vec![],
            }),
        );
        let raw = String::from_utf8(mailer.message(&payload).unwrap().formatted()).unwrap();
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert!(raw.contains("To: jane@acme.example"));
    }

    #[test]
    fn a_bad_smtp_url_is_refused_at_start() {
        let mut config = Config::for_tests("sqlite::memory:");
        config.smtp_url = Some(crate::config::Secret::new("ftp://x"));
        assert!(Mailer::from_config(&config).is_err());
    }
}
