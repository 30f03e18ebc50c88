//! Resend and cancel of a pending activation: `pending_activations.resend_count` (how many
//! fresh links were sent, limited per activation) and `superseded_activation_links` (the
//! hashes of links replaced by a resend, so following one says the link expired instead of
//! not found).

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `pending_activations.resend_count` and creates `superseded_activation_links`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PendingActivations::Table)
                    .add_column(integer(PendingActivations::ResendCount).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SupersededActivationLinks::Table)
                    .col(big_pk_auto(SupersededActivationLinks::Id))
                    .col(big_integer(SupersededActivationLinks::ActivationId))
                    .col(string(SupersededActivationLinks::TokenHash))
                    .col(timestamp_with_time_zone(
                        SupersededActivationLinks::SupersededAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_superseded_activation_links_activation_id")
                            .from(
                                SupersededActivationLinks::Table,
                                SupersededActivationLinks::ActivationId,
                            )
                            .to(PendingActivations::Table, PendingActivations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_superseded_activation_links_token_hash")
                    .table(SupersededActivationLinks::Table)
                    .col(SupersededActivationLinks::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(SupersededActivationLinks::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PendingActivations::Table)
                    .drop_column(PendingActivations::ResendCount)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum PendingActivations {
    Table,
    Id,
    ResendCount,
}

#[derive(DeriveIden)]
enum SupersededActivationLinks {
    Table,
    Id,
    ActivationId,
    TokenHash,
    SupersededAt,
}
