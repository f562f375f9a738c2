use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// A newer app version that has installed and waits for the page to let it take over.
#[derive(Clone, Copy)]
pub struct ServiceWorkerUpdate {
    pub available: ReadSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
}

impl ServiceWorkerUpdate {
    /// Activates the waiting version and reloads once it controls the page.
    pub fn apply(&self) {
        let Some(container) = container() else { return };
        let reload = Closure::once_into_js(|| {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        container.set_oncontrollerchange(Some(reload.unchecked_ref()));
        let waiting = self
            .registration
            .with_value(|r| r.as_ref().and_then(|r| r.waiting()));
        if let Some(worker) = waiting {
            let _ = worker.post_message(&JsValue::from_str("SKIP_WAITING"));
        }
    }
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Missing outside secure contexts (plain http on a LAN address).
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .ok()
        .filter(|has| *has)
        .map(|_| navigator.service_worker())
}

/// Registers `/sw.js` and reports when a new version is waiting. The new version never
/// takes over by itself while the app is open; it activates on the next start or on
/// [`ServiceWorkerUpdate::apply`].
pub fn use_service_worker() -> ServiceWorkerUpdate {
    let (available, set_available) = signal(false);
    let registration = StoredValue::new_local(None);
    if let Some(container) = container() {
        leptos::task::spawn_local(async move {
            let Ok(reg) = JsFuture::from(container.register("/sw.js")).await else {
                return;
            };
            let reg: ServiceWorkerRegistration = reg.unchecked_into();
            registration.set_value(Some(reg.clone()));
            // A version that installed while the app was closed, or in another tab.
            let has_controller = || container_controller().is_some();
            if reg.waiting().is_some() && has_controller() {
                set_available.set(true);
            }
            let reg_for_update = reg.clone();
            let on_update_found = Closure::<dyn FnMut()>::new(move || {
                let Some(installing) = reg_for_update.installing() else {
                    return;
                };
                let worker = installing.clone();
                let on_state = Closure::<dyn FnMut()>::new(move || {
                    // With no controller this is the first install, not an update.
                    if worker.state() == ServiceWorkerState::Installed && has_controller() {
                        set_available.set(true);
                    }
                });
                installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
                on_state.forget();
            });
            reg.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
            on_update_found.forget();
        });
    }
    ServiceWorkerUpdate {
        available,
        registration,
    }
}

fn container_controller() -> Option<web_sys::ServiceWorker> {
    container().and_then(|c| c.controller())
}
