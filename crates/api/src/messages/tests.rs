//! Every message in every language: nothing empty, nothing left in English in Japanese, the
//! specifics (products, regions, order numbers) kept.

use clp_api_types::ErrorCode;
use clp_domain::conflict::{Conflict, ConflictReason, Restriction};
use clp_domain::region::Region;
use clp_domain::restriction::sample_reasons;
use clp_domain::{KeyError, Lang};

use super::*;

fn catalogs() -> [&'static dyn Catalog; 2] {
    [&English, &Japanese]
}

/// One problem of every kind.
fn every_field_problem() -> Vec<FieldProblem> {
    vec![
        FieldProblem::Required,
        FieldProblem::InvalidEmail,
        FieldProblem::TooShort { min: 12 },
        FieldProblem::TooLong { max: 200 },
        FieldProblem::InvalidCountry,
        FieldProblem::InvalidLanguage,
        FieldProblem::InvalidLoginId,
        FieldProblem::AccountWhileSignedIn,
        FieldProblem::InvalidLinkToken,
        FieldProblem::SameEmail,
        FieldProblem::WrongCode,
        FieldProblem::WrongPassword,
        FieldProblem::Missing,
        FieldProblem::UnknownField,
        FieldProblem::DuplicateField,
        FieldProblem::WrongType { expected: None },
        FieldProblem::WrongType {
            expected: Some("u32".to_owned()),
        },
        FieldProblem::Empty,
        FieldProblem::Longer { max: 64 },
        FieldProblem::ControlCharacters,
        FieldProblem::OrderNumberCharacters,
        FieldProblem::NotAnEmail,
        FieldProblem::NotACountry,
        FieldProblem::NoLines,
        FieldProblem::TooManyLines { max: 200 },
        FieldProblem::UnknownProduct,
        FieldProblem::Zero,
        FieldProblem::TooLarge,
        FieldProblem::EndsBeforeStart,
        FieldProblem::NotASuite {
            sku: "A1".to_owned(),
        },
        FieldProblem::NotAComponent {
            suite: "CUP".to_owned(),
            components: vec!["A1".to_owned(), "SMEX".to_owned()],
        },
        FieldProblem::ListedTwice,
        FieldProblem::RenewalNeedsCode,
        FieldProblem::OnlyOnRenewals,
        FieldProblem::NoSuchActivationCode,
        FieldProblem::MalformedActivationCode(KeyError::CheckFailed),
        FieldProblem::NoEvents,
        FieldProblem::NotAUrl,
        FieldProblem::NotAnHttpUrl,
        FieldProblem::NoHost,
        FieldProblem::UrlCredentials,
    ]
}

fn every_bad_request() -> Vec<BadRequestReason> {
    vec![
        BadRequestReason::NotJson {
            line: 1,
            column: 17,
        },
        BadRequestReason::NotJsonContentType,
        BadRequestReason::NotFormContentType,
        BadRequestReason::UnreadableBody,
        BadRequestReason::UnreadableQuery,
        BadRequestReason::IdempotencyKeyHeader,
        BadRequestReason::UnsupportedGrantType {
            expected: "client_credentials",
        },
        BadRequestReason::UnknownScope {
            scope: "admin".to_owned(),
            known: vec!["orders:read"],
        },
        BadRequestReason::ScopeNotGranted {
            scope: "orders:write".to_owned(),
        },
    ]
}

fn every_conflict_kind() -> Vec<ConflictKind> {
    vec![
        ConflictKind::Duplicate,
        ConflictKind::OrderNumberTaken {
            order_number: "SO-7".to_owned(),
        },
        ConflictKind::IdempotencyInFlight,
        ConflictKind::DeliveryPending,
        ConflictKind::ActivationStopped,
        ConflictKind::MfaAlreadyOn,
        ConflictKind::MfaNotEnrolling,
        ConflictKind::MfaOff,
    ]
}

