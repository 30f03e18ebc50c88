//! `orders.status`, `orders.cancelled_at`, `orders.cancel_reason`: an order's state stored with
//! it (maintained in the transactions that register its lines and in the one that cancels it),
//! so the partner's listing filters it through an index; and the listing's keyset indexes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_query::IndexOrder;

/// Adds the order status columns and the listing indexes.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            string(Orders::Status).default("unregistered").to_owned(),
            timestamp_with_time_zone_null(Orders::CancelledAt),
            string_null(Orders::CancelReason),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // Orders that existed before: their status from their lines.
        let registered = |is_null: bool| {
            let mut line = Query::select();
            line.expr(Expr::val(1)).from(OrderLines::Table).and_where(
                Expr::col((OrderLines::Table, OrderLines::OrderId))
                    .equals((Orders::Table, Orders::Id)),
            );
            if is_null {
                line.and_where(
                    Expr::col((OrderLines::Table, OrderLines::RegisteredAccountId)).is_null(),
                );
            } else {
                line.and_where(
                    Expr::col((OrderLines::Table, OrderLines::RegisteredAccountId)).is_not_null(),
                );
            }
            line
        };
        manager
            .exec_stmt(
                Query::update()
                    .table(Orders::Table)
                    .value(Orders::Status, "registered")
                    .and_where(Expr::exists(registered(false)))
                    .and_where(Expr::exists(registered(true)).not())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Orders::Table)
                    .value(Orders::Status, "partially_registered")
                    .and_where(Expr::exists(registered(false)))
                    .and_where(Expr::exists(registered(true)))
                    .to_owned(),
            )
            .await?;

        // The listing walks a partner's orders newest first: (created_at, id) is its keyset.
        manager
            .create_index(
                Index::create()
                    .name("idx_orders_partner_id_created_at_id")
                    .table(Orders::Table)
                    .col(Orders::PartnerId)
                    .col((Orders::CreatedAt, IndexOrder::Desc))
                    .col((Orders::Id, IndexOrder::Desc))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_orders_partner_id_status_created_at_id")
                    .table(Orders::Table)
                    .col(Orders::PartnerId)
                    .col(Orders::Status)
                    .col((Orders::CreatedAt, IndexOrder::Desc))
                    .col((Orders::Id, IndexOrder::Desc))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_orders_partner_id_status_created_at_id",
            "idx_orders_partner_id_created_at_id",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Orders::Table).to_owned())
                .await?;
        }
        for column in [Orders::CancelReason, Orders::CancelledAt, Orders::Status] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    PartnerId,
    CreatedAt,
    Status,
    CancelledAt,
    CancelReason,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    OrderId,
    RegisteredAccountId,
}
