//! Possible existing accounts of an order, shown before sign-up (masked).

use serde::{Deserialize, Serialize};

use crate::account::{AcOwner, AccountId, AccountSummary};
use crate::catalog::Catalog;
use crate::mask::{email_domain, is_public_mail_domain, mask_email, normalize_company};
use crate::order::{Order, OrderLine};

/// Why an account is suggested, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HintReason {
    /// It owns a retained AC of the order's suite.
    RetainedAcOwner,
    /// It owns the AC a renewal line renews: the line can only be registered to it.
    RenewedAcOwner,
    /// Its email is the order's contact email.
    ContactEmail,
    /// Its email domain is the contact email's (never a public mail domain).
    EmailDomain,
    /// Its normalized company name is the order's.
    CompanyName,
}

/// A possible existing account of the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountHint {
    /// The account.
    pub account_id: AccountId,
    /// Its email, masked (`j***@acme.example`).
    pub masked_email: String,
    /// The best reason it matches.
    pub reason: HintReason,
    /// The order can only be registered to this account (the owner of a cross grade's AC).
    pub binding: bool,
}

/// The reason a candidate matches the order, if any (retained AC ownership aside).
fn match_reason(order: &Order, candidate: &AccountSummary) -> Option<HintReason> {
    let contact = order.end_customer.contact_email.trim();
    if !contact.is_empty() && candidate.email.trim().eq_ignore_ascii_case(contact) {
        return Some(HintReason::ContactEmail);
    }
    if let (Some(order_domain), Some(domain)) =
        (email_domain(contact), email_domain(&candidate.email))
        && order_domain.eq_ignore_ascii_case(domain)
        && !is_public_mail_domain(domain)
    {
        return Some(HintReason::EmailDomain);
    }
    let company = normalize_company(&order.end_customer.company);
    (!company.is_empty() && company == normalize_company(&candidate.company))
        .then_some(HintReason::CompanyName)
}

/// Ranks the possible existing accounts of an order, one hint per account with its best
/// reason: owners of the order's retained ACs first (binding when the order is a cross
/// grade), then the account with the contact email, then accounts sharing the (non-public)
/// email domain, then accounts with the same normalized company name. Ties keep input order.
/// `candidates` may be fetched loosely; non-matching ones are dropped here.
///
/// Without a catalog, an order is taken as a cross grade when it names a retained AC (so it has
/// a suite line) and has another line: exact for the account-based flow, the only one showing
/// hints. [`rank_account_hints_with_catalog`] decides from product attributes, and
/// [`crate::preview::build_preview`] corrects `binding` with its catalog.
pub fn rank_account_hints(
    order: &Order,
    retained_owners: &[AcOwner],
    candidates: &[AccountSummary],
) -> Vec<AccountHint> {
    rank_with_cross_grade(order, None, retained_owners, candidates)
}

/// [`rank_account_hints`] with the cross-grade test read from the catalog: a suite line and an
/// XDR add-on line.
pub fn rank_account_hints_with_catalog(
    order: &Order,
    catalog: &Catalog,
    retained_owners: &[AcOwner],
    candidates: &[AccountSummary],
) -> Vec<AccountHint> {
    rank_with_cross_grade(order, Some(catalog), retained_owners, candidates)
}

/// Ranks hints, deciding the cross grade from `catalog` when given.
fn rank_with_cross_grade(
    order: &Order,
    catalog: Option<&Catalog>,
    retained_owners: &[AcOwner],
    candidates: &[AccountSummary],
) -> Vec<AccountHint> {
    let retained = order.retained_acs();
    let cross_grade = match catalog {
        Some(catalog) => order.is_cross_grade(catalog),
        None => !retained.is_empty() && order.lines.len() > 1,
    };
    let mut hints: Vec<AccountHint> = Vec::new();
    let mut push = |account: &AccountSummary, reason: HintReason, binding: bool| {
        if hints.iter().all(|h| h.account_id != account.id) {
            hints.push(AccountHint {
                account_id: account.id,
                masked_email: mask_email(&account.email),
                reason,
                binding,
            });
        }
    };
    for owner in retained_owners {
        if retained.contains(&&owner.code) {
            // Only a code registered by the purchase date binds a cross grade.
            let binding = cross_grade && owner.registered_by(order.purchase_date);
            push(&owner.account, HintReason::RetainedAcOwner, binding);
        }
    }
    let matched: Vec<(HintReason, &AccountSummary)> = candidates
        .iter()
        .filter_map(|c| match_reason(order, c).map(|reason| (reason, c)))
        .collect();
    for reason in [
        HintReason::ContactEmail,
        HintReason::EmailDomain,
        HintReason::CompanyName,
    ] {
        for (_, candidate) in matched.iter().filter(|(r, _)| *r == reason) {
            push(candidate, reason, false);
        }
    }
    hints
}

