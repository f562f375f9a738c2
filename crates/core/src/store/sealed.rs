//! Values sealed at rest: a store adapter that encrypts what it writes with AES-256-GCM under
//! the phone's data key, and opens what it reads. Someone with a copy of the storage (or the
//! phone, locked) reads key names only — ids and the storage layout — never a resident's name,
//! a note or the session token. (Wiring it to the PIN and the server is issue 15's next step.)
//!
//! - Each value gets a fresh random 96-bit nonce from the caller (`random`: the browser's
//!   CSPRNG in the app), and its key name as associated data: a value moved to another key
//!   does not open.
//! - The plaintext is the shortest of: the value as UTF-8, as UTF-16 (JSON is mostly ASCII;
//!   Chinese text is not), or LZ4-compressed against a dictionary of the records' shapes
//!   (`sealed_dict`; a packed record is unpacked to its JSON first). It is then sealed and
//!   written 15 bits to a UTF-16 unit (U+0800–U+87FF: never a surrogate, so every browser
//!   stores it unchanged) after a marker (U+E000 or U+E001, saying whether the last unit
//!   carries a spare byte). Cost: 28 bytes of nonce and tag, and 16/15 of the plaintext; a
//!   record's plaintext is about half its JSON, so a sealed record takes less room than a
//!   packed one did.
//! - A value written before sealing began (no marker) reads as it is, and is sealed when it is
//!   next written: nothing saved is lost by turning sealing on.
//! - Keys that must be read before the data key is known stay plain ([`keys::is_plain`]).

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};

use super::{keys, pack, sealed_dict, KvStore, StoreError};

/// The phone's data key.
pub type DataKey = [u8; 32];

const NONCE: usize = 12;
const TAG: usize = 16;
/// First unit of a sealed value; `MARK + 1` when the last unit's spare bits hold a byte that
/// is not part of the value.
const MARK: u32 = 0xE000;
const BASE: u32 = 0x0800;

/// Encrypts values with the data key on their way to `inner`, decrypts them on the way back.
pub struct Sealed<S: KvStore> {
    inner: S,
    cipher: Aes256Gcm,
    random: fn(&mut [u8]),
}

impl<S: KvStore> Sealed<S> {
    pub fn new(inner: S, key: &DataKey, random: fn(&mut [u8])) -> Self {
        Sealed {
            inner,
            cipher: Aes256Gcm::new(key.into()),
            random,
        }
    }

    /// The store underneath (what it holds is sealed).
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Seals every value under `prefix` still stored plain (written before sealing began),
    /// one key at a time: a failed write (storage full) leaves that value plain and readable,
    /// stops, and a later call goes on. Returns how many it sealed.
    pub fn seal_plain_values(&self, prefix: &str) -> Result<usize, StoreError> {
        let mut sealed = 0;
        for key in self.inner.keys(prefix)? {
            if keys::is_plain(&key) {
                continue;
            }
            if let Some(v) = self.inner.get(&key)? {
                if !is_sealed(&v) {
                    self.set(&key, &v)?;
                    sealed += 1;
                }
            }
        }
        Ok(sealed)
    }

    fn seal(&self, key: &str, value: &str) -> String {
        seal_bytes(&self.cipher, key, plaintext(value), self.random)
    }

    fn open(&self, key: &str, stored: &str) -> Option<String> {
        from_plaintext(&open_bytes(&self.cipher, key, stored)?)
    }
}

/// What a plaintext's first byte says the rest is.
const UTF8: u8 = 0;
const UTF16: u8 = 1;
/// The value's UTF-8, LZ4-compressed against [`sealed_dict::V1`] (size prepended).
const LZ4_V1: u8 = 2;
/// A packed value (`store::pack`): its JSON's UTF-8, compressed as [`LZ4_V1`]; packed again
/// when opened.
const PACKED_LZ4_V1: u8 = 3;

