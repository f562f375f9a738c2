//! The team's roster (服务队成员名册): the people who serve, with or without an account.
//! Visits and events name people by id, so a renamed person reads the new name everywhere
//! and a merged duplicate counts as the person it was merged into.
//!
//! Records written before the roster name volunteers as free text. Each distinct name maps
//! to one person whose id is derived from the name ([`legacy_person_id`]), so the server and
//! every phone reach the same person for it without talking to each other, and the same
//! spelling never becomes two people.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::household::{Stamp, NAME_MAX};
use crate::validate::{Errors, FieldError, Problem};
use crate::{RecordId, UnixMillis};

/// Phone numbers: digits with an optional leading +, spaces and dashes allowed.
pub const PHONE_MAX: usize = 20;
/// People on one team's roster (a hard limit; real teams have tens).
pub const ROSTER_MAX: usize = 2_000;
/// Merges followed before giving up (a cycle two coordinators made offline).
const MERGE_HOPS: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: RecordId,
    pub name: String,
    /// 党员.
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub party_member: bool,
    /// Their unit (a partner unit of the team, or the team's own unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<RecordId>,
    /// Shown to coordinators only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub inactive: bool,
    /// The user id of their account, when they have one (what records name as `author`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Added on the spot by a volunteer, or made from a name written before the roster: the
    /// coordinator checks it.
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub to_check: bool,
    /// A duplicate merged into that person: every reference to this one counts as that one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<RecordId>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
    pub author: String,
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub rev: u64,
}

/// The roster form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDraft {
    pub name: String,
    pub party_member: bool,
    pub unit: Option<RecordId>,
    pub phone: String,
    pub inactive: bool,
    pub account: Option<String>,
    pub to_check: bool,
}

impl PersonDraft {
    pub fn from_person(p: &Person) -> Self {
        PersonDraft {
            name: p.name.clone(),
            party_member: p.party_member,
            unit: p.unit,
            phone: p.phone.clone(),
            inactive: p.inactive,
            account: p.account.clone(),
            to_check: p.to_check,
        }
    }

    /// A person a volunteer adds on the spot from a visit or event form: just the name, to
    /// be checked by the coordinator.
    pub fn on_the_spot(name: &str) -> Self {
        PersonDraft {
            name: name.to_owned(),
            to_check: true,
            ..PersonDraft::default()
        }
    }

    pub fn create(&self, id: RecordId, stamp: &Stamp) -> Result<Person, Vec<FieldError>> {
        self.build(id, stamp.now, stamp.user.clone(), stamp.now, None)
    }

    pub fn update(&self, existing: &Person, stamp: &Stamp) -> Result<Person, Vec<FieldError>> {
        self.build(
            existing.id,
            existing.created_at,
            existing.author.clone(),
            stamp.now.max(existing.updated_at),
            existing.merged_into,
        )
        .map(|mut p| {
            p.rev = existing.rev;
            p
        })
    }

    fn build(
        &self,
        id: RecordId,
        created_at: UnixMillis,
        author: String,
        now: UnixMillis,
        merged_into: Option<RecordId>,
    ) -> Result<Person, Vec<FieldError>> {
        let mut e = Errors::default();
        let name = e.text("name", &normalize_name(&self.name), true, NAME_MAX);
        let phone = e.text("phone", &self.phone, false, PHONE_MAX);
        if !phone.is_empty() && !is_phone(&phone) {
            e.push("phone", Problem::NotAPhoneNumber);
        }
        let account = self
            .account
            .as_deref()
            .map(|a| e.text("account", a, true, NAME_MAX));
        if merged_into == Some(id) {
            e.push("merged_into", Problem::OutOfRange { min: 0, max: 0 });
        }
        e.finish(Person {
            id,
            name,
            party_member: self.party_member,
            unit: self.unit,
            phone,
            inactive: self.inactive,
            account,
            to_check: self.to_check,
            merged_into,
            created_at,
            updated_at: now,
            author,
            rev: 0,
        })
    }
}

fn is_phone(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
}

impl Person {
    /// The rules a stored or received person keeps (what the server checks).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if normalize_name(&self.name) != self.name {
            // Stored names are normalised, so the same spelling is one person.
            e.push("name", Problem::InvalidCharacter);
        }
        let built = PersonDraft::from_person(self).build(
            self.id,
            self.created_at,
            self.author.clone(),
            self.updated_at,
            self.merged_into,
        );
        if let Err(errs) = built {
            e.0.extend(errs);
        }
        e.finish(())
    }

    /// Merges this duplicate into `into` (an edit made at `now`).
    pub fn merge_into(&mut self, into: RecordId, now: UnixMillis) {
        if into != self.id {
            self.merged_into = Some(into);
            self.inactive = true;
            self.updated_at = now.max(self.updated_at);
        }
    }
}

