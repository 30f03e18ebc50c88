//! Persistence of Open CLP. sea-orm entities stay inside this crate; the public query functions
//! take `&impl ConnectionTrait` (so they work inside a transaction) and return domain types.
//! [`Database`] is the one handle on the database: it connects, migrates and picks the driver
//! that serves each call.

mod entities;

pub mod account_changes;
pub mod accounts;
pub mod activation_links;
pub mod activation_status;
pub mod activations;
pub mod audit;
pub mod catalog;
pub mod database;
pub mod email_verifications;
pub mod events;
pub mod failure;
pub mod holdings;
pub mod idempotency;
mod language;
pub mod mfa;
pub mod order_listing;
pub mod order_state;
pub mod orders;
pub mod outbox;
pub mod partners;
pub mod password_resets;
mod pools;
pub mod rate_limits;
pub mod reminders;
pub mod rows;
mod sqlite_reader;
mod sqlite_settings;
mod sqlite_writer;
pub mod sweeper;
mod sync_sqlite;
pub mod unverified_accounts;
pub mod webhooks;
pub mod writes;

pub use database::Database;
pub use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait,
};
