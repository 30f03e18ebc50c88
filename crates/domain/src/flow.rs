//! Which activation flow an order takes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::order::{Order, OrderType};

/// The two activation processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// The Vision One account-based flow: the whole order at once, verified by email, with XDR.
    AccountBased,
    /// The original CLP registration: only the entered key's line, at once, no XDR.
    Legacy,
}

/// The text given to [`Flow::from_str`] names no flow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown flow `{0}`; expected account_based or legacy")]
pub struct UnknownFlow(pub String);

impl Flow {
    /// The snake_case code: `account_based` or `legacy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::AccountBased => "account_based",
            Flow::Legacy => "legacy",
        }
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Flow {
    type Err = UnknownFlow;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Flow::AccountBased, Flow::Legacy]
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownFlow(s.to_owned()))
    }
}

/// The flow of an order: renewals keep the legacy flow; a new order with at least one XDR
/// add-on line takes the account-based flow; any other new order the legacy flow.
pub fn flow_for(order: &Order, catalog: &Catalog) -> Flow {
    match order.order_type {
        OrderType::Renewal => Flow::Legacy,
        OrderType::New if order.has_xdr_addon(catalog) => Flow::AccountBased,
        OrderType::New => Flow::Legacy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::OrderBuilder;

    #[test]
    fn renewal_orders_take_the_legacy_flow() {
        let catalog = Catalog::seeded();
        let plain = OrderBuilder::renewal_order().line("A1").build();
        let with_addon = OrderBuilder::renewal_order()
            .line("XDR-DDI")
            .line("A1")
            .build();
        assert_eq!(flow_for(&plain, &catalog), Flow::Legacy);
        assert_eq!(flow_for(&with_addon, &catalog), Flow::Legacy);
    }

    #[test]
    fn new_orders_with_an_xdr_addon_take_the_account_based_flow() {
        let catalog = Catalog::seeded();
        for addon in [
            "XDR-CAS",
            "XDR-DDI",
            "XDR-DDI-JP",
            "XDR-DDI-EU",
            "XDR-EPS",
            "XDR-A1SAAS",
        ] {
            let order = OrderBuilder::new_order().line("SMEX").line(addon).build();
            assert_eq!(flow_for(&order, &catalog), Flow::AccountBased, "{addon}");
        }
    }

    #[test]
    fn new_orders_without_xdr_addons_take_the_legacy_flow() {
        let catalog = Catalog::seeded();
        // XDR-related endpoint products are not add-ons.
        let order = OrderBuilder::new_order()
            .line("A1")
            .line("A1SAAS")
            .suite("CUP", &[])
            .build();
        assert_eq!(flow_for(&order, &catalog), Flow::Legacy);
    }

    #[test]
    fn flows_serialize_as_snake_case_codes() {
        assert_eq!(Flow::AccountBased.as_str(), "account_based");
        assert_eq!(Flow::Legacy.to_string(), "legacy");
        assert_eq!("ACCOUNT_BASED".parse::<Flow>(), Ok(Flow::AccountBased));
        assert!("other".parse::<Flow>().is_err());
    }
}
