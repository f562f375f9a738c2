//! A store that counts how many UTF-16 units its writes added or freed, so the app can keep
//! its "storage nearly full" figure current after a save without walking every key again
//! (tens of milliseconds with 10,000 visits).

use std::cell::Cell;

use super::{KvStore, StoreError};

pub struct Metered<S: KvStore> {
    store: S,
    delta: Cell<i64>,
}

fn units(key: &str, value: &str) -> i64 {
    (key.encode_utf16().count() + value.encode_utf16().count()) as i64
}

impl<S: KvStore> Metered<S> {
    pub fn new(store: S) -> Self {
        Metered {
            store,
            delta: Cell::new(0),
        }
    }

    /// Units added (or, negative, freed) by the writes made through this adapter so far.
    pub fn delta_units(&self) -> i64 {
        self.delta.get()
    }

    fn old_units(&self, key: &str) -> Result<i64, StoreError> {
        Ok(self.store.get(key)?.map_or(0, |v| units(key, &v)))
    }
}

impl<S: KvStore> KvStore for Metered<S> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.store.get(key)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let old = self.old_units(key)?;
        self.store.set(key, value)?;
        self.delta.set(self.delta.get() + units(key, value) - old);
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        let old = self.old_units(key)?;
        self.store.remove(key)?;
        self.delta.set(self.delta.get() - old);
        Ok(())
    }

    fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.store.keys(prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use proptest::prelude::*;

    fn fresh() -> Metered<MemoryStore> {
        Metered::new(MemoryStore::new())
    }

    fn limited() -> Metered<MemoryStore> {
        Metered::new(MemoryStore::with_quota(2_000_000))
    }

    crate::kv_conformance!(#[test], fresh, limited);

    proptest! {
        /// Whatever the writes (including refused ones), the count matches the store's own.
        #[test]
        fn delta_matches_the_units_the_store_holds(
            ops in proptest::collection::vec((0u8..4, 0usize..6, "\\PC{0,40}"), 0..60),
        ) {
            let m = Metered::new(MemoryStore::with_quota(300));
            let _ = m.store.set("seed", "预先存在的值");
            let before = m.store.units_used() as i64;
            let base = m.delta_units();
            for (op, k, v) in ops {
                let key = format!("k{k}");
                let _ = if op == 0 { m.remove(&key) } else { m.set(&key, &v) };
            }
            prop_assert_eq!(before + m.delta_units() - base, m.store.units_used() as i64);
        }
    }
}
