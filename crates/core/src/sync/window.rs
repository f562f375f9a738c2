//! How much of the team's history a phone keeps: every household, the visits and events of
//! the last `days` days (a team setting, [`DEFAULT_DAYS`]), and beyond those days the latest
//! visit of each household (the due list needs it) and every visit with an open follow-up.
//! A change not yet taken by the server, or an unsettled conflict, is never pruned.
//!
//! The rule is written once: the phone prunes with it after a sync ([`prune`]); the server
//! sends a phone starting from nothing only what it keeps, and compares digests over what
//! the window covers by day ([`Window::covers`]) — households and records from
//! [`Window::from`] on — so extras kept beyond it never make the two sides differ.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::scope::Scope;
use crate::store::{KvStore, LocalDb, RecordKind, StoreError};
use crate::{Day, RecordId};

/// How many days of synced visits and events phones keep unless the team says otherwise.
pub const DEFAULT_DAYS: u32 = 120;
/// The shortest window a team may set: a fortnight's cadence must stay on the phone.
pub const MIN_DAYS: u32 = 30;
/// The longest: ten years, i.e. "everything" for any team that exists today.
pub const MAX_DAYS: u32 = 3660;

/// `GET/PUT /api/v1/team/settings`: what the team's phones keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSettings {
    /// Days of synced visits and events a phone keeps.
    pub window_days: u32,
}

impl TeamSettings {
    /// Checked: a window from [`MIN_DAYS`] to [`MAX_DAYS`].
    pub fn parse(self) -> Result<TeamSettings, crate::validate::FieldError> {
        if (MIN_DAYS..=MAX_DAYS).contains(&self.window_days) {
            Ok(self)
        } else {
            Err(crate::validate::FieldError::new(
                "window_days",
                crate::validate::Problem::OutOfRange {
                    min: MIN_DAYS.into(),
                    max: MAX_DAYS.into(),
                },
            ))
        }
    }
}

/// The first day of synced visits and events a phone keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Window {
    pub from: Day,
}

impl Window {
    /// The last `days` days up to `today`, today included.
    pub fn ending(today: Day, days: u32) -> Window {
        let days = days.clamp(1, MAX_DAYS);
        Window {
            from: today.add_days(1 - i64::from(days)),
        }
    }

    /// Whether a record with this day is kept for its day alone (a household, without a
    /// day, always is).
    pub fn covers(self, day: Option<Day>) -> bool {
        day.is_none_or(|d| d >= self.from)
    }

    /// Whether a phone kept to this window holds every visit and event from `first` on (the
    /// figures for a period read from `stats::first_day_read`): if not, they come from the
    /// server.
    pub fn holds_from(self, first: Day) -> bool {
        first >= self.from
    }
}

/// The records of a period as the server lists them, with this phone's own on top: its
/// copy of a record wins (it may carry a change not yet synced), one it deleted is left
/// out, and one only it has (not yet synced) is added.
pub fn overlay<T: crate::store::Record + Clone>(
    server: Vec<T>,
    phone: &[T],
    deleted: &HashSet<RecordId>,
) -> Vec<T> {
    let gone = |id: &str| RecordId::parse(id).is_ok_and(|id| deleted.contains(&id));
    let mine: HashSet<String> = phone.iter().map(|r| r.record_id()).collect();
    let mut out: Vec<T> = server
        .into_iter()
        .filter(|r| {
            let id = r.record_id();
            !mine.contains(&id) && !gone(&id)
        })
        .collect();
    out.extend(phone.iter().filter(|r| !gone(&r.record_id())).cloned());
    out
}

/// What the window's rule looks at in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub id: RecordId,
    pub kind: RecordKind,
    /// Visits and events: the day they happened.
    pub day: Option<Day>,
    /// Visits: the household visited.
    pub household: Option<RecordId>,
    pub open_follow_up: bool,
    pub deleted: bool,
}

impl Facts {
    /// A record with no day, household or follow-up read (a household, or one known only by
    /// its id): what the scope's rule and the removals need.
    pub fn bare(id: RecordId, kind: RecordKind, deleted: bool) -> Facts {
        Facts {
            id,
            kind,
            day: None,
            household: None,
            open_follow_up: false,
            deleted,
        }
    }
}

