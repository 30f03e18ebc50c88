//! The activation wizard at `/` and `/FullRegistration` (`?T=TM` is accepted and ignored).
//!
//! Enter key → Review order → Account → Confirm email (→ Done on the verify page) for the
//! account-based flow; Enter key → Review order → Account → Done for the legacy flow. The key
//! lives only in this component's state: never in the URL, storage or logs.

use crate::router::Link;
use clp_api_types::{
    AccountResponse, ActivationAccepted, CreateActivationRequest, CreateLegacyAccountRequest,
    ErrorCode, FlowKind, NewAccountForActivation, PreviewResponse, Problem, RegionCode,
    RegistrationResponse,
};
use clp_domain::region::Region;
use clp_domain::{KeyError, RegistrationKey};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::components::confirm_email_actions::ConfirmEmailActions;
use crate::components::lines::{PreviewLineCard, RegisteredLineCard};
use crate::components::problem::{ProblemView, ServerDetail, failure_of, names_account};
use crate::components::sign_in_form::SignInForm;
use crate::components::steps::{Step, StepIndicator};
use crate::i18n::format;
use crate::state::{use_i18n, use_session};
use crate::t;

/// Everything the wizard knows; one value per wizard instance, shared by its steps.
#[derive(Debug, Clone, Copy)]
struct WizardState {
    step: RwSignal<Step>,
    /// What the customer typed (kept when going back to the first step).
    raw_key: RwSignal<String>,
    /// The parsed key of the previewed order.
    key: RwSignal<Option<RegistrationKey>>,
    preview: RwSignal<Option<PreviewResponse>>,
    /// The chosen region (when the order pins none and the account has none).
    region: RwSignal<Option<RegionCode>>,
    /// The pending activation and the address the link went to (if known).
    accepted: RwSignal<Option<(ActivationAccepted, Option<String>)>>,
    legacy_result: RwSignal<Option<RegistrationResponse>>,
    /// Whether the last step change came from the customer (then the new step's heading takes
    /// focus, so screen readers announce it).
    moved: RwSignal<bool>,
}

impl WizardState {
    fn new() -> Self {
        Self {
            step: RwSignal::new(Step::EnterKey),
            raw_key: RwSignal::new(String::new()),
            key: RwSignal::new(None),
            preview: RwSignal::new(None),
            region: RwSignal::new(None),
            accepted: RwSignal::new(None),
            legacy_result: RwSignal::new(None),
            moved: RwSignal::new(false),
        }
    }

    fn go(&self, step: Step) {
        self.moved.set(true);
        self.step.set(step);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Back to the first step with nothing kept but what was typed.
    fn restart(&self) {
        self.key.set(None);
        self.preview.set(None);
        self.region.set(None);
        self.accepted.set(None);
        self.legacy_result.set(None);
        self.go(Step::EnterKey);
    }

    fn flow(&self) -> FlowKind {
        self.preview
            .with(|p| p.as_ref().map_or(FlowKind::AccountBased, |p| p.flow))
    }

    /// Takes a new preview; the region defaults to the order's country's.
    fn set_preview(&self, key: RegistrationKey, preview: PreviewResponse) {
        if preview.region_pin.is_none() && self.region.get_untracked().is_none() {
            let suggested = Region::default_for_country(&preview.end_customer.country);
            self.region.set(suggested.as_str().parse().ok());
        }
        self.key.set(Some(key));
        self.preview.set(Some(preview));
    }
}

/// The activation wizard.
#[component]
pub fn Wizard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let state = WizardState::new();
    let steps = Signal::derive(move || match state.flow() {
        FlowKind::AccountBased => Step::ACCOUNT_BASED,
        FlowKind::Legacy => Step::LEGACY,
    });

    // Signing in or out (here or in the header) changes the conflicts: preview again.
    let account_id = Memo::new(move |_| session.account().map(|a| a.account_id));
    Effect::new(move |previous: Option<Option<i64>>| {
        let current = account_id.get();
        if let Some(previous) = previous
            && previous != current
            && matches!(state.step.get_untracked(), Step::Review | Step::Account)
            && let Some(key) = state.key.get_untracked()
        {
            // A quiet refresh of what is on screen, not a submission: no button waits for it
            // and a failure keeps the previous preview, so no `Action` and no pending state.
            spawn_local(async move {
                if let Ok(preview) = api::preview(key.as_str()).await {
                    state.preview.set(Some(preview));
                }
            });
        }
        current
    });

