//! Stored values, packed two bytes to a UTF-16 unit.
//!
//! `localStorage` counts its quota in UTF-16 units (about 5 M on Chromium), and our JSON is
//! mostly ASCII: one byte per unit wastes half of it. So a record's UTF-8 JSON is stored two
//! bytes per unit, which roughly doubles what fits on a phone. It is the same trick as
//! lz-string's `compressToUTF16`, without the compression.
//!
//! - Only values that get smaller are packed (text in Chinese takes 3 bytes in UTF-8 and only
//!   one unit as it is), and a value is read back whichever way it was written: plain JSON
//!   starts with an ASCII character, a packed value never does (its first unit is `{` or `[`
//!   in the high byte, U+5B00 or above).
//! - Every unit must be a valid character, never half of a surrogate pair: a unit is a
//!   surrogate only when its high byte is 0xD8–0xDF, so JSON holding such a byte (letters
//!   U+0600–U+07FF: Arabic, Syriac, Thaana, N'Ko) stays plain.
//! - An odd byte count is padded with a 0 byte, which JSON text never contains.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::StoreError;

/// Values shorter than this stay plain (counters, short arrays): nothing to gain.
const MIN_PACKED_BYTES: usize = 16;

/// The stored form of `json`: packed when that is shorter, else `json` unchanged.
pub fn pack(json: &str) -> Cow<'_, str> {
    let b = json.as_bytes();
    let packable = b.len() >= MIN_PACKED_BYTES
        && matches!(b[0], b'{' | b'[')
        && !b.iter().any(|&x| x == 0 || (0xD8..=0xDF).contains(&x))
        && b.len().div_ceil(2) < json.encode_utf16().count();
    if !packable {
        return Cow::Borrowed(json);
    }
    let packed: Option<String> = b
        .chunks(2)
        .map(|p| char::from_u32(u32::from(p[0]) << 8 | u32::from(p.get(1).copied().unwrap_or(0))))
        .collect();
    packed.map_or(Cow::Borrowed(json), Cow::Owned)
}

/// The JSON text of a stored value, packed or not; `None` if it cannot be one.
pub fn unpack(stored: &str) -> Option<Cow<'_, str>> {
    match stored.chars().next() {
        None => return Some(Cow::Borrowed(stored)),
        Some(c) if c.is_ascii() => return Some(Cow::Borrowed(stored)),
        Some(_) => {}
    }
    let mut bytes = Vec::with_capacity(stored.len());
    for c in stored.chars() {
        let u = u32::from(c);
        if u > 0xFFFF {
            return None;
        }
        bytes.push((u >> 8) as u8);
        bytes.push(u as u8);
    }
    if bytes.last() == Some(&0) {
        bytes.pop();
    }
    String::from_utf8(bytes).ok().map(Cow::Owned)
}

/// Serializes `value` to its stored form.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    let json = serde_json::to_string(value).map_err(|e| StoreError::Other(e.to_string()))?;
    Ok(match pack(&json) {
        Cow::Owned(p) => p,
        Cow::Borrowed(_) => json,
    })
}

/// Reads a stored value; `Corrupt { key }` if it is not one.
pub fn decode<T: DeserializeOwned>(stored: &str, key: &str) -> Result<T, StoreError> {
    unpack(stored)
        .and_then(|json| serde_json::from_str(&json).ok())
        .ok_or_else(|| StoreError::Corrupt {
            key: key.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn units(s: &str) -> usize {
        s.encode_utf16().count()
    }

    #[test]
    fn ascii_json_halves_and_reads_back() {
        let json = r#"{"id":"019ac1d2-3e4f-7a8b-9c0d-1e2f3a4b5c6d","day":"2026-11-26"}"#;
        let p = pack(json);
        assert_eq!(units(&p), json.len().div_ceil(2));
        assert!(!p.starts_with('{'));
        assert_eq!(unpack(&p).unwrap(), json);
    }

    #[test]
    fn chinese_heavy_and_arabic_text_stay_plain() {
        let zh = r#"["你们来了我就高兴，谢谢党和政府的关心"]"#;
        assert_eq!(pack(zh), zh);
        let ar = r#"{"name":"ئايگۈل","note":"long enough to pack otherwise"}"#;
        assert_eq!(pack(ar), ar);
        assert_eq!(unpack(ar).unwrap(), ar);
    }

    #[test]
    fn a_value_that_is_not_packed_json_is_corrupt_not_a_panic() {
        // A lone packed unit whose bytes are not UTF-8.
        assert!(unpack("\u{FFFF}").is_none());
        assert_eq!(
            decode::<Vec<u8>>("\u{7B7B}", "k"),
            Err(StoreError::Corrupt { key: "k".into() })
        );
    }

    proptest! {
        #[test]
        fn any_record_text_round_trips_and_never_grows(texts in proptest::collection::vec(any::<String>(), 0..6)) {
            let json = serde_json::to_string(&texts).unwrap();
            let stored = encode(&texts).unwrap();
            prop_assert!(units(&stored) <= units(&json));
            prop_assert_eq!(decode::<Vec<String>>(&stored, "k").unwrap(), texts);
        }

        #[test]
        fn unpacking_anything_never_panics(s in any::<String>()) {
            let _ = unpack(&s);
        }
    }
}
