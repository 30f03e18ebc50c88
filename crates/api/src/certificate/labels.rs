//! The words of the license certificate, one catalog per language ([`en`], [`ja`]).
//!
//! Like the mail wording, a catalog is one value of [`Labels`]: the compiler refuses a catalog
//! that lacks a label the other has. Labels with values are functions, so a value sits
//! wherever the language puts it.

use chrono::NaiveDate;
use clp_domain::Lang;

mod en;
mod ja;

/// Every word of the certificate in one language.
pub struct Labels {
    /// The document's heading.
    pub title: &'static str,
    /// Under the heading: what the document is for.
    pub subtitle: &'static str,
    /// The PDF's title (document properties), with the order number.
    pub document_title: fn(&str) -> String,
    /// Label of the order number.
    pub order_number: &'static str,
    /// Label of the purchase date.
    pub purchase_date: &'static str,
    /// Label of the order type.
    pub order_type: &'static str,
    /// A new purchase.
    pub order_type_new: &'static str,
    /// A renewal.
    pub order_type_renewal: &'static str,
    /// Label of the end customer's company.
    pub end_customer: &'static str,
    /// Label of the end customer's contact person.
    pub contact: &'static str,
    /// Label of the end customer's country.
    pub country: &'static str,
    /// Label of the partner that sold the order.
    pub sold_by: &'static str,
    /// Heading of the activation instructions.
    pub how_to_activate: &'static str,
    /// The steps of an activation, in order (the address follows the first).
    pub steps: [&'static str; 3],
    /// Under the QR code.
    pub scan: &'static str,
    /// Heading of the licenses.
    pub licenses: &'static str,
    /// A line's heading: its number, product name and SKU.
    pub line_heading: fn(u32, &str, &str) -> String,
    /// Label of the seats.
    pub seats: &'static str,
    /// Label of the term.
    pub term: &'static str,
    /// A term from its first to its last day (both already written as the language does).
    pub term_range: fn(&str, &str) -> String,
    /// Label of the registration key.
    pub registration_key: &'static str,
    /// Label of a suite's components.
    pub includes: &'static str,
    /// Label of the activation code a renewal extends.
    pub renews: &'static str,
    /// Said of a line already registered, with the day.
    pub registered_on: fn(&str) -> String,
    /// At the foot of every page: keep the keys safe.
    pub keep_safe: &'static str,
    /// At the foot of every page: the page number and the count.
    pub page: fn(usize, usize) -> String,
    /// At the foot of every page: the day the certificate was issued.
    pub issued: fn(&str) -> String,
    /// A day as the language writes it.
    pub date: fn(&NaiveDate) -> String,
}

impl Labels {
    /// The catalog of `lang`.
    pub fn of(lang: Lang) -> &'static Self {
        match lang {
            Lang::En => &en::EN,
            Lang::Ja => &ja::JA,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_label() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 28).unwrap();
        for lang in Lang::ALL {
            let labels = Labels::of(lang);
            for text in [
                labels.title,
                labels.subtitle,
                labels.order_number,
                labels.purchase_date,
                labels.order_type,
                labels.order_type_new,
                labels.order_type_renewal,
                labels.end_customer,
                labels.contact,
                labels.country,
                labels.sold_by,
                labels.how_to_activate,
                labels.scan,
                labels.licenses,
                labels.seats,
                labels.term,
                labels.registration_key,
                labels.includes,
                labels.renews,
                labels.keep_safe,
            ]
            .into_iter()
            .chain(labels.steps)
            {
                assert!(!text.trim().is_empty(), "{lang}");
            }
            assert!((labels.document_title)("SO-1").contains("SO-1"));
            assert!((labels.line_heading)(2, "Apex One", "A1").contains("Apex One"));
            assert!((labels.term_range)("a", "b").contains('b'));
            assert!((labels.registered_on)("X").contains('X'));
            assert!((labels.page)(1, 3).contains('3'));
            assert!((labels.issued)("X").contains('X'));
            assert!((labels.date)(&day).contains("2025"));
        }
    }
}
