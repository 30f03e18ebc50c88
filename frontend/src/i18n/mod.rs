//! The message catalogs: every user-facing string of the app, in English and Japanese.
//!
//! A catalog is one value of [`Messages`], a plain struct with one field per string, so the
//! compiler refuses a catalog that lacks a key the other has. Parameterised strings are
//! functions; error codes, regions and other enumerations are looked up with exhaustive
//! `match`es, so a new variant cannot be forgotten in either language.
//!
//! Pure Rust (no browser API), so `cargo test -p clp-frontend --lib` runs the parity tests on the
//! host.

use clp_api_types::{DeliveryKind, ErrorCode, HintReason, ProductStatus, RegionCode};
use clp_domain::KeyError;

mod en;
pub mod format;
mod ja;

pub use en::EN;
pub use ja::JA;

pub use clp_domain::Lang;

/// The message catalog of a language.
pub trait Catalog {
    /// The message catalog of this language.
    fn messages(self) -> &'static Messages;
}

impl Catalog for Lang {
    fn messages(self) -> &'static Messages {
        match self {
            Lang::En => &EN,
            Lang::Ja => &JA,
        }
    }
}

/// What to tell the customer about one problem `code`: what happened and what to do.
#[derive(Debug, Clone, Copy)]
pub struct ErrorText {
    /// What happened, in plain words (a heading).
    pub title: &'static str,
    /// What the customer can do about it.
    pub remedy: &'static str,
}

/// Defines a struct with one `ErrorText` field per error code and the exhaustive lookup.
macro_rules! error_texts {
    ($($field:ident => $code:ident,)*) => {
        /// The title and remedy of every problem `code` of the API.
        #[derive(Debug, Clone, Copy)]
        pub struct ErrorTexts {
            $(
                #[doc = concat!("Shown for the problem code `", stringify!($field), "`.")]
                pub $field: ErrorText,
            )*
        }

        impl ErrorTexts {
            /// The text for a problem code.
            pub const fn get(&self, code: ErrorCode) -> &ErrorText {
                match code {
                    $(ErrorCode::$code => &self.$field,)*
                }
            }
        }
    };
}

error_texts! {
    saas_conflict => SaasConflict,
    region_conflict => RegionConflict,
    crossgrade_account_required => CrossgradeAccountRequired,
    renewal_account_mismatch => RenewalAccountMismatch,
    nothing_to_activate => NothingToActivate,
    verification_expired => VerificationExpired,
    already_registered => AlreadyRegistered,
    wrong_flow => WrongFlow,
    invalid_key => InvalidKey,
    unknown_key => UnknownKey,
    validation_failed => ValidationFailed,
    invalid_credentials => InvalidCredentials,
    unauthorized => Unauthorized,
    forbidden => Forbidden,
    not_found => NotFound,
    account_exists => AccountExists,
    conflict => Conflict,
    idempotency_mismatch => IdempotencyMismatch,
    rate_limited => RateLimited,
    unavailable => Unavailable,
    internal => Internal,
    bad_request => BadRequest,
    link_expired => LinkExpired,
    mfa_required => MfaRequired,
    order_in_use => OrderInUse,
    order_cancelled => OrderCancelled,
}

/// Defines a struct of `&'static str` fields plus an accessor listing them, for an enumeration.
macro_rules! names {
    ($(#[$meta:meta])* $name:ident for $ty:ident { $($field:ident => $variant:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name {
            $(
                #[doc = concat!("The name of `", stringify!($variant), "`.")]
                pub $field: &'static str,
            )*
        }

        impl $name {
            /// The name of a value.
            pub const fn get(&self, value: $ty) -> &'static str {
                match value {
                    $($ty::$variant => self.$field,)*
                }
            }

            /// Every name with its field name (for the catalog tests).
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), self.$field),)*]
            }
        }
    };
}

names! {
    /// The names of the Trend Micro XDR regions.
    RegionNames for RegionCode {
        us => Us, eu => Eu, jp => Jp, sg => Sg, au => Au, r#in => In, mea => Mea, uk => Uk, ca => Ca,
    }
}

names! {
    /// How products are delivered.
    DeliveryNames for DeliveryKind { ac => Ac, saas => Saas, suite => Suite, }
}

names! {
    /// Why an existing account is suggested.
    HintReasonNames for HintReason {
        retained_ac_owner => RetainedAcOwner,
        renewed_ac_owner => RenewedAcOwner,
        contact_email => ContactEmail,
        email_domain => EmailDomain,
        company_name => CompanyName,
    }
}

names! {
    /// Whether a product's term is current.
    StatusNames for ProductStatus { active => Active, expiring => Expiring, expired => Expired, }
}

