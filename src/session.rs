//! Who is signed in on this phone: the device token and the user, kept in localStorage so
//! the app opens offline after one sign-in.

use doorstep_core::account::UserInfo;
use doorstep_core::store::{KvStore, LocalDb, StoreError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiProblem;
use crate::local_store::LocalStore;

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

/// None also when storage cannot be used at all (the sign-in screen then says so).
pub fn load() -> Option<Session> {
    let store = LocalStore::open().ok()?;
    serde_json::from_str(&store.get(KEY).ok()??).ok()
}

/// Whether the phone holds changes of a user other than `username` that have not reached
/// the server: then that user must sign in and sync first (nothing is ever dropped).
pub fn holds_others_unsynced(username: &str) -> bool {
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
        let session = load();
        let ended = LocalStore::open().ok().and_then(|s| {
            let why = s.get(ENDED_KEY).ok().flatten();
            let _ = s.remove(ENDED_KEY);
            why.filter(|w| w == "revoked").map(|_| ApiProblem::Revoked)
        });
        let has_pin = session.is_some() && crate::pin::load().is_some();
        SessionCtx {
            session: RwSignal::new(session),
            ended: RwSignal::new(ended),
            has_pin: RwSignal::new(has_pin),
            locked: RwSignal::new(has_pin),
        }
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

    pub fn lock(&self) {
        if self.has_pin.get_untracked() {
            self.locked.set(true);
        }
    }

    /// Saves the sign-in. Records of another user (all synced: see [`holds_others_unsynced`])
    /// leave the phone first; then `Ok(true)`, and the caller reloads the app, whose lists in
    /// memory are that user's.
    pub fn sign_in(&self, s: Session) -> Result<bool, StoreError> {
        let json = serde_json::to_string(&s).map_err(|e| StoreError::Other(e.to_string()))?;
        let store = LocalStore::open()?;
        let other = store.get(OWNER)?.is_some_and(|o| o != s.user.username);
        if other {
            LocalDb::new(&store).wipe()?;
        }
        store.set(OWNER, &s.user.username)?;
        store.set(KEY, &json)?;
        // A new sign-in sets its own PIN.
        crate::pin::forget();
        self.has_pin.set(false);
        self.locked.set(false);
        self.ended.set(None);
        if !other {
            self.session.set(Some(s));
        }
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
        if let Ok(store) = LocalStore::open() {
            let _ = doorstep_core::store::keys::remove_sign_in(&store);
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
        LocalStore::open()?.set(ENDED_KEY, "revoked")
    }

    /// Signs out and removes the team's data from the phone (the caller has made sure
    /// nothing unsynced is lost, or the volunteer chose to discard it). The screen is left
    /// as it is: the caller reloads the app, whose lists in memory belong to the user who left.
    pub fn sign_out_and_wipe(&self) -> Result<(), StoreError> {
        doorstep_core::store::keys::remove_team_and_sign_in(&LocalStore::open()?)?;
        Ok(())
    }
}
