use leptos::prelude::*;

use doorstep_core::store::{RecordKind, StoreError};

use crate::components::field::ShowMore;
use crate::components::undo::{delete_with_undo, JustDeleted, UndoBanner};
use crate::i18n::*;
use crate::routes::households::PAGE;
use crate::state::use_db;

/// The team's events on this phone, newest first.
#[component]
pub fn EventsPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let limit = RwSignal::new(PAGE);
    let events = Memo::new(move |_| db.live_events(|_| true));
    let deleted: JustDeleted = RwSignal::new(None);
    let error = RwSignal::new(None::<StoreError>);
    view! {
        <UndoBanner deleted=deleted message=EVENT_DELETED error=error/>
        <p class="error" role="alert">{move || error.get().map(|e| e.message(lang.get()))}</p>
        <section class="card" aria-labelledby="events-title">
            <h2 id="events-title">{move || counted(lang.get(), EVENTS.get(lang.get()), events.with(Vec::len))}</h2>
            <a class="button primary" href="/events/new">{tr(ADD_EVENT)}</a>
            <Show when=move || events.with(|e| !e.is_empty()) fallback=move || view! { <p class="muted">{tr(NO_EVENTS)}</p> }>
                <ul class="rows" aria-labelledby="events-title">
                    <For each=move || events.with(|e| e.iter().take(limit.get()).cloned().collect::<Vec<_>>())
                        key=|e| (e.id, e.updated_at) let(e)>
                        <li>
                            <a class="row-link" href=format!("/events/{}/edit", e.id)>
                                <span class="row-title">{e.title.clone()}</span>
                                <span class="muted">
                                    {e.day.to_string()} " · " {move || e.kind.label(lang.get())} " · "
                                    {tr(ATTENDANCE)} " " {e.attendance}
                                </span>
                            </a>
                            <button type="button" class="small" aria-label=tr(DELETE_EVENT)
                                on:click=move |_| delete_with_undo(RecordKind::Event, e.id, deleted, error)>
                                {tr(DELETE)}
                            </button>
                        </li>
                    </For>
                </ul>
            </Show>
            <ShowMore total=Signal::derive(move || events.with(Vec::len)) limit=limit step=PAGE/>
        </section>
    }
}
