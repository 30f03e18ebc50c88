//! The fallback for paths no route matches.

use crate::router::Link;
use leptos::prelude::*;

use crate::state::use_i18n;
use crate::t;

/// Shown for any unknown path.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{t!(i18n, not_found_heading)}</h1>
            <p>{t!(i18n, not_found_body)}</p>
            <p><Link href="/">{t!(i18n, not_found_link)}</Link></p>
        </section>
    }
}
