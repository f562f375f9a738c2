use std::cmp::Reverse;

use doorstep_core::quick_visit::QuickVisit;
use leptos::prelude::*;

use crate::browser::format_time;
use crate::i18n::*;

/// The visits stored on this phone, newest first.
#[component]
pub fn VisitList(visits: RwSignal<Vec<QuickVisit>>) -> impl IntoView {
    let lang = use_lang();
    let newest_first = move || {
        let mut list = visits.get();
        list.sort_by_key(|v| Reverse(v.created_at));
        list
    };
    view! {
        <section class="card" aria-labelledby="saved-visits-title">
            <h2 id="saved-visits-title">
                {tr(SAVED_VISITS)} " (" {move || visits.with(Vec::len)} ")"
            </h2>
            <Show when=move || visits.with(|v| !v.is_empty())
                fallback=move || view! { <p class="muted">{tr(NO_VISITS)}</p> }>
                <ul class="visits" aria-labelledby="saved-visits-title">
                    <For each=newest_first key=|v| v.id let(visit)>
                        <li class="visit">
                            <div class="visit-address">{visit.address.clone()}</div>
                            <div class="visit-meta">
                                <time>{move || format_time(visit.created_at, lang.get().tag())}</time>
                                <span class="badge">{tr(SAVED_ON_PHONE)}</span>
                            </div>
                            {(!visit.note.is_empty()).then(|| view! { <p class="visit-note">{visit.note.clone()}</p> })}
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}
