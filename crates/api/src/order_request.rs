//! `CreateOrderRequest` -> a validated order, reporting every bad field at once.
//!
//! [`ValidOrder::try_from`] is pure: the activation codes that renewals name are looked up
//! first (see [`renewed_codes`]) and passed in, so every error, including "this AC does not
//! exist", ends up in one 422 `validation_failed`.

use std::collections::HashSet;

use chrono::NaiveDate;
use clp_api_types::{
    CreateComponent, CreateOrderLine, CreateOrderRequest, EndCustomer as ApiEndCustomer,
    OrderType as ApiOrderType,
};
use clp_db::orders::{NewLine, NewOrder};
use clp_domain::catalog::{Catalog, Product};
use clp_domain::order::{EndCustomer, OrderType, SuiteComponent};
use clp_domain::{ActivationCode, Email, KeyError, RegistrationKey};

use crate::error::FieldIssue;
use crate::messages::FieldProblem;

/// Longest accepted order number.
pub const MAX_ORDER_NUMBER_LEN: usize = 64;
/// Most lines in one order.
pub const MAX_LINES: usize = 200;
/// Longest accepted free-text field.
const MAX_TEXT_LEN: usize = 200;

/// A suite component after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidComponent {
    /// Component SKU.
    pub sku: String,
    /// Retained AC.
    pub retained_ac: Option<ActivationCode>,
}

/// An order line after validation; the registration key is generated later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLine {
    /// Product SKU (in the catalog).
    pub sku: String,
    /// The product's two-letter key prefix.
    pub key_prefix: String,
    /// Seats (at least 1).
    pub seats: u32,
    /// First day.
    pub term_start: NaiveDate,
    /// Last day (not before the first).
    pub term_end: NaiveDate,
    /// Suite components (all of the suite's), empty for other products.
    pub components: Vec<ValidComponent>,
    /// The renewed AC (renewal orders).
    pub renews_ac: Option<ActivationCode>,
}

/// An order that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOrder {
    /// Partner's order number.
    pub order_number: String,
    /// New or renewal.
    pub order_type: OrderType,
    /// Purchase date.
    pub purchase_date: NaiveDate,
    /// End customer, trimmed; country upper case.
    pub end_customer: EndCustomer,
    /// Lines.
    pub lines: Vec<ValidLine>,
}

/// What [`ValidOrder::try_from`] needs besides the request.
#[derive(Debug, Clone, Copy)]
pub struct OrderContext<'a> {
    /// The product catalog.
    pub catalog: &'a Catalog,
    /// Canonical activation codes known to exist (from [`renewed_codes`]).
    pub existing_codes: &'a HashSet<String>,
}

/// The well-formed `renews_ac` values of a request, canonical, to look up before validation.
pub fn renewed_codes(request: &CreateOrderRequest) -> Vec<String> {
    request
        .lines
        .iter()
        .filter_map(|line| line.renews_ac.as_deref())
        .filter_map(|ac| ActivationCode::parse(ac).ok())
        .map(|ac| ac.as_str().to_owned())
        .collect()
}

/// The field problems of a request, each under its JSON path.
#[derive(Debug, Default)]
struct Issues(Vec<FieldIssue>);

impl Issues {
    fn add(&mut self, field: impl Into<String>, problem: FieldProblem) {
        self.0.push(FieldIssue::new(field, problem));
    }

