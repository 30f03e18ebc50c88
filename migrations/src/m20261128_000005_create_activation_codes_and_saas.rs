//! `activation_codes` and `saas_instances`: what an account holds.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000003_create_accounts::Accounts;
use crate::m20261128_000004_create_orders::OrderLines;

/// Creates the holdings tables.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ActivationCodes::Table)
                    .col(big_pk_auto(ActivationCodes::Id))
                    .col(string(ActivationCodes::Code))
                    .col(big_integer(ActivationCodes::AccountId))
                    .col(string(ActivationCodes::Sku))
                    .col(big_integer_null(ActivationCodes::LineId))
                    .col(date(ActivationCodes::TermStart))
                    .col(date(ActivationCodes::TermEnd))
                    .col(timestamp_with_time_zone(ActivationCodes::CreatedAt))
                    .col(timestamp_with_time_zone(ActivationCodes::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activation_codes_account_id")
                            .from(ActivationCodes::Table, ActivationCodes::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activation_codes_line_id")
                            .from(ActivationCodes::Table, ActivationCodes::LineId)
                            .to(OrderLines::Table, OrderLines::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column, unique) in [
            ("ux_activation_codes_code", ActivationCodes::Code, true),
            (
                "idx_activation_codes_account_id",
                ActivationCodes::AccountId,
                false,
            ),
            (
                "idx_activation_codes_line_id",
                ActivationCodes::LineId,
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(ActivationCodes::Table).col(column);
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SaasInstances::Table)
                    .col(big_pk_auto(SaasInstances::Id))
                    .col(big_integer(SaasInstances::AccountId))
                    .col(string(SaasInstances::Service))
                    .col(big_integer(SaasInstances::LineId))
                    .col(string(SaasInstances::Status))
                    .col(string_null(SaasInstances::ActiveService))
                    .col(timestamp_with_time_zone(SaasInstances::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_saas_instances_account_id")
                            .from(SaasInstances::Table, SaasInstances::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_saas_instances_line_id")
                            .from(SaasInstances::Table, SaasInstances::LineId)
                            .to(OrderLines::Table, OrderLines::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // `active_service` is NULL once an instance is no longer active, and NULLs are distinct
        // in a unique index on both databases: so this index holds "at most one active instance
        // per account and service" while keeping any number of cancelled ones. Its leading
        // column also indexes the `account_id` foreign key.
        manager
            .create_index(
                Index::create()
                    .name("ux_saas_instances_account_id_active_service")
                    .table(SaasInstances::Table)
                    .col(SaasInstances::AccountId)
                    .col(SaasInstances::ActiveService)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_saas_instances_line_id")
                    .table(SaasInstances::Table)
                    .col(SaasInstances::LineId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SaasInstances::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ActivationCodes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ActivationCodes {
    Table,
    Id,
    Code,
    AccountId,
    Sku,
    LineId,
    TermStart,
    TermEnd,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SaasInstances {
    Table,
    Id,
    AccountId,
    Service,
    LineId,
    Status,
    ActiveService,
    CreatedAt,
}
