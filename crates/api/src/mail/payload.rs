//! The mail payload stored in the outbox: what to send, to whom, in which language, with the
//! data the template needs. It is rendered only when the worker delivers it.
//!
//! # Contract for code that enqueues mail
//!
//! Build a [`MailPayload`] and enqueue it with `clp_db::outbox::enqueue` inside the transaction
//! of the change that causes the mail:
//!
//! ```text
//! let payload = MailPayload::new(
//!     &account.email,
//!     &account.language,
//!     MailTemplate::Verification(VerificationMail { token, expires_at, order_number, .. }),
//! );
//! outbox::enqueue(&txn, payload.outbox_message(), now).await?;
//! state.outbox_wakeup.notify_one(); // after the commit: deliver now rather than at the next poll
//! ```
//!
//! Stored JSON (`template` + `to` + `language` + `data`):
//!
//! ```json
//! {"template": "verification", "to": "jane@acme.example", "language": "en",
//!  "data": {"token": "...", "expires_at": "2030-01-01T00:00:00Z", "order_number": "SO-1",
//!           "full_name": "Jane Doe", "new_account": true,
//!           "products": [{"sku": "XDR-CAS", "product_name": "...", "seats": 50}]}}
//! ```
//!
//! `template` is one of `verification` ([`VerificationMail`]), `email_verification`
//! ([`EmailVerificationMail`]), `registration_notice` ([`RegistrationNoticeMail`]) and
//! `activation_confirmation` ([`ActivationConfirmationMail`]) and `mfa_changed`
//! ([`MfaChangedMail`]). Once delivered, the outbox drops
//! `data.token` from the stored payload (`clp_db::outbox::mark_sent`).
//! Product names are resolved (from the catalog) by the enqueuer, so rendering needs no
//! database. Links are built at delivery from `CLP_PUBLIC_URL`, and console links from the
//! configured console of the region when `console_url` is absent.

use chrono::{DateTime, NaiveDate, Utc};
use clp_db::outbox::{NewMessage, OutboxKind};
use clp_domain::Lang;
use serde::{Deserialize, Serialize};

/// Attempts of an email before its outbox message is given up (`failed`): with the worker's
/// back-off (2 s doubling, capped at 10 min) that is well over an hour of SMTP outage.
pub const MAIL_MAX_ATTEMPTS: u32 = 20;

/// An email waiting in the outbox (payload of an `email` outbox message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailPayload {
    /// Which email, and its data (serialized as `template` + `data`).
    #[serde(flatten)]
    pub template: MailTemplate,
    /// Recipient address.
    pub to: String,
    /// Language of the email; a missing or unknown language is English.
    #[serde(default, deserialize_with = "lenient_lang")]
    pub language: Lang,
}

/// A stored language tag as a [`Lang`], English for a tag no template speaks.
fn lenient_lang<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Lang, D::Error> {
    let tag = String::deserialize(deserializer)?;
    Ok(Lang::from_tag(&tag).unwrap_or_default())
}

impl MailPayload {
    /// A payload for `to` in `language`.
    pub fn new(to: impl Into<String>, language: Lang, template: MailTemplate) -> Self {
        Self {
            template,
            to: to.into(),
            language,
        }
    }

    /// The payload as stored JSON.
    pub fn to_json(&self) -> serde_json::Value {
        // Serializing plain strings, numbers and dates cannot fail.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// Reads a stored payload.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, serde_json::Error> {
        Self::deserialize(value)
    }

    /// The outbox message carrying this payload (kind `email`, [`MAIL_MAX_ATTEMPTS`]).
    pub fn outbox_message(&self) -> NewMessage {
        NewMessage {
            kind: OutboxKind::Email,
            payload: self.to_json(),
            max_attempts: MAIL_MAX_ATTEMPTS,
            subscription_id: None,
            event_id: None,
        }
    }

    /// The template name (`verification`, ...), for logs.
    pub fn template_name(&self) -> &'static str {
        self.template.name()
    }
}

