//! The coordinator's review (审阅): the team's visits and events for a period, narrowed by
//! volunteer, household, service, "needs attention" and open follow-ups (rules in
//! `doorstep_core::review`), and the sync conflicts waiting to be settled. A period older
//! than the phone keeps is read from the server (来自服务器).

use doorstep_core::labels::ServiceKind;
use doorstep_core::review::{households_matching, ReviewFilter};
use doorstep_core::RecordId;
use leptos::prelude::*;

use crate::components::field::{enum_choice, ShowMore};
use crate::components::period_picker::{use_period, PeriodPicker};
use crate::components::period_source::PeriodSource;
use crate::hooks::use_period_records;
use crate::i18n::*;
use crate::routes::households::PAGE;
use crate::state::use_db;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let period = use_period();
    let volunteer = RwSignal::new(String::new());
    let household = RwSignal::new(String::new());
    let service = RwSignal::new(None::<ServiceKind>);
    // The dashboard's figures link here with a filter on (`?open=1`, `?attention=1`).
    let query = leptos_router::hooks::use_query_map();
    let flag = move |name: &str| query.with(|q| q.get(name).as_deref() == Some("1"));
    let attention = RwSignal::new(false);
    let open = RwSignal::new(false);
    // The address is the outside world here: a link (or "审阅" in the menu) sets the flags.
    Effect::new(move |_| {
        attention.set(flag("attention"));
        open.set(flag("open"));
    });
    let limit = RwSignal::new(PAGE);
    let event_limit = RwSignal::new(PAGE);
    let filter = Memo::new(move |_| {
        ReviewFilter {
            period: period.get(),
            volunteer: volunteer.get(),
            households: household.with(|q| db.households.with(|hs| households_matching(hs, q))),
            service: service.get(),
            attention: attention.get(),
            open_follow_up: open.get(),
            people: Default::default(),
        }
        .with_roster(&db.roster())
    });
    let records = use_period_records(Signal::derive(move || {
        let p = period.get();
        (p.from, p.to)
    }));
    let visits = Memo::new(move |_| {
        let f = filter.get();
        records.visits.with(|vs| {
            vs.iter()
                .filter(|v| f.keeps_visit(v))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let events = Memo::new(move |_| {
        let f = filter.get();
        records.events.with(|es| {
            es.iter()
                .filter(|e| f.keeps_event(e))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let address = move |id: RecordId| {
        db.household(id)
            .map(|h| h.address.one_line())
            .unwrap_or_default()
    };
    let shown = move || visits.with(|vs| vs.iter().take(limit.get()).cloned().collect::<Vec<_>>());
    view! {
        <Conflicts/>
        <section class="card" aria-labelledby="review-title">
            <h2 id="review-title">{tr(REVIEW)}</h2>
            <PeriodPicker/>
            <PeriodSource records=records/>
            <div class="field">
                <label for="filter-volunteer">{tr(FILTER_VOLUNTEER)}</label>
                <input id="filter-volunteer" type="search" autocomplete="off"
                    prop:value=move || volunteer.get()
                    on:input=move |ev| { volunteer.set(event_target_value(&ev)); limit.set(PAGE); }/>
            </div>
            <div class="field">
                <label for="filter-household">{tr(FILTER_HOUSEHOLD)}</label>
                <input id="filter-household" type="search" autocomplete="off"
                    prop:value=move || household.get()
                    on:input=move |ev| { household.set(event_target_value(&ev)); limit.set(PAGE); }/>
            </div>
            <div class="field">
                <label for="filter-service">{tr(FILTER_SERVICE)}</label>
                <select id="filter-service"
                    on:change=move |ev| service.set(enum_choice(ServiceKind::ALL, &event_target_value(&ev)))>
                    <option value="">{tr(ANY)}</option>
                    {ServiceKind::ALL.iter().map(|k| {
                        let k = *k;
                        view! { <option value=format!("{k:?}")>{move || k.label(lang.get())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <crate::components::field::CheckField id="filter-attention".into()
                label=Signal::derive(move || FILTER_ATTENTION.get(lang.get()))
                checked=attention on_change=move |on: bool| attention.set(on)/>
            <crate::components::field::CheckField id="filter-open".into()
                label=Signal::derive(move || FILTER_OPEN_FOLLOW_UPS.get(lang.get()))
                checked=open on_change=move |on: bool| open.set(on)/>
            <p role="status" id="review-count">
                {move || records.source.get().ready()
                    .then(|| found(lang.get(), visits.with(Vec::len), events.with(Vec::len)))}
            </p>
            <ul class="rows" aria-label=tr(SAVED_VISITS)>
                <For each=shown key=|v| (v.id, v.updated_at) let(v)>
                    {let follow = v.open_follow_up();
                    let level = v.condition_level().filter(|_| v.needs_attention());
                    let services = v.services.clone();
                    view! {
                    <li>
                        <a class="row-link" href=format!("/visits/{}", v.id)>
                            <span class="row-title">{v.day.to_string()} " " {address(v.household_id)}</span>
                            <div>{move || db.people_line(&v.people, &v.volunteers, lang.get())}</div>
                            <div class="muted">{move || services.summary(lang.get())}</div>
                            {level.map(|level| view! { <span class="badge warn">{move || level.label(lang.get())}</span> })}
                            {follow.map(|due| view! {
                                " " <span class="badge">{tr(FOLLOW_UP)} " " {due.to_string()}</span>
                            })}
                        </a>
                    </li>
                    }}
                </For>
            </ul>
            <ShowMore total=Signal::derive(move || visits.with(Vec::len)) limit=limit step=PAGE/>
            <Show when=move || events.with(|e| !e.is_empty())>
                <h3>{tr(EVENTS)}</h3>
                <ul class="rows" aria-label=tr(EVENTS)>
                    {move || events.get().into_iter().take(event_limit.get()).map(|e| view! {
                        <li>
                            <a class="row-link" href=format!("/events/{}/edit", e.id)>
                                <span class="row-title">{e.day.to_string()} " " {e.title.clone()}</span>
                                <div class="muted">{move || e.kind.label(lang.get())} " · " {tr(ATTENDANCE)} " " {e.attendance}</div>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
                <ShowMore total=Signal::derive(move || events.with(Vec::len)) limit=event_limit step=PAGE/>
            </Show>
        </section>
    }
}

/// The records a pull reported in conflict: households link to their page, where each
/// field's values are shown side by side to pick from (or edit).
#[component]
fn Conflicts() -> impl IntoView {
    let db = use_db();
    let ids = Memo::new(move |_| {
        // Again after every pull or settled conflict (they change the records).
        db.households.track();
        db.visits.track();
        db.events.track();
        db.conflicted_ids()
    });
    view! {
        <Show when=move || ids.with(|i| !i.is_empty())>
            <section class="card warn" aria-labelledby="to-settle-title">
                <h2 id="to-settle-title">{tr(CONFLICTS_TO_SETTLE)}</h2>
                <ul class="rows">
                    {move || ids.get().into_iter().map(|id| {
                        let (href, line) = where_to_settle(&db, id);
                        view! { <li><a class="row-link" href=href>{line} " · " {tr(SETTLE)}</a></li> }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// The page that settles a record's conflicts, and a line that names the record.
fn where_to_settle(db: &crate::state::Db, id: RecordId) -> (String, String) {
    if let Some(h) = db.household(id) {
        return (format!("/households/{id}"), h.address.one_line());
    }
    if let Some(v) = db.visit(id) {
        let at = db
            .household(v.household_id)
            .map(|h| h.address.one_line())
            .unwrap_or_default();
        return (format!("/visits/{id}"), format!("{} {at}", v.day));
    }
    let title = db.events.with(|es| {
        es.iter()
            .find(|e| e.id == id)
            .map(|e| format!("{} {}", e.day, e.title))
    });
    (format!("/events/{id}/edit"), title.unwrap_or_default())
}
