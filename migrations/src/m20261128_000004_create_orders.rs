//! `orders`, `order_lines` and `line_components`: license certificates and their keys.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000002_create_partners::Partners;
use crate::m20261128_000003_create_accounts::Accounts;

/// Creates the order tables.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .col(big_pk_auto(Orders::Id))
                    .col(big_integer(Orders::PartnerId))
                    .col(string(Orders::OrderNumber))
                    .col(string(Orders::OrderType))
                    .col(date(Orders::PurchaseDate))
                    .col(string(Orders::Company))
                    .col(string(Orders::ContactName))
                    .col(string(Orders::ContactEmail))
                    .col(string(Orders::Country))
                    .col(timestamp_with_time_zone(Orders::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_orders_partner_id")
                            .from(Orders::Table, Orders::PartnerId)
                            .to(Partners::Table, Partners::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Also serves as the index on the `partner_id` foreign key (its leading column).
        manager
            .create_index(
                Index::create()
                    .name("ux_orders_partner_id_order_number")
                    .table(Orders::Table)
                    .col(Orders::PartnerId)
                    .col(Orders::OrderNumber)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderLines::Table)
                    .col(big_pk_auto(OrderLines::Id))
                    .col(big_integer(OrderLines::OrderId))
                    .col(integer(OrderLines::LineNo))
                    .col(string(OrderLines::Sku))
                    .col(integer(OrderLines::Seats))
                    .col(date(OrderLines::TermStart))
                    .col(date(OrderLines::TermEnd))
                    .col(string(OrderLines::RegistrationKey))
                    .col(string_null(OrderLines::RenewsAc))
                    .col(big_integer_null(OrderLines::RegisteredAccountId))
                    .col(timestamp_with_time_zone_null(OrderLines::RegisteredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_lines_order_id")
                            .from(OrderLines::Table, OrderLines::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_lines_registered_account_id")
                            .from(OrderLines::Table, OrderLines::RegisteredAccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column, unique) in [
            (
                "ux_order_lines_registration_key",
                OrderLines::RegistrationKey,
                true,
            ),
            ("idx_order_lines_order_id", OrderLines::OrderId, false),
            (
                "idx_order_lines_registered_account_id",
                OrderLines::RegisteredAccountId,
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(OrderLines::Table).col(column);
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(LineComponents::Table)
                    .col(big_pk_auto(LineComponents::Id))
                    .col(big_integer(LineComponents::LineId))
                    .col(string(LineComponents::Sku))
                    .col(string_null(LineComponents::RetainedAc))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_line_components_line_id")
                            .from(LineComponents::Table, LineComponents::LineId)
                            .to(OrderLines::Table, OrderLines::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_line_components_line_id")
                    .table(LineComponents::Table)
                    .col(LineComponents::LineId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LineComponents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OrderLines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Orders::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Orders {
    Table,
    Id,
    PartnerId,
    OrderNumber,
    OrderType,
    PurchaseDate,
    Company,
    ContactName,
    ContactEmail,
    Country,
    CreatedAt,
}

#[derive(DeriveIden)]
pub(crate) enum OrderLines {
    Table,
    Id,
    OrderId,
    LineNo,
    Sku,
    Seats,
    TermStart,
    TermEnd,
    RegistrationKey,
    RenewsAc,
    RegisteredAccountId,
    RegisteredAt,
}

#[derive(DeriveIden)]
pub(crate) enum LineComponents {
    Table,
    Id,
    LineId,
    Sku,
    RetainedAc,
}
