//! Who is signed in on this phone: the device token and the user, kept in localStorage so
//! the app opens offline after one sign-in.

use doorstep_core::account::UserInfo;
use doorstep_core::store::{KvStore, LocalDb, StoreError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiProblem;
use crate::local_store::LocalStore;

const KEY: &str = "doorstep/session";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub user: UserInfo,
}

/// The session, and why the last one ended (shown on the sign-in screen).
#[derive(Clone, Copy)]
pub struct SessionCtx {
    pub session: RwSignal<Option<Session>>,
    pub ended: RwSignal<Option<ApiProblem>>,
}

pub fn use_session() -> SessionCtx {
    expect_context::<SessionCtx>()
}

/// None also when storage cannot be used at all (the sign-in screen then says so).
pub fn load() -> Option<Session> {
    let store = LocalStore::open().ok()?;
    serde_json::from_str(&store.get(KEY).ok()??).ok()
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
        SessionCtx {
            session: RwSignal::new(load()),
            ended: RwSignal::new(None),
        }
    }

    pub fn sign_in(&self, s: Session) -> Result<(), StoreError> {
        let json = serde_json::to_string(&s).map_err(|e| StoreError::Other(e.to_string()))?;
        LocalStore::open()?.set(KEY, &json)?;
        self.ended.set(None);
        self.session.set(Some(s));
        Ok(())
    }

    /// The server ended this phone's sign-in: ask again, keep every record.
    pub fn ended_by_server(&self, why: ApiProblem) {
        if let Ok(store) = LocalStore::open() {
            let _ = store.remove(KEY);
        }
        self.session.set(None);
        self.ended.set(Some(why));
    }

    /// Signs out and removes the team's data from the phone (the caller has made sure
    /// nothing unsynced is lost, or the volunteer chose to discard it).
    pub fn sign_out_and_wipe(&self) -> Result<(), StoreError> {
        let store = LocalStore::open()?;
        LocalDb::new(&store).wipe()?;
        store.remove(KEY)?;
        self.session.set(None);
        Ok(())
    }
}
