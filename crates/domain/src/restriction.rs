//! Restrictions as data: the stable codes of DOMAIN.md ([`Restriction`]) and, for each broken
//! restriction, what exactly is in the way ([`ConflictReason`]: the product, the service, the
//! regions, the masked owner). No prose: each language renders a reason in one place (the
//! server's message catalogs, the web app's).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::region::Region;

/// A rule that stops an activation or registration, with a stable snake_case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restriction {
    /// The account already holds an active instance of a SaaS service of the order.
    SaasConflict,
    /// The order pins an XDR region other than the account's (or pins two regions).
    RegionConflict,
    /// A cross grade (suite with a retained AC, plus an XDR add-on) must use the AC's account.
    CrossgradeAccountRequired,
    /// A renewal for an AC that another account owns.
    RenewalAccountMismatch,
    /// Every line of the order is registered.
    NothingToActivate,
    /// The verification link is past its expiry.
    VerificationExpired,
    /// The entered line was registered meanwhile (legacy flow).
    AlreadyRegistered,
    /// The key belongs to the other flow (account based vs legacy).
    WrongFlow,
}

impl Restriction {
    /// Every restriction, in DOMAIN.md's order.
    pub const ALL: [Restriction; 8] = [
        Restriction::SaasConflict,
        Restriction::RegionConflict,
        Restriction::CrossgradeAccountRequired,
        Restriction::RenewalAccountMismatch,
        Restriction::NothingToActivate,
        Restriction::VerificationExpired,
        Restriction::AlreadyRegistered,
        Restriction::WrongFlow,
    ];

    /// The stable snake_case code, e.g. `saas_conflict`.
    pub fn code(self) -> &'static str {
        match self {
            Restriction::SaasConflict => "saas_conflict",
            Restriction::RegionConflict => "region_conflict",
            Restriction::CrossgradeAccountRequired => "crossgrade_account_required",
            Restriction::RenewalAccountMismatch => "renewal_account_mismatch",
            Restriction::NothingToActivate => "nothing_to_activate",
            Restriction::VerificationExpired => "verification_expired",
            Restriction::AlreadyRegistered => "already_registered",
            Restriction::WrongFlow => "wrong_flow",
        }
    }
}

impl fmt::Display for Restriction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What exactly breaks a restriction: the specifics every language needs to say it. Products
/// are named by their catalog names, accounts by masked emails only; never a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ConflictReason {
    /// `saas_conflict`: `product` provisions `service`, and the account already runs an active
    /// instance of it from another order.
    SaasServiceHeld {
        /// The product of the line.
        product: String,
        /// The SaaS service it provisions.
        service: String,
    },
    /// `region_conflict`: two products of the order fix different XDR regions.
    RegionPinsDiffer {
        /// The product of this line.
        product: String,
        /// The region it fixes.
        region: Region,
        /// The product that fixed the order's region first.
        other_product: String,
        /// The region that one fixes.
        other_region: Region,
    },
    /// `region_conflict`: the order fixes `order_region`, the account's region (which never
    /// changes) is `account_region`.
    RegionConflict {
        /// The product fixing the region, when the conflict is about one line.
        product: Option<String>,
        /// The account's XDR region.
        account_region: Region,
        /// The region the order fixes.
        order_region: Region,
    },
    /// `crossgrade_account_required`: `suite` extends the `component` code registered to
    /// another account, whose masked email is `owner`.
    CrossGrade {
        /// The suite of the order.
        suite: String,
        /// The component whose code it extends.
        component: String,
        /// The masked email of the account owning that code.
        owner: String,
    },
    /// `renewal_account_mismatch`: this renewal of `product` extends a code of another account
    /// (`owner`, masked, when the code is registered at all).
    RenewalOwnedElsewhere {
        /// The renewed product.
        product: String,
        /// The masked email of the owning account, if the code is registered.
        owner: Option<String>,
    },
    /// `crossgrade_account_required` or `renewal_account_mismatch`, found while completing: the
    /// code the order extends is no longer registered to this account.
    ExtendedCodeElsewhere {
        /// Whether the order is a renewal (else a cross grade).
        renewal: bool,
    },
    /// `nothing_to_activate`: every product of the order is registered.
    EveryLineRegistered {
        /// The order.
        order_number: String,
    },
    /// `nothing_to_activate`: the entered key is not a key of the order (legacy plan).
    KeyNotInOrder {
        /// The order.
        order_number: String,
    },
    /// `already_registered`: `product` of the order is registered.
    LineRegistered {
        /// The product of the line.
        product: String,
        /// The order.
        order_number: String,
    },
    /// `already_registered`: another activation registered a product of the order while this
    /// one completed; nothing was registered by this one.
    RegisteredMeanwhile {
        /// The order.
        order_number: String,
    },
    /// `wrong_flow`: an account-based activation of an order that takes the original
    /// (legacy) registration process.
    LegacyOrder {
        /// The order.
        order_number: String,
    },
    /// `wrong_flow`: a legacy registration of an order with XDR add-ons, which is activated
    /// whole through the account-based flow.
    AccountBasedOrder {
        /// The order.
        order_number: String,
    },
    /// `verification_expired`: the verification link is past its expiry.
    LinkExpired,
    /// `nothing_to_activate`: the verification link was followed before; the order is
    /// activated.
    LinkUsed,
}