/// The account a renewal line can only be registered to: the owner of the AC it renews, as a
/// binding hint (masked email). `None` for a line that renews nothing, or a renewed AC no
/// account owns.
pub fn renewal_hint(line: &OrderLine, ac_owners: &[AcOwner]) -> Option<AccountHint> {
    let renewed = line.renews_ac.as_ref()?;
    let owner = ac_owners.iter().find(|owner| &owner.code == renewed)?;
    Some(AccountHint {
        account_id: owner.account.id,
        masked_email: mask_email(&owner.account.email),
        reason: HintReason::RenewedAcOwner,
        binding: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{OrderBuilder, ac, account, owner};

    fn reasons(hints: &[AccountHint]) -> Vec<(i64, HintReason, bool)> {
        hints
            .iter()
            .map(|h| (h.account_id.0, h.reason, h.binding))
            .collect()
    }

    #[test]
    fn retained_ac_owner_comes_first_and_binds_a_cross_grade() {
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("XDR-EPS")
            .build();
        let alice = account(5, "alice@other.example", "Other Corp");
        let john = account(2, "john@acme.example", "Acme");
        let hints = rank_account_hints(
            &order,
            &[owner(&retained, &alice)],
            std::slice::from_ref(&john),
        );
        assert_eq!(
            reasons(&hints),
            [
                (5, HintReason::RetainedAcOwner, true),
                (2, HintReason::ContactEmail, false)
            ]
        );
        let with_catalog = rank_account_hints_with_catalog(
            &order,
            &Catalog::seeded(),
            &[owner(&retained, &alice)],
            &[john],
        );
        assert_eq!(with_catalog, hints);
    }

    #[test]
    fn a_retained_ac_registered_after_the_purchase_date_does_not_bind() {
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("XDR-EPS")
            .build();
        let alice = account(5, "alice@other.example", "Other Corp");
        let at = |y, m, d| {
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(23, 59, 0)
                .unwrap()
                .and_utc()
        };
        let mut later = owner(&retained, &alice);
        later.registered_at = Some(at(2025, 1, 16));
        let hints = rank_account_hints_with_catalog(&order, &Catalog::seeded(), &[later], &[]);
        assert_eq!(reasons(&hints), [(5, HintReason::RetainedAcOwner, false)]);
        // Registered on the purchase day (2025-01-15) or before: binding.
        for day in [15, 14] {
            let mut prior = owner(&retained, &alice);
            prior.registered_at = Some(at(2025, 1, day));
            let hints = rank_account_hints_with_catalog(&order, &Catalog::seeded(), &[prior], &[]);
            assert_eq!(reasons(&hints), [(5, HintReason::RetainedAcOwner, true)]);
        }
    }

    #[test]
    fn the_owner_of_a_renewed_ac_is_a_binding_hint_with_a_masked_email() {
        let renewed = ac("AO", 3);
        let order = OrderBuilder::renewal_order()
            .renewal_line("A1", &renewed)
            .build();
        let bob = account(6, "bob@acme.example", "Acme");
        let hint = renewal_hint(&order.lines[0], &[owner(&renewed, &bob)]).unwrap();
        assert_eq!(
            (hint.account_id.0, hint.reason, hint.binding),
            (6, HintReason::RenewedAcOwner, true)
        );
        assert_eq!(hint.masked_email, "b***@acme.example");
        assert!(renewal_hint(&order.lines[0], &[]).is_none());
        let plain = OrderBuilder::renewal_order().line("A1").build();
        assert!(renewal_hint(&plain.lines[0], &[owner(&renewed, &bob)]).is_none());
    }

    #[test]
    fn retained_ac_owner_does_not_bind_an_order_that_is_not_a_cross_grade() {
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("DDI")
            .build();
        let alice = account(5, "alice@other.example", "Other");
        let hints = rank_account_hints_with_catalog(
            &order,
            &Catalog::seeded(),
            &[owner(&retained, &alice)],
            &[],
        );
        assert_eq!(reasons(&hints), [(5, HintReason::RetainedAcOwner, false)]);
    }

    #[test]
    fn owners_of_codes_that_are_not_retained_by_the_order_are_not_hints() {
        let order = OrderBuilder::new_order()
            .suite("CUP", &[])
            .line("XDR-EPS")
            .build();
        let stranger = account(5, "x@other.example", "Other");
        assert!(rank_account_hints(&order, &[owner(&ac("AO", 9), &stranger)], &[]).is_empty());
    }

    #[test]
    fn contact_email_match_ranks_before_domain_and_company_matches() {
        let order = OrderBuilder::new_order().line("XDR-DDI").build();
        let candidates = [
            account(3, "mary@acme.example", "Something Else"),
            account(4, "sales@acme-japan.example", "ACME Inc"),
            account(2, "John@Acme.Example", "Acme"),
        ];
        let hints = rank_account_hints(&order, &[], &candidates);
        assert_eq!(
            reasons(&hints),
            [
                (2, HintReason::ContactEmail, false),
                (3, HintReason::EmailDomain, false),
                (4, HintReason::CompanyName, false),
            ]
        );
    }

    #[test]
    fn public_mail_domains_never_match_by_domain() {
        let mut order = OrderBuilder::new_order().line("XDR-DDI").build();
        order.end_customer.contact_email = "john@gmail.com".to_owned();
        let candidates = [
            account(3, "someone@gmail.com", "Unrelated"),
            account(4, "other@GMAIL.com", "Acme Ltd"),
        ];
        let hints = rank_account_hints(&order, &[], &candidates);
        // Only the company name links account 4.
        assert_eq!(reasons(&hints), [(4, HintReason::CompanyName, false)]);
    }

    #[test]
    fn company_names_match_after_normalization() {
        let mut order = OrderBuilder::new_order().line("XDR-DDI").build();
        order.end_customer.company = "株式会社アクメ".to_owned();
        let hints =
            rank_account_hints(&order, &[], &[account(8, "a@x.example", "アクメ 株式会社")]);
        assert_eq!(reasons(&hints), [(8, HintReason::CompanyName, false)]);
    }

    #[test]
    fn one_hint_per_account_with_its_best_reason_in_stable_order() {
        let retained = ac("AO", 1);
        let order = OrderBuilder::new_order()
            .suite("CUP", &[("A1", retained.clone())])
            .line("XDR-EPS")
            .build();
        let john = account(2, "john@acme.example", "Acme");
        let candidates = [
            account(7, "b@acme.example", "Acme"),
            john.clone(),
            account(6, "a@acme.example", "Acme"),
        ];
        let hints = rank_account_hints(&order, &[owner(&retained, &john)], &candidates);
        assert_eq!(
            reasons(&hints),
            [
                (2, HintReason::RetainedAcOwner, true),
                (7, HintReason::EmailDomain, false),
                (6, HintReason::EmailDomain, false),
            ]
        );
    }

    #[test]
    fn unrelated_candidates_are_dropped_and_emails_are_masked() {
        let order = OrderBuilder::new_order().line("XDR-DDI").build();
        let candidates = [
            account(3, "eve@elsewhere.example", "Elsewhere"),
            account(2, "john@acme.example", "Acme"),
        ];
        let hints = rank_account_hints(&order, &[], &candidates);
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].masked_email, "j***@acme.example");
    }
}
