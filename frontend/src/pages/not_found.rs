//! The fallback for paths no route matches.

use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for any unknown path.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>
                "There is nothing at this address. " <A href="/">"Go to the activation page"</A>
                "."
            </p>
        </section>
    }
}
