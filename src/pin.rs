//! The PIN and the data key on the phone. Every sign-in since sealing began keeps a keyring
//! (`doorstep_core::store::keyring`): the PIN's key (PBKDF2-SHA-256 by WebCrypto, 600,000
//! rounds) unwraps the data key, so a right PIN is one that opens it, and the lock screen
//! locks the data, not only the screen. A sign-in made before sealing keeps its verifier
//! (200,000 rounds) and plain data until its first unlock online or its next password
//! sign-in, either of which seals them.

use std::cell::Cell;

use doorstep_core::account::LoginResponse;
use doorstep_core::lock::{after_wrong_pin, AfterWrongPin, PIN_ROUNDS};
use doorstep_core::store::keyring::{parse_recovery_key, Keyring, PIN_KEY_ROUNDS};
use doorstep_core::store::keys::PIN as KEY;
use doorstep_core::store::sealed::{new_key, DataKey};
use doorstep_core::store::{KvStore, StoreError};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::local_store::{fill_random, keyring, save_keyring, LocalStore, RawStore};

/// An older sign-in's PIN verifier (before sealing).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    salt: Vec<u8>,
    verifier: Vec<u8>,
    failures: u32,
}

fn load_legacy() -> Option<Stored> {
    serde_json::from_str(&RawStore::open().ok()?.get(KEY).ok()??).ok()
}

fn save_legacy(s: &Stored) -> Result<(), StoreError> {
    let json = serde_json::to_string(s).map_err(|e| StoreError::Other(e.to_string()))?;
    RawStore::open()?.set(KEY, &json)
}

/// Forgets an older sign-in's verifier (a new sign-in chooses its own PIN).
pub fn forget() {
    if let Ok(store) = RawStore::open() {
        let _ = store.remove(KEY);
    }
}

/// Whether a PIN opens this phone (else it asks for one, or for a password sign-in).
pub fn has_pin() -> bool {
    keyring().is_some_and(|k| k.has_pin()) || load_legacy().is_some()
}

/// The device whose recovery key opens the sealed data here, when nothing in memory does.
pub fn device_to_recover() -> Option<String> {
    keyring()
        .filter(|_| !LocalStore::is_unlocked())
        .map(|k| k.device_id)
}

/// Whether the phone's data is sealed and its key is not in memory.
pub fn is_sealed_and_locked() -> bool {
    !LocalStore::is_unlocked() && keyring().is_some()
}

async fn derive(pin: &str, salt: &[u8], rounds: u32) -> Result<Vec<u8>, JsValue> {
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
    Reflect::set(&params, &"iterations".into(), &rounds.into())?;
    Reflect::set(&params, &"salt".into(), &Uint8Array::from(salt))?;
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, 256)?).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

fn webcrypto(_: JsValue) -> StoreError {
    StoreError::Other("WebCrypto".into())
}

async fn pin_key(pin: &str, salt: &[u8]) -> Result<DataKey, StoreError> {
    derive(pin, salt, PIN_KEY_ROUNDS)
        .await
        .map_err(webcrypto)?
        .try_into()
        .map_err(|_| StoreError::Other("WebCrypto".into()))
}

/// After a password sign-in (or an invite accepted): the data key in memory, wrapped under
/// the recovery key the server just gave this device. It is the key of the sealed data the
/// phone already holds when the server gave that back (`recovered_key`), or still in memory;
/// else a new one, and sealed data nothing can open any more (a revoked phone's) leaves.
/// Without a recovery key (an older server) the phone stays plain.
pub fn start_sealing(owner: &str, r: &LoginResponse) -> Result<(), StoreError> {
    let Some(recovery) = parse_recovery_key(&r.recovery_key) else {
        return Ok(());
    };
    let old = keyring();
    let opened = match &old {
        Some(_) if LocalStore::is_unlocked() => LocalStore::data_key(),
        Some(ring) => r
            .recovered_key
            .as_deref()
            .and_then(parse_recovery_key)
            .and_then(|k| ring.open_with_recovery(&k)),
        None => None,
    };
    let (key, sealed_all) = match (opened, old) {
        (Some(key), Some(old)) => (key, old.sealed_all),
        (_, Some(_)) => {
            crate::local_store::remove_team()?;
            (new_key(fill_random), true)
        }
        (_, None) => (new_key(fill_random), false),
    };
    let mut ring = Keyring::new(&key, owner, (&recovery, &r.device_id), fill_random);
    ring.sealed_all = sealed_all;
    save_keyring(&ring)?;
    LocalStore::unlock(&key);
    Ok(())
}

