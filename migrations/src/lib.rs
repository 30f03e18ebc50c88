//! Schema of Open CLP as sea-orm migrations.
//!
//! The same set runs on SQLite and PostgreSQL: every migration uses the schema builder and
//! sea-query statements, never raw SQL. Migrations are frozen history, so the catalog seed is
//! literal data here rather than a read of the domain crate's catalog.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_catalog;
mod m20261128_000002_create_partners;
mod m20261128_000003_create_accounts;
mod m20261128_000004_create_orders;
mod m20261128_000005_create_activation_codes_and_saas;
mod m20261128_000006_create_pending_activations;
mod m20261128_000007_create_outbox_and_webhooks;
mod m20261128_000008_create_idempotency;
mod m20261128_000009_create_audit_events;
mod m20261128_000010_create_rate_limits;
mod m20261128_000011_seed_catalog;
mod m20261128_000012_create_email_verifications;
mod m20261203_000013_add_account_session_epoch;
mod m20261203_000014_create_password_resets;
mod m20261203_000015_add_email_verification_new_email;
mod m20261203_000020_create_mfa;
mod m20261203_000021_activation_resends;

/// Every migration of Open CLP, in the order they apply.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_catalog::Migration),
            Box::new(m20261128_000002_create_partners::Migration),
            Box::new(m20261128_000003_create_accounts::Migration),
            Box::new(m20261128_000004_create_orders::Migration),
            Box::new(m20261128_000005_create_activation_codes_and_saas::Migration),
            Box::new(m20261128_000006_create_pending_activations::Migration),
            Box::new(m20261128_000007_create_outbox_and_webhooks::Migration),
            Box::new(m20261128_000008_create_idempotency::Migration),
            Box::new(m20261128_000009_create_audit_events::Migration),
            Box::new(m20261128_000010_create_rate_limits::Migration),
            Box::new(m20261128_000011_seed_catalog::Migration),
            Box::new(m20261128_000012_create_email_verifications::Migration),
            Box::new(m20261203_000013_add_account_session_epoch::Migration),
            Box::new(m20261203_000014_create_password_resets::Migration),
            Box::new(m20261203_000015_add_email_verification_new_email::Migration),
            Box::new(m20261203_000020_create_mfa::Migration),
            Box::new(m20261203_000021_activation_resends::Migration),
        ]
    }
}
