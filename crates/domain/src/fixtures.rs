//! Small orders, accounts and holdings for the rule tests.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::account::{AcOwner, AccountId, AccountSummary, HeldCode, HeldSaas, Holdings};
use crate::catalog::Catalog;
use crate::keys::{ActivationCode, RegistrationKey};
use crate::order::{EndCustomer, LineRegistration, Order, OrderLine, OrderType, SuiteComponent};
use crate::region::Region;

/// A calendar date.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The fixed "now" of the tests.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 9, 30, 0).unwrap()
}

/// A deterministic Activation Code; distinct seeds give distinct codes.
pub fn ac(prefix: &str, seed: u64) -> ActivationCode {
    ActivationCode::generate(prefix, &mut StdRng::seed_from_u64(seed)).unwrap()
}

/// An account summary.
pub fn account(id: i64, email: &str, company: &str) -> AccountSummary {
    AccountSummary {
        id: AccountId(id),
        email: email.to_owned(),
        company: company.to_owned(),
    }
}

/// The database's knowledge that `account` owns `code`.
pub fn owner(code: &ActivationCode, account: &AccountSummary) -> AcOwner {
    AcOwner {
        registered_at: None,
        code: code.clone(),
        account: account.clone(),
    }
}

/// Holdings of account `id`, with an optional XDR region.
pub fn holdings(id: i64, region: Option<Region>) -> Holdings {
    Holdings {
        xdr_region: region,
        ..Holdings::empty(AccountId(id))
    }
}

/// `holdings` plus an active SaaS instance from order `order_id`.
pub fn with_saas(mut h: Holdings, service: &str, order_id: i64) -> Holdings {
    h.saas_instances.push(HeldSaas {
        service: service.to_owned(),
        line_id: order_id * 100 + 1,
        order_id,
    });
    h
}

/// `holdings` plus an Activation Code expiring on `term_end`.
pub fn with_code(
    mut h: Holdings,
    code: &ActivationCode,
    sku: &str,
    term_end: NaiveDate,
) -> Holdings {
    h.activation_codes.push(HeldCode {
        code: code.clone(),
        sku: sku.to_owned(),
        term_end,
        line_id: None,
    });
    h
}

/// Builds an order of seeded-catalog products, line ids `order id * 100 + line_no`.
pub struct OrderBuilder {
    order: Order,
    rng: StdRng,
}

impl OrderBuilder {
    /// An order of Acme (john@acme.example, United States), without lines.
    pub fn new(order_type: OrderType) -> Self {
        OrderBuilder {
            order: Order {
                id: 7,
                order_number: "SO-1007".to_owned(),
                order_type,
                purchase_date: date(2025, 1, 15),
                partner_id: 1,
                end_customer: EndCustomer {
                    company: "Acme, Inc.".to_owned(),
                    contact_name: "John Smith".to_owned(),
                    contact_email: "john@acme.example".to_owned(),
                    country: "US".to_owned(),
                },
                lines: Vec::new(),
            },
            rng: StdRng::seed_from_u64(42),
        }
    }

    /// A new order.
    pub fn new_order() -> Self {
        Self::new(OrderType::New)
    }

    /// A renewal order.
    pub fn renewal_order() -> Self {
        Self::new(OrderType::Renewal)
    }

    /// Sets the end customer's country.
    pub fn country(mut self, iso2: &str) -> Self {
        self.order.end_customer.country = iso2.to_owned();
        self
    }

    /// Adds a line of `sku` (one year, 100 seats).
    pub fn line(mut self, sku: &str) -> Self {
        let line_no = u32::try_from(self.order.lines.len() + 1).unwrap();
        let prefix = Catalog::seeded()
            .get(sku)
            .map_or("ZZ".to_owned(), |p| p.key_prefix.clone());
        self.order.lines.push(OrderLine {
            id: self.order.id * 100 + i64::from(line_no),
            line_no,
            sku: sku.to_owned(),
            seats: 100,
            term_start: date(2025, 2, 1),
            term_end: date(2026, 1, 31),
            registration_key: RegistrationKey::generate(&prefix, &mut self.rng).unwrap(),
            components: Vec::new(),
            renews_ac: None,
            registration: None,
        });
        self
    }

    /// Adds a suite line listing its catalog components, some with a retained AC.
    pub fn suite(self, sku: &str, retained: &[(&str, ActivationCode)]) -> Self {
        let mut this = self.line(sku);
        let components = Catalog::seeded().get(sku).unwrap().components.clone();
        let last = this.order.lines.last_mut().unwrap();
        last.components = components
            .into_iter()
            .map(|c| SuiteComponent {
                retained_ac: retained
                    .iter()
                    .find(|(s, _)| *s == c)
                    .map(|(_, ac)| ac.clone()),
                sku: c,
            })
            .collect();
        this
    }

    /// Adds a line of `sku` renewing `renewed`.
    pub fn renewal_line(self, sku: &str, renewed: &ActivationCode) -> Self {
        let mut this = self.line(sku);
        this.order.lines.last_mut().unwrap().renews_ac = Some(renewed.clone());
        this
    }

    /// Marks the line `line_no` registered to account `id`.
    pub fn registered(mut self, line_no: u32, id: i64) -> Self {
        let line = self
            .order
            .lines
            .iter_mut()
            .find(|l| l.line_no == line_no)
            .unwrap();
        line.registration = Some(LineRegistration {
            account_id: AccountId(id),
            registered_at: now(),
        });
        self
    }

    /// The order.
    pub fn build(self) -> Order {
        self.order
    }
}

/// The registration key of line `line_no`.
pub fn key(order: &Order, line_no: u32) -> RegistrationKey {
    order
        .lines
        .iter()
        .find(|l| l.line_no == line_no)
        .unwrap()
        .registration_key
        .clone()
}

/// The id of line `line_no`.
pub fn line_id(order: &Order, line_no: u32) -> i64 {
    order.id * 100 + i64::from(line_no)
}
