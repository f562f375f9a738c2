//! Who is signed in on this phone: the device token and the user, kept in localStorage so
//! the app opens offline after one sign-in.

use doorstep_core::account::UserInfo;
use doorstep_core::store::{KvStore, LocalDb, StoreError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiProblem;
use crate::local_store::{keyring, save_keyring, LocalStore, RawStore};

use doorstep_core::store::keys::{ENDED as ENDED_KEY, OWNER, SESSION as KEY};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub user: UserInfo,
}

/// The session, why the last one ended (shown on the sign-in screen), and the app lock.
#[derive(Clone, Copy)]
pub struct SessionCtx {
    pub session: RwSignal<Option<Session>>,
    pub ended: RwSignal<Option<ApiProblem>>,
    /// A PIN is set for this sign-in (else the app asks for one first).
    pub has_pin: RwSignal<bool>,
    /// The PIN is needed before anything shows (on start, after a while in the background).
    pub locked: RwSignal<bool>,
}

pub fn use_session() -> SessionCtx {
    expect_context::<SessionCtx>()
}

/// None also when storage cannot be used at all (the sign-in screen then says so), and
/// while the data is sealed and locked.
pub fn load() -> Option<Session> {
    let store = LocalStore::open().ok()?;
    serde_json::from_str(&store.get(KEY).ok()??).ok()
}

/// Whether the phone holds changes of a user other than `username` that have not reached
/// the server: then that user must sign in and sync first (nothing is ever dropped).
pub fn holds_others_unsynced(username: &str) -> bool {
    // Sealed records nothing here can open (another user's, after a lockout): whether they
    // all reached the server cannot be told, so only their owner may sign in.
    if let Some(ring) = keyring().filter(|_| !LocalStore::is_unlocked()) {
        return ring.owner != username;
    }
    let Ok(store) = LocalStore::open() else {
        return false;
    };
    let other = store
        .get(OWNER)
        .ok()
        .flatten()
        .is_some_and(|o| o != username);
    other && doorstep_core::sync::client::has_unsynced(&LocalDb::new(&store))
}

/// The signed-in user's id, the author of every record saved now.
pub fn user_id() -> String {
    load().map(|s| s.user.id).unwrap_or_default()
}

impl Default for SessionCtx {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionCtx {
    pub fn new() -> Self {
        let why = crate::local_store::phone_setting(ENDED_KEY);
        crate::local_store::remove_phone_setting(ENDED_KEY);
        let ended = why.filter(|w| w == "revoked").map(|_| ApiProblem::Revoked);
        let (session, has_pin, locked) = match keyring() {
            // Sealed: the sign-in itself opens only with the PIN.
            Some(ring) => {
                let signed_in =
                    RawStore::open().is_ok_and(|s| s.get(KEY).is_ok_and(|v| v.is_some()));
                (None, ring.has_pin(), signed_in && ring.has_pin())
            }
            None => {
                let session = load();
                let has_pin = session.is_some() && crate::pin::has_pin();
                (session, has_pin, has_pin)
            }
        };
        SessionCtx {
            session: RwSignal::new(session),
            ended: RwSignal::new(ended),
            has_pin: RwSignal::new(has_pin),
            locked: RwSignal::new(locked),
        }
    }

    /// The right PIN was given: the sign-in (sealed until now) shows.
    pub fn unlocked(&self) {
        if self.session.with_untracked(Option::is_none) {
            self.session.set(load());
        }
        self.locked.set(false);
    }

    /// This phone's device token, for an API call (None when signed out).
    pub fn token(&self) -> Option<String> {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
    }

    pub fn pin_set(&self) {
        self.has_pin.set(true);
        self.locked.set(false);
    }

    /// Locks the app; on a sealed phone the data key leaves memory too (and the sign-in with
    /// it: the caller empties the records in memory). Returns whether it did.
    pub fn lock(&self) -> bool {
        if !self.has_pin.get_untracked() {
            return false;
        }
        self.locked.set(true);
        if keyring().is_some() {
            LocalStore::lock();
            self.session.set(None);
        }
        true
    }

    /// Saves a password sign-in (or an accepted invite) and the keys it brought. Records of
    /// another user (all synced: see [`holds_others_unsynced`]) leave the phone first; then
    /// `Ok(true)`, and the caller reads the records again.
    pub fn sign_in(&self, r: doorstep_core::account::LoginResponse) -> Result<bool, StoreError> {
        let s = Session {
            token: r.token.clone(),
            user: r.user.clone(),
        };
        let json = serde_json::to_string(&s).map_err(|e| StoreError::Other(e.to_string()))?;
        let username = &s.user.username;
        let previous = match keyring() {
            Some(ring) => Some(ring.owner),
            None => LocalStore::open()?.get(OWNER)?,
        };
        let other = previous.is_some_and(|o| o != *username);
        if other {
            crate::local_store::remove_team()?;
        }
        // A new sign-in sets its own PIN.
        crate::pin::forget();
        crate::pin::start_sealing(username, &r)?;
        let store = LocalStore::open()?;
        store.set(OWNER, username)?;
        store.set(KEY, &json)?;
        self.has_pin.set(false);
        self.locked.set(false);
        self.ended.set(None);
        self.session.set(Some(s));
        Ok(other)
    }

    /// The server's word on who is signed in (a role or name changed since sign-in): kept,
    /// so the screens follow at once.
    pub fn refresh_user(&self, user: doorstep_core::account::UserInfo) {
        let Some(mut s) = self.session.get_untracked() else {
            return;
        };
        if s.user == user {
            return;
        }
        s.user = user;
        if let (Ok(json), Ok(store)) = (serde_json::to_string(&s), LocalStore::open()) {
            let _ = store.set(KEY, &json);
        }
        self.session.set(Some(s));
    }

    /// The server ended this phone's sign-in: ask again, keep every record.
    pub fn ended_by_server(&self, why: ApiProblem) {
        if let Ok(store) = RawStore::open() {
            let _ = doorstep_core::store::keys::remove_sign_in(&store);
        }
        // The PIN no longer opens the data: a password sign-in does (the key stays in memory
        // meanwhile, so a sign-in in this tab needs nothing from the server to open it).
        if let Some(mut ring) = keyring().filter(|r| r.has_pin()) {
            ring.lock_out();
            let _ = save_keyring(&ring);
        }
        self.has_pin.set(false);
        self.locked.set(false);
        self.session.set(None);
        self.ended.set(Some(why));
    }

    /// A coordinator revoked this phone and everything on it has reached the server: removes
    /// the team's data and the sign-in. The caller reloads; the sign-in screen says why.
    pub fn revoked_and_wiped(&self) -> Result<(), StoreError> {
        self.sign_out_and_wipe()?;
        RawStore::open()?.set(ENDED_KEY, "revoked")
    }

    /// Signs out and removes the team's data from the phone (the caller has made sure
    /// nothing unsynced is lost, or the volunteer chose to discard it). The screen is left
    /// as it is: the caller reloads the app, whose lists in memory belong to the user who left.
    pub fn sign_out_and_wipe(&self) -> Result<(), StoreError> {
        doorstep_core::store::keys::remove_team_and_sign_in(&RawStore::open()?)?;
        LocalStore::lock();
        Ok(())
    }
}