/// A name as stored: trimmed, inner runs of white space made one space, full-width Latin
/// letters and digits made half-width (a phone's IME types either). Case is kept for
/// display; [`legacy_person_id`] ignores it.
pub fn normalize_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        }));
    }
    out
}

/// The person a free-text volunteer name written before the roster stands for: the same on
/// the server and on every phone, for every spelling that normalises alike (case aside).
pub fn legacy_person_id(name: &str) -> RecordId {
    RecordId::derived("person", &normalize_name(name).to_lowercase())
}

/// Fields of a person only coordinators' phones receive (a volunteer's own phone number is
/// personal data too).
pub const COORDINATORS_ONLY: &[&str] = &["phone"];

/// A pulled person as a volunteer's phone receives it: without [`COORDINATORS_ONLY`], in
/// the record and among conflicting values.
pub fn for_volunteer(r: &mut crate::sync::wire::PulledRecord) {
    use serde_json::value::RawValue;
    use serde_json::{Map, Value};
    if r.kind != crate::store::RecordKind::Person {
        return;
    }
    let strip = |raw: &RawValue| -> Option<Box<RawValue>> {
        let mut m: Map<String, Value> = serde_json::from_str(raw.get()).ok()?;
        for f in COORDINATORS_ONLY {
            m.remove(*f);
        }
        RawValue::from_string(serde_json::to_string(&m).ok()?).ok()
    };
    if let Some(rec) = strip(&r.record) {
        r.record = rec;
    }
    if let Some(c) = r.conflicts.as_deref().and_then(strip) {
        r.conflicts = Some(c);
    }
}

/// The roster as read: people by id, with merges followed.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    people: HashMap<RecordId, Person>,
}

impl Roster {
    pub fn new(people: impl IntoIterator<Item = Person>) -> Self {
        Roster {
            people: people.into_iter().map(|p| (p.id, p)).collect(),
        }
    }

