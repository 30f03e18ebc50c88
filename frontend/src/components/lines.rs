//! Order lines: as previewed (before registration) and as registered (with their codes).

use clp_api_types::{PreviewLine, RegisteredLine};
use leptos::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::i18n::format;
use crate::state::use_i18n;
use crate::t;

/// The XDR badges of a product.
#[component]
pub fn XdrBadges(
    /// An XDR add-on.
    xdr_addon: bool,
    /// An XDR-related endpoint product.
    xdr_related: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {xdr_addon.then(|| view! { <span class="badge badge-xdr">{t!(i18n, badge_xdr_addon)}</span> })}
        {xdr_related.then(|| view! { <span class="badge badge-related">{t!(i18n, badge_xdr_related)}</span> })}
    }
}

/// A list of activation codes, each with a Copy button.
#[component]
pub fn CodeList(
    /// The codes.
    codes: Vec<String>,
) -> impl IntoView {
    view! {
        <ul class="codes">
            {codes
                .into_iter()
                .map(|code| view! {
                    <li>
                        <code class="key">{code.clone()}</code>
                        <CopyButton code=code />
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

/// One unregistered line of a previewed order.
#[component]
pub fn PreviewLineCard(
    /// The line.
    line: PreviewLine,
) -> impl IntoView {
    let i18n = use_i18n();
    let PreviewLine {
        product_name,
        seats,
        term_start,
        term_end,
        delivery,
        xdr_addon,
        xdr_related,
        components,
        ..
    } = line;
    let has_components = !components.is_empty();
    let components = components.join(", ");
    view! {
        <li class="card line">
            <h3 class="card-title">
                <span class="product-name">{product_name}</span>
                <XdrBadges xdr_addon xdr_related />
            </h3>
            <dl class="facts">
                <div><dt>{t!(i18n, seats_label)}</dt><dd>{i18n.fmt(move |_, lang| format::number(lang, u64::from(seats)))}</dd></div>
                <div><dt>{t!(i18n, term_label)}</dt><dd>{i18n.fmt(move |_, lang| format::term(lang, term_start, term_end))}</dd></div>
                <div><dt>{t!(i18n, delivery_label)}</dt><dd>{i18n.pick(move |m| m.delivery.get(delivery))}</dd></div>
                {has_components.then(|| view! {
                    <div><dt>{t!(i18n, components_label)}</dt><dd>{components}</dd></div>
                })}
            </dl>
        </li>
    }
}

/// One registered line with its activation codes.
#[component]
pub fn RegisteredLineCard(
    /// The line.
    line: RegisteredLine,
) -> impl IntoView {
    let i18n = use_i18n();
    let RegisteredLine {
        product_name,
        seats,
        term_start,
        term_end,
        delivery,
        activation_codes,
        saas_service,
        ..
    } = line;
    view! {
        <li class="card line">
            <h3 class="card-title"><span class="product-name">{product_name}</span></h3>
            <dl class="facts">
                <div><dt>{t!(i18n, seats_label)}</dt><dd>{i18n.fmt(move |_, lang| format::number(lang, u64::from(seats)))}</dd></div>
                <div><dt>{t!(i18n, term_label)}</dt><dd>{i18n.fmt(move |_, lang| format::term(lang, term_start, term_end))}</dd></div>
                <div><dt>{t!(i18n, delivery_label)}</dt><dd>{i18n.pick(move |m| m.delivery.get(delivery))}</dd></div>
                {saas_service.map(|service| view! {
                    <div><dt>{t!(i18n, service_label)}</dt><dd>{service}</dd></div>
                })}
            </dl>
            {(!activation_codes.is_empty()).then(|| view! {
                <p class="codes-label">{t!(i18n, ac_label)}</p>
                <CodeList codes=activation_codes />
            })}
        </li>
    }
}
