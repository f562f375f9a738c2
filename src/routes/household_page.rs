use doorstep_core::store::{RecordKind, StoreError};
use doorstep_core::RecordId;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::conflicts::RecordConflicts;
use crate::components::follow_up_done::FollowUpDone;
use crate::components::undo::{delete_with_undo, JustDeleted, UndoBanner};
use crate::i18n::*;
use crate::state::use_db;

/// One household: who lives there, and its visits, newest first.
#[component]
pub fn HouseholdPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| RecordId::parse(&s).ok())
    };
    let household = move || {
        id().filter(|id| !db.deleted.with(|d| d.contains(id)))
            .and_then(|id| db.household(id))
    };
    // What was just deleted here (a visit, or the household), for "undo"; and a storage
    // error, if one happened.
    let deleted: JustDeleted = RwSignal::new(None);
    let error = RwSignal::new(None::<StoreError>);
    let message = Signal::derive(move || match deleted.get() {
        Some((RecordKind::Household, _)) => HOUSEHOLD_DELETED,
        _ => VISIT_DELETED,
    });
    view! {
        <UndoBanner deleted=deleted message=message error=error/>
        <p class="error" role="alert">{move || error.get().map(|e| e.message(lang.get()))}</p>
        <Show when=move || household().is_some()
            fallback=move || view! {
                <Show when=move || deleted.get().is_none()>
                    <section class="card"><p role="alert">{tr(NOT_FOUND)}</p></section>
                </Show>
            }>
            {move || household().map(|h| {
                let visits = db.visits_of(h.id);
                let visits_count = visits.len();
                let open: Vec<_> = visits.iter()
                    .filter_map(|v| v.follow_up.clone().filter(|f| f.done_on.is_none()).map(|f| (v.clone(), f)))
                    .collect();
                view! {
                    <section class="card" aria-labelledby="household-title">
                        <h2 id="household-title">{h.address.one_line()}</h2>
                        <ul class="plain">
                            {h.residents.iter().map(|r| {
                                let r = r.clone();
                                view! {
                                    <li>
                                        <strong>{r.name.clone()}</strong>
                                        {move || r.age_band.map(|a| format!(" · {}", a.label(lang.get())))}
                                        {r.lives_alone.then(|| view! { " · " {tr(LIVES_ALONE)} })}
                                        {r.limited_mobility.then(|| view! { " · " {tr(LIMITED_MOBILITY)} })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p class="muted">{tr(CADENCE)}{tr(COLON)}{move || h.cadence.label(lang.get())}</p>
                        <p class="muted">{tr(ASSIGNED_TO)}{tr(COLON)}{
                            let who = h.assigned_to.clone();
                            move || if who.is_empty() { UNASSIGNED.get(lang.get()).to_owned() } else { who.clone() }
                        }</p>
                        <a class="button primary" href=format!("/visits/new?household={}", h.id)>
                            {move || if visits_count > 0 { LOG_ANOTHER.get(lang.get()) } else { LOG_A_VISIT.get(lang.get()) }}
                        </a>
                        <a class="button" href=format!("/households/{}/edit", h.id)>{tr(EDIT)}</a>
                        // Only a household with no visits can be deleted (a mistake, a
                        // duplicate); one with visits is archived, so its history stays.
                        {(visits_count == 0).then(|| view! {
                            " "
                            <button type="button" aria-label=tr(DELETE_HOUSEHOLD)
                                on:click=move |_| delete_with_undo(RecordKind::Household, h.id, deleted, error)>
                                {tr(DELETE)}
                            </button>
                        })}
                    </section>
                    <RecordConflicts kind=RecordKind::Household id=h.id edit_href=format!("/households/{}/edit", h.id)/>
                    {(!open.is_empty()).then(|| view! {
                        <section class="card" aria-labelledby="follow-ups-title">
                            <h2 id="follow-ups-title">{tr(OPEN_FOLLOW_UPS)}</h2>
                            <ul class="plain">
                                {open.into_iter().map(|(v, f)| {
                                    let mine = may_change(&v.author);
                                    view! {
                                        <li>
                                            {f.due.to_string()} " " {f.what} " "
                                            {mine.then(|| view! { <FollowUpDone visit=v error=error/> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    <section class="card" aria-labelledby="history-title">
                        <h2 id="history-title">{counted(lang.get_untracked(), VISIT_HISTORY.get(lang.get_untracked()), visits.len())}</h2>
                        {if visits.is_empty() {
                            view! { <p class="muted">{tr(NO_VISIT_HISTORY)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="rows" aria-labelledby="history-title">
                                    {visits.into_iter().map(|v| {
                                        let mine = may_change(&v.author);
                                        view! {
                                        <li>
                                            <span class="row-title">{v.day.to_string()}</span> " "
                                            {v.start_time.clone().zip(v.end_time.clone()).map(|(a, b)| format!("{a}–{b} "))}
                                            {move || db.people_line(&v.people, &v.volunteers, lang.get())}
                                            <div>{move || v.services.summary(lang.get())}</div>
                                            {(!v.residents_words.is_empty()).then(|| view! { <div class="muted">"“" {v.residents_words.clone()} "”"</div> })}
                                            <div>
                                                <span class="badge" class:synced=move || db.is_synced(v.id, v.rev)>
                                                    {move || if db.is_synced(v.id, v.rev) {
                                                        received(lang.get(), &crate::browser::format_clock(v.received_at, lang.get().tag()))
                                                    } else {
                                                        SAVED_ON_PHONE.get(lang.get()).to_owned()
                                                    }}
                                                </span>
                                            </div>
                                            {mine.then(|| view! {
                                                <a class="button small" href=format!("/visits/{}/edit", v.id)
                                                    aria-label=tr(EDIT_THIS_VISIT)>{tr(EDIT)}</a>
                                                " "
                                                <button type="button" class="small" aria-label=tr(DELETE_VISIT)
                                                    on:click=move |_| delete_with_undo(RecordKind::Visit, v.id, deleted, error)>
                                                    {tr(DELETE)}
                                                </button>
                                            })}
                                        </li>
                                    }}).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                }
            })}
        </Show>
    }
}

/// A visit is changed by whoever logged it, or by a coordinator (the server refuses others).
/// Visits saved before sign-in existed have no author: their phone may change them.
fn may_change(author: &str) -> bool {
    crate::session::use_session().session.with_untracked(|s| {
        s.as_ref().is_none_or(|s| {
            s.user.role.is_coordinator() || author.is_empty() || s.user.id == author
        })
    })
}
