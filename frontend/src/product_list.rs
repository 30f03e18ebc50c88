//! What My products shows of a list of products: the order that puts what needs attention
//! first (by the server's `status` and `days_left` of each product), the filters by status and
//! text, and the pages. Pure Rust, so `cargo test -p clp-frontend --lib` checks it.

use clp_api_types::{ProductItem, ProductStatus};

/// Products a page shows: an account with a thousand products gets forty pages, not one.
pub const PAGE_SIZE: usize = 25;

/// Every status, in the order of the status filter's options.
pub const FILTER_STATUSES: [ProductStatus; 3] = [
    ProductStatus::Active,
    ProductStatus::Expiring,
    ProductStatus::Expired,
];

/// The status of a status filter's option value (`None` for "all statuses").
pub fn parse_status(value: &str) -> Option<ProductStatus> {
    FILTER_STATUSES.into_iter().find(|s| s.as_str() == value)
}

/// A product with what the page needs to filter it. Its status and days left are the
/// server's (`status`, `days_left` of the product).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The product.
    pub product: ProductItem,
    /// Product name, order number and codes, lower case, for the text filter.
    haystack: String,
}

/// Lower case, without hyphens and spaces: a code or order number matches however typed.
fn folded(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The rows of `products`, what needs attention first: expired (the most recently expired
/// first), then expiring (fewest days left first), then active (fewest days left first).
pub fn rows(products: Vec<ProductItem>) -> Vec<Row> {
    let mut rows: Vec<Row> = products
        .into_iter()
        .map(|product| {
            let mut haystack = folded(&product.product_name);
            for part in [&product.order_number, &product.sku]
                .into_iter()
                .chain(&product.activation_codes)
            {
                haystack.push('\n');
                haystack.push_str(&folded(part));
            }
            Row { product, haystack }
        })
        .collect();
    rows.sort_by(|a, b| {
        let rank = |r: &Row| {
            let days_left = r.product.days_left;
            match r.product.status {
                ProductStatus::Expired => (0, -days_left),
                ProductStatus::Expiring => (1, days_left),
                ProductStatus::Active => (2, days_left),
            }
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.product.product_name.cmp(&b.product.product_name))
            .then_with(|| a.product.order_number.cmp(&b.product.order_number))
    });
    rows
}

/// The indexes of the rows that pass both filters, in order.
pub fn matching(rows: &[Row], status: Option<ProductStatus>, text: &str) -> Vec<usize> {
    let needle = folded(text.trim());
    rows.iter()
        .enumerate()
        .filter(|(_, row)| status.is_none_or(|s| row.product.status == s))
        .filter(|(_, row)| needle.is_empty() || row.haystack.contains(&needle))
        .map(|(i, _)| i)
        .collect()
}

/// How many pages `count` rows take (at least one).
pub fn page_count(count: usize) -> usize {
    count.div_ceil(PAGE_SIZE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clp_api_types::DeliveryKind;

    /// A product whose status and days left the server gave as `days_left` days from today.
    fn product(name: &str, order: &str, days_left: i64, code: &str) -> ProductItem {
        let today: chrono::NaiveDate = "2026-06-01".parse().unwrap();
        ProductItem {
            sku: "SKU".into(),
            product_name: name.into(),
            delivery: DeliveryKind::Ac,
            seats: 1,
            term_start: "2025-01-01".parse().unwrap(),
            term_end: today + chrono::TimeDelta::days(days_left),
            activation_codes: vec![code.into()],
            status: ProductStatus::from_days_left(days_left),
            days_left,
            xdr_addon: false,
            xdr_related: false,
            saas_service: None,
            order_number: order.into(),
            console_url: None,
        }
    }

    #[test]
    fn what_needs_attention_comes_first() {
        let list = vec![
            product("Active far", "SO-1", 365, "AA-1"),
            product("Expiring late", "SO-2", 49, "AA-2"),
            product("Expired long ago", "SO-3", -365, "AA-3"),
            product("Expiring soon", "SO-4", 7, "AA-4"),
            product("Expired lately", "SO-5", -12, "AA-5"),
            product("Active near", "SO-6", 92, "AA-6"),
        ];
        let names: Vec<_> = rows(list)
            .into_iter()
            .map(|r| r.product.product_name)
            .collect();
        assert_eq!(
            names,
            [
                "Expired lately",
                "Expired long ago",
                "Expiring soon",
                "Expiring late",
                "Active near",
                "Active far"
            ]
        );
    }

    #[test]
    fn the_server_status_is_taken_as_given() {
        // Whatever the days left, the page filters by the status the server gave.
        let mut p = product("Cancelled", "SO-9", 30, "CC-1");
        p.status = ProductStatus::Expired;
        let all = rows(vec![p]);
        assert_eq!(matching(&all, Some(ProductStatus::Expired), "").len(), 1);
        assert_eq!(matching(&all, Some(ProductStatus::Expiring), "").len(), 0);
    }

    #[test]
    fn filters_by_status_and_by_product_order_or_code() {
        let all = rows(vec![
            product("Apex One", "SO-100", 214, "AP-1234-ABCDE"),
            product("Deep Security", "SO-200", 9, "DS-9999-ZZZZZ"),
            product("Apex One", "SO-300", -516, "AP-5555-QQQQQ"),
        ]);
        assert_eq!(matching(&all, None, "").len(), 3);
        assert_eq!(matching(&all, Some(ProductStatus::Expiring), "").len(), 1);
        assert_eq!(matching(&all, None, "apex").len(), 2);
        assert_eq!(
            matching(&all, Some(ProductStatus::Expired), "apex").len(),
            1
        );
        assert_eq!(matching(&all, None, "so-200").len(), 1);
        assert_eq!(matching(&all, None, "ds 9999 zzzzz").len(), 1);
        assert_eq!(matching(&all, None, "nothing like it").len(), 0);
    }

    #[test]
    fn filter_options_round_trip() {
        for status in FILTER_STATUSES {
            assert_eq!(parse_status(status.as_str()), Some(status));
        }
        assert_eq!(parse_status(""), None);
    }

    #[test]
    fn a_thousand_products_take_forty_pages() {
        assert_eq!(page_count(1000), 40);
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(25), 1);
        assert_eq!(page_count(26), 2);
    }
}