impl super::merge::Doc {
    /// What the window's rule looks at, from the fields as shown.
    pub fn facts(&self) -> Facts {
        let shown = |name: &str| self.fields.get(name).map(|f| f.shown());
        let day = shown("day")
            .and_then(|v| v.as_str())
            .and_then(|s| Day::parse(s).ok());
        let household = shown("household_id")
            .and_then(|v| v.as_str())
            .and_then(|s| RecordId::parse(s).ok());
        let open_follow_up = shown("follow_up")
            .and_then(|v| v.as_object())
            .is_some_and(|f| f.get("done_on").is_none_or(|d| d.is_null()));
        Facts {
            id: self.id,
            kind: self.kind,
            day: if self.kind == RecordKind::Household {
                None
            } else {
                day
            },
            household,
            open_follow_up,
            deleted: self.is_deleted(),
        }
    }
}

/// The records kept beyond the window's days, given every visit of the team (or of the
/// phone): the latest visit not deleted of each household (by day, then id), and every
/// visit not deleted with an open follow-up.
pub fn extras<'a>(facts: impl IntoIterator<Item = &'a Facts> + Clone) -> HashSet<RecordId> {
    let mut out: HashSet<RecordId> = facts
        .clone()
        .into_iter()
        .filter(|f| f.kind == RecordKind::Visit && !f.deleted && f.open_follow_up)
        .map(|f| f.id)
        .collect();
    out.extend(latest_visits(facts).into_values().map(|(_, id)| id));
    out
}

/// Each household's latest visit not deleted (by day, then id): its day and id.
pub fn latest_visits<'a>(
    facts: impl IntoIterator<Item = &'a Facts>,
) -> HashMap<RecordId, (Day, RecordId)> {
    let mut latest: HashMap<RecordId, (Day, RecordId)> = HashMap::new();
    for f in facts
        .into_iter()
        .filter(|f| f.kind == RecordKind::Visit && !f.deleted)
    {
        if let (Some(h), Some(day)) = (f.household, f.day) {
            let e = latest.entry(h).or_insert((day, f.id));
            *e = (*e).max((day, f.id));
        }
    }
    latest
}

/// Whether a synced record stays on a phone under `window` (or, for a phone starting from
/// nothing, is sent to it).
pub fn keeps(window: Window, f: &Facts, extras: &HashSet<RecordId>) -> bool {
    window.covers(f.day) || extras.contains(&f.id)
}

/// What [`prune`] removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pruned {
    pub removed: Vec<(RecordKind, RecordId)>,
}

/// The few fields of a stored record that sync reads without decoding all of it (the
/// window's rule, the digest): one decoder for all of them, to keep the app small.
#[derive(Debug, Default, Deserialize)]
pub struct Stamp {
    #[serde(default)]
    pub id: Option<RecordId>,
    #[serde(default)]
    pub updated_at: crate::UnixMillis,
    #[serde(default)]
    pub day: Option<Day>,
    #[serde(default)]
    pub household_id: Option<RecordId>,
    #[serde(default)]
    pub follow_up: Option<FollowUpState>,
    /// Households: who added it and where (the scope's rule).
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub address: Option<AddressStamp>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AddressStamp {
    #[serde(default)]
    pub community: String,
}

/// Whether a follow-up is done.
#[derive(Debug, Default, Deserialize)]
pub struct FollowUpState {
    #[serde(default)]
    pub done_on: Option<Day>,
}

impl Stamp {
    /// The stamp of a stored (packed) record or a pulled one; `None` if it does not decode.
    pub fn of(raw: &str) -> Option<Stamp> {
        crate::store::pack::decode::<Stamp>(raw, "").ok()
    }
}

/// The facts of every visit and event on the phone (households have none the rule uses).
pub fn phone_facts<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Result<Vec<Facts>, StoreError> {
    let deleted = db.deleted_ids()?;
    let mut out = Vec::new();
    for kind in [RecordKind::Visit, RecordKind::Event] {
        let c = db.collection(kind);
        for id in c.ids()? {
            // A record that does not decode is left alone (kept).
            let Some(d) = c.get_raw(&id)?.and_then(|raw| Stamp::of(&raw)) else {
                continue;
            };
            let (Some(id), Some(day)) = (d.id, d.day) else {
                continue;
            };
            out.push(Facts {
                id,
                kind,
                day: Some(day),
                household: d.household_id,
                open_follow_up: d.follow_up.is_some_and(|f| f.done_on.is_none()),
                deleted: deleted.contains(&id),
            });
        }
    }
    Ok(out)
}

/// Removes the synced visits and events the window no longer keeps and, with a scope, the
/// synced households out of it and the visits of households out of it, with their
/// tombstones. Never a record with a change waiting or refused, or with a conflict to settle.
pub fn prune<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    window: Window,
    scope: Option<&Scope>,
) -> Result<Pruned, StoreError> {
    let facts = phone_facts(db)?;
    let extra = extras(&facts);
    let Some(scope) = scope else {
        return remove_unless(db, &facts, |f| keeps(window, f, &extra));
    };
    let mut households = Vec::new();
    let mut inside = HashSet::new();
    for (f, stamp) in household_facts(db)? {
        // One that does not decode is left alone (kept).
        let holds = stamp.is_none_or(|s| {
            let community = s.address.map(|a| a.community).unwrap_or_default();
            scope.holds(&community, s.author.as_deref().unwrap_or_default())
        });
        if holds {
            inside.insert(f.id);
        }
        households.push(f);
    }
    let mut pruned = remove_unless(db, &households, |f| inside.contains(&f.id))?;
    let visits = remove_unless(db, &facts, |f| {
        keeps(window, f, &extra) && super::scope::in_scope(f, &inside)
    })?;
    pruned.removed.extend(visits.removed);
    Ok(pruned)
}

