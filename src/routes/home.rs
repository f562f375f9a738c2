use leptos::prelude::*;

use crate::components::due_list::DueList;
use crate::components::recent_visits::RecentVisits;
use crate::components::storage_panel::StoragePanel;
use crate::i18n::*;
use crate::pwa::use_storage_estimate;
use crate::state::use_db;

/// Home: who is due a visit, the latest visits on this phone, and the state of its storage.
#[component]
pub fn HomePage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let (estimate, _refresh) = use_storage_estimate();
    view! {
        <div>
            {move || db.load_error.get().map(|e| view! {
                <p class="banner warn" role="alert">{e.message(lang.get())}</p>
            })}
            <Show when=move || { db.unreadable.get() > 0 }>
                <p class="banner warn" role="alert">{move || db.unreadable.get()} " " {tr(UNREADABLE)}</p>
            </Show>
            <DueList/>
            <RecentVisits/>
            <StoragePanel estimate=estimate/>
        </div>
    }
}
