//! Persistence of Open CLP. sea-orm entities stay inside this crate; the public query functions
//! take `&impl ConnectionTrait` (so they work inside a transaction) and return domain types.

mod entities;

pub mod accounts;
pub mod activations;
pub mod audit;
pub mod catalog;
pub mod email_verifications;
pub mod events;
pub mod failure;
pub mod holdings;
pub mod idempotency;
pub mod orders;
pub mod outbox;
pub mod partners;
pub mod rate_limits;
pub mod rows;
pub mod sqlite_reader;
pub mod sqlite_writer;
pub mod sweeper;
mod sync_sqlite;
pub mod webhooks;
pub mod writes;

pub use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait,
};
