//! A team server in memory: the same [`push::plan`] and [`merge::apply`] as the real one,
//! over maps. The model-based tests run many phones against it.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::digest::Digest;
use super::merge::{self, Doc, Writer};
use super::push::{self, PushError};
use super::scope::{self, Communities, Scope};
use super::window::{self, Facts, Window};
use super::wire::{
    IdEntry, IdsResponse, Outcome, PullResponse, PullScope, PushRequest, PushResponse, PROTOCOL,
};
use crate::store::RecordKind;
use crate::RecordId;

#[derive(Debug, Default, Clone)]
pub struct MemServer {
    /// The team's change number.
    pub clock: u64,
    pub docs: BTreeMap<RecordId, Doc>,
    /// Per device: the last mutation number applied.
    pub last_seq: HashMap<String, u64>,
    /// Refused mutations by (device, number): a re-sent one gets the same answer.
    pub rejected: HashMap<(String, u64), super::wire::Rejection>,
    /// The server's clock in microseconds (set by the test), for [`push::next_rev`].
    pub now: u64,
    /// The latest time a record may carry ([`super::inbound::latest`]); None: any.
    pub latest: Option<crate::UnixMillis>,
    /// The team's window in days ([`window::DEFAULT_DAYS`] when 0).
    pub window_days: u32,
    /// Each volunteer's communities (`sync::scope`), by user id.
    pub communities: HashMap<String, Communities>,
}

impl MemServer {
    pub fn push(&mut self, w: Writer<'_>, req: &PushRequest) -> Result<PushResponse, PushError> {
        let done = push::plan(self.last_seq.get(w.device).copied(), req)?;
        let mut outcomes = Vec::with_capacity(req.mutations.len());
        for (i, m) in req.mutations.iter().enumerate() {
            let mut outcome = Outcome {
                seq: m.seq,
                rejected: None,
            };
            let id = Doc::target(m);
            if i < done {
                // Handled before; its answer was lost. Refused: say so again. Applied: the
                // phone may have skipped the record in a pull meanwhile (it had a change
                // waiting), so list it again.
                outcome.rejected = self.rejected.get(&(w.device.to_owned(), m.seq)).cloned();
                // Only records this device wrote: a replay naming any other changes nothing.
                let doc = id.and_then(|id| self.docs.get_mut(&id));
                if let Some(doc) = doc.filter(|d| d.has_value_from(w.device)) {
                    self.clock = push::next_rev(self.clock, self.now);
                    doc.rev = self.clock;
                }
            } else {
                let existing = id.and_then(|id| self.docs.get(&id));
                let rev = push::next_rev(self.clock, self.now);
                let latest = self.latest.unwrap_or(crate::UnixMillis(i64::MAX));
                match merge::apply(existing, m, w, rev, latest) {
                    Ok(Some(doc)) => {
                        self.clock = rev;
                        if scope::moved(existing, &doc) {
                            for v in self.docs.values_mut().filter(|v| {
                                v.kind == RecordKind::Visit && v.facts().household == Some(doc.id)
                            }) {
                                self.clock = push::next_rev(self.clock, self.now);
                                v.rev = self.clock;
                            }
                        }
                        self.docs.insert(doc.id, doc);
                    }
                    Ok(None) => {}
                    Err(r) => {
                        self.rejected
                            .insert((w.device.to_owned(), m.seq), r.clone());
                        outcome.rejected = Some(r);
                    }
                }
                self.last_seq.insert(w.device.to_owned(), m.seq);
            }
            outcomes.push(outcome);
        }
        Ok(PushResponse {
            protocol: PROTOCOL,
            outcomes,
        })
    }

    pub fn pull(&self, cursor: u64, limit: usize, except: &[RecordId]) -> PullResponse {
        self.pull_scoped(cursor, limit, except, PullScope::default(), None)
    }

