//! A small client-side router for the app's six pages.
//!
//! The app needs only the path (one page per path), one query parameter (`token`) and links
//! that change the path without reloading; a hand-written router does that in a fraction of the
//! wasm that a general router costs. The server serves `index.html` for every page path, so deep
//! links work on reload.

use leptos::ev;
use leptos::prelude::*;

/// The current path, following links, `history.back()` and forward.
#[derive(Debug, Clone, Copy)]
pub struct Location {
    path: RwSignal<String>,
}

impl Location {
    /// The current path, e.g. `/products` (reactive).
    pub fn path(&self) -> String {
        self.path.get()
    }

    /// Goes to `to` (a path of this app), adding a history entry.
    pub fn navigate(&self, to: &str) {
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to));
        }
        self.path.set(path_of(to));
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The path part of an address (no query, no fragment).
fn path_of(href: &str) -> String {
    let end = href.find(['?', '#']).unwrap_or(href.len());
    href[..end].to_owned()
}

fn current_path() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".to_owned())
}

/// Creates the location state and follows the browser's back and forward buttons.
pub fn provide_location() -> Location {
    let location = Location {
        path: RwSignal::new(current_path()),
    };
    let handle = window_event_listener(ev::popstate, move |_| location.path.set(current_path()));
    // The listener lives as long as the app.
    std::mem::forget(handle);
    provide_context(location);
    location
}

/// The app's location.
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// A query parameter of the current address, e.g. `token` of `/activate/verify?token=...`.
pub fn query_param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// Replaces the current address without a new history entry (e.g. to drop a token from it).
pub fn replace_address(to: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to));
    }
}

/// A link to a page of the app: changes the page without a reload, and carries
/// `aria-current="page"` when it points at the current page.
#[component]
pub fn Link(
    /// The path to go to.
    href: &'static str,
    /// CSS classes.
    #[prop(optional)]
    class: &'static str,
    /// Other paths that count as this link's page (e.g. `/FullRegistration` for `/`).
    #[prop(optional)]
    also: &'static [&'static str],
    /// Whether to mark the link as the current page.
    #[prop(optional)]
    mark_current: bool,
    /// The link text.
    children: Children,
) -> impl IntoView {
    let location = use_location();
    let current = move || {
        let path = location.path();
        (mark_current && (path == href || also.contains(&path.as_str()))).then_some("page")
    };
    let on_click = move |ev: ev::MouseEvent| {
        if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) {
            ev.prevent_default();
            location.navigate(href);
        }
    };
    view! {
        <a href=href class=class aria-current=current on:click=on_click>
            {children()}
        </a>
    }
}
