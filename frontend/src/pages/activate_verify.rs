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
    /// Completed earlier in this tab (the page was reloaded after the token left the address).
    DoneBefore(Box<VerifyActivationResponse>),
    Failed(ApiFailure),
}

/// Where the completed result is kept for this tab, so a reload shows it again (the token is
/// spent and gone from the address). Session storage: this tab only, gone when it closes.
const DONE_STORAGE_KEY: &str = "clp.activation.done";

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// The result completed earlier in this tab, if any.
fn stored_result() -> Option<VerifyActivationResponse> {
    let json = session_storage()?.get_item(DONE_STORAGE_KEY).ok()??;
    serde_json::from_str(&json).ok()
}

/// Keeps the result for a reload of this tab.
fn store_result(done: &VerifyActivationResponse) {
    if let (Some(storage), Ok(json)) = (session_storage(), serde_json::to_string(done)) {
        // Showing it again after a reload is a convenience: a full storage changes nothing else.
        let _ = storage.set_item(DONE_STORAGE_KEY, &json);
    }
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
            if let Ok(result) = &done {
                store_result(result);
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

    let earlier = StoredValue::new(if token.with_value(Option::is_none) {
        stored_result()
    } else {
        None
    });
    let outcome = Memo::new(move |_| {
        if token.with_value(Option::is_none) {
            return match earlier.get_value() {
                Some(done) => Verify::DoneBefore(Box::new(done)),
                None => Verify::MissingToken,
            };
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
        Verify::Done(_) | Verify::DoneBefore(_) => Step::Done,
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
        // Stopped when first opened by a restriction that no longer holds: opening it again
        // can't help.
        Verify::Failed(failure) if failure.code() == Some(ErrorCode::Conflict) => view! {
            <div class="problem" role="alert" data-code="activation_stopped">
                <p class="problem-title">{t!(i18n, verify_stopped_title)}</p>
                <p class="problem-remedy">{t!(i18n, verify_stopped_remedy)}</p>
            </div>
            <div class="actions">
                <button type="button" class="button" on:click=start_again>{t!(i18n, start_again)}</button>
            </div>
        }
        .into_any(),
        // Used already: the order is activated, nothing to start again.
        Verify::Failed(failure) if failure.code() == Some(ErrorCode::NothingToActivate) => view! {
            <div class="problem" role="alert" data-code="link_used">
                <p class="problem-title">{t!(i18n, verify_used_title)}</p>
                <p class="problem-remedy">{t!(i18n, verify_used_remedy)}</p>
            </div>
            <div class="actions">
                <Link href="/products" class="button">{t!(i18n, go_products)}</Link>
            </div>
        }
        .into_any(),
        // Expired, or stopped by the restriction named (the same as when the link was first
        // opened): starting again with the key is the way forward.
        Verify::Failed(failure) => {
            let network = matches!(failure, ApiFailure::Network(_));
            view! {
                <ProblemView failure retry=Callback::new(move |()| verify()) />
                {(!network).then(|| view! {
                    <div class="actions">
                        <button type="button" class="button" on:click=start_again>
                            {t!(i18n, start_again)}
                        </button>
                    </div>
                })}
            }
            .into_any()
        }
        Verify::Done(done) => view! { <DoneView done=*done dialog_open /> }.into_any(),
        Verify::DoneBefore(done) => view! {
            <p class="notice" role="status">{t!(i18n, verify_done_before)}</p>
            <DoneView done=*done dialog_open />
        }
        .into_any(),
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

/// The completed activation: its lines and codes, the XDR console and the pop-up.
#[component]
fn DoneView(done: VerifyActivationResponse, dialog_open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let VerifyActivationResponse {
        order_number,
        registered_lines,
        xdr,
        ..
    } = done;
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
}
