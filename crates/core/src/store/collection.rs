use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{pack, KvStore, StoreError};
use crate::event::Event;
use crate::household::Household;
use crate::visit::Visit;

/// How many ids one index page holds. A save rewrites one record and at most one page, so its
/// cost does not grow with the number of records.
pub const INDEX_PAGE_SIZE: usize = 256;

/// A record kept in a [`Collection`] under its id.
pub trait Record: Serialize + DeserializeOwned {
    fn record_id(&self) -> String;
}

macro_rules! record_by_id {
    ($($t:ty),*) => {$(
        impl Record for $t {
            fn record_id(&self) -> String {
                self.id.to_string()
            }
        }
    )*};
}

record_by_id!(
    Visit,
    Household,
    Event,
    crate::roster::Person,
    crate::units::Unit
);

/// A typed collection over a [`KvStore`]: one key per record, plus an index of ids in pages.
///
/// Keys: `doorstep/v1/<name>/r/<id>` (record), `…/i/<n>` (index page n, a JSON array of ids),
/// `…/pages` (number of index pages).
pub struct Collection<'s, S: KvStore + ?Sized> {
    store: &'s S,
    prefix: String,
}

/// Everything that could be read, and the keys that could not (kept, never deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded<T> {
    pub records: Vec<T>,
    pub unreadable: Vec<String>,
}

impl<'s, S: KvStore + ?Sized> Collection<'s, S> {
    pub fn new(store: &'s S, name: &str) -> Self {
        Collection {
            store,
            prefix: format!("{}{name}/", super::keys::ROOT),
        }
    }

    fn record_key(&self, id: &str) -> String {
        format!("{}r/{id}", self.prefix)
    }

    fn page_key(&self, n: usize) -> String {
        format!("{}i/{n}", self.prefix)
    }

    fn pages_key(&self) -> String {
        format!("{}pages", self.prefix)
    }

    fn page_count(&self) -> Result<usize, StoreError> {
        let key = self.pages_key();
        match self.store.get(&key)? {
            None => Ok(0),
            Some(v) => v.parse().map_err(|_| StoreError::Corrupt { key }),
        }
    }

    fn read_page(&self, n: usize) -> Result<Vec<String>, StoreError> {
        let key = self.page_key(n);
        match self.store.get(&key)? {
            None => Ok(Vec::new()),
            Some(v) => pack::decode(&v, &key),
        }
    }

    fn write_page(&self, n: usize, ids: &[String]) -> Result<(), StoreError> {
        self.store.set(&self.page_key(n), &pack::encode(ids)?)
    }

    fn append_to_index(&self, id: &str) -> Result<(), StoreError> {
        let pages = self.page_count()?;
        if pages > 0 {
            let mut last = self.read_page(pages - 1)?;
            if last.len() < INDEX_PAGE_SIZE {
                last.push(id.to_owned());
                return self.write_page(pages - 1, &last);
            }
        }
        // A page past the count may exist if a crash came between its write and the count's:
        // extend it rather than overwrite it.
        let mut page = self.read_page(pages)?;
        page.push(id.to_owned());
        self.write_page(pages, &page)?;
        self.store.set(&self.pages_key(), &(pages + 1).to_string())
    }

    /// Saves a record. On `Ok` it is stored and indexed; on `Err` nothing changed that a
    /// later [`Collection::load_all`] would show, and every earlier record is intact.
    pub fn put<T: Record>(&self, record: &T) -> Result<(), StoreError> {
        let id = record.record_id();
        let key = self.record_key(&id);
        let value = pack::encode(record)?;
        let existed = self.store.get(&key)?.is_some();
        self.store.set(&key, &value)?;
        if existed {
            return Ok(());
        }
        if let Err(e) = self.append_to_index(&id) {
            // Best effort: the volunteer was told it failed, so don't show it later.
            let _ = self.store.remove(&key);
            return Err(e);
        }
        Ok(())
    }

    /// Deletes a record's value. Its index entry stays until the page is next rewritten;
    /// loading skips ids without a value, and a later `put` of the same id shows it again.
    pub fn remove(&self, id: &str) -> Result<(), StoreError> {
        self.store.remove(&self.record_key(id))
    }

    /// The stored text of a record, to put back exactly as it was (rollback).
    pub(crate) fn get_raw(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.store.get(&self.record_key(id))
    }

    pub(crate) fn set_raw(&self, id: &str, value: &str) -> Result<(), StoreError> {
        self.store.set(&self.record_key(id), value)
    }

    pub fn get<T: Record>(&self, id: &str) -> Result<Option<T>, StoreError> {
        let key = self.record_key(id);
        match self.store.get(&key)? {
            None => Ok(None),
            Some(v) => pack::decode(&v, &key).map(Some),
        }
    }

    /// The ids in the index, in the order they were first saved.
    pub fn ids(&self) -> Result<Vec<String>, StoreError> {
        let mut ids = Vec::new();
        for n in 0..self.page_count()? {
            ids.extend(self.read_page(n)?);
        }
        Ok(ids)
    }

