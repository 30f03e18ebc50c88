//! `/forgot-password`: asks for a password reset link by email.
//!
//! The server answers the same whether or not an account has the address, and so does this
//! page: one confirmation text naming the address typed.

use leptos::prelude::*;

use crate::api;
use crate::components::form_problem::{FormProblem, account_labels};
use crate::components::problem::failure_of;
use crate::router::Link;
use crate::state::{use_announcer, use_i18n};
use crate::t;

/// The "Forgot password?" page.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let i18n = use_i18n();
    let announcer = use_announcer();
    let email = RwSignal::new(String::new());
    let sent_to = RwSignal::new(None::<String>);

    let request = Action::new_local(move |address: &String| {
        let address = address.clone();
        async move {
            api::request_password_reset(&address).await?;
            announcer.say(i18n.m().forgot_sent_heading.to_owned());
            sent_to.set(Some(address));
            Ok(())
        }
    });
    let pending = request.pending();
    let failure = failure_of(request);
    let submit = move || {
        if !pending.get_untracked() {
            request.dispatch(email.get_untracked().trim().to_owned());
        }
    };

    let body = move || {
        match sent_to.get() {
        Some(address) => view! {
            <div class="panel">
                <h2>{t!(i18n, forgot_sent_heading)}</h2>
                <p class="wrap">{i18n.fmt(move |m, _| (m.forgot_sent_to)(&address))}</p>
                <div class="actions">
                    <Link href="/signin" class="button">{t!(i18n, back_to_sign_in)}</Link>
                </div>
            </div>
        }
        .into_any(),
        None => view! {
            <form
                class="panel"
                aria-labelledby="forgot-heading"
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }
            >
                <p>{t!(i18n, forgot_intro)}</p>
                <div class="field">
                    <label for="forgot-email">{t!(i18n, email_label)}</label>
                    <input
                        id="forgot-email"
                        type="email"
                        autocomplete="email"
                        required
                        prop:value=email
                        on:input=move |ev| email.set(event_target_value(&ev))
                    />
                </div>
                {move || failure.get().map(|f| view! {
                    <FormProblem failure=f labels=account_labels retry=Callback::new(move |()| submit()) />
                })}
                <button type="submit" class="button" disabled=move || pending.get()>
                    {i18n.pick(move |m| if pending.get() { m.submitting } else { m.forgot_button })}
                </button>
                <p><Link href="/signin">{t!(i18n, back_to_sign_in)}</Link></p>
            </form>
        }
        .into_any(),
    }
    };
    view! {
        <section class="page forgot-password">
            <h1 id="forgot-heading">{t!(i18n, forgot_heading)}</h1>
            {body}
        </section>
    }
}
