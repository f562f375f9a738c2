//! A store that fails every write after a budget: a crash in the middle of a change.

use std::cell::Cell;

use crate::store::{KvStore, MemoryStore, StoreError};

/// A store that fails every write after `budget` writes: a crash in the middle of a change.
pub(super) struct Crashy<'a> {
    pub(super) inner: &'a MemoryStore,
    pub(super) budget: Cell<usize>,
}

impl Crashy<'_> {
    fn spend(&self) -> Result<(), StoreError> {
        match self.budget.get() {
            0 => Err(StoreError::Other("crashed".into())),
            n => {
                self.budget.set(n - 1);
                Ok(())
            }
        }
    }
}

impl KvStore for Crashy<'_> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.spend()?;
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.spend()?;
        self.inner.remove(key)
    }
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.inner.keys(prefix)
    }
}
