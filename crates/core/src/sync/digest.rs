//! A digest of a set of records: how many, and the XOR of a 64-bit mix of each id with its
//! [`Digest::version`] (last change time and deleted state). Order does not matter and one
//! record or version changes it, so the server can keep its team's digest current as changes
//! arrive and a phone can compare its own against it after a pull (CommCare's check,
//! shared/sync-design.md): a mismatch means one side lost records or changes, and the phone
//! starts a repair (`sync::repair`). Not the revision number: a phone does not learn the one
//! its own change got until it pulls the record again, while `updated_at` it knows.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{RecordId, UnixMillis};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub count: u64,
    /// Sent as 16 hex digits: a JSON number above 2^53 loses bits in JavaScript.
    #[serde(serialize_with = "hex_out", deserialize_with = "hex_in")]
    pub xor: u64,
}

impl Digest {
    /// A record's version as both sides see it once synced: its `updated_at` (the server's
    /// is the largest of the changes it took, which is the phone's after its own change) and
    /// whether it is deleted.
    pub fn version(updated_at: UnixMillis, deleted: bool) -> u64 {
        ((updated_at.0 as u64) << 1) | u64::from(deleted)
    }

    pub fn add(&mut self, id: RecordId, version: u64) {
        self.count += 1;
        self.xor ^= mix(id, version);
    }

    /// Leaves a record out (one the phone asked to leave out).
    pub fn remove(&mut self, id: RecordId, version: u64) {
        self.count = self.count.saturating_sub(1);
        self.xor ^= mix(id, version);
    }

    /// The record moved from version `from` to `to`.
    pub fn update(&mut self, id: RecordId, from: u64, to: u64) {
        self.xor ^= mix(id, from) ^ mix(id, to);
    }

    pub fn of(records: impl IntoIterator<Item = (RecordId, u64)>) -> Self {
        let mut d = Digest::default();
        for (id, version) in records {
            d.add(id, version);
        }
        d
    }
}

/// splitmix64's finaliser over both halves of the UUID and the version: UUIDv7s share
/// their leading (time) bits, so XOR-ing raw ids would cancel in structured ways.
fn mix(id: RecordId, version: u64) -> u64 {
    let (hi, lo) = id.as_u64_pair();
    finalise(version ^ finalise(hi ^ finalise(lo)))
}

fn finalise(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn hex_out<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{v:016x}"))
}

fn hex_in<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let s = String::deserialize(d)?;
    u64::from_str_radix(&s, 16).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> RecordId {
        RecordId::mint(UnixMillis(1_800_000_000_000), [n; 10])
    }

    #[test]
    fn order_free_and_one_record_or_revision_changes_it() {
        let all = Digest::of([(id(1), 5), (id(2), 6), (id(3), 7)]);
        assert_eq!(all, Digest::of([(id(3), 7), (id(1), 5), (id(2), 6)]));
        assert_ne!(all, Digest::of([(id(1), 5), (id(2), 6)]));
        assert_ne!(all, Digest::of([(id(1), 5), (id(2), 6), (id(4), 7)]));
        assert_ne!(all, Digest::of([(id(1), 5), (id(2), 6), (id(3), 8)]));
        assert_eq!(all.count, 3);
        // Ids minted in the same millisecond differ only in their random tail.
        let pair = |a, b| Digest::of([(id(a), 1), (id(b), 1)]).xor;
        assert_ne!(pair(1, 2), pair(3, 0));
        let mut d = Digest::of([(id(1), 5), (id(2), 6)]);
        d.update(id(2), 6, 9);
        assert_eq!(d, Digest::of([(id(1), 5), (id(2), 9)]));
        d.remove(id(1), 5);
        assert_eq!(d, Digest::of([(id(2), 9)]));
        let t = UnixMillis(1_800_000_000_000);
        assert_ne!(Digest::version(t, false), Digest::version(t, true));
        assert_ne!(
            Digest::version(t, false),
            Digest::version(UnixMillis(t.0 + 1), false)
        );
    }

    #[test]
    fn travels_as_hex_text() {
        let d = Digest {
            count: 2,
            xor: u64::MAX - 1,
        };
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, r#"{"count":2,"xor":"fffffffffffffffe"}"#);
        assert_eq!(serde_json::from_str::<Digest>(&json).unwrap(), d);
        assert!(serde_json::from_str::<Digest>(r#"{"count":2,"xor":"zz"}"#).is_err());
    }
}
