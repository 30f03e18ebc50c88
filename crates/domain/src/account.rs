//! Customer accounts, as the rules see them: an id, and what the account holds.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::keys::ActivationCode;
use crate::region::Region;

/// Database id of a customer account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub i64);

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The identifying facts of an account, used for hints and conflict messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// The account.
    pub id: AccountId,
    /// Its email address (never shown unmasked to anyone else).
    pub email: String,
    /// Its company name.
    pub company: String,
}

/// What an account holds: its XDR region, its Activation Codes and its active SaaS instances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holdings {
    /// The account.
    pub account_id: AccountId,
    /// Its XDR region, once XDR is enabled; it never changes afterwards.
    pub xdr_region: Option<Region>,
    /// Its Activation Codes.
    pub activation_codes: Vec<HeldCode>,
    /// Its active SaaS instances (cancelled ones are left out).
    pub saas_instances: Vec<HeldSaas>,
}

/// An Activation Code held by an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldCode {
    /// The code.
    pub code: ActivationCode,
    /// The product it activates.
    pub sku: String,
    /// Its expiry date.
    pub term_end: NaiveDate,
    /// The order line that issued it, if any.
    pub line_id: Option<i64>,
}

/// An active SaaS instance held by an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldSaas {
    /// The service, e.g. `cloud-app-security`.
    pub service: String,
    /// The order line that provisioned it.
    pub line_id: i64,
    /// The order of that line.
    pub order_id: i64,
}

impl Holdings {
    /// The holdings of a new account: nothing, and no XDR region.
    pub fn empty(account_id: AccountId) -> Self {
        Holdings {
            account_id,
            xdr_region: None,
            activation_codes: Vec::new(),
            saas_instances: Vec::new(),
        }
    }

    /// The active instance of a service, if the account holds one.
    pub fn active_saas(&self, service: &str) -> Option<&HeldSaas> {
        self.saas_instances.iter().find(|s| s.service == service)
    }

    /// The held Activation Code equal to this one.
    pub fn code(&self, code: &ActivationCode) -> Option<&HeldCode> {
        self.activation_codes.iter().find(|c| &c.code == code)
    }
}

/// The owner of an Activation Code as known by the database (for retained and renewed ACs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcOwner {
    /// The code.
    pub code: ActivationCode,
    /// The account it is registered to.
    pub account: AccountSummary,
    /// When it was registered to that account (issued or imported); `None` when unknown,
    /// taken as before any purchase.
    pub registered_at: Option<DateTime<Utc>>,
}

impl AcOwner {
    /// Whether the code was registered by the day `date` (a purchase date): a code registered
    /// that day counts, as the purchase has no time of day to compare with.
    pub fn registered_by(&self, date: NaiveDate) -> bool {
        self.registered_at
            .is_none_or(|registered_at| registered_at.date_naive() <= date)
    }
}

/// The owner of `code` among `owners`.
pub fn owner_of<'a>(owners: &'a [AcOwner], code: &ActivationCode) -> Option<&'a AcOwner> {
    owners.iter().find(|o| &o.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holdings_of_a_new_account_are_empty_and_have_no_region() {
        let h = Holdings::empty(AccountId(3));
        assert_eq!(h.account_id, AccountId(3));
        assert_eq!(h.xdr_region, None);
        assert!(h.activation_codes.is_empty() && h.saas_instances.is_empty());
        assert!(h.active_saas("cloud-app-security").is_none());
    }

    #[test]
    fn account_ids_display_as_plain_numbers() {
        assert_eq!(AccountId(12).to_string(), "12");
    }
}