fn every_key_error() -> Vec<KeyError> {
    vec![
        KeyError::WrongLength {
            expected: 18,
            found: 5,
        },
        KeyError::InvalidCharacter {
            character: '!',
            position: 3,
        },
        KeyError::CheckFailed,
        KeyError::BadPrefix,
    ]
}

/// Whether a text has Japanese in it (kana or kanji).
fn has_japanese(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

/// Checks a text of `catalog`: not empty, no doubled spaces, Japanese in the Japanese catalog.
fn check(catalog: &dyn Catalog, what: &str, text: &str) {
    assert!(!text.trim().is_empty(), "{what}: empty");
    assert!(!text.contains("  "), "{what}: doubled space in {text:?}");
    match catalog.lang() {
        Lang::En => assert!(!has_japanese(text), "{what}: Japanese in English: {text}"),
        Lang::Ja => assert!(has_japanese(text), "{what}: not Japanese: {text}"),
    }
}

#[test]
fn every_error_code_has_a_title_and_a_remedy_in_every_language() {
    for catalog in catalogs() {
        for code in ErrorCode::ALL.iter().copied() {
            check(catalog, &format!("title of {code}"), catalog.title(code));
            check(catalog, &format!("remedy of {code}"), catalog.remedy(code));
        }
    }
    for (i, a) in ErrorCode::ALL.iter().enumerate() {
        for b in &ErrorCode::ALL[i + 1..] {
            assert_ne!(Japanese.title(*a), Japanese.title(*b), "{a} and {b}");
        }
    }
}

#[test]
fn every_restriction_maps_to_the_error_code_of_the_same_name() {
    for restriction in Restriction::ALL {
        let code = restriction_code(restriction);
        assert_eq!(code.as_str(), restriction.code());
        assert!(code.is_restriction(), "{code}");
    }
    let restriction_codes = ErrorCode::ALL.iter().filter(|c| c.is_restriction()).count();
    assert_eq!(restriction_codes, Restriction::ALL.len());
}

#[test]
fn every_conflict_reason_renders_in_every_language_with_its_specifics() {
    for catalog in catalogs() {
        for reason in sample_reasons() {
            let text = restriction_detail(catalog, &[Conflict::new(None, reason.clone())]);
            check(catalog, &format!("{reason:?}"), &text);
            for specific in specifics(&reason) {
                assert!(
                    text.contains(&specific),
                    "{reason:?} lacks {specific}: {text}"
                );
            }
            for region in regions(&reason) {
                assert!(
                    text.contains(catalog.region(region)),
                    "{reason:?} does not name {region:?}: {text}"
                );
            }
        }
    }
}

/// What a rendered reason must repeat: product names, order numbers, masked owners.
fn specifics(reason: &ConflictReason) -> Vec<String> {
    match reason {
        ConflictReason::SaasServiceHeld { product, service } => {
            vec![product.clone(), service.clone()]
        }
        ConflictReason::RegionPinsDiffer {
            product,
            other_product,
            ..
        } => vec![product.clone(), other_product.clone()],
        ConflictReason::RegionConflict { product, .. } => product.iter().cloned().collect(),
        ConflictReason::CrossGrade {
            suite,
            component,
            owner,
        } => vec![suite.clone(), component.clone(), owner.clone()],
        ConflictReason::RenewalOwnedElsewhere { product, owner } => {
            let mut specifics = vec![product.clone()];
            specifics.extend(owner.iter().cloned());
            specifics
        }
        ConflictReason::EveryLineRegistered { order_number }
        | ConflictReason::KeyNotInOrder { order_number }
        | ConflictReason::RegisteredMeanwhile { order_number }
        | ConflictReason::LegacyOrder { order_number }
        | ConflictReason::AccountBasedOrder { order_number } => vec![order_number.clone()],
        ConflictReason::LineRegistered {
            product,
            order_number,
        } => vec![product.clone(), order_number.clone()],
        ConflictReason::ExtendedCodeElsewhere { .. }
        | ConflictReason::LinkExpired
        | ConflictReason::LinkUsed => Vec::new(),
    }
}

/// The regions a rendered reason must name.
fn regions(reason: &ConflictReason) -> Vec<Region> {
    match reason {
        ConflictReason::RegionPinsDiffer {
            region,
            other_region,
            ..
        } => vec![*region, *other_region],
        ConflictReason::RegionConflict {
            account_region,
            order_region,
            ..
        } => vec![*account_region, *order_region],
        _ => Vec::new(),
    }
}

#[test]
fn a_restriction_detail_lists_each_reason_once_then_the_remedy() {
    let held = |product: &str| {
        Conflict::new(
            Some(1),
            ConflictReason::SaasServiceHeld {
                product: product.to_owned(),
                service: "cloud-app-security".to_owned(),
            },
        )
    };
    let conflicts = [held("CAS"), held("CAS"), held("XDR CAS")];
    let text = restriction_detail(&English, &conflicts);
    assert_eq!(text.matches("CAS provisions").count(), 2, "{text}");
    assert!(
        text.ends_with(English.remedy(ErrorCode::SaasConflict)),
        "{text}"
    );
    let text = restriction_detail(&Japanese, &conflicts);
    assert!(
        text.ends_with(Japanese.remedy(ErrorCode::SaasConflict)),
        "{text}"
    );
    // A wrong flow names the right step itself: no remedy after it.
    let wrong = [Conflict::new(
        None,
        ConflictReason::LegacyOrder {
            order_number: "SO-9".to_owned(),
        },
    )];
    for catalog in catalogs() {
        let text = restriction_detail(catalog, &wrong);
        assert!(
            !text.contains(catalog.remedy(ErrorCode::WrongFlow)),
            "{text}"
        );
        assert!(text.contains("POST /api/v1/registrations"), "{text}");
    }
}

#[test]
fn every_other_message_renders_in_every_language() {
    for catalog in catalogs() {
        for problem in every_field_problem() {
            check(catalog, &format!("{problem:?}"), &catalog.field(&problem));
        }
        for reason in every_bad_request() {
            check(
                catalog,
                &format!("{reason:?}"),
                &catalog.bad_request(&reason),
            );
        }
        for kind in every_conflict_kind() {
            check(catalog, &format!("{kind:?}"), &catalog.conflict_kind(&kind));
        }
        for error in every_key_error() {
            check(catalog, &format!("{error:?}"), &catalog.key_error(&error));
        }
        for region in Region::ALL {
            check(catalog, &format!("{region:?}"), catalog.region(region));
        }
        check(catalog, "invalid fields", &catalog.invalid_fields(2));
        check(catalog, "rate limited", &catalog.rate_limited(17));
        check(catalog, "unavailable", &catalog.unavailable(60));
        check(
            catalog,
            "payload too large",
            &catalog.payload_too_large(65536),
        );
        check(catalog, "email link expired", catalog.email_link_expired());
    }
}

#[test]
fn numbers_and_names_survive_translation() {
    assert!(
        Japanese
            .field(&FieldProblem::TooShort { min: 12 })
            .contains("12")
    );
    assert!(
        Japanese
            .field(&FieldProblem::TooManyLines { max: 200 })
            .contains("200")
    );
    assert!(
        Japanese
            .conflict_kind(&ConflictKind::OrderNumberTaken {
                order_number: "SO-7".to_owned()
            })
            .contains("`SO-7`")
    );
    let not_json = Japanese.bad_request(&BadRequestReason::NotJson {
        line: 1,
        column: 17,
    });
    assert!(
        not_json.contains("1 行目") && not_json.contains("17 列目"),
        "{not_json}"
    );
    assert!(Japanese.rate_limited(17).contains("17 秒後"));
    assert!(
        Japanese
            .key_error(&KeyError::WrongLength {
                expected: 20,
                found: 5
            })
            .contains("20 文字")
    );
}
