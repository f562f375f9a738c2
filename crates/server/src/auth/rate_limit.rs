//! Failed sign-ins in the last minute, per username (`USER_LIMIT`) and, far looser, per
//! client address (`ADDRESS_LIMIT`: a community centre's Wi-Fi or a carrier's NAT puts a whole
//! team behind one address, and one person's typos must not lock out the others).
//!
//! A sign-in takes its slot before the password is checked (`begin`, one step under one
//! lock), so fifty wrong passwords at once cannot all slip past the limit; a right password
//! gives its slot back (`succeeded`). In memory: a restart forgets, which is acceptable for
//! slowing down guessing.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins of one username per minute.
pub const USER_LIMIT: usize = 10;
/// Failed sign-ins from one address per minute (every username together).
pub const ADDRESS_LIMIT: usize = 100;
const WINDOW: Duration = Duration::from_secs(60);

/// What a limit is counted by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    User(String),
    Address(std::net::IpAddr),
}

impl Key {
    fn limit(&self) -> usize {
        match self {
            Key::User(_) => USER_LIMIT,
            Key::Address(_) => ADDRESS_LIMIT,
        }
    }
}

#[derive(Default)]
pub struct FailedLogins {
    seen: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

/// A sign-in under way, counted as failed until it [`FailedLogins::succeeded`].
#[must_use]
pub struct Attempt {
    keys: Vec<Key>,
    at: Instant,
}

impl FailedLogins {
    /// Takes a slot under every key, or None (and takes nothing) if one is at its limit.
    pub fn begin(&self, keys: Vec<Key>) -> Option<Attempt> {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        // Forget stale keys now and then, so the map cannot grow without bound.
        if seen.len() > 10_000 {
            seen.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) <= WINDOW));
        }
        let full = keys.iter().any(|k| {
            seen.get_mut(k).is_some_and(|q| {
                while q.front().is_some_and(|t| now.duration_since(*t) > WINDOW) {
                    q.pop_front();
                }
                q.len() >= k.limit()
            })
        });
        if full {
            return None;
        }
        for k in &keys {
            seen.entry(k.clone()).or_default().push_back(now);
        }
        Some(Attempt { keys, at: now })
    }

    /// The password was right: the attempt does not count.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        for k in &attempt.keys {
            if let Some(q) = seen.get_mut(k) {
                if let Some(i) = q.iter().rposition(|t| *t == attempt.at) {
                    q.remove(i);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(u: &str) -> Key {
        Key::User(u.into())
    }

    const ADDR: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn blocks_a_username_after_its_limit_and_not_its_colleagues() {
        let f = FailedLogins::default();
        for _ in 0..USER_LIMIT {
            let _failed = f.begin(vec![user("a"), Key::Address(ADDR)]).unwrap();
        }
        assert!(f.begin(vec![user("a"), Key::Address(ADDR)]).is_none());
        assert!(
            f.begin(vec![user("b"), Key::Address(ADDR)]).is_some(),
            "another user at the same address"
        );
    }

    #[test]
    fn a_right_password_gives_its_slot_back() {
        let f = FailedLogins::default();
        for _ in 0..USER_LIMIT * 3 {
            let a = f.begin(vec![user("a")]).unwrap();
            f.succeeded(a);
        }
        assert!(f.begin(vec![user("a")]).is_some());
    }

    #[test]
    fn an_address_has_a_looser_limit_of_its_own() {
        let f = FailedLogins::default();
        for i in 0..ADDRESS_LIMIT {
            let _failed = f
                .begin(vec![user(&format!("u{i}")), Key::Address(ADDR)])
                .unwrap();
        }
        assert!(f.begin(vec![user("fresh"), Key::Address(ADDR)]).is_none());
    }
}
