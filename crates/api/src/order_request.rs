//! `CreateOrderRequest` -> a validated order, reporting every bad field at once.
//!
//! [`ValidOrder::try_from`] is pure: the activation codes that renewals name are looked up
//! first (see [`renewed_codes`]) and passed in, so every error, including "this AC does not
//! exist", ends up in one 422 `validation_failed`.

use std::collections::HashSet;

use chrono::NaiveDate;
use clp_api_types::{CreateOrderRequest, FieldError, OrderType as ApiOrderType};
use clp_db::orders::{NewLine, NewOrder};
use clp_domain::catalog::Catalog;
use clp_domain::order::{EndCustomer, OrderType, SuiteComponent};
use clp_domain::{ActivationCode, KeyError, RegistrationKey};

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

fn key_message(error: &KeyError) -> String {
    format!("is not a well-formed activation code: {error}")
}

fn text(errors: &mut Vec<FieldError>, field: &str, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::new(field, "must not be empty"));
    } else if value.chars().count() > MAX_TEXT_LEN {
        errors.push(FieldError::new(
            field,
            format!("must be at most {MAX_TEXT_LEN} characters"),
        ));
    } else if value.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    value.to_owned()
}

/// A plausible email address: one `@`, a non-empty local part, a dotted domain, no spaces.
fn is_email_like(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && value.len() <= 254
}

impl<'a> TryFrom<(CreateOrderRequest, OrderContext<'a>)> for ValidOrder {
    type Error = Vec<FieldError>;

    fn try_from(
        (request, context): (CreateOrderRequest, OrderContext<'a>),
    ) -> Result<Self, Self::Error> {
        let mut errors = Vec::new();
        let catalog = context.catalog;

        let order_number = request.order_number.trim().to_owned();
        if order_number.is_empty() {
            errors.push(FieldError::new("order_number", "must not be empty"));
        } else if order_number.len() > MAX_ORDER_NUMBER_LEN {
            errors.push(FieldError::new(
                "order_number",
                format!("must be at most {MAX_ORDER_NUMBER_LEN} characters"),
            ));
        } else if !order_number
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            errors.push(FieldError::new(
                "order_number",
                "may contain only letters, digits, '-', '_' and '.'",
            ));
        }

        let customer = &request.end_customer;
        let company = text(&mut errors, "end_customer.company", &customer.company);
        let contact_name = text(
            &mut errors,
            "end_customer.contact_name",
            &customer.contact_name,
        );
        let contact_email = customer.contact_email.trim().to_owned();
        if contact_email.is_empty() {
            errors.push(FieldError::new(
                "end_customer.contact_email",
                "must not be empty",
            ));
        } else if !is_email_like(&contact_email) {
            errors.push(FieldError::new(
                "end_customer.contact_email",
                "is not an email address",
            ));
        }
        let country = customer.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.push(FieldError::new(
                "end_customer.country",
                "must be a two-letter ISO 3166-1 country code",
            ));
        }

