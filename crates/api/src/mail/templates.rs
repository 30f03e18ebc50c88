//! Rendering of the emails into a subject, a text body and an HTML body, with askama.
//!
//! Each email is a struct whose fields are what its templates show (`Verification`, ...).
//! Its two templates, `crates/api/templates/mail/<email>.txt` and `<email>.html`, extend
//! `layout.txt` / `layout.html` (greeting, signature, footer) and may include `products.txt` /
//! `products.html`; askama compiles them into the crate, so a template naming a field the
//! struct lacks does not compile. The HTML templates escape every value they insert; the text
//! templates insert values as they are.
//!
//! The sentences come from the language's catalog in `mail/wording.rs` (the payload's
//! `language`: the account's stored language, English for anything but `ja`), dates and times
//! included (`2026-11-28 15:04 UTC`, `2026年11月28日 15:04 UTC`). A catalog is a struct, so a
//! sentence missing in one language does not compile, and the text and HTML bodies take the
//! same sentence, so they cannot drift apart.
//!
//! # Adding an email
//!
//! 1. `payload.rs`: a [`MailTemplate`] variant with its data struct (what the enqueuer knows;
//!    stored as JSON in the outbox, so add fields with `#[serde(default)]`), and its name.
//! 2. `wording.rs`: a `*Wording` struct with its sentences (a sentence with values is a
//!    `fn(..) -> String`) and its field in `Wording`; then write it in `wording/en.rs` and
//!    `wording/ja.rs` (the compiler lists what a catalog lacks).
//! 3. Here: the email struct (a `Letter`, its wording `t`, and the values its templates
//!    show), its constructor from the data, `bodies!` naming its two template files, and its
//!    arm in [`render`] (the `match` is exhaustive).
//! 4. `templates/mail/<email>.txt` and `<email>.html`, extending the layouts: in the text body
//!    every paragraph ends with a blank line, in the HTML body each is a `<p>`.
//! 5. A test here, and its sample payload in
//!    `every_email_renders_in_every_language_from_its_catalog`.

use std::fmt::Write as _;
use std::ops::Deref;

use askama::Template;

use super::payload::{
    ActivationConfirmationMail, EmailChangeMail, EmailChangeNoticeMail, EmailVerificationMail,
    MailPayload, MailProduct, MailTemplate, MfaChangedMail, PasswordResetMail,
    RegistrationNoticeMail, VerificationMail,
};
use super::wording::{
    ActivationConfirmationWording, CommonWording, EmailChangeNoticeWording, EmailChangeWording,
    EmailVerificationWording, MfaChangedWording, PasswordResetWording, RegistrationNoticeWording,
    VerificationWording, Wording,
};
use crate::config::XdrConsoleUrls;
use clp_domain::Lang;

/// What rendering needs besides the payload.
#[derive(Debug, Clone)]
pub struct RenderContext {
    /// `CLP_PUBLIC_URL`, without a trailing slash.
    pub public_url: String,
    /// Console URL of each XDR region.
    pub console_urls: XdrConsoleUrls,
}

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    /// Subject line.
    pub subject: String,
    /// `text/plain` body.
    pub text: String,
    /// `text/html` body.
    pub html: String,
}

/// The verification link of `token` (account-based activation).
pub fn verification_link(public_url: &str, token: &str) -> String {
    token_link(public_url, "/activate/verify", token)
}

/// The email verification link of `token` (plain sign-up); the web app's page at that path
/// posts the token to `POST /api/v1/accounts/verify-email`.
pub fn email_verification_link(public_url: &str, token: &str) -> String {
    token_link(public_url, "/verify-email", token)
}

/// The password reset link of `token`; the web app's page at that path posts the token and the
/// new password to `POST /api/v1/password-resets/confirm`.
pub fn password_reset_link(public_url: &str, token: &str) -> String {
    token_link(public_url, "/reset-password", token)
}

/// `{public_url}{path}?token={token}`.
fn token_link(public_url: &str, path: &str, token: &str) -> String {
    // Tokens are URL-safe (hex or base64url); anything else is percent-encoded to be safe.
    let mut encoded = String::with_capacity(token.len());
    for b in token.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(b));
        } else {
            let _ = write!(encoded, "%{b:02X}");
        }
    }
    format!("{}{path}?token={encoded}", public_url.trim_end_matches('/'))
}

