//! `partners`: the API clients that create orders.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the `partners` table.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Partners::Table)
                    .col(big_pk_auto(Partners::Id))
                    .col(string(Partners::Name))
                    .col(string(Partners::ClientId))
                    .col(string(Partners::ClientSecretHash))
                    .col(string(Partners::Scopes))
                    .col(timestamp_with_time_zone(Partners::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_partners_client_id")
                    .table(Partners::Table)
                    .col(Partners::ClientId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Partners::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Partners {
    Table,
    Id,
    Name,
    ClientId,
    ClientSecretHash,
    Scopes,
    CreatedAt,
}
