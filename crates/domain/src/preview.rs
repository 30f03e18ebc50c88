//! The order preview shown once a customer enters any key of an order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::account::AcOwner;
use crate::catalog::{Catalog, Delivery};
use crate::conflict::{Conflict, Restriction, Target, evaluate_conflicts, region_pins};
use crate::flow::{Flow, flow_for};
use crate::hints::{AccountHint, renewal_hint};
use crate::keys::RegistrationKey;
use crate::mask::{mask_email, mask_name};
use crate::order::{Order, OrderLine};
use crate::plan::legacy_line_conflict;
use crate::region::Region;

/// What the customer sees of an order before activating it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPreview {
    /// The partner's order number.
    pub order_number: String,
    /// The flow the order takes.
    pub flow: Flow,
    /// The lines to activate: every unregistered line (account based) or the entered key's
    /// line if unregistered (legacy).
    pub lines: Vec<PreviewLine>,
    /// How many lines were left out because they are registered.
    pub registered_count: u32,
    /// The end customer, with personal data masked.
    pub end_customer: MaskedEndCustomer,
    /// Possible existing accounts of the order.
    pub account_hints: Vec<AccountHint>,
    /// Conflicts: order-wide ones always, account ones when evaluated for a signed-in account.
    pub conflicts: Vec<Conflict>,
    /// The XDR region the order fixes, if any (account-based flow only).
    pub region_pin: Option<Region>,
    /// What is left to do with the order, so the wizard says it once.
    pub state: PreviewState,
    /// Whether a new account may take the lines: false when the rules bind them to an
    /// existing account (a cross grade whose retained AC was registered by the purchase date,
    /// a renewal), named by a binding hint.
    pub sign_up_allowed: bool,
}

/// What is left to do with a previewed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreviewState {
    /// Lines are left to activate or register.
    Open,
    /// Legacy flow: the entered key's own line is registered (other lines of the order may
    /// not be).
    LineRegistered,
    /// Account-based flow: every line of the order is registered.
    OrderRegistered,
}

/// One line of the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewLine {
    /// The order line.
    pub line_id: i64,
    /// Its product.
    pub sku: String,
    /// The product's name.
    pub product_name: String,
    /// Number of seats.
    pub seats: u32,
    /// First day of the term.
    pub term_start: NaiveDate,
    /// Last day of the term.
    pub term_end: NaiveDate,
    /// How the product is delivered.
    pub delivery: Delivery,
    /// Whether it is an XDR add-on.
    pub xdr_addon: bool,
    /// Whether it is an XDR-related endpoint product.
    pub xdr_related: bool,
    /// The component SKUs of a suite (empty otherwise).
    pub components: Vec<String>,
}

/// The end customer of an order, as shown to whoever holds a key of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedEndCustomer {
    /// Company name (used to prefill sign-up).
    pub company: String,
    /// Contact name, masked (`J*** S***`).
    pub contact_name: String,
    /// Contact email, masked (`j***@acme.example`).
    pub contact_email: String,
    /// Country, ISO 3166 alpha-2 (used to prefill sign-up and the region).
    pub country: String,
}

