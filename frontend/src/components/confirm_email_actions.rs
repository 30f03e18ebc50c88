//! The "Check your email" step's ways forward: resend the link (the earlier one stops working)
//! or use a different email (the pending activation is cancelled).

use clp_api_types::{ActivationAccepted, ErrorCode};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::{self, ApiFailure};
use crate::components::problem::{ProblemView, failure_of};
use crate::state::{use_announcer, use_i18n};
use crate::t;

/// Resend and "Use a different email" for the pending activation `activation_id`.
#[component]
pub fn ConfirmEmailActions(
    /// The id of the pending activation (from the 202 of `POST /api/v1/activations`).
    activation_id: Uuid,
    /// Runs after a new link was sent, with the new expiry when the server told it.
    #[prop(into)]
    on_resent: Callback<Option<ActivationAccepted>>,
    /// Runs once the pending activation is cancelled: the wizard goes back to the account step.
    #[prop(into)]
    on_different_email: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let announcer = use_announcer();
    let sent = RwSignal::new(false);

    let resend = Action::new_local(move |(): &()| async move {
        let accepted = api::resend_activation(activation_id).await?;
        sent.set(true);
        announcer.say(i18n.m().resend_sent.to_owned());
        on_resent.run(accepted);
        Ok(())
    });
    let resending = resend.pending();
    let resend_failure = failure_of(resend);
    let too_many = Signal::derive(move || {
        resend_failure
            .with(|f| f.as_ref().and_then(ApiFailure::code) == Some(ErrorCode::RateLimited))
    });

    let cancel = Action::new_local(move |(): &()| async move {
        match api::cancel_activation(activation_id).await {
            // Gone already (expired or cancelled): nothing is pending either way.
            Ok(()) => {}
            Err(failure) if failure.code() == Some(ErrorCode::NotFound) => {}
            Err(failure) => return Err(failure),
        }
        on_different_email.run(());
        Ok(())
    });
    let cancelling = cancel.pending();
    let cancel_failure = failure_of(cancel);
    let busy = move || resending.get() || cancelling.get();

    view! {
        <div class="actions">
            <button
                type="button"
                class="button"
                disabled=busy
                on:click=move |_| {
                    sent.set(false);
                    resend.dispatch(());
                }
            >
                {i18n.pick(move |m| if resending.get() { m.submitting } else { m.resend_button })}
            </button>
            <button type="button" class="button secondary" disabled=busy on:click=move |_| { cancel.dispatch(()); }>
                {t!(i18n, different_email_button)}
            </button>
        </div>
        {move || (sent.get() && !resending.get()).then(|| view! { <p class="success">{t!(i18n, resend_sent)}</p> })}
        {move || {
            if too_many.get() {
                return Some(view! {
                    <div class="problem" role="alert" data-code=ErrorCode::RateLimited.as_str()>
                        <p class="problem-title">{t!(i18n, resend_too_many)}</p>
                    </div>
                }.into_any());
            }
            resend_failure.get().map(|f| view! {
                <ProblemView failure=f retry=Callback::new(move |()| { resend.dispatch(()); }) />
            }.into_any())
        }}
        {move || cancel_failure.get().map(|f| view! {
            <ProblemView failure=f retry=Callback::new(move |()| { cancel.dispatch(()); }) />
        })}
    }
}
