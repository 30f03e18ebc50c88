//! Seeds the catalog: the 15 products of the product note and the components of the CUP suite.
//!
//! Literal data on purpose: a migration is frozen history, so it never reads the current
//! catalog of the domain crate. A later catalog change is a new migration.

use sea_orm_migration::prelude::*;

use crate::m20261128_000001_create_catalog::{ProductComponents, Products};

/// One seeded product: sku, name, delivery, xdr_addon, xdr_related, saas_service, region_pin,
/// key_prefix.
type ProductRow = (
    &'static str,
    &'static str,
    &'static str,
    bool,
    bool,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

const PRODUCTS: [ProductRow; 15] = [
    (
        "XDR-CAS",
        "XDR Add-On: Cloud App Security",
        "saas",
        true,
        false,
        Some("cloud-app-security"),
        None,
        "XC",
    ),
    (
        "XDR-DDI",
        "XDR Addon: Deep Discovery Inspector",
        "ac",
        true,
        false,
        None,
        None,
        "XD",
    ),
    (
        "XDR-DDI-JP",
        "XDR Addon: Deep Discovery Inspector (JP)",
        "ac",
        true,
        false,
        None,
        Some("jp"),
        "XJ",
    ),
    (
        "XDR-DDI-EU",
        "XDR Addon: Deep Discovery Inspector (EU)",
        "ac",
        true,
        false,
        None,
        Some("eu"),
        "XE",
    ),
    (
        "XDR-EPS",
        "XDR Endpoint Sensor",
        "ac",
        true,
        false,
        None,
        None,
        "XS",
    ),
    (
        "XDR-A1SAAS",
        "XDR Addon: Apex One as a Service",
        "saas",
        true,
        false,
        Some("apex-one-saas"),
        None,
        "XA",
    ),
    ("A1", "Apex One", "ac", false, true, None, None, "AO"),
    (
        "A1SAAS",
        "Apex One as a Service",
        "saas",
        false,
        true,
        Some("apex-one-saas"),
        None,
        "AS",
    ),
    (
        "CAS",
        "Cloud App Security",
        "saas",
        false,
        false,
        Some("cloud-app-security"),
        None,
        "CA",
    ),
    (
        "DDI",
        "Deep Discovery Inspector",
        "ac",
        false,
        false,
        None,
        None,
        "DD",
    ),
    (
        "SMEX",
        "ScanMail for Microsoft Exchange",
        "ac",
        false,
        false,
        None,
        None,
        "SM",
    ),
    (
        "IMSVA",
        "InterScan Messaging Security Virtual Appliance",
        "ac",
        false,
        false,
        None,
        None,
        "IM",
    ),
    (
        "IWSVA",
        "InterScan Web Security Virtual Appliance",
        "ac",
        false,
        false,
        None,
        None,
        "IW",
    ),
    (
        "WFBSS",
        "Worry-Free Business Security Services",
        "saas",
        false,
        false,
        Some("wfbs-svc"),
        None,
        "WF",
    ),
    (
        "CUP",
        "Complete User Protection",
        "suite",
        false,
        false,
        None,
        None,
        "CU",
    ),
];

/// (suite sku, component sku)
const COMPONENTS: [(&str, &str); 4] = [
    ("CUP", "A1"),
    ("CUP", "SMEX"),
    ("CUP", "IMSVA"),
    ("CUP", "IWSVA"),
];

/// Inserts the seeded catalog.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut products = Query::insert();
        products.into_table(Products::Table).columns([
            Products::Sku,
            Products::Name,
            Products::Delivery,
            Products::XdrAddon,
            Products::XdrRelated,
            Products::SaasService,
            Products::RegionPin,
            Products::KeyPrefix,
        ]);
        for (sku, name, delivery, xdr_addon, xdr_related, saas_service, region_pin, key_prefix) in
            PRODUCTS
        {
            products
                .values([
                    sku.into(),
                    name.into(),
                    delivery.into(),
                    xdr_addon.into(),
                    xdr_related.into(),
                    saas_service.into(),
                    region_pin.into(),
                    key_prefix.into(),
                ])
                .map_err(build_error)?;
        }
        manager.exec_stmt(products).await?;

        let mut components = Query::insert();
        components
            .into_table(ProductComponents::Table)
            .columns([ProductComponents::SuiteSku, ProductComponents::ComponentSku]);
        for (suite, component) in COMPONENTS {
            components
                .values([suite.into(), component.into()])
                .map_err(build_error)?;
        }
        manager.exec_stmt(components).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (suite, component) in COMPONENTS {
            manager
                .exec_stmt(
                    Query::delete()
                        .from_table(ProductComponents::Table)
                        .and_where(Expr::col(ProductComponents::SuiteSku).eq(suite))
                        .and_where(Expr::col(ProductComponents::ComponentSku).eq(component))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Products::Table)
                    .and_where(Expr::col(Products::Sku).is_in(PRODUCTS.map(|product| product.0)))
                    .to_owned(),
            )
            .await
    }
}

/// A malformed insert is a bug of this migration; report it as a failed migration.
fn build_error(error: error::Error) -> DbErr {
    DbErr::Migration(format!("building the catalog seed: {error}"))
}