/// Which email, with its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "template", content = "data", rename_all = "snake_case")]
pub enum MailTemplate {
    /// Account-based flow: the link that completes a pending activation.
    Verification(VerificationMail),
    /// Plain sign-up: the link that verifies the new account's email.
    EmailVerification(EmailVerificationMail),
    /// Legacy flow: a line was registered to the account.
    RegistrationNotice(RegistrationNoticeMail),
    /// Account-based flow: the activation completed.
    ActivationConfirmation(ActivationConfirmationMail),
    /// The single-use link that sets a new password.
    PasswordReset(PasswordResetMail),
    /// A change of address: the link, sent to the new address, that makes the change.
    EmailChange(EmailChangeMail),
    /// A change of address: the notice sent to the address the account has now.
    EmailChangeNotice(EmailChangeNoticeMail),
    /// Two-factor sign-in was turned on or off.
    MfaChanged(MfaChangedMail),
}

impl MailTemplate {
    /// The stored name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Verification(_) => "verification",
            Self::EmailVerification(_) => "email_verification",
            Self::RegistrationNotice(_) => "registration_notice",
            Self::ActivationConfirmation(_) => "activation_confirmation",
            Self::PasswordReset(_) => "password_reset",
            Self::EmailChange(_) => "email_change",
            Self::EmailChangeNotice(_) => "email_change_notice",
            Self::MfaChanged(_) => "mfa_changed",
        }
    }
}

/// A product line as the emails list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailProduct {
    /// Product SKU.
    pub sku: String,
    /// Product name (from the catalog).
    pub product_name: String,
    /// Seats.
    pub seats: u32,
    /// First day of the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_start: Option<NaiveDate>,
    /// Last day of the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_end: Option<NaiveDate>,
    /// Activation codes issued or extended (canonical form); empty in the verification email.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activation_codes: Vec<String>,
    /// The SaaS service provisioned, for SaaS lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saas_service: Option<String>,
}

/// Data of the verification email.
///
/// The raw `token` is here because the link must reach the customer; it is never logged
/// except by the development file transport (no SMTP configured), and `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationMail {
    /// The verification token; the link is `{CLP_PUBLIC_URL}/activate/verify?token=...`.
    pub token: String,
    /// When the link expires.
    pub expires_at: DateTime<Utc>,
    /// The order being activated.
    pub order_number: String,
    /// The recipient's name, for the greeting (may be empty).
    #[serde(default)]
    pub full_name: String,
    /// Whether following the link also verifies a new account's email.
    #[serde(default)]
    pub new_account: bool,
    /// The XDR region the activation enables, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The lines that the activation registers.
    pub products: Vec<MailProduct>,
}

impl std::fmt::Debug for VerificationMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerificationMail")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("order_number", &self.order_number)
            .field("new_account", &self.new_account)
            .field("region", &self.region)
            .field("products", &self.products)
            .finish_non_exhaustive()
    }
}

/// Data of the email verification of a plain sign-up (`POST /api/v1/accounts`).
///
/// Like [`VerificationMail`], the raw `token` is here only so the link reaches the customer;
/// `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailVerificationMail {
    /// The token; the link is `{CLP_PUBLIC_URL}/verify-email?token=...`.
    pub token: String,
    /// When the link expires.
    pub expires_at: DateTime<Utc>,
    /// The recipient's name, for the greeting (may be empty).
    #[serde(default)]
    pub full_name: String,
}

impl std::fmt::Debug for EmailVerificationMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailVerificationMail")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Data of the password reset email (`POST /api/v1/password-resets`).
///
/// Like [`VerificationMail`], the raw `token` is here only so the link reaches the customer;
/// `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetMail {
    /// The token; the link is `{CLP_PUBLIC_URL}/reset-password?token=...`.
    pub token: String,
    /// When the link expires.
    pub expires_at: DateTime<Utc>,
    /// The recipient's name, for the greeting (may be empty).
    #[serde(default)]
    pub full_name: String,
}

impl std::fmt::Debug for PasswordResetMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordResetMail")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Data of the email sent to the new address of a change of address (`POST /api/v1/me/email`).
///
/// The raw `token` is here only so the link reaches the customer; `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailChangeMail {
    /// The token; the link is `{CLP_PUBLIC_URL}/verify-email?token=...`.
    pub token: String,
    /// When the link expires.
    pub expires_at: DateTime<Utc>,
    /// The recipient's name, for the greeting (may be empty).
    #[serde(default)]
    pub full_name: String,
    /// The new address (the recipient).
    pub new_email: String,
}