        let order_type = match request.r#type {
            ApiOrderType::New => OrderType::New,
            ApiOrderType::Renewal => OrderType::Renewal,
        };
        if request.lines.is_empty() {
            errors.push(FieldError::new("lines", "must list at least one line"));
        } else if request.lines.len() > MAX_LINES {
            errors.push(FieldError::new(
                "lines",
                format!("must list at most {MAX_LINES} lines"),
            ));
        }

        let mut lines = Vec::with_capacity(request.lines.len());
        for (i, line) in request.lines.into_iter().enumerate() {
            let at = |field: &str| format!("lines[{i}].{field}");
            let product = catalog.get(line.sku.trim());
            if product.is_none() {
                errors.push(FieldError::new(
                    at("sku"),
                    "is not a product of the catalog",
                ));
            }
            if line.seats == 0 {
                errors.push(FieldError::new(at("seats"), "must be at least 1"));
            } else if i32::try_from(line.seats).is_err() {
                errors.push(FieldError::new(at("seats"), "is too large"));
            }
            if line.term_start > line.term_end {
                errors.push(FieldError::new(
                    at("term_end"),
                    "must not be before term_start",
                ));
            }

            let mut components = Vec::new();
            match (product, line.components) {
                (Some(product), Some(given)) if !product.is_suite() && !given.is_empty() => {
                    errors.push(FieldError::new(
                        at("components"),
                        format!(
                            "only suite lines have components; {} is not a suite",
                            product.sku
                        ),
                    ));
                }
                (Some(product), given) if product.is_suite() => {
                    let given = given.unwrap_or_default();
                    let mut seen = HashSet::new();
                    for (j, component) in given.iter().enumerate() {
                        let field = at(&format!("components[{j}]"));
                        let sku = component.sku.trim();
                        if !product.components.iter().any(|c| c == sku) {
                            errors.push(FieldError::new(
                                format!("{field}.sku"),
                                format!(
                                    "is not a component of {}; expected one of {}",
                                    product.sku,
                                    product.components.join(", ")
                                ),
                            ));
                        } else if !seen.insert(sku.to_owned()) {
                            errors.push(FieldError::new(format!("{field}.sku"), "is listed twice"));
                        }
                        if let Some(ac) = component.retained_ac.as_deref()
                            && let Err(e) = ActivationCode::parse(ac)
                        {
                            errors.push(FieldError::new(
                                format!("{field}.retained_ac"),
                                key_message(&e),
                            ));
                        }
                    }
                    // A suite is all of its components; listed ones may name a retained AC.
                    for sku in &product.components {
                        let retained_ac = given
                            .iter()
                            .find(|c| c.sku.trim() == sku)
                            .and_then(|c| c.retained_ac.as_deref())
                            .and_then(|ac| ActivationCode::parse(ac).ok());
                        components.push(ValidComponent {
                            sku: sku.clone(),
                            retained_ac,
                        });
                    }
                }
                _ => {}
            }

            let renews_ac = match line.renews_ac.as_deref().map(str::trim) {
                None | Some("") => {
                    if order_type == OrderType::Renewal {
                        errors.push(FieldError::new(
                            at("renews_ac"),
                            "is required on a renewal order",
                        ));
                    }
                    None
                }
                Some(_) if order_type == OrderType::New => {
                    errors.push(FieldError::new(
                        at("renews_ac"),
                        "is only allowed on a renewal order",
                    ));
                    None
                }
                Some(text) => match ActivationCode::parse(text) {
                    Ok(ac) if context.existing_codes.contains(ac.as_str()) => Some(ac),
                    Ok(_) => {
                        errors.push(FieldError::new(at("renews_ac"), "no such activation code"));
                        None
                    }
                    Err(e) => {
                        errors.push(FieldError::new(at("renews_ac"), key_message(&e)));
                        None
                    }
                },
            };

            if let Some(product) = product {
                lines.push(ValidLine {
                    sku: product.sku.clone(),
                    key_prefix: product.key_prefix.clone(),
                    seats: line.seats,
                    term_start: line.term_start,
                    term_end: line.term_end,
                    components,
                    renews_ac,
                });
            }
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidOrder {
            order_number,
            order_type,
            purchase_date: request.purchase_date,
            end_customer: EndCustomer {
                company,
                contact_name,
                contact_email,
                country,
            },
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
    use clp_api_types::{CreateComponent, CreateOrderLine, EndCustomer as ApiEndCustomer};

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
    ) -> Result<ValidOrder, Vec<FieldError>> {
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

    fn fields(errors: &[FieldError]) -> Vec<&str> {
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

    #[test]
    fn emails_are_checked_loosely() {
        assert!(is_email_like("a@b.example"));
        for bad in ["a", "@b.c", "a@b", "a b@c.d", "a@b@c.d", "a@.b", "a@b."] {
            assert!(!is_email_like(bad), "{bad}");
        }
    }
}
