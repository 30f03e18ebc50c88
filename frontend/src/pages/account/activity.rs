//! My account: the recent activity (`GET /api/v1/me/activity`), newest first.

use clp_api_types::ActivityEvent;
use leptos::prelude::*;

use crate::api;
use crate::components::problem::ProblemView;
use crate::i18n::format;
use crate::state::use_i18n;
use crate::t;

/// The activity table.
#[component]
pub fn ActivitySection() -> impl IntoView {
    let i18n = use_i18n();
    let activity = LocalResource::new(api::my_activity);
    let content = move || {
        activity.get().map(|answer| match answer {
            Ok(response) if response.events.is_empty() => {
                view! { <p>{t!(i18n, activity_empty)}</p> }.into_any()
            }
            Ok(response) => view! {
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="activity-heading">
                    <table class="activity">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, activity_when)}</th>
                                <th scope="col">{t!(i18n, activity_what)}</th>
                                <th scope="col">{t!(i18n, order_label)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {response.events.into_iter().map(|event| view! { <ActivityRow event /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
            Err(failure) => view! {
                <ProblemView failure retry=Callback::new(move |()| activity.refetch()) />
            }
            .into_any(),
        })
    };
    view! {
        <section class="panel account-section" aria-labelledby="activity-heading">
            <h2 id="activity-heading">{t!(i18n, activity_heading)}</h2>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {content}
            </Transition>
        </section>
    }
}

/// One event: when (local time), what, and the order.
#[component]
fn ActivityRow(event: ActivityEvent) -> impl IntoView {
    let i18n = use_i18n();
    let at = event.at.with_timezone(&chrono::Local).fixed_offset();
    let kind = event.kind;
    view! {
        <tr>
            <td>{i18n.fmt(move |_, lang| format::date_time(lang, at))}</td>
            <td>{i18n.fmt(move |m, _| (m.activity_kind)(&kind))}</td>
            <td class="wrap">{event.order_number.unwrap_or_default()}</td>
        </tr>
    }
}
