//! Restrictions: the stable error codes of DOMAIN.md with their remedies, and the evaluation
//! of the conflicts an order has with the account it would be registered to.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::account::{AcOwner, AccountId, Holdings, owner_of};
use crate::catalog::{Catalog, Delivery, Product};
use crate::keys::ActivationCode;
use crate::mask::mask_email;
use crate::order::{Order, OrderLine};
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

    /// What the customer can do about it, in plain English.
    pub fn remedy(self) -> &'static str {
        match self {
            Restriction::SaasConflict | Restriction::RegionConflict => {
                "Register this order to another account, or create a new account."
            }
            Restriction::CrossgradeAccountRequired => {
                "Sign in to the account that owns the Activation Code this order extends (its email is shown masked)."
            }
            Restriction::RenewalAccountMismatch => {
                "Sign in to the account that owns the Activation Code this renewal extends."
            }
            Restriction::NothingToActivate => {
                "Nothing to do: every product of this order is already registered."
            }
            Restriction::VerificationExpired => {
                "The verification link has expired. Start the activation again."
            }
            Restriction::AlreadyRegistered => {
                "This product is already registered. View your products."
            }
            Restriction::WrongFlow => {
                "This key takes a different activation process; follow the step named in the message."
            }
        }
    }
}

impl fmt::Display for Restriction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One broken restriction: which, for which line, and why in plain English (never a key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The restriction broken.
    pub restriction: Restriction,
    /// The order line concerned, if one.
    pub line_id: Option<i64>,
    /// Plain-English explanation naming the product, service or region (masked emails only).
    pub detail: String,
}

impl Conflict {
    /// A conflict of `restriction` for `line_id`, explained by `detail`.
    pub fn new(restriction: Restriction, line_id: Option<i64>, detail: impl Into<String>) -> Self {
        Conflict {
            restriction,
            line_id,
            detail: detail.into(),
        }
    }

    /// The stable code of its restriction.
    pub fn code(&self) -> &'static str {
        self.restriction.code()
    }
}

/// The account an order would be registered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// An existing account, with what it holds.
    Existing(&'a Holdings),
    /// An account created by this activation: it holds nothing and has no XDR region.
    NewAccount,
}

impl<'a> Target<'a> {
    /// The account id, for an existing account.
    pub fn account_id(&self) -> Option<AccountId> {
        match self {
            Target::Existing(h) => Some(h.account_id),
            Target::NewAccount => None,
        }
    }

    /// The holdings, for an existing account.
    pub fn holdings(&self) -> Option<&'a Holdings> {
        match self {
            Target::Existing(h) => Some(h),
            Target::NewAccount => None,
        }
    }

    /// The account's XDR region, if it has one.
    pub fn xdr_region(&self) -> Option<Region> {
        self.holdings().and_then(|h| h.xdr_region)
    }

    /// Whether the target account owns `code`: it holds it, or the database says it owns it.
    pub fn owns(&self, code: &ActivationCode, ac_owners: &[AcOwner]) -> bool {
        match self {
            Target::Existing(h) => {
                h.code(code).is_some()
                    || owner_of(ac_owners, code).is_some_and(|o| o.account.id == h.account_id)
            }
            Target::NewAccount => false,
        }
    }
}

/// The catalog product of a line, if the catalog knows its SKU.
pub(crate) fn product_of<'c>(catalog: &'c Catalog, line: &OrderLine) -> Option<&'c Product> {
    catalog.get(&line.sku)
}

/// Describes a region for a message: `Japan (jp)`.
fn region_text(region: Region) -> String {
    format!("{} ({})", region.display_name(), region.as_str())
}

/// The `saas_conflict` of a line, if the target already holds its service from another order.
pub(crate) fn saas_conflict(
    order: &Order,
    catalog: &Catalog,
    line: &OrderLine,
    target: &Target,
) -> Option<Conflict> {
    let product = product_of(catalog, line)?;
    let service = product.saas_service.as_deref()?;
    if product.delivery != Delivery::Saas || line.is_renewal() {
        return None;
    }
    let held = target.holdings()?.active_saas(service)?;
    (held.order_id != order.id).then(|| {
        Conflict::new(
            Restriction::SaasConflict,
            Some(line.id),
            format!(
                "{} provisions the SaaS service {service}, and this account already has an \
                 active {service} instance from another order; an account holds only one \
                 instance of each SaaS service.",
                product.name
            ),
        )
    })
}

