//! `/products`: every product and service of the signed-in account.

use crate::router::Link;
use clp_api_types::{ProductItem, ProductsResponse, XdrStatus};
use leptos::prelude::*;

use crate::api;
use crate::components::lines::{CodeList, XdrBadges};
use crate::components::problem::ProblemView;
use crate::components::sign_in_form::SignInForm;
use crate::i18n::format;
use crate::state::{use_i18n, use_session};
use crate::t;

/// The signed-in customer's activated products and services (or a sign-in prompt).
#[component]
pub fn Products() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let body = move || {
        if !session.is_known() {
            return view! { <p>{t!(i18n, loading)}</p> }.into_any();
        }
        match session.account() {
            Some(account) => view! { <ProductList account_id=account.account_id /> }.into_any(),
            None => view! {
                <p>{t!(i18n, products_sign_in_prompt)}</p>
                <SignInForm id_prefix="products-sign-in" heading_level=2 />
            }
            .into_any(),
        }
    };
    view! {
        <section class="page products">
            <h1>{t!(i18n, products_heading)}</h1>
            {body}
        </section>
    }
}

/// The account's products, loaded once per account.
#[component]
fn ProductList(account_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    // `account_id` is part of the component's identity: a different account remounts it.
    let _ = account_id;
    let products = LocalResource::new(api::my_products);
    let content = move || {
        products.get().map(|result| match result {
            Ok(ProductsResponse { products, xdr }) => view! {
                <XdrSection xdr />
                {products.is_empty().then(|| view! {
                    <p>{t!(i18n, products_empty)}</p>
                    <p><Link href="/">{t!(i18n, products_activate_link)}</Link></p>
                })}
                <ul class="cards product-list">
                    {products.into_iter().map(|product| view! { <ProductCard product /> }).collect_view()}
                </ul>
            }
            .into_any(),
            Err(failure) => view! {
                <ProblemView failure retry=Callback::new(move |()| products.refetch()) />
            }
            .into_any(),
        })
    };
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {content}
        </Transition>
    }
}

/// The account's Trend Micro XDR status and console button.
#[component]
fn XdrSection(xdr: XdrStatus) -> impl IntoView {
    let i18n = use_i18n();
    let body = match (xdr.enabled, xdr.console_url, xdr.region) {
        (true, Some(url), Some(region)) => view! {
            <p>{i18n.fmt(move |m, _| (m.xdr_enabled)(m.regions.get(region)))}</p>
            <a class="button" href=url target="_blank" rel="noopener noreferrer">
                {t!(i18n, open_console)}
                <span class="visually-hidden">" "{t!(i18n, opens_new_tab)}</span>
            </a>
        }
        .into_any(),
        _ => view! { <p>{t!(i18n, xdr_not_enabled)}</p> }.into_any(),
    };
    view! {
        <section class="panel xdr" aria-labelledby="xdr-heading">
            <h2 id="xdr-heading">{t!(i18n, xdr_heading)}</h2>
            {body}
        </section>
    }
}

/// One product or service.
#[component]
fn ProductCard(product: ProductItem) -> impl IntoView {
    let i18n = use_i18n();
    let ProductItem {
        product_name,
        delivery,
        seats,
        term_start,
        term_end,
        activation_codes,
        status,
        xdr_addon,
        xdr_related,
        saas_service,
        order_number,
        ..
    } = product;
    let status_class = format!(
        "status status-{}",
        if status == clp_api_types::ProductStatus::Active {
            "active"
        } else {
            "expired"
        }
    );
    view! {
        <li class="card product">
            <h2 class="card-title">
                <span class="product-name">{product_name}</span>
                <XdrBadges xdr_addon xdr_related />
            </h2>
            <dl class="facts">
                <div><dt>{t!(i18n, status_label)}</dt><dd><span class=status_class>{i18n.pick(move |m| m.statuses.get(status))}</span></dd></div>
                <div><dt>{t!(i18n, seats_label)}</dt><dd>{i18n.fmt(move |_, lang| format::number(lang, u64::from(seats)))}</dd></div>
                <div><dt>{t!(i18n, term_label)}</dt><dd>{i18n.fmt(move |_, lang| format::term(lang, term_start, term_end))}</dd></div>
                <div><dt>{t!(i18n, delivery_label)}</dt><dd>{i18n.pick(move |m| m.delivery.get(delivery))}</dd></div>
                {saas_service.map(|service| view! { <div><dt>{t!(i18n, service_label)}</dt><dd>{service}</dd></div> })}
                <div><dt>{t!(i18n, order_label)}</dt><dd>{order_number}</dd></div>
            </dl>
            {(!activation_codes.is_empty()).then(|| view! {
                <p class="codes-label">{t!(i18n, ac_label)}</p>
                <CodeList codes=activation_codes />
            })}
        </li>
    }
}
