//! The certificate in English.

use super::Labels;

/// The English catalog.
pub const EN: Labels = Labels {
    title: "License Certificate",
    subtitle: "Registration keys of the products of this order, and how to activate them",
    document_title: |order| format!("License certificate of order {order}"),
    order_number: "Order number",
    purchase_date: "Purchase date",
    order_type: "Order type",
    order_type_new: "New purchase",
    order_type_renewal: "Renewal",
    end_customer: "End customer",
    contact: "Contact",
    country: "Country",
    sold_by: "Sold by",
    how_to_activate: "How to activate",
    steps: [
        "1. Open the license activation portal at the address below (or scan the code).",
        "2. Enter a registration key of this certificate and check the products it shows.",
        "3. Sign in or create an account, then confirm with the link emailed to you.",
    ],
    scan: "Scan to open the portal",
    licenses: "Licenses",
    line_heading: |no, product, sku| format!("{no}. {product} ({sku})"),
    seats: "Seats",
    term: "Term",
    term_range: |start, end| format!("{start} to {end}"),
    registration_key: "Registration key",
    includes: "Includes",
    renews: "Renews activation code",
    registered_on: |day| format!("Registered on {day}"),
    keep_safe: "Keep this certificate safe: anyone holding a registration key can activate \
                its product.",
    page: |page, count| format!("Page {page} of {count}"),
    issued: |day| format!("Issued {day}"),
    date: |date| date.format("%Y-%m-%d").to_string(),
};
