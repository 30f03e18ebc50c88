//! Activation planning: what registering an order (account-based flow) or one line (legacy
//! flow) does to an account, decided from the order, the account's holdings and the time.
//! The database layer carries the plan out in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::account::AcOwner;
use crate::catalog::{Catalog, Delivery};
use crate::conflict::{
    Conflict, ConflictReason, Target, evaluate_conflicts, product_of, region_pins,
    renewal_conflict, saas_conflict,
};
use crate::flow::{Flow, flow_for};
use crate::keys::{ActivationCode, RegistrationKey};
use crate::order::{Order, OrderLine};
use crate::region::Region;

/// The plan of an account-based activation: every unregistered line of the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationPlan {
    /// One entry per unregistered line, in order.
    pub lines: Vec<PlannedLine>,
    /// SaaS instances to provision (at most one per service).
    pub saas: Vec<PlannedSaas>,
    /// XDR in the account.
    pub xdr: XdrPlan,
    /// The registration time of every line (the `now` given).
    pub registered_at: DateTime<Utc>,
}

/// What registering one line does to Activation Codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedLine {
    /// The order line.
    pub line_id: i64,
    /// Its product.
    pub sku: String,
    /// The codes issued or extended (a suite: one per component).
    pub codes: Vec<PlannedCode>,
}

/// One Activation Code to issue or extend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlannedCode {
    /// Issue a new code (the caller generates it with `ActivationCode::generate(prefix, rng)`).
    Issue {
        /// The product the code activates.
        sku: String,
        /// The product's key prefix.
        prefix: String,
        /// First day of validity.
        term_start: NaiveDate,
        /// Expiry date.
        term_end: NaiveDate,
    },
    /// Extend a code the account already owns (a retained or renewed AC); never shortened.
    Extend {
        /// The code.
        code: ActivationCode,
        /// The product it activates.
        sku: String,
        /// Its new expiry date.
        new_term_end: NaiveDate,
    },
}

/// A SaaS instance to provision in the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedSaas {
    /// The line that provisions it.
    pub line_id: i64,
    /// The service, e.g. `cloud-app-security`.
    pub service: String,
}

/// XDR in the account after the activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct XdrPlan {
    /// The account's XDR region.
    pub region: Region,
    /// Whether this activation enables XDR (and so sets the region) for the first time.
    pub newly_enabled: bool,
}

/// The plan of a legacy registration: the entered key's line only, no XDR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyPlan {
    /// The line and its codes.
    pub line: PlannedLine,
    /// The SaaS instance to provision, for a SaaS line.
    pub saas: Option<PlannedSaas>,
    /// The registration time (the `now` given).
    pub registered_at: DateTime<Utc>,
}

/// The expiry of `code` after extending it to `term_end`: never earlier than it is now.
fn extended_end(target: &Target, code: &ActivationCode, term_end: NaiveDate) -> NaiveDate {
    target
        .holdings()
        .and_then(|h| h.code(code))
        .map_or(term_end, |held| held.term_end.max(term_end))
}

/// The codes registering `line` to `target` issues or extends.
fn plan_codes(
    catalog: &Catalog,
    line: &OrderLine,
    target: &Target,
    ac_owners: &[AcOwner],
) -> Vec<PlannedCode> {
    if let Some(renewed) = &line.renews_ac {
        return vec![PlannedCode::Extend {
            code: renewed.clone(),
            sku: line.sku.clone(),
            new_term_end: extended_end(target, renewed, line.term_end),
        }];
    }
    let product = product_of(catalog, line);
    // Unknown products still get a code, under the prefix of the line's own key.
    let prefix = product.map_or(line.registration_key.prefix(), |p| p.key_prefix.as_str());
    let issue = |sku: &str, prefix: &str| PlannedCode::Issue {
        sku: sku.to_owned(),
        prefix: prefix.to_owned(),
        term_start: line.term_start,
        term_end: line.term_end,
    };
    if product.is_none_or(|p| p.delivery != Delivery::Suite) {
        return vec![issue(&line.sku, prefix)];
    }
    line.component_skus(catalog)
        .into_iter()
        .map(|sku| {
            let retained = line
                .components
                .iter()
                .find(|c| c.sku == sku)
                .and_then(|c| c.retained_ac.as_ref());
            match retained {
                // A cross grade extends the AC the account already owns instead of replacing it.
                Some(code) if target.owns(code, ac_owners) => PlannedCode::Extend {
                    code: code.clone(),
                    sku: sku.to_owned(),
                    new_term_end: extended_end(target, code, line.term_end),
                },
                // A retained AC nobody here owns cannot be extended: the component gets a new one.
                _ => issue(
                    sku,
                    catalog.get(sku).map_or(prefix, |c| c.key_prefix.as_str()),
                ),
            }
        })
        .collect()
}

