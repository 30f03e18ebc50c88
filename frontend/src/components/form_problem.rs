//! A failed form submission: like [`ProblemView`], but each field error is named as the form
//! labels the field, never by its API path (`new_password`, `account.email`).

use clp_api_types::FieldError;
use leptos::prelude::*;

use crate::api::ApiFailure;
use crate::components::problem::ProblemView;
use crate::i18n::Messages;
use crate::state::use_i18n;
use crate::t;

/// The form's label of an API field path (the last segment decides), if the form has it.
pub type FieldLabels = fn(&'static Messages, &str) -> Option<&'static str>;

/// The labels of the account forms: sign-in, password reset, profile, password, email, 2FA.
pub fn account_labels(m: &'static Messages, path: &str) -> Option<&'static str> {
    let field = path.rsplit(['.', '/']).next().unwrap_or(path);
    Some(match field {
        "email" => m.email_label,
        "new_email" => m.new_email_label,
        "password" => m.password_label,
        "current_password" => m.current_password_label,
        "new_password" => m.new_password_label,
        "full_name" => m.full_name_label,
        "company" => m.company_label,
        "country" => m.country_code_label,
        "language" => m.email_language_label,
        "code" | "otp" => m.otp_label,
        _ => return None,
    })
}

/// Shows a failed submission; field errors name the form's labels.
#[component]
pub fn FormProblem(
    /// What went wrong.
    failure: ApiFailure,
    /// The form's labels of the API's field paths.
    labels: FieldLabels,
    /// Shown as a Retry button (network failures only).
    #[prop(optional, into)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let issues: Vec<FieldError> = match &failure {
        ApiFailure::Problem(problem) => problem.errors.clone().unwrap_or_default(),
        ApiFailure::Network(_) => Vec::new(),
    };
    if issues.is_empty() {
        return match retry {
            Some(retry) => view! { <ProblemView failure retry /> }.into_any(),
            None => view! { <ProblemView failure /> }.into_any(),
        };
    }
    let code = failure
        .code()
        .unwrap_or(clp_api_types::ErrorCode::ValidationFailed);
    view! {
        <div class="problem" role="alert" data-code=code.as_str()>
            <p class="problem-title">{i18n.pick(move |m| m.error(code).title)}</p>
            <p class="problem-remedy">{i18n.pick(move |m| m.error(code).remedy)}</p>
            <p>{t!(i18n, field_errors_heading)}</p>
            <ul class="field-errors">
                {issues
                    .into_iter()
                    .map(|issue| {
                        let field = issue.field.clone();
                        let label = i18n.fmt(move |m, _| labels(m, &field).unwrap_or_default().to_owned());
                        view! {
                            <li>
                                {move || {
                                    let label = label.get();
                                    (!label.is_empty()).then(|| view! { <strong>{label}</strong>": " })
                                }}
                                {issue.message}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