/// The `renewal_account_mismatch` of a renewal line, if the target does not own the renewed AC.
pub(crate) fn renewal_conflict(
    catalog: &Catalog,
    line: &OrderLine,
    target: &Target,
    ac_owners: &[AcOwner],
) -> Option<Conflict> {
    let renewed = line.renews_ac.as_ref()?;
    if target.owns(renewed, ac_owners) {
        return None;
    }
    let name = catalog.name_of(&line.sku);
    let detail = match owner_of(ac_owners, renewed) {
        Some(owner) => format!(
            "This renewal of {name} extends an Activation Code registered to the account {}; \
             a renewal is accepted only into the account that owns the code.",
            mask_email(&owner.account.email)
        ),
        None => format!(
            "This renewal of {name} extends an Activation Code that is not registered to this \
             account; a renewal is accepted only into the account that owns the code."
        ),
    };
    Some(Conflict::new(
        Restriction::RenewalAccountMismatch,
        Some(line.id),
        detail,
    ))
}

/// The region pins of the order's unregistered lines, with the line and product pinning each.
pub(crate) fn region_pins<'o, 'c>(
    order: &'o Order,
    catalog: &'c Catalog,
) -> Vec<(&'o OrderLine, &'c Product, Region)> {
    order
        .unregistered_lines()
        .into_iter()
        .filter_map(|line| {
            let product = product_of(catalog, line)?;
            product.region_pin.map(|pin| (line, product, pin))
        })
        .collect()
}

