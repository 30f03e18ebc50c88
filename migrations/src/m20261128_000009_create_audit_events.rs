//! `audit_events`: an append-only record of what happened, to whom.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the `audit_events` table.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(big_pk_auto(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    .col(string(AuditEvents::Kind))
                    .col(string(AuditEvents::Actor))
                    .col(string_null(AuditEvents::ClientIp))
                    .col(big_integer_null(AuditEvents::OrderId))
                    .col(big_integer_null(AuditEvents::AccountId))
                    .col(text(AuditEvents::Detail))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_audit_events_account_id", AuditEvents::AccountId),
            ("idx_audit_events_order_id", AuditEvents::OrderId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditEvents::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    Kind,
    Actor,
    ClientIp,
    OrderId,
    AccountId,
    Detail,
}