/// Seals what was written before sealing began, once (a full storage tries again at the
/// next unlock; what is plain stays readable meanwhile).
fn seal_the_rest(mut ring: Keyring) {
    if ring.sealed_all {
        return;
    }
    if LocalStore::open()
        .and_then(|s| s.seal_plain_values())
        .is_ok()
    {
        ring.sealed_all = true;
        let _ = save_keyring(&ring);
    }
}

/// Chooses the PIN (replacing any): on a sealed phone, wraps the data key under it.
pub async fn set(pin: &str) -> Result<(), StoreError> {
    let salt = crate::browser::random_bytes::<16>().to_vec();
    if let (Some(mut ring), Some(key)) = (keyring(), LocalStore::data_key()) {
        let by = pin_key(pin, &salt).await?;
        ring.set_pin(&key, (&by, salt), fill_random);
        save_keyring(&ring)?;
        forget();
        seal_the_rest(ring);
        return Ok(());
    }
    let verifier = derive(pin, &salt, PIN_ROUNDS).await.map_err(webcrypto)?;
    save_legacy(&Stored {
        salt,
        verifier,
        failures: 0,
    })
}

thread_local! {
    /// Wrong PINs in a row, also in memory: a full storage that cannot record the count
    /// must not give unlimited tries.
    static FAILURES: Cell<u32> = const { Cell::new(0) };
}

/// Counts a right (`right`) or wrong PIN after `stored` wrong ones; returns the wrong ones
/// before it.
fn count(stored: u32, right: bool) -> (u32, u32) {
    let before = stored.max(FAILURES.with(|f| f.get()));
    let after = if right { 0 } else { before + 1 };
    FAILURES.with(|f| f.set(after));
    (before, after)
}

/// Whether `pin` is right, and how many wrong ones came before it. A right PIN puts the data
/// key in memory (unlocks even when storage is full: nothing needs writing then, unless wrong
/// ones came before); the wrong PIN that ends the sign-in removes the PIN's wrap, so only a
/// password sign-in opens the data again. `Err` when no PIN is stored or WebCrypto fails.
pub async fn check(pin: &str) -> Result<(bool, u32), StoreError> {
    if let Some(mut ring) = keyring().filter(Keyring::has_pin) {
        let by = pin_key(pin, &ring.salt).await?;
        let key = ring.open_with_pin(&by);
        let (before, after) = count(ring.failures, key.is_some());
        if let Some(key) = key {
            LocalStore::unlock(&key);
        } else if after_wrong_pin(before) == AfterWrongPin::SignInAgain {
            ring.lock_out();
        }
        if ring.failures != after || !ring.has_pin() {
            ring.failures = after;
            let _ = save_keyring(&ring);
        }
        if key.is_some() {
            seal_the_rest(ring);
        }
        return Ok((key.is_some(), before));
    }
    let mut stored = load_legacy().ok_or_else(|| StoreError::Other("no PIN".into()))?;
    let v = derive(pin, &stored.salt, PIN_ROUNDS)
        .await
        .map_err(webcrypto)?;
    let right = v == stored.verifier;
    let (before, after) = count(stored.failures, right);
    if stored.failures != after {
        stored.failures = after;
        let _ = save_legacy(&stored);
    }
    if right {
        seal_older_sign_in(pin).await;
    }
    Ok((right, before))
}

/// A sign-in from before sealing, unlocked while online: the server gives this device a
/// recovery key (once), and the phone seals everything it holds under a new data key wrapped
/// by it and by the PIN. Offline, or if anything fails before the keyring is stored, the
/// phone stays as it was and tries again at the next unlock.
async fn seal_older_sign_in(pin: &str) {
    let Some(session) = crate::session::load() else {
        return;
    };
    let Ok(r) = crate::api::missing_recovery_key(&session.token).await else {
        return;
    };
    let Some(recovery) = parse_recovery_key(&r.recovery_key) else {
        return;
    };
    let salt = crate::browser::random_bytes::<16>().to_vec();
    let Ok(by) = pin_key(pin, &salt).await else {
        return;
    };
    let key = new_key(fill_random);
    let owner = &session.user.username;
    let mut ring = Keyring::new(&key, owner, (&recovery, &r.device_id), fill_random);
    ring.set_pin(&key, (&by, salt), fill_random);
    if save_keyring(&ring).is_err() {
        return;
    }
    LocalStore::unlock(&key);
    forget();
    seal_the_rest(ring);
}
