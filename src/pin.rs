//! The PIN's verifier on the phone: PBKDF2-SHA-256 by WebCrypto (no crypto code in the WASM),
//! a random salt, and the count of wrong PINs in a row, in localStorage.

use doorstep_core::lock::PIN_ROUNDS;
use doorstep_core::store::{KvStore, StoreError};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::local_store::LocalStore;

use doorstep_core::store::keys::PIN as KEY;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    salt: Vec<u8>,
    verifier: Vec<u8>,
    pub failures: u32,
}

pub fn load() -> Option<Stored> {
    let store = LocalStore::open().ok()?;
    serde_json::from_str(&store.get(KEY).ok()??).ok()
}

fn save(s: &Stored) -> Result<(), StoreError> {
    let json = serde_json::to_string(s).map_err(|e| StoreError::Other(e.to_string()))?;
    LocalStore::open()?.set(KEY, &json)
}

pub fn forget() {
    if let Ok(store) = LocalStore::open() {
        let _ = store.remove(KEY);
    }
}

async fn derive(pin: &str, salt: &[u8]) -> Result<Vec<u8>, JsValue> {
    let subtle = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .crypto()?
        .subtle();
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let key = JsFuture::from(subtle.import_key_with_str(
        "raw",
        &Uint8Array::from(pin.as_bytes()),
        "PBKDF2",
        false,
        &usages,
    )?)
    .await?
    .dyn_into::<web_sys::CryptoKey>()?;
    let params = Object::new();
    Reflect::set(&params, &"name".into(), &"PBKDF2".into())?;
    Reflect::set(&params, &"hash".into(), &"SHA-256".into())?;
    Reflect::set(&params, &"iterations".into(), &PIN_ROUNDS.into())?;
    Reflect::set(&params, &"salt".into(), &Uint8Array::from(salt))?;
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, 256)?).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// Stores a new PIN (replacing any).
pub async fn set(pin: &str) -> Result<(), StoreError> {
    let salt = crate::browser::random_bytes::<16>().to_vec();
    let verifier = derive(pin, &salt)
        .await
        .map_err(|_| StoreError::Other("WebCrypto".into()))?;
    save(&Stored {
        salt,
        verifier,
        failures: 0,
    })
}

thread_local! {
    /// Wrong PINs in a row, also in memory: a full storage that cannot record the count
    /// must not give unlimited tries.
    static FAILURES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Whether `pin` is right, and how many wrong ones came before it. A right PIN unlocks even
/// when storage is full (nothing needs writing then, unless wrong ones came before).
/// `Err` when no PIN is stored or WebCrypto fails.
pub async fn check(pin: &str) -> Result<(bool, u32), StoreError> {
    let mut stored = load().ok_or_else(|| StoreError::Other("no PIN".into()))?;
    let v = derive(pin, &stored.salt)
        .await
        .map_err(|_| StoreError::Other("WebCrypto".into()))?;
    let before = stored.failures.max(FAILURES.with(|f| f.get()));
    let right = v == stored.verifier;
    let after = if right { 0 } else { before + 1 };
    FAILURES.with(|f| f.set(after));
    if stored.failures != after {
        stored.failures = after;
        let _ = save(&stored);
    }
    Ok((right, before))
}