    let body = move || match state.step.get() {
        Step::EnterKey => view! { <EnterKeyStep state /> }.into_any(),
        Step::Review => view! { <ReviewStep state /> }.into_any(),
        Step::Account => match state.flow() {
            FlowKind::AccountBased => view! { <AccountStep state /> }.into_any(),
            FlowKind::Legacy => view! { <LegacyAccountStep state /> }.into_any(),
        },
        Step::ConfirmEmail => view! { <ConfirmEmailStep state /> }.into_any(),
        Step::Done => view! { <LegacyDoneStep state /> }.into_any(),
    };

    view! {
        <section class="page wizard">
            <h1>{t!(i18n, wizard_heading)}</h1>
            <StepIndicator steps=steps current=state.step />
            <div class="step-body">{body}</div>
        </section>
    }
}

/// The step's `<h2>`; it takes focus when the customer moved to this step.
#[component]
fn StepHeading(state: WizardState, text: Signal<&'static str>) -> impl IntoView {
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |_| {
        if let Some(el) = heading.get()
            && state.moved.get_untracked()
        {
            let _ = el.focus();
        }
    });
    view! { <h2 node_ref=heading tabindex="-1" class="step-heading">{text}</h2> }
}

/// What is wrong with the typed key, kept as data so it follows the language.
#[derive(Debug, Clone, PartialEq)]
enum KeyProblem {
    Empty,
    Parse(KeyError),
}

/// Step 1: the registration key.
#[component]
fn EnterKeyStep(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<html::Input>::new();
    let key_problem = RwSignal::new(None::<KeyProblem>);
    let preview = Action::new_local(move |key: &RegistrationKey| {
        let key = key.clone();
        async move {
            let preview = api::preview(key.as_str()).await?;
            state.region.set(None);
            state.set_preview(key, preview);
            state.go(Step::Review);
            Ok(())
        }
    });
    let pending = preview.pending();
    let failure = failure_of(preview);

    let check = move |raw: &str| -> Result<RegistrationKey, KeyProblem> {
        if raw.trim().is_empty() {
            return Err(KeyProblem::Empty);
        }
        RegistrationKey::parse(raw).map_err(KeyProblem::Parse)
    };

    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        preview.clear();
        let key = match check(&state.raw_key.get_untracked()) {
            Ok(key) => key,
            Err(problem) => {
                key_problem.set(Some(problem));
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                }
                return;
            }
        };
        key_problem.set(None);
        state.raw_key.set(key.to_string());
        preview.dispatch(key);
    };

    let submit_button = NodeRef::<html::Button>::new();
    let on_blur = move |ev: leptos::ev::FocusEvent| {
        // Leaving for the submit button: the submit checks the key, and a message appearing
        // now would move the button away from under the pointer.
        let to_submit = match (ev.related_target(), submit_button.get_untracked()) {
            (Some(target), Some(button)) => {
                let button: &wasm_bindgen::JsValue = button.as_ref();
                let target: &wasm_bindgen::JsValue = target.as_ref();
                target == button
            }
            _ => false,
        };
        let raw = state.raw_key.get_untracked();
        if to_submit || raw.trim().is_empty() {
            return;
        }
        match check(&raw) {
            Ok(key) => {
                key_problem.set(None);
                state.raw_key.set(key.to_string());
            }
            Err(problem) => key_problem.set(Some(problem)),
        }
    };

    let error_text = move || {
        key_problem.get().map(|problem| {
            let m = i18n.m();
            match problem {
                KeyProblem::Empty => m.key_empty.to_owned(),
                KeyProblem::Parse(error) => m.key_error(&error),
            }
        })
    };

    view! {
        <StepHeading state text=t!(i18n, enter_key_heading) />
        <p>{t!(i18n, wizard_intro)}</p>
        <form
            class="key-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <div class="field">
                <label for="registration-key">{t!(i18n, key_label)}</label>
                <p id="registration-key-help" class="help">{t!(i18n, key_help)}</p>
                <input
                    node_ref=input
                    id="registration-key"
                    class="key-input"
                    type="text"
                    inputmode="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-describedby="registration-key-help registration-key-error"
                    aria-invalid=move || if key_problem.with(Option::is_some) { "true" } else { "false" }
                    prop:value=state.raw_key
                    on:input=move |ev| {
                        state.raw_key.set(event_target_value(&ev));
                        if key_problem.with_untracked(Option::is_some) {
                            key_problem.set(None);
                        }
                    }
                    on:blur=on_blur
                />
                <p id="registration-key-error" class="field-error" role="alert">{error_text}</p>
            </div>
            <button node_ref=submit_button type="submit" class="button" disabled=move || pending.get()>
                {i18n.pick(move |m| if pending.get() { m.loading } else { m.key_submit })}
            </button>
        </form>
        {move || failure.get().map(|f| view! { <ProblemView failure=f retry=Callback::new(move |()| submit()) /> })}
    }
}

