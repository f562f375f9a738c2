//! Device tokens: 32 random bytes, sent as 64 hex digits, stored only as their SHA-256.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn mint() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// A one-time link's code: 16 random bytes (32 hex digits), short enough for a QR code a
/// phone reads at arm's length.
pub fn mint_code() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the database keeps: a leaked table does not give working tokens.
pub fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}
