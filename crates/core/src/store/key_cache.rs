//! A store whose keys under a prefix are listed once and then kept in memory.
//!
//! The app reads every record at start, and each collection looks for records missing from
//! its index by listing keys ([`super::Collection::load_all`]). In a browser, listing walks
//! every key of the origin (22,000 with 10,000 visits, tens of milliseconds each time), so
//! start-up lists them once through this adapter.

use std::cell::RefCell;
use std::collections::BTreeSet;

use super::{KvStore, StoreError};

pub struct KeyCache<S: KvStore> {
    store: S,
    prefix: String,
    keys: RefCell<BTreeSet<String>>,
}

impl<S: KvStore> KeyCache<S> {
    /// Lists the keys under `prefix` now; later writes through this adapter keep the list
    /// current. (Another tab's writes are not seen: use it for one pass, then drop it.)
    pub fn new(store: S, prefix: &str) -> Result<Self, StoreError> {
        let keys = store.keys(prefix)?.into_iter().collect();
        Ok(KeyCache {
            store,
            prefix: prefix.to_owned(),
            keys: RefCell::new(keys),
        })
    }
}

impl<S: KvStore> KvStore for KeyCache<S> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.store.get(key)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.store.set(key, value)?;
        if key.starts_with(&self.prefix) {
            self.keys.borrow_mut().insert(key.to_owned());
        }
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.store.remove(key)?;
        self.keys.borrow_mut().remove(key);
        Ok(())
    }

    fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        if !prefix.starts_with(&self.prefix) {
            return self.store.keys(prefix);
        }
        // Sorted set: the keys with this prefix are one contiguous range.
        Ok(self
            .keys
            .borrow()
            .range(prefix.to_owned()..)
            .take_while(|k| k.starts_with(prefix))
            .cloned()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn fresh() -> KeyCache<MemoryStore> {
        KeyCache::new(MemoryStore::new(), "doorstep/").unwrap()
    }

    fn limited() -> KeyCache<MemoryStore> {
        KeyCache::new(MemoryStore::with_quota(2_000_000), "doorstep/").unwrap()
    }

    crate::kv_conformance!(#[test], fresh, limited);

    #[test]
    fn keys_present_before_are_listed_and_a_failed_set_adds_none() {
        let inner = MemoryStore::with_quota(100);
        inner.set("doorstep/a", "1").unwrap();
        inner.set("other/b", "1").unwrap();
        let c = KeyCache::new(inner, "doorstep/").unwrap();
        assert_eq!(c.keys("doorstep/").unwrap(), ["doorstep/a"]);
        assert_eq!(c.keys("other/").unwrap(), ["other/b"]);
        assert_eq!(
            c.set("doorstep/big", &"x".repeat(200)),
            Err(StoreError::QuotaExceeded)
        );
        assert_eq!(c.keys("doorstep/").unwrap(), ["doorstep/a"]);
    }
}
