use leptos::prelude::*;

use crate::api;
use crate::components::app_header::LanguageSwitch;
use crate::i18n::*;
use crate::session::use_session;
use crate::state::use_db;

/// The header's account menu: who is signed in, the account page (change password), the
/// language and signing out — one button, so the header stays one line on a 360 px phone.
/// Signing out removes the team's data from the phone, so with changes not yet synced —
/// waiting, or refused by the server and kept — it is refused, unless the volunteer confirms
/// a discard.
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
        let token = ctx.token();
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
    let open = RwSignal::new(false);
    let sign_out = move |_| {
        open.set(false);
        if untrack(unsynced) > 0 {
            asking.set(true);
        } else {
            finish();
        }
    };
    let name = move || ctx.session.get().map(|s| s.user.display_name);
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            open.set(false);
        }
    };
    view! {
        <button type="button" class="secondary account-button"
            aria-expanded=move || open.get().to_string()
            aria-controls=move || open.get().then_some("account-menu")
            on:click=move |_| open.update(|o| *o = !*o) on:keydown=close_on_escape>
            <span class="sr-only">{move || format!("{}{}", ACCOUNT.get(lang.get()), COLON.get(lang.get()))}</span>
            <span class="account-name">{name}</span>
            <span aria-hidden="true">" ▾"</span>
        </button>
        <Show when=move || open.get()>
            <div id="account-menu" class="account-menu" on:keydown=close_on_escape>
                <p>{move || ctx.session.get().map(|s| format!("{} · {} · {}",
                    s.user.display_name, s.user.role.label(lang.get()), s.user.team.name))}</p>
                <a class="button" href="/account" on:click=move |_| open.set(false)>{tr(CHANGE_PASSWORD)}</a>
                <LanguageSwitch/>
                <button type="button" on:click=sign_out>{tr(SIGN_OUT)}</button>
            </div>
        </Show>
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
