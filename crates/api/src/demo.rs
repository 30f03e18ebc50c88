//! `clp-server seed-demo`: demo data covering every case of the two flows, printed with its
//! keys, the demo account and the URLs.
//!
//! Idempotent: each piece (partner, account, order, registration) is created only when
//! missing, so a second run changes nothing and prints the stored keys again. Keys come from
//! the CSPRNG when the database is fresh.
//!
//! | order | flow | what it shows |
//! |---|---|---|
//! | `DEMO-BASE` | legacy (registered at seeding) | what the demo account owns: SMEX and A1 codes, a Cloud App Security instance |
//! | `DEMO-XDR` | account based | a plain XDR order (add-ons + other products), region chosen by the customer |
//! | `DEMO-XDR-JP` | account based | an order pinned to the JP region (XDR-DDI-JP) |
//! | `DEMO-LEGACY` | legacy | a new order without XDR add-ons: one line at a time |
//! | `DEMO-RENEWAL` | legacy | a renewal of the demo account's SMEX code (`renewal_account_mismatch` elsewhere) |
//! | `DEMO-CUP` | account based | a CUP cross grade retaining the demo account's A1 code + an XDR add-on (`crossgrade_account_required` elsewhere) |
//! | `DEMO-SAAS` | account based | XDR-CAS: `saas_conflict` for the demo account, which already holds Cloud App Security |

use std::fmt::Write as _;

use chrono::{Duration, NaiveDate, Utc};
use clp_db::Database;
use clp_db::accounts::{self, NewSimplifiedAccount};
use clp_db::activations::{self, LegacyRegistration, RegistrationError};
use clp_db::orders::{self, NewLine, NewOrder};
use clp_db::partners::{self, NewPartner};
use clp_domain::account::AccountId;
use clp_domain::catalog::Catalog;
use clp_domain::flow::{Flow, flow_for};
use clp_domain::order::{EndCustomer, Order, OrderType, SuiteComponent};
use clp_domain::{ActivationCode, RegistrationKey};
use rand::RngCore as _;

use crate::auth::password::hash_password;
use crate::config::Config;
use crate::error::BoxError;
use crate::mail::{MailPayload, MailProduct, MailTemplate, RegistrationNoticeMail};
use crate::partners::ALL_SCOPES;

/// Client ID of the demo partner.
pub const DEMO_CLIENT_ID: &str = "demo-partner";
/// Email of the demo account.
pub const DEMO_EMAIL: &str = "demo@acme.example";
/// Password of the demo account (demo data only: printed on every run).
pub const DEMO_PASSWORD: &str = "demo-password-2030";

/// One order of the demo set.
struct DemoOrder {
    number: &'static str,
    order_type: OrderType,
    description: &'static str,
    /// `(sku, seats)`; a suite gets its catalog components.
    lines: &'static [(&'static str, u32)],
}

const BASE: DemoOrder = DemoOrder {
    number: "DEMO-BASE",
    order_type: OrderType::New,
    description: "already registered to the demo account: what it owns",
    lines: &[("SMEX", 100), ("A1", 100), ("CAS", 100)],
};

const CUSTOMER_ORDERS: &[DemoOrder] = &[
    DemoOrder {
        number: "DEMO-XDR",
        order_type: OrderType::New,
        description: "XDR order (account-based flow): XDR add-ons + other products, region chosen by the customer",
        lines: &[
            ("XDR-EPS", 50),
            ("XDR-DDI", 5),
            ("XDR-A1SAAS", 50),
            ("A1", 50),
            ("DDI", 2),
        ],
    },
    DemoOrder {
        number: "DEMO-XDR-JP",
        order_type: OrderType::New,
        description: "XDR order pinned to the JP region by XDR-DDI-JP (account-based flow)",
        lines: &[("XDR-DDI-JP", 3), ("XDR-EPS", 30), ("IMSVA", 30)],
    },
    DemoOrder {
        number: "DEMO-LEGACY",
        order_type: OrderType::New,
        description: "non-XDR order (legacy flow: one key, one line, registered at once)",
        lines: &[("IMSVA", 25), ("IWSVA", 25), ("WFBSS", 25)],
    },
    DemoOrder {
        number: "DEMO-RENEWAL",
        order_type: OrderType::Renewal,
        description: "renewal of the demo account's SMEX code (legacy flow; only the demo account may register it)",
        lines: &[("SMEX", 100)],
    },
    DemoOrder {
        number: "DEMO-CUP",
        order_type: OrderType::New,
        description: "CUP cross grade keeping the demo account's A1 code, with an XDR add-on (sign in as the demo account)",
        lines: &[("CUP", 100), ("XDR-EPS", 100)],
    },
    DemoOrder {
        number: "DEMO-SAAS",
        order_type: OrderType::New,
        description: "XDR-CAS: saas_conflict for the demo account, which already holds Cloud App Security",
        lines: &[("XDR-CAS", 40), ("XDR-EPS", 40)],
    },
];

