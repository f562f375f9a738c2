//! "已完成 / Done" for a visit's open follow-up: closes it today (a change to the visit, by
//! whoever logged it or a coordinator, like any edit of a visit).

use doorstep_core::store::StoreError;
use doorstep_core::visit::Visit;
use leptos::prelude::*;

use crate::i18n::*;
use crate::state::use_db;

#[component]
pub fn FollowUpDone(visit: Visit, error: RwSignal<Option<StoreError>>) -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let what = visit
        .follow_up
        .as_ref()
        .map(|f| f.what.clone())
        .unwrap_or_default();
    let label = move || label_value(lang.get(), MARK_DONE.get(lang.get()), &what);
    view! {
        <button type="button" class="small" aria-label=label
            on:click=move |_| {
                let mut v = visit.clone();
                if v.close_follow_up(crate::state::today(), crate::browser::now()) {
                    if let Err(e) = db.save_visit(v) {
                        error.set(Some(e));
                    }
                }
            }>
            {tr(MARK_DONE)}
        </button>
    }
}
