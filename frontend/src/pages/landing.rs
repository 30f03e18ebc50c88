//! Registration landing (`/` and the legacy `/FullRegistration?T=TM` entry): enter a key.

use leptos::prelude::*;

/// Where a customer starts: enter any key from the license certificate.
#[component]
pub fn Landing() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Activate your products"</h1>
            <p>
                "Enter any registration key from your license certificate to see every product "
                "of the order and activate them together."
            </p>
        </section>
    }
}
