use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use super::{KvStore, StoreError};

/// An in-memory [`KvStore`] with an optional quota, counted like `localStorage` does
/// (UTF-16 code units of keys and values). It also counts the bytes written, so tests can
/// check that one save does not rewrite the others.
#[derive(Debug, Default)]
pub struct MemoryStore {
    map: RefCell<BTreeMap<String, String>>,
    quota_units: Option<usize>,
    used_units: Cell<usize>,
    written_units: Cell<u64>,
}

fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// A store that refuses writes past `quota_units` UTF-16 code units in total.
    pub fn with_quota(quota_units: usize) -> Self {
        MemoryStore {
            quota_units: Some(quota_units),
            ..Self::default()
        }
    }

    /// UTF-16 code units held now (keys and values), as a quota counts them.
    pub fn units_used(&self) -> usize {
        self.used_units.get()
    }

    /// UTF-16 code units written by `set` since the store was made.
    pub fn units_written(&self) -> u64 {
        self.written_units.get()
    }
}

impl KvStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.map.borrow().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let old = self
            .map
            .borrow()
            .get(key)
            .map_or(0, |v| units(key) + units(v));
        let new = units(key) + units(value);
        let used = self.used_units.get() - old + new;
        if self.quota_units.is_some_and(|quota| used > quota) {
            return Err(StoreError::QuotaExceeded);
        }
        self.used_units.set(used);
        self.written_units
            .set(self.written_units.get() + new as u64);
        self.map
            .borrow_mut()
            .insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        if let Some(v) = self.map.borrow_mut().remove(key) {
            self.used_units
                .set(self.used_units.get() - units(key) - units(&v));
        }
        Ok(())
    }

    fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .map
            .borrow()
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited() -> MemoryStore {
        MemoryStore::with_quota(2 * 1024 * 1024)
    }

    crate::kv_conformance!(#[test], MemoryStore::new, limited);
}