/// The SaaS instance registering `line` provisions, unless the account already holds that
/// service from this order or `planned` already provisions it.
fn plan_saas(
    order: &Order,
    catalog: &Catalog,
    line: &OrderLine,
    target: &Target,
    planned: &[PlannedSaas],
) -> Option<PlannedSaas> {
    let product = product_of(catalog, line).filter(|p| p.delivery == Delivery::Saas)?;
    let service = product.saas_service.as_ref()?;
    if line.is_renewal()
        || planned.iter().any(|p| &p.service == service)
        || target
            .holdings()
            .and_then(|h| h.active_saas(service))
            .is_some_and(|held| held.order_id == order.id)
    {
        return None;
    }
    Some(PlannedSaas {
        line_id: line.id,
        service: service.clone(),
    })
}

/// Plans the account-based activation of every unregistered line of `order` into `target`,
/// checking every rule: `wrong_flow` for an order of the legacy flow, else all conflicts of
/// [`evaluate_conflicts`]. The XDR region is the order's pin, else the account's region (it
/// never changes), else `requested_region`, else the default of the end customer's country.
pub fn plan_activation(
    order: &Order,
    catalog: &Catalog,
    target: &Target,
    ac_owners: &[AcOwner],
    requested_region: Option<Region>,
    now: DateTime<Utc>,
) -> Result<ActivationPlan, Vec<Conflict>> {
    if flow_for(order, catalog) != Flow::AccountBased {
        return Err(vec![Conflict::new(
            None,
            ConflictReason::LegacyOrder {
                order_number: order.order_number.clone(),
            },
        )]);
    }
    let conflicts = evaluate_conflicts(order, catalog, target, ac_owners);
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    let mut lines = Vec::new();
    let mut saas: Vec<PlannedSaas> = Vec::new();
    for line in order.unregistered_lines() {
        lines.push(PlannedLine {
            line_id: line.id,
            sku: line.sku.clone(),
            codes: plan_codes(catalog, line, target, ac_owners),
        });
        if let Some(instance) = plan_saas(order, catalog, line, target, &saas) {
            saas.push(instance);
        }
    }
    let existing = target.xdr_region();
    let region = region_pins(order, catalog)
        .first()
        .map(|&(_, _, pin)| pin)
        .or(existing)
        .or(requested_region)
        .unwrap_or_else(|| Region::default_for_country(&order.end_customer.country));
    Ok(ActivationPlan {
        lines,
        saas,
        xdr: XdrPlan {
            region,
            newly_enabled: existing.is_none(),
        },
        registered_at: now,
    })
}

/// The first conflict of registering `line` alone into `target` (legacy flow): the line is
/// registered, a renewal of an AC the account does not own, or a SaaS service it holds.
pub(crate) fn legacy_line_conflict(
    order: &Order,
    catalog: &Catalog,
    line: &OrderLine,
    target: &Target,
    ac_owners: &[AcOwner],
) -> Option<Conflict> {
    if line.is_registered() {
        return Some(Conflict::new(
            Some(line.id),
            ConflictReason::LineRegistered {
                product: catalog.name_of(&line.sku).to_owned(),
                order_number: order.order_number.clone(),
            },
        ));
    }
    if line.is_renewal() {
        return renewal_conflict(catalog, line, target, ac_owners);
    }
    saas_conflict(order, catalog, line, target)
}

