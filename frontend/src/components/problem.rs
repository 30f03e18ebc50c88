//! How a failed call is shown: the code's title and remedy in the UI language, the server's
//! detail, per-field errors, and a Retry button for network failures.

use leptos::prelude::*;

use crate::api::{ApiFailure, ApiResult};
use crate::state::use_i18n;
use crate::t;

/// The failure of a submission to show: its last answer's, and none while it runs again (a
/// retry takes the old message away until the new answer comes).
pub fn failure_of<I, T>(action: Action<I, ApiResult<T>>) -> Signal<Option<ApiFailure>>
where
    I: 'static,
    T: 'static,
{
    let pending = action.pending();
    let answer = action.value();
    Signal::derive(move || {
        if pending.get() {
            return None;
        }
        answer.with(|answer| answer.as_ref()?.as_ref().err().cloned())
    })
}

/// A failed call, in plain words, in an element with `role="alert"`.
#[component]
pub fn ProblemView(
    /// What went wrong.
    failure: ApiFailure,
    /// Shown as a Retry button (network failures only).
    #[prop(optional, into)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    match failure {
        ApiFailure::Network(_) => view! {
            <div class="problem" role="alert">
                <p class="problem-title">{t!(i18n, network_title)}</p>
                <p>{t!(i18n, network_remedy)}</p>
                {retry.map(|retry| view! {
                    <button type="button" class="button" on:click=move |_| retry.run(())>
                        {t!(i18n, retry)}
                    </button>
                })}
            </div>
        }
        .into_any(),
        ApiFailure::Problem(problem) => {
            let code = problem.code;
            let detail = (!problem.detail.trim().is_empty()).then(|| problem.detail.clone());
            let errors = problem.errors.clone().unwrap_or_default();
            view! {
                <div class="problem" role="alert" data-code=code.as_str()>
                    <p class="problem-title">{i18n.pick(move |m| m.error(code).title)}</p>
                    <p class="problem-remedy">{i18n.pick(move |m| m.error(code).remedy)}</p>
                    {(!errors.is_empty()).then(|| view! {
                        <p>{t!(i18n, field_errors_heading)}</p>
                        <ul class="field-errors">
                            {errors
                                .into_iter()
                                .map(|e| {
                                    // The form's label of the field, never the API path.
                                    let path = e.field;
                                    let label = i18n.pick(move |m| m.field_label(&path).unwrap_or(""));
                                    view! {
                                        <li>
                                            {move || {
                                                let label = label.get();
                                                (!label.is_empty()).then(|| view! { <strong>{label}</strong>": " })
                                            }}
                                            {e.message}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    })}
                    {detail.map(|detail| view! { <ServerDetail detail open=names_account(code) /> })}
                </div>
            }
            .into_any()
        }
    }
}

/// The server's own explanation (specific to this case, in the requested language), folded
/// away under "Details" because it often repeats the remedy shown above it.
#[component]
pub fn ServerDetail(
    /// The problem's `detail`.
    detail: String,
    /// Shown unfolded (when it names what the remedy needs, e.g. the owning account).
    #[prop(optional)]
    open: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="problem-detail" open=open>
            <summary>{t!(i18n, details_label)}</summary>
            <p>{detail}</p>
        </details>
    }
}

/// Whether the remedy of a code needs the detail (it names the account to sign in to).
pub fn names_account(code: clp_api_types::ErrorCode) -> bool {
    use clp_api_types::ErrorCode;
    matches!(
        code,
        ErrorCode::CrossgradeAccountRequired
            | ErrorCode::RenewalAccountMismatch
            | ErrorCode::WrongFlow
    )
}
