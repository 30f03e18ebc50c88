//! My account: change the password (the current one, then the new one with its rules).

use leptos::prelude::*;

use crate::api;
use crate::components::form_field::FormField;
use crate::components::form_problem::{FormProblem, account_labels};
use crate::components::problem::failure_of;
use crate::state::{use_announcer, use_i18n, use_session};
use crate::t;

/// The change-password form.
#[component]
pub fn PasswordSection() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let changed = RwSignal::new(false);

    let change = Action::new_local(move |(old, new): &(String, String)| {
        let (old, new) = (old.clone(), new.clone());
        async move {
            api::change_password(&old, &new).await?;
            current.set(String::new());
            new_password.set(String::new());
            changed.set(true);
            announcer.say(i18n.m().password_changed.to_owned());
            // Other sessions end; ask whether this one goes on (signed out otherwise).
            session.refresh();
            Ok(())
        }
    });
    let pending = change.pending();
    let failure = failure_of(change);
    let submit = move || {
        if !pending.get_untracked() {
            changed.set(false);
            change.dispatch((current.get_untracked(), new_password.get_untracked()));
        }
    };
    view! {
        <form
            class="panel account-section"
            aria-labelledby="password-heading"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <h2 id="password-heading">{t!(i18n, password_heading)}</h2>
            <FormField id="password-current" label=t!(i18n, current_password_label) value=current kind="password" autocomplete="current-password" />
            <FormField
                id="password-new"
                label=t!(i18n, new_password_label)
                help=t!(i18n, password_rules)
                value=new_password
                kind="password"
                autocomplete="new-password"
                minlength=12
                maxlength=1024
            />
            {move || failure.get().map(|f| view! {
                <FormProblem failure=f labels=account_labels retry=Callback::new(move |()| submit()) />
            })}
            {move || changed.get().then(|| view! { <p class="success">{t!(i18n, password_changed)}</p> })}
            <button type="submit" class="button" disabled=move || pending.get()>
                {i18n.pick(move |m| if pending.get() { m.submitting } else { m.password_button })}
            </button>
        </form>
    }
}
