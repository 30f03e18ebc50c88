//! The catalog has one source of truth: the migration that seeds the `products` table writes
//! exactly the products of `Catalog::seeded()` (the domain's copy, used by tests, fixtures and
//! the benchmark seeder), on every database.

mod activation_support;

use activation_support::on_each_database;
use clp_domain::catalog::Catalog;

#[tokio::test]
async fn the_seeded_catalog_migration_writes_exactly_the_domain_catalog() {
    on_each_database(|db| async move {
        let stored = clp_db::catalog::load_catalog(&db.conn).await.unwrap();
        let seeded = Catalog::seeded();
        let sorted = |catalog: &Catalog| {
            let mut products = catalog.products().to_vec();
            products.sort_by(|a, b| a.sku.cmp(&b.sku));
            products
        };
        let (stored, seeded) = (sorted(&stored), sorted(&seeded));
        assert_eq!(
            stored.iter().map(|p| &p.sku).collect::<Vec<_>>(),
            seeded.iter().map(|p| &p.sku).collect::<Vec<_>>(),
            "the same SKUs"
        );
        for (stored, seeded) in stored.iter().zip(&seeded) {
            assert_eq!(stored, seeded, "product {}", seeded.sku);
        }
    })
    .await;
}
