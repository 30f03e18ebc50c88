//! The license certificate of an order, as a PDF: the order, its end customer, each line's
//! product, seats, term and registration key, and how to activate them (the portal's address
//! as text and as a QR code), in English or Japanese.
//!
//! [`Certificate`] is what is printed, gathered from the order before rendering;
//! [`render`] lays it out and writes the PDF with `krilla` (text shaped and the font embedded
//! as a subset of the glyphs used). The font is one TrueType file holding Latin and Japanese
//! glyphs ([`CertificateFont`], `CLP_CERTIFICATE_FONT`), so a Japanese company name prints in
//! either language. Rendering is CPU work: callers run it off the async workers.

mod font;
mod labels;
mod layout;
mod qr;
mod render;

use chrono::NaiveDate;
use clp_domain::Lang;
use clp_domain::catalog::Catalog;
use clp_domain::order::{Order, OrderType};

pub use font::{CertificateFont, FontError, FontFile};
pub use labels::Labels;
pub use render::{RenderError, render};

/// The path of the activation page printed on certificates, below the public URL.
pub const ACTIVATION_PATH: &str = "/FullRegistration?T=TM";

/// Everything a certificate prints, in the language it prints it.
///
/// No `Debug`: it holds registration keys, which never reach a log.
#[derive(Clone)]
pub struct Certificate {
    /// The language of the labels and dates.
    pub lang: Lang,
    /// The partner's order number.
    pub order_number: String,
    /// New purchase or renewal.
    pub order_type: OrderType,
    /// The day of purchase.
    pub purchase_date: NaiveDate,
    /// The end customer's company.
    pub company: String,
    /// The end customer's contact person.
    pub contact_name: String,
    /// The contact's email address.
    pub contact_email: String,
    /// The end customer's country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The partner that sold the order.
    pub partner_name: Option<String>,
    /// The activation page: `{CLP_PUBLIC_URL}/FullRegistration?T=TM`.
    pub activation_url: String,
    /// The day the certificate is issued.
    pub issued_on: NaiveDate,
    /// The order's lines, in line number order.
    pub lines: Vec<CertificateLine>,
}

/// One line of a certificate (no `Debug`: it holds the line's registration key).
#[derive(Clone)]
pub struct CertificateLine {
    /// Position in the order, from 1.
    pub line_no: u32,
    /// The product's name.
    pub product_name: String,
    /// The product's SKU.
    pub sku: String,
    /// Number of seats.
    pub seats: u32,
    /// First day of the term.
    pub term_start: NaiveDate,
    /// Last day of the term.
    pub term_end: NaiveDate,
    /// The line's registration key, canonical (the secret the certificate hands over).
    pub registration_key: String,
    /// The names of a suite's components.
    pub components: Vec<String>,
    /// The activation code a renewal extends.
    pub renews_ac: Option<String>,
    /// The day the line was registered, if it was.
    pub registered_on: Option<NaiveDate>,
}

impl Certificate {
    /// The certificate of `order` in `lang`, naming products from `catalog`; `public_url` is
    /// the portal's base URL (`CLP_PUBLIC_URL`, no trailing slash).
    pub fn of_order(
        order: &Order,
        catalog: &Catalog,
        partner_name: Option<String>,
        public_url: &str,
        lang: Lang,
        issued_on: NaiveDate,
    ) -> Self {
        Self {
            lang,
            order_number: order.order_number.clone(),
            order_type: order.order_type,
            purchase_date: order.purchase_date,
            company: order.end_customer.company.clone(),
            contact_name: order.end_customer.contact_name.clone(),
            contact_email: order.end_customer.contact_email.clone(),
            country: order.end_customer.country.clone(),
            partner_name,
            activation_url: format!("{}{ACTIVATION_PATH}", public_url.trim_end_matches('/')),
            issued_on,
            lines: order
                .lines
                .iter()
                .map(|line| CertificateLine {
                    line_no: line.line_no,
                    product_name: catalog.name_of(&line.sku).to_owned(),
                    sku: line.sku.clone(),
                    seats: line.seats,
                    term_start: line.term_start,
                    term_end: line.term_end,
                    registration_key: line.registration_key.to_string(),
                    components: line
                        .components
                        .iter()
                        .map(|c| catalog.name_of(&c.sku).to_owned())
                        .collect(),
                    renews_ac: line.renews_ac.as_ref().map(ToString::to_string),
                    registered_on: line
                        .registration
                        .as_ref()
                        .map(|r| r.registered_at.date_naive()),
                })
                .collect(),
        }
    }

    /// A file name for the certificate: `license-certificate-<order number>.pdf`, the order
    /// number kept to ASCII letters, digits, `-`, `_` and `.` (others become `_`).
    pub fn file_name(&self) -> String {
        let safe: String = self
            .order_number
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("license-certificate-{safe}.pdf")
    }
}
