//! My account: the profile (full name, company, country, language).

use clp_api_types::{AccountResponse, UpdateProfileRequest};
use leptos::prelude::*;

use crate::api;
use crate::components::form_field::FormField;
use crate::components::form_problem::{FormProblem, account_labels};
use crate::components::problem::failure_of;
use crate::i18n::Lang;
use crate::state::{use_announcer, use_i18n, use_session};
use crate::t;

/// The profile form, filled with the account's values.
#[component]
pub fn ProfileSection(
    /// The account as it was when the page opened.
    account: AccountResponse,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let full_name = RwSignal::new(account.full_name);
    let company = RwSignal::new(account.company);
    let country = RwSignal::new(account.country);
    let language = RwSignal::new(
        Lang::from_tag(&account.language)
            .unwrap_or_else(|| i18n.lang())
            .code()
            .to_owned(),
    );
    let saved = RwSignal::new(false);

    let save = Action::new_local(move |body: &UpdateProfileRequest| {
        let body = body.clone();
        async move {
            let account = api::update_profile(&body).await?;
            if let Some(lang) = Lang::from_tag(&account.language) {
                i18n.set(lang);
            }
            session.signed_in(account);
            saved.set(true);
            announcer.say(i18n.m().profile_saved.to_owned());
            Ok(())
        }
    });
    let pending = save.pending();
    let failure = failure_of(save);
    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        saved.set(false);
        save.dispatch(UpdateProfileRequest {
            full_name: Some(full_name.get_untracked().trim().to_owned()),
            company: Some(company.get_untracked().trim().to_owned()),
            country: Some(country.get_untracked().trim().to_ascii_uppercase()),
            language: Some(language.get_untracked()),
        });
    };
    view! {
        <form
            class="panel account-section"
            aria-labelledby="profile-heading"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <h2 id="profile-heading">{t!(i18n, profile_heading)}</h2>
            <FormField id="profile-full-name" label=t!(i18n, full_name_label) value=full_name autocomplete="name" maxlength=200 />
            <FormField id="profile-company" label=t!(i18n, company_label) value=company autocomplete="organization" optional=true maxlength=200 />
            <FormField
                id="profile-country"
                label=t!(i18n, country_code_label)
                help=t!(i18n, country_code_help)
                value=country
                autocomplete="country"
                optional=true
                maxlength=2
            />
            <div class="field">
                <label for="profile-language">{t!(i18n, email_language_label)}</label>
                <select id="profile-language" prop:value=language on:change=move |ev| language.set(event_target_value(&ev))>
                    {Lang::ALL
                        .into_iter()
                        .map(|lang| view! {
                            <option value=lang.code() lang=lang.code() selected=move || language.get() == lang.code()>
                                {lang.native_name()}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            {move || failure.get().map(|f| view! {
                <FormProblem failure=f labels=account_labels retry=Callback::new(move |()| submit()) />
            })}
            {move || saved.get().then(|| view! { <p class="success">{t!(i18n, profile_saved)}</p> })}
            <button type="submit" class="button" disabled=move || pending.get()>
                {i18n.pick(move |m| if pending.get() { m.submitting } else { m.save_button })}
            </button>
        </form>
    }
}
