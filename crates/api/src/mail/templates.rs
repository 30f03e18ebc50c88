//! Rendering of the four emails into a subject, a text body and an HTML body.
//!
//! Every visible string of a template sits in one `*Strings` struct per language: an `EN`
//! and a `JA` constant, picked by `for_language` from the payload's `language` (the account's
//! stored language; anything but `ja` is English). Dates and times follow the language too
//! (`2026-11-28 15:04 UTC`, `2026年11月28日 15:04 UTC`). Every value inserted into the HTML
//! body is escaped.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};

use super::payload::{
    ActivationConfirmationMail, EmailVerificationMail, MailPayload, MailProduct, MailTemplate,
    RegistrationNoticeMail, VerificationMail,
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

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
        MailTemplate::Verification(data) => render_verification(data, lang, ctx),
        MailTemplate::EmailVerification(data) => render_email_verification(data, lang, ctx),
        MailTemplate::RegistrationNotice(data) => render_notice(data, lang),
        MailTemplate::ActivationConfirmation(data) => render_confirmation(data, lang, ctx),
    }
}

/// Strings shared by every template.
struct CommonStrings {
    /// Greeting with a name; `{name}` is replaced.
    greeting_named: &'static str,
    /// Greeting without a name.
    greeting: &'static str,
    /// A number of seats; `{seats}` is replaced.
    seats: &'static str,
    term: &'static str,
    /// Between the first and the last day of a term, in the text body.
    term_to_text: &'static str,
    /// The same in the HTML body (markup, not escaped).
    term_to_html: &'static str,
    activation_codes: &'static str,
    service: &'static str,
    signature: &'static str,
    footer: &'static str,
}

impl CommonStrings {
    const EN: Self = Self {
        greeting_named: "Hello {name},",
        greeting: "Hello,",
        seats: "{seats} seats",
        term: "Term",
        term_to_text: " to ",
        term_to_html: " &ndash; ",
        activation_codes: "Activation codes",
        service: "Service",
        signature: "Open CLP, the license activation portal",
        footer: "You receive this email because of a license registration made with this address. \
If it was not you, ignore this email; nothing is activated without the link.",
    };

    const JA: Self = Self {
        greeting_named: "{name} 様",
        greeting: "お客様",
        seats: "{seats} ライセンス",
        term: "契約期間",
        term_to_text: "～",
        term_to_html: "～",
        activation_codes: "アクティベーションコード",
        service: "サービス",
        signature: "Open CLP ライセンスアクティベーションポータル",
        footer: "このメールは、このメールアドレスでライセンスの登録が行われたため、お送りしています。\
お心当たりがない場合は、このメールを破棄してください。リンクを開かない限り、何もアクティベートされません。",
    };

    fn for_language(lang: Lang) -> &'static Self {
        match lang {
            Lang::En => &Self::EN,
            Lang::Ja => &Self::JA,
        }
    }

    fn greeting(&self, name: &str) -> String {
        if name.trim().is_empty() {
            self.greeting.to_owned()
        } else {
            self.greeting_named.replace("{name}", name.trim())
        }
    }
}

struct VerificationStrings {
    subject: &'static str,
    intro: &'static str,
    new_account: &'static str,
    button: &'static str,
    expires: &'static str,
    summary: &'static str,
    /// The XDR region; `{region}` is replaced.
    region: &'static str,
    not_you: &'static str,
}

impl VerificationStrings {
    const EN: Self = Self {
        subject: "Confirm the activation of order {order}",
        intro: "To activate the products of order {order} in your account, follow this link:",
        new_account: "Following the link also verifies the email address of your new account.",
        button: "Activate my products",
        expires: "The link expires at {expires}. After that, nothing is activated and you can \
start the activation again.",
        summary: "Order {order}",
        region: "Trend Micro XDR region: {region}",
        not_you: "If you did not ask for this activation, ignore this email.",
    };

    const JA: Self = Self {
        subject: "Trend Micro 製品のアクティベーションを確認してください（ご注文 {order}）",
        intro: "ご注文 {order} の製品をお客様のアカウントでアクティベートするには、\
次のリンクを開いてください。",
        new_account: "このリンクを開くと、新しいアカウントのメールアドレスの確認も完了します。",
        button: "製品をアクティベートする",
        expires: "このリンクの有効期限は {expires} です。期限を過ぎると何もアクティベートされません。\
その場合は、もう一度アクティベーションを開始してください。",
        summary: "ご注文 {order} の内容",
        region: "Trend Micro XDR のリージョン: {region}",
        not_you: "このアクティベーションにお心当たりがない場合は、このメールを破棄してください。",
    };

