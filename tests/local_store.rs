//! The storage conformance suite on the real `localStorage`, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use doorstep::local_store::LocalStore;
use doorstep_core::store::KvStore;
use gloo_storage::Storage;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The suite's cases share the page's `localStorage`: each starts from an empty one.
fn fresh() -> LocalStore {
    let store = LocalStore::open().expect("localStorage available");
    gloo_storage::LocalStorage::clear();
    assert!(store.keys("").unwrap().is_empty());
    store
}

doorstep_core::kv_conformance!(#[wasm_bindgen_test], fresh, fresh);
