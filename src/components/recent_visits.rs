use leptos::prelude::*;

use crate::i18n::*;
use crate::state::use_db;

/// How many of the latest visits the home screen shows.
const RECENT: usize = 10;

/// The latest visits on this phone, each marked "saved on this phone" until the server has
/// it as it is here, then "synced".
#[component]
pub fn RecentVisits() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let recent = Memo::new(move |_| {
        let mut vs = db.live_visits(|_| true);
        vs.truncate(RECENT);
        vs
    });
    let address = move |id| {
        db.household(id)
            .map(|h| h.address.one_line())
            .unwrap_or_default()
    };
    view! {
        <section class="card" aria-labelledby="recent-title">
            <h2 id="recent-title">{tr(SAVED_VISITS)}</h2>
            <Show when=move || recent.with(|r| !r.is_empty())
                fallback=move || view! { <p class="muted">{tr(NO_VISITS)}</p> }>
                <ul class="rows" aria-labelledby="recent-title">
                    <For each=move || recent.get() key=|v| (v.id, v.updated_at, v.rev) let(v)>
                        <li>
                            <a class="row-link" href=format!("/households/{}", v.household_id)>
                                <span class="row-title">{address(v.household_id)}</span>
                                <span class="visit-meta">
                                    {v.day.to_string()}
                                    <span class="badge" class:synced=move || db.is_synced(v.id, v.rev)>
                                        {move || if db.is_synced(v.id, v.rev) { SYNCED.get(lang.get()) } else { SAVED_ON_PHONE.get(lang.get()) }}
                                    </span>
                                </span>
                                <span>{move || v.services.summary(lang.get())}</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}