/// Renders `payload` in its language.
pub fn render(payload: &MailPayload, ctx: &RenderContext) -> RenderedMail {
    let lang = payload.language;
    match &payload.template {
        MailTemplate::Verification(data) => Verification::new(data, lang, ctx).rendered(),
        MailTemplate::EmailVerification(data) => EmailVerification::new(data, lang, ctx).rendered(),
        MailTemplate::RegistrationNotice(data) => RegistrationNotice::new(data, lang).rendered(),
        MailTemplate::ActivationConfirmation(data) => {
            ActivationConfirmation::new(data, lang, ctx).rendered()
        }
        MailTemplate::PasswordReset(data) => PasswordReset::new(data, lang, ctx).rendered(),
        MailTemplate::EmailChange(data) => EmailChange::new(data, lang, ctx).rendered(),
        MailTemplate::EmailChangeNotice(data) => EmailChangeNotice::new(data, lang).rendered(),
        MailTemplate::MfaChanged(data) => MfaChanged::new(data, lang).rendered(),
    }
}

/// What every email shows around its own paragraphs (`layout.txt`, `layout.html`).
struct Letter<'a> {
    /// The language, for the HTML body's `lang`.
    lang: Lang,
    /// The language's greeting, signature, footer and product list labels.
    common: &'static CommonWording,
    /// The subject, also the HTML body's title.
    subject: String,
    /// The recipient's name, trimmed; `None` when blank.
    name: Option<&'a str>,
    /// Why the recipient gets this email.
    footer: &'static str,
}

impl<'a> Letter<'a> {
    /// A letter in `lang` to `full_name`, with the common footer.
    fn new(lang: Lang, subject: String, full_name: &'a str) -> Self {
        let common = &Wording::of(lang).common;
        let name = full_name.trim();
        Self {
            lang,
            common,
            subject,
            name: (!name.is_empty()).then_some(name),
            footer: common.footer,
        }
    }

    /// The first line: the recipient by name when known.
    fn greeting(&self) -> String {
        match self.name {
            Some(name) => (self.common.greeting_named)(name),
            None => self.common.greeting.to_owned(),
        }
    }
}

/// Gives the email struct `$email` its text and HTML bodies: one askama template per file,
/// each a view of the struct, whose fields the template reaches through `Deref`.
macro_rules! bodies {
    ($email:ident, text: $text:literal, html: $html:literal $(,)?) => {
        impl $email<'_> {
            fn rendered(&self) -> RenderedMail {
                #[derive(Template)]
                #[template(path = $text)]
                struct Text<'a>(&'a $email<'a>);

                #[derive(Template)]
                #[template(path = $html)]
                struct Html<'a>(&'a $email<'a>);

                impl<'a> Deref for Text<'a> {
                    type Target = $email<'a>;
                    fn deref(&self) -> &Self::Target {
                        self.0
                    }
                }

                impl<'a> Deref for Html<'a> {
                    type Target = $email<'a>;
                    fn deref(&self) -> &Self::Target {
                        self.0
                    }
                }

                // The templates write strings and numbers into a `String`, which cannot fail;
                // `to_string` would panic like `format!` if a `Display` ever did.
                RenderedMail {
                    subject: self.letter.subject.clone(),
                    text: Text(self).to_string(),
                    html: Html(self).to_string(),
                }
            }
        }
    };
}

/// The verification email of the account-based activation.
struct Verification<'a> {
    letter: Letter<'a>,
    t: &'static VerificationWording,
    order: &'a str,
    /// The link that completes the activation.
    link: String,
    /// When the link expires, written in the language.
    expires: String,
    /// Whether the link also verifies a new account's email.
    new_account: bool,
    products: &'a [MailProduct],
    /// The XDR region the activation enables, upper-case.
    region: Option<String>,
}

impl<'a> Verification<'a> {
    fn new(data: &'a VerificationMail, lang: Lang, ctx: &RenderContext) -> Self {
        let wording = Wording::of(lang);
        let t = &wording.verification;
        let order = data.order_number.as_str();
        Self {
            letter: Letter::new(lang, (t.subject)(order), &data.full_name),
            t,
            order,
            link: verification_link(&ctx.public_url, &data.token),
            expires: (wording.common.time)(data.expires_at),
            new_account: data.new_account,
            products: &data.products,
            region: data.region.as_deref().map(str::to_uppercase),
        }
    }
}

bodies! {
    Verification,
    text: "mail/verification.txt",
    html: "mail/verification.html",
}

/// The email verification of a plain sign-up.
struct EmailVerification<'a> {
    letter: Letter<'a>,
    t: &'static EmailVerificationWording,
    /// The link that verifies the address.
    link: String,
    /// When the link expires, written in the language.
    expires: String,
}