/// Plans the legacy registration of the entered key's line into `target`: `wrong_flow` for an
/// account-based order, `already_registered`, `renewal_account_mismatch` (a renewal extends the
/// renewed AC, only in the account that owns it) or `saas_conflict`; otherwise the line's codes
/// are issued (a SaaS line also provisions its instance). No XDR.
pub fn plan_legacy_registration(
    order: &Order,
    catalog: &Catalog,
    entered: &RegistrationKey,
    target: &Target,
    ac_owners: &[AcOwner],
    now: DateTime<Utc>,
) -> Result<LegacyPlan, Conflict> {
    if flow_for(order, catalog) == Flow::AccountBased {
        return Err(Conflict::new(
            None,
            ConflictReason::AccountBasedOrder {
                order_number: order.order_number.clone(),
            },
        ));
    }
    let Some(line) = order.line_by_key(entered) else {
        return Err(Conflict::new(
            None,
            ConflictReason::KeyNotInOrder {
                order_number: order.order_number.clone(),
            },
        ));
    };
    if let Some(conflict) = legacy_line_conflict(order, catalog, line, target, ac_owners) {
        return Err(conflict);
    }
    Ok(LegacyPlan {
        line: PlannedLine {
            line_id: line.id,
            sku: line.sku.clone(),
            codes: plan_codes(catalog, line, target, ac_owners),
        },
        saas: plan_saas(order, catalog, line, target, &[]),
        registered_at: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{
        OrderBuilder, ac, account, date, holdings, key, line_id, now, owner, with_code, with_saas,
    };
    use crate::restriction::Restriction;

    fn issue(sku: &str, prefix: &str, order: &Order, line_no: u32) -> PlannedCode {
        let line = order.line(line_id(order, line_no)).unwrap();
        PlannedCode::Issue {
            sku: sku.to_owned(),
            prefix: prefix.to_owned(),
            term_start: line.term_start,
            term_end: line.term_end,
        }
    }

    fn plan(order: &Order, target: &Target, owners: &[AcOwner]) -> ActivationPlan {
        plan_activation(order, &Catalog::seeded(), target, owners, None, now()).unwrap()
    }

    fn refusal(order: &Order, target: &Target, owners: &[AcOwner]) -> Vec<&'static str> {
        plan_activation(order, &Catalog::seeded(), target, owners, None, now())
            .unwrap_err()
            .iter()
            .map(Conflict::code)
            .collect()
    }

    #[test]
    fn activation_registers_every_unregistered_line_at_the_given_time() {
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .line("A1")
            .line("DDI")
            .registered(3, 1)
            .build();
        let p = plan(&order, &Target::NewAccount, &[]);
        let ids: Vec<i64> = p.lines.iter().map(|l| l.line_id).collect();
        assert_eq!(ids, [line_id(&order, 1), line_id(&order, 2)]);
        assert_eq!(p.registered_at, now());
    }

    #[test]
    fn ac_lines_issue_one_code_with_the_product_prefix() {
        let order = OrderBuilder::new_order().line("XDR-DDI").line("A1").build();
        let p = plan(&order, &Target::NewAccount, &[]);
        assert_eq!(p.lines[0].codes, [issue("XDR-DDI", "XD", &order, 1)]);
        assert_eq!(p.lines[1].codes, [issue("A1", "AO", &order, 2)]);
        assert_eq!(p.lines[1].sku, "A1");
        assert!(p.saas.is_empty());
    }

    #[test]
    fn suite_lines_issue_one_code_per_component() {
        let order = OrderBuilder::new_order()
            .suite("CUP", &[])
            .line("XDR-EPS")
            .build();
        let p = plan(&order, &Target::NewAccount, &[]);
        assert_eq!(
            p.lines[0].codes,
            [
                issue("A1", "AO", &order, 1),
                issue("SMEX", "SM", &order, 1),
                issue("IMSVA", "IM", &order, 1),
                issue("IWSVA", "IW", &order, 1),
            ]
        );
    }

    #[test]
    fn crossgrade_extends_the_retained_acs_instead_of_issuing_new_ones() {
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("XDR-EPS")
            .build();
        let me = account(5, "alice@acme.example", "Acme");
        let h = with_code(holdings(5, None), &retained, "A1", date(2025, 5, 31));
        let p = plan(&order, &Target::Existing(&h), &[owner(&retained, &me)]);
        let codes = &p.lines[0].codes;
        assert_eq!(codes.len(), 4);
        assert_eq!(
            codes[0],
            PlannedCode::Extend {
                code: retained,
                sku: "A1".to_owned(),
                new_term_end: date(2026, 1, 31),
            }
        );
        assert_eq!(codes[1], issue("SMEX", "SM", &order, 1));
    }

    #[test]
    fn extending_an_ac_never_shortens_it() {
        let retained = ac("SM", 2);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("SMEX", retained.clone())])
            .line("XDR-EPS")
            .build();
        let h = with_code(holdings(5, None), &retained, "SMEX", date(2027, 12, 31));
        let p = plan(&order, &Target::Existing(&h), &[]);
        assert!(p.lines[0].codes.contains(&PlannedCode::Extend {
            code: retained,
            sku: "SMEX".to_owned(),
            new_term_end: date(2027, 12, 31),
        }));
    }

    #[test]
    fn a_retained_ac_nobody_owns_is_replaced_by_a_new_code() {
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", ac("AO", 1))])
            .line("XDR-EPS")
            .build();
        let p = plan(&order, &Target::NewAccount, &[]);
        assert_eq!(p.lines[0].codes[0], issue("A1", "AO", &order, 1));
    }

    #[test]
    fn saas_lines_provision_one_instance_and_issue_a_reference_code() {
        let order = OrderBuilder::new_order()
            .line("XDR-CAS")
            .line("WFBSS")
            .build();
        let p = plan(&order, &Target::NewAccount, &[]);
        assert_eq!(p.lines[0].codes, [issue("XDR-CAS", "XC", &order, 1)]);
        assert_eq!(p.lines[1].codes, [issue("WFBSS", "WF", &order, 2)]);
        assert_eq!(
            p.saas,
            [
                PlannedSaas {
                    line_id: line_id(&order, 1),
                    service: "cloud-app-security".to_owned()
                },
                PlannedSaas {
                    line_id: line_id(&order, 2),
                    service: "wfbs-svc".to_owned()
                },
            ]
        );
    }

    #[test]
    fn an_account_gets_one_instance_per_service_even_when_two_lines_share_it() {
        let order = OrderBuilder::new_order()
            .line("XDR-A1SAAS")
            .line("A1SAAS")
            .build();
        let p = plan(&order, &Target::NewAccount, &[]);
        assert_eq!(p.lines.len(), 2);
        assert_eq!(
            p.saas,
            [PlannedSaas {
                line_id: line_id(&order, 1),
                service: "apex-one-saas".to_owned()
            }]
        );
    }

    #[test]
    fn a_region_pinned_addon_fixes_the_xdr_region() {
        let order = OrderBuilder::new_order()
            .line("XDR-DDI-JP")
            .country("DE")
            .build();
        let p = plan_activation(
            &order,
            &Catalog::seeded(),
            &Target::NewAccount,
            &[],
            Some(Region::Us),
            now(),
        )
        .unwrap();
        assert_eq!(
            p.xdr,
            XdrPlan {
                region: Region::Jp,
                newly_enabled: true
            }
        );
    }

    #[test]
    fn the_account_region_never_changes() {
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .country("JP")
            .build();
        let h = holdings(1, Some(Region::Sg));
        let p = plan_activation(
            &order,
            &Catalog::seeded(),
            &Target::Existing(&h),
            &[],
            Some(Region::Eu),
            now(),
        )
        .unwrap();
        assert_eq!(
            p.xdr,
            XdrPlan {
                region: Region::Sg,
                newly_enabled: false
            }
        );
    }

    #[test]
    fn the_customer_picks_the_region_when_nothing_fixes_it() {
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .country("JP")
            .build();
        let h = holdings(1, None);
        let p = plan_activation(
            &order,
            &Catalog::seeded(),
            &Target::Existing(&h),
            &[],
            Some(Region::Au),
            now(),
        )
        .unwrap();
        assert_eq!(
            p.xdr,
            XdrPlan {
                region: Region::Au,
                newly_enabled: true
            }
        );
    }

    #[test]
    fn the_default_region_follows_the_order_country() {
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .country("FR")
            .build();
        let p = plan(&order, &Target::NewAccount, &[]);
        assert_eq!(p.xdr.region, Region::Eu);
    }

    #[test]
    fn activation_refuses_an_order_of_the_legacy_flow_with_wrong_flow() {
        let renewal = OrderBuilder::renewal_order().line("XDR-DDI").build();
        let plain = OrderBuilder::new_order().line("A1").build();
        assert_eq!(refusal(&renewal, &Target::NewAccount, &[]), ["wrong_flow"]);
        assert_eq!(refusal(&plain, &Target::NewAccount, &[]), ["wrong_flow"]);
    }

    #[test]
    fn activation_checks_every_rule_again_and_returns_every_conflict() {
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .line("XDR-CAS")
            .line("XDR-DDI-JP")
            .suite("CUP", &[("A1", retained.clone())])
            .build();
        let h = with_saas(holdings(1, Some(Region::Eu)), "cloud-app-security", 99);
        let owners = [owner(&retained, &account(5, "alice@acme.example", "Acme"))];
        assert_eq!(
            refusal(&order, &Target::Existing(&h), &owners),
            [
                "saas_conflict",
                "region_conflict",
                "crossgrade_account_required"
            ]
        );
    }

    #[test]
    fn activation_of_a_registered_order_is_nothing_to_activate() {
        let order = OrderBuilder::new_order()
            .line("XDR-DDI")
            .registered(1, 1)
            .build();
        assert_eq!(
            refusal(&order, &Target::NewAccount, &[]),
            ["nothing_to_activate"]
        );
    }

    #[test]
    fn a_saas_instance_already_provisioned_by_this_order_is_not_provisioned_again() {
        let order = OrderBuilder::new_order()
            .line("XDR-CAS")
            .line("CAS")
            .line("XDR-DDI")
            .registered(1, 1)
            .build();
        let h = with_saas(
            holdings(1, Some(Region::Us)),
            "cloud-app-security",
            order.id,
        );
        let p = plan(&order, &Target::Existing(&h), &[]);
        assert_eq!(p.lines.len(), 2);
        assert!(p.saas.is_empty());
    }

    #[test]
    fn legacy_registration_registers_only_the_entered_line_at_once() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order().line("A1").line("CAS").build();
        let p = plan_legacy_registration(
            &order,
            &catalog,
            &key(&order, 2),
            &Target::NewAccount,
            &[],
            now(),
        )
        .unwrap();
        assert_eq!(p.line.line_id, line_id(&order, 2));
        assert_eq!(p.line.codes, [issue("CAS", "CA", &order, 2)]);
        assert_eq!(
            p.saas,
            Some(PlannedSaas {
                line_id: line_id(&order, 2),
                service: "cloud-app-security".to_owned()
            })
        );
        assert_eq!(p.registered_at, now());
    }

    #[test]
    fn legacy_registration_of_a_suite_issues_one_code_per_component() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order().suite("CUP", &[]).build();
        let p = plan_legacy_registration(
            &order,
            &catalog,
            &key(&order, 1),
            &Target::NewAccount,
            &[],
            now(),
        )
        .unwrap();
        assert_eq!(p.line.codes.len(), 4);
        assert_eq!(p.saas, None);
    }

    #[test]
    fn legacy_registration_refuses_an_account_based_order_with_wrong_flow() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order().line("XDR-DDI").line("A1").build();
        let err = plan_legacy_registration(
            &order,
            &catalog,
            &key(&order, 2),
            &Target::NewAccount,
            &[],
            now(),
        )
        .unwrap_err();
        assert_eq!(
            err.reason,
            ConflictReason::AccountBasedOrder {
                order_number: order.order_number.clone()
            }
        );
    }

    #[test]
    fn legacy_registration_of_a_registered_line_is_already_registered() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order()
            .line("A1")
            .line("DDI")
            .registered(1, 4)
            .build();
        let err = plan_legacy_registration(
            &order,
            &catalog,
            &key(&order, 1),
            &Target::NewAccount,
            &[],
            now(),
        )
        .unwrap_err();
        assert_eq!(
            (err.restriction(), err.line_id),
            (Restriction::AlreadyRegistered, Some(line_id(&order, 1)))
        );
        // The other line of the order still registers.
        assert!(
            plan_legacy_registration(
                &order,
                &catalog,
                &key(&order, 2),
                &Target::NewAccount,
                &[],
                now()
            )
            .is_ok()
        );
    }

    #[test]
    fn a_renewal_extends_the_renewed_ac_in_the_account_that_owns_it() {
        let catalog = Catalog::seeded();
        let renewed = ac("AO", 3);
        let order = OrderBuilder::renewal_order()
            .renewal_line("A1", &renewed)
            .build();
        let me = account(6, "bob@acme.example", "Acme");
        let h = with_code(
            holdings(6, Some(Region::Us)),
            &renewed,
            "A1",
            date(2025, 1, 31),
        );
        let p = plan_legacy_registration(
            &order,
            &catalog,
            &key(&order, 1),
            &Target::Existing(&h),
            &[owner(&renewed, &me)],
            now(),
        )
        .unwrap();
        assert_eq!(
            p.line.codes,
            [PlannedCode::Extend {
                code: renewed,
                sku: "A1".to_owned(),
                new_term_end: date(2026, 1, 31)
            }]
        );
        assert_eq!(p.saas, None);
    }

    #[test]
    fn a_renewal_into_another_or_a_new_account_is_renewal_account_mismatch() {
        let catalog = Catalog::seeded();
        let renewed = ac("AO", 3);
        let order = OrderBuilder::renewal_order()
            .renewal_line("A1", &renewed)
            .build();
        let owners = [owner(&renewed, &account(6, "bob@acme.example", "Acme"))];
        let other = holdings(1, None);
        for target in [Target::Existing(&other), Target::NewAccount] {
            let err = plan_legacy_registration(
                &order,
                &catalog,
                &key(&order, 1),
                &target,
                &owners,
                now(),
            )
            .unwrap_err();
            assert_eq!(err.restriction(), Restriction::RenewalAccountMismatch);
            let detail = format!("{:?}", err.reason);
            assert!(detail.contains("b***@acme.example"));
            assert!(!detail.contains(renewed.as_str()));
        }
    }

    #[test]
    fn a_renewal_of_a_saas_service_extends_its_code_without_a_new_instance() {
        let catalog = Catalog::seeded();
        let renewed = ac("WF", 4);
        let order = OrderBuilder::renewal_order()
            .renewal_line("WFBSS", &renewed)
            .build();
        let h = with_code(
            with_saas(holdings(6, None), "wfbs-svc", 3),
            &renewed,
            "WFBSS",
            date(2025, 1, 31),
        );
        let p = plan_legacy_registration(
            &order,
            &catalog,
            &key(&order, 1),
            &Target::Existing(&h),
            &[],
            now(),
        )
        .unwrap();
        assert!(matches!(p.line.codes[..], [PlannedCode::Extend { .. }]));
        assert_eq!(p.saas, None);
    }

    #[test]
    fn legacy_saas_line_conflicts_with_an_instance_the_account_holds() {
        let catalog = Catalog::seeded();
        let order = OrderBuilder::new_order().line("WFBSS").build();
        let h = with_saas(holdings(6, None), "wfbs-svc", 3);
        let err = plan_legacy_registration(
            &order,
            &catalog,
            &key(&order, 1),
            &Target::Existing(&h),
            &[],
            now(),
        )
        .unwrap_err();
        assert_eq!(err.restriction(), Restriction::SaasConflict);
        assert!(format!("{:?}", err.reason).contains("Worry-Free Business Security Services"));
    }

    #[test]
    fn a_renewal_order_with_an_xdr_addon_registers_without_xdr() {
        let catalog = Catalog::seeded();
        let renewed = ac("XJ", 5);
        let order = OrderBuilder::renewal_order()
            .renewal_line("XDR-DDI-JP", &renewed)
            .build();
        let h = with_code(
            holdings(6, Some(Region::Eu)),
            &renewed,
            "XDR-DDI-JP",
            date(2025, 1, 31),
        );
        // No region rule in the legacy flow, and the plan has no XDR part at all.
        let p = plan_legacy_registration(
            &order,
            &catalog,
            &key(&order, 1),
            &Target::Existing(&h),
            &[],
            now(),
        );
        assert!(p.is_ok());
    }
}
