//! Partner webhooks and Vision One provisioning: the outbox deliverers for the `webhook` and
//! `vision_one` kinds (registered in [`crate::workers::register_deliverers`]) and the Standard
//! Webhooks signature scheme.
//!
//! Messages are written by [`clp_db::events::emit`] in the transaction that causes the event;
//! the outbox worker retries failures with exponential back-off and jitter until the message's
//! `max_attempts`, then marks it `failed`. Each attempt is recorded in `webhook_attempts` and
//! shown by `GET /api/v1/partner/webhooks/{id}/deliveries`.

pub mod delivery;
pub mod signing;
pub mod vision_one;

use std::time::Duration;

pub use delivery::WebhookDeliverer;
pub use vision_one::VisionOneDeliverer;

/// Longest wait for a TCP (and TLS) connection to a receiver.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest wait for a whole delivery (connect, send, response).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest error text kept for an attempt.
const MAX_ERROR_LEN: usize = 300;

/// The HTTP client of outgoing deliveries: rustls, timeouts, no redirects (a receiver that
/// redirects is a failed delivery, not a hop to an address nobody subscribed).
pub fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Open-CLP-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// A short description of a transport error, without the URL (it may carry credentials).
fn describe(error: reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection failed"
    } else if error.is_request() {
        "request failed"
    } else {
        "transport error"
    };
    let error = error.without_url();
    let mut text = format!("{kind}: {error}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    truncate(text)
}

fn truncate(mut text: String) -> String {
    if text.len() > MAX_ERROR_LEN {
        let mut end = MAX_ERROR_LEN;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}
