//! `localStorage` as a [`KvStore`], through gloo-storage: [`RawStore`] as it is, and
//! [`LocalStore`], the one every part of the app uses, which seals the team's data
//! (`doorstep_core::store::sealed`) under the data key once the PIN (or a password sign-in)
//! has put it in memory, and refuses to open while it is not there.

use std::cell::RefCell;
use std::rc::Rc;

use doorstep_core::store::keyring::Keyring;
use doorstep_core::store::keys::KEYRING;
use doorstep_core::store::sealed::{DataKey, Sealed};
use doorstep_core::store::{KvStore, StoreError};
use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};

/// The origin's `localStorage`, values as they are. Zero-sized: every handle is the same
/// store. Only for what is read before the data key is known (the keyring, the phone's own
/// settings) and under [`LocalStore`].
#[derive(Debug, Clone, Copy)]
pub struct RawStore(());

impl RawStore {
    /// Fails with [`StoreError::Unavailable`] when the browser disabled storage (gloo-storage
    /// would panic on it).
    pub fn open() -> Result<Self, StoreError> {
        let window =
            web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
        match window.local_storage() {
            Ok(Some(_)) => Ok(RawStore(())),
            Ok(None) => Err(StoreError::Unavailable("localStorage is missing".into())),
            Err(e) => Err(StoreError::Unavailable(error_name(&e))),
        }
    }
}

thread_local! {
    /// The sealed store while the data key is in memory (from unlock to lock).
    static OPEN: RefCell<Option<(Rc<Sealed<RawStore>>, DataKey)>> = const { RefCell::new(None) };
}

/// The phone's storage as the app uses it: sealed while a keyring exists, plain on a phone
/// whose sign-in predates sealing (or that holds no sign-in).
#[derive(Clone)]
pub struct LocalStore(Option<Rc<Sealed<RawStore>>>);

/// Why [`LocalStore::open`] failed while the data is sealed and the PIN not yet given.
pub const LOCKED: &str = "locked";

impl LocalStore {
    /// Fails with [`StoreError::Unavailable`] when the browser disabled storage, or while the
    /// data is sealed and its key is not in memory ([`LOCKED`]).
    pub fn open() -> Result<Self, StoreError> {
        if let Some(open) = OPEN.with(|o| o.borrow().as_ref().map(|(s, _)| s.clone())) {
            return Ok(LocalStore(Some(open)));
        }
        let raw = RawStore::open()?;
        if raw.get(KEYRING)?.is_some() {
            return Err(StoreError::Unavailable(LOCKED.into()));
        }
        Ok(LocalStore(None))
    }

    /// Puts the data key in memory: from now on the store seals and opens.
    pub fn unlock(key: &DataKey) {
        let sealed = Sealed::new(RawStore(()), key, fill_random);
        OPEN.with(|o| *o.borrow_mut() = Some((Rc::new(sealed), *key)));
    }

    /// Forgets the data key: nothing opens until the next unlock.
    pub fn lock() {
        OPEN.with(|o| *o.borrow_mut() = None);
    }

    /// Whether the data key is in memory.
    pub fn is_unlocked() -> bool {
        OPEN.with(|o| o.borrow().is_some())
    }

    /// The data key, while it is in memory (to wrap it under a new PIN).
    pub fn data_key() -> Option<DataKey> {
        OPEN.with(|o| o.borrow().as_ref().map(|(_, k)| *k))
    }

    /// Seals every value written before sealing began (see [`Sealed::seal_plain_values`]).
    pub fn seal_plain_values(&self) -> Result<usize, StoreError> {
        match &self.0 {
            Some(s) => s.seal_plain_values(doorstep_core::store::keys::ALL_PREFIX),
            None => Ok(0),
        }
    }
}

/// Removes the team's data (the keyring with it) and forgets the data key: what another
/// user left (all synced), or sealed data nothing can open any more.
pub fn remove_team() -> Result<usize, StoreError> {
    LocalStore::lock();
    doorstep_core::store::keys::remove_team(&RawStore::open()?)
}

/// The keyring, if the phone's data is sealed.
pub fn keyring() -> Option<Keyring> {
    let json = RawStore::open().ok()?.get(KEYRING).ok()??;
    serde_json::from_str(&json).ok()
}

/// Stores the keyring (plain: it is read before anything can be opened).
pub fn save_keyring(ring: &Keyring) -> Result<(), StoreError> {
    let json = serde_json::to_string(ring).map_err(|e| StoreError::Other(e.to_string()))?;
    RawStore::open()?.set(KEYRING, &json)
}

/// The browser's CSPRNG. A browser without one cannot seal anything safely: stop.
pub fn fill_random(out: &mut [u8]) {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(out).ok())
        .expect("crypto.getRandomValues");
}

/// One of the phone's own settings (`keys::Holds::Phone`: the language, a hint read): not the
/// team's data, kept through sign-out, read also while the data is locked. `None` when unset
/// or storage is unavailable.
pub fn phone_setting(key: &str) -> Option<String> {
    RawStore::open().ok()?.get(key).ok()?
}

/// Stores one of the phone's own settings; a failure (storage full or off) only means it is
/// asked again next time.
pub fn set_phone_setting(key: &str, value: &str) {
    if let Ok(s) = RawStore::open() {
        let _ = s.set(key, value);
    }
}

/// Removes one of the phone's own settings.
pub fn remove_phone_setting(key: &str) {
    if let Ok(s) = RawStore::open() {
        let _ = s.remove(key);
    }
}

/// Keys a census reads between two yields to the browser.
const CENSUS_SLICE: u32 = 500;

/// Every key of the origin's `localStorage`, and the UTF-16 units its keys and values use
/// (what the quota counts). Value lengths are read on the JS side (no copy into WASM), and
/// the walk yields to the browser every [`CENSUS_SLICE`] keys: with 10,000 records it never
/// holds the page for more than a few milliseconds at once.
pub async fn all_keys() -> Result<(Vec<String>, u64), StoreError> {
    RawStore::open()?;
    let raw = LocalStorage::raw();
    let names = js_sys::Object::keys(raw.unchecked_ref::<js_sys::Object>());
    let mut keys = Vec::with_capacity(names.length() as usize);
    let mut units = 0u64;
    for i in 0..names.length() {
        if i > 0 && i % CENSUS_SLICE == 0 {
            yield_to_browser().await;
        }
        let key = names.get(i);
        // Another tab may have removed it since: then it counts nothing.
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

/// Lets the browser run what waits (input, rendering) before going on.
pub async fn yield_to_browser() {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
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
        match &self.0 {
            Some(s) => s.get(key),
            None => RawStore(()).get(key),
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        match &self.0 {
            Some(s) => s.set(key, value),
            None => RawStore(()).set(key, value),
        }
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        RawStore(()).remove(key)
    }

    fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        RawStore(()).keys(prefix)
    }
}

impl KvStore for RawStore {
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