/// The preview line of an order line.
fn preview_line(catalog: &Catalog, line: &OrderLine) -> PreviewLine {
    let product = catalog.get(&line.sku);
    let delivery = product.map_or(Delivery::Ac, |p| p.delivery);
    PreviewLine {
        line_id: line.id,
        sku: line.sku.clone(),
        product_name: catalog.name_of(&line.sku).to_owned(),
        seats: line.seats,
        term_start: line.term_start,
        term_end: line.term_end,
        delivery,
        xdr_addon: product.is_some_and(|p| p.xdr_addon),
        xdr_related: product.is_some_and(|p| p.xdr_related),
        components: if delivery == Delivery::Suite {
            line.component_skus(catalog)
                .into_iter()
                .map(str::to_owned)
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// Builds the preview of `order` for the `entered` key.
///
/// Account based: every unregistered line, the registered ones left out and counted.
/// Legacy: only the entered key's line (counted instead when registered).
/// `nothing_to_activate` (account based) and `already_registered` (legacy) depend on the order
/// alone and are always reported; the account conflicts are evaluated only when `target` is
/// given (signed in). `hints` come from [`crate::hints::rank_account_hints`]; their `binding`
/// flag is kept only when the catalog says the order is a cross grade.
pub fn build_preview(
    order: &Order,
    catalog: &Catalog,
    entered: &RegistrationKey,
    target: Option<&Target>,
    ac_owners: &[AcOwner],
    hints: Vec<AccountHint>,
) -> OrderPreview {
    let flow = flow_for(order, catalog);
    let mut hints = hints;
    let (lines, registered_count, conflicts, region_pin) = match flow {
        Flow::AccountBased => {
            let lines: Vec<PreviewLine> = order
                .unregistered_lines()
                .into_iter()
                .map(|l| preview_line(catalog, l))
                .collect();
            let conflicts = match target {
                Some(target) => evaluate_conflicts(order, catalog, target, ac_owners),
                None => evaluate_conflicts(order, catalog, &Target::NewAccount, ac_owners)
                    .into_iter()
                    .filter(|c| c.restriction() == Restriction::NothingToActivate)
                    .collect(),
            };
            let pin = region_pins(order, catalog).first().map(|&(_, _, pin)| pin);
            (lines, order.registered_count(), conflicts, pin)
        }
        Flow::Legacy => match order.line_by_key(entered) {
            Some(line) if line.is_registered() => {
                let conflict =
                    legacy_line_conflict(order, catalog, line, &Target::NewAccount, ac_owners);
                (Vec::new(), 1, conflict.into_iter().collect(), None)
            }
            Some(line) => {
                let conflicts = target
                    .and_then(|t| legacy_line_conflict(order, catalog, line, t, ac_owners))
                    .into_iter()
                    .collect();
                // A renewal goes only to the account owning the renewed AC: name it up front.
                hints.extend(renewal_hint(line, ac_owners));
                (vec![preview_line(catalog, line)], 0, conflicts, None)
            }
            None => (Vec::new(), 0, Vec::new(), None),
        },
    };
    let cross_grade = order.is_cross_grade(catalog);
    let account_hints = hints
        .into_iter()
        .map(|hint| AccountHint {
            binding: hint.binding
                && (cross_grade || hint.reason == crate::hints::HintReason::RenewedAcOwner),
            ..hint
        })
        .collect();
    let state = match (flow, lines.is_empty(), registered_count) {
        (_, false, _) | (_, true, 0) => PreviewState::Open,
        (Flow::Legacy, true, _) => PreviewState::LineRegistered,
        (Flow::AccountBased, true, _) => PreviewState::OrderRegistered,
    };
    let sign_up_allowed = sign_up_allowed(order, catalog, entered, flow, ac_owners);
    let customer = &order.end_customer;
    OrderPreview {
        order_number: order.order_number.clone(),
        flow,
        lines,
        registered_count,
        end_customer: MaskedEndCustomer {
            company: customer.company.clone(),
            contact_name: mask_name(&customer.contact_name),
            contact_email: mask_email(&customer.contact_email),
            country: customer.country.clone(),
        },
        account_hints,
        conflicts,
        region_pin,
        state,
        sign_up_allowed,
    }
}

/// Whether a new account may take what the preview offers: not when the rules for a new
/// account find a cross grade or renewal binding the lines to an existing account.
fn sign_up_allowed(
    order: &Order,
    catalog: &Catalog,
    entered: &RegistrationKey,
    flow: Flow,
    ac_owners: &[AcOwner],
) -> bool {
    let binds = |conflict: &Conflict| {
        matches!(
            conflict.restriction(),
            Restriction::CrossgradeAccountRequired | Restriction::RenewalAccountMismatch
        )
    };
    match flow {
        Flow::AccountBased => !evaluate_conflicts(order, catalog, &Target::NewAccount, ac_owners)
            .iter()
            .any(binds),
        Flow::Legacy => order
            .line_by_key(entered)
            .filter(|line| !line.is_registered())
            .and_then(|line| {
                legacy_line_conflict(order, catalog, line, &Target::NewAccount, ac_owners)
            })
            .is_none_or(|conflict| !binds(&conflict)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountId;
    use crate::fixtures::{OrderBuilder, ac, account, holdings, key, line_id, owner, with_saas};
    use crate::hints::{HintReason, rank_account_hints};

    fn ids(preview: &OrderPreview) -> Vec<i64> {
        preview.lines.iter().map(|l| l.line_id).collect()
    }

    fn codes(preview: &OrderPreview) -> Vec<&'static str> {
        preview.conflicts.iter().map(Conflict::code).collect()
    }

    #[test]
    fn any_key_of_an_account_based_order_previews_every_unregistered_line() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .line("A1")
            .line("CAS")
            .build();
        for line_no in 1..=3 {
            let p = build_preview(&order, &catalog, &key(&order, line_no), None, &[], vec![]);
            assert_eq!(p.flow, Flow::AccountBased);
            assert_eq!(p.order_number, "SO-1007");
            assert_eq!(ids(&p), [701, 702, 703]);
            assert_eq!(p.registered_count, 0);
            assert!(p.conflicts.is_empty());
        }
    }

    #[test]
    fn preview_leaves_out_registered_lines_and_counts_them() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .line("A1")
            .line("CAS")
            .registered(2, 1)
            .build();
        let p = build_preview(&order, &catalog, &key(&order, 2), None, &[], vec![]);
        assert_eq!(ids(&p), [line_id(&order, 1), line_id(&order, 3)]);
        assert_eq!(p.registered_count, 1);
    }

    #[test]
    fn preview_of_a_fully_registered_order_says_nothing_to_activate() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .registered(1, 1)
            .build();
        let p = build_preview(&order, &catalog, &key(&order, 1), None, &[], vec![]);
        assert!(p.lines.is_empty());
        assert_eq!(p.registered_count, 1);
        assert_eq!(codes(&p), ["nothing_to_activate"]);
    }

    #[test]
    fn preview_lines_carry_the_product_attributes() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-CAS")
            .line("A1")
            .suite("CUP", &[])
            .build();
        let p = build_preview(&order, &catalog, &key(&order, 1), None, &[], vec![]);
        let cas = &p.lines[0];
        assert_eq!(cas.product_name, "XDR Add-On: Cloud App Security");
        assert_eq!(
            (cas.delivery, cas.xdr_addon, cas.xdr_related),
            (Delivery::Saas, true, false)
        );
        assert_eq!(
            (cas.seats, cas.term_start, cas.term_end),
            (100, order.lines[0].term_start, order.lines[0].term_end)
        );
        assert!(p.lines[1].xdr_related);
        assert_eq!(p.lines[2].delivery, Delivery::Suite);
        assert_eq!(p.lines[2].components, ["A1", "SMEX", "IMSVA", "IWSVA"]);
        assert!(cas.components.is_empty());
    }

    #[test]
    fn legacy_preview_shows_only_the_entered_keys_line() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("A1")
            .line("SMEX")
            .line("CAS")
            .build();
        let p = build_preview(&order, &catalog, &key(&order, 2), None, &[], vec![]);
        assert_eq!(p.flow, Flow::Legacy);
        assert_eq!(ids(&p), [line_id(&order, 2)]);
        assert_eq!(p.registered_count, 0);
        assert_eq!(p.region_pin, None);
    }

    #[test]
    fn legacy_preview_of_a_registered_line_says_already_registered() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::renewal_order()
            .line("A1")
            .line("SMEX")
            .registered(1, 3)
            .build();
        let p = build_preview(&order, &catalog, &key(&order, 1), None, &[], vec![]);
        assert!(p.lines.is_empty());
        assert_eq!(p.registered_count, 1);
        assert_eq!(codes(&p), ["already_registered"]);
        assert!(format!("{:?}", p.conflicts[0].reason).contains("Apex One"));
    }

    #[test]
    fn the_state_says_whether_the_entered_line_or_the_whole_order_is_registered() {
        let catalog = Catalog::seeded();
        // Legacy: line 1 registered, line 2 not; its key says that line is registered.
        let legacy = OrderBuilder::new_order()
            .line("A1")
            .line("SMEX")
            .registered(1, 3)
            .build();
        let p = build_preview(&legacy, &catalog, &key(&legacy, 1), None, &[], vec![]);
        assert_eq!(p.state, PreviewState::LineRegistered);
        assert_eq!(codes(&p), ["already_registered"]);
        let p = build_preview(&legacy, &catalog, &key(&legacy, 2), None, &[], vec![]);
        assert_eq!(p.state, PreviewState::Open);
        // Account based, every line registered: one state, one conflict.
        let done = OrderBuilder::new_order()
            .line("XDR-DDI")
            .line("A1")
            .registered(1, 1)
            .registered(2, 1)
            .build();
        let p = build_preview(&done, &catalog, &key(&done, 1), None, &[], vec![]);
        assert_eq!(p.state, PreviewState::OrderRegistered);
        assert_eq!(codes(&p), ["nothing_to_activate"]);
        let h = holdings(9, None);
        let signed_in = build_preview(
            &done,
            &catalog,
            &key(&done, 1),
            Some(&Target::Existing(&h)),
            &[],
            vec![],
        );
        assert_eq!(signed_in.state, PreviewState::OrderRegistered);
        assert_eq!(codes(&signed_in), ["nothing_to_activate"]);
    }

    #[test]
    fn a_renewal_names_the_owner_of_the_renewed_code_and_refuses_sign_up() {
        let catalog = Catalog::seeded();
        let renewed = ac("AO", 3);
        let order = OrderBuilder::renewal_order()
            .renewal_line("A1", &renewed)
            .build();
        let bob = account(6, "bob@acme.example", "Acme");
        let owners = [owner(&renewed, &bob)];
        let p = build_preview(&order, &catalog, &key(&order, 1), None, &owners, vec![]);
        assert_eq!(p.flow, Flow::Legacy);
        assert_eq!(p.account_hints.len(), 1);
        let hint = &p.account_hints[0];
        assert_eq!(
            (hint.reason, hint.binding, hint.masked_email.as_str()),
            (HintReason::RenewedAcOwner, true, "b***@acme.example")
        );
        assert!(!p.sign_up_allowed);
        // A plain legacy line: anyone may sign up.
        let plain = OrderBuilder::new_order().line("A1").build();
        let p = build_preview(&plain, &catalog, &key(&plain, 1), None, &[], vec![]);
        assert!(p.sign_up_allowed);
        assert!(p.account_hints.is_empty());
    }

    #[test]
    fn a_cross_grade_refuses_sign_up_only_when_the_retained_code_was_registered_by_the_purchase() {
        let catalog = Catalog::seeded();
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("XDR-EPS")
            .build();
        let alice = account(5, "alice@acme.example", "Acme");
        let at = |d| {
            chrono::NaiveDate::from_ymd_opt(2025, 1, d)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
                .and_utc()
        };
        let mut prior = owner(&retained, &alice);
        prior.registered_at = Some(at(10));
        let hints = rank_account_hints(&order, std::slice::from_ref(&prior), &[]);
        let p = build_preview(&order, &catalog, &key(&order, 2), None, &[prior], hints);
        assert!(!p.sign_up_allowed);
        assert!(p.account_hints[0].binding);
        assert!(
            p.conflicts.is_empty(),
            "no account conflict when signed out"
        );

        let mut later = owner(&retained, &alice);
        later.registered_at = Some(at(20));
        let hints = rank_account_hints(&order, std::slice::from_ref(&later), &[]);
        let p = build_preview(
            &order,
            &catalog,
            &key(&order, 2),
            None,
            &[later.clone()],
            hints,
        );
        assert!(p.sign_up_allowed);
        assert!(!p.account_hints[0].binding);
        let h = holdings(1, None);
        let elsewhere = build_preview(
            &order,
            &catalog,
            &key(&order, 2),
            Some(&Target::Existing(&h)),
            &[later],
            vec![],
        );
        assert!(elsewhere.conflicts.is_empty());
    }

    #[test]
    fn preview_masks_the_end_customer() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order().line("XDR-DDI").build();
        let p = build_preview(&order, &catalog, &key(&order, 1), None, &[], vec![]);
        assert_eq!(
            p.end_customer,
            MaskedEndCustomer {
                company: "Acme, Inc.".to_owned(),
                contact_name: "J*** S***".to_owned(),
                contact_email: "j***@acme.example".to_owned(),
                country: "US".to_owned(),
            }
        );
    }

    #[test]
    fn preview_evaluates_account_conflicts_only_for_a_signed_in_account() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-CAS")
            .line("XDR-DDI-JP")
            .build();
        let h = with_saas(holdings(1, Some(Region::Us)), "cloud-app-security", 99);
        let entered = key(&order, 1);
        let anonymous = build_preview(&order, &catalog, &entered, None, &[], vec![]);
        assert!(anonymous.conflicts.is_empty());
        let signed_in = build_preview(
            &order,
            &catalog,
            &entered,
            Some(&Target::Existing(&h)),
            &[],
            vec![],
        );
        assert_eq!(codes(&signed_in), ["saas_conflict", "region_conflict"]);
    }

    #[test]
    fn legacy_preview_evaluates_only_the_entered_line_for_a_signed_in_account() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order().line("CAS").line("WFBSS").build();
        let h = with_saas(holdings(1, None), "cloud-app-security", 99);
        let target = Target::Existing(&h);
        let on_cas = build_preview(
            &order,
            &catalog,
            &key(&order, 1),
            Some(&target),
            &[],
            vec![],
        );
        assert_eq!(codes(&on_cas), ["saas_conflict"]);
        let on_wfbss = build_preview(
            &order,
            &catalog,
            &key(&order, 2),
            Some(&target),
            &[],
            vec![],
        );
        assert!(on_wfbss.conflicts.is_empty());
    }

    #[test]
    fn preview_names_the_region_pin_of_the_order() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("XDR-EPS")
            .line("XDR-DDI-EU")
            .build();
        let p = build_preview(&order, &catalog, &key(&order, 1), None, &[], vec![]);
        assert_eq!(p.region_pin, Some(Region::Eu));
        let unpinned = OrderBuilder::new_order().line("XDR-EPS").build();
        let p = build_preview(&unpinned, &catalog, &key(&unpinned, 1), None, &[], vec![]);
        assert_eq!(p.region_pin, None);
    }

    #[test]
    fn preview_keeps_hint_binding_only_for_cross_grades() {
        let catalog = Catalog::seeded();
        let retained = ac("AO", 1);
        let alice = account(5, "alice@acme.example", "Acme");
        let owners = [owner(&retained, &alice)];
        // CUP with a retained AC, plus a non-XDR line: not a cross grade.
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("DDI")
            .build();
        let hints = rank_account_hints(&order, &owners, &[]);
        assert!(
            hints[0].binding,
            "the catalog-free ranking guesses a cross grade"
        );
        let p = build_preview(&order, &catalog, &key(&order, 1), None, &owners, hints);
        assert_eq!(p.account_hints.len(), 1);
        assert_eq!(p.account_hints[0].account_id, AccountId(5));
        assert_eq!(p.account_hints[0].reason, HintReason::RetainedAcOwner);
        assert!(!p.account_hints[0].binding);
    }

    #[test]
    fn preview_shows_the_crossgrade_conflict_for_a_signed_in_account_that_does_not_own_the_ac() {
        let catalog = Catalog::seeded();
        let retained = ac("AO", 1);
        let owners = [owner(&retained, &account(5, "alice@acme.example", "Acme"))];
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("XDR-EPS")
            .build();
        let h = holdings(1, None);
        let p = build_preview(
            &order,
            &catalog,
            &key(&order, 2),
            Some(&Target::Existing(&h)),
            &owners,
            vec![],
        );
        assert_eq!(codes(&p), ["crossgrade_account_required"]);
        assert!(format!("{:?}", p.conflicts[0].reason).contains("a***@acme.example"));
    }
}
