//! Every key the app keeps in the phone's storage, declared once, with what removes it.
//!
//! The team's data lives under [`ROOT`] and nothing else does, so one prefix walk removes all
//! of it; the sign-in and the phone's own preferences live beside it. No other module names a
//! key (crates/core/tests/storage_keys.rs scans the sources), so a new key cannot escape the
//! wipes by being written somewhere else.

use super::{KvStore, StoreError};

/// Every key the app writes starts with this.
pub const ALL_PREFIX: &str = "doorstep/";
/// Every key of the team's data starts with this.
pub const ROOT: &str = "doorstep/v1/";

/// What a key holds, which decides what removes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// The team's records and this phone's sync state: removed by signing out, by a revoked
    /// phone's wipe and by another user's sign-in (only once all of it has reached the server,
    /// or the volunteer chose to discard it).
    Team,
    /// This sign-in (the device token, the PIN verifier): also ended by the server or by too
    /// many wrong PINs, which keep the team's unsynced records.
    SignIn,
    /// The phone's own: the language, hints already read, why the last sign-in ended. Nothing
    /// of the team; kept.
    Phone,
}

/// One key, or every key under a prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageKey {
    pub key: &'static str,
    pub prefix: bool,
    pub holds: Holds,
}

const fn one(key: &'static str, holds: Holds) -> StorageKey {
    StorageKey {
        key,
        prefix: false,
        holds,
    }
}

const fn under(key: &'static str) -> StorageKey {
    StorageKey {
        key,
        prefix: true,
        holds: Holds::Team,
    }
}

/// The device token and the user (JSON).
pub const SESSION: &str = "doorstep/session";
/// The PIN's salt, verifier and wrong tries in a row (JSON), of a sign-in made before sealing
/// began: such a phone's data stays plain until its next password sign-in.
pub const PIN: &str = "doorstep/pin";
/// Why the last sign-in ended ("revoked"), read once by the sign-in screen after a wipe.
pub const ENDED: &str = "doorstep/ended";
/// The chosen language ("zh-CN" / "en").
pub const LANG: &str = "doorstep/lang";
/// The iPhone "add to home screen" steps were read.
pub const IOS_HINT_SEEN: &str = "doorstep/ios-hint-seen";

/// The sealed data's keyring (`store::keyring`): the data key wrapped under the PIN and under
/// the device's recovery key. It goes with the team's data, never before it.
pub const KEYRING: &str = "doorstep/v1/keyring";
/// Whose records the phone holds (a username).
pub const OWNER: &str = "doorstep/v1/owner";
/// When the last sync succeeded (ms).
pub const LAST_OK: &str = "doorstep/v1/sync/last_ok";
/// The pull cursor.
pub const CURSOR: &str = "doorstep/v1/sync/cursor";
/// Present while a repair is under way; its value is the last id compared ("" at start).
pub const REPAIR: &str = "doorstep/v1/sync/repair";
/// Present after `seq_gap` until a push with `resume` is answered.
pub const RESUME: &str = "doorstep/v1/sync/resume";
/// The window the server last applied to this phone's pulls (`sync::window`).
pub const WINDOW: &str = "doorstep/v1/sync/window";
/// The volunteer's scope the server last applied (`sync::scope`); absent: every household.
pub const SCOPE: &str = "doorstep/v1/sync/scope";
/// While a pull that started from nothing is under way: up to which revision it is filtered.
pub const FULL: &str = "doorstep/v1/sync/full";
/// The cursor and server digest at which the phone's records last matched.
pub const CHECKED: &str = "doorstep/v1/sync/checked";
/// Changes the server refused, kept with its reason.
pub const QUARANTINE: &str = "doorstep/v1/quarantine/";
/// Conflicts waiting for a person to settle them.
pub const CONFLICTS: &str = "doorstep/v1/conflicts/";
/// When this phone undeleted a record, until the server's state comes back.
pub const UNDELETED: &str = "doorstep/v1/undeleted/";
/// The changes waiting to be pushed, in order.
pub const OUTBOX: &str = "doorstep/v1/outbox/";
/// The record collections (records and their index pages), by name.
pub const HOUSEHOLDS: &str = "doorstep/v1/households/";
pub const VISITS: &str = "doorstep/v1/visits/";
pub const EVENTS: &str = "doorstep/v1/events/";
pub const PEOPLE: &str = "doorstep/v1/people/";
pub const UNITS: &str = "doorstep/v1/units/";
pub const TOMBSTONES: &str = "doorstep/v1/tombstones/";

/// Keys a sealed store (`store::sealed`) leaves plain: read before the data key is known
/// (the keyring, an older sign-in's PIN verifier), or the phone's own settings.
pub fn is_plain(key: &str) -> bool {
    [KEYRING, PIN, LANG, ENDED, IOS_HINT_SEEN].contains(&key)
}

