//! `/activate/verify`: the page the verification email links to.

use leptos::prelude::*;

/// Completes a pending activation once the customer opens the emailed link.
#[component]
pub fn ActivateVerify() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Verify your email"</h1>
            <p>"Open the link in the email we sent you to complete the activation."</p>
        </section>
    }
}
