//! My account: change the email address (takes effect when the link sent to the new address
//! is opened).

use leptos::prelude::*;

use crate::api;
use crate::components::form_field::FormField;
use crate::components::form_problem::{FormProblem, account_labels};
use crate::components::problem::failure_of;
use crate::state::{use_announcer, use_i18n};
use crate::t;

/// The change-email form.
#[component]
pub fn EmailSection(
    /// The account's address now.
    email: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let announcer = use_announcer();
    let new_email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sent_to = RwSignal::new(None::<String>);

    let change = Action::new_local(move |(address, typed_password): &(String, String)| {
        let (address, typed_password) = (address.clone(), typed_password.clone());
        async move {
            let accepted = api::change_email(&address, &typed_password).await?;
            password.set(String::new());
            new_email.set(String::new());
            announcer.say((i18n.m().email_change_sent)(&accepted.new_email));
            sent_to.set(Some(accepted.new_email));
            Ok(())
        }
    });
    let pending = change.pending();
    let failure = failure_of(change);
    let submit = move || {
        if !pending.get_untracked() {
            sent_to.set(None);
            change.dispatch((
                new_email.get_untracked().trim().to_owned(),
                password.get_untracked(),
            ));
        }
    };
    view! {
        <form
            class="panel account-section"
            aria-labelledby="email-heading"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <h2 id="email-heading">{t!(i18n, email_heading)}</h2>
            <p class="wrap">{i18n.fmt(move |m, _| (m.current_email)(&email))}</p>
            <FormField id="email-new" label=t!(i18n, new_email_label) value=new_email kind="email" autocomplete="email" />
            <FormField id="email-password" label=t!(i18n, password_label) value=password kind="password" autocomplete="current-password" />
            {move || failure.get().map(|f| view! {
                <FormProblem failure=f labels=account_labels retry=Callback::new(move |()| submit()) />
            })}
            {move || sent_to.get().map(|address| view! {
                <p class="success wrap">{i18n.fmt(move |m, _| (m.email_change_sent)(&address))}</p>
            })}
            <button type="submit" class="button" disabled=move || pending.get()>
                {i18n.pick(move |m| if pending.get() { m.submitting } else { m.email_button })}
            </button>
        </form>
    }
}
