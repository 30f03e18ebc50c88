//! `pending_activations`: activations waiting for their verification link to be followed.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the `pending_activations` table.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PendingActivations::Table)
                    .col(big_pk_auto(PendingActivations::Id))
                    .col(string(PendingActivations::PublicId))
                    .col(big_integer(PendingActivations::OrderId))
                    .col(big_integer(PendingActivations::AccountId))
                    .col(string_null(PendingActivations::Region))
                    .col(string(PendingActivations::TokenHash))
                    .col(string(PendingActivations::Status))
                    .col(boolean(PendingActivations::NewAccount))
                    .col(string(PendingActivations::Language))
                    .col(timestamp_with_time_zone(PendingActivations::CreatedAt))
                    .col(timestamp_with_time_zone(PendingActivations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(
                        PendingActivations::CompletedAt,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "ux_pending_activations_public_id",
                vec![PendingActivations::PublicId],
                true,
            ),
            (
                "ux_pending_activations_token_hash",
                vec![PendingActivations::TokenHash],
                true,
            ),
            (
                "idx_pending_activations_status_expires_at",
                vec![PendingActivations::Status, PendingActivations::ExpiresAt],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(PendingActivations::Table);
            for column in columns {
                index.col(column);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PendingActivations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PendingActivations {
    Table,
    Id,
    PublicId,
    OrderId,
    AccountId,
    Region,
    TokenHash,
    Status,
    NewAccount,
    Language,
    CreatedAt,
    ExpiresAt,
    CompletedAt,
}
