//! The Trend Micro XDR pop-up: a modal dialog with the console link.
//!
//! Focus moves into the dialog when it opens, Tab and Shift+Tab cycle inside it, and Esc or
//! Close closes it and returns focus to where it was (or to `<main>`).

use clp_api_types::RegionCode;
use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::use_i18n;
use crate::t;

/// The modal; rendered while `open` is true.
#[component]
pub fn XdrDialog(
    /// Whether the dialog is shown.
    open: RwSignal<bool>,
    /// The console of the account's region.
    console_url: String,
    /// The account's region.
    region: RegionCode,
) -> impl IntoView {
    let i18n = use_i18n();
    let first = NodeRef::<html::A>::new();
    let last = NodeRef::<html::Button>::new();
    let return_to = StoredValue::new_local(None::<web_sys::HtmlElement>);

    // Runs when the dialog's first control is in the document: remember the opener, move focus.
    Effect::new(move |_| {
        if let Some(link) = first.get() {
            let active = document()
                .active_element()
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            return_to.set_value(active);
            let _ = link.focus();
        }
    });

    let close = move || {
        open.set(false);
        let target = return_to
            .get_value()
            .filter(|el| el.is_connected() && el.tag_name() != "BODY")
            .or_else(|| {
                document()
                    .get_element_by_id("main")
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            });
        if let Some(el) = target {
            let _ = el.focus();
        }
    };

    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            close();
        }
        "Tab" => {
            let (Some(first_el), Some(last_el)) = (first.get_untracked(), last.get_untracked())
            else {
                return;
            };
            let active = document().active_element();
            let is = |el: &web_sys::Element| active.as_ref().is_some_and(|a| a == el);
            let first_el: &web_sys::Element = first_el.as_ref();
            let last_el: &web_sys::Element = last_el.as_ref();
            if ev.shift_key() {
                if is(first_el)
                    || !active
                        .as_ref()
                        .is_some_and(|a| a == first_el || a == last_el)
                {
                    ev.prevent_default();
                    if let Some(el) = last_el.dyn_ref::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            } else if is(last_el)
                || !active
                    .as_ref()
                    .is_some_and(|a| a == first_el || a == last_el)
            {
                ev.prevent_default();
                if let Some(el) = first_el.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }
        _ => {}
    };

    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop">
                <div
                    class="modal"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="xdr-dialog-title"
                    aria-describedby="xdr-dialog-body"
                    on:keydown=on_keydown
                >
                    <h2 id="xdr-dialog-title">{t!(i18n, dialog_title)}</h2>
                    <p id="xdr-dialog-body">{i18n.fmt(move |m, _| (m.dialog_body)(m.regions.get(region)))}</p>
                    <div class="actions">
                        <a
                            node_ref=first
                            class="button"
                            href=console_url.clone()
                            target="_blank"
                            rel="noopener noreferrer"
                        >
                            {t!(i18n, open_console)}
                            <span class="visually-hidden">" "{t!(i18n, opens_new_tab)}</span>
                        </a>
                        <button node_ref=last type="button" class="button secondary" on:click=move |_| close()>
                            {t!(i18n, close)}
                        </button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
