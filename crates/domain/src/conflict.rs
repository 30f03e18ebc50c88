//! The evaluation of the conflicts an order has with the account it would be registered to
//! (the restrictions of DOMAIN.md; their types are in [`crate::restriction`]).

use crate::account::{AcOwner, AccountId, Holdings, owner_of};
use crate::catalog::{Catalog, Delivery, Product};
use crate::keys::ActivationCode;
use crate::mask::mask_email;
use crate::order::{Order, OrderLine};
use crate::region::Region;
pub use crate::restriction::{Conflict, ConflictReason, Restriction};

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
            Some(line.id),
            ConflictReason::SaasServiceHeld {
                product: product.name.clone(),
                service: service.to_owned(),
            },
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
    Some(Conflict::new(
        Some(line.id),
        ConflictReason::RenewalOwnedElsewhere {
            product: catalog.name_of(&line.sku).to_owned(),
            owner: owner_of(ac_owners, renewed).map(|owner| mask_email(&owner.account.email)),
        },
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
            None,
            ConflictReason::EveryLineRegistered {
                order_number: order.order_number.clone(),
            },
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
                    Some(line.id),
                    ConflictReason::RegionPinsDiffer {
                        product: product.name.clone(),
                        region: pin,
                        other_product: first_product.name.clone(),
                        other_region: first_pin,
                    },
                ));
            } else if let Some(account_region) = target.xdr_region().filter(|r| *r != pin) {
                conflicts.push(Conflict::new(
                    Some(line.id),
                    ConflictReason::RegionConflict {
                        product: Some(product.name.clone()),
                        account_region,
                        order_region: pin,
                    },
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
                // "Registered prior to the CUP purchase": a code registered after the order's
                // purchase date does not bind the order.
                let Some(owner) = owner_of(ac_owners, retained)
                    .filter(|owner| owner.registered_by(order.purchase_date))
                else {
                    continue;
                };
                if target.owns(retained, ac_owners) || owners_named.contains(&owner.account.id) {
                    continue;
                }
                owners_named.push(owner.account.id);
                conflicts.push(Conflict::new(
                    Some(line.id),
                    ConflictReason::CrossGrade {
                        suite: catalog.name_of(&line.sku).to_owned(),
                        component: catalog.name_of(&component.sku).to_owned(),
                        owner: mask_email(&owner.account.email),
                    },
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

    /// Everything a conflict says, as text to search (its reason's fields).
    fn detail(conflict: &Conflict) -> String {
        format!("{:?}", conflict.reason)
    }

    /// No key of the order, and no retained or renewed AC, appears in any detail.
    fn assert_no_key_in(conflicts: &[Conflict], order: &Order, owners: &[AcOwner]) {
        for c in conflicts {
            for line in &order.lines {
                assert!(
                    !detail(c).contains(line.registration_key.as_str()),
                    "{}",
                    detail(c)
                );
            }
            for o in owners {
                assert!(!detail(c).contains(o.code.as_str()), "{}", detail(c));
                assert!(!detail(c).contains(&o.account.email), "{}", detail(c));
            }
        }
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
        assert!(detail(&conflicts[0]).contains("XDR Add-On: Cloud App Security"));
        assert!(detail(&conflicts[0]).contains("cloud-app-security"));
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
        assert_eq!(
            conflicts[0].reason,
            ConflictReason::RegionConflict {
                product: Some("XDR Addon: Deep Discovery Inspector (JP)".to_owned()),
                account_region: Region::Eu,
                order_region: Region::Jp,
            }
        );
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
        assert!(detail(&conflicts[0]).contains("a***@acme.example"));
        assert!(detail(&conflicts[0]).contains("Complete User Protection"));
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
    fn a_retained_ac_registered_after_the_purchase_date_does_not_make_a_crossgrade_conflict() {
        let catalog = Catalog::seeded();
        let retained = ac("SM", 2);
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .suite("CUP", &[("SMEX", retained.clone())])
            .build();
        let mut later = owner(&retained, &account(5, "alice@acme.example", "Acme"));
        let day_after = order.purchase_date.succ_opt().unwrap();
        later.registered_at = Some(day_after.and_hms_opt(0, 0, 1).unwrap().and_utc());
        let other = holdings(1, None);
        for target in [Target::NewAccount, Target::Existing(&other)] {
            assert!(evaluate_conflicts(&order, &catalog, &target, &[later.clone()]).is_empty());
        }
        let mut prior = later.clone();
        prior.registered_at = Some(order.purchase_date.and_hms_opt(23, 0, 0).unwrap().and_utc());
        let conflicts = evaluate_conflicts(&order, &catalog, &Target::NewAccount, &[prior]);
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
            assert!(detail(&conflicts[0]).contains("b***@acme.example"));
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
        assert!(detail(&conflicts[0]).contains("SO-1007"));
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