    /// A required free-text field, trimmed.
    fn text(&mut self, field: &str, value: &str) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, FieldProblem::Empty);
        } else if value.chars().count() > MAX_TEXT_LEN {
            self.add(field, FieldProblem::Longer { max: MAX_TEXT_LEN });
        } else if value.chars().any(char::is_control) {
            self.add(field, FieldProblem::ControlCharacters);
        }
        value.to_owned()
    }

    /// The partner's order number, trimmed.
    fn order_number(&mut self, value: &str) -> String {
        let order_number = value.trim().to_owned();
        let field = "order_number";
        if order_number.is_empty() {
            self.add(field, FieldProblem::Empty);
        } else if order_number.len() > MAX_ORDER_NUMBER_LEN {
            self.add(
                field,
                FieldProblem::Longer {
                    max: MAX_ORDER_NUMBER_LEN,
                },
            );
        } else if !order_number
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            self.add(field, FieldProblem::OrderNumberCharacters);
        }
        order_number
    }

    /// The end customer: texts trimmed, the email parsed, the country upper case.
    fn end_customer(&mut self, customer: &ApiEndCustomer) -> EndCustomer {
        let company = self.text("end_customer.company", &customer.company);
        let contact_name = self.text("end_customer.contact_name", &customer.contact_name);
        let field = "end_customer.contact_email";
        let contact_email = if customer.contact_email.trim().is_empty() {
            self.add(field, FieldProblem::Empty);
            String::new()
        } else {
            Email::parse(&customer.contact_email)
                .map(Email::into_string)
                .unwrap_or_else(|_| {
                    self.add(field, FieldProblem::NotAnEmail);
                    String::new()
                })
        };
        let country = customer.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            self.add("end_customer.country", FieldProblem::NotACountry);
        }
        EndCustomer {
            company,
            contact_name,
            contact_email,
            country,
        }
    }

    /// How many lines the order lists.
    fn line_count(&mut self, count: usize) {
        if count == 0 {
            self.add("lines", FieldProblem::NoLines);
        } else if count > MAX_LINES {
            self.add("lines", FieldProblem::TooManyLines { max: MAX_LINES });
        }
    }

    /// Line `i`: its product, seats and term, its suite components and what it renews; `None`
    /// when its product is unknown.
    fn line(
        &mut self,
        context: OrderContext<'_>,
        order_type: OrderType,
        i: usize,
        line: CreateOrderLine,
    ) -> Option<ValidLine> {
        let at = |field: &str| format!("lines[{i}].{field}");
        let product = context.catalog.get(line.sku.trim());
        if product.is_none() {
            self.add(at("sku"), FieldProblem::UnknownProduct);
        }
        if line.seats == 0 {
            self.add(at("seats"), FieldProblem::Zero);
        } else if i32::try_from(line.seats).is_err() {
            self.add(at("seats"), FieldProblem::TooLarge);
        }
        if line.term_start > line.term_end {
            self.add(at("term_end"), FieldProblem::EndsBeforeStart);
        }
        let components = match product {
            Some(product) => self.components(product, i, line.components.unwrap_or_default()),
            None => Vec::new(),
        };
        let renews_ac = self.renewed_code(context, order_type, &at("renews_ac"), line.renews_ac);
        let product = product?;
        Some(ValidLine {
            sku: product.sku.clone(),
            key_prefix: product.key_prefix.clone(),
            seats: line.seats,
            term_start: line.term_start,
            term_end: line.term_end,
            components,
            renews_ac,
        })
    }

    /// The components of line `i`: all of a suite's (the listed ones may name a retained AC),
    /// none for another product (which may list none).
    fn components(
        &mut self,
        product: &Product,
        i: usize,
        given: Vec<CreateComponent>,
    ) -> Vec<ValidComponent> {
        if !product.is_suite() {
            if !given.is_empty() {
                self.add(
                    format!("lines[{i}].components"),
                    FieldProblem::NotASuite {
                        sku: product.sku.clone(),
                    },
                );
            }
            return Vec::new();
        }
        let mut seen = HashSet::new();
        for (j, component) in given.iter().enumerate() {
            let field = format!("lines[{i}].components[{j}]");
            let sku = component.sku.trim();
            if !product.components.iter().any(|c| c == sku) {
                self.add(
                    format!("{field}.sku"),
                    FieldProblem::NotAComponent {
                        suite: product.sku.clone(),
                        components: product.components.clone(),
                    },
                );
            } else if !seen.insert(sku.to_owned()) {
                self.add(format!("{field}.sku"), FieldProblem::ListedTwice);
            }
            if let Some(ac) = component.retained_ac.as_deref()
                && let Err(e) = ActivationCode::parse(ac)
            {
                self.add(
                    format!("{field}.retained_ac"),
                    FieldProblem::MalformedActivationCode(e),
                );
            }
        }
        product
            .components
            .iter()
            .map(|sku| ValidComponent {
                sku: sku.clone(),
                retained_ac: given
                    .iter()
                    .find(|c| c.sku.trim() == sku)
                    .and_then(|c| c.retained_ac.as_deref())
                    .and_then(|ac| ActivationCode::parse(ac).ok()),
            })
            .collect()
    }

    /// The activation code a line renews: required on a renewal order, refused on a new one,
    /// and it must exist.
    fn renewed_code(
        &mut self,
        context: OrderContext<'_>,
        order_type: OrderType,
        field: &str,
        renews_ac: Option<String>,
    ) -> Option<ActivationCode> {
        match renews_ac.as_deref().map(str::trim) {
            None | Some("") => {
                if order_type == OrderType::Renewal {
                    self.add(field, FieldProblem::RenewalNeedsCode);
                }
                None
            }
            Some(_) if order_type == OrderType::New => {
                self.add(field, FieldProblem::OnlyOnRenewals);
                None
            }
            Some(text) => match ActivationCode::parse(text) {
                Ok(ac) if context.existing_codes.contains(ac.as_str()) => Some(ac),
                Ok(_) => {
                    self.add(field, FieldProblem::NoSuchActivationCode);
                    None
                }
                Err(e) => {
                    self.add(field, FieldProblem::MalformedActivationCode(e));
                    None
                }
            },
        }
    }
}

