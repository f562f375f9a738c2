//! The storage conformance suite on the real `localStorage`, in headless Chromium: as it is,
//! and sealed (what the app's `LocalStore` is once the data key is in memory).
#![cfg(target_arch = "wasm32")]

use doorstep::local_store::{fill_random, LocalStore, RawStore, LOCKED};
use doorstep_core::store::keys::{KEYRING, VISITS};
use doorstep_core::store::sealed::{is_sealed, Sealed};
use doorstep_core::store::{KvStore, StoreError};
use gloo_storage::Storage;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The suite's cases share the page's `localStorage`: each starts from an empty one.
fn fresh() -> RawStore {
    let store = RawStore::open().expect("localStorage available");
    gloo_storage::LocalStorage::clear();
    assert!(store.keys("").unwrap().is_empty());
    store
}

mod plain {
    use super::*;
    doorstep_core::kv_conformance!(#[wasm_bindgen_test], fresh, fresh);
}

mod sealed {
    use super::*;

    fn fresh_sealed() -> Sealed<RawStore> {
        Sealed::new(fresh(), &[7; 32], fill_random)
    }

    doorstep_core::kv_conformance!(#[wasm_bindgen_test], fresh_sealed, fresh_sealed);
}

/// The app's store: plain without a keyring, `locked` with one until the key is in memory,
/// then sealed; locked again when the key leaves.
#[wasm_bindgen_test]
fn the_apps_store_opens_sealed_only_with_the_key_in_memory() {
    let raw = fresh();
    let key = format!("{VISITS}r/x");
    LocalStore::lock();
    LocalStore::open()
        .unwrap()
        .set(&key, "老李说血压高")
        .unwrap();
    assert_eq!(raw.get(&key).unwrap().as_deref(), Some("老李说血压高"));
    raw.set(KEYRING, "{}").unwrap();
    assert_eq!(
        LocalStore::open().err(),
        Some(StoreError::Unavailable(LOCKED.into()))
    );
    LocalStore::unlock(&[9; 32]);
    let store = LocalStore::open().unwrap();
    assert_eq!(store.seal_plain_values().unwrap(), 1);
    let stored = raw.get(&key).unwrap().unwrap();
    assert!(is_sealed(&stored) && !stored.contains("老李"));
    assert_eq!(store.get(&key).unwrap().as_deref(), Some("老李说血压高"));
    assert_eq!(
        raw.get(KEYRING).unwrap().as_deref(),
        Some("{}"),
        "left plain"
    );
    LocalStore::lock();
    assert!(LocalStore::open().is_err());
    // Another key does not open it.
    LocalStore::unlock(&[8; 32]);
    assert!(matches!(
        LocalStore::open().unwrap().get(&key),
        Err(StoreError::Corrupt { .. })
    ));
    LocalStore::lock();
    gloo_storage::LocalStorage::clear();
}
