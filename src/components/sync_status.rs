//! Always visible: offline, waiting to sync (N) / syncing 37 / 1,000 / all synced at 14:05, a
//! "Sync now" button, and what went wrong (kept records, retry by itself).
//!
//! The status sits in a slot whose width comes from the header, not from its text (offline it
//! also takes the hidden button's room): the header never moves when the status changes, so a
//! tap aimed below it (the unlock button, a tab) or beside it lands where it was aimed.

use leptos::prelude::*;

use crate::browser::format_clock;
use crate::hooks::use_online;
use crate::i18n::*;
use crate::sync::{use_sync, SyncState};

#[component]
pub fn SyncStatus() -> impl IntoView {
    let lang = use_lang();
    let online = use_online();
    let sync = use_sync();
    let db = crate::state::use_db();
    let signed_in = move || crate::session::use_session().session.with(Option::is_some);
    let text = move || {
        let l = lang.get();
        let pending = db.pending.get();
        match sync.state.get() {
            SyncState::Running { done, total } if total > 0 => {
                format!("{} {done} / {total}", SYNCING.get(l))
            }
            SyncState::Running { .. } => SYNCING.get(l).to_owned(),
            // Not "all synced" while changes the server refused wait on the phone.
            _ if sync.refused.get() > 0 => counted(l, REFUSED_SHORT.get(l), sync.refused.get()),
            _ if pending > 0 => counted(l, WAITING_TO_SYNC.get(l), pending),
            // Not "all synced" before the waiting changes are counted (just after start).
            _ if !db.counted.get() => String::new(),
            _ => match sync.last_ok.get() {
                Some(at) => format!("{} {}", ALL_SYNCED.get(l), format_clock(at, l.tag())),
                None => String::new(),
            },
        }
    };
    let running = move || matches!(sync.state.get(), SyncState::Running { .. });
    view! {
        <span class="status-slot">
            // "Online" only where there is room: offline is the state a volunteer must see.
            <span class="chip net" class:offline=move || !online.get() role="status">
                {move || if online.get() { ONLINE.get(lang.get()) } else { OFFLINE.get(lang.get()) }}
            </span>
            <Show when=signed_in>
                <span class="chip" role="status" data-testid="sync-status"
                    class:hidden=move || text().is_empty()>{text}</span>
            </Show>
        </span>
        <Show when=signed_in>
            <button type="button" class="secondary icon" class:away=move || !online.get()
                class:spinning=running disabled=running
                aria-label=move || SYNC_NOW.get(lang.get()) title=move || SYNC_NOW.get(lang.get())
                on:click=move |_| sync.request()>
                <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                    <path d="M20 12a8 8 0 1 1-2.34-5.66M20 4v5h-5"/>
                </svg>
            </button>
        </Show>
        {move || match sync.state.get() {
            SyncState::Failed { busy: false } => Some(view! { <p class="banner warn" role="status">{tr(SYNC_FAILED)}</p> }.into_any()),
            SyncState::Failed { busy: true } => Some(view! { <p class="banner warn" role="status">{tr(SERVER_BUSY)}</p> }.into_any()),
            SyncState::UpdateApp => Some(view! { <p class="banner warn" role="alert">{tr(UPDATE_APP)}</p> }.into_any()),
            _ => None,
        }}
        {move || (sync.refused.get() > 0).then(|| view! {
            <p class="banner warn" role="status">
                {move || refused(lang.get(), sync.refused.get())} " "
                <a href="/sync-problems">{tr(SEE_PROBLEMS)}</a>
            </p>
        })}
    }
}