/// The conflicts of registering the order's unregistered lines to `target`: SaaS, region,
/// cross grade and renewal conflicts, or `nothing_to_activate` when no line is unregistered.
/// `ac_owners` are the owners of the order's retained and renewed ACs known to the database.
pub fn evaluate_conflicts(
    order: &Order,
    catalog: &Catalog,
    target: &Target,
    ac_owners: &[AcOwner],
) -> Vec<Conflict> {
    let unregistered = order.unregistered_lines();
    if unregistered.is_empty() {
        return vec![Conflict::new(
            Restriction::NothingToActivate,
            None,
            format!(
                "Every product of order {} is already registered.",
                order.order_number
            ),
        )];
    }
    let mut conflicts = Vec::new();

    for line in &unregistered {
        conflicts.extend(saas_conflict(order, catalog, line, target));
    }

    let pins = region_pins(order, catalog);
    if let Some(&(_, first_product, first_pin)) = pins.first() {
        for &(line, product, pin) in &pins {
            if pin != first_pin {
                conflicts.push(Conflict::new(
                    Restriction::RegionConflict,
                    Some(line.id),
                    format!(
                        "{} fixes the Trend Micro XDR region to {}, but {} in the same order \
                         fixes it to {}; one account has one region.",
                        product.name,
                        region_text(pin),
                        first_product.name,
                        region_text(first_pin)
                    ),
                ));
            } else if let Some(account_region) = target.xdr_region().filter(|r| *r != pin) {
                conflicts.push(Conflict::new(
                    Restriction::RegionConflict,
                    Some(line.id),
                    format!(
                        "{} fixes the Trend Micro XDR region to {}, but this account's XDR \
                         region is {}, and it never changes.",
                        product.name,
                        region_text(pin),
                        region_text(account_region)
                    ),
                ));
            }
        }
    }

    if order.is_cross_grade(catalog) {
        for line in &unregistered {
            if !product_of(catalog, line).is_some_and(Product::is_suite) {
                continue;
            }
            let mut owners_named: Vec<AccountId> = Vec::new();
            for component in &line.components {
                let Some(retained) = component.retained_ac.as_ref() else {
                    continue;
                };
                let Some(owner) = owner_of(ac_owners, retained) else {
                    continue;
                };
                if target.owns(retained, ac_owners) || owners_named.contains(&owner.account.id) {
                    continue;
                }
                owners_named.push(owner.account.id);
                conflicts.push(Conflict::new(
                    Restriction::CrossgradeAccountRequired,
                    Some(line.id),
                    format!(
                        "This order is a cross grade: {} extends the {} Activation Code \
                         registered to the account {}, so the order must be registered to that \
                         account.",
                        catalog.name_of(&line.sku),
                        catalog.name_of(&component.sku),
                        mask_email(&owner.account.email)
                    ),
                ));
            }
        }
    }

    for line in &unregistered {
        conflicts.extend(renewal_conflict(catalog, line, target, ac_owners));
    }
    conflicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{
        OrderBuilder, ac, account, holdings, line_id, owner, with_code, with_saas,
    };

    fn codes(conflicts: &[Conflict]) -> Vec<&'static str> {
        conflicts.iter().map(Conflict::code).collect()
    }

    /// No key of the order, and no retained or renewed AC, appears in any detail.
    fn assert_no_key_in(conflicts: &[Conflict], order: &Order, owners: &[AcOwner]) {
        for c in conflicts {
            for line in &order.lines {
                assert!(
                    !c.detail.contains(line.registration_key.as_str()),
                    "{}",
                    c.detail
                );
            }
            for o in owners {
                assert!(!c.detail.contains(o.code.as_str()), "{}", c.detail);
                assert!(!c.detail.contains(&o.account.email), "{}", c.detail);
            }
        }
    }

    #[test]
    fn every_restriction_has_a_stable_snake_case_code_and_a_remedy() {
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
            assert!(restriction.remedy().ends_with('.'), "{code}");
        }
        assert!(
            Restriction::SaasConflict
                .remedy()
                .contains("another account")
        );
        assert!(Restriction::RegionConflict.remedy().contains("new account"));
        assert!(
            Restriction::CrossgradeAccountRequired
                .remedy()
                .starts_with("Sign in")
        );
        assert!(
            Restriction::RenewalAccountMismatch
                .remedy()
                .starts_with("Sign in")
        );
        assert!(Restriction::VerificationExpired.remedy().contains("again"));
        assert!(
            Restriction::AlreadyRegistered
                .remedy()
                .contains("View your products")
        );
    }

    #[test]
    fn saas_conflict_when_account_holds_active_instance_of_the_service() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-CAS")
            .line("XDR-DDI")
            .build();
        let h = with_saas(holdings(1, None), "cloud-app-security", 99);
        let conflicts = evaluate_conflicts(&order, &catalog, &Target::Existing(&h), &[]);
        assert_eq!(codes(&conflicts), ["saas_conflict"]);
        assert_eq!(conflicts[0].line_id, Some(line_id(&order, 1)));
        assert!(
            conflicts[0]
                .detail
                .contains("XDR Add-On: Cloud App Security")
        );
        assert!(conflicts[0].detail.contains("cloud-app-security"));
        assert_no_key_in(&conflicts, &order, &[]);
    }

    #[test]
    fn saas_conflict_is_reported_once_per_line_of_the_held_service() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-A1SAAS")
            .line("A1SAAS")
            .line("CAS")
            .build();
        let h = with_saas(holdings(1, None), "apex-one-saas", 99);
        let conflicts = evaluate_conflicts(&order, &catalog, &Target::Existing(&h), &[]);
        assert_eq!(codes(&conflicts), ["saas_conflict", "saas_conflict"]);
        assert_eq!(conflicts[1].line_id, Some(line_id(&order, 2)));
    }

    #[test]
    fn no_saas_conflict_for_an_instance_from_the_same_order_or_a_new_account() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-CAS")
            .line("XDR-DDI")
            .build();
        let same_order = with_saas(holdings(1, None), "cloud-app-security", order.id);
        let other_service = with_saas(holdings(1, None), "wfbs-svc", 99);
        for target in [
            Target::Existing(&same_order),
            Target::Existing(&other_service),
            Target::NewAccount,
        ] {
            assert!(evaluate_conflicts(&order, &catalog, &target, &[]).is_empty());
        }
    }

    #[test]
    fn region_conflict_when_the_pin_differs_from_the_account_region() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order().line("XDR-DDI-JP").build();
        let h = holdings(1, Some(Region::Eu));
        let conflicts = evaluate_conflicts(&order, &catalog, &Target::Existing(&h), &[]);
        assert_eq!(codes(&conflicts), ["region_conflict"]);
        assert_eq!(conflicts[0].line_id, Some(line_id(&order, 1)));
        assert!(conflicts[0].detail.contains("Japan (jp)"));
        assert!(conflicts[0].detail.contains("Europe (eu)"));
    }

    #[test]
    fn no_region_conflict_when_the_pin_matches_or_the_account_has_no_region() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-DDI-JP")
            .line("XDR-EPS")
            .build();
        let same = holdings(1, Some(Region::Jp));
        let none = holdings(1, None);
        for target in [
            Target::Existing(&same),
            Target::Existing(&none),
            Target::NewAccount,
        ] {
            assert!(evaluate_conflicts(&order, &catalog, &target, &[]).is_empty());
        }
        // An unpinned order never conflicts on region.
        let unpinned = OrderBuilder::new_order().line("XDR-DDI").build();
        let eu = holdings(1, Some(Region::Eu));
        assert!(evaluate_conflicts(&unpinned, &catalog, &Target::Existing(&eu), &[]).is_empty());
    }

    #[test]
    fn region_conflict_when_the_order_pins_two_regions() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-DDI-JP")
            .line("XDR-DDI-EU")
            .build();
        let conflicts = evaluate_conflicts(&order, &catalog, &Target::NewAccount, &[]);
        assert_eq!(codes(&conflicts), ["region_conflict"]);
        assert_eq!(conflicts[0].line_id, Some(line_id(&order, 2)));
    }

    #[test]
    fn crossgrade_into_another_account_requires_the_account_owning_the_retained_ac() {
        let catalog = Catalog::seeded();
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("XDR-EPS")
            .build();
        let alice = account(5, "alice@acme.example", "Acme");
        let owners = [owner(&retained, &alice)];
        let other = holdings(1, None);
        let conflicts = evaluate_conflicts(&order, &catalog, &Target::Existing(&other), &owners);
        assert_eq!(codes(&conflicts), ["crossgrade_account_required"]);
        assert_eq!(conflicts[0].line_id, Some(line_id(&order, 1)));
        assert!(conflicts[0].detail.contains("a***@acme.example"));
        assert!(conflicts[0].detail.contains("Complete User Protection"));
        assert_no_key_in(&conflicts, &order, &owners);
    }

    #[test]
    fn crossgrade_into_a_new_account_is_refused() {
        let catalog = Catalog::seeded();
        let retained = ac("SM", 2);
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .suite("CUP", &[("SMEX", retained.clone())])
            .build();
        let owners = [owner(&retained, &account(5, "alice@acme.example", "Acme"))];
        let conflicts = evaluate_conflicts(&order, &catalog, &Target::NewAccount, &owners);
        assert_eq!(codes(&conflicts), ["crossgrade_account_required"]);
    }

    #[test]
    fn crossgrade_into_the_owning_account_has_no_conflict() {
        let catalog = Catalog::seeded();
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("XDR-EPS")
            .build();
        let alice = account(5, "alice@acme.example", "Acme");
        let owners = [owner(&retained, &alice)];
        let h = holdings(5, None);
        assert!(evaluate_conflicts(&order, &catalog, &Target::Existing(&h), &owners).is_empty());
        // A retained AC no account owns binds nobody.
        assert!(evaluate_conflicts(&order, &catalog, &Target::NewAccount, &[]).is_empty());
    }

    #[test]
    fn a_suite_with_a_retained_ac_but_no_xdr_addon_is_not_a_crossgrade_conflict() {
        let catalog = Catalog::seeded();
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .build();
        let owners = [owner(&retained, &account(5, "alice@acme.example", "Acme"))];
        assert!(evaluate_conflicts(&order, &catalog, &Target::NewAccount, &owners).is_empty());
    }

    #[test]
    fn renewal_account_mismatch_when_another_account_owns_the_renewed_ac() {
        let catalog = Catalog::seeded();
        let renewed = ac("AO", 3);
        let order = OrderBuilder::renewal_order()
            .renewal_line("A1", &renewed)
            .build();
        let bob = account(6, "bob@acme.example", "Acme");
        let owners = [owner(&renewed, &bob)];
        let mine = holdings(1, None);
        for target in [Target::Existing(&mine), Target::NewAccount] {
            let conflicts = evaluate_conflicts(&order, &catalog, &target, &owners);
            assert_eq!(codes(&conflicts), ["renewal_account_mismatch"]);
            assert!(conflicts[0].detail.contains("b***@acme.example"));
            assert_no_key_in(&conflicts, &order, &owners);
        }
        let bobs = holdings(6, None);
        assert!(evaluate_conflicts(&order, &catalog, &Target::Existing(&bobs), &owners).is_empty());
        // Holding the code is owning it, even if the owners list does not say so.
        let holder = with_code(
            holdings(1, None),
            &renewed,
            "A1",
            crate::fixtures::date(2025, 6, 30),
        );
        assert!(evaluate_conflicts(&order, &catalog, &Target::Existing(&holder), &[]).is_empty());
    }

    #[test]
    fn a_renewal_of_a_saas_line_does_not_conflict_with_the_instance_it_renews() {
        let catalog = Catalog::seeded();
        let renewed = ac("CA", 4);
        let order = OrderBuilder::renewal_order()
            .renewal_line("CAS", &renewed)
            .build();
        let h = with_saas(holdings(1, None), "cloud-app-security", 99);
        let owners = [owner(&renewed, &account(1, "me@acme.example", "Acme"))];
        assert!(evaluate_conflicts(&order, &catalog, &Target::Existing(&h), &owners).is_empty());
    }

    #[test]
    fn nothing_to_activate_when_every_line_is_registered() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .line("CAS")
            .registered(1, 1)
            .registered(2, 1)
            .build();
        let conflicts = evaluate_conflicts(&order, &catalog, &Target::NewAccount, &[]);
        assert_eq!(codes(&conflicts), ["nothing_to_activate"]);
        assert_eq!(conflicts[0].line_id, None);
        assert!(conflicts[0].detail.contains("SO-1007"));
    }

    #[test]
    fn registered_lines_raise_no_conflicts() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-CAS")
            .line("XDR-DDI-JP")
            .line("XDR-EPS")
            .registered(1, 9)
            .registered(2, 9)
            .build();
        let h = with_saas(holdings(1, Some(Region::Eu)), "cloud-app-security", 99);
        assert!(evaluate_conflicts(&order, &catalog, &Target::Existing(&h), &[]).is_empty());
    }
}