    fn for_language(lang: Lang) -> &'static Self {
        match lang {
            Lang::En => &Self::EN,
            Lang::Ja => &Self::JA,
        }
    }
}

struct EmailVerificationStrings {
    subject: &'static str,
    intro: &'static str,
    button: &'static str,
    /// The expiry; `{expires}` is replaced.
    expires: &'static str,
    not_you: &'static str,
    /// Replaces the common footer, which speaks of license registrations.
    footer: &'static str,
}

impl EmailVerificationStrings {
    const EN: Self = Self {
        subject: "Verify your email address",
        intro: "Thank you for creating an account on the license activation portal. To verify \
that this email address is yours, follow this link:",
        button: "Verify my email address",
        expires: "The link expires at {expires}. After that, activating an order with this \
account also verifies the address.",
        not_you: "If you did not create this account, ignore this email; the address stays \
unverified.",
        footer: "You receive this email because an account was created with this address on \
the license activation portal.",
    };

    const JA: Self = Self {
        subject: "メールアドレスの確認のお願い",
        intro: "ライセンスアクティベーションポータルのアカウントを作成いただき、ありがとうございます。\
このメールアドレスがお客様のものであることを確認するため、次のリンクを開いてください。",
        button: "メールアドレスを確認する",
        expires: "このリンクの有効期限は {expires} です。期限を過ぎた場合も、このアカウントで注文を\
アクティベートするとメールアドレスの確認が完了します。",
        not_you: "このアカウントの作成にお心当たりがない場合は、このメールを破棄してください。\
メールアドレスは未確認のままとなります。",
        footer: "このメールは、このメールアドレスでライセンスアクティベーションポータルのアカウントが\
作成されたため、お送りしています。",
    };

    fn for_language(lang: Lang) -> &'static Self {
        match lang {
            Lang::En => &Self::EN,
            Lang::Ja => &Self::JA,
        }
    }
}

struct NoticeStrings {
    subject: &'static str,
    intro: &'static str,
    renewal: &'static str,
    outro: &'static str,
}

impl NoticeStrings {
    const EN: Self = Self {
        subject: "Your product of order {order} is registered",
        intro: "The following product of order {order} is now registered to your account:",
        renewal: "This registration renews your existing activation code; its term is extended.",
        outro: "Sign in to the portal to see every product of your account.",
    };

    const JA: Self = Self {
        subject: "ご注文 {order} の製品が登録されました",
        intro: "ご注文 {order} の次の製品が、お客様のアカウントに登録されました。",
        renewal: "今回の登録により既存のアクティベーションコードが更新され、契約期間が延長されました。",
        outro: "アカウントのすべての製品は、ポータルにサインインしてご確認いただけます。",
    };

    fn for_language(lang: Lang) -> &'static Self {
        match lang {
            Lang::En => &Self::EN,
            Lang::Ja => &Self::JA,
        }
    }
}

struct ConfirmationStrings {
    subject: &'static str,
    intro: &'static str,
    xdr: &'static str,
    console: &'static str,
    outro: &'static str,
}

impl ConfirmationStrings {
    const EN: Self = Self {
        subject: "Order {order} is activated",
        intro: "The products of order {order} are activated in your account:",
        xdr: "Trend Micro XDR is enabled in your account, region {region}.",
        console: "Open the Trend Micro XDR console",
        outro: "Sign in to the portal to see every product of your account.",
    };

    const JA: Self = Self {
        subject: "ご注文 {order} のアクティベーションが完了しました",
        intro: "ご注文 {order} の製品が、お客様のアカウントでアクティベートされました。",
        xdr: "お客様のアカウントで Trend Micro XDR が有効になりました（リージョン: {region}）。",
        console: "Trend Micro XDR コンソールを開く",
        outro: "アカウントのすべての製品は、ポータルにサインインしてご確認いただけます。",
    };

    fn for_language(lang: Lang) -> &'static Self {
        match lang {
            Lang::En => &Self::EN,
            Lang::Ja => &Self::JA,
        }
    }
}

