//! Orders (license certificates) and their lines, as partners create them.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::account::AccountId;
use crate::catalog::{Catalog, Delivery};
use crate::keys::{ActivationCode, RegistrationKey};

/// Whether an order is a new purchase or a renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderType {
    /// A new purchase.
    New,
    /// A renewal of products the customer already has.
    Renewal,
}

/// The text given to [`OrderType::from_str`] names no order type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown order type `{0}`; expected new or renewal")]
pub struct UnknownOrderType(pub String);

impl OrderType {
    /// The lower-case code: `new` or `renewal`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderType::New => "new",
            OrderType::Renewal => "renewal",
        }
    }
}

impl fmt::Display for OrderType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderType {
    type Err = UnknownOrderType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [OrderType::New, OrderType::Renewal]
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownOrderType(s.to_owned()))
    }
}

/// The customer an order was sold to, as the partner entered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndCustomer {
    /// Company name.
    pub company: String,
    /// Contact person's full name.
    pub contact_name: String,
    /// Contact person's email address.
    pub contact_email: String,
    /// Country, ISO 3166 alpha-2 (e.g. `JP`).
    pub country: String,
}

/// One order: a license certificate with one Registration Key per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// Database id.
    pub id: i64,
    /// The partner's order number (unique per partner).
    pub order_number: String,
    /// New purchase or renewal.
    pub order_type: OrderType,
    /// Date of purchase.
    pub purchase_date: NaiveDate,
    /// The partner that sold it.
    pub partner_id: i64,
    /// The customer it was sold to.
    pub end_customer: EndCustomer,
    /// The order lines, in line number order.
    pub lines: Vec<OrderLine>,
    /// Whether the partner cancelled the order: its keys register nothing any more.
    #[serde(default)]
    pub cancelled: bool,
}

/// One line of an order: a product, its seats and term, and its own Registration Key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Database id.
    pub id: i64,
    /// Position in the order, from 1.
    pub line_no: u32,
    /// The product sold.
    pub sku: String,
    /// Number of seats.
    pub seats: u32,
    /// First day of the term.
    pub term_start: NaiveDate,
    /// Last day of the term.
    pub term_end: NaiveDate,
    /// The line's Registration Key (a secret of the certificate holder).
    pub registration_key: RegistrationKey,
    /// Components of a suite line (empty for other products).
    pub components: Vec<SuiteComponent>,
    /// The Activation Code a renewal line renews.
    pub renews_ac: Option<ActivationCode>,
    /// Set once the line is registered to an account; never set twice.
    pub registration: Option<LineRegistration>,
}

/// A component of a suite line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiteComponent {
    /// The component product.
    pub sku: String,
    /// An AC the customer already owns that this purchase extends (a cross grade).
    pub retained_ac: Option<ActivationCode>,
}

/// The registration of a line to an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRegistration {
    /// The account the line is registered to.
    pub account_id: AccountId,
    /// When it was registered.
    pub registered_at: DateTime<Utc>,
}

impl OrderLine {
    /// Whether the line is registered to an account.
    pub fn is_registered(&self) -> bool {
        self.registration.is_some()
    }

    /// Whether the line renews an existing Activation Code.
    pub fn is_renewal(&self) -> bool {
        self.renews_ac.is_some()
    }

    /// The component SKUs of a suite line: the line's own list, else the catalog's.
    pub fn component_skus<'a>(&'a self, catalog: &'a Catalog) -> Vec<&'a str> {
        if self.components.is_empty() {
            catalog
                .get(&self.sku)
                .map(|p| p.components.iter().map(String::as_str).collect())
                .unwrap_or_default()
        } else {
            self.components.iter().map(|c| c.sku.as_str()).collect()
        }
    }
}

impl Order {
    /// The line whose Registration Key this is.
    pub fn line_by_key(&self, key: &RegistrationKey) -> Option<&OrderLine> {
        self.lines.iter().find(|l| &l.registration_key == key)
    }

    /// The line with this id.
    pub fn line(&self, line_id: i64) -> Option<&OrderLine> {
        self.lines.iter().find(|l| l.id == line_id)
    }

    /// The lines not registered yet, in order.
    pub fn unregistered_lines(&self) -> Vec<&OrderLine> {
        self.lines.iter().filter(|l| !l.is_registered()).collect()
    }

    /// How many lines are registered.
    pub fn registered_count(&self) -> u32 {
        let n = self.lines.iter().filter(|l| l.is_registered()).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Whether any line is an XDR add-on.
    pub fn has_xdr_addon(&self, catalog: &Catalog) -> bool {
        self.lines
            .iter()
            .any(|l| catalog.get(&l.sku).is_some_and(|p| p.xdr_addon))
    }

    /// Whether any line is a suite.
    pub fn has_suite(&self, catalog: &Catalog) -> bool {
        self.lines.iter().any(|l| {
            catalog
                .get(&l.sku)
                .is_some_and(|p| p.delivery == Delivery::Suite)
        })
    }

    /// A cross grade: the order has a suite line and an XDR add-on line, so a retained AC of
    /// the suite binds the order to the account that owns that AC.
    pub fn is_cross_grade(&self, catalog: &Catalog) -> bool {
        self.has_suite(catalog) && self.has_xdr_addon(catalog)
    }

    /// Every retained AC named by a suite component of the order.
    pub fn retained_acs(&self) -> Vec<&ActivationCode> {
        self.lines
            .iter()
            .flat_map(|l| l.components.iter())
            .filter_map(|c| c.retained_ac.as_ref())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{OrderBuilder, key};

    #[test]
    fn line_by_key_finds_the_line_of_an_entered_key() {
        let order = OrderBuilder::new_order().line("XDR-DDI").line("A1").build();
        assert_eq!(
            order.line_by_key(&key(&order, 2)).map(|l| l.line_no),
            Some(2)
        );
        let other = OrderBuilder::new_order()
            .line("CAS")
            .line("DDI")
            .line("SMEX")
            .build();
        assert!(order.line_by_key(&key(&other, 3)).is_none());
    }

    #[test]
    fn unregistered_lines_leave_out_registered_ones() {
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .line("A1")
            .line("DDI")
            .registered(2, 1)
            .build();
        let nos: Vec<u32> = order
            .unregistered_lines()
            .iter()
            .map(|l| l.line_no)
            .collect();
        assert_eq!(nos, [1, 3]);
        assert_eq!(order.registered_count(), 1);
    }

    #[test]
    fn an_order_with_a_suite_and_an_xdr_addon_is_a_cross_grade() {
        let catalog = Catalog::seeded();
        let cross = OrderBuilder::new_order()
            .suite("CUP", &[])
            .line("XDR-EPS")
            .build();
        let suite_only = OrderBuilder::new_order()
            .suite("CUP", &[])
            .line("A1")
            .build();
        assert!(cross.is_cross_grade(&catalog));
        assert!(!suite_only.is_cross_grade(&catalog));
    }

    #[test]
    fn order_types_use_lower_case_codes() {
        assert_eq!("Renewal".parse::<OrderType>(), Ok(OrderType::Renewal));
        assert_eq!(OrderType::New.as_str(), "new");
        assert!("upgrade".parse::<OrderType>().is_err());
    }
}
