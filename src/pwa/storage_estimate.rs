use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Whether the browser promised to keep this origin's storage, and how much is used.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StorageEstimate {
    pub persistent: Option<bool>,
    pub usage_bytes: Option<f64>,
    pub quota_bytes: Option<f64>,
}

/// Asks for persistent storage once (so the browser does not clear unsynced visits under
/// pressure), then reports the estimate. `refresh` re-reads it after a save.
pub fn use_storage_estimate() -> (ReadSignal<StorageEstimate>, impl Fn() + Copy) {
    let (estimate, set_estimate) = signal(StorageEstimate::default());
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Some(e) = read(false).await {
                set_estimate.set(e);
            }
        })
    };
    leptos::task::spawn_local(async move {
        if let Some(e) = read(true).await {
            set_estimate.set(e);
        }
    });
    (estimate, refresh)
}

async fn read(ask_persist: bool) -> Option<StorageEstimate> {
    let navigator = web_sys::window()?.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("storage")).ok()? {
        return None;
    }
    let manager = navigator.storage();
    let promise = if ask_persist {
        manager.persist().ok()?
    } else {
        manager.persisted().ok()?
    };
    let persistent = JsFuture::from(promise).await.ok().and_then(|v| v.as_bool());
    let estimate = JsFuture::from(manager.estimate().ok()?).await.ok()?;
    let field = |name: &str| {
        js_sys::Reflect::get(&estimate, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Number>().ok())
            .map(|n| n.value_of())
    };
    Some(StorageEstimate {
        persistent,
        usage_bytes: field("usage"),
        quota_bytes: field("quota"),
    })
}