impl ConflictReason {
    /// The restriction this reason breaks.
    pub fn restriction(&self) -> Restriction {
        match self {
            ConflictReason::SaasServiceHeld { .. } => Restriction::SaasConflict,
            ConflictReason::RegionPinsDiffer { .. } | ConflictReason::RegionConflict { .. } => {
                Restriction::RegionConflict
            }
            ConflictReason::CrossGrade { .. } => Restriction::CrossgradeAccountRequired,
            ConflictReason::RenewalOwnedElsewhere { .. } => Restriction::RenewalAccountMismatch,
            ConflictReason::ExtendedCodeElsewhere { renewal: true } => {
                Restriction::RenewalAccountMismatch
            }
            ConflictReason::ExtendedCodeElsewhere { renewal: false } => {
                Restriction::CrossgradeAccountRequired
            }
            ConflictReason::EveryLineRegistered { .. }
            | ConflictReason::KeyNotInOrder { .. }
            | ConflictReason::LinkUsed => Restriction::NothingToActivate,
            ConflictReason::LineRegistered { .. } | ConflictReason::RegisteredMeanwhile { .. } => {
                Restriction::AlreadyRegistered
            }
            ConflictReason::LegacyOrder { .. } | ConflictReason::AccountBasedOrder { .. } => {
                Restriction::WrongFlow
            }
            ConflictReason::LinkExpired => Restriction::VerificationExpired,
        }
    }
}

/// One broken restriction: for which line, and what is in the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The order line concerned, if one.
    pub line_id: Option<i64>,
    /// What is in the way (it decides the restriction).
    pub reason: ConflictReason,
}

impl Conflict {
    /// A conflict for `line_id` because of `reason`.
    pub fn new(line_id: Option<i64>, reason: ConflictReason) -> Self {
        Conflict { line_id, reason }
    }

    /// The restriction broken.
    pub fn restriction(&self) -> Restriction {
        self.reason.restriction()
    }

    /// The stable code of its restriction.
    pub fn code(&self) -> &'static str {
        self.restriction().code()
    }
}

/// One reason of each kind, for tests that render every reason in every language.
pub fn sample_reasons() -> Vec<ConflictReason> {
    let product = || "Apex One".to_owned();
    let order_number = || "SO-1".to_owned();
    vec![
        ConflictReason::SaasServiceHeld {
            product: "XDR Add-On: Cloud App Security".to_owned(),
            service: "cloud-app-security".to_owned(),
        },
        ConflictReason::RegionPinsDiffer {
            product: "XDR Addon: Deep Discovery Inspector (JP)".to_owned(),
            region: Region::Jp,
            other_product: "XDR Addon: Deep Discovery Inspector (EU)".to_owned(),
            other_region: Region::Eu,
        },
        ConflictReason::RegionConflict {
            product: Some("XDR Addon: Deep Discovery Inspector (JP)".to_owned()),
            account_region: Region::Us,
            order_region: Region::Jp,
        },
        ConflictReason::RegionConflict {
            product: None,
            account_region: Region::Us,
            order_region: Region::Jp,
        },
        ConflictReason::CrossGrade {
            suite: "Complete User Protection".to_owned(),
            component: product(),
            owner: "a***@acme.example".to_owned(),
        },
        ConflictReason::RenewalOwnedElsewhere {
            product: product(),
            owner: Some("a***@acme.example".to_owned()),
        },
        ConflictReason::RenewalOwnedElsewhere {
            product: product(),
            owner: None,
        },
        ConflictReason::ExtendedCodeElsewhere { renewal: true },
        ConflictReason::ExtendedCodeElsewhere { renewal: false },
        ConflictReason::EveryLineRegistered {
            order_number: order_number(),
        },
        ConflictReason::KeyNotInOrder {
            order_number: order_number(),
        },
        ConflictReason::LineRegistered {
            product: product(),
            order_number: order_number(),
        },
        ConflictReason::RegisteredMeanwhile {
            order_number: order_number(),
        },
        ConflictReason::LegacyOrder {
            order_number: order_number(),
        },
        ConflictReason::AccountBasedOrder {
            order_number: order_number(),
        },
        ConflictReason::LinkExpired,
        ConflictReason::LinkUsed,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_restriction_has_a_stable_snake_case_code() {
        let expected = [
            "saas_conflict",
            "region_conflict",
            "crossgrade_account_required",
            "renewal_account_mismatch",
            "nothing_to_activate",
            "verification_expired",
            "already_registered",
            "wrong_flow",
        ];
        for (restriction, code) in Restriction::ALL.into_iter().zip(expected) {
            assert_eq!(restriction.code(), code);
            assert_eq!(restriction.to_string(), code);
        }
    }

    #[test]
    fn the_samples_break_every_restriction() {
        let broken: Vec<Restriction> = sample_reasons()
            .iter()
            .map(ConflictReason::restriction)
            .collect();
        for restriction in Restriction::ALL {
            assert!(broken.contains(&restriction), "{restriction}");
        }
    }
}