/// The shortest plaintext form of `value`: as UTF-8 or UTF-16 (JSON is mostly ASCII; Chinese
/// text is not), or compressed (records are JSON of a few known shapes).
fn plaintext(value: &str) -> Vec<u8> {
    let utf16 = value.encode_utf16().count() * 2;
    let mut best = Vec::with_capacity(1 + value.len().min(utf16));
    if value.len() <= utf16 {
        best.push(UTF8);
        best.extend_from_slice(value.as_bytes());
    } else {
        best.push(UTF16);
        best.extend(value.encode_utf16().flat_map(u16::to_le_bytes));
    }
    let packed_json = pack::unpack(value)
        .filter(|json| matches!(json, std::borrow::Cow::Owned(_)) && pack::pack(json) == value);
    let (form, text) = match &packed_json {
        Some(json) => (PACKED_LZ4_V1, json.as_bytes()),
        None => (LZ4_V1, value.as_bytes()),
    };
    let mut squeezed = vec![form];
    squeezed.extend(lz4_flex::block::compress_prepend_size_with_dict(
        text,
        sealed_dict::V1,
    ));
    if squeezed.len() < best.len() {
        squeezed
    } else {
        best
    }
}

/// The value a plaintext holds; `None` if it holds none (it was authenticated, so only a
/// newer app's form).
fn from_plaintext(body: &[u8]) -> Option<String> {
    let (form, text) = body.split_first()?;
    match *form {
        UTF8 => String::from_utf8(text.to_vec()).ok(),
        UTF16 if text.len() % 2 == 0 => {
            let units: Vec<u16> = text
                .chunks(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        LZ4_V1 | PACKED_LZ4_V1 => {
            let bytes =
                lz4_flex::block::decompress_size_prepended_with_dict(text, sealed_dict::V1).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            if *form == PACKED_LZ4_V1 {
                Some(pack::pack(&text).into_owned())
            } else {
                Some(text)
            }
        }
        _ => None,
    }
}

/// `plain` sealed with `aad`, in the stored form.
fn seal_bytes(cipher: &Aes256Gcm, aad: &str, mut plain: Vec<u8>, random: fn(&mut [u8])) -> String {
    let mut nonce = [0u8; NONCE];
    random(&mut nonce);
    let tag = cipher
        .encrypt_in_place_detached(Nonce::from_slice(&nonce), aad.as_bytes(), &mut plain)
        .expect("AES-GCM seals any value a store can hold");
    let mut out = Vec::with_capacity(NONCE + plain.len() + TAG);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&plain);
    out.extend_from_slice(&tag);
    to_units(&out)
}

/// The bytes sealed in `stored` with `aad`; `None` if it is not one, or was changed, or was
/// sealed under another key or `aad`.
fn open_bytes(cipher: &Aes256Gcm, aad: &str, stored: &str) -> Option<Vec<u8>> {
    let bytes = from_units(stored)?;
    if bytes.len() < NONCE + TAG {
        return None;
    }
    let (nonce, rest) = bytes.split_at(NONCE);
    let (body, tag) = rest.split_at(rest.len() - TAG);
    let mut body = body.to_vec();
    cipher
        .decrypt_in_place_detached(
            Nonce::from_slice(nonce),
            aad.as_bytes(),
            &mut body,
            Tag::from_slice(tag),
        )
        .ok()?;
    Some(body)
}

/// What the data key is sealed with when wrapped (never a storage key name).
const WRAP_AAD: &str = "doorstep data key";

/// A new random data key.
pub fn new_key(random: fn(&mut [u8])) -> DataKey {
    let mut key = [0u8; 32];
    random(&mut key);
    key
}

/// The data key sealed under a key-encryption key (one derived from the PIN, or the
/// server's recovery secret for this phone).
pub fn wrap_key(kek: &DataKey, key: &DataKey, random: fn(&mut [u8])) -> String {
    seal_bytes(&Aes256Gcm::new(kek.into()), WRAP_AAD, key.to_vec(), random)
}

/// The data key from [`wrap_key`]'s output; `None` under another key-encryption key (a
/// wrong PIN) or if it was changed.
pub fn unwrap_key(kek: &DataKey, wrapped: &str) -> Option<DataKey> {
    open_bytes(&Aes256Gcm::new(kek.into()), WRAP_AAD, wrapped)?
        .try_into()
        .ok()
}

/// Whether a stored value is in the sealed form.
pub fn is_sealed(stored: &str) -> bool {
    stored
        .chars()
        .next()
        .is_some_and(|c| (MARK..=MARK + 1).contains(&u32::from(c)))
}

/// `bytes`, 15 bits to a unit, after the marker.
fn to_units(bytes: &[u8]) -> String {
    let bits = bytes.len() * 8;
    let units = bits.div_ceil(15);
    // Decoding reads units * 15 / 8 whole bytes: one more than there were if the padding
    // holds a whole byte.
    let spare = (units * 15 / 8 - bytes.len()) as u32;
    let mut out = String::with_capacity(3 + units * 3);
    out.push(char::from_u32(MARK + spare).expect("private use"));
    let (mut acc, mut n) = (0u32, 0u32);
    for &b in bytes {
        acc = acc << 8 | u32::from(b);
        n += 8;
        while n >= 15 {
            n -= 15;
            out.push(unit(acc >> n & 0x7FFF));
        }
        acc &= (1 << n) - 1;
    }
    if n > 0 {
        out.push(unit(acc << (15 - n)));
    }
    out
}

fn unit(v: u32) -> char {
    char::from_u32(BASE + v).expect("U+0800–U+87FF holds no surrogate")
}

fn from_units(stored: &str) -> Option<Vec<u8>> {
    let mut chars = stored.chars();
    let spare = u32::from(chars.next()?).checked_sub(MARK)?;
    if spare > 1 {
        return None;
    }
    let mut out = Vec::with_capacity(stored.len());
    let (mut acc, mut n) = (0u32, 0u32);
    for c in chars {
        let v = u32::from(c).checked_sub(BASE).filter(|v| *v <= 0x7FFF)?;
        acc = acc << 15 | v;
        n += 15;
        while n >= 8 {
            n -= 8;
            out.push((acc >> n) as u8);
        }
        acc &= (1 << n) - 1;
    }
    for _ in 0..spare {
        out.pop()?;
    }
    Some(out)
}

impl<S: KvStore> KvStore for Sealed<S> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self.inner.get(key)? {
            Some(v) if is_sealed(&v) => {
                self.open(key, &v)
                    .map(Some)
                    .ok_or_else(|| StoreError::Corrupt {
                        key: key.to_owned(),
                    })
            }
            other => Ok(other),
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if keys::is_plain(key) {
            self.inner.set(key, value)
        } else {
            self.inner.set(key, &self.seal(key, value))
        }
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.inner.remove(key)
    }

    fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.inner.keys(prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::keys::{HOUSEHOLDS, VISITS};
    use crate::store::{pack, MemoryStore};
    use proptest::prelude::*;
    use std::cell::Cell;

    thread_local! {
        static NEXT: Cell<u64> = const { Cell::new(1) };
    }

    /// Distinct nonces, like the browser's CSPRNG gives (tests only).
    fn counter(out: &mut [u8]) {
        let n = NEXT.with(|c| {
            let n = c.get();
            c.set(n + 1);
            n
        });
        out.fill(0);
        out[..8].copy_from_slice(&n.to_le_bytes());
    }

    const KEY: DataKey = [7; 32];

    /// A record's key under a collection's prefix (keys are named in keys.rs only).
    fn k(prefix: &str, id: &str) -> String {
        format!("{prefix}{id}")
    }

    fn fresh() -> Sealed<MemoryStore> {
        Sealed::new(MemoryStore::new(), &KEY, counter)
    }

    fn limited() -> Sealed<MemoryStore> {
        Sealed::new(MemoryStore::with_quota(2_000_000), &KEY, counter)
    }

    crate::kv_conformance!(#[test], fresh, limited);

    proptest! {
        /// Any value reads back as written, and what is stored is only marker and 15-bit
        /// units (never a surrogate) holding nothing of the value.
        #[test]
        fn any_value_roundtrips_sealed(value in "\\PC{0,200}", ascii in "[ -~]{0,300}") {
            for v in [value.as_str(), ascii.as_str(), &pack::encode(&value).unwrap()] {
                let s = fresh();
                s.set(&k(VISITS, "r/x"), v).unwrap();
                let back = s.get(&k(VISITS, "r/x")).unwrap();
                prop_assert_eq!(back.as_deref(), Some(v));
                let raw = s.inner().get(&k(VISITS, "r/x")).unwrap().unwrap();
                prop_assert!(is_sealed(&raw));
                prop_assert!(raw.chars().skip(1).all(|c| (0x0800..=0x87FF).contains(&u32::from(c))));
            }
        }
    }

    #[test]
    fn a_resident_is_not_in_the_storage_and_tampering_is_caught() {
        let s = fresh();
        let note = r#"{"residents":[{"name":"王奶奶"}],"notes":"独居，高血压"}"#;
        s.set(&k(HOUSEHOLDS, "r/a"), note).unwrap();
        let raw = s.inner().get(&k(HOUSEHOLDS, "r/a")).unwrap().unwrap();
        assert!(!raw.contains("王") && !raw.contains("name"));
        // Moved to another key: it does not open.
        s.inner().set(&k(HOUSEHOLDS, "r/b"), &raw).unwrap();
        assert!(matches!(
            s.get(&k(HOUSEHOLDS, "r/b")),
            Err(StoreError::Corrupt { .. })
        ));
        // One unit changed: it does not open.
        let mut units: Vec<char> = raw.chars().collect();
        units[5] = char::from_u32(u32::from(units[5]) ^ 1).unwrap();
        s.inner()
            .set(&k(HOUSEHOLDS, "r/a"), &units.iter().collect::<String>())
            .unwrap();
        assert!(s.get(&k(HOUSEHOLDS, "r/a")).is_err());
        // Another key: it does not open.
        let other = Sealed::new(MemoryStore::new(), &[8; 32], counter);
        other.inner().set(&k(HOUSEHOLDS, "r/a"), &raw).unwrap();
        assert!(other.get(&k(HOUSEHOLDS, "r/a")).is_err());
    }

    #[test]
    fn the_data_key_unwraps_only_under_its_kek() {
        let key = new_key(counter);
        let wrapped = wrap_key(&[1; 32], &key, counter);
        assert_eq!(unwrap_key(&[1; 32], &wrapped), Some(key));
        assert_eq!(unwrap_key(&[2; 32], &wrapped), None);
        // A value sealed by a store does not pass for a wrapped key, even under the same key.
        let s = Sealed::new(MemoryStore::new(), &[1; 32], counter);
        s.set(keys::CURSOR, &"x".repeat(32)).unwrap();
        let raw = s.inner().get(keys::CURSOR).unwrap().unwrap();
        assert_eq!(unwrap_key(&[1; 32], &raw), None);
    }

    #[test]
    fn values_from_before_sealing_read_and_plain_keys_stay_plain() {
        let inner = MemoryStore::new();
        inner.set(&k(VISITS, "r/old"), "{\"id\":1}").unwrap();
        let s = Sealed::new(inner, &KEY, counter);
        assert_eq!(
            s.get(&k(VISITS, "r/old")).unwrap().as_deref(),
            Some("{\"id\":1}")
        );
        s.set(keys::LANG, "en").unwrap();
        assert_eq!(s.inner().get(keys::LANG).unwrap().as_deref(), Some("en"));
    }

    #[test]
    fn plain_values_are_sealed_in_place_and_a_full_store_loses_none() {
        // Room for the plain values (256 units) and a little more, not for sealing the long
        // one (Chinese text grows by a sixteenth and the nonce and tag when sealed).
        let inner = MemoryStore::with_quota(280);
        let plain = [
            (k(VISITS, "r/a"), "王奶奶说腿疼".to_owned()),
            // Chinese text nothing compresses: no run repeats.
            (
                k(HOUSEHOLDS, "r/b"),
                (0..150u32)
                    .map(|i| char::from_u32(0x4E00 + i * 37).unwrap())
                    .collect(),
            ),
            (keys::SESSION.to_owned(), "{\"token\":\"t\"}".to_owned()),
        ];
        for (key, v) in &plain {
            inner.set(key, v).unwrap();
        }
        inner.set(keys::KEYRING, "{}").unwrap();
        let s = Sealed::new(inner, &KEY, counter);
        // Too full to seal the long one: an error, and every value still reads as it was.
        assert_eq!(
            s.seal_plain_values(keys::ALL_PREFIX),
            Err(StoreError::QuotaExceeded)
        );
        for (key, v) in &plain {
            assert_eq!(s.get(key).unwrap().as_ref(), Some(v), "{key}");
        }
        s.inner().remove(&k(HOUSEHOLDS, "r/b")).unwrap();
        assert_eq!(
            s.seal_plain_values(keys::ALL_PREFIX).unwrap(),
            1,
            "the rest"
        );
        assert_eq!(
            s.seal_plain_values(keys::ALL_PREFIX).unwrap(),
            0,
            "nothing left"
        );
        for key in [k(VISITS, "r/a"), keys::SESSION.to_owned()] {
            assert!(is_sealed(&s.inner().get(&key).unwrap().unwrap()), "{key}");
        }
        assert_eq!(
            s.get(&k(VISITS, "r/a")).unwrap().as_deref(),
            Some("王奶奶说腿疼")
        );
        assert_eq!(s.inner().get(keys::KEYRING).unwrap().as_deref(), Some("{}"));
    }

    #[test]
    fn a_sealed_record_takes_less_room_than_a_packed_one() {
        // A dense visit as a phone pulls it: every service, the resident's words, a note.
        let mut v = crate::store::conformance::visit(3, "家里整洁，燃气已检查");
        v.volunteers = vec!["李四".into(), "王五".into()];
        v.residents_words = "你们来了我就高兴，最近睡得还行".into();
        v.services.supplies.push(crate::services::Supply {
            item: "大米".into(),
            quantity: 1,
            unit: "袋".into(),
        });
        let packed = pack::encode(&v).unwrap();
        let s = fresh();
        s.set(&k(VISITS, "r/x"), &packed).unwrap();
        let sealed = s.inner().get(&k(VISITS, "r/x")).unwrap().unwrap();
        assert_eq!(s.get(&k(VISITS, "r/x")).unwrap(), Some(packed.clone()));
        let (before, after) = (packed.encode_utf16().count(), sealed.encode_utf16().count());
        assert!(
            after * 4 < before * 3,
            "{before} packed units became {after} sealed"
        );
        // Each form opens to exactly what was written.
        for value in [
            packed.as_str(),
            "plain",
            "王奶奶说腿疼",
            &"ab".repeat(300),
            "",
        ] {
            let body = plaintext(value);
            assert_eq!(from_plaintext(&body).as_deref(), Some(value));
        }
        assert_eq!(plaintext(&"ab".repeat(300))[0], LZ4_V1);
        assert_eq!(plaintext(&packed)[0], PACKED_LZ4_V1);
    }

    #[test]
    fn sealing_costs_the_nonce_the_tag_and_a_sixteenth() {
        // A visit as the app stores it (packed), and one mostly in Chinese (plain).
        let visit = pack::encode(&crate::store::conformance::visit(1, "聊天，身体还好")).unwrap();
        let chinese = "走访记录：".repeat(40);
        for v in [visit.as_str(), chinese.as_str()] {
            let s = fresh();
            s.set(&k(VISITS, "r/x"), v).unwrap();
            let sealed = s.inner().get(&k(VISITS, "r/x")).unwrap().unwrap();
            let (before, after) = (v.encode_utf16().count(), sealed.encode_utf16().count());
            let bound = (before * 16).div_ceil(15) + (NONCE + TAG + 1) * 8 / 15 + 2;
            assert!(after <= bound, "{before} units became {after}");
        }
    }
}
