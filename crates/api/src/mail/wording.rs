//! The wording of the emails, one catalog per language ([`en`], [`ja`]).
//!
//! A catalog is one value of [`Wording`], a plain struct with one field per sentence, so the
//! compiler refuses a catalog that lacks a sentence the other has (the frontend's
//! `i18n::Messages` works the same way). Sentences with values are functions, so a value
//! sits wherever the language puts it in the sentence. The templates
//! (`crates/api/templates/mail/`) hold the layout only: the text and HTML bodies of an email
//! take their sentences from the same field, so they cannot say different things.

use chrono::{DateTime, NaiveDate, Utc};
use clp_domain::Lang;

mod en;
mod ja;

/// Every sentence of every email in one language.
pub struct Wording {
    /// The greeting, signature, footer and product list that every email shares.
    pub common: CommonWording,
    /// The verification email (account-based activation).
    pub verification: VerificationWording,
    /// The email verification of a plain sign-up.
    pub email_verification: EmailVerificationWording,
    /// The legacy registration notice.
    pub registration_notice: RegistrationNoticeWording,
    /// The activation confirmation.
    pub activation_confirmation: ActivationConfirmationWording,
    /// The password reset link.
    pub password_reset: PasswordResetWording,
    /// The link of a change of address, to the new address.
    pub email_change: EmailChangeWording,
    /// The notice of a change of address, to the current address.
    pub email_change_notice: EmailChangeNoticeWording,
    /// The notice that two-factor sign-in was turned on or off.
    pub mfa_changed: MfaChangedWording,
}

impl Wording {
    /// The catalog of `lang`.
    pub fn of(lang: Lang) -> &'static Self {
        match lang {
            Lang::En => &en::EN,
            Lang::Ja => &ja::JA,
        }
    }
}

/// Sentences every email shares.
pub struct CommonWording {
    /// Greeting when the recipient's name is unknown.
    pub greeting: &'static str,
    /// Greeting of a named recipient.
    pub greeting_named: fn(&str) -> String,
    /// The sender, under the signature delimiter.
    pub signature: &'static str,
    /// Why the recipient gets this email (an email may say it differently).
    pub footer: &'static str,
    /// A number of seats.
    pub seats: fn(u32) -> String,
    /// Label of a product's term.
    pub term: &'static str,
    /// Between the first and the last day of a term, in the text body.
    pub term_to_text: &'static str,
    /// The same in the HTML body.
    pub term_to_html: &'static str,
    /// Label of a product's activation codes.
    pub activation_codes: &'static str,
    /// Label of a product's SaaS service.
    pub service: &'static str,
    /// A day as the language writes it.
    pub date: fn(&NaiveDate) -> String,
    /// A moment as the language writes it.
    pub time: fn(DateTime<Utc>) -> String,
}

/// Sentences of the verification email.
pub struct VerificationWording {
    /// Subject, with the order number.
    pub subject: fn(&str) -> String,
    /// What the link does, with the order number.
    pub intro: fn(&str) -> String,
    /// Label of the link in the HTML body.
    pub button: &'static str,
    /// When the link expires (the time is already written in the language).
    pub expires: fn(&str) -> String,
    /// Said when the link also verifies a new account's email.
    pub new_account: &'static str,
    /// Heading of the product list, with the order number.
    pub summary: fn(&str) -> String,
    /// The XDR region the activation enables (upper-case code).
    pub region: fn(&str) -> String,
    /// What to do when the recipient did not ask for this.
    pub not_you: &'static str,
}

/// Sentences of the email verification.
pub struct EmailVerificationWording {
    /// Subject.
    pub subject: &'static str,
    /// What the link does.
    pub intro: &'static str,
    /// Label of the link in the HTML body.
    pub button: &'static str,
    /// When the link expires (the time is already written in the language).
    pub expires: fn(&str) -> String,
    /// What to do when the recipient did not create the account.
    pub not_you: &'static str,
    /// Replaces the common footer, which speaks of license registrations.
    pub footer: &'static str,
}

/// Sentences of the registration notice.
pub struct RegistrationNoticeWording {
    /// Subject, with the order number.
    pub subject: fn(&str) -> String,
    /// What was registered, with the order number.
    pub intro: fn(&str) -> String,
    /// Said when the registration renewed an existing activation code.
    pub renewal: &'static str,
    /// Where to see every product.
    pub outro: &'static str,
}

/// Sentences of the activation confirmation.
pub struct ActivationConfirmationWording {
    /// Subject, with the order number.
    pub subject: fn(&str) -> String,
    /// What was activated, with the order number.
    pub intro: fn(&str) -> String,
    /// The XDR region now enabled (upper-case code).
    pub xdr: fn(&str) -> String,
    /// Label of the console link in the HTML body.
    pub console: &'static str,
    /// Where to see every product.
    pub outro: &'static str,
}

/// Sentences of the password reset email.
pub struct PasswordResetWording {
    /// Subject.
    pub subject: &'static str,
    /// What the link does.
    pub intro: &'static str,
    /// Label of the link in the HTML body.
    pub button: &'static str,
    /// When the link expires (the time is already written in the language).
    pub expires: fn(&str) -> String,
    /// What following it does to the sessions.
    pub sessions: &'static str,
    /// What to do when the recipient did not ask for it.
    pub not_you: &'static str,
    /// Replaces the common footer, which speaks of license registrations.
    pub footer: &'static str,
}

/// Sentences of the email to the new address of a change of address.
pub struct EmailChangeWording {
    /// Subject.
    pub subject: &'static str,
    /// What the link does, with the new address.
    pub intro: fn(&str) -> String,
    /// Label of the link in the HTML body.
    pub button: &'static str,
    /// When the link expires (the time is already written in the language).
    pub expires: fn(&str) -> String,
    /// What to do when the recipient did not ask for it.
    pub not_you: &'static str,
    /// Replaces the common footer.
    pub footer: &'static str,
}

/// Sentences of the notice to the current address of a change of address.
pub struct EmailChangeNoticeWording {
    /// Subject.
    pub subject: &'static str,
    /// What was asked, with the new address.
    pub intro: fn(&str) -> String,
    /// When the change takes effect.
    pub when: &'static str,
    /// What to do when the recipient did not ask for it.
    pub not_you: &'static str,
    /// Replaces the common footer.
    pub footer: &'static str,
}

/// Sentences of the notice that two-factor sign-in was turned on or off.
pub struct MfaChangedWording {
    /// Subject when it was turned on.
    pub subject_on: &'static str,
    /// Subject when it was turned off.
    pub subject_off: &'static str,
    /// What happened, when (the time is already written in the language).
    pub on: fn(&str) -> String,
    /// What happened, when, when it was turned off.
    pub off: fn(&str) -> String,
    /// What to do when the recipient did not do it.
    pub not_you: &'static str,
    /// Replaces the common footer, which speaks of license registrations.
    pub footer: &'static str,
}