impl<'a> EmailVerification<'a> {
    fn new(data: &'a EmailVerificationMail, lang: Lang, ctx: &RenderContext) -> Self {
        let wording = Wording::of(lang);
        let t = &wording.email_verification;
        let mut letter = Letter::new(lang, t.subject.to_owned(), &data.full_name);
        letter.footer = t.footer;
        Self {
            letter,
            t,
            link: email_verification_link(&ctx.public_url, &data.token),
            expires: (wording.common.time)(data.expires_at),
        }
    }
}

bodies! {
    EmailVerification,
    text: "mail/email_verification.txt",
    html: "mail/email_verification.html",
}

/// The password reset email.
struct PasswordReset<'a> {
    letter: Letter<'a>,
    t: &'static PasswordResetWording,
    /// The link that sets a new password.
    link: String,
    /// When the link expires, written in the language.
    expires: String,
}

impl<'a> PasswordReset<'a> {
    fn new(data: &'a PasswordResetMail, lang: Lang, ctx: &RenderContext) -> Self {
        let wording = Wording::of(lang);
        let t = &wording.password_reset;
        let mut letter = Letter::new(lang, t.subject.to_owned(), &data.full_name);
        letter.footer = t.footer;
        Self {
            letter,
            t,
            link: password_reset_link(&ctx.public_url, &data.token),
            expires: (wording.common.time)(data.expires_at),
        }
    }
}

bodies! {
    PasswordReset,
    text: "mail/password_reset.txt",
    html: "mail/password_reset.html",
}

/// The link of a change of address, to the new address.
struct EmailChange<'a> {
    letter: Letter<'a>,
    t: &'static EmailChangeWording,
    /// The new address.
    new_email: &'a str,
    /// The link that makes the change.
    link: String,
    /// When the link expires, written in the language.
    expires: String,
}

impl<'a> EmailChange<'a> {
    fn new(data: &'a EmailChangeMail, lang: Lang, ctx: &RenderContext) -> Self {
        let wording = Wording::of(lang);
        let t = &wording.email_change;
        let mut letter = Letter::new(lang, t.subject.to_owned(), &data.full_name);
        letter.footer = t.footer;
        Self {
            letter,
            t,
            new_email: &data.new_email,
            link: email_verification_link(&ctx.public_url, &data.token),
            expires: (wording.common.time)(data.expires_at),
        }
    }
}

bodies! {
    EmailChange,
    text: "mail/email_change.txt",
    html: "mail/email_change.html",
}

/// The notice of a change of address, to the current address.
struct EmailChangeNotice<'a> {
    letter: Letter<'a>,
    t: &'static EmailChangeNoticeWording,
    /// The address asked for.
    new_email: &'a str,
}

impl<'a> EmailChangeNotice<'a> {
    fn new(data: &'a EmailChangeNoticeMail, lang: Lang) -> Self {
        let t = &Wording::of(lang).email_change_notice;
        let mut letter = Letter::new(lang, t.subject.to_owned(), &data.full_name);
        letter.footer = t.footer;
        Self {
            letter,
            t,
            new_email: &data.new_email,
        }
    }
}

bodies! {
    EmailChangeNotice,
    text: "mail/email_change_notice.txt",
    html: "mail/email_change_notice.html",
}

/// The notice that two-factor sign-in was turned on or off.
struct MfaChanged<'a> {
    letter: Letter<'a>,
    t: &'static MfaChangedWording,
    /// What happened and when, in the language.
    what: String,
}

impl<'a> MfaChanged<'a> {
    fn new(data: &'a MfaChangedMail, lang: Lang) -> Self {
        let wording = Wording::of(lang);
        let t = &wording.mfa_changed;
        let (subject, what) = if data.enabled {
            (t.subject_on, t.on)
        } else {
            (t.subject_off, t.off)
        };
        let mut letter = Letter::new(lang, subject.to_owned(), &data.full_name);
        letter.footer = t.footer;
        Self {
            letter,
            t,
            what: what(&(wording.common.time)(data.at)),
        }
    }
}

bodies! {
    MfaChanged,
    text: "mail/mfa_changed.txt",
    html: "mail/mfa_changed.html",
}

/// The legacy registration notice.
struct RegistrationNotice<'a> {
    letter: Letter<'a>,
    t: &'static RegistrationNoticeWording,
    order: &'a str,
    /// Whether the registration renewed an existing activation code.
    renewal: bool,
    products: &'a [MailProduct],
}

