//! `license_reminders`: one row per registered order line (a product of an account) and
//! reminder milestone (`d60`, `d30`, `d7`, `expired`). The unique index is what sends each
//! reminder once, whatever the number of server processes: a sweeper inserts the row with
//! `ON CONFLICT DO NOTHING` and sends only when its insert took.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `license_reminders` and the index on `order_lines.term_end` the sweeper scans.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LicenseReminders::Table)
                    .col(big_pk_auto(LicenseReminders::Id))
                    .col(big_integer(LicenseReminders::LineId))
                    .col(string(LicenseReminders::Milestone))
                    .col(big_integer(LicenseReminders::AccountId))
                    .col(date(LicenseReminders::TermEnd))
                    .col(timestamp_with_time_zone(LicenseReminders::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_license_reminders_line_id")
                            .from(LicenseReminders::Table, LicenseReminders::LineId)
                            .to(OrderLines::Table, OrderLines::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_license_reminders_line_id_milestone")
                    .table(LicenseReminders::Table)
                    .col(LicenseReminders::LineId)
                    .col(LicenseReminders::Milestone)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_lines_term_end")
                    .table(OrderLines::Table)
                    .col(OrderLines::TermEnd)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_order_lines_term_end")
                    .table(OrderLines::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(LicenseReminders::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum LicenseReminders {
    Table,
    Id,
    LineId,
    Milestone,
    AccountId,
    TermEnd,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    TermEnd,
}