/// Defines [`Messages`]: plain strings (listed by `texts()` for the tests) and formatters.
macro_rules! messages {
    (
        texts { $($text:ident,)* }
        formats { $($format:ident: $format_ty:ty,)* }
    ) => {
        /// One language's catalog: every user-facing string of the app.
        #[derive(Debug)]
        pub struct Messages {
            $(
                #[doc = concat!("The text `", stringify!($text), "`.")]
                pub $text: &'static str,
            )*
            $(
                #[doc = concat!("The parameterised text `", stringify!($format), "`.")]
                pub $format: $format_ty,
            )*
            /// Title and remedy of every problem code.
            pub errors: ErrorTexts,
            /// Names of the XDR regions.
            pub regions: RegionNames,
            /// Names of the delivery kinds.
            pub delivery: DeliveryNames,
            /// Why an existing account is suggested.
            pub hint_reasons: HintReasonNames,
            /// Product statuses.
            pub statuses: StatusNames,
        }

        impl Messages {
            /// Every plain string with its field name (for the catalog tests).
            pub fn texts(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($text), self.$text),)*]
            }
        }
    };
}

messages! {
    texts {
        app_name,
        doc_title,
        skip_link,
        nav_label,
        nav_activate,
        nav_products,
        language_label,
        sign_in_link,
        sign_out,
        footer,
        loading,
        retry,
        network_title,
        network_remedy,
        details_label,
        field_errors_heading,
        wizard_heading,
        wizard_intro,
        steps_label,
        step_enter_key,
        step_review,
        step_account,
        step_confirm_email,
        step_done,
        step_completed,
        enter_key_heading,
        key_label,
        key_help,
        key_submit,
        key_empty,
        key_check_failed,
        key_bad_prefix,
        review_heading,
        lines_heading,
        seats_label,
        term_label,
        delivery_label,
        components_label,
        badge_xdr_addon,
        badge_xdr_related,
        end_customer_heading,
        company_label,
        contact_label,
        contact_email_label,
        country_label,
        conflicts_heading,
        region_label,
        region_help,
        review_continue,
        use_other_key,
        legacy_notice,
        account_heading,
        activate_button,
        use_other_account,
        hints_heading,
        hint_binding,
        sign_in_heading,
        login_label,
        password_label,
        sign_in_button,
        signup_heading,
        signup_intro,
        email_label,
        full_name_label,
        country_code_label,
        country_code_help,
        signup_button,
        submitting,
        confirm_heading,
        confirm_sent,
        confirm_nothing_until,
        start_again,
        verify_heading,
        verifying,
        verify_missing_token,
        verify_email_heading,
        verify_email_working,
        verify_email_done_heading,
        verify_email_done_body,
        verify_email_expired_title,
        verify_email_expired_remedy,
        verify_email_invalid_title,
        verify_email_invalid_remedy,
        done_heading,
        ac_label,
        open_console,
        opens_new_tab,
        go_products,
        dialog_title,
        close,
        legacy_account_heading,
        legacy_form_heading,
        legacy_form_intro,
        login_id_label,
        address_label,
        city_label,
        state_label,
        postal_code_label,
        phone_label,
        contact_name_label,
        legacy_register_button,
        legacy_register_signed_in,
        legacy_done_heading,
        legacy_done_email,
        legacy_renewal_done,
        products_heading,
        products_sign_in_prompt,
        products_empty,
        products_activate_link,
        status_label,
        order_label,
        service_label,
        copy,
        copied,
        copy_failed,
        xdr_heading,
        xdr_not_enabled,
        sign_in_page_heading,
        sign_in_page_intro,
        not_found_heading,
        not_found_body,
        not_found_link,
        // Wizard honesty and My products (h-wizard).
        crossgrade_heading,
        renewal_heading,
        login_id_rules,
        verify_stopped_title,
        verify_stopped_remedy,
        verify_used_title,
        verify_used_remedy,
        verify_done_before,
        products_filter_label,
        products_status_filter_label,
        products_status_all,
        products_text_filter_label,
        products_text_filter_help,
        products_no_match,
        products_pages_label,
        products_previous_page,
        products_next_page,
        products_download_csv,
        products_downloading,
        // Accounts: forgot and reset password, two-step sign-in, My account, resend (issue 15).
        forgot_password_link,
        otp_label,
        otp_help,
        otp_intro,
        forgot_heading,
        forgot_intro,
        forgot_button,
        forgot_sent_heading,
        back_to_sign_in,
        reset_heading,
        new_password_label,
        password_rules,
        reset_button,
        reset_done_heading,
        reset_done_body,
        reset_expired_title,
        reset_expired_remedy,
        reset_missing_token,
        reset_new_link,
        nav_account,
        account_page_heading,
        account_sign_in_prompt,
        optional_mark,
        profile_heading,
        email_language_label,
        save_button,
        profile_saved,
        password_heading,
        current_password_label,
        password_button,
        password_changed,
        email_heading,
        new_email_label,
        email_button,
        mfa_heading,
        mfa_off_intro,
        mfa_on_status,
        mfa_enrol_button,
        mfa_scan,
        mfa_qr_label,
        mfa_secret_label,
        mfa_code_label,
        mfa_confirm_button,
        cancel,
        recovery_heading,
        recovery_intro,
        recovery_copy,
        recovery_download,
        recovery_done,
        mfa_disable_heading,
        mfa_disable_code_label,
        mfa_disable_button,
        mfa_disabled,
        activity_heading,
        activity_empty,
        activity_when,
        activity_what,
        resend_button,
        resend_sent,
        resend_too_many,
        different_email_button,
    }
    formats {
        signed_in_as: fn(&str) -> String,
        key_wrong_length: fn(usize, usize) -> String,
        key_invalid_character: fn(char, usize) -> String,
        order_number: fn(&str) -> String,
        registered_count: fn(u32) -> String,
        region_pinned: fn(&str) -> String,
        region_of_account: fn(&str) -> String,
        signed_in_continue: fn(&str) -> String,
        hint_line: fn(&str, &str) -> String,
        confirm_sent_to: fn(&str) -> String,
        confirm_expires: fn(&str) -> String,
        done_intro: fn(&str) -> String,
        dialog_body: fn(&str) -> String,
        copy_label: fn(&str) -> String,
        xdr_enabled: fn(&str) -> String,
        // Wizard honesty and My products (h-wizard).
        crossgrade_body: fn(&str) -> String,
        renewal_body: fn(&str) -> String,
        days_left: fn(i64) -> String,
        products_shown: fn(usize, usize, usize, usize) -> String,
        products_page_of: fn(usize, usize) -> String,
        // Accounts (issue 15).
        forgot_sent_to: fn(&str) -> String,
        current_email: fn(&str) -> String,
        email_change_sent: fn(&str) -> String,
        activity_kind: fn(&str) -> String,
    }
}