/// Step 2: the order.
#[component]
fn ReviewStep(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let preview = move || state.preview.get();

    let content = move || {
        let preview = preview()?;
        let legacy = preview.flow == FlowKind::Legacy;
        let nothing_left = preview.lines.is_empty();
        let PreviewResponse {
            order_number,
            lines,
            registered_count,
            end_customer,
            conflicts,
            region_pin,
            ..
        } = preview;
        let order_heading = order_number.clone();
        Some(view! {
            <p class="order-number">{i18n.fmt(move |m, _| (m.order_number)(&order_heading))}</p>
            {legacy.then(|| view! { <p class="notice">{t!(i18n, legacy_notice)}</p> })}
            {nothing_left.then(|| view! {
                <ProblemView failure=ApiFailure::Problem(Problem::new(ErrorCode::NothingToActivate, String::new())) />
                <p><Link href="/products">{t!(i18n, go_products)}</Link></p>
            })}
            {(!nothing_left).then(|| view! {
                <section aria-labelledby="lines-heading">
                    <h3 id="lines-heading" class="section-heading">{t!(i18n, lines_heading)}</h3>
                    <ul class="cards">
                        {lines.into_iter().map(|line| view! { <PreviewLineCard line /> }).collect_view()}
                    </ul>
                </section>
            })}
            {(registered_count > 0).then(|| view! {
                <p class="notice">{i18n.fmt(move |m, _| (m.registered_count)(registered_count))}</p>
            })}
            <section aria-labelledby="customer-heading">
                <h3 id="customer-heading" class="section-heading">{t!(i18n, end_customer_heading)}</h3>
                <dl class="facts">
                    <div><dt>{t!(i18n, company_label)}</dt><dd>{end_customer.company.clone()}</dd></div>
                    <div><dt>{t!(i18n, contact_label)}</dt><dd>{end_customer.contact_name.clone()}</dd></div>
                    <div><dt>{t!(i18n, contact_email_label)}</dt><dd class="wrap">{end_customer.contact_email.clone()}</dd></div>
                    <div><dt>{t!(i18n, country_label)}</dt><dd>{end_customer.country.clone()}</dd></div>
                </dl>
            </section>
            {(!conflicts.is_empty()).then(|| view! { <Conflicts conflicts /> })}
            {(!legacy && !nothing_left).then(|| view! { <RegionChoice state region_pin /> })}
            <div class="actions">
                {(!nothing_left).then(|| view! {
                    <button type="button" class="button" on:click=move |_| state.go(Step::Account)>
                        {t!(i18n, review_continue)}
                    </button>
                })}
                <button type="button" class="button secondary" on:click=move |_| state.restart()>
                    {t!(i18n, use_other_key)}
                </button>
            </div>
        })
    };

    view! {
        <StepHeading state text=t!(i18n, review_heading) />
        {content}
    }
}

