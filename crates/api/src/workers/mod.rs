//! Background workers of the server process.
//!
//! [`outbox`]: delivery of the outbox messages (mail, webhooks, Vision One) by the
//! [`Deliverer`](outbox::Deliverer) registered for each kind (`crate::deliverers`).
//! [`sweeper`]: expiry of pending activations and clean-up of old rate limit windows.

pub mod outbox;