/// Every key and prefix the app writes.
pub const ALL: [StorageKey; 26] = [
    one(SESSION, Holds::SignIn),
    one(PIN, Holds::SignIn),
    one(ENDED, Holds::Phone),
    one(LANG, Holds::Phone),
    one(IOS_HINT_SEEN, Holds::Phone),
    one(KEYRING, Holds::Team),
    one(OWNER, Holds::Team),
    one(LAST_OK, Holds::Team),
    one(CURSOR, Holds::Team),
    one(REPAIR, Holds::Team),
    one(RESUME, Holds::Team),
    one(CHECKED, Holds::Team),
    one(WINDOW, Holds::Team),
    one(FULL, Holds::Team),
    one(SCOPE, Holds::Team),
    under(QUARANTINE),
    under(CONFLICTS),
    under(UNDELETED),
    under(OUTBOX),
    under(HOUSEHOLDS),
    under(VISITS),
    under(EVENTS),
    under(PEOPLE),
    under(UNITS),
    under(TOMBSTONES),
    // The conformance suite's own keys never leave a test; declared so the scan knows them.
    StorageKey {
        key: "doorstep/conformance/",
        prefix: true,
        holds: Holds::Phone,
    },
];

/// Removes the team's data (every key under [`ROOT`]) and the sign-in; keeps the phone's
/// own keys. The caller has made sure nothing unsynced is lost (or the volunteer chose to
/// discard it). Returns how many keys were removed.
pub fn remove_team_and_sign_in<S: KvStore + ?Sized>(store: &S) -> Result<usize, StoreError> {
    let removed = remove_team(store)?;
    Ok(removed + remove_sign_in(store)?)
}

/// Removes every key under [`ROOT`]: the team's records, the outbox and the sync state.
pub fn remove_team<S: KvStore + ?Sized>(store: &S) -> Result<usize, StoreError> {
    let keys = store.keys(ROOT)?;
    for k in &keys {
        store.remove(k)?;
    }
    Ok(keys.len())
}

/// Ends the sign-in on this phone (token and PIN), keeping every record.
pub fn remove_sign_in<S: KvStore + ?Sized>(store: &S) -> Result<usize, StoreError> {
    let mut removed = 0;
    for k in ALL.iter().filter(|k| k.holds == Holds::SignIn) {
        if store.get(k.key)?.is_some() {
            store.remove(k.key)?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    /// A store with every declared key written (two keys under each prefix).
    fn filled() -> MemoryStore {
        let s = MemoryStore::default();
        for k in ALL {
            if k.prefix {
                s.set(&format!("{}r/a", k.key), "1").unwrap();
                s.set(&format!("{}i/0", k.key), "[]").unwrap();
            } else {
                s.set(k.key, "1").unwrap();
            }
        }
        s
    }

    fn held(s: &MemoryStore) -> Vec<Holds> {
        let mut out: Vec<Holds> = s
            .keys("")
            .unwrap()
            .iter()
            .map(|key| {
                ALL.iter()
                    .find(|k| {
                        if k.prefix {
                            key.starts_with(k.key)
                        } else {
                            key == k.key
                        }
                    })
                    .unwrap_or_else(|| panic!("{key} is not declared"))
                    .holds
            })
            .collect();
        out.dedup();
        out
    }

    #[test]
    fn the_team_data_is_exactly_what_lives_under_the_root() {
        for k in ALL {
            assert_eq!(k.key.starts_with(ROOT), k.holds == Holds::Team, "{}", k.key);
            assert!(k.key.starts_with("doorstep/"), "{}", k.key);
        }
        let mut names: Vec<_> = ALL.iter().map(|k| k.key).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "a key declared twice");
    }

    #[test]
    fn signing_out_leaves_only_the_phones_own_keys() {
        let s = filled();
        let removed = remove_team_and_sign_in(&s).unwrap();
        assert_eq!(held(&s), vec![Holds::Phone]);
        let team = ALL.iter().filter(|k| k.holds == Holds::Team);
        let expected: usize = team.map(|k| if k.prefix { 2 } else { 1 }).sum::<usize>() + 2;
        assert_eq!(removed, expected);
        assert_eq!(s.get(LANG).unwrap().as_deref(), Some("1"));
    }

    #[test]
    fn an_ended_sign_in_keeps_every_record() {
        let s = filled();
        let before = s.keys(ROOT).unwrap();
        assert_eq!(remove_sign_in(&s).unwrap(), 2);
        assert_eq!(s.keys(ROOT).unwrap(), before);
        assert!(s.get(SESSION).unwrap().is_none() && s.get(PIN).unwrap().is_none());
        assert_eq!(remove_sign_in(&s).unwrap(), 0, "nothing left to remove");
    }
}
