use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::UnixMillis;

/// Id of a household, visit or event: a UUIDv7 minted on the phone, so records made offline
/// never collide and sort by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecordId(Uuid);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a UUIDv7 record id: {0:?}")]
pub struct InvalidRecordId(String);

impl RecordId {
    /// Mints a UUIDv7 from the caller's clock and 10 random bytes (from a CSPRNG).
    pub fn mint(now: UnixMillis, random: [u8; 10]) -> Self {
        let millis = u64::try_from(now.0).unwrap_or(0);
        RecordId(uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid())
    }

    /// A UUIDv7 fixed by `(namespace, name)`: the same on every machine, for records that a
    /// migration makes on the server and on phones alike (a person for a free-text name, a
    /// unit for an old partner category). Its time is the epoch, so it sorts first; the rest
    /// is the name's UUIDv5 (SHA-1) bits. Never change the input: ids made before must
    /// still be found.
    pub fn derived(namespace: &str, name: &str) -> Self {
        let hashed = Uuid::new_v5(
            &Uuid::NAMESPACE_OID,
            format!("doorstep.{namespace}:{name}").as_bytes(),
        );
        let mut random = [0u8; 10];
        random.copy_from_slice(&hashed.as_bytes()[..10]);
        RecordId(uuid::Builder::from_unix_timestamp_millis(0, &random).into_uuid())
    }

    pub fn parse(s: &str) -> Result<Self, InvalidRecordId> {
        match Uuid::try_parse(s) {
            Ok(u) if u.get_version_num() == 7 => Ok(RecordId(u)),
            _ => Err(InvalidRecordId(s.to_owned())),
        }
    }

    /// The id's 128 bits as two halves (for digests).
    pub fn as_u64_pair(&self) -> (u64, u64) {
        self.0.as_u64_pair()
    }

    /// The creation time encoded in the id.
    pub fn minted_at(&self) -> UnixMillis {
        let (secs, nanos) = self
            .0
            .get_timestamp()
            .map(|t| t.to_unix())
            .unwrap_or((0, 0));
        UnixMillis(secs as i64 * 1000 + i64::from(nanos / 1_000_000))
    }
}

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.as_hyphenated().fmt(f)
    }
}

impl TryFrom<String> for RecordId {
    type Error = InvalidRecordId;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        RecordId::parse(&s)
    }
}

impl From<RecordId> for String {
    fn from(id: RecordId) -> String {
        id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rejects_non_v7() {
        assert!(RecordId::parse("67e55044-10b1-426f-9247-bb680e5fe0c8").is_err()); // v4
        assert!(RecordId::parse("not-a-uuid").is_err());
    }

    proptest! {
        #[test]
        fn mint_parse_roundtrip(ms in 0i64..=(1i64 << 47), random: [u8; 10]) {
            let id = RecordId::mint(UnixMillis(ms), random);
            prop_assert_eq!(RecordId::parse(&id.to_string()), Ok(id));
            prop_assert_eq!(id.minted_at(), UnixMillis(ms));
        }

        #[test]
        fn later_ids_sort_after(a in 0i64..(1i64 << 46), gap in 1i64..1_000_000, r1: [u8; 10], r2: [u8; 10]) {
            let first = RecordId::mint(UnixMillis(a), r1);
            let second = RecordId::mint(UnixMillis(a + gap), r2);
            prop_assert!(first < second);
            prop_assert!(first.to_string() < second.to_string());
        }
    }
}

#[cfg(test)]
mod derived_tests {
    use super::*;

    #[test]
    fn derived_ids_never_change() {
        // Phones and servers made these from old records: a change would split people.
        let id = RecordId::derived("person", "张三");
        assert_eq!(RecordId::parse(&id.to_string()), Ok(id));
        assert_eq!(id.minted_at(), UnixMillis(0));
        assert_eq!(id.to_string(), "00000000-0000-7793-af47-4d2356dd8263");
    }
}
