//! What a phone keeps to open its sealed data (`store::sealed`): the data key, wrapped under a
//! key derived from the PIN and under the device's recovery key (which the server gave at
//! sign-in and gives back only to the same user signing in again with their password, never
//! to a revoked device). The keyring itself is stored plain ([`keys::KEYRING`]): it is read
//! before anything can be opened, and it holds no key in clear.
//!
//! Its life on a phone:
//! - a password sign-in makes it ([`Keyring::new`]): a new data key, or the one the server's
//!   recovery key opens when the phone already holds sealed data; wrapped under the recovery
//!   key at once, so a phone closed before the PIN is chosen loses nothing;
//! - choosing the PIN adds the PIN's wrap ([`Keyring::set_pin`]);
//! - the fifth wrong PIN removes it ([`Keyring::lock_out`]): then only a password sign-in
//!   (and the server's word) opens the data again, unsynced changes included;
//! - signing out removes the keyring with the team's data (it lives under [`keys::ROOT`]).
//!
//! The derivation is the caller's (PBKDF2-SHA-256 by WebCrypto in the app: [`PIN_KEY_ROUNDS`]
//! over the PIN with [`Keyring::salt`]).
//!
//! [`keys::KEYRING`]: super::keys::KEYRING
//! [`keys::ROOT`]: super::keys::ROOT

use serde::{Deserialize, Serialize};

use super::sealed::{unwrap_key, wrap_key, DataKey};

/// PBKDF2-SHA-256 rounds for the key that wraps the data key (OWASP's figure for 2023 on).
pub const PIN_KEY_ROUNDS: u32 = 600_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    /// Salt of the PIN's key (empty until a PIN is chosen).
    #[serde(default)]
    pub salt: Vec<u8>,
    /// The data key wrapped under the PIN's key; `None` before a PIN is chosen and after the
    /// wrong-PIN lockout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_pin: Option<String>,
    /// The data key wrapped under the device's recovery key.
    pub by_recovery: String,
    /// The device the server knows that recovery key by (a later sign-in names it).
    pub device_id: String,
    /// Whose data this is (a username): another user's sign-in cannot open it.
    pub owner: String,
    /// Wrong PINs in a row.
    #[serde(default)]
    pub failures: u32,
    /// Every value written before sealing began has been sealed.
    #[serde(default)]
    pub sealed_all: bool,
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
    /// A keyring for `data_key` (a new one: [`super::sealed::new_key`]), owned by `owner`,
    /// under the recovery key the server gave `device_id`; no PIN yet.
    pub fn new(
        data_key: &DataKey,
        owner: &str,
        (recovery_key, device_id): (&DataKey, &str),
        random: fn(&mut [u8]),
    ) -> Keyring {
        Keyring {
            salt: Vec::new(),
            by_pin: None,
            by_recovery: wrap_key(recovery_key, data_key, random),
            device_id: device_id.to_owned(),
            owner: owner.to_owned(),
            failures: 0,
            sealed_all: false,
        }
    }

    /// Wraps `data_key` under the PIN's key (derived with `salt`), replacing any PIN.
    pub fn set_pin(
        &mut self,
        data_key: &DataKey,
        (pin_key, salt): (&DataKey, Vec<u8>),
        random: fn(&mut [u8]),
    ) {
        self.salt = salt;
        self.by_pin = Some(wrap_key(pin_key, data_key, random));
        self.failures = 0;
    }

    /// The data key, if `pin_key` is the PIN's (a wrong PIN, or none set, gives `None`).
    pub fn open_with_pin(&self, pin_key: &DataKey) -> Option<DataKey> {
        unwrap_key(pin_key, self.by_pin.as_deref()?)
    }

    /// The data key from the recovery key the server gave back.
    pub fn open_with_recovery(&self, recovery_key: &DataKey) -> Option<DataKey> {
        unwrap_key(recovery_key, &self.by_recovery)
    }

    /// Whether a PIN opens it (else a password sign-in must).
    pub fn has_pin(&self) -> bool {
        self.by_pin.is_some()
    }

    /// Too many wrong PINs: the PIN no longer opens the data.
    pub fn lock_out(&mut self) {
        self.by_pin = None;
        self.salt.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sealed::new_key;

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
        let key = new_key(fill);
        let mut ring = Keyring::new(&key, "zhang", (&recovery, "dev-1"), fill);
        assert_eq!(ring.open_with_pin(&pin), None, "no PIN chosen yet");
        assert!(!ring.has_pin());
        ring.set_pin(&key, (&pin, vec![9; 16]), fill);
        assert_eq!(ring.open_with_pin(&pin), Some(key));
        assert_eq!(ring.open_with_recovery(&recovery), Some(key));
        assert_eq!(ring.open_with_pin(&recovery), None, "a wrong PIN");
        assert_eq!(ring.open_with_recovery(&pin), None);
        assert_eq!(
            (ring.device_id.as_str(), ring.owner.as_str()),
            ("dev-1", "zhang")
        );
        // Stored and read back (plain JSON), it still opens; it holds no key in clear.
        let json = serde_json::to_string(&ring).unwrap();
        let back: Keyring = serde_json::from_str(&json).unwrap();
        assert_eq!(back.open_with_pin(&pin), Some(key));
        for secret in [key, pin, recovery] {
            let in_clear = serde_json::to_string(&secret.to_vec()).unwrap();
            assert!(!json.contains(&in_clear[1..in_clear.len() - 1]));
        }
        // Locked out: the PIN no longer opens it, the recovery key still does.
        ring.lock_out();
        assert_eq!(ring.open_with_pin(&pin), None);
        assert!(!ring.has_pin() && ring.salt.is_empty());
        assert_eq!(ring.open_with_recovery(&recovery), Some(key));
        // After a recovery: the same data key under a new recovery key and a new PIN.
        let (pin2, recovery2) = ([3u8; 32], [4u8; 32]);
        let mut again = Keyring::new(&key, "zhang", (&recovery2, "dev-2"), fill);
        again.set_pin(&key, (&pin2, vec![8; 16]), fill);
        assert_eq!(again.open_with_pin(&pin2), Some(key));
        assert_eq!(again.open_with_pin(&pin), None);
        assert_eq!(again.open_with_recovery(&recovery), None);
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
