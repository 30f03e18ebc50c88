//! The site header: app name, navigation, language switch, sign in / sign out.

use crate::router::Link;
use leptos::prelude::*;

use crate::i18n::Lang;
use crate::state::{use_i18n, use_session};
use crate::t;

/// The header shown on every page.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let on_language = move |ev: leptos::ev::Event| {
        if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
            i18n.set(lang);
        }
    };
    let account = move || {
        if !session.is_known() {
            return None;
        }
        Some(match session.account() {
            Some(account) => view! {
                <span class="who">{i18n.fmt(move |m, _| (m.signed_in_as)(&account.email))}</span>
                <button type="button" class="button secondary small" on:click=move |_| session.sign_out()>
                    {t!(i18n, sign_out)}
                </button>
            }
            .into_any(),
            None => view! { <Link href="/signin" class="button secondary small">{t!(i18n, sign_in_link)}</Link> }
                .into_any(),
        })
    };
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_link)}</a>
        <header class="site-header">
            <Link href="/" class="brand">{t!(i18n, app_name)}</Link>
            <nav aria-label=t!(i18n, nav_label) class="main-nav">
                <Link href="/" also=&["/FullRegistration"] mark_current=true>{t!(i18n, nav_activate)}</Link>
                <Link href="/products" mark_current=true>{t!(i18n, nav_products)}</Link>
                {move || session.account().is_some().then(|| view! {
                    <Link href="/account" mark_current=true>{t!(i18n, nav_account)}</Link>
                })}
            </nav>
            <div class="header-tools">
                <div class="lang-switch">
                    <label for="lang-select">{t!(i18n, language_label)}</label>
                    <select id="lang-select" on:change=on_language prop:value=move || i18n.lang().code()>
                        {Lang::ALL
                            .into_iter()
                            .map(|lang| {
                                view! {
                                    <option value=lang.code() lang=lang.code() selected=move || i18n.lang() == lang>
                                        {lang.native_name()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="session">{account}</div>
            </div>
        </header>
    }
}
