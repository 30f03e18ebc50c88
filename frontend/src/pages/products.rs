//! `/products`: what the signed-in account holds.

use leptos::prelude::*;

/// The signed-in customer's activated products and services.
#[component]
pub fn Products() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"My products and services"</h1>
            <p>"Sign in to see the products and services activated on your account."</p>
        </section>
    }
}
