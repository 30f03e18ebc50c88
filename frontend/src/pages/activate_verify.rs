//! `/activate/verify?token=...`: the page the verification email links to.
//!
//! Posts the token once, then takes it out of the address bar, and shows the result: the
//! registered lines and the Trend Micro XDR pop-up, an expired link with a restart, or a
//! restriction with its remedy.

use crate::router::{Link, query_param, replace_address, use_location};
use clp_api_types::{ErrorCode, VerifyActivationResponse};
use leptos::prelude::*;

use crate::api::{self, ApiFailure};
use crate::components::lines::RegisteredLineCard;
use crate::components::problem::ProblemView;
use crate::components::steps::{Step, StepIndicator};
use crate::components::xdr_dialog::XdrDialog;
use crate::state::use_i18n;
use crate::t;

#[derive(Debug, Clone, PartialEq)]
enum Verify {
    Working,
    MissingToken,
    Done(Box<VerifyActivationResponse>),
    Failed(ApiFailure),
}

/// Completes a pending activation when the customer opens the emailed link.
#[component]
pub fn ActivateVerify() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let dialog_open = RwSignal::new(false);

    let token = query_param("token").filter(|token| !token.trim().is_empty());
    if token.is_some() {
        // The token is a credential: keep it out of the history and the address bar.
        replace_address("/activate/verify");
    }
    let token = StoredValue::new(token);

    // A POST that spends the token: an action, so only this page's dispatch and Retry send it.
    let verify_action = Action::new_local(move |token: &String| {
        let token = token.clone();
        async move {
            let done = api::verify_activation(&token).await;
            if done.is_ok() {
                dialog_open.set(true);
            }
            done
        }
    });
    let pending = verify_action.pending();
    let answer = verify_action.value();
    let verify = move || {
        if let Some(token) = token.get_value() {
            verify_action.dispatch(token);
        }
    };
    verify();

    let outcome = Memo::new(move |_| {
        if token.with_value(Option::is_none) {
            return Verify::MissingToken;
        }
        if pending.get() {
            return Verify::Working;
        }
        match answer.get() {
            None => Verify::Working,
            Some(Ok(done)) => Verify::Done(Box::new(done)),
            Some(Err(failure)) => Verify::Failed(failure),
        }
    });

    let start_again = move |_| location.navigate("/");
    let step = Signal::derive(move || match outcome.get() {
        Verify::Done(_) => Step::Done,
        _ => Step::ConfirmEmail,
    });

    let body = move || {
        match outcome.get() {
        Verify::Working => view! { <p role="status">{t!(i18n, verifying)}</p> }.into_any(),
        Verify::MissingToken => view! {
            <div class="problem" role="alert"><p>{t!(i18n, verify_missing_token)}</p></div>
            <div class="actions">
                <button type="button" class="button" on:click=start_again>{t!(i18n, start_again)}</button>
            </div>
        }
        .into_any(),
        Verify::Failed(failure) => {
            let expired = failure.code() == Some(ErrorCode::VerificationExpired);
            let network = matches!(failure, ApiFailure::Network(_));
            view! {
                <ProblemView failure retry=Callback::new(move |()| verify()) />
                {(!network).then(|| view! {
                    <div class="actions">
                        <button type="button" class=if expired { "button" } else { "button secondary" } on:click=start_again>
                            {t!(i18n, start_again)}
                        </button>
                    </div>
                })}
            }
            .into_any()
        }
        Verify::Done(done) => {
            let VerifyActivationResponse {
                order_number,
                registered_lines,
                xdr,
                ..
            } = *done;
            let console_url = xdr.console_url.clone();
            view! {
                <h2>{t!(i18n, done_heading)}</h2>
                <p>{i18n.fmt(move |m, _| (m.done_intro)(&order_number))}</p>
                <ul class="cards">
                    {registered_lines.into_iter().map(|line| view! { <RegisteredLineCard line /> }).collect_view()}
                </ul>
                <div class="actions">
                    <a class="button" href=console_url target="_blank" rel="noopener noreferrer">
                        {t!(i18n, open_console)}
                        <span class="visually-hidden">" "{t!(i18n, opens_new_tab)}</span>
                    </a>
                    <Link href="/products" class="button secondary">{t!(i18n, go_products)}</Link>
                </div>
                <XdrDialog open=dialog_open console_url=xdr.console_url region=xdr.region />
            }
            .into_any()
        }
    }
    };

    view! {
        <section class="page wizard">
            <h1>{t!(i18n, verify_heading)}</h1>
            <StepIndicator steps=Signal::derive(|| Step::ACCOUNT_BASED) current=step />
            <div class="step-body">{body}</div>
        </section>
    }
}
