use leptos::prelude::*;

use crate::components::field::ShowMore;
use crate::components::household_row::HouseholdRow;
use crate::i18n::*;
use crate::state::use_db;

/// How many rows a list shows before "Show more": lists stay quick with 1,000 households.
pub const PAGE: usize = 50;

/// The team's households: instant search by any part of the address or a resident's name.
#[component]
pub fn HouseholdsPage() -> impl IntoView {
    let lang = use_lang();
    let db = use_db();
    let query = RwSignal::new(String::new());
    let limit = RwSignal::new(PAGE);
    let results = Memo::new(move |_| {
        let q = query.get();
        let deleted = db.deleted.get();
        db.households.with(|hs| {
            let mut found: Vec<_> = hs
                .iter()
                .filter(|h| !h.archived && !deleted.contains(&h.id) && h.matches(&q))
                .cloned()
                .collect();
            found.sort_by_cached_key(|h| h.address.one_line());
            found
        })
    });
    let shown = move || results.with(|r| r.iter().take(limit.get()).cloned().collect::<Vec<_>>());
    let total = move || {
        let deleted = db.deleted.get();
        db.households.with(|hs| {
            hs.iter()
                .filter(|h| !h.archived && !deleted.contains(&h.id))
                .count()
        })
    };
    view! {
        <section class="card" aria-labelledby="households-title">
            <h2 id="households-title">{move || counted(lang.get(), HOUSEHOLDS.get(lang.get()), total())}</h2>
            {move || db.scope.get().map(|c| view! {
                <p class="muted" data-testid="scope-note">{move || scope_note(lang.get(), &c.join("、"))}</p>
            })}
            <a class="button primary" href="/households/new">{tr(ADD_HOUSEHOLD)}</a>
            <div class="field">
                <label for="household-search">{tr(SEARCH_HOUSEHOLDS)}</label>
                <input id="household-search" type="search" autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |ev| {
                        query.set(event_target_value(&ev));
                        limit.set(PAGE);
                    }/>
            </div>
            <Show when=move || results.with(|r| !r.is_empty())
                fallback=move || view! {
                    <p class="muted">{move || if total() == 0 { tr(NO_HOUSEHOLDS)() } else { tr(NO_MATCH)() }}</p>
                }>
                <ul class="rows" aria-labelledby="households-title">
                    <For each=shown key=|h| (h.id, h.updated_at) let(h)>
                        <HouseholdRow href=format!("/households/{}", h.id) household=h/>
                    </For>
                </ul>
            </Show>
            <ShowMore total=Signal::derive(move || results.with(Vec::len)) limit=limit step=PAGE/>
        </section>
    }
}
