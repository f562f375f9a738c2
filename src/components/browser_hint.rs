//! Where the app was opened, and what to do about it: inside WeChat's or QQ's built-in
//! browser records are not safe (it may clear storage, and it cannot install the app), so a
//! banner says to open the link in the phone's browser; on an iPhone, which has no install
//! prompt, the steps to add the app to the home screen (Android's Chromium browsers get the
//! install button in the header instead).

use leptos::prelude::*;

use crate::i18n::*;

// Remembered once the volunteer has read the iPhone steps.
use doorstep_core::store::keys::IOS_HINT_SEEN;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    WeChat,
    Qq,
    /// Safari on an iPhone or iPad, not yet from the home screen.
    IosSafari,
    Elsewhere,
}

/// From the user agent: WeChat says `MicroMessenger`; QQ's in-app browser `QQ/` (QQ's own
/// browser app, `MQQBrowser`, is a real browser and can install).
pub fn classify(ua: &str, standalone: bool) -> Opened {
    let ios = ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod");
    if ua.contains("MicroMessenger") {
        Opened::WeChat
    } else if ua.contains(" QQ/") {
        Opened::Qq
    } else if ios
        && ua.contains("Safari")
        && !["CriOS", "FxiOS", "EdgiOS"].iter().any(|b| ua.contains(b))
        && !standalone
    {
        Opened::IosSafari
    } else {
        Opened::Elsewhere
    }
}

fn opened() -> Opened {
    let navigator = window().navigator();
    let ua = navigator.user_agent().unwrap_or_default();
    // iOS sets navigator.standalone when the app runs from the home screen.
    let standalone = js_sys::Reflect::get(&navigator, &"standalone".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    classify(&ua, standalone)
}

#[component]
pub fn BrowserHint() -> impl IntoView {
    let lang = use_lang();
    let here = opened();
    match here {
        Opened::WeChat | Opened::Qq => {
            let app = if here == Opened::WeChat { WECHAT } else { QQ };
            let copied = RwSignal::new(false);
            let copy = move |_| {
                let href = window().location().href().unwrap_or_default();
                let _ = window().navigator().clipboard().write_text(&href);
                copied.set(true);
            };
            view! {
                <div class="banner warn in-app" role="alert">
                    <p>{move || in_app_browser(lang.get(), app.get(lang.get()))}</p>
                    <button type="button" on:click=copy>{tr(COPY_LINK)}</button>
                    <span role="status">{move || copied.get().then(|| COPIED.get(lang.get()))}</span>
                </div>
            }
            .into_any()
        }
        Opened::IosSafari => {
            let seen = crate::local_store::phone_setting(IOS_HINT_SEEN).is_some();
            let show = RwSignal::new(!seen);
            let dismiss = move |_| {
                show.set(false);
                crate::local_store::set_phone_setting(IOS_HINT_SEEN, "1");
            };
            view! {
                <Show when=move || show.get()>
                    <div class="banner" role="region" aria-label=move || ADD_TO_HOME.get(lang.get())>
                        <p>{tr(IOS_ADD_TO_HOME)}</p>
                        <button type="button" on:click=dismiss>{tr(GOT_IT)}</button>
                    </div>
                </Show>
            }
            .into_any()
        }
        Opened::Elsewhere => ().into_any(),
    }
}