/// A time as the language writes it: `2026-11-28 15:04 UTC`, `2026年11月28日 15:04 UTC`.
fn format_time(at: DateTime<Utc>, lang: Lang) -> String {
    match lang {
        Lang::En => at.format("%Y-%m-%d %H:%M UTC").to_string(),
        Lang::Ja => at.format("%Y年%-m月%-d日 %H:%M UTC").to_string(),
    }
}

/// A date as the language writes it: `2026-11-28`, `2026年11月28日`.
fn format_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => date.format("%Y-%m-%d").to_string(),
        Lang::Ja => date.format("%Y年%-m月%-d日").to_string(),
    }
}

/// Builds both bodies side by side, so the text and HTML versions say the same things.
struct Bodies {
    lang: Lang,
    text: String,
    html: String,
}

impl Bodies {
    fn new(subject: &str, lang: Lang) -> Self {
        Self {
            lang,
            text: String::new(),
            html: format!(
                "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
<body style=\"font-family: sans-serif; line-height: 1.5\">\n",
                lang.code(),
                escape_html(subject)
            ),
        }
    }

    fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.text, "{text}\n");
        let _ = writeln!(self.html, "<p>{}</p>", escape_html(text));
    }

    fn link(&mut self, label: &str, url: &str) {
        let _ = writeln!(self.text, "{url}\n");
        let _ = writeln!(
            self.html,
            "<p><a href=\"{}\">{}</a></p>",
            escape_html(url),
            escape_html(label)
        );
    }

    fn products(&mut self, heading: &str, products: &[MailProduct], common: &CommonStrings) {
        let _ = writeln!(self.text, "{heading}");
        let _ = writeln!(self.html, "<h3>{}</h3>\n<ul>", escape_html(heading));
        for p in products {
            let seats = common.seats.replace("{seats}", &p.seats.to_string());
            let _ = writeln!(self.text, "- {} ({}): {seats}", p.product_name, p.sku);
            let _ = write!(
                self.html,
                "<li><strong>{}</strong> ({}): {}",
                escape_html(&p.product_name),
                escape_html(&p.sku),
                escape_html(&seats)
            );
            if let (Some(start), Some(end)) = (p.term_start, p.term_end) {
                let (start, end) = (format_date(start, self.lang), format_date(end, self.lang));
                let _ = writeln!(
                    self.text,
                    "  {}: {start}{}{end}",
                    common.term, common.term_to_text
                );
                let _ = write!(
                    self.html,
                    "<br>{}: {}{}{}",
                    escape_html(common.term),
                    escape_html(&start),
                    common.term_to_html,
                    escape_html(&end)
                );
            }
            if let Some(service) = &p.saas_service {
                let _ = writeln!(self.text, "  {}: {service}", common.service);
                let _ = write!(
                    self.html,
                    "<br>{}: {}",
                    escape_html(common.service),
                    escape_html(service)
                );
            }
            if !p.activation_codes.is_empty() {
                let _ = writeln!(self.text, "  {}:", common.activation_codes);
                let _ = write!(
                    self.html,
                    "<br>{}:<ul>",
                    escape_html(common.activation_codes)
                );
                for code in &p.activation_codes {
                    let _ = writeln!(self.text, "    {code}");
                    let _ = write!(self.html, "<li><code>{}</code></li>", escape_html(code));
                }
                self.html.push_str("</ul>");
            }
            self.html.push_str("</li>\n");
        }
        self.text.push('\n');
        self.html.push_str("</ul>\n");
    }

    fn finish(self, common: &CommonStrings) -> (String, String) {
        self.finish_with_footer(common, common.footer)
    }

    fn finish_with_footer(mut self, common: &CommonStrings, footer: &str) -> (String, String) {
        let _ = write!(self.text, "-- \n{}\n\n{footer}\n", common.signature);
        let _ = write!(
            self.html,
            "<p>&mdash;<br>{}</p>\n<p style=\"color: #666; font-size: smaller\">{}</p>\n</body></html>\n",
            escape_html(common.signature),
            escape_html(footer)
        );
        (self.text, self.html)
    }
}