impl<'a> RegistrationNotice<'a> {
    fn new(data: &'a RegistrationNoticeMail, lang: Lang) -> Self {
        let wording = Wording::of(lang);
        let t = &wording.registration_notice;
        let order = data.order_number.as_str();
        Self {
            letter: Letter::new(lang, (t.subject)(order), &data.full_name),
            t,
            order,
            renewal: data.renewal,
            products: &data.products,
        }
    }
}

bodies! {
    RegistrationNotice,
    text: "mail/registration_notice.txt",
    html: "mail/registration_notice.html",
}

/// The activation confirmation of the account-based flow.
struct ActivationConfirmation<'a> {
    letter: Letter<'a>,
    t: &'static ActivationConfirmationWording,
    order: &'a str,
    products: &'a [MailProduct],
    /// The XDR region now enabled, upper-case.
    region: Option<String>,
    /// The XDR console of that region: the payload's, else the configured one.
    console_url: Option<String>,
}

impl<'a> ActivationConfirmation<'a> {
    fn new(data: &'a ActivationConfirmationMail, lang: Lang, ctx: &RenderContext) -> Self {
        let wording = Wording::of(lang);
        let t = &wording.activation_confirmation;
        let order = data.order_number.as_str();
        let console_url = data.region.as_deref().and_then(|region| {
            data.console_url.clone().or_else(|| {
                ctx.console_urls
                    .get(&region.to_lowercase())
                    .map(str::to_owned)
            })
        });
        Self {
            letter: Letter::new(lang, (t.subject)(order), &data.full_name),
            t,
            order,
            products: &data.products,
            region: data.region.as_deref().map(str::to_uppercase),
            console_url,
        }
    }
}