    pub fn get(&self, id: RecordId) -> Option<&Person> {
        self.people.get(&id)
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Everyone, by name.
    pub fn all(&self) -> Vec<&Person> {
        let mut v: Vec<&Person> = self.people.values().collect();
        v.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        v
    }

    /// The person `id` counts as: merges followed (a cycle or a missing target stops at the
    /// last person found).
    pub fn resolve(&self, id: RecordId) -> RecordId {
        let mut at = id;
        for _ in 0..MERGE_HOPS {
            match self.people.get(&at).and_then(|p| p.merged_into) {
                Some(next) if next != id && self.people.contains_key(&next) => at = next,
                _ => break,
            }
        }
        at
    }

    /// The name to show for `id` (after merges); a person this phone does not hold yet
    /// shows as `None`.
    pub fn name(&self, id: RecordId) -> Option<&str> {
        self.people.get(&self.resolve(id)).map(|p| p.name.as_str())
    }

    /// Active people whose name contains `query` (case aside), best first: names starting
    /// with it, then the rest, each by name.
    pub fn search(&self, query: &str) -> Vec<&Person> {
        let q = normalize_name(query).to_lowercase();
        let mut hits: Vec<(bool, &Person)> = self
            .all()
            .into_iter()
            .filter(|p| !p.inactive && p.merged_into.is_none())
            .filter_map(|p| {
                let name = p.name.to_lowercase();
                name.contains(&q).then(|| (!name.starts_with(&q), p))
            })
            .collect();
        hits.sort_by_key(|(later, _)| *later);
        hits.into_iter().map(|(_, p)| p).collect()
    }

    /// The person of an account: the one holding it, else the person the server makes for
    /// it from the display name (so a phone that has not pulled it yet names the same one).
    pub fn of_account(&self, user_id: &str, display_name: &str) -> RecordId {
        match self
            .people
            .values()
            .find(|p| p.account.as_deref() == Some(user_id))
        {
            Some(p) => self.resolve(p.id),
            None => self.resolve(legacy_person_id(display_name)),
        }
    }

    /// What a form writes for the people `picked` on a record that named `old_names` the
    /// old way: every pick by id, and each old name still picked whose person this phone
    /// does not hold yet, as written (so nothing a volunteer wrote is lost).
    pub fn written(
        &self,
        picked: &[RecordId],
        old_names: &[String],
    ) -> (Vec<RecordId>, Vec<String>) {
        let kept = old_names
            .iter()
            .filter(|n| {
                let id = legacy_person_id(n);
                self.get(id).is_none() && picked.contains(&self.resolve(id))
            })
            .cloned()
            .collect();
        (crate::visit::dedup_ids(picked), kept)
    }

    /// The people named by `ids` and by free-text `names` (records from before the roster),
    /// merges followed, each once, in order of first mention.
    pub fn people_of(&self, ids: &[RecordId], names: &[String]) -> Vec<RecordId> {
        let mut out: Vec<RecordId> = Vec::new();
        let all = ids
            .iter()
            .copied()
            .chain(names.iter().map(|n| legacy_person_id(n)));
        for id in all {
            let id = self.resolve(id);
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

/// The roster entries that free-text `names` need and `roster` lacks: one person per
/// distinct name (spellings that normalise alike are one), marked to check. Idempotent: with
/// its result added to the roster it returns nothing. The name is kept as first written.
pub fn people_for_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
    roster: &Roster,
    at: UnixMillis,
    author: &str,
) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::new();
    for name in names {
        let normal = normalize_name(name);
        if normal.is_empty() {
            continue;
        }
        let id = legacy_person_id(&normal);
        if roster.get(id).is_some() || out.iter().any(|p| p.id == id) {
            continue;
        }
        // Longer names are cut rather than refused: nothing a volunteer wrote is dropped
        // from the record itself, which keeps its text.
        let name: String = normal.chars().take(NAME_MAX).collect();
        out.push(Person {
            id,
            name: normalize_name(&name),
            party_member: false,
            unit: None,
            phone: String::new(),
            inactive: false,
            account: None,
            to_check: true,
            merged_into: None,
            created_at: at,
            updated_at: at,
            author: author.to_owned(),
            rev: 0,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::legacy;
    use proptest::prelude::*;

    fn stamp() -> Stamp {
        Stamp {
            now: UnixMillis(1_700_000_000_000),
            today: crate::Day::parse("2026-12-07").unwrap(),
            user: "coord".into(),
        }
    }

    fn id(n: u8) -> RecordId {
        RecordId::mint(UnixMillis(1_700_000_000_000), [n; 10])
    }

    #[test]
    fn a_person_is_checked_and_normalised() {
        let p = PersonDraft {
            name: "  张三 ".into(),
            phone: "138 0000 0000".into(),
            party_member: true,
            ..Default::default()
        }
        .create(id(1), &stamp())
        .unwrap();
        assert_eq!(p.name, "张三");
        assert!(p.validate().is_ok());
        let errs = PersonDraft {
            name: " ".into(),
            phone: "call me".into(),
            ..Default::default()
        }
        .create(id(1), &stamp())
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "phone"]);
        let mut raw = p.clone();
        raw.name = " 张三".into();
        assert!(raw.validate().is_err(), "a stored name is normalised");
        raw.name = "张三".into();
        raw.merged_into = Some(raw.id);
        assert!(raw.validate().is_err(), "nobody is merged into themself");
    }

    #[test]
    fn spellings_that_normalise_alike_are_one_person() {
        assert_eq!(legacy_person_id("张三"), legacy_person_id(" 张三  "));
        assert_eq!(
            legacy_person_id("Zhang  San"),
            legacy_person_id("zhang san")
        );
        assert_eq!(legacy_person_id("ＺＨＡＮＧ"), legacy_person_id("zhang"));
        assert_ne!(legacy_person_id("张三"), legacy_person_id("老张"));
        assert_eq!(
            RecordId::parse(&legacy_person_id("张三").to_string()),
            Ok(legacy_person_id("张三"))
        );
    }

    #[test]
    fn merges_are_followed_and_cycles_stop() {
        let mut a = PersonDraft::on_the_spot("老张")
            .create(id(1), &stamp())
            .unwrap();
        let b = PersonDraft::on_the_spot("张三")
            .create(id(2), &stamp())
            .unwrap();
        let mut c = PersonDraft::on_the_spot("张三丰")
            .create(id(3), &stamp())
            .unwrap();
        a.merge_into(b.id, UnixMillis(1));
        let r = Roster::new([a.clone(), b.clone(), c.clone()]);
        assert_eq!(r.resolve(a.id), b.id);
        assert_eq!(r.name(a.id), Some("张三"));
        assert_eq!(r.people_of(&[a.id, b.id], &[]), vec![b.id]);
        // Two coordinators offline: b into c and c into b.
        let mut b2 = b.clone();
        b2.merge_into(c.id, UnixMillis(1));
        c.merge_into(b.id, UnixMillis(1));
        let r = Roster::new([a, b2, c.clone()]);
        let end = r.resolve(c.id);
        assert!(end == c.id || end == b.id);
        assert_eq!(
            r.search("张").len(),
            0,
            "merged and inactive people are not offered"
        );
    }

    #[test]
    fn search_offers_names_starting_with_the_query_first() {
        let r = Roster::new(["王张", "张三", "李四"].iter().enumerate().map(|(i, n)| {
            PersonDraft::on_the_spot(n)
                .create(id(i as u8), &stamp())
                .unwrap()
        }));
        let names: Vec<&str> = r.search("张").iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["张三", "王张"]);
    }

    #[test]
    fn a_form_writes_ids_and_keeps_old_names_the_phone_cannot_name_yet() {
        let held = people_for_names(["李四"], &Roster::default(), UnixMillis(1), "server");
        let r = Roster::new(held);
        let old: Vec<String> = vec!["张三".into(), "李四".into(), "王五".into()];
        let picked = r.people_of(&[id(9)], &old);
        // 王五 taken off; 张三's person not on this phone yet: the name stays as written.
        let keep: Vec<RecordId> = picked
            .iter()
            .copied()
            .filter(|x| *x != legacy_person_id("王五"))
            .collect();
        let (ids, names) = r.written(&keep, &old);
        assert_eq!(ids, keep);
        assert_eq!(names, ["张三"]);
        assert_eq!(r.people_of(&ids, &names), keep);
    }

    #[test]
    fn the_signed_in_volunteer_is_their_account_person_or_the_one_the_server_will_make() {
        let mut me = PersonDraft::on_the_spot("小王")
            .create(id(4), &stamp())
            .unwrap();
        me.account = Some("u-4".into());
        let r = Roster::new([me.clone()]);
        assert_eq!(r.of_account("u-4", "王小明"), me.id);
        // Not pulled yet: the id the server derives from the display name.
        let expected = legacy::person_for_account("u-5", "赵六", UnixMillis(1)).id;
        assert_eq!(r.of_account("u-5", "赵六"), expected);
    }

    proptest! {
        /// Migrating free-text names is idempotent and loses no name: every name resolves to
        /// a person whose name normalises as it does.
        #[test]
        fn migrating_names_is_idempotent_and_loses_none(
            names in proptest::collection::vec("[张李王 a-cＡ]{0,6}", 0..20),
        ) {
            let first = people_for_names(names.iter().map(String::as_str), &Roster::default(), UnixMillis(5), "server");
            let roster = Roster::new(first.clone());
            let again = people_for_names(names.iter().map(String::as_str), &roster, UnixMillis(9), "phone");
            prop_assert!(again.is_empty());
            for p in &first {
                prop_assert!(p.validate().is_ok(), "{:?}", p);
            }
            for n in &names {
                if normalize_name(n).is_empty() { continue; }
                let person = roster.get(roster.resolve(legacy_person_id(n)));
                prop_assert!(person.is_some(), "{n:?} lost");
                prop_assert_eq!(person.unwrap().name.to_lowercase(), normalize_name(n).to_lowercase());
            }
            // The same names seen on another machine make the same people.
            let elsewhere = people_for_names(names.iter().rev().map(String::as_str), &Roster::default(), UnixMillis(7), "phone");
            let mut a: Vec<RecordId> = first.iter().map(|p| p.id).collect();
            let mut b: Vec<RecordId> = elsewhere.iter().map(|p| p.id).collect();
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
        }

        /// A merge moves every reference: after merging, every record naming the duplicate
        /// (by id or by its old free-text name) counts as the person it was merged into.
        #[test]
        fn a_merge_moves_every_reference(
            refs in proptest::collection::vec((0u8..4, any::<bool>()), 1..30),
            from in 0u8..4, into in 0u8..4,
        ) {
            prop_assume!(from != into);
            let names = ["张三", "张三丰", "老张", "李四"];
            let people: Vec<Person> = people_for_names(names, &Roster::default(), UnixMillis(1), "s");
            let mut merged = people.clone();
            merged[from as usize].merge_into(people[into as usize].id, UnixMillis(2));
            let roster = Roster::new(merged);
            for (who, by_name) in refs {
                let (ids, texts) = if by_name {
                    (vec![], vec![names[who as usize].to_string()])
                } else {
                    (vec![people[who as usize].id], vec![])
                };
                let got = roster.people_of(&ids, &texts);
                let want = if who == from { into } else { who };
                prop_assert_eq!(got, vec![people[want as usize].id]);
            }
        }
    }
}
