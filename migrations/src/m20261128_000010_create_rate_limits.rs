//! `rate_limits`: fixed-window hit counters per bucket.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the `rate_limits` table.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RateLimits::Table)
                    .col(big_pk_auto(RateLimits::Id))
                    .col(string(RateLimits::Bucket))
                    .col(timestamp_with_time_zone(RateLimits::WindowStart))
                    .col(integer(RateLimits::Hits))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_rate_limits_bucket_window_start")
                    .table(RateLimits::Table)
                    .col(RateLimits::Bucket)
                    .col(RateLimits::WindowStart)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RateLimits::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RateLimits {
    Table,
    Id,
    Bucket,
    WindowStart,
    Hits,
}
