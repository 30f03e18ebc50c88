//! `/account`: My account, for the signed-in customer: profile, password, email address,
//! two-step sign-in and the recent activity (or a sign-in form).

mod activity;
mod email;
mod mfa;
mod password;
mod profile;

use leptos::prelude::*;

use crate::components::sign_in_form::SignInForm;
use crate::state::{use_i18n, use_session};
use crate::t;

/// The My account page.
#[component]
pub fn Account() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Memos: saving the profile updates the session's account, which must not remount the
    // sections (their "saved" notes would go); another account or signing out does.
    let known = Memo::new(move |_| session.is_known());
    let account_id = Memo::new(move |_| session.account().map(|account| account.account_id));
    let body = move || {
        if !known.get() {
            return view! { <p>{t!(i18n, loading)}</p> }.into_any();
        }
        let _ = account_id.get();
        match untrack(|| session.account()) {
            Some(account) => view! {
                <profile::ProfileSection account=account.clone() />
                <password::PasswordSection />
                <email::EmailSection email=account.email.clone() />
                <mfa::MfaSection enabled=account.mfa_enabled />
                <activity::ActivitySection />
            }
            .into_any(),
            None => view! {
                <p>{t!(i18n, account_sign_in_prompt)}</p>
                <SignInForm id_prefix="account-sign-in" heading_level=2 />
            }
            .into_any(),
        }
    };
    view! {
        <section class="page account">
            <h1>{t!(i18n, account_page_heading)}</h1>
            {body}
        </section>
    }
}
