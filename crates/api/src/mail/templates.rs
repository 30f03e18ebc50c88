//! Rendering of the three emails into a subject, a text body and an HTML body.
//!
//! Every visible string of a template sits in one `*Strings` struct per language; to add
//! Japanese, add a `JA` constant beside each `EN` and return it from the `for_language`
//! function of the template. Every value inserted into the HTML body is escaped.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::payload::{
    ActivationConfirmationMail, MailPayload, MailProduct, MailTemplate, RegistrationNoticeMail,
    VerificationMail,
};
use crate::config::XdrConsoleUrls;

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

/// The verification link of `token`.
pub fn verification_link(public_url: &str, token: &str) -> String {
    // Tokens are URL-safe (hex or base64url); anything else is percent-encoded to be safe.
    let mut encoded = String::with_capacity(token.len());
    for b in token.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(b));
        } else {
            let _ = write!(encoded, "%{b:02X}");
        }
    }
    format!(
        "{}/activate/verify?token={encoded}",
        public_url.trim_end_matches('/')
    )
}

/// Renders `payload` in its language.
pub fn render(payload: &MailPayload, ctx: &RenderContext) -> RenderedMail {
    match &payload.template {
        MailTemplate::Verification(data) => render_verification(data, &payload.language, ctx),
        MailTemplate::RegistrationNotice(data) => render_notice(data, &payload.language),
        MailTemplate::ActivationConfirmation(data) => {
            render_confirmation(data, &payload.language, ctx)
        }
    }
}

/// Strings shared by every template.
struct CommonStrings {
    /// Greeting with a name; `{name}` is replaced.
    greeting_named: &'static str,
    /// Greeting without a name.
    greeting: &'static str,
    seats: &'static str,
    term: &'static str,
    activation_codes: &'static str,
    service: &'static str,
    signature: &'static str,
    footer: &'static str,
}

impl CommonStrings {
    const EN: Self = Self {
        greeting_named: "Hello {name},",
        greeting: "Hello,",
        seats: "seats",
        term: "Term",
        activation_codes: "Activation codes",
        service: "Service",
        signature: "Open CLP, the license activation portal",
        footer: "You receive this email because of a license registration made with this address. \
If it was not you, ignore this email; nothing is activated without the link.",
    };

    fn for_language(_language: &str) -> &'static Self {
        &Self::EN
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
        region: "Trend Micro XDR region",
        not_you: "If you did not ask for this activation, ignore this email.",
    };

    fn for_language(_language: &str) -> &'static Self {
        &Self::EN
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

    fn for_language(_language: &str) -> &'static Self {
        &Self::EN
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

    fn for_language(_language: &str) -> &'static Self {
        &Self::EN
    }
}

fn format_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Builds both bodies side by side, so the text and HTML versions say the same things.
struct Bodies {
    text: String,
    html: String,
}

impl Bodies {
    fn new(subject: &str) -> Self {
        Self {
            text: String::new(),
            html: format!(
                "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\
<body style=\"font-family: sans-serif; line-height: 1.5\">\n",
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
            let _ = writeln!(
                self.text,
                "- {} ({}): {} {}",
                p.product_name, p.sku, p.seats, common.seats
            );
            let _ = write!(
                self.html,
                "<li><strong>{}</strong> ({}): {} {}",
                escape_html(&p.product_name),
                escape_html(&p.sku),
                p.seats,
                escape_html(common.seats)
            );
            if let (Some(start), Some(end)) = (p.term_start, p.term_end) {
                let _ = writeln!(self.text, "  {}: {start} to {end}", common.term);
                let _ = write!(
                    self.html,
                    "<br>{}: {start} &ndash; {end}",
                    escape_html(common.term)
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

    fn finish(mut self, common: &CommonStrings) -> (String, String) {
        let _ = write!(
            self.text,
            "-- \n{}\n\n{}\n",
            common.signature, common.footer
        );
        let _ = write!(
            self.html,
            "<p>&mdash;<br>{}</p>\n<p style=\"color: #666; font-size: smaller\">{}</p>\n</body></html>\n",
            escape_html(common.signature),
            escape_html(common.footer)
        );
        (self.text, self.html)
    }
}

fn render_verification(
    data: &VerificationMail,
    language: &str,
    ctx: &RenderContext,
) -> RenderedMail {
    let (s, common) = (
        VerificationStrings::for_language(language),
        CommonStrings::for_language(language),
    );
    let order = data.order_number.as_str();
    let subject = s.subject.replace("{order}", order);
    let link = verification_link(&ctx.public_url, &data.token);
    let mut b = Bodies::new(&subject);
    b.paragraph(&common.greeting(&data.full_name));
    b.paragraph(&s.intro.replace("{order}", order));
    b.link(s.button, &link);
    b.paragraph(
        &s.expires
            .replace("{expires}", &format_time(data.expires_at)),
    );
    if data.new_account {
        b.paragraph(s.new_account);
    }
    b.products(&s.summary.replace("{order}", order), &data.products, common);
    if let Some(region) = &data.region {
        b.paragraph(&format!("{}: {}", s.region, region.to_uppercase()));
    }
    b.paragraph(s.not_you);
    let (text, html) = b.finish(common);
    RenderedMail {
        subject,
        text,
        html,
    }
}

fn render_notice(data: &RegistrationNoticeMail, language: &str) -> RenderedMail {
    let (s, common) = (
        NoticeStrings::for_language(language),
        CommonStrings::for_language(language),
    );
    let order = data.order_number.as_str();
    let subject = s.subject.replace("{order}", order);
    let mut b = Bodies::new(&subject);
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
    language: &str,
    ctx: &RenderContext,
) -> RenderedMail {
    let (s, common) = (
        ConfirmationStrings::for_language(language),
        CommonStrings::for_language(language),
    );
    let order = data.order_number.as_str();
    let subject = s.subject.replace("{order}", order);
    let mut b = Bodies::new(&subject);
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
            "en",
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
            "en",
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
            "ja",
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

    #[test]
    fn odd_tokens_are_percent_encoded() {
        assert_eq!(
            verification_link("http://x/", "a b&c"),
            "http://x/activate/verify?token=a%20b%26c"
        );
    }
}