fn end_customer() -> EndCustomer {
    EndCustomer {
        company: "Acme Corporation".to_owned(),
        contact_name: "Dana Demo".to_owned(),
        contact_email: DEMO_EMAIL.to_owned(),
        country: "US".to_owned(),
    }
}

fn error(message: impl Into<String>) -> BoxError {
    message.into().into()
}

/// Seeds the demo data into the database of `config` and returns the text to print.
pub async fn run_seed_demo(config: &Config) -> Result<String, BoxError> {
    let db = Database::connect_and_migrate(&config.database_url).await?;
    let catalog = clp_db::catalog::load_catalog(&db).await?;
    let mut out = String::new();
    let partner_id = ensure_partner(&db, &mut out).await?;
    let account_id = ensure_account(&db).await?;

    let today = Utc::now().date_naive();
    let base = ensure_order(&db, &catalog, partner_id, &BASE, today, &Extras::default()).await?;
    let mut base = base;
    if base.lines.iter().any(|l| l.registration.is_none()) {
        for line in base.lines.iter().filter(|l| l.registration.is_none()) {
            register(&db, &catalog, &line.registration_key, account_id).await?;
        }
        base = orders::find_order(&db, base.id)
            .await?
            .ok_or_else(|| error("the demo base order vanished"))?;
    }
    let held = accounts::products_of_account(&db, account_id).await?;
    let code_of = |sku: &str| -> Result<ActivationCode, BoxError> {
        let code = held
            .lines
            .iter()
            .flat_map(|l| &l.activation_codes)
            .find(|c| c.sku == sku)
            .ok_or_else(|| error(format!("the demo account holds no {sku} code")))?;
        ActivationCode::parse(&code.code).map_err(|e| error(e.to_string()))
    };
    let extras = Extras {
        renews: Some(code_of("SMEX")?),
        retained: Some(("A1", code_of("A1")?)),
    };

    let mut orders = vec![(base, BASE.description)];
    for spec in CUSTOMER_ORDERS {
        let order = ensure_order(&db, &catalog, partner_id, spec, today, &extras).await?;
        orders.push((order, spec.description));
    }
    print_report(&mut out, config, &catalog, &orders);
    Ok(out)
}

async fn ensure_partner(db: &Database, out: &mut String) -> Result<i64, BoxError> {
    if let Some(partner) = partners::find_by_client_id(db, DEMO_CLIENT_ID).await? {
        let _ = writeln!(
            out,
            "Demo partner: client_id {DEMO_CLIENT_ID} (its secret was printed when it was \
             created; `clp-server partner create --name NAME` makes a new one)"
        );
        return Ok(partner.id);
    }
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let to_hash = secret.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&to_hash)).await??;
    let partner = partners::create(
        db,
        &NewPartner {
            name: "Demo Distributor".to_owned(),
            client_id: DEMO_CLIENT_ID.to_owned(),
            client_secret_hash: hash,
            scopes: ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
        },
        Utc::now(),
    )
    .await?;
    let _ = writeln!(
        out,
        "Demo partner created: client_id {DEMO_CLIENT_ID}, client_secret {secret} (shown only now)"
    );
    Ok(partner.id)
}

async fn ensure_account(db: &Database) -> Result<AccountId, BoxError> {
    if let Some(account) = accounts::find_by_email(db, DEMO_EMAIL).await? {
        return Ok(account.id);
    }
    let hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD)).await??;
    let account = accounts::create_simplified(
        db,
        &NewSimplifiedAccount {
            email: DEMO_EMAIL.to_owned(),
            password_hash: hash,
            full_name: "Dana Demo".to_owned(),
            company: "Acme Corporation".to_owned(),
            country: "US".to_owned(),
            language: clp_domain::Lang::En,
        },
        Utc::now(),
    )
    .await
    .map_err(|e| error(e.to_string()))?;
    accounts::mark_email_verified(db, account.id).await?;
    Ok(account.id)
}