    /// A pull as the real server answers it (`crates/server/src/records.rs`): with a window,
    /// a phone starting from nothing gets only what the window keeps, and the digest covers
    /// what the window covers by day; for a volunteer (`user`) given communities, only what
    /// is in their scope, with what changed and left it listed in `left`.
    pub fn pull_scoped(
        &self,
        cursor: u64,
        limit: usize,
        except: &[RecordId],
        scope: PullScope,
        user: Option<&str>,
    ) -> PullResponse {
        let reset = cursor > self.clock;
        let from = if reset { 0 } else { cursor };
        let days = match self.window_days {
            0 => window::DEFAULT_DAYS,
            d => d,
        };
        let window = scope.today.map(|t| Window::ending(t, days));
        let full = match window {
            None => 0,
            Some(_) if from == 0 => self.clock,
            Some(_) => scope.full.min(self.clock),
        };
        let extras = match window {
            Some(_) if full > from => {
                let facts: Vec<Facts> = self.docs.values().map(Doc::facts).collect();
                window::extras(&facts)
            }
            _ => Default::default(),
        };
        let member = user
            .filter(|_| window.is_some())
            .and_then(|u| Scope::of(self.communities.get(u).cloned().unwrap_or_default(), u));
        let inside: Option<HashSet<RecordId>> = member.as_ref().map(|s| {
            self.docs
                .values()
                .filter(|d| {
                    d.kind == RecordKind::Household
                        && s.holds(d.community().unwrap_or_default(), &d.created_by)
                })
                .map(|d| d.id)
                .collect()
        });
        let in_scope = |d: &Doc| {
            inside
                .as_ref()
                .is_none_or(|i| scope::in_scope(&d.facts(), i))
        };
        let sent =
            |d: &Doc| d.rev > full || window.is_none_or(|w| window::keeps(w, &d.facts(), &extras));
        let mut docs: Vec<&Doc> = self
            .docs
            .values()
            .filter(|d| d.rev > from && sent(d))
            .collect();
        docs.sort_by_key(|d| d.rev);
        let more = docs.len() > limit;
        docs.truncate(limit);
        let cursor = match docs.last() {
            Some(d) if more => d.rev,
            _ if window.is_some() => self.clock.max(from),
            Some(d) => d.rev,
            None => from,
        };
        let (docs, out): (Vec<&Doc>, Vec<&Doc>) = docs.into_iter().partition(|d| in_scope(d));
        let covered = |d: &&Doc| window.is_none_or(|w| w.covers(d.facts().day)) && in_scope(d);
        PullResponse {
            protocol: PROTOCOL,
            reset,
            cursor,
            more,
            records: docs.into_iter().map(Doc::pulled).collect(),
            digest: (!more).then(|| {
                Digest::of(
                    self.docs
                        .values()
                        .filter(covered)
                        .filter(|d| !except.contains(&d.id))
                        .map(|d| (d.id, d.version())),
                )
            }),
            except: except.to_vec(),
            window,
            full: if full > from { full } else { 0 },
            left: out
                .into_iter()
                .filter(|d| d.rev > full)
                .map(|d| d.id)
                .collect(),
            scope: member,
        }
    }

    /// Erases the content of what was deleted longer ago than the undo window, as the real
    /// server's sweep does. Returns how many.
    pub fn erase_deleted(&mut self, now: crate::UnixMillis) -> usize {
        let mut n = 0;
        for doc in self.docs.values_mut().filter(|d| d.erasable(now)) {
            let rev = push::next_rev(self.clock, self.now);
            if doc.erase(rev) {
                self.clock = rev;
                n += 1;
            }
        }
        n
    }

    /// The team's ids after `after`, in id order.
    pub fn ids(&self, after: Option<RecordId>, limit: usize) -> IdsResponse {
        let mut ids: Vec<IdEntry> = self
            .docs
            .values()
            .filter(|d| after.is_none_or(|a| d.id > a))
            .map(Doc::id_entry)
            .collect();
        let more = ids.len() > limit;
        ids.truncate(limit);
        IdsResponse {
            protocol: PROTOCOL,
            ids,
            more,
        }
    }
}
