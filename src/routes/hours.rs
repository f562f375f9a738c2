//! For coordinators: each person's service hours (服务时长) for the dashboard's period, from
//! the records the dashboard reads (this phone's, or the server's for an older period), so it
//! works offline. Counted by `doorstep_core::hours`, as the server's report counts them.

use doorstep_core::hours;
use doorstep_core::stats::Period;
use leptos::prelude::*;

use crate::hooks::PeriodRecords;
use crate::i18n::*;
use crate::state::use_db;

#[component]
pub fn HoursTable(records: PeriodRecords, #[prop(into)] period: Signal<Period>) -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let rows = Memo::new(move |_| {
        let p = period.get();
        let roster = db.roster();
        records.visits.with(|vs| {
            records.events.with(|es| {
                let old = hours::old_names(vs, es);
                let served = hours::served(vs, es, &roster, p.from, p.to);
                hours::report(&served, &roster, &|id| old.get(&id).cloned())
            })
        })
    });
    view! {
        <section class="card" aria-labelledby="hours-title">
            <h2 id="hours-title">{tr(SERVICE_HOURS)}</h2>
            <Show when=move || rows.with(|r| !r.is_empty()) fallback=move || view! { <p class="muted">{tr(NO_HOURS)}</p> }>
                <table class="hours" aria-labelledby="hours-title">
                    <thead>
                        <tr>
                            <th scope="col">{tr(PERSON_NAME)}</th>
                            <th scope="col">{tr(HOURS_TOTAL)}</th>
                            <th scope="col">{tr(HOURS_ACTIVITIES)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|r| (r.person, r.minutes, r.visits, r.events) let(r)>
                            <tr>
                                <th scope="row">
                                    {r.name.clone()}
                                    {r.party_member.then(|| view! { " " <span class="badge">{tr(PARTY_MEMBER)}</span> })}
                                </th>
                                <td>{r.hours.clone()}</td>
                                <td>{move || activities(lang.get(), r.visits, r.events, r.untimed)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

/// "走访 3 次，活动 1 次（1 次未记时间）".
fn activities(l: doorstep_core::Lang, visits: u32, events: u32, untimed: u32) -> String {
    match l {
        doorstep_core::Lang::Zh => {
            let mut s = format!("走访 {visits} 次，活动 {events} 次");
            if untimed > 0 {
                s.push_str(&format!("（{untimed} 次未记时间）"));
            }
            s
        }
        doorstep_core::Lang::En => {
            let mut s = format!("{visits} visits, {events} events");
            if untimed > 0 {
                s.push_str(&format!(" ({untimed} without times)"));
            }
            s
        }
    }
}
