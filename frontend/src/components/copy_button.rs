//! A Copy button for an activation code.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::state::{use_announcer, use_i18n};
use crate::t;

/// Copies `code` to the clipboard and says "Copied" politely.
#[component]
pub fn CopyButton(
    /// The activation code.
    code: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let announcer = use_announcer();
    let copied = RwSignal::new(false);
    let label_code = code.clone();
    let on_click = move |_| {
        let code = code.clone();
        // Not an `Action`: nothing is submitted and nothing waits for the clipboard (the button
        // stays enabled); the only state is the "Copied" note, set when the promise settles.
        spawn_local(async move {
            let promise = window().navigator().clipboard().write_text(&code);
            let m = i18n.m();
            match JsFuture::from(promise).await {
                Ok(_) => {
                    copied.set(true);
                    announcer.say(m.copied.to_owned());
                    set_timeout(move || copied.set(false), Duration::from_secs(3));
                }
                Err(_) => announcer.say(m.copy_failed.to_owned()),
            }
        });
    };
    view! {
        <button
            type="button"
            class="button secondary small copy"
            aria-label=i18n.fmt(move |m, _| (m.copy_label)(&label_code))
            on:click=on_click
        >
            {t!(i18n, copy)}
        </button>
        <span class="copied" aria-hidden="true">
            {move || copied.get().then(|| i18n.m().copied)}
        </span>
    }
}