impl std::fmt::Debug for EmailChangeMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailChangeMail")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("new_email", &self.new_email)
            .finish_non_exhaustive()
    }
}

/// Data of the notice sent to an account's address when a change to another address is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailChangeNoticeMail {
    /// The recipient's name, for the greeting (may be empty).
    #[serde(default)]
    pub full_name: String,
    /// The address asked for.
    pub new_email: String,
}

/// Data of the notice that two-factor sign-in was turned on or off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaChangedMail {
    /// The recipient's name, for the greeting (may be empty).
    #[serde(default)]
    pub full_name: String,
    /// Whether it was turned on (else off).
    pub enabled: bool,
    /// When.
    pub at: DateTime<Utc>,
}

/// Data of the legacy registration notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationNoticeMail {
    /// The order of the registered line.
    pub order_number: String,
    /// The recipient's name (may be empty).
    #[serde(default)]
    pub full_name: String,
    /// Whether the registration renewed an existing activation code.
    #[serde(default)]
    pub renewal: bool,
    /// The registered line(s) with their activation codes.
    pub products: Vec<MailProduct>,
}

/// Data of the activation confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationConfirmationMail {
    /// The activated order.
    pub order_number: String,
    /// The recipient's name (may be empty).
    #[serde(default)]
    pub full_name: String,
    /// The account's XDR region (lower-case code such as `us`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The XDR console URL; absent: the configured console of `region`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_url: Option<String>,
    /// The registered lines with their activation codes.
    pub products: Vec<MailProduct>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> MailPayload {
        MailPayload::new(
            "jane@acme.example",
            Lang::En,
            MailTemplate::Verification(VerificationMail {
                token: "tok".into(),
                expires_at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
                order_number: "SO-1".into(),
                full_name: "Jane".into(),
                new_account: true,
                region: None,
                products: vec![MailProduct {
                    sku: "XDR-CAS".into(),
                    product_name: "XDR Add-On: Cloud App Security".into(),
                    seats: 50,
                    term_start: None,
                    term_end: None,
                    activation_codes: vec![],
                    saas_service: None,
                }],
            }),
        )
    }

    #[test]
    fn payload_is_stored_as_template_to_language_data() {
        let json = sample().to_json();
        assert_eq!(json["template"], "verification");
        assert_eq!(json["to"], "jane@acme.example");
        assert_eq!(json["language"], "en");
        assert_eq!(json["data"]["order_number"], "SO-1");
        assert_eq!(json["data"]["products"][0]["seats"], 50);
        assert_eq!(MailPayload::from_json(&json).unwrap(), sample());
    }

    #[test]
    fn debug_output_hides_the_token() {
        let mut payload = sample();
        if let MailTemplate::Verification(data) = &mut payload.template {
            data.token = "very-secret-token".into();
        }
        assert!(!format!("{payload:?}").contains("very-secret-token"));
    }

    #[test]
    fn email_verification_is_stored_under_its_own_template_and_hides_its_token() {
        let payload = MailPayload::new(
            "jane@acme.example",
            Lang::Ja,
            MailTemplate::EmailVerification(EmailVerificationMail {
                token: "very-secret-token".into(),
                expires_at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
                full_name: "Jane".into(),
            }),
        );
        let json = payload.to_json();
        assert_eq!(json["template"], "email_verification");
        assert_eq!(json["data"]["token"], "very-secret-token");
        assert_eq!(MailPayload::from_json(&json).unwrap(), payload);
        assert!(!format!("{payload:?}").contains("very-secret-token"));
    }

    #[test]
    fn a_missing_language_means_english() {
        let mut json = sample().to_json();
        json.as_object_mut().unwrap().remove("language");
        assert_eq!(MailPayload::from_json(&json).unwrap().language, Lang::En);
    }

    #[test]
    fn an_unknown_template_is_an_error() {
        let mut json = sample().to_json();
        json["template"] = "nope".into();
        assert!(MailPayload::from_json(&json).is_err());
    }
}
