//! The sign-in form (email or login ID, password).

use clp_api_types::AccountResponse;
use leptos::prelude::*;

use crate::api;
use crate::components::problem::{ProblemView, failure_of};
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

    let sign_in = Action::new_local(move |(login, typed_password): &(String, String)| {
        let (login, typed_password) = (login.clone(), typed_password.clone());
        async move {
            let response = api::sign_in(&login, &typed_password).await?;
            password.set(String::new());
            session.signed_in(response.account.clone());
            if let Some(callback) = on_signed_in {
                callback.run(response.account);
            }
            Ok(())
        }
    });
    let pending = sign_in.pending();
    let failure = failure_of(sign_in);

    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        sign_in.dispatch((login.get_untracked(), password.get_untracked()));
    };
    let heading_id = format!("{id_prefix}-heading");
    let login_id = format!("{id_prefix}-login");
    let password_id = format!("{id_prefix}-password");
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
            {move || failure.get().map(|f| view! { <ProblemView failure=f retry=Callback::new(move |()| submit()) /> })}
            <button type="submit" class="button" disabled=move || pending.get()>
                {i18n.pick(move |m| if pending.get() { m.submitting } else { m.sign_in_button })}
            </button>
        </form>
    }
}
