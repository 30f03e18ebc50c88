//! `/products`: every product and service of the signed-in account, what needs attention
//! first (expired, then expiring), filtered by status and text, 25 a page, and as CSV.

use crate::router::Link;
use clp_api_types::{ProductItem, ProductStatus, ProductsResponse, XdrStatus};
use leptos::html;
use leptos::prelude::*;

use crate::api::{self, ApiFailure};
use crate::components::lines::{CodeList, XdrBadges};
use crate::components::problem::{ProblemView, failure_of};
use crate::components::sign_in_form::SignInForm;
use crate::i18n::format;
use crate::product_list::{self, FILTER_STATUSES, PAGE_SIZE, Row};
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
                {(!products.is_empty()).then(|| view! { <ProductBrowser products /> })}
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

/// The products, what needs attention first, with the filters, the pages and the CSV download.
#[component]
fn ProductBrowser(products: Vec<ProductItem>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = StoredValue::new(product_list::rows(products));
    let total = rows.with_value(Vec::len);
    let status = RwSignal::new(None::<ProductStatus>);
    let text = RwSignal::new(String::new());
    let page = RwSignal::new(0_usize);
    let matching = Memo::new(move |_| {
        let (status, text) = (status.get(), text.get());
        rows.with_value(|rows| product_list::matching(rows, status, &text))
    });
    let pages = Memo::new(move |_| product_list::page_count(matching.with(Vec::len)));
    // A filter that leaves fewer pages brings the page back within them.
    let current = Memo::new(move |_| page.get().min(pages.get() - 1));
    let shown_rows = move || {
        let first = current.get() * PAGE_SIZE;
        matching.with(|matching| {
            rows.with_value(|rows| {
                matching
                    .iter()
                    .skip(first)
                    .take(PAGE_SIZE)
                    .map(|&i| rows[i].clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    let summary = i18n.fmt(move |m, _| {
        let count = matching.with(Vec::len);
        let first = current.get() * PAGE_SIZE;
        let last = (first + PAGE_SIZE).min(count);
        (m.products_shown)((first + 1).min(count), last, count, total)
    });
    let list_top = NodeRef::<html::P>::new();
    let go = move |to: usize| {
        page.set(to);
        if let Some(el) = list_top.get_untracked() {
            // The new page starts at the list's summary: focus it, so a keyboard or screen
            // reader user is not left at the bottom.
            let _ = el.focus();
            el.scroll_into_view();
        }
    };

    view! {
        <section class="product-browser">
            <div class="products-toolbar" role="search" aria-label=t!(i18n, products_filter_label)>
                <div class="field">
                    <label for="products-status">{t!(i18n, products_status_filter_label)}</label>
                    <select
                        id="products-status"
                        on:change=move |ev| {
                            status.set(product_list::parse_status(&event_target_value(&ev)));
                            page.set(0);
                        }
                    >
                        <option value="" selected=move || status.get().is_none()>{t!(i18n, products_status_all)}</option>
                        {FILTER_STATUSES
                            .into_iter()
                            .map(|s| view! {
                                <option value=s.as_str() selected=move || status.get() == Some(s)>
                                    {i18n.pick(move |m| m.statuses.get(s))}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="products-text">{t!(i18n, products_text_filter_label)}</label>
                    <p id="products-text-help" class="help">{t!(i18n, products_text_filter_help)}</p>
                    <input
                        id="products-text"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="products-text-help"
                        prop:value=text
                        on:input=move |ev| {
                            text.set(event_target_value(&ev));
                            page.set(0);
                        }
                    />
                </div>
                <CsvDownload />
            </div>
            <p id="products-summary" class="products-summary" role="status" node_ref=list_top tabindex="-1">{summary}</p>
            {move || matching.with(Vec::is_empty).then(|| view! { <p>{t!(i18n, products_no_match)}</p> })}
            <ul class="cards product-list">
                {move || shown_rows().into_iter().map(|row| view! { <ProductCard row /> }).collect_view()}
            </ul>
            {move || (pages.get() > 1).then(|| view! {
                <nav class="pager" aria-label=t!(i18n, products_pages_label)>
                    <button
                        type="button"
                        class="button secondary"
                        disabled=move || current.get() == 0
                        on:click=move |_| go(current.get_untracked().saturating_sub(1))
                    >
                        {t!(i18n, products_previous_page)}
                    </button>
                    <p>{i18n.fmt(move |m, _| (m.products_page_of)(current.get() + 1, pages.get()))}</p>
                    <button
                        type="button"
                        class="button secondary"
                        disabled=move || { current.get() + 1 >= pages.get() }
                        on:click=move |_| go(current.get_untracked() + 1)
                    >
                        {t!(i18n, products_next_page)}
                    </button>
                </nav>
            })}
        </section>
    }
}

/// Downloads every product as CSV (`Accept: text/csv`), saved as a file through a Blob URL.
#[component]
fn CsvDownload() -> impl IntoView {
    let i18n = use_i18n();
    let download = Action::new_local(move |(): &()| async move {
        let blob = api::my_products_csv().await?;
        let name = format!("my-products-{}.csv", chrono::Utc::now().date_naive());
        save_file(&blob, &name).map_err(|e| ApiFailure::Network(format!("{e:?}")))
    });
    let pending = download.pending();
    let failure = failure_of(download);
    view! {
        <button
            type="button"
            class="button secondary"
            disabled=move || pending.get()
            on:click=move |_| {
                if !pending.get_untracked() {
                    download.dispatch(());
                }
            }
        >
            {i18n.pick(move |m| if pending.get() { m.products_downloading } else { m.products_download_csv })}
        </button>
        {move || failure.get().map(|f| view! { <ProblemView failure=f /> })}
    }
}

/// Saves `blob` as a file named `name`: a temporary object URL on a clicked `<a download>`.
fn save_file(blob: &web_sys::Blob, name: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast as _;
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The browser has taken the file once the click is handled; the URL can go after that.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
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

/// One product or service, with its status badge.
#[component]
fn ProductCard(row: Row) -> impl IntoView {
    let i18n = use_i18n();
    let Row { product, .. } = row;
    let ProductItem {
        product_name,
        delivery,
        seats,
        term_start,
        term_end,
        activation_codes,
        xdr_addon,
        xdr_related,
        saas_service,
        order_number,
        status,
        days_left,
        ..
    } = product;
    let status_class = format!("status status-{}", status.as_str());
    // The server's status and days left, as of its today.
    let status_text = i18n.fmt(move |m, _| match status {
        ProductStatus::Expiring => {
            format!("{} ({})", m.statuses.get(status), (m.days_left)(days_left))
        }
        other => m.statuses.get(other).to_owned(),
    });
    view! {
        <li class="card product" data-status=status.as_str()>
            <h2 class="card-title">
                <span class="product-name">{product_name}</span>
                <XdrBadges xdr_addon xdr_related />
            </h2>
            <dl class="facts">
                <div><dt>{t!(i18n, status_label)}</dt><dd><span class=status_class>{status_text}</span></dd></div>
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