/// Codes of the demo account that orders refer to.
#[derive(Default)]
struct Extras {
    /// The code a renewal line renews.
    renews: Option<ActivationCode>,
    /// `(component sku, code)` retained by a suite line.
    retained: Option<(&'static str, ActivationCode)>,
}

async fn ensure_order(
    db: &Database,
    catalog: &Catalog,
    partner_id: i64,
    spec: &DemoOrder,
    today: NaiveDate,
    extras: &Extras,
) -> Result<Order, BoxError> {
    if let Some(order) = orders::find_order_by_number(db, partner_id, spec.number).await? {
        return Ok(order);
    }
    let renewal = spec.order_type == OrderType::Renewal;
    let (term_start, term_end) = if renewal {
        (
            today + Duration::days(335),
            today + Duration::days(335 + 365),
        )
    } else {
        (today - Duration::days(30), today + Duration::days(335))
    };
    let mut lines = Vec::with_capacity(spec.lines.len());
    for (sku, seats) in spec.lines {
        let product = catalog
            .get(sku)
            .ok_or_else(|| error(format!("{sku} is not in the catalog")))?;
        let components = product
            .components
            .iter()
            .map(|component| SuiteComponent {
                sku: component.clone(),
                retained_ac: extras
                    .retained
                    .as_ref()
                    .filter(|(retained, _)| retained == component)
                    .map(|(_, code)| code.clone()),
            })
            .collect();
        lines.push(NewLine {
            sku: (*sku).to_owned(),
            seats: *seats,
            term_start,
            term_end,
            registration_key: RegistrationKey::generate(&product.key_prefix, &mut rand::rng())
                .map_err(|e| error(e.to_string()))?,
            components,
            renews_ac: if renewal { extras.renews.clone() } else { None },
        });
    }
    let txn = sea_orm::TransactionTrait::begin(db).await?;
    let order = orders::insert_order(
        &txn,
        &NewOrder {
            partner_id,
            order_number: spec.number.to_owned(),
            order_type: spec.order_type,
            // Today: the demo account's codes, registered while seeding, count as registered
            // by the purchase, so DEMO-CUP is a cross grade.
            purchase_date: today,
            end_customer: end_customer(),
            lines,
        },
        Utc::now(),
    )
    .await?;
    txn.commit().await?;
    Ok(order)
}

async fn register(
    db: &Database,
    catalog: &Catalog,
    key: &RegistrationKey,
    account_id: AccountId,
) -> Result<(), BoxError> {
    let notice = |registration: &LegacyRegistration| {
        let line = &registration.line;
        MailPayload::new(
            registration.account.email.clone(),
            registration.account.language,
            MailTemplate::RegistrationNotice(RegistrationNoticeMail {
                order_number: registration.order.order_number.clone(),
                full_name: registration.account.full_name.clone(),
                renewal: line.renewal,
                products: vec![MailProduct {
                    sku: line.sku.clone(),
                    product_name: catalog.name_of(&line.sku).to_owned(),
                    seats: line.seats,
                    term_start: Some(line.term_start),
                    term_end: Some(line.term_end),
                    activation_codes: line
                        .activation_codes
                        .iter()
                        .map(|c| c.as_str().to_owned())
                        .collect(),
                    saas_service: line.saas_service.clone(),
                }],
            }),
        )
        .outbox_message()
    };
    match activations::register_legacy(db, catalog, key, account_id, None, Utc::now(), notice).await
    {
        Ok(_) => Ok(()),
        Err(RegistrationError::Restricted(conflict)) => Err(error(format!(
            "cannot register a demo line: {}",
            conflict.code()
        ))),
        Err(e) => Err(Box::new(e)),
    }
}

fn print_report(out: &mut String, config: &Config, catalog: &Catalog, orders: &[(Order, &str)]) {
    let base = config.public_url.trim_end_matches('/');
    let _ = writeln!(out, "Demo account: {DEMO_EMAIL} / {DEMO_PASSWORD}");
    let _ = writeln!(out);
    for (order, description) in orders {
        let flow = match flow_for(order, catalog) {
            Flow::AccountBased => "account based",
            Flow::Legacy => "legacy",
        };
        let _ = writeln!(
            out,
            "{} ({}, {flow}): {description}",
            order.order_number,
            order.order_type.as_str()
        );
        for line in &order.lines {
            let state = if line.registration.is_some() {
                "registered"
            } else {
                "unregistered"
            };
            let _ = writeln!(
                out,
                "  {:<11} {:>4} seats  {}  {state}",
                line.sku, line.seats, line.registration_key
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "App         {base}/   (enter a key at {base}/FullRegistration?T=TM)"
    );
    let _ = writeln!(out, "Swagger UI  {base}/docs/");
}
