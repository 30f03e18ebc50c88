//! sea-orm entities, one per table. They never leave this crate: query functions return
//! domain types.

pub mod account;
pub mod activation_code;
pub mod audit_event;
pub mod email_verification;
pub mod idempotency_key;
pub mod line_component;
pub mod mfa_recovery_code;
pub mod order;
pub mod order_line;
pub mod outbox_message;
pub mod partner;
pub mod password_reset;
pub mod pending_activation;
pub mod product;
pub mod product_component;
pub mod rate_limit;
pub mod saas_instance;
pub mod superseded_activation_link;
pub mod totp_credential;
pub mod webhook_attempt;
pub mod webhook_subscription;
