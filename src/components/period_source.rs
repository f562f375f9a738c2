//! Where the records of the period shown come from, when not from this phone alone: the
//! server (来自服务器), being read, not on this phone (offline), or a failed read with a retry.

use leptos::prelude::*;

use crate::hooks::{PeriodRecords, Source};
use crate::i18n::*;

#[component]
pub fn PeriodSource(records: PeriodRecords) -> impl IntoView {
    let lang = use_lang();
    let db = crate::state::use_db();
    let kept_from = move || {
        db.window
            .get()
            .map(|w| w.from.to_string())
            .unwrap_or_default()
    };
    view! {
        <div role="status" id="period-source">
            {move || match records.source.get() {
                Source::Phone => ().into_any(),
                Source::Server => view! {
                    <p class="banner">{move || from_server(lang.get(), &kept_from())}</p>
                }.into_any(),
                Source::Loading => view! { <p class="muted">{tr(READING_FROM_SERVER)}</p> }.into_any(),
                Source::NotOnPhone => view! {
                    <p class="banner warn">{move || not_on_phone(lang.get(), &kept_from())}</p>
                }.into_any(),
                Source::Failed => view! {
                    <p class="banner warn">{tr(SERVER_READ_FAILED)} " "
                        <button type="button" class="small" on:click=move |_| records.retry.run(())>{tr(RETRY)}</button>
                    </p>
                }.into_any(),
            }}
        </div>
    }
}
