//! For coordinators: each partner unit's share of the dashboard's period, and the visits by
//! 社区 (with its 街道), from the records the dashboard reads, so it works offline. Counted
//! by `doorstep_core::shares`, as the server's monthly report counts them.

use doorstep_core::shares;
use doorstep_core::stats::Period;
use leptos::prelude::*;

use crate::hooks::PeriodRecords;
use crate::i18n::*;
use crate::state::use_db;

#[component]
pub fn SharesTables(records: PeriodRecords, #[prop(into)] period: Signal<Period>) -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let units = Memo::new(move |_| {
        let names = db.names();
        let p = period.get();
        records.visits.with(|vs| {
            records
                .events
                .with(|es| shares::by_unit(p, vs, es, &names, lang.get()))
        })
    });
    let communities = Memo::new(move |_| {
        let names = db.names();
        let p = period.get();
        records.visits.with(|vs| {
            db.households
                .with(|hs| shares::by_community(p, hs, vs, &names))
        })
    });
    view! {
        <section class="card" aria-labelledby="by-unit-title">
            <h2 id="by-unit-title">{tr(BY_UNIT)}</h2>
            <Show when=move || units.with(|u| !u.is_empty()) fallback=move || view! { <p class="muted">{tr(NO_HOURS)}</p> }>
                <table class="hours" aria-labelledby="by-unit-title">
                    <thead>
                        <tr>
                            <th scope="col">{tr(PARTNERS)}</th>
                            <th scope="col">{tr(SHARE_VISITS)}</th>
                            <th scope="col">{tr(SHARE_EVENTS)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || units.get() key=|u| (u.unit, u.visits, u.households, u.events, u.name.clone()) let(u)>
                            <tr>
                                <th scope="row">{u.name.clone()}</th>
                                <td>{move || visits_households(lang.get(), u.visits, u.households)}</td>
                                <td>{u.events}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </Show>
            <h2 id="by-community-title">{tr(BY_COMMUNITY)}</h2>
            <Show when=move || communities.with(|c| !c.is_empty()) fallback=move || view! { <p class="muted">{tr(NO_HOURS)}</p> }>
                <table class="hours" aria-labelledby="by-community-title">
                    <thead>
                        <tr>
                            <th scope="col">{tr(COMMUNITY_AND_STREET)}</th>
                            <th scope="col">{tr(SHARE_VISITS)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || communities.get() key=|c| (c.community.clone(), c.sub_district.clone(), c.visits, c.households) let(c)>
                            <tr>
                                <th scope="row">
                                    {c.community.clone()}
                                    {c.sub_district.clone().map(|s| view! { " " <span class="muted">{s}</span> })}
                                </th>
                                <td>{move || visits_households(lang.get(), c.visits, c.households)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

/// "12 次（8 户）" / "12 (8 households)".
fn visits_households(l: doorstep_core::Lang, visits: u64, households: u64) -> String {
    match l {
        doorstep_core::Lang::Zh => format!("{visits} 次（{households} 户）"),
        doorstep_core::Lang::En => {
            let s = if households == 1 { "" } else { "s" };
            format!("{visits} ({households} household{s})")
        }
    }
}
