//! What My products shows of a list of products: each product's status (active, expiring with
//! the days left, expired), the order that puts what needs attention first, the filters by
//! status and text, and the pages. Pure Rust, so `cargo test -p clp-frontend --lib` checks it.

use chrono::NaiveDate;
use clp_api_types::{ProductItem, ProductStatus};

/// Products a page shows: an account with a thousand products gets forty pages, not one.
pub const PAGE_SIZE: usize = 25;

/// A license is `expiring` when this many days or fewer are left (the server's rule).
const EXPIRING_DAYS: i64 = 60;

/// A product's status as the page shows and filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shown {
    /// The term has ended.
    Expired,
    /// The term ends within 60 days.
    Expiring,
    /// The term is current.
    Active,
}

impl Shown {
    /// Every status, in the order of the filter.
    pub const ALL: [Shown; 3] = [Shown::Active, Shown::Expiring, Shown::Expired];

    /// The value of the filter's option.
    pub const fn as_str(self) -> &'static str {
        match self {
            Shown::Expired => "expired",
            Shown::Expiring => "expiring",
            Shown::Active => "active",
        }
    }

    /// The status of a filter's option value.
    pub fn parse(value: &str) -> Option<Shown> {
        Shown::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// A product's status and days left (negative once expired).
///
/// The days left count from `today` to the term's last day; the status is the server's when
/// it says `expired`, else it follows the days left.
pub fn status_of(product: &ProductItem, today: NaiveDate) -> (Shown, i64) {
    let days_left = (product.term_end - today).num_days();
    let shown = if product.status == ProductStatus::Expired || days_left < 0 {
        Shown::Expired
    } else if days_left <= EXPIRING_DAYS {
        Shown::Expiring
    } else {
        Shown::Active
    };
    (shown, days_left)
}

/// A product with what the page needs to sort and filter it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The product.
    pub product: ProductItem,
    /// Its status.
    pub shown: Shown,
    /// Days left until the term's last day (negative once expired).
    pub days_left: i64,
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
pub fn rows(products: Vec<ProductItem>, today: NaiveDate) -> Vec<Row> {
    let mut rows: Vec<Row> = products
        .into_iter()
        .map(|product| {
            let (shown, days_left) = status_of(&product, today);
            let mut haystack = folded(&product.product_name);
            for part in [&product.order_number, &product.sku]
                .into_iter()
                .chain(&product.activation_codes)
            {
                haystack.push('\n');
                haystack.push_str(&folded(part));
            }
            Row {
                product,
                shown,
                days_left,
                haystack,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let rank = |r: &Row| match r.shown {
            Shown::Expired => (0, -r.days_left),
            Shown::Expiring => (1, r.days_left),
            Shown::Active => (2, r.days_left),
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.product.product_name.cmp(&b.product.product_name))
            .then_with(|| a.product.order_number.cmp(&b.product.order_number))
    });
    rows
}

/// The indexes of the rows that pass both filters, in order.
pub fn matching(rows: &[Row], status: Option<Shown>, text: &str) -> Vec<usize> {
    let needle = folded(text.trim());
    rows.iter()
        .enumerate()
        .filter(|(_, row)| status.is_none_or(|s| row.shown == s))
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

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn product(name: &str, order: &str, term_end: &str, code: &str) -> ProductItem {
        ProductItem {
            sku: "SKU".into(),
            product_name: name.into(),
            delivery: DeliveryKind::Ac,
            seats: 1,
            term_start: day("2025-01-01"),
            term_end: day(term_end),
            activation_codes: vec![code.into()],
            status: if day(term_end) < day("2026-06-01") {
                ProductStatus::Expired
            } else {
                ProductStatus::Active
            },
            xdr_addon: false,
            xdr_related: false,
            saas_service: None,
            order_number: order.into(),
            console_url: None,
        }
    }

    #[test]
    fn statuses_follow_the_days_left() {
        let today = day("2026-06-01");
        let p = product("A", "SO-1", "2026-07-31", "AA-1");
        assert_eq!(status_of(&p, today), (Shown::Expiring, 60));
        let p = product("A", "SO-1", "2026-08-01", "AA-1");
        assert_eq!(status_of(&p, today), (Shown::Active, 61));
        let p = product("A", "SO-1", "2026-06-01", "AA-1");
        assert_eq!(status_of(&p, today), (Shown::Expiring, 0));
        let p = product("A", "SO-1", "2026-05-31", "AA-1");
        assert_eq!(status_of(&p, today), (Shown::Expired, -1));
    }

    #[test]
    fn what_needs_attention_comes_first() {
        let today = day("2026-06-01");
        let list = vec![
            product("Active far", "SO-1", "2027-06-01", "AA-1"),
            product("Expiring late", "SO-2", "2026-07-20", "AA-2"),
            product("Expired long ago", "SO-3", "2025-06-01", "AA-3"),
            product("Expiring soon", "SO-4", "2026-06-08", "AA-4"),
            product("Expired lately", "SO-5", "2026-05-20", "AA-5"),
            product("Active near", "SO-6", "2026-09-01", "AA-6"),
        ];
        let names: Vec<_> = rows(list, today)
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
    fn filters_by_status_and_by_product_order_or_code() {
        let today = day("2026-06-01");
        let all = rows(
            vec![
                product("Apex One", "SO-100", "2027-01-01", "AP-1234-ABCDE"),
                product("Deep Security", "SO-200", "2026-06-10", "DS-9999-ZZZZZ"),
                product("Apex One", "SO-300", "2025-01-01", "AP-5555-QQQQQ"),
            ],
            today,
        );
        assert_eq!(matching(&all, None, "").len(), 3);
        assert_eq!(matching(&all, Some(Shown::Expiring), "").len(), 1);
        assert_eq!(matching(&all, None, "apex").len(), 2);
        assert_eq!(matching(&all, Some(Shown::Expired), "apex").len(), 1);
        assert_eq!(matching(&all, None, "so-200").len(), 1);
        assert_eq!(matching(&all, None, "ds 9999 zzzzz").len(), 1);
        assert_eq!(matching(&all, None, "nothing like it").len(), 0);
    }

    #[test]
    fn a_thousand_products_take_forty_pages() {
        assert_eq!(page_count(1000), 40);
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(25), 1);
        assert_eq!(page_count(26), 2);
    }
}