impl<'a> TryFrom<(CreateOrderRequest, OrderContext<'a>)> for ValidOrder {
    type Error = Vec<FieldIssue>;

    fn try_from(
        (request, context): (CreateOrderRequest, OrderContext<'a>),
    ) -> Result<Self, Self::Error> {
        let mut issues = Issues::default();
        let order_number = issues.order_number(&request.order_number);
        let end_customer = issues.end_customer(&request.end_customer);
        let order_type = match request.r#type {
            ApiOrderType::New => OrderType::New,
            ApiOrderType::Renewal => OrderType::Renewal,
        };
        issues.line_count(request.lines.len());
        let lines: Vec<ValidLine> = request
            .lines
            .into_iter()
            .enumerate()
            .filter_map(|(i, line)| issues.line(context, order_type, i, line))
            .collect();
        if !issues.0.is_empty() {
            return Err(issues.0);
        }
        Ok(ValidOrder {
            order_number,
            order_type,
            purchase_date: request.purchase_date,
            end_customer,
            lines,
        })
    }
}

impl ValidOrder {
    /// The order to insert for `partner_id`, with a fresh registration key per line drawn from
    /// `rng` (a CSPRNG) with the product's prefix.
    pub fn to_new_order(
        &self,
        partner_id: i64,
        rng: &mut impl rand::CryptoRng,
    ) -> Result<NewOrder, KeyError> {
        let lines = self
            .lines
            .iter()
            .map(|line| {
                Ok(NewLine {
                    sku: line.sku.clone(),
                    seats: line.seats,
                    term_start: line.term_start,
                    term_end: line.term_end,
                    registration_key: RegistrationKey::generate(&line.key_prefix, rng)?,
                    components: line
                        .components
                        .iter()
                        .map(|c| SuiteComponent {
                            sku: c.sku.clone(),
                            retained_ac: c.retained_ac.clone(),
                        })
                        .collect(),
                    renews_ac: line.renews_ac.clone(),
                })
            })
            .collect::<Result<Vec<_>, KeyError>>()?;
        Ok(NewOrder {
            partner_id,
            order_number: self.order_number.clone(),
            order_type: self.order_type,
            purchase_date: self.purchase_date,
            end_customer: self.end_customer.clone(),
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn line(sku: &str) -> CreateOrderLine {
        CreateOrderLine {
            sku: sku.to_owned(),
            seats: 10,
            term_start: date("2025-01-01"),
            term_end: date("2025-12-31"),
            components: None,
            renews_ac: None,
        }
    }

    fn request(lines: Vec<CreateOrderLine>) -> CreateOrderRequest {
        CreateOrderRequest {
            order_number: "SO-1".to_owned(),
            r#type: ApiOrderType::New,
            purchase_date: date("2025-01-01"),
            end_customer: ApiEndCustomer {
                company: "Acme".to_owned(),
                contact_name: "Jane".to_owned(),
                contact_email: "jane@acme.example".to_owned(),
                country: "us".to_owned(),
            },
            lines,
        }
    }

    fn validate(
        request: CreateOrderRequest,
        existing: &[&str],
    ) -> Result<ValidOrder, Vec<FieldIssue>> {
        let catalog = Catalog::seeded();
        let existing: HashSet<String> = existing.iter().map(|s| (*s).to_owned()).collect();
        ValidOrder::try_from((
            request,
            OrderContext {
                catalog: &catalog,
                existing_codes: &existing,
            },
        ))
    }

    fn fields(errors: &[FieldIssue]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    fn some_ac() -> ActivationCode {
        let mut rng = rand::rng();
        ActivationCode::generate("AO", &mut rng).unwrap()
    }

    #[test]
    fn a_good_order_passes_with_suite_components_filled_in() {
        let order = validate(request(vec![line("XDR-CAS"), line("CUP")]), &[]).unwrap();
        assert_eq!(order.end_customer.country, "US");
        let skus: Vec<&str> = order.lines[1]
            .components
            .iter()
            .map(|c| c.sku.as_str())
            .collect();
        assert_eq!(skus, ["A1", "SMEX", "IMSVA", "IWSVA"]);
        assert!(order.lines[0].components.is_empty());
        let new = order.to_new_order(7, &mut rand::rng()).unwrap();
        assert_eq!(new.lines[0].registration_key.prefix(), "XC");
        assert_eq!(new.lines[1].registration_key.prefix(), "CU");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut bad_seats = line("A1");
        bad_seats.seats = 0;
        let mut bad_term = line("DDI");
        bad_term.term_end = date("2024-01-01");
        let mut req = request(vec![line("NOPE"), bad_seats, bad_term]);
        req.end_customer.contact_email = "not-an-email".to_owned();
        req.end_customer.country = "USA".to_owned();
        req.end_customer.company = "  ".to_owned();
        let errors = validate(req, &[]).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "end_customer.company",
                "end_customer.contact_email",
                "end_customer.country",
                "lines[0].sku",
                "lines[1].seats",
                "lines[2].term_end",
            ]
        );
    }

    #[test]
    fn components_belong_to_suites_only_and_to_their_suite() {
        let mut cup = line("CUP");
        cup.components = Some(vec![
            CreateComponent {
                sku: "A1".to_owned(),
                retained_ac: Some("not an ac".to_owned()),
            },
            CreateComponent {
                sku: "DDI".to_owned(),
                retained_ac: None,
            },
        ]);
        let mut a1 = line("A1");
        a1.components = Some(vec![CreateComponent {
            sku: "A1".to_owned(),
            retained_ac: None,
        }]);
        let errors = validate(request(vec![cup, a1]), &[]).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "lines[0].components[0].retained_ac",
                "lines[0].components[1].sku",
                "lines[1].components",
            ]
        );
    }

