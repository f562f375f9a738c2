//! What a phone keeps to open its sealed data (`store::sealed`): the data key, wrapped under a
//! key derived from the PIN and under the device's recovery key (which the server gave at
//! sign-in and gives back only to the same user signing in again with their password). The
//! keyring itself is stored plain: it is read before anything can be opened.
//!
//! The derivation is the caller's (PBKDF2-SHA-256 by WebCrypto in the app: [`PIN_KEY_ROUNDS`]
//! over the PIN with [`Keyring::salt`]); the keyring holds only what is safe to store.

use serde::{Deserialize, Serialize};

use super::sealed::{new_key, unwrap_key, wrap_key, DataKey};

/// PBKDF2-SHA-256 rounds for the key that wraps the data key (OWASP's figure for 2023 on).
pub const PIN_KEY_ROUNDS: u32 = 600_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    /// Salt of the PIN's key.
    pub salt: Vec<u8>,
    /// The data key wrapped under the PIN's key.
    pub by_pin: String,
    /// The data key wrapped under the device's recovery key; `None` if the server gave none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_recovery: Option<String>,
    /// The device the server knows that recovery key by (a later sign-in names it).
    #[serde(default)]
    pub device_id: String,
    /// Wrong PINs in a row.
    #[serde(default)]
    pub failures: u32,
}

/// A device's recovery key as the server sends it (64 hex digits); `None` if it is not one.
pub fn parse_recovery_key(hex: &str) -> Option<DataKey> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, b) in key.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(key)
}

impl Keyring {
    /// A keyring for `data_key` (a new one: [`new_key`]) under the PIN's key (derived with
    /// `salt`) and, if the server gave one, the device's recovery key.
    pub fn wrap(
        data_key: &DataKey,
        (pin_key, salt): (&DataKey, Vec<u8>),
        recovery: Option<(&DataKey, &str)>,
        random: fn(&mut [u8]),
    ) -> Keyring {
        Keyring {
            salt,
            by_pin: wrap_key(pin_key, data_key, random),
            by_recovery: recovery.map(|(k, _)| wrap_key(k, data_key, random)),
            device_id: recovery.map(|(_, d)| d.to_owned()).unwrap_or_default(),
            failures: 0,
        }
    }

    /// A new data key and its keyring.
    pub fn create(
        pin: (&DataKey, Vec<u8>),
        recovery: Option<(&DataKey, &str)>,
        random: fn(&mut [u8]),
    ) -> (Keyring, DataKey) {
        let key = new_key(random);
        (Keyring::wrap(&key, pin, recovery, random), key)
    }

    /// The data key, if `pin_key` is the PIN's (a wrong PIN gives `None`).
    pub fn open_with_pin(&self, pin_key: &DataKey) -> Option<DataKey> {
        unwrap_key(pin_key, &self.by_pin)
    }

    /// The data key from the recovery key the server gave back.
    pub fn open_with_recovery(&self, recovery_key: &DataKey) -> Option<DataKey> {
        unwrap_key(recovery_key, self.by_recovery.as_deref()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(out: &mut [u8]) {
        use std::sync::atomic::{AtomicU8, Ordering};
        static N: AtomicU8 = AtomicU8::new(1);
        for b in out.iter_mut() {
            *b = N.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn the_pin_or_the_recovery_key_opens_it_nothing_else_does() {
        let (pin, recovery) = ([1u8; 32], [2u8; 32]);
        let (ring, key) = Keyring::create((&pin, vec![9; 16]), Some((&recovery, "dev-1")), fill);
        assert_eq!(ring.open_with_pin(&pin), Some(key));
        assert_eq!(ring.open_with_recovery(&recovery), Some(key));
        assert_eq!(ring.open_with_pin(&recovery), None, "a wrong PIN");
        assert_eq!(ring.open_with_recovery(&pin), None);
        assert_eq!(ring.device_id, "dev-1");
        // Stored and read back (plain JSON), it still opens; it holds no key in clear.
        let json = serde_json::to_string(&ring).unwrap();
        let back: Keyring = serde_json::from_str(&json).unwrap();
        assert_eq!(back.open_with_pin(&pin), Some(key));
        let in_clear = serde_json::to_string(&key.to_vec()).unwrap();
        assert!(!json.contains(&in_clear[1..in_clear.len() - 1]));
        // After a recovery: the same data key under a new PIN and a new recovery key.
        let (pin2, recovery2) = ([3u8; 32], [4u8; 32]);
        let again = Keyring::wrap(
            &key,
            (&pin2, vec![8; 16]),
            Some((&recovery2, "dev-2")),
            fill,
        );
        assert_eq!(again.open_with_pin(&pin2), Some(key));
        assert_eq!(again.open_with_pin(&pin), None);
        // Without a recovery key (an older server): the PIN alone.
        let (alone, _) = Keyring::create((&pin, vec![9; 16]), None, fill);
        assert_eq!(alone.open_with_recovery(&recovery), None);
    }

    #[test]
    fn recovery_keys_are_64_hex_digits() {
        let hex = "00ff".repeat(16);
        let key = parse_recovery_key(&hex).unwrap();
        assert_eq!((key[0], key[1], key[31]), (0x00, 0xff, 0xff));
        assert_eq!(parse_recovery_key(&hex[2..]), None);
        assert_eq!(parse_recovery_key(&"zz".repeat(32)), None);
        assert_eq!(parse_recovery_key(&"é".repeat(32)), None);
    }
}
