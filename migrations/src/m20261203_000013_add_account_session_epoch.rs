//! `accounts.session_epoch`: sessions (JWTs) carry the epoch they were issued in; a password
//! reset or change increments it, so every session issued before ends on every server process.
//! Also `idx_accounts_email_verified_created_at`, the sweeper's look-up of stale unverified
//! accounts.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `accounts.session_epoch` (integer, 0) and the sweeper's index.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(integer(Accounts::SessionEpoch).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_accounts_email_verified_created_at")
                    .table(Accounts::Table)
                    .col(Accounts::EmailVerified)
                    .col(Accounts::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_accounts_email_verified_created_at")
                    .table(Accounts::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .drop_column(Accounts::SessionEpoch)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    SessionEpoch,
    EmailVerified,
    CreatedAt,
}
