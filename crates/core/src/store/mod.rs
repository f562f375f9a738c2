//! Storage on the phone, in layers: a key-value store of opaque strings ([`KvStore`], one
//! implementation per platform), typed collections on top ([`Collection`]), and the app's
//! database ([`LocalDb`]: collections plus the sync [`Outbox`]).
//!
//! Values are opaque to the store so that an encrypting layer can wrap any implementation.

mod collection;
#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
pub mod keyring;
pub mod keys;
mod local_db;
mod memory;
mod metered;
mod outbox;
pub mod pack;
pub mod sealed;
mod sealed_dict;
mod usage;

pub use collection::{Collection, Loaded, Record, INDEX_PAGE_SIZE};
pub use local_db::{
    LocalDb, Tombstone, EVENTS, HOUSEHOLDS, PEOPLE, ROOT, TOMBSTONES, UNITS, VISITS,
};
pub use memory::MemoryStore;
pub use metered::Metered;
pub use outbox::{Change, Mutation, Outbox, RecordKind};
pub use usage::{StorageUse, LOCAL_STORAGE_UNITS, WARN_PERCENT};

use crate::i18n::{Lang, Text};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The browser refused the write because the origin's storage is full.
    #[error("storage is full")]
    QuotaExceeded,
    /// Storage cannot be used at all (disabled by the user or policy, private mode, …).
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
    /// A stored value could not be decoded.
    #[error("stored value under {key} is unreadable")]
    Corrupt { key: String },
    #[error("storage error: {0}")]
    Other(String),
}

impl StoreError {
    /// What the volunteer reads. Every message says that saved records are kept.
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            StoreError::QuotaExceeded => Text::new(
                "手机存储空间已满，这次没有保存（填写的内容仍在表单中）。已保存的记录都还在。",
                "This phone's storage is full, so this was not saved (what you typed is still in the form). Everything saved before is kept.",
            ),
            StoreError::Unavailable(_) => Text::new(
                "无法使用本机存储（可能被浏览器设置禁用），这次没有保存（填写的内容仍在表单中）。",
                "Storage on this phone cannot be used (it may be disabled in the browser settings), so this was not saved (what you typed is still in the form).",
            ),
            StoreError::Corrupt { .. } | StoreError::Other(_) => Text::new(
                "保存失败，这次没有保存（填写的内容仍在表单中）。已保存的记录都还在。",
                "Saving failed, so this was not saved (what you typed is still in the form). Everything saved before is kept.",
            ),
        }
        .get(lang)
    }
}

/// A key-value store of strings. Implementations: [`MemoryStore`] natively, `localStorage` in
/// the browser. All of them pass [`conformance`].
///
/// A failed `set` must leave the previous value of that key, and every other key, unchanged.
pub trait KvStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Removing a missing key is not an error.
    fn remove(&self, key: &str) -> Result<(), StoreError>;
    /// All keys that start with `prefix`, sorted. Walks every key: not for hot paths.
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
}