impl Messages {
    /// The plain-words explanation of a key the parser rejected.
    pub fn key_error(&self, error: &KeyError) -> String {
        match error {
            KeyError::WrongLength { expected, found } => (self.key_wrong_length)(*expected, *found),
            KeyError::InvalidCharacter {
                character,
                position,
            } => (self.key_invalid_character)(*character, *position),
            KeyError::CheckFailed => self.key_check_failed.to_owned(),
            KeyError::BadPrefix => self.key_bad_prefix.to_owned(),
        }
    }

    /// Title and remedy of a problem code.
    pub const fn error(&self, code: ErrorCode) -> &ErrorText {
        self.errors.get(code)
    }

    /// The label a form shows for the field at an API path (`account.password`, `email`), or
    /// `None` for a path no form of the app has: an API path is never shown to the customer.
    pub fn field_label(&self, path: &str) -> Option<&'static str> {
        let name = path.rsplit('.').next().unwrap_or(path);
        Some(match name {
            "email" | "new_email" => self.email_label,
            "password" | "new_password" | "current_password" => self.password_label,
            "full_name" => self.full_name_label,
            "company" => self.company_label,
            "country" => self.country_code_label,
            "login_id" => self.login_id_label,
            "login" => self.login_label,
            "address" => self.address_label,
            "city" => self.city_label,
            "state" => self.state_label,
            "postal_code" => self.postal_code_label,
            "phone" => self.phone_label,
            "contact_name" => self.contact_name_label,
            "key" => self.key_label,
            "region" => self.region_label,
            "language" => self.language_label,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogs() -> [(Lang, &'static Messages); 2] {
        [(Lang::En, &EN), (Lang::Ja, &JA)]
    }

    #[test]
    fn no_text_is_empty_in_either_language() {
        for (lang, m) in catalogs() {
            let mut all = m.texts();
            all.extend(m.regions.entries());
            all.extend(m.delivery.entries());
            all.extend(m.hint_reasons.entries());
            all.extend(m.statuses.entries());
            for (name, text) in all {
                assert!(!text.trim().is_empty(), "{lang:?}: `{name}` is empty");
            }
        }
    }

    #[test]
    fn both_catalogs_list_the_same_keys() {
        let en: Vec<_> = EN.texts().into_iter().map(|(k, _)| k).collect();
        let ja: Vec<_> = JA.texts().into_iter().map(|(k, _)| k).collect();
        assert_eq!(en, ja);
    }

    #[test]
    fn japanese_texts_are_translated() {
        // Proper names may stay the same; everything else must differ from English.
        let same_allowed = ["app_name", "xdr_heading"];
        for ((key, en), (_, ja)) in EN.texts().into_iter().zip(JA.texts()) {
            if !same_allowed.contains(&key) {
                assert_ne!(en, ja, "`{key}` is not translated");
            }
        }
    }

    #[test]
    fn every_error_code_has_a_title_and_a_remedy_in_both_languages() {
        for (lang, m) in catalogs() {
            for &code in ErrorCode::ALL {
                let text = m.error(code);
                assert!(!text.title.trim().is_empty(), "{lang:?}: {code} title");
                assert!(!text.remedy.trim().is_empty(), "{lang:?}: {code} remedy");
            }
        }
        for &code in ErrorCode::ALL {
            assert_ne!(EN.error(code).title, JA.error(code).title, "{code}");
            assert_ne!(EN.error(code).remedy, JA.error(code).remedy, "{code}");
        }
    }

    #[test]
    fn parameterised_texts_include_their_arguments() {
        for (lang, m) in catalogs() {
            let checks = [
                ((m.signed_in_as)("a@b.example"), "a@b.example"),
                ((m.key_wrong_length)(18, 17), "17"),
                ((m.key_invalid_character)('!', 4), "!"),
                ((m.order_number)("SO-1"), "SO-1"),
                ((m.registered_count)(3), "3"),
                ((m.region_pinned)("Japan"), "Japan"),
                ((m.region_of_account)("Japan"), "Japan"),
                ((m.signed_in_continue)("a@b.example"), "a@b.example"),
                ((m.hint_line)("j***@x.example", "why"), "j***@x.example"),
                ((m.confirm_sent_to)("a@b.example"), "a@b.example"),
                ((m.confirm_expires)("WHEN"), "WHEN"),
                ((m.done_intro)("SO-1"), "SO-1"),
                ((m.dialog_body)("Japan"), "Japan"),
                ((m.copy_label)("AB-CD"), "AB-CD"),
                ((m.xdr_enabled)("Japan"), "Japan"),
                ((m.forgot_sent_to)("a@b.example"), "a@b.example"),
                ((m.current_email)("a@b.example"), "a@b.example"),
                ((m.email_change_sent)("a@b.example"), "a@b.example"),
                ((m.activity_kind)("some.new_kind"), "some.new_kind"),
            ];
            for (text, arg) in checks {
                assert!(text.contains(arg), "{lang:?}: {text:?} lacks {arg:?}");
            }
            assert!((m.key_wrong_length)(18, 17).contains("18"));
            assert!((m.key_invalid_character)('!', 4).contains('4'));
        }
    }

    #[test]
    fn field_errors_name_the_form_label_never_the_api_path() {
        for (_, m) in catalogs() {
            assert_eq!(m.field_label("account.password"), Some(m.password_label));
            assert_eq!(m.field_label("account.full_name"), Some(m.full_name_label));
            assert_eq!(m.field_label("country"), Some(m.country_code_label));
            assert_eq!(m.field_label("postal_code"), Some(m.postal_code_label));
            assert_eq!(m.field_label("lines[0].sku"), None);
        }
    }

    #[test]
    fn products_texts_include_their_numbers() {
        for (lang, m) in catalogs() {
            assert!((m.days_left)(12).contains("12"), "{lang:?}");
            assert!((m.crossgrade_body)("j***@x.example").contains("j***@x.example"));
            assert!((m.renewal_body)("j***@x.example").contains("j***@x.example"));
            let shown = (m.products_shown)(26, 50, 400, 1000);
            for n in ["26", "50", "400", "1000"] {
                assert!(shown.contains(n), "{lang:?}: {shown}");
            }
            let page = (m.products_page_of)(2, 40);
            assert!(
                page.contains('2') && page.contains("40"),
                "{lang:?}: {page}"
            );
        }
    }

    #[test]
    fn key_errors_are_explained_in_both_languages() {
        let errors = [
            KeyError::WrongLength {
                expected: 18,
                found: 17,
            },
            KeyError::InvalidCharacter {
                character: '#',
                position: 5,
            },
            KeyError::CheckFailed,
            KeyError::BadPrefix,
        ];
        for error in &errors {
            assert_ne!(EN.key_error(error), JA.key_error(error));
        }
        assert!(EN.key_error(&KeyError::CheckFailed).contains("mistyped"));
    }

    #[test]
    fn language_follows_the_first_supported_preference() {
        assert_eq!(Lang::from_preferences(["ja-JP", "en-US"]), Lang::Ja);
        assert_eq!(Lang::from_preferences(["ja"]), Lang::Ja);
        assert_eq!(Lang::from_preferences(["en-GB", "ja"]), Lang::En);
        assert_eq!(Lang::from_preferences(["fr-FR", "ja"]), Lang::Ja);
        assert_eq!(Lang::from_preferences(["fr-FR"]), Lang::En);
        assert_eq!(Lang::from_preferences([]), Lang::En);
        assert_eq!(Lang::from_tag("JA_jp"), Some(Lang::Ja));
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.code()), Some(lang));
        }
    }
}
