//! A labelled input of the account forms: required unless marked optional (and then labelled
//! so), with its help text (e.g. the password rules) shown before submitting.

use leptos::prelude::*;

use crate::state::use_i18n;
use crate::t;

/// One labelled input bound to a signal.
#[component]
pub fn FormField(
    /// The input's id (unique on the page).
    id: &'static str,
    /// The label.
    label: Signal<&'static str>,
    /// The value.
    value: RwSignal<String>,
    /// The input's `type`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The input's `autocomplete`.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Help shown under the label (linked with `aria-describedby`).
    #[prop(optional)]
    help: Option<Signal<&'static str>>,
    /// Not required: the label says "(optional)".
    #[prop(optional)]
    optional: bool,
    /// The least number of characters (checked by the browser before submitting too).
    #[prop(optional)]
    minlength: Option<u32>,
    /// The most characters.
    #[prop(optional)]
    maxlength: Option<u32>,
    /// The input's `inputmode` (e.g. `numeric` for a 6-digit code).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let help_id = format!("{id}-help");
    let described = help.is_some().then(|| help_id.clone());
    view! {
        <div class="field">
            <label for=id>
                {label}
                {optional.then(|| view! { " "<span class="optional">{t!(i18n, optional_mark)}</span> })}
            </label>
            {help.map(|help| view! { <p id=help_id.clone() class="help">{help}</p> })}
            <input
                id=id
                type=kind
                autocomplete=autocomplete
                required=!optional
                minlength=minlength.map(|n| n.to_string())
                maxlength=maxlength.map(|n| n.to_string())
                inputmode=inputmode
                aria-describedby=described
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}
