//! The app shell: context, header, routes, footer and the polite live region.

use leptos::prelude::*;

use crate::components::header::SiteHeader;
use crate::pages;
use crate::router::provide_location;
use crate::state::{provide_announcer, provide_i18n, provide_session};
use crate::t;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    provide_session();
    let announcer = provide_announcer();
    let location = provide_location();
    // Same path, same page: a link to the current page keeps its state.
    let path = Memo::new(move |_| location.path());
    let page = move || match path.get().trim_end_matches('/') {
        // `/FullRegistration?T=TM` is the address on license certificates; `T` is ignored.
        "" | "/FullRegistration" => view! { <pages::wizard::Wizard /> }.into_any(),
        "/activate/verify" => view! { <pages::activate_verify::ActivateVerify /> }.into_any(),
        "/products" => view! { <pages::products::Products /> }.into_any(),
        "/signin" => view! { <pages::sign_in::SignIn /> }.into_any(),
        "/verify-email" => view! { <pages::verify_email::VerifyEmail /> }.into_any(),
        // Accounts (issue 15).
        "/account" => view! { <pages::account::Account /> }.into_any(),
        "/forgot-password" => view! { <pages::forgot_password::ForgotPassword /> }.into_any(),
        "/reset-password" => view! { <pages::reset_password::ResetPassword /> }.into_any(),
        _ => view! { <pages::not_found::NotFound /> }.into_any(),
    };
    view! {
            <SiteHeader />
            <main id="main" tabindex="-1">
                {page}
            </main>
            <footer class="site-footer">
                <p>{t!(i18n, footer)}</p>
            </footer>
            <div class="visually-hidden" role="status" aria-live="polite">
                {move || announcer.message()}
            </div>
    }
}
