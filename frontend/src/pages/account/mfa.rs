//! My account: two-step sign-in (TOTP). Off → set up (QR code and setup key) → confirm with a
//! first code → the ten recovery codes, shown once → on; off again with password and a code.

use clp_api_types::TotpEnrolment;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::api;
use crate::components::form_field::FormField;
use crate::components::form_problem::{FormProblem, account_labels};
use crate::components::problem::failure_of;
use crate::components::qr_code::QrCodeImage;
use crate::i18n::Messages;
use crate::state::{Session, use_announcer, use_i18n, use_session};
use crate::t;

/// The enrolment form's labels: its `code` is the app's 6-digit code.
fn enrol_labels(m: &'static Messages, path: &str) -> Option<&'static str> {
    match path {
        "code" => Some(m.mfa_code_label),
        other => account_labels(m, other),
    }
}

/// The disable form's labels: its `code` may be a recovery code.
fn disable_labels(m: &'static Messages, path: &str) -> Option<&'static str> {
    match path {
        "code" => Some(m.mfa_disable_code_label),
        other => account_labels(m, other),
    }
}

/// Where the section is.
#[derive(Debug, Clone, PartialEq)]
enum Mfa {
    Off,
    /// A secret was issued; waiting for the first code.
    Enrolling(TotpEnrolment),
    /// Just turned on: the recovery codes, shown this once.
    RecoveryCodes(Vec<String>),
    On,
}

/// The two-step sign-in section.
#[component]
pub fn MfaSection(
    /// Whether two-step sign-in is on when the page opens.
    enabled: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(if enabled { Mfa::On } else { Mfa::Off });
    let body = move || match state.get() {
        Mfa::Off => view! { <MfaOff state /> }.into_any(),
        Mfa::Enrolling(enrolment) => view! { <MfaEnrolling state enrolment /> }.into_any(),
        Mfa::RecoveryCodes(codes) => view! { <RecoveryCodeList state codes /> }.into_any(),
        Mfa::On => view! { <MfaOn state /> }.into_any(),
    };
    view! {
        <section class="panel account-section" aria-labelledby="mfa-heading">
            <h2 id="mfa-heading">{t!(i18n, mfa_heading)}</h2>
            {body}
        </section>
    }
}

/// Records in the session whether two-step sign-in is on (the header and other pages read it).
fn set_enabled(session: Session, enabled: bool) {
    if let Some(mut account) = session.account() {
        account.mfa_enabled = enabled;
        session.signed_in(account);
    }
}

#[component]
fn MfaOff(state: RwSignal<Mfa>) -> impl IntoView {
    let i18n = use_i18n();
    let enrol = Action::new_local(move |(): &()| async move {
        let enrolment = api::enrol_totp().await?;
        state.set(Mfa::Enrolling(enrolment));
        Ok(())
    });
    let pending = enrol.pending();
    let failure = failure_of(enrol);
    view! {
        <p>{t!(i18n, mfa_off_intro)}</p>
        {move || failure.get().map(|f| view! {
            <FormProblem failure=f labels=account_labels retry=Callback::new(move |()| { enrol.dispatch(()); }) />
        })}
        <button type="button" class="button" disabled=move || pending.get() on:click=move |_| { enrol.dispatch(()); }>
            {i18n.pick(move |m| if pending.get() { m.submitting } else { m.mfa_enrol_button })}
        </button>
    }
}

#[component]
fn MfaEnrolling(state: RwSignal<Mfa>, enrolment: TotpEnrolment) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let code = RwSignal::new(String::new());
    let confirm = Action::new_local(move |typed: &String| {
        let typed = typed.clone();
        async move {
            let codes = api::confirm_totp(&typed).await?;
            set_enabled(session, true);
            announcer.say(i18n.m().recovery_heading.to_owned());
            state.set(Mfa::RecoveryCodes(codes.recovery_codes));
            Ok(())
        }
    });
    let pending = confirm.pending();
    let failure = failure_of(confirm);
    let submit = move || {
        if !pending.get_untracked() {
            confirm.dispatch(code.get_untracked().trim().replace(' ', ""));
        }
    };
    let TotpEnrolment {
        secret,
        otpauth_uri,
    } = enrolment;
    view! {
        <p>{t!(i18n, mfa_scan)}</p>
        <QrCodeImage data=otpauth_uri label=t!(i18n, mfa_qr_label) />
        <p class="secret">
            <span class="secret-label">{t!(i18n, mfa_secret_label)}": "</span>
            <code class="wrap" data-testid="totp-secret">{secret}</code>
        </p>
        <form
            aria-labelledby="mfa-heading"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <FormField
                id="mfa-code"
                label=t!(i18n, mfa_code_label)
                value=code
                autocomplete="one-time-code"
                inputmode="numeric"
                maxlength=10
            />
            {move || failure.get().map(|f| view! {
                <FormProblem failure=f labels=enrol_labels retry=Callback::new(move |()| submit()) />
            })}
            <div class="actions">
                <button type="submit" class="button" disabled=move || pending.get()>
                    {i18n.pick(move |m| if pending.get() { m.submitting } else { m.mfa_confirm_button })}
                </button>
                <button type="button" class="button secondary" on:click=move |_| state.set(Mfa::Off)>
                    {t!(i18n, cancel)}
                </button>
            </div>
        </form>
    }
}

/// The recovery codes as a text file: one code a line.
fn codes_file(codes: &[String]) -> String {
    let mut text = String::from("data:text/plain;charset=utf-8,");
    for code in codes {
        for byte in code.bytes() {
            if byte.is_ascii_alphanumeric() || byte == b'-' {
                text.push(char::from(byte));
            } else {
                text.push_str(&format!("%{byte:02X}"));
            }
        }
        text.push_str("%0A");
    }
    text
}

#[component]
fn RecoveryCodeList(state: RwSignal<Mfa>, codes: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let announcer = use_announcer();
    let download = codes_file(&codes);
    let all = codes.join("\n");
    let copy = move |_| {
        let all = all.clone();
        // Nothing is submitted: the clipboard's answer is only announced.
        spawn_local(async move {
            let promise = window().navigator().clipboard().write_text(&all);
            let m = i18n.m();
            match JsFuture::from(promise).await {
                Ok(_) => announcer.say(m.copied.to_owned()),
                Err(_) => announcer.say(m.copy_failed.to_owned()),
            }
        });
    };
    view! {
        <h3>{t!(i18n, recovery_heading)}</h3>
        <p>{t!(i18n, recovery_intro)}</p>
        <ol class="codes recovery-codes">
            {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
        </ol>
        <div class="actions">
            <button type="button" class="button secondary" on:click=copy>{t!(i18n, recovery_copy)}</button>
            <a class="button secondary" href=download download="open-clp-recovery-codes.txt">{t!(i18n, recovery_download)}</a>
            <button type="button" class="button" on:click=move |_| state.set(Mfa::On)>{t!(i18n, recovery_done)}</button>
        </div>
    }
}

#[component]
fn MfaOn(state: RwSignal<Mfa>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let disable = Action::new_local(move |(typed_password, typed_code): &(String, String)| {
        let (typed_password, typed_code) = (typed_password.clone(), typed_code.clone());
        async move {
            api::disable_totp(&typed_password, &typed_code).await?;
            set_enabled(session, false);
            announcer.say(i18n.m().mfa_disabled.to_owned());
            state.set(Mfa::Off);
            Ok(())
        }
    });
    let pending = disable.pending();
    let failure = failure_of(disable);
    let submit = move || {
        if !pending.get_untracked() {
            disable.dispatch((
                password.get_untracked(),
                code.get_untracked().trim().to_owned(),
            ));
        }
    };
    view! {
        <p class="success">{t!(i18n, mfa_on_status)}</p>
        <form
            aria-labelledby="mfa-disable-heading"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <h3 id="mfa-disable-heading">{t!(i18n, mfa_disable_heading)}</h3>
            <FormField id="mfa-disable-password" label=t!(i18n, password_label) value=password kind="password" autocomplete="current-password" />
            <FormField id="mfa-disable-code" label=t!(i18n, mfa_disable_code_label) value=code autocomplete="one-time-code" />
            {move || failure.get().map(|f| view! {
                <FormProblem failure=f labels=disable_labels retry=Callback::new(move |()| submit()) />
            })}
            <button type="submit" class="button secondary" disabled=move || pending.get()>
                {i18n.pick(move |m| if pending.get() { m.submitting } else { m.mfa_disable_button })}
            </button>
        </form>
    }
}