/// Removes the synced records of these ids this phone holds (a pull said they left its
/// scope), with their tombstones; never one with a change waiting or a conflict.
pub fn remove_left<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    ids: &[RecordId],
) -> Result<Pruned, StoreError> {
    let deleted = db.deleted_ids()?;
    let mut facts = Vec::new();
    for &id in ids {
        for kind in RecordKind::ALL {
            if db.collection(kind).get_raw(&id.to_string())?.is_some() {
                facts.push(Facts::bare(id, kind, deleted.contains(&id)));
            }
        }
    }
    remove_unless(db, &facts, |_| false)
}

/// Removes every synced visit and event (with a scope, every synced household too), before a
/// pull from nothing sends again those the window and the scope keep: a copy kept here may be
/// of a record the server has since moved out of them (an earlier day, another community),
/// which that pull would not send, so none is trusted. Changes not yet taken and conflicts
/// stay.
pub fn drop_synced_history<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    scoped: bool,
) -> Result<Pruned, StoreError> {
    let mut facts = phone_facts(db)?;
    if scoped {
        facts.extend(household_facts(db)?.into_iter().map(|(f, _)| f));
    }
    remove_unless(db, &facts, |_| false)
}

/// Every household on the phone, with what the scope's rule reads of it (`None`: it does not
/// decode).
fn household_facts<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
) -> Result<Vec<(Facts, Option<Stamp>)>, StoreError> {
    let deleted = db.deleted_ids()?;
    let c = db.collection(RecordKind::Household);
    let mut out = Vec::new();
    for key in c.ids()? {
        let Ok(id) = RecordId::parse(&key) else {
            continue;
        };
        let stamp = c.get_raw(&key)?.and_then(|raw| Stamp::of(&raw));
        out.push((
            Facts::bare(id, RecordKind::Household, deleted.contains(&id)),
            stamp,
        ));
    }
    Ok(out)
}

fn remove_unless<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    facts: &[Facts],
    kept: impl Fn(&Facts) -> bool,
) -> Result<Pruned, StoreError> {
    let mut protected = super::client::local_changes(db)?;
    protected.extend(super::conflicts::conflicted_ids(db));
    let mut pruned = Pruned::default();
    for f in facts
        .iter()
        .filter(|f| !kept(f) && !protected.contains(&f.id))
    {
        let key = f.id.to_string();
        // The record first: a crash after it leaves a tombstone of nothing, which lists skip.
        db.collection(f.kind).remove(&key)?;
        if db.tombstones().get_raw(&key)?.is_some() {
            db.tombstones().remove(&key)?;
        }
        db.forget_undeleted(f.id)?;
        pruned.removed.push((f.kind, f.id));
    }
    if !pruned.removed.is_empty() {
        super::repair::forget_check(db)?;
    }
    Ok(pruned)
}
