//! Failed sign-ins per username and per address: more than `LIMIT` in a minute → 429.
//! In memory: a restart forgets, which is acceptable for slowing down guessing.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const LIMIT: usize = 10;
const WINDOW: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct FailedLogins {
    seen: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl FailedLogins {
    /// Whether any of `keys` already has `LIMIT` failures in the last minute.
    pub fn blocked(&self, keys: &[String]) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter().any(|k| {
            seen.get_mut(k).is_some_and(|q| {
                while q.front().is_some_and(|t| now.duration_since(*t) > WINDOW) {
                    q.pop_front();
                }
                q.len() >= LIMIT
            })
        })
    }

    pub fn record(&self, keys: &[String]) {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        // Forget stale keys now and then, so the map cannot grow without bound.
        if seen.len() > 10_000 {
            seen.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) <= WINDOW));
        }
        for k in keys {
            seen.entry(k.clone()).or_default().push_back(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_per_key() {
        let f = FailedLogins::default();
        let a = vec!["user:a".to_string()];
        for _ in 0..LIMIT {
            assert!(!f.blocked(&a));
            f.record(&a);
        }
        assert!(f.blocked(&a));
        assert!(!f.blocked(&["user:b".to_string()]));
    }
}
