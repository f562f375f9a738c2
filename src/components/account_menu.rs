use leptos::prelude::*;

use crate::api;
use crate::i18n::*;
use crate::session::use_session;
use crate::state::use_db;

/// Who is signed in, and signing out. Signing out removes the team's data from the phone, so
/// with changes not yet synced — waiting, or refused by the server and kept — it is refused,
/// unless the volunteer confirms a discard.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let ctx = use_session();
    let db = use_db();
    let lang = use_lang();
    let sync = crate::sync::use_sync();
    let unsynced = move || db.pending.get() + sync.refused.get();
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let finish = move || {
        let token = ctx.session.get_untracked().map(|s| s.token);
        // After any sync in flight, and with none starting, so nothing is written back.
        crate::sync::without_sync(move || async move {
            // Best effort, first: the server forgets the token (fails fast when offline).
            if let Some(t) = token {
                let _ = api::logout(&t).await;
            }
            match ctx.sign_out_and_wipe() {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e.message(lang.get_untracked()).to_owned())),
            }
        });
    };
    let sign_out = move |_| {
        if untrack(unsynced) > 0 {
            asking.set(true);
        } else {
            finish();
        }
    };
    view! {
        <div class="account">
            <span>{move || ctx.session.get().map(|s| s.user.display_name)}</span>
            <button type="button" class="secondary" on:click=sign_out>{tr(SIGN_OUT)}</button>
        </div>
        <Show when=move || asking.get()>
            <div class="banner warn" role="alert">
                <p>{move || unsynced_warning(lang.get(), unsynced())}</p>
                <button type="button" on:click=move |_| asking.set(false)>{tr(KEEP_SIGNED_IN)}</button>
                " "
                <button type="button" class="danger" on:click=move |_| finish()>{tr(DISCARD_AND_SIGN_OUT)}</button>
            </div>
        </Show>
        <p class="error" role="alert">{move || error.get()}</p>
    }
}

/// Starts the app afresh (the lists in memory belong to the user who left).
fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