    #[test]
    fn a_retained_ac_is_kept_on_its_component() {
        let ac = some_ac();
        let mut cup = line("CUP");
        cup.components = Some(vec![CreateComponent {
            sku: "SMEX".to_owned(),
            retained_ac: Some(ac.as_str().to_lowercase()),
        }]);
        let order = validate(request(vec![cup]), &[]).unwrap();
        let smex = order.lines[0]
            .components
            .iter()
            .find(|c| c.sku == "SMEX")
            .unwrap();
        assert_eq!(smex.retained_ac.as_ref(), Some(&ac));
    }

    #[test]
    fn renewals_name_an_existing_ac_on_every_line() {
        let known = some_ac();
        let unknown = some_ac();
        let mut req = request(vec![line("A1"), line("A1"), line("A1"), line("A1")]);
        req.r#type = ApiOrderType::Renewal;
        req.lines[0].renews_ac = Some(known.to_string());
        req.lines[1].renews_ac = Some(unknown.to_string());
        req.lines[2].renews_ac = Some("AO-1234".to_owned());
        assert_eq!(renewed_codes(&req).len(), 2);
        let errors = validate(req.clone(), &[known.as_str()]).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "lines[1].renews_ac",
                "lines[2].renews_ac",
                "lines[3].renews_ac"
            ]
        );
        req.lines.truncate(1);
        let order = validate(req, &[known.as_str()]).unwrap();
        assert_eq!(order.lines[0].renews_ac.as_ref(), Some(&known));
    }

    #[test]
    fn a_new_order_does_not_renew() {
        let mut req = request(vec![line("A1")]);
        req.lines[0].renews_ac = Some(some_ac().to_string());
        assert_eq!(
            fields(&validate(req, &[]).unwrap_err()),
            ["lines[0].renews_ac"]
        );
    }

    #[test]
    fn order_numbers_and_lines_are_checked() {
        let mut req = request(vec![]);
        req.order_number = "a/b".to_owned();
        assert_eq!(
            fields(&validate(req, &[]).unwrap_err()),
            ["order_number", "lines"]
        );
    }
}
