//! `/reset-password?token=...`: the page the password reset email links to.
//!
//! Takes the token out of the address bar, asks for the new password (its rules shown before
//! submitting) and sends both once. A used or expired link (410 `link_expired`) says so and
//! leads to a new one.

use clp_api_types::ErrorCode;
use leptos::prelude::*;

use crate::api;
use crate::components::form_problem::{FormProblem, account_labels};
use crate::components::problem::failure_of;
use crate::router::{Link, query_param, replace_address};
use crate::state::{use_announcer, use_i18n};
use crate::t;

/// Sets a new password with the emailed link.
#[component]
pub fn ResetPassword() -> impl IntoView {
    let i18n = use_i18n();
    let announcer = use_announcer();

    let token = query_param("token").filter(|token| !token.trim().is_empty());
    if token.is_some() {
        // The token is a credential: keep it out of the history and the address bar.
        replace_address("/reset-password");
    }
    let token = StoredValue::new(token);
    let password = RwSignal::new(String::new());
    let done = RwSignal::new(false);

    let confirm = Action::new_local(move |(token, new_password): &(String, String)| {
        let (token, new_password) = (token.clone(), new_password.clone());
        async move {
            api::confirm_password_reset(&token, &new_password).await?;
            password.set(String::new());
            announcer.say(i18n.m().reset_done_heading.to_owned());
            done.set(true);
            Ok(())
        }
    });
    let pending = confirm.pending();
    let failure = failure_of(confirm);
    let expired = Signal::derive(move || {
        failure.with(|f| f.as_ref().and_then(api::ApiFailure::code) == Some(ErrorCode::LinkExpired))
    });
    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        if let Some(token) = token.get_value() {
            confirm.dispatch((token, password.get_untracked()));
        }
    };

    let body = move || {
        if done.get() {
            return view! {
                <div class="panel">
                    <h2>{t!(i18n, reset_done_heading)}</h2>
                    <p>{t!(i18n, reset_done_body)}</p>
                    <div class="actions">
                        <Link href="/signin" class="button">{t!(i18n, sign_in_link)}</Link>
                    </div>
                </div>
            }
            .into_any();
        }
        if token.with_value(Option::is_none) {
            return view! {
                <div class="problem" role="alert" data-code=ErrorCode::NotFound.as_str()>
                    <p class="problem-title">{t!(i18n, reset_missing_token)}</p>
                </div>
                <div class="actions">
                    <Link href="/forgot-password" class="button">{t!(i18n, reset_new_link)}</Link>
                </div>
            }
            .into_any();
        }
        if expired.get() {
            return view! {
                <div class="problem" role="alert" data-code=ErrorCode::LinkExpired.as_str()>
                    <p class="problem-title">{t!(i18n, reset_expired_title)}</p>
                    <p class="problem-remedy">{t!(i18n, reset_expired_remedy)}</p>
                </div>
                <div class="actions">
                    <Link href="/forgot-password" class="button">{t!(i18n, reset_new_link)}</Link>
                </div>
            }
            .into_any();
        }
        view! {
            <form
                class="panel"
                aria-labelledby="reset-heading"
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }
            >
                <div class="field">
                    <label for="reset-new-password">{t!(i18n, new_password_label)}</label>
                    <p id="reset-password-rules" class="help">{t!(i18n, password_rules)}</p>
                    <input
                        id="reset-new-password"
                        type="password"
                        autocomplete="new-password"
                        minlength="12"
                        maxlength="1024"
                        required
                        aria-describedby="reset-password-rules"
                        prop:value=password
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                {move || failure.get().map(|f| view! {
                    <FormProblem failure=f labels=account_labels retry=Callback::new(move |()| submit()) />
                })}
                <button type="submit" class="button" disabled=move || pending.get()>
                    {i18n.pick(move |m| if pending.get() { m.submitting } else { m.reset_button })}
                </button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="page reset-password">
            <h1 id="reset-heading">{t!(i18n, reset_heading)}</h1>
            {body}
        </section>
    }
}
