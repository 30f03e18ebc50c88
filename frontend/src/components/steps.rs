//! The wizard's visible step indicator.

use leptos::prelude::*;

use crate::i18n::Messages;
use crate::state::use_i18n;
use crate::t;

/// A step of the activation wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Type the registration key.
    EnterKey,
    /// Review the order.
    Review,
    /// Sign in, sign up or continue as the signed-in account.
    Account,
    /// Check the email for the verification link (account-based flow only).
    ConfirmEmail,
    /// Activated.
    Done,
}

impl Step {
    /// The steps of the account-based flow.
    pub const ACCOUNT_BASED: &'static [Step] = &[
        Step::EnterKey,
        Step::Review,
        Step::Account,
        Step::ConfirmEmail,
        Step::Done,
    ];

    /// The steps of the legacy flow (registration takes effect at once).
    pub const LEGACY: &'static [Step] = &[Step::EnterKey, Step::Review, Step::Account, Step::Done];

    /// The step's name.
    pub fn name(self, m: &Messages) -> &'static str {
        match self {
            Step::EnterKey => m.step_enter_key,
            Step::Review => m.step_review,
            Step::Account => m.step_account,
            Step::ConfirmEmail => m.step_confirm_email,
            Step::Done => m.step_done,
        }
    }
}

/// An ordered list of the steps; the current one carries `aria-current="step"`.
#[component]
pub fn StepIndicator(
    /// The steps of this flow.
    #[prop(into)]
    steps: Signal<&'static [Step]>,
    /// The current step.
    #[prop(into)]
    current: Signal<Step>,
) -> impl IntoView {
    let i18n = use_i18n();
    let items = move || {
        let steps = steps.get();
        let current = current.get();
        let current_index = steps.iter().position(|s| *s == current).unwrap_or_default();
        steps
            .iter()
            .enumerate()
            .map(|(index, step)| {
                let step = *step;
                let state = if index < current_index {
                    "done"
                } else if index == current_index {
                    "current"
                } else {
                    "todo"
                };
                let aria_current = (index == current_index).then_some("step");
                view! {
                    <li class=format!("step step-{state}") aria-current=aria_current>
                        <span class="step-number" aria-hidden="true">{index + 1}</span>
                        <span class="step-name">{move || step.name(i18n.m())}</span>
                        {(index < current_index)
                            .then(|| view! { <span class="visually-hidden">{t!(i18n, step_completed)}</span> })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <nav class="steps" aria-label=t!(i18n, steps_label)>
            <ol>{items}</ol>
        </nav>
    }
}
