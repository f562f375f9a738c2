//! `localStorage` as a [`KvStore`], through gloo-storage. Values are opaque strings.

use doorstep_core::store::{KvStore, StoreError};
use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};

/// The origin's `localStorage`. Zero-sized: every handle is the same store.
#[derive(Debug, Clone, Copy)]
pub struct LocalStore(());

impl LocalStore {
    /// Fails with [`StoreError::Unavailable`] when the browser disabled storage (gloo-storage
    /// would panic on it).
    pub fn open() -> Result<Self, StoreError> {
        let window =
            web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
        match window.local_storage() {
            Ok(Some(_)) => Ok(LocalStore(())),
            Ok(None) => Err(StoreError::Unavailable("localStorage is missing".into())),
            Err(e) => Err(StoreError::Unavailable(error_name(&e))),
        }
    }
}

/// One of the phone's own settings (`keys::Holds::Phone`: the language, a hint read): not the
/// team's data, kept through sign-out. `None` when unset or storage is unavailable.
pub fn phone_setting(key: &str) -> Option<String> {
    LocalStore::open().ok()?.get(key).ok()?
}

/// Stores one of the phone's own settings; a failure (storage full or off) only means it is
/// asked again next time.
pub fn set_phone_setting(key: &str, value: &str) {
    if let Ok(s) = LocalStore::open() {
        let _ = s.set(key, value);
    }
}

/// Every key of the origin's `localStorage`, and the UTF-16 units its keys and values use
/// (what the quota counts). Value lengths are read on the JS side: no copy into WASM.
pub fn all_keys() -> Result<(Vec<String>, u64), StoreError> {
    LocalStore::open()?;
    let raw = LocalStorage::raw();
    let mut keys = Vec::new();
    let mut units = 0u64;
    for key in js_sys::Object::keys(raw.unchecked_ref::<js_sys::Object>()).iter() {
        let value = js_sys::Reflect::get(&raw, &key).ok();
        let value_units = value
            .as_ref()
            .and_then(|v| v.dyn_ref::<js_sys::JsString>())
            .map_or(0, |v| v.length());
        units += u64::from(key.unchecked_ref::<js_sys::JsString>().length() + value_units);
        if let Some(k) = key.as_string() {
            keys.push(k);
        }
    }
    Ok((keys, units))
}

fn error_name(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| d.name())
        .unwrap_or_else(|| format!("{e:?}"))
}

fn to_store_error(e: JsValue) -> StoreError {
    let name = error_name(&e);
    // Chromium and Firefox name it differently; legacy code 22 covers old WebKit.
    let code = e.dyn_ref::<web_sys::DomException>().map(|d| d.code());
    if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" || code == Some(22) {
        StoreError::QuotaExceeded
    } else if name == "SecurityError" {
        StoreError::Unavailable(name)
    } else {
        StoreError::Other(name)
    }
}

impl KvStore for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        LocalStorage::raw().get_item(key).map_err(to_store_error)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        LocalStorage::raw()
            .set_item(key, value)
            .map_err(to_store_error)
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        LocalStorage::delete(key);
        Ok(())
    }

    fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        // One call for all keys: walking `key(i)` from WASM crosses into JS per key.
        let all = js_sys::Object::keys(LocalStorage::raw().unchecked_ref::<js_sys::Object>());
        let mut keys: Vec<String> = all
            .iter()
            .filter_map(|k| k.as_string())
            .filter(|k| k.starts_with(prefix))
            .collect();
        keys.sort();
        Ok(keys)
    }
}