/// The restrictions found for the signed-in account, each with its remedy.
#[component]
fn Conflicts(conflicts: Vec<clp_api_types::ConflictItem>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="conflicts" aria-labelledby="conflicts-heading">
            <h3 id="conflicts-heading" class="section-heading">{t!(i18n, conflicts_heading)}</h3>
            <ul>
                {conflicts
                    .into_iter()
                    .map(|conflict| {
                        let code = conflict.code;
                        view! {
                            <li class="problem" data-code=code.as_str()>
                                <p class="problem-title">{i18n.pick(move |m| m.error(code).title)}</p>
                                <p class="problem-remedy">{i18n.pick(move |m| m.error(code).remedy)}</p>
                                <ServerDetail detail=conflict.detail open=names_account(code) />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The XDR region: fixed by the order or the account, else a labelled select.
#[component]
fn RegionChoice(state: WizardState, region_pin: Option<RegionCode>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        let account_region = session.account().and_then(|a| a.xdr_region);
        if let Some(pinned) = region_pin {
            view! { <p class="region-fixed">{i18n.fmt(move |m, _| (m.region_pinned)(m.regions.get(pinned)))}</p> }
                .into_any()
        } else if let Some(region) = account_region {
            view! { <p class="region-fixed">{i18n.fmt(move |m, _| (m.region_of_account)(m.regions.get(region)))}</p> }
                .into_any()
        } else {
            view! {
                <div class="field">
                    <label for="xdr-region">{t!(i18n, region_label)}</label>
                    <p id="xdr-region-help" class="help">{t!(i18n, region_help)}</p>
                    <select
                        id="xdr-region"
                        aria-describedby="xdr-region-help"
                        prop:value=move || state.region.get().map(|r| r.as_str()).unwrap_or_default()
                        on:change=move |ev| state.region.set(event_target_value(&ev).parse().ok())
                    >
                        {RegionCode::ALL
                            .iter()
                            .map(|&region| view! {
                                <option value=region.as_str() selected=move || state.region.get() == Some(region)>
                                    {i18n.pick(move |m| m.regions.get(region))}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </div>
            }
            .into_any()
        }
    }
}

/// The region to send: none when the order pins one or the account already has one.
fn region_to_send(state: WizardState, account: Option<&AccountResponse>) -> Option<RegionCode> {
    let pinned = state
        .preview
        .with_untracked(|p| p.as_ref().and_then(|p| p.region_pin));
    if pinned.is_some() || account.and_then(|a| a.xdr_region).is_some() {
        None
    } else {
        state.region.get_untracked()
    }
}

/// Step 3 (account-based): continue as the signed-in account, or sign in, or sign up.
#[component]
fn AccountStep(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();

    // One request creates the pending activation (and the account, for a sign-up).
    let create_activation = Action::new_local(
        move |(body, email): &(CreateActivationRequest, Option<String>)| {
            let (body, email) = (body.clone(), email.clone());
            async move {
                let accepted = api::create_activation(&body).await?;
                state.accepted.set(Some((accepted, email)));
                state.go(Step::ConfirmEmail);
                Ok(())
            }
        },
    );
    let pending = create_activation.pending();
    let failure = failure_of(create_activation);

    let activate = move |account: Option<NewAccountForActivation>| {
        let Some(key) = state.key.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        let signed_in = session.account();
        let email = account
            .as_ref()
            .map(|a| a.email.clone())
            .or_else(|| signed_in.as_ref().map(|a| a.email.clone()));
        let body = CreateActivationRequest {
            key: key.as_str().to_owned(),
            region: region_to_send(state, signed_in.as_ref()),
            account,
        };
        create_activation.dispatch((body, email));
    };
    let retry_last = StoredValue::new(None::<Option<NewAccountForActivation>>);
    let run = move |account: Option<NewAccountForActivation>| {
        retry_last.set_value(Some(account.clone()));
        activate(account);
    };
    let retry = Callback::new(move |()| {
        if let Some(account) = retry_last.get_value() {
            activate(account);
        }
    });

    let body = move || {
        if !session.is_known() {
            return view! { <p>{t!(i18n, loading)}</p> }.into_any();
        }
        match session.account() {
            Some(account) => {
                let conflicts = state
                    .preview
                    .with(|p| p.as_ref().map(|p| p.conflicts.clone()).unwrap_or_default());
                let email = account.email.clone();
                let blocked = !conflicts.is_empty();
                view! {
                    <p>{i18n.fmt(move |m, _| (m.signed_in_continue)(&email))}</p>
                    // A restriction for this account: the remedy is another account, so the
                    // activate button gives way to signing out.
                    {(!blocked).then(|| view! {
                        <div class="actions">
                            <button type="button" class="button" disabled=move || pending.get() on:click=move |_| run(None)>
                                {i18n.pick(move |m| if pending.get() { m.submitting } else { m.activate_button })}
                            </button>
                        </div>
                    })}
                    {blocked.then(|| view! { <Conflicts conflicts /> })}
                    <div class="actions">
                        <button type="button" class=if blocked { "button" } else { "button secondary" } on:click=move |_| session.sign_out()>
                            {t!(i18n, use_other_account)}
                        </button>
                    </div>
                }
                .into_any()
            }
            None => view! {
                <AccountHints state />
                <div class="two-panels">
                    <SignInForm id_prefix="wizard-sign-in" />
                    <SignUpForm state pending on_submit=Callback::new(move |account| run(Some(account))) />
                </div>
            }
            .into_any(),
        }
    };

    view! {
        <StepHeading state text=t!(i18n, account_heading) />
        {body}
        {move || failure.get().map(|f| view! { <ProblemView failure=f retry /> })}
        <div class="actions">
            <button type="button" class="button secondary" on:click=move |_| state.go(Step::Review)>
                {t!(i18n, step_review)}
            </button>
        </div>
    }
}

/// Existing accounts that may be the customer's, with masked emails and the reason.
#[component]
fn AccountHints(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let hints = state.preview.with(|p| {
            p.as_ref()
                .map(|p| p.account_hints.clone())
                .unwrap_or_default()
        });
        (!hints.is_empty()).then(|| {
            view! {
                <section class="hints" aria-labelledby="hints-heading">
                    <h3 id="hints-heading" class="section-heading">{t!(i18n, hints_heading)}</h3>
                    <ul>
                        {hints
                            .into_iter()
                            .map(|hint| {
                                let email = hint.masked_email.clone();
                                let reason = hint.reason;
                                view! {
                                    <li>
                                        <span class="wrap">{i18n.fmt(move |m, _| (m.hint_line)(&email, m.hint_reasons.get(reason)))}</span>
                                        {hint.binding.then(|| view! { <strong class="binding">" "{t!(i18n, hint_binding)}</strong> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// The simplified sign-up (email, password, full name; company and country from the order).
#[component]
fn SignUpForm(
    state: WizardState,
    #[prop(into)] pending: Signal<bool>,
    on_submit: Callback<NewAccountForActivation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let customer = state
        .preview
        .with_untracked(|p| p.as_ref().map(|p| p.end_customer.clone()));
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let full_name = RwSignal::new(String::new());
    let company = RwSignal::new(
        customer
            .as_ref()
            .map(|c| c.company.clone())
            .unwrap_or_default(),
    );
    let country = RwSignal::new(customer.map(|c| c.country).unwrap_or_default());
    let optional = |s: String| {
        let s = s.trim().to_owned();
        (!s.is_empty()).then_some(s)
    };
    view! {
        <form
            class="panel sign-up"
            aria-labelledby="sign-up-heading"
            on:submit=move |ev| {
                ev.prevent_default();
                on_submit.run(NewAccountForActivation {
                    email: email.get_untracked().trim().to_owned(),
                    password: password.get_untracked(),
                    full_name: full_name.get_untracked().trim().to_owned(),
                    company: optional(company.get_untracked()),
                    country: optional(country.get_untracked()).map(|c| c.to_ascii_uppercase()),
                    language: Some(i18n.lang().code().to_owned()),
                });
            }
        >
            <h3 id="sign-up-heading">{t!(i18n, signup_heading)}</h3>
            <p>{t!(i18n, signup_intro)}</p>
            <TextField id="sign-up-email" label=t!(i18n, email_label) value=email kind="email" autocomplete="email" />
            <TextField id="sign-up-password" label=t!(i18n, password_label) value=password kind="password" autocomplete="new-password" />
            <TextField id="sign-up-full-name" label=t!(i18n, full_name_label) value=full_name autocomplete="name" />
            <TextField id="sign-up-company" label=t!(i18n, company_label) value=company autocomplete="organization" />
            <TextField
                id="sign-up-country"
                label=t!(i18n, country_code_label)
                help=t!(i18n, country_code_help)
                value=country
                autocomplete="country"
            />
            <button type="submit" class="button" disabled=move || pending.get()>
                {i18n.pick(move |m| if pending.get() { m.submitting } else { m.signup_button })}
            </button>
        </form>
    }
}

/// A labelled, required text input bound to a signal.
#[component]
fn TextField(
    id: &'static str,
    label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] help: Option<Signal<&'static str>>,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    let described = help.is_some().then(|| help_id.clone());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {help.map(|help| view! { <p id=help_id.clone() class="help">{help}</p> })}
            <input
                id=id
                type=kind
                autocomplete=autocomplete
                required
                aria-describedby=described
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// Step 4 (account-based): the verification email was sent.
#[component]
fn ConfirmEmailStep(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let accepted = state.accepted.get_untracked();
    let sent = accepted
        .as_ref()
        .map(|(_, email)| email.clone())
        .unwrap_or_default();
    let activation_id = accepted.as_ref().map(|(a, _)| a.activation_id);
    let on_resent = Callback::new(move |accepted: Option<ActivationAccepted>| {
        if let Some(accepted) = accepted {
            state.accepted.update(|pending| {
                if let Some((current, _)) = pending.as_mut() {
                    *current = accepted;
                }
            });
        }
    });
    let on_different_email = Callback::new(move |()| {
        state.accepted.set(None);
        state.go(Step::Account);
    });
    // A resend may move the expiry: read it from the state.
    let expires = move || {
        state.accepted.with(|accepted| {
            accepted
                .as_ref()
                .map(|(a, _)| a.expires_at.with_timezone(&chrono::Local).fixed_offset())
        })
    };
    view! {
        <StepHeading state text=t!(i18n, confirm_heading) />
        <p class="wrap">
            {i18n.fmt(move |m, _| match &sent {
                Some(email) => (m.confirm_sent_to)(email),
                None => m.confirm_sent.to_owned(),
            })}
        </p>
        {move || expires().map(|at| view! {
            <p class="expiry">{i18n.fmt(move |m, lang| (m.confirm_expires)(&format::date_time(lang, at)))}</p>
        })}
        <p>{t!(i18n, confirm_nothing_until)}</p>
        // Resend and "Use a different email" (issue 15).
        {activation_id.map(|activation_id| view! {
            <ConfirmEmailActions activation_id on_resent on_different_email />
        })}
        <div class="actions">
            <button type="button" class="button secondary" on:click=move |_| state.restart()>
                {t!(i18n, start_again)}
            </button>
        </div>
    }
}

/// Step 3 (legacy): sign in or the long form, then register the line at once.
#[component]
fn LegacyAccountStep(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // The account made by this form, so a retry after a failure does not create it twice.
    let created = RwSignal::new(false);
    let form = LegacyForm::new();

    // The account (for the long form), signing in to it, then the line: one submission.
    let register_line = Action::new_local(
        move |(key, account): &(RegistrationKey, Option<CreateLegacyAccountRequest>)| {
            let (key, account) = (key.clone(), account.clone());
            async move {
                if let Some(body) = account {
                    if !created.get_untracked() {
                        api::create_legacy_account(&body).await?;
                        created.set(true);
                    }
                    let response = api::sign_in(&body.login_id, &body.password, None).await?;
                    session.signed_in(response.account);
                }
                let registered = api::register(key.as_str()).await?;
                state.legacy_result.set(Some(registered));
                state.go(Step::Done);
                Ok(())
            }
        },
    );
    let pending = register_line.pending();
    let failure = failure_of(register_line);

    let register = move |signed_in: bool| {
        let Some(key) = state.key.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        let account = (!signed_in).then(|| form.request(i18n.lang().code()));
        register_line.dispatch((key, account));
    };
    let retry = Callback::new(move |()| register(session.account().is_some()));

    let body = move || {
        if !session.is_known() {
            return view! { <p>{t!(i18n, loading)}</p> }.into_any();
        }
        match session.account() {
            Some(account) => {
                let email = account.email.clone();
                view! {
                    <p>{i18n.fmt(move |m, _| (m.signed_in_as)(&email))}</p>
                    <div class="actions">
                        <button type="button" class="button" disabled=move || pending.get() on:click=move |_| register(true)>
                            {i18n.pick(move |m| if pending.get() { m.submitting } else { m.legacy_register_signed_in })}
                        </button>
                        <button type="button" class="button secondary" on:click=move |_| session.sign_out()>
                            {t!(i18n, use_other_account)}
                        </button>
                    </div>
                }
                .into_any()
            }
            None => view! {
                <div class="two-panels">
                    <SignInForm id_prefix="legacy-sign-in" />
                    <form
                        class="panel legacy-form"
                        aria-labelledby="legacy-form-heading"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            register(false);
                        }
                    >
                        <h3 id="legacy-form-heading">{t!(i18n, legacy_form_heading)}</h3>
                        <p>{t!(i18n, legacy_form_intro)}</p>
                        <TextField id="legacy-login-id" label=t!(i18n, login_id_label) value=form.login_id autocomplete="username" />
                        <TextField id="legacy-password" label=t!(i18n, password_label) value=form.password kind="password" autocomplete="new-password" />
                        <TextField id="legacy-email" label=t!(i18n, email_label) value=form.email kind="email" autocomplete="email" />
                        <TextField id="legacy-contact-name" label=t!(i18n, contact_name_label) value=form.contact_name autocomplete="name" />
                        <TextField id="legacy-company" label=t!(i18n, company_label) value=form.company autocomplete="organization" />
                        <TextField id="legacy-address" label=t!(i18n, address_label) value=form.address autocomplete="street-address" />
                        <TextField id="legacy-city" label=t!(i18n, city_label) value=form.city autocomplete="address-level2" />
                        <TextField id="legacy-state" label=t!(i18n, state_label) value=form.state autocomplete="address-level1" />
                        <TextField id="legacy-postal-code" label=t!(i18n, postal_code_label) value=form.postal_code autocomplete="postal-code" />
                        <TextField
                            id="legacy-country"
                            label=t!(i18n, country_code_label)
                            help=t!(i18n, country_code_help)
                            value=form.country
                            autocomplete="country"
                        />
                        <TextField id="legacy-phone" label=t!(i18n, phone_label) value=form.phone kind="tel" autocomplete="tel" />
                        <button type="submit" class="button" disabled=move || pending.get()>
                            {i18n.pick(move |m| if pending.get() { m.submitting } else { m.legacy_register_button })}
                        </button>
                    </form>
                </div>
            }
            .into_any(),
        }
    };

    view! {
        <StepHeading state text=t!(i18n, legacy_account_heading) />
        {body}
        {move || failure.get().map(|f| view! { <ProblemView failure=f retry /> })}
        <div class="actions">
            <button type="button" class="button secondary" on:click=move |_| state.go(Step::Review)>
                {t!(i18n, step_review)}
            </button>
        </div>
    }
}

/// The fields of the long registration form.
#[derive(Debug, Clone, Copy)]
struct LegacyForm {
    login_id: RwSignal<String>,
    password: RwSignal<String>,
    email: RwSignal<String>,
    company: RwSignal<String>,
    address: RwSignal<String>,
    city: RwSignal<String>,
    state: RwSignal<String>,
    postal_code: RwSignal<String>,
    country: RwSignal<String>,
    phone: RwSignal<String>,
    contact_name: RwSignal<String>,
}

impl LegacyForm {
    fn new() -> Self {
        let field = || RwSignal::new(String::new());
        Self {
            login_id: field(),
            password: field(),
            email: field(),
            company: field(),
            address: field(),
            city: field(),
            state: field(),
            postal_code: field(),
            country: field(),
            phone: field(),
            contact_name: field(),
        }
    }

    fn request(&self, language: &str) -> CreateLegacyAccountRequest {
        let value = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        CreateLegacyAccountRequest {
            login_id: value(self.login_id),
            password: self.password.get_untracked(),
            email: value(self.email),
            company: value(self.company),
            address: value(self.address),
            city: value(self.city),
            state: value(self.state),
            postal_code: value(self.postal_code),
            country: value(self.country).to_ascii_uppercase(),
            phone: value(self.phone),
            contact_name: value(self.contact_name),
            language: Some(language.to_owned()),
        }
    }
}

/// Step 4 (legacy): the registered line and its activation codes.
#[component]
fn LegacyDoneStep(state: WizardState) -> impl IntoView {
    let i18n = use_i18n();
    let result = state.legacy_result.get_untracked();
    view! {
        <StepHeading state text=t!(i18n, legacy_done_heading) />
        {result.map(|r| {
            let order = r.order_number.clone();
            view! {
                <p>{i18n.fmt(move |m, _| (m.done_intro)(&order))}</p>
                {r.renewal.then(|| view! { <p class="notice">{t!(i18n, legacy_renewal_done)}</p> })}
                <ul class="cards"><RegisteredLineCard line=r.line /></ul>
                <p>{t!(i18n, legacy_done_email)}</p>
            }
        })}
        <div class="actions">
            <Link href="/products" class="button">{t!(i18n, go_products)}</Link>
            <button type="button" class="button secondary" on:click=move |_| {
                state.raw_key.set(String::new());
                state.restart();
            }>
                {t!(i18n, start_again)}
            </button>
        </div>
    }
}
