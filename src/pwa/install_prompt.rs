use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Chromium's `beforeinstallprompt`, kept so that an "Add to home screen" button can show
/// the browser's install dialog when the volunteer asks for it.
#[derive(Clone, Copy)]
pub struct InstallPrompt {
    pub available: ReadSignal<bool>,
    set_available: WriteSignal<bool>,
    event: StoredValue<Option<JsValue>, LocalStorage>,
}

impl InstallPrompt {
    pub fn prompt(&self) {
        let event = self.event.with_value(|e| e.clone());
        if let Some(event) = event {
            if let Ok(prompt) = js_sys::Reflect::get(&event, &JsValue::from_str("prompt")) {
                if let Some(f) = prompt.dyn_ref::<js_sys::Function>() {
                    let _ = f.call0(&event);
                }
            }
        }
        // An event can prompt once.
        self.event.set_value(None);
        self.set_available.set(false);
    }
}

pub fn use_install_prompt() -> InstallPrompt {
    let (available, set_available) = signal(false);
    let event = StoredValue::new_local(None);
    if let Some(window) = web_sys::window() {
        let on_prompt = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default(); // show our own button instead of the mini-infobar
            event.set_value(Some(JsValue::from(e)));
            set_available.set(true);
        });
        let _ = window.add_event_listener_with_callback(
            "beforeinstallprompt",
            on_prompt.as_ref().unchecked_ref(),
        );
        on_prompt.forget();
        let on_installed = Closure::<dyn FnMut()>::new(move || set_available.set(false));
        let _ = window.add_event_listener_with_callback(
            "appinstalled",
            on_installed.as_ref().unchecked_ref(),
        );
        on_installed.forget();
    }
    InstallPrompt {
        available,
        set_available,
        event,
    }
}
