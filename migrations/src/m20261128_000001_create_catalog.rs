//! `products` and `product_components`: the catalog tables (seeded by a later migration).

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the catalog tables.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .col(big_pk_auto(Products::Id))
                    .col(string(Products::Sku))
                    .col(string(Products::Name))
                    .col(string(Products::Delivery))
                    .col(boolean(Products::XdrAddon))
                    .col(boolean(Products::XdrRelated))
                    .col(string_null(Products::SaasService))
                    .col(string_null(Products::RegionPin))
                    .col(string_len(Products::KeyPrefix, 2))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_products_sku")
                    .table(Products::Table)
                    .col(Products::Sku)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProductComponents::Table)
                    .col(big_pk_auto(ProductComponents::Id))
                    .col(string(ProductComponents::SuiteSku))
                    .col(string(ProductComponents::ComponentSku))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_product_components_suite_sku_component_sku")
                    .table(ProductComponents::Table)
                    .col(ProductComponents::SuiteSku)
                    .col(ProductComponents::ComponentSku)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProductComponents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Products::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Products {
    Table,
    Id,
    Sku,
    Name,
    Delivery,
    XdrAddon,
    XdrRelated,
    SaasService,
    RegionPin,
    KeyPrefix,
}

#[derive(DeriveIden)]
pub(crate) enum ProductComponents {
    Table,
    Id,
    SuiteSku,
    ComponentSku,
}