    /// The key prefix of this collection's records (`<prefix><id>`), to sort keys of a
    /// walk made once for several collections.
    pub fn record_prefix(&self) -> String {
        self.record_key("")
    }

    /// Every record, in the order first saved. Records present but missing from the index
    /// (a crash between the two writes, or two tabs appending to one index page at once) are
    /// found by walking the keys, re-indexed, and returned too: a stored record is never
    /// hidden. The app starts with [`Collection::load_indexed`] and runs
    /// [`Collection::adopt_orphans`] once it has walked the keys for other reasons.
    pub fn load_all<T: Record>(&self) -> Result<Loaded<T>, StoreError> {
        let keys = self.store.keys(&self.record_key(""))?;
        let adopted = self.adopt_orphans::<T>(&keys)?;
        let mut loaded = self.load_indexed::<T>()?;
        // Those whose re-indexing failed (full store) are returned all the same.
        for r in adopted {
            let id = r.record_id();
            if !loaded.records.iter().any(|x| x.record_id() == id) {
                loaded.records.push(r);
            }
        }
        Ok(loaded)
    }

    /// The records the index lists, in the order first saved: no walk over every key.
    pub fn load_indexed<T: Record>(&self) -> Result<Loaded<T>, StoreError> {
        let mut ids = self.ids()?;
        let mut seen: HashSet<String> = HashSet::with_capacity(ids.len());
        ids.retain(|id| seen.insert(id.clone()));
        let mut loaded = Loaded {
            records: Vec::with_capacity(ids.len()),
            unreadable: Vec::new(),
        };
        for id in ids {
            let key = self.record_key(&id);
            match self.store.get(&key)? {
                None => {} // index entry of a save that failed and was rolled back
                Some(v) => match pack::decode(&v, &key) {
                    Ok(r) => loaded.records.push(r),
                    Err(_) => loaded.unreadable.push(key),
                },
            }
        }
        Ok(loaded)
    }

    /// Given keys of the store (any, in any order), re-indexes this collection's records that
    /// the index misses and returns them (those that could be read).
    pub fn adopt_orphans<T: Record>(&self, keys: &[String]) -> Result<Vec<T>, StoreError> {
        let record_prefix = self.record_key("");
        let mut mine = keys.iter().filter_map(|k| k.strip_prefix(&record_prefix));
        let Some(first) = mine.next() else {
            return Ok(Vec::new());
        };
        let indexed: HashSet<String> = self.ids()?.into_iter().collect();
        let mut adopted = Vec::new();
        for id in std::iter::once(first).chain(mine) {
            if indexed.contains(id) {
                continue;
            }
            // Re-indexing may fail on a full store; the record is still returned.
            let _ = self.append_to_index(id);
            if let Ok(Some(r)) = self.get::<T>(id) {
                adopted.push(r);
            }
        }
        Ok(adopted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::visit;
    use crate::store::MemoryStore;
    use proptest::prelude::*;

    /// The cost of one save, in units written, is the record plus at most one index page and
    /// the page count: it does not grow with the number of records already saved.
    #[test]
    fn save_cost_does_not_grow_with_record_count() {
        let store = MemoryStore::new();
        let visits = Collection::new(&store, "visits");
        let record_units = |v: &Visit| pack::encode(v).unwrap().encode_utf16().count();
        let page_bound = (INDEX_PAGE_SIZE + 1) * 40 + 200; // ids are 36 chars + quotes/commas
        let mut worst = 0u64;
        for i in 0..5_000u32 {
            let v = visit(i, "聊天陪伴");
            let before = store.units_written();
            visits.put(&v).unwrap();
            let cost = store.units_written() - before - record_units(&v) as u64;
            worst = worst.max(cost);
        }
        assert!(
            worst <= page_bound as u64,
            "index cost {worst} > {page_bound}"
        );
        assert_eq!(visits.ids().unwrap().len(), 5_000);
    }

    proptest! {
        /// Whatever the quota, every save that returned Ok is loaded exactly once, in order,
        /// and no save that returned Err is.
        #[test]
        fn ok_saves_are_kept_and_failed_ones_vanish(
            quota in 2_000usize..60_000,
            notes in prop::collection::vec(0usize..600, 1..120),
        ) {
            let store = MemoryStore::with_quota(quota);
            let visits = Collection::new(&store, "visits");
            let mut kept = Vec::new();
            for (i, len) in notes.into_iter().enumerate() {
                let v = visit(i as u32, &"记".repeat(len));
                match visits.put(&v) {
                    Ok(()) => kept.push(v),
                    Err(e) => prop_assert_eq!(e, StoreError::QuotaExceeded),
                }
            }
            let loaded = visits.load_all::<Visit>().unwrap();
            prop_assert_eq!(loaded.records, kept);
        }
    }
}
