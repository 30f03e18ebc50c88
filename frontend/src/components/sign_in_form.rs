//! The sign-in form (email or login ID, password; the second factor when the account asks for
//! one) with its "Forgot password?" link.

use clp_api_types::{AccountResponse, ErrorCode};
use leptos::html;
use leptos::prelude::*;

use crate::api;
use crate::components::problem::{ProblemView, failure_of};
use crate::router::Link;
use crate::state::{use_i18n, use_session};
use crate::t;

/// Signs in; on success the session is updated and `on_signed_in` runs.
#[component]
pub fn SignInForm(
    /// Prefix of the element ids, unique on the page.
    id_prefix: &'static str,
    /// Heading level of the form's title (2 or 3).
    #[prop(default = 3)]
    heading_level: u8,
    /// Runs after a successful sign-in.
    #[prop(optional, into)]
    on_signed_in: Option<Callback<AccountResponse>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // The second factor: asked for once the server answers `mfa_required`.
    let otp = RwSignal::new(String::new());
    let needs_otp = RwSignal::new(false);
    let otp_input = NodeRef::<html::Input>::new();

    let sign_in = Action::new_local(
        move |(login, typed_password, code): &(String, String, Option<String>)| {
            let (login, typed_password, code) =
                (login.clone(), typed_password.clone(), code.clone());
            async move {
                let answer = api::sign_in(&login, &typed_password, code.as_deref()).await;
                if answer.as_ref().err().and_then(api::ApiFailure::code)
                    == Some(ErrorCode::MfaRequired)
                {
                    needs_otp.set(true);
                    request_animation_frame(move || {
                        if let Some(input) = otp_input.get_untracked() {
                            let _ = input.focus();
                        }
                    });
                }
                let response = answer?;
                password.set(String::new());
                otp.set(String::new());
                needs_otp.set(false);
                session.signed_in(response.account.clone());
                if let Some(callback) = on_signed_in {
                    callback.run(response.account);
                }
                Ok(())
            }
        },
    );
    let pending = sign_in.pending();
    // `mfa_required` is not a failure to show: the code field below asks for the second factor.
    let failure = failure_of(sign_in);
    let failure = Signal::derive(move || {
        failure
            .get()
            .filter(|f| f.code() != Some(ErrorCode::MfaRequired))
    });

    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        let code = needs_otp
            .get_untracked()
            .then(|| otp.get_untracked().trim().to_owned());
        sign_in.dispatch((login.get_untracked(), password.get_untracked(), code));
    };
    let heading_id = format!("{id_prefix}-heading");
    let login_id = format!("{id_prefix}-login");
    let password_id = format!("{id_prefix}-password");
    let otp_id = format!("{id_prefix}-otp");
    let otp_help_id = format!("{id_prefix}-otp-help");
    let heading = {
        let id = heading_id.clone();
        move || {
            if heading_level == 2 {
                view! { <h2 id=id.clone()>{t!(i18n, sign_in_heading)}</h2> }.into_any()
            } else {
                view! { <h3 id=id.clone()>{t!(i18n, sign_in_heading)}</h3> }.into_any()
            }
        }
    };
    view! {
        <form
            class="panel sign-in"
            aria-labelledby=heading_id
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {heading}
            <div class="field">
                <label for=login_id.clone()>{t!(i18n, login_label)}</label>
                <input
                    id=login_id
                    type="text"
                    autocomplete="username"
                    required
                    prop:value=login
                    on:input=move |ev| login.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for=password_id.clone()>{t!(i18n, password_label)}</label>
                <input
                    id=password_id
                    type="password"
                    autocomplete="current-password"
                    required
                    prop:value=password
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
            </div>
            {move || needs_otp.get().then(|| {
                let (otp_id, otp_help_id) = (otp_id.clone(), otp_help_id.clone());
                view! {
                    <div class="field">
                        <p class="notice">{t!(i18n, otp_intro)}</p>
                        <label for=otp_id.clone()>{t!(i18n, otp_label)}</label>
                        <p id=otp_help_id.clone() class="help">{t!(i18n, otp_help)}</p>
                        <input
                            id=otp_id
                            node_ref=otp_input
                            type="text"
                            inputmode="text"
                            autocomplete="one-time-code"
                            spellcheck="false"
                            required
                            aria-describedby=otp_help_id
                            prop:value=otp
                            on:input=move |ev| otp.set(event_target_value(&ev))
                        />
                    </div>
                }
            })}
            {move || failure.get().map(|f| view! { <ProblemView failure=f retry=Callback::new(move |()| submit()) /> })}
            <button type="submit" class="button" disabled=move || pending.get()>
                {i18n.pick(move |m| if pending.get() { m.submitting } else { m.sign_in_button })}
            </button>
            <p class="forgot">
                <Link href="/forgot-password">{t!(i18n, forgot_password_link)}</Link>
            </p>
        </form>
    }
}