fn render_verification(data: &VerificationMail, lang: Lang, ctx: &RenderContext) -> RenderedMail {
    let (s, common) = (
        VerificationStrings::for_language(lang),
        CommonStrings::for_language(lang),
    );
    let order = data.order_number.as_str();
    let subject = s.subject.replace("{order}", order);
    let link = verification_link(&ctx.public_url, &data.token);
    let mut b = Bodies::new(&subject, lang);
    b.paragraph(&common.greeting(&data.full_name));
    b.paragraph(&s.intro.replace("{order}", order));
    b.link(s.button, &link);
    b.paragraph(
        &s.expires
            .replace("{expires}", &format_time(data.expires_at, lang)),
    );
    if data.new_account {
        b.paragraph(s.new_account);
    }
    b.products(&s.summary.replace("{order}", order), &data.products, common);
    if let Some(region) = &data.region {
        b.paragraph(&s.region.replace("{region}", &region.to_uppercase()));
    }
    b.paragraph(s.not_you);
    let (text, html) = b.finish(common);
    RenderedMail {
        subject,
        text,
        html,
    }
}

fn render_email_verification(
    data: &EmailVerificationMail,
    lang: Lang,
    ctx: &RenderContext,
) -> RenderedMail {
    let (s, common) = (
        EmailVerificationStrings::for_language(lang),
        CommonStrings::for_language(lang),
    );
    let subject = s.subject.to_owned();
    let link = email_verification_link(&ctx.public_url, &data.token);
    let mut b = Bodies::new(&subject, lang);
    b.paragraph(&common.greeting(&data.full_name));
    b.paragraph(s.intro);
    b.link(s.button, &link);
    b.paragraph(
        &s.expires
            .replace("{expires}", &format_time(data.expires_at, lang)),
    );
    b.paragraph(s.not_you);
    let (text, html) = b.finish_with_footer(common, s.footer);
    RenderedMail {
        subject,
        text,
        html,
    }
}

fn render_notice(data: &RegistrationNoticeMail, lang: Lang) -> RenderedMail {
    let (s, common) = (
        NoticeStrings::for_language(lang),
        CommonStrings::for_language(lang),
    );
    let order = data.order_number.as_str();
    let subject = s.subject.replace("{order}", order);
    let mut b = Bodies::new(&subject, lang);
    b.paragraph(&common.greeting(&data.full_name));
    b.paragraph(&s.intro.replace("{order}", order));
    b.products(order, &data.products, common);
    if data.renewal {
        b.paragraph(s.renewal);
    }
    b.paragraph(s.outro);
    let (text, html) = b.finish(common);
    RenderedMail {
        subject,
        text,
        html,
    }
}

fn render_confirmation(
    data: &ActivationConfirmationMail,
    lang: Lang,
    ctx: &RenderContext,
) -> RenderedMail {
    let (s, common) = (
        ConfirmationStrings::for_language(lang),
        CommonStrings::for_language(lang),
    );
    let order = data.order_number.as_str();
    let subject = s.subject.replace("{order}", order);
    let mut b = Bodies::new(&subject, lang);
    b.paragraph(&common.greeting(&data.full_name));
    b.paragraph(&s.intro.replace("{order}", order));
    b.products(order, &data.products, common);
    if let Some(region) = &data.region {
        b.paragraph(&s.xdr.replace("{region}", &region.to_uppercase()));
        let console = data.console_url.clone().or_else(|| {
            ctx.console_urls
                .get(&region.to_lowercase())
                .map(str::to_owned)
        });
        if let Some(url) = console {
            b.link(s.console, &url);
        }
    }
    b.paragraph(s.outro);
    let (text, html) = b.finish(common);
    RenderedMail {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(mail.html.contains("SO-&lt;1&gt;") && !mail.html.contains("<script>"));
        assert!(mail.html.contains("DDI &amp; friends"));
        assert!(mail.html.contains("Jane &lt;script&gt;"));
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
            "<li><strong>DDI</strong> (XDR-DDI): 25 seats<br>Term: 2030-01-01 &ndash; 2030-12-31</li>"
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
        assert!(mail.html.contains("Jane &lt;script&gt; 様"));
        assert!(mail.html.contains("SO-&lt;1&gt;"));
        assert!(mail.html.contains("DDI &amp; &quot;friends&quot;"));
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
            assert!(mail.html.contains("Jane &lt;Doe&gt;") && !mail.html.contains("<Doe>"));
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
            assert!(body.contains("Jane &lt;Doe&gt; 様") || body.contains("Jane <Doe> 様"));
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
}