bodies! {
    ActivationConfirmation,
    text: "mail/activation_confirmation.txt",
    html: "mail/activation_confirmation.html",
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn ctx() -> RenderContext {
        RenderContext {
            public_url: "https://clp.example".into(),
            console_urls: XdrConsoleUrls::default(),
        }
    }

    fn product(name: &str, codes: &[&str]) -> MailProduct {
        MailProduct {
            sku: "XDR-DDI".into(),
            product_name: name.into(),
            seats: 25,
            term_start: chrono::NaiveDate::from_ymd_opt(2030, 1, 1),
            term_end: chrono::NaiveDate::from_ymd_opt(2030, 12, 31),
            activation_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            saas_service: None,
        }
    }

    #[test]
    fn verification_mail_has_link_expiry_and_summary_in_both_bodies() {
        let payload = MailPayload::new(
            "jane@acme.example",
            Lang::En,
            MailTemplate::Verification(VerificationMail {
                token: "abc123".into(),
                expires_at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
                order_number: "SO-<1>".into(),
                full_name: "Jane <script>".into(),
                new_account: true,
                region: Some("jp".into()),
                products: vec![product("DDI & friends", &[])],
            }),
        );
        let mail = render(&payload, &ctx());
        let link = "https://clp.example/activate/verify?token=abc123";
        assert!(mail.text.contains(link) && mail.html.contains(link));
        assert!(mail.text.contains("2030-03-17 17:46 UTC"), "{}", mail.text);
        assert!(mail.text.contains("SO-<1>") && mail.text.contains("25 seats"));
        assert!(mail.html.contains("SO-&#60;1&#62;") && !mail.html.contains("<script>"));
        assert!(mail.html.contains("DDI &#38; friends"));
        assert!(mail.html.contains("Jane &#60;script&#62;"));
    }

    #[test]
    fn confirmation_links_the_console_of_the_region() {
        let payload = MailPayload::new(
            "jane@acme.example",
            Lang::En,
            MailTemplate::ActivationConfirmation(ActivationConfirmationMail {
                order_number: "SO-2".into(),
                full_name: String::new(),
                region: Some("jp".into()),
                console_url: None,
                products: vec![product("DDI", &["DI-ABCD-EFGHI"])],
            }),
        );
        let mail = render(&payload, &ctx());
        for body in [&mail.text, &mail.html] {
            assert!(body.contains("https://portal.xdr.trendmicro.co.jp"));
            assert!(body.contains("DI-ABCD-EFGHI"));
            assert!(body.contains("JP"));
        }
    }

    #[test]
    fn notice_lists_the_codes() {
        let payload = MailPayload::new(
            "jane@acme.example",
            Lang::En,
            MailTemplate::RegistrationNotice(RegistrationNoticeMail {
                order_number: "SO-3".into(),
                full_name: "Jane".into(),
                renewal: true,
                products: vec![product("SMEX", &["SM-1", "SM-2"])],
            }),
        );
        let mail = render(&payload, &ctx());
        assert!(mail.subject.contains("SO-3"));
        assert!(mail.text.contains("SM-1") && mail.text.contains("SM-2"));
        assert!(mail.text.contains("renews"));
    }

    const LINK: &str = "https://clp.example/activate/verify?token=abc123";

    fn verification(language: &str) -> MailPayload {
        MailPayload::new(
            "jane@acme.example",
            language.parse().unwrap(),
            MailTemplate::Verification(VerificationMail {
                token: "abc123".into(),
                expires_at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
                order_number: "SO-1".into(),
                full_name: "Jane".into(),
                new_account: true,
                region: Some("jp".into()),
                products: vec![product("DDI", &[])],
            }),
        )
    }

    fn notice(language: &str) -> MailPayload {
        MailPayload::new(
            "jane@acme.example",
            language.parse().unwrap(),
            MailTemplate::RegistrationNotice(RegistrationNoticeMail {
                order_number: "SO-3".into(),
                full_name: "Jane".into(),
                renewal: true,
                products: vec![product("SMEX", &["SM-1", "SM-2"])],
            }),
        )
    }

    fn confirmation(language: &str) -> MailPayload {
        MailPayload::new(
            "jane@acme.example",
            language.parse().unwrap(),
            MailTemplate::ActivationConfirmation(ActivationConfirmationMail {
                order_number: "SO-2".into(),
                full_name: "Jane".into(),
                region: Some("jp".into()),
                console_url: None,
                products: vec![product("DDI", &["DI-ABCD-EFGHI"])],
            }),
        )
    }

    fn has_japanese(text: &str) -> bool {
        text.chars()
            .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
    }

    #[test]
    fn every_template_renders_in_both_languages() {
        for (payload, order) in [
            (verification as fn(&str) -> MailPayload, "SO-1"),
            (notice, "SO-3"),
            (confirmation, "SO-2"),
        ] {
            let en = render(&payload("en"), &ctx());
            let ja = render(&payload("ja"), &ctx());
            for mail in [&en, &ja] {
                assert!(mail.subject.contains(order), "{}", mail.subject);
                assert!(mail.text.contains(order) && mail.html.contains(order));
                assert!(mail.text.contains("2030") && mail.html.contains("2030"));
            }
            assert!(!has_japanese(&en.subject) && !has_japanese(&en.text));
            assert!(!has_japanese(&en.html));
            assert!(en.html.contains("<html lang=\"en\">"));
            assert!(has_japanese(&ja.subject) && has_japanese(&ja.text));
            assert!(has_japanese(&ja.html));
            assert!(ja.html.contains("<html lang=\"ja\">"));
            for english in ["Hello", "seats", "Term", "Sign in", "ignore this email"] {
                assert!(!ja.text.contains(english), "{english} in {}", ja.text);
                assert!(!ja.html.contains(english), "{english} in {}", ja.html);
            }
            assert_ne!(en.subject, ja.subject);
        }
    }

    #[test]
    fn japanese_verification_mail_has_japanese_phrases_dates_and_the_link() {
        let mail = render(&verification("ja"), &ctx());
        assert_eq!(
            mail.subject,
            "Trend Micro 製品のアクティベーションを確認してください（ご注文 SO-1）"
        );
        for body in [&mail.text, &mail.html] {
            assert!(body.contains(LINK), "{body}");
            assert!(body.contains("Jane 様"));
            assert!(
                body.contains("ご注文 SO-1 の製品をお客様のアカウントでアクティベートするには")
            );
            assert!(body.contains("このリンクの有効期限は 2030年3月17日 17:46 UTC です。"));
            assert!(body.contains("新しいアカウントのメールアドレスの確認も完了します"));
            assert!(body.contains("25 ライセンス"));
            assert!(
                body.contains("契約期間: 2030年1月1日～2030年12月31日"),
                "{body}"
            );
            assert!(body.contains("Trend Micro XDR のリージョン: JP"));
            assert!(body.contains("Open CLP ライセンスアクティベーションポータル"));
        }
        assert!(
            mail.html
                .contains(&format!("<a href=\"{LINK}\">製品をアクティベートする</a>"))
        );
        assert!(!mail.text.contains("2030-03-17") && !mail.text.contains("2030-01-01"));
    }

    #[test]
    fn japanese_notice_lists_the_codes_and_the_renewal() {
        let mail = render(&notice("ja"), &ctx());
        assert_eq!(mail.subject, "ご注文 SO-3 の製品が登録されました");
        for body in [&mail.text, &mail.html] {
            assert!(
                body.contains("ご注文 SO-3 の次の製品が、お客様のアカウントに登録されました。")
            );
            assert!(body.contains("SM-1") && body.contains("SM-2"));
            assert!(body.contains("アクティベーションコード"));
            assert!(
                body.contains("既存のアクティベーションコードが更新され、契約期間が延長されました")
            );
            assert!(body.contains("ポータルにサインインしてご確認いただけます"));
            assert!(body.contains("2030年12月31日"));
        }
    }

    #[test]
    fn japanese_confirmation_links_the_console_of_the_region() {
        let mail = render(&confirmation("ja"), &ctx());
        assert_eq!(
            mail.subject,
            "ご注文 SO-2 のアクティベーションが完了しました"
        );
        for body in [&mail.text, &mail.html] {
            assert!(
                body.contains("https://portal.xdr.trendmicro.co.jp"),
                "{body}"
            );
            assert!(body.contains("DI-ABCD-EFGHI"));
            assert!(body.contains("Trend Micro XDR が有効になりました（リージョン: JP）"));
        }
        assert!(mail.html.contains(
            "<a href=\"https://portal.xdr.trendmicro.co.jp\">Trend Micro XDR コンソールを開く</a>"
        ));
    }

    #[test]
    fn english_verification_mail_is_unchanged() {
        let mail = render(&verification("en"), &ctx());
        assert_eq!(mail.subject, "Confirm the activation of order SO-1");
        let expected = format!(
            "Hello Jane,\n\n\
             To activate the products of order SO-1 in your account, follow this link:\n\n\
             {LINK}\n\n\
             The link expires at 2030-03-17 17:46 UTC. After that, nothing is activated and \
             you can start the activation again.\n\n\
             Following the link also verifies the email address of your new account.\n\n\
             Order SO-1\n\
             - DDI (XDR-DDI): 25 seats\n  \
             Term: 2030-01-01 to 2030-12-31\n\n\
             Trend Micro XDR region: JP\n\n\
             If you did not ask for this activation, ignore this email.\n\n\
             -- \nOpen CLP, the license activation portal\n\n\
             You receive this email because of a license registration made with this address. \
             If it was not you, ignore this email; nothing is activated without the link.\n"
        );
        assert_eq!(mail.text, expected);
        assert!(mail.html.contains(
            "<li><strong>DDI</strong> (XDR-DDI): 25 seats<br>Term: 2030-01-01 – 2030-12-31</li>"
        ));
        assert!(
            mail.html
                .contains(&format!("<a href=\"{LINK}\">Activate my products</a>"))
        );
    }

    #[test]
    fn english_notice_and_confirmation_are_unchanged() {
        let mail = render(&notice("en"), &ctx());
        assert_eq!(mail.subject, "Your product of order SO-3 is registered");
        assert!(mail.text.starts_with(
            "Hello Jane,\n\nThe following product of order SO-3 is now registered to your account:\n\n\
             SO-3\n- SMEX (XDR-DDI): 25 seats\n  Term: 2030-01-01 to 2030-12-31\n  \
             Activation codes:\n    SM-1\n    SM-2\n\n\
             This registration renews your existing activation code; its term is extended.\n\n"
        ), "{}", mail.text);
        let mail = render(&confirmation("en"), &ctx());
        assert_eq!(mail.subject, "Order SO-2 is activated");
        assert!(mail.text.contains(
            "Trend Micro XDR is enabled in your account, region JP.\n\n\
             https://portal.xdr.trendmicro.co.jp\n\n"
        ));
        assert!(mail.html.contains(
            "<a href=\"https://portal.xdr.trendmicro.co.jp\">Open the Trend Micro XDR console</a>"
        ));
    }

    #[test]
    fn japanese_html_escapes_every_value() {
        let payload = MailPayload::new(
            "jane@acme.example",
            Lang::Ja,
            MailTemplate::Verification(VerificationMail {
                token: "abc123".into(),
                expires_at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
                order_number: "SO-<1>".into(),
                full_name: "Jane <script>".into(),
                new_account: false,
                region: None,
                products: vec![product("DDI & \"friends\"", &["<b>"])],
            }),
        );
        let mail = render(&payload, &ctx());
        assert!(!mail.html.contains("<script>") && !mail.html.contains("<b>"));
        assert!(mail.html.contains("Jane &#60;script&#62; 様"));
        assert!(mail.html.contains("SO-&#60;1&#62;"));
        assert!(mail.html.contains("DDI &#38; &#34;friends&#34;"));
        assert!(mail.text.contains("Jane <script> 様") && mail.text.contains("SO-<1>"));
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        let stored_as = |language: &str| {
            let mut json = verification("en").to_json();
            json["language"] = language.into();
            MailPayload::from_json(&json).unwrap()
        };
        for language in ["fr", "", "EN"] {
            assert_eq!(
                render(&stored_as(language), &ctx()),
                render(&verification("en"), &ctx())
            );
        }
        assert_eq!(
            render(&stored_as("ja-JP"), &ctx()),
            render(&verification("ja"), &ctx())
        );
    }

    #[test]
    fn japanese_mail_builds_a_mime_message_with_an_encoded_subject() {
        let config = crate::config::Config::for_tests("sqlite::memory:");
        let mailer = crate::mail::Mailer::from_config(&config).unwrap();
        let raw =
            String::from_utf8(mailer.message(&verification("ja")).unwrap().formatted()).unwrap();
        let subject = raw
            .lines()
            .find(|l| l.starts_with("Subject:"))
            .unwrap_or_default();
        assert!(subject.contains("=?utf-8?"), "{subject}");
        assert!(raw.contains("text/plain; charset=utf-8"), "{raw}");
        assert!(raw.contains("text/html; charset=utf-8"));
    }

    fn email_verification(language: &str) -> MailPayload {
        MailPayload::new(
            "jane@acme.example",
            language.parse().unwrap(),
            MailTemplate::EmailVerification(EmailVerificationMail {
                token: "abc123".into(),
                expires_at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
                full_name: "Jane <Doe>".into(),
            }),
        )
    }

    #[test]
    fn email_verification_mail_has_the_link_and_expiry_in_both_languages() {
        let link = "https://clp.example/verify-email?token=abc123";
        let en = render(&email_verification("en"), &ctx());
        assert_eq!(en.subject, "Verify your email address");
        let ja = render(&email_verification("ja"), &ctx());
        assert_eq!(ja.subject, "メールアドレスの確認のお願い");
        for mail in [&en, &ja] {
            assert!(
                mail.text.contains(link) && mail.html.contains(link),
                "{}",
                mail.text
            );
            assert!(!mail.text.contains("/activate/verify"));
            assert!(mail.html.contains("Jane &#60;Doe&#62;") && !mail.html.contains("<Doe>"));
        }
        assert!(en.text.starts_with("Hello Jane <Doe>,\n\n"), "{}", en.text);
        assert!(
            en.text
                .contains("The link expires at 2030-03-17 17:46 UTC.")
        );
        assert!(en.text.contains("an account was created with this address"));
        assert!(
            !en.text
                .contains("license registration made with this address")
        );
        assert!(!has_japanese(&en.text) && !has_japanese(&en.html));
        assert!(
            en.html
                .contains(&format!("<a href=\"{link}\">Verify my email address</a>"))
        );
        for body in [&ja.text, &ja.html] {
            assert!(body.contains("Jane &#60;Doe&#62; 様") || body.contains("Jane <Doe> 様"));
            assert!(body.contains("このリンクの有効期限は 2030年3月17日 17:46 UTC です。"));
            for english in ["Hello", "Verify", "ignore this email"] {
                assert!(!body.contains(english), "{english} in {body}");
            }
        }
        assert!(ja.html.contains("<html lang=\"ja\">"));
        assert!(
            ja.html
                .contains(&format!("<a href=\"{link}\">メールアドレスを確認する</a>"))
        );
    }

    fn password_reset(language: &str) -> MailPayload {
        MailPayload::new(
            "jane@acme.example",
            language.parse().unwrap(),
            MailTemplate::PasswordReset(PasswordResetMail {
                token: "abc123".into(),
                expires_at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
                full_name: "Jane <Doe>".into(),
            }),
        )
    }

    fn email_change(language: &str) -> MailPayload {
        MailPayload::new(
            "jane@new.example",
            language.parse().unwrap(),
            MailTemplate::EmailChange(EmailChangeMail {
                token: "abc123".into(),
                expires_at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
                full_name: "Jane <Doe>".into(),
                new_email: "jane@new.example".into(),
            }),
        )
    }

    fn email_change_notice(language: &str) -> MailPayload {
        MailPayload::new(
            "jane@acme.example",
            language.parse().unwrap(),
            MailTemplate::EmailChangeNotice(EmailChangeNoticeMail {
                full_name: "Jane <Doe>".into(),
                new_email: "jane@new.example".into(),
            }),
        )
    }

    #[test]
    fn account_lifecycle_mails_carry_their_links_in_both_languages() {
        let reset = "https://clp.example/reset-password?token=abc123";
        let change = "https://clp.example/verify-email?token=abc123";
        for lang in ["en", "ja"] {
            let mail = render(&password_reset(lang), &ctx());
            assert!(
                mail.text.contains(reset) && mail.html.contains(reset),
                "{lang}"
            );
            let mail = render(&email_change(lang), &ctx());
            assert!(
                mail.text.contains(change) && mail.html.contains(change),
                "{lang}"
            );
            assert!(mail.text.contains("jane@new.example"), "{lang}");
            let mail = render(&email_change_notice(lang), &ctx());
            assert!(mail.text.contains("jane@new.example"), "{lang}");
            assert!(!mail.text.contains("token="), "{lang}");
        }
        assert_eq!(
            render(&password_reset("en"), &ctx()).subject,
            "Reset your password"
        );
        assert_eq!(
            render(&password_reset("ja"), &ctx()).subject,
            "パスワードの再設定"
        );
    }

    fn mfa_changed(language: &str) -> MailPayload {
        MailPayload::new(
            "jane@acme.example",
            language.parse().unwrap(),
            MailTemplate::MfaChanged(MfaChangedMail {
                full_name: "Jane".into(),
                enabled: true,
                at: DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
            }),
        )
    }

    #[test]
    fn the_mfa_notice_says_on_or_off_and_when_in_both_languages() {
        let en = render(&mfa_changed("en"), &ctx());
        assert_eq!(en.subject, "Two-factor sign-in is on");
        assert!(
            en.text
                .contains("turned on for your account at 2030-03-17 17:46 UTC")
        );
        assert!(en.html.contains("change your password"));
        let ja = render(&mfa_changed("ja"), &ctx());
        assert_eq!(ja.subject, "2 段階認証が有効になりました");
        assert!(ja.text.contains("2030年3月17日 17:46 UTC"));
        let mut off = mfa_changed("en");
        if let MailTemplate::MfaChanged(data) = &mut off.template {
            data.enabled = false;
        }
        let off = render(&off, &ctx());
        assert_eq!(off.subject, "Two-factor sign-in is off");
        assert!(off.text.contains("asks for your password only"));
    }

    #[test]
    fn odd_tokens_are_percent_encoded() {
        assert_eq!(
            verification_link("http://x/", "a b&c"),
            "http://x/activate/verify?token=a%20b%26c"
        );
        assert_eq!(
            email_verification_link("http://x/", "a b"),
            "http://x/verify-email?token=a%20b"
        );
    }

    #[test]
    fn every_email_renders_in_every_language_from_its_catalog() {
        let payloads: [fn(&str) -> MailPayload; 8] = [
            verification,
            email_verification,
            notice,
            confirmation,
            password_reset,
            email_change,
            email_change_notice,
            mfa_changed,
        ];
        for lang in Lang::ALL {
            let common = &Wording::of(lang).common;
            for payload in payloads {
                let payload = payload(lang.code());
                let mail = render(&payload, &ctx());
                let name = payload.template_name();
                assert!(!mail.subject.is_empty(), "{name} {lang}");
                assert!(
                    mail.text.starts_with(&(common.greeting_named)("Jane"))
                        || mail
                            .text
                            .starts_with(&(common.greeting_named)("Jane <Doe>")),
                    "{name} {lang}: {}",
                    mail.text
                );
                assert!(
                    mail.text
                        .contains(&format!("\n\n-- \n{}\n\n", common.signature))
                );
                assert!(mail.text.ends_with(".\n") || mail.text.ends_with("。\n"));
                assert!(
                    !mail.text.contains("\n\n\n"),
                    "{name} {lang}: {}",
                    mail.text
                );
                assert!(!mail.text.contains("<p>") && !mail.text.contains("&#"));
                for leftover in ["{", "}", "\u{fffd}"] {
                    assert!(!mail.text.contains(leftover), "{name} {lang}: {leftover}");
                }
                assert!(
                    mail.html.starts_with(&format!(
                        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>",
                        lang.code()
                    )),
                    "{name} {lang}: {}",
                    mail.html
                );
                assert!(
                    mail.html.ends_with("</p>\n</body></html>\n"),
                    "{}",
                    mail.html
                );
                assert!(
                    mail.html
                        .contains(&format!("<p>&mdash;<br>{}</p>", common.signature))
                );
                assert_eq!(has_japanese(&mail.subject), lang == Lang::Ja, "{name}");
                assert_eq!(has_japanese(&mail.text), lang == Lang::Ja, "{name}");
                assert_eq!(has_japanese(&mail.html), lang == Lang::Ja, "{name}");
            }
        }
    }
}
