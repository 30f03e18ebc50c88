//! `/signin`: the header's sign-in page; afterwards the customer goes to My products.

use leptos::prelude::*;

use crate::components::sign_in_form::SignInForm;
use crate::router::use_location;
use crate::state::use_i18n;
use crate::t;

/// Sign in, then My products.
#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let on_signed_in = Callback::new(move |_| location.navigate("/products"));
    view! {
        <section class="page sign-in-page">
            <h1>{t!(i18n, sign_in_page_heading)}</h1>
            <p>{t!(i18n, sign_in_page_intro)}</p>
            <SignInForm id_prefix="page-sign-in" heading_level=2 on_signed_in />
        </section>
    }
}
