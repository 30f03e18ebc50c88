//! The product catalog, read from the `products` and `product_components` tables.

use clp_domain::catalog::{Catalog, Delivery, Product};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};

use crate::entities::{product, product_component};

/// Loads the whole catalog (a few dozen rows): the server keeps it in memory.
pub async fn load_catalog(conn: &impl ConnectionTrait) -> Result<Catalog, DbErr> {
    let products = product::Entity::find()
        .order_by_asc(product::Column::Id)
        .all(conn)
        .await?;
    let components = product_component::Entity::find()
        .order_by_asc(product_component::Column::Id)
        .all(conn)
        .await?;
    let mut out = Vec::with_capacity(products.len());
    for row in products {
        let delivery: Delivery = row
            .delivery
            .parse()
            .map_err(|_| DbErr::Custom(format!("product {} has unknown delivery", row.sku)))?;
        let region_pin = match row.region_pin.as_deref() {
            Some(code) => Some(code.parse().map_err(|_| {
                DbErr::Custom(format!("product {} pins an unknown region", row.sku))
            })?),
            None => None,
        };
        let parts = components
            .iter()
            .filter(|c| c.suite_sku == row.sku)
            .map(|c| c.component_sku.clone())
            .collect();
        out.push(Product {
            sku: row.sku,
            name: row.name,
            delivery,
            xdr_addon: row.xdr_addon,
            xdr_related: row.xdr_related,
            saas_service: row.saas_service,
            region_pin,
            components: parts,
            key_prefix: row.key_prefix,
        });
    }
    Ok(Catalog::new(out))
}
