//! `/verify-email?token=...`: the page the sign-up email links to.
//!
//! Takes the token out of the address bar, posts it once, and shows the result: the address is
//! confirmed, the link expired (and how to get a new one), or the link is unknown or used.

use clp_api_types::{AccountResponse, ErrorCode};
use leptos::prelude::*;

use crate::api::{self, ApiFailure};
use crate::components::problem::{ProblemView, ServerDetail};
use crate::router::{Link, query_param, replace_address};
use crate::state::{Session, use_announcer, use_i18n, use_session};
use crate::t;

#[derive(Debug, Clone, PartialEq)]
enum Confirm {
    Working,
    /// No token, or one the server called unknown, used or malformed.
    Invalid(Option<String>),
    /// The link expired; the server's detail, if any.
    Expired(Option<String>),
    Done,
    Failed(ApiFailure),
}

impl Confirm {
    /// Sorts a failed call: the link's own problems get this page's texts, the rest the
    /// generic problem view (with Retry for network failures).
    fn of(failure: ApiFailure) -> Confirm {
        let detail = match &failure {
            ApiFailure::Problem(problem) if !problem.detail.trim().is_empty() => {
                Some(problem.detail.clone())
            }
            _ => None,
        };
        match failure.code() {
            Some(ErrorCode::VerificationExpired) => Confirm::Expired(detail),
            Some(ErrorCode::NotFound | ErrorCode::ValidationFailed) => Confirm::Invalid(detail),
            _ => Confirm::Failed(failure),
        }
    }
}

/// Confirms the email address of a new account when the customer opens the emailed link.
#[component]
pub fn VerifyEmail() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();

    let token = query_param("token").filter(|token| !token.trim().is_empty());
    if token.is_some() {
        // The token is a credential: keep it out of the history and the address bar.
        replace_address("/verify-email");
    }
    let token = StoredValue::new(token);

    // A POST that spends the token: an action, so only this page's dispatch and Retry send it.
    let confirm_action = Action::new_local(move |token: &String| {
        let token = token.clone();
        async move {
            let account = api::verify_email(&token).await?;
            refresh_session(session, account);
            announcer.say(i18n.m().verify_email_done_heading.to_owned());
            Ok(())
        }
    });
    let pending = confirm_action.pending();
    let answer = confirm_action.value();
    let confirm = move || {
        if let Some(token) = token.get_value() {
            confirm_action.dispatch(token);
        }
    };
    confirm();

    let outcome = Memo::new(move |_| {
        if token.with_value(Option::is_none) {
            return Confirm::Invalid(None);
        }
        if pending.get() {
            return Confirm::Working;
        }
        match answer.get() {
            None => Confirm::Working,
            Some(Ok(())) => Confirm::Done,
            Some(Err(failure)) => Confirm::of(failure),
        }
    });

    let body = move || match outcome.get() {
        Confirm::Working => {
            view! { <p role="status">{t!(i18n, verify_email_working)}</p> }.into_any()
        }
        Confirm::Done => view! {
            <h2>{t!(i18n, verify_email_done_heading)}</h2>
            <p>{t!(i18n, verify_email_done_body)}</p>
            <div class="actions">
                <Link href="/" class="button">{t!(i18n, products_activate_link)}</Link>
                <Link href="/products" class="button secondary">{t!(i18n, go_products)}</Link>
            </div>
        }
        .into_any(),
        Confirm::Expired(detail) => view! {
            <div class="problem" role="alert" data-code=ErrorCode::VerificationExpired.as_str()>
                <p class="problem-title">{t!(i18n, verify_email_expired_title)}</p>
                <p class="problem-remedy">{t!(i18n, verify_email_expired_remedy)}</p>
                {detail.map(|detail| view! { <ServerDetail detail /> })}
            </div>
            <div class="actions">
                <Link href="/" class="button">{t!(i18n, products_activate_link)}</Link>
                <SignInLink class="button secondary" />
            </div>
        }
        .into_any(),
        Confirm::Invalid(detail) => view! {
            <div class="problem" role="alert" data-code=ErrorCode::NotFound.as_str()>
                <p class="problem-title">{t!(i18n, verify_email_invalid_title)}</p>
                <p class="problem-remedy">{t!(i18n, verify_email_invalid_remedy)}</p>
                {detail.map(|detail| view! { <ServerDetail detail /> })}
            </div>
            <div class="actions">
                <SignInLink class="button" />
                <Link href="/products" class="button secondary">{t!(i18n, go_products)}</Link>
            </div>
        }
        .into_any(),
        Confirm::Failed(failure) => {
            view! { <ProblemView failure retry=Callback::new(move |()| confirm()) /> }.into_any()
        }
    };

    view! {
        <section class="page verify-email">
            <h1>{t!(i18n, verify_email_heading)}</h1>
            <div class="step-body">{body}</div>
        </section>
    }
}

/// "Sign in" when signed out; nothing when the customer is signed in already.
#[component]
fn SignInLink(
    /// CSS classes of the link.
    class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session
            .account()
            .is_none()
            .then(|| view! { <Link href="/signin" class=class>{t!(i18n, sign_in_link)}</Link> })
    }
}

/// Shows the confirmed address in the session when the customer is signed in to that account.
fn refresh_session(session: Session, account: AccountResponse) {
    let same = session
        .account()
        .is_some_and(|current| current.account_id == account.account_id);
    if same {
        session.signed_in(account);
    }
}
