//! `/FullRegistration`: the registration entry the license certificates and old links use
//! (`/FullRegistration?T=TM`).

use leptos::prelude::*;

/// Registration entry reached from a license certificate link.
#[component]
pub fn FullRegistration() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Product registration"</h1>
            <p>"Enter a registration key from your license certificate to register its order."</p>
        </section>
    }
}
