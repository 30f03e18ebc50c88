//! The Open CLP single-page app: the router and its pages.
//!
//! Client-side rendered with Leptos; the server hands out `index.html` for every page path, so
//! a deep link such as `/activate/verify?token=...` reaches the right route.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

pub mod pages;

/// The whole app: a header, the routes and a footer.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="site-header">
                <A href="/" attr:class="brand">"Open CLP"</A>
                <nav aria-label="Main">
                    <A href="/FullRegistration">"Register"</A>
                    <A href="/products">"My products"</A>
                </nav>
            </header>
            <main id="main">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::landing::Landing />
                    <Route path=path!("/FullRegistration") view=pages::full_registration::FullRegistration />
                    <Route
                        path=path!("/activate/verify")
                        view=pages::activate_verify::ActivateVerify
                    />
                    <Route path=path!("/products") view=pages::products::Products />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"Open CLP: customer licensing portal"</p>
            </footer>
        </Router>
    }
}
