use leptos::prelude::*;

use crate::components::account_menu::AccountMenu;
use crate::components::browser_hint::BrowserHint;
use crate::components::sync_status::SyncStatus;
use crate::i18n::*;
use crate::pwa::{use_install_prompt, use_service_worker};

/// Switches between Chinese and English (labelled in the language it switches to).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let switch_language = move |_| {
        let next = lang.get().other();
        remember_lang(next);
        lang.set(next);
    };
    view! {
        <button type="button" class="secondary" on:click=switch_language
            lang=move || lang.get().other().tag()>
            {tr(SWITCH_LANGUAGE)}
        </button>
    }
}

/// Title, online state, sync state, the account menu (or the language switch before
/// sign-in), and the install and update prompts.
#[component]
pub fn AppHeader() -> impl IntoView {
    let lang = use_lang();
    let update = use_service_worker();
    let install = use_install_prompt();
    let db = crate::state::use_db();
    let nearly_full = move || db.storage_use.get().filter(|u| u.nearly_full());
    let has_session = move || crate::session::use_session().session.with(Option::is_some);
    let signed_in = move || {
        let c = crate::session::use_session();
        c.session.with(Option::is_some) && c.has_pin.get() && !c.locked.get()
    };
    view! {
        <header class="app-header">
            // On a phone with a session (the lock screen too) the name gives its room to the
            // status and the buttons (it stays for screen readers).
            <h1 class:compact=has_session>{tr(APP_NAME)}</h1>
            <SyncStatus/>
            // Not on the lock screen: whoever holds a locked phone cannot sign it out. The
            // language is in the account menu once signed in.
            <Show when=signed_in fallback=|| view! { <LanguageSwitch/> }>
                <AccountMenu/>
            </Show>
        </header>
        {move || nearly_full().map(|u| view! {
            <p class="banner warn" role="status">{move || storage_nearly_full(lang.get(), u.percent())}</p>
        })}
        <Show when=move || update.available.get()>
            <div class="banner" role="alert">
                <span>{tr(NEW_VERSION)}</span>
                <button type="button" on:click=move |_| update.apply()>{tr(RELOAD)}</button>
            </div>
        </Show>
        <BrowserHint/>
        <Show when=move || install.available.get()>
            <div class="banner">
                <button type="button" on:click=move |_| install.prompt()>{tr(ADD_TO_HOME)}</button>
            </div>
        </Show>
    }
}
