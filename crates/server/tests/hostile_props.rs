//! Generated hostile pushes against the real server (issue 13): arbitrary JSON in every field,
//! deep nesting, wrong types, huge strings, extreme numbers, replays, forged authors and ops,
//! each batch carrying a valid record alongside. Asserted after every case: no 5xx, every
//! error the JSON error, and the team's pull and lists answer 200 (every export and the
//! report too, 20 times a run and at the end); a replay changes no record; at the end every
//! valid record is stored exactly once, as sent, and every stored record passes the forms'
//! rules.
//!
//! 500 cases by default (`cargo xtask test`); DOORSTEP_HOSTILE_CASES sets another number (the
//! long run in BENCHMARKS.md: 5,000, about ten minutes).

mod common;

use std::collections::HashMap;

use common::TestApp;
use doorstep_core::household::Household;
use doorstep_core::store::conformance::{duty_of_care, full_visit, household};
use doorstep_core::visit::Visit;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};

const PW: &str = "correct horse 1";
const AT: i64 = 1_795_714_200_000;

const HOUSEHOLD_FIELDS: &[&str] = &[
    "id",
    "address",
    "residents",
    "needs",
    "notes",
    "cadence",
    "basis",
    "archived",
    "assigned_to",
    "created_at",
    "updated_at",
    "author",
    "rev",
];
const VISIT_FIELDS: &[&str] = &[
    "id",
    "household_id",
    "day",
    "volunteers",
    "partners",
    "services",
    "conditions",
    "needs",
    "needs_text",
    "residents_words",
    "follow_up",
    "notes",
    "created_at",
    "updated_at",
    "author",
];

/// Text a phone might send: control characters, NUL, far-away planes, very long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "\\PC{0,40}",
        1 => Just("\u{0}".to_owned()),
        1 => "[\u{0}-\u{1f}\u{7f}\u{202e}\u{feff}]{1,8}",
        1 => (1usize..5).prop_map(|k| "长".repeat(k * 9_000)),
        1 => Just("x".repeat(40_000)),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(u64::MAX)),
        Just(json!(9e15)),
        Just(json!(1e300)),
        Just(json!(-0.5)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("JSON numbers", |f| f.is_finite())
            .prop_map(|f| json!(f)),
    ]
}

/// Any JSON value, nested a few levels.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One hostile thing to do to a mutation. `Raw` texts are spliced in as JSON text (nesting
/// deeper than any parser builds as a value).
#[derive(Debug, Clone)]
enum Attack {
    /// A field of the record set to anything.
    Field(usize, Value),
    /// A field nested `depth` levels deep (arrays or objects).
    Deep(usize, usize, bool),
    /// A key the record does not have.
    Unknown(String, Value),
    /// The record replaced by anything.
    Record(Value),
    /// The put's `base`, the mutation's `at`, or a field list set to anything.
    Base(Value),
    At(Value),
    Fields(Value),
    /// A record naming another author, or sent under another kind.
    Author(String),
    Kind(String),
    /// Delete or restore, with any base, of the coordinator's visit (which a volunteer may not
    /// change) or of an id that is not one.
    Delete(bool, bool, Value),
    /// An op that is not one.
    Op(Value),
    /// `lives_alone` without a recorded basis.
    NoBasis,
}

fn attack() -> impl Strategy<Value = Attack> {
    prop_oneof![
        6 => (0usize..28, value()).prop_map(|(f, v)| Attack::Field(f, v)),
        2 => (0usize..28, 50usize..3_000, any::<bool>()).prop_map(|(f, d, a)| Attack::Deep(f, d, a)),
        2 => ("\\PC{0,20}", value()).prop_map(|(k, v)| Attack::Unknown(k, v)),
        1 => value().prop_map(Attack::Record),
        2 => number().prop_map(Attack::Base),
        2 => number().prop_map(Attack::At),
        1 => value().prop_map(Attack::Fields),
        2 => prop_oneof![Just("u-other".to_owned()), text()].prop_map(Attack::Author),
        1 => prop_oneof![Just("visit".to_owned()), Just("event".to_owned()), "\\PC{0,10}"]
            .prop_map(Attack::Kind),
        2 => (any::<bool>(), any::<bool>(), number()).prop_map(|(d, o, b)| Attack::Delete(d, o, b)),
        1 => value().prop_map(Attack::Op),
        1 => Just(Attack::NoBasis),
    ]
}

/// A replay of earlier numbers, or numbers out of order, sent before the case's batch.
#[derive(Debug, Clone)]
enum SeqAttack {
    None,
    Replay,
    Gap,
    Bad(Value),
}

fn seq_attack() -> impl Strategy<Value = SeqAttack> {
    prop_oneof![
        6 => Just(SeqAttack::None),
        2 => Just(SeqAttack::Replay),
        1 => Just(SeqAttack::Gap),
        1 => number().prop_map(SeqAttack::Bad),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    attacks: Vec<Attack>,
    seq: SeqAttack,
    /// The valid record sent alongside: a visit (else a household).
    visit: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(attack(), 1..4),
        seq_attack(),
        any::<bool>(),
    )
        .prop_map(|(attacks, seq, visit)| Case {
            attacks,
            seq,
            visit,
        })
}

/// The team's state as the test knows it.
struct Team {
    app: TestApp,
    vol: String,
    coord: String,
    /// The volunteer device's last acknowledged number.
    last_seq: u64,
    /// How far the test has pulled.
    cursor: u64,
    /// Valid records sent: id → notes, to find once each at the end.
    sent: HashMap<String, String>,
    /// A household the server holds, for visits to name.
    home: Household,
    /// A visit the coordinator logged.
    coords_visit: String,
    n: u32,
}

fn put(seq: u64, kind: &str, record: &Value) -> String {
    json!({ "seq": seq, "at": AT, "op": { "put": {
        "kind": kind, "id": record["id"], "base": 0, "record": record } } })
    .to_string()
}

/// The hostile mutation for `a`, numbered `seq`, as JSON text.
fn hostile(t: &mut Team, a: &Attack, seq: u64) -> String {
    t.n += 1;
    let mut h = household(t.n);
    h.notes = format!("恶意 {}", t.n);
    let mut rec = serde_json::to_value(&h).unwrap();
    let mut kind = "household".to_owned();
    // A field index names a household's field, or past them a visit's.
    let field = |f: usize, rec: &mut Value, kind: &mut String| {
        let f = f % (HOUSEHOLD_FIELDS.len() + VISIT_FIELDS.len());
        match f.checked_sub(HOUSEHOLD_FIELDS.len()) {
            None => HOUSEHOLD_FIELDS[f],
            Some(v) => {
                let mut visit = full_visit(t.n, &t.home, "恶意");
                visit.author = String::new();
                *rec = serde_json::to_value(&visit).unwrap();
                *kind = "visit".into();
                VISIT_FIELDS[v]
            }
        }
    };
    let mut m = json!({ "seq": seq, "at": AT, "op": { "put": {
        "kind": "household", "id": rec["id"], "base": 0, "record": null } } });
    let mut raw: Option<(String, String)> = None;
    match a {
        Attack::Field(f, v) => {
            let name = field(*f, &mut rec, &mut kind);
            rec[name] = v.clone();
        }
        Attack::Deep(f, depth, arrays) => {
            let (open, close) = if *arrays {
                ("[", "]")
            } else {
                ("{\"a\":", "}")
            };
            let text = format!("{}1{}", open.repeat(*depth), close.repeat(*depth));
            let name = field(*f, &mut rec, &mut kind);
            rec[name] = json!("@@DEEP@@");
            raw = Some(("\"@@DEEP@@\"".to_owned(), text));
        }
        Attack::Unknown(k, v) => {
            rec[k.as_str()] = v.clone();
        }
        Attack::Record(v) => rec = v.clone(),
        Attack::Base(v) => m["op"]["put"]["base"] = v.clone(),
        Attack::At(v) => m["at"] = v.clone(),
        Attack::Fields(v) => m["op"]["put"]["fields"] = v.clone(),
        Attack::Author(who) => {
            let mut v = full_visit(t.n, &t.home, "冒名");
            v.author = who.clone();
            rec = serde_json::to_value(&v).unwrap();
            kind = "visit".into();
        }
        Attack::Kind(k) => kind = k.clone(),
        Attack::Delete(del, theirs, base) => {
            let op = if *del { "delete" } else { "restore" };
            let id = if *theirs {
                t.coords_visit.clone()
            } else {
                format!("not-an-id-{}", t.n)
            };
            m["op"] = json!({ op: { "kind": "visit", "id": id, "base": base } });
            return m.to_string();
        }
        Attack::Op(v) => {
            m["op"] = v.clone();
            return m.to_string();
        }
        Attack::NoBasis => {
            h.residents[0].lives_alone = true;
            h.basis = None;
            rec = serde_json::to_value(&h).unwrap();
        }
    }
    m["op"]["put"]["kind"] = json!(kind);
    m["op"]["put"]["record"] = rec;
    let text = m.to_string();
    match raw {
        Some((mark, deep)) => text.replacen(&mark, &deep, 1),
        None => text,
    }
}

/// A valid record, recorded as sent.
fn valid(t: &mut Team, visit: bool) -> (String, Value) {
    t.n += 1;
    let notes = format!("有效记录 {}", t.n);
    let (kind, rec) = if visit {
        let mut v: Visit = full_visit(t.n, &t.home, &notes);
        v.author = String::new(); // filed under the sender
        ("visit", serde_json::to_value(&v).unwrap())
    } else {
        let mut h = household(t.n);
        h.notes = notes.clone();
        h.residents[0].lives_alone = true;
        h.basis = Some(duty_of_care());
        ("household", serde_json::to_value(&h).unwrap())
    };
    t.sent.insert(rec["id"].as_str().unwrap().to_owned(), notes);
    (kind.to_owned(), rec)
}

async fn push_text(t: &Team, token: &str, mutations: &[String]) -> (u16, Value) {
    let body = format!("{{\"protocol\":1,\"mutations\":[{}]}}", mutations.join(","));
    let res = t
        .app
        .client
        .post(format!("{}/api/v1/sync/push", t.app.base))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = res.status().as_u16();
    let body = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), TestCaseError> {
    if ok {
        Ok(())
    } else {
        Err(TestCaseError::fail(what()))
    }
}

/// Every error is the JSON error, never a 5xx.
fn answered(status: u16, body: &Value) -> Result<(), TestCaseError> {
    check(status < 500, || format!("{status}: {body}"))?;
    check(status == 200 || body["error"]["code"].is_string(), || {
        format!("{status} without the JSON error: {body}")
    })
}

async fn run_case(t: &mut Team, c: &Case) -> Result<(), TestCaseError> {
    match &c.seq {
        SeqAttack::None => {}
        SeqAttack::Replay if t.last_seq > 0 => {
            // Earlier numbers again, with other content: answered from what was stored, and
            // no record changes (a pull from here brings nothing).
            catch_up(t).await?;
            let seqs: Vec<String> = (1..=t.last_seq.min(3))
                .map(|s| {
                    let a = Attack::Field(4, json!("重放"));
                    hostile(t, &a, s)
                })
                .collect();
            let (status, body) = push_text(t, &t.vol.clone(), &seqs).await;
            answered(status, &body)?;
            let page = pull_from(t, t.cursor).await?;
            check(
                page["records"].as_array().is_some_and(Vec::is_empty),
                || format!("a replay changed stored records: {page}"),
            )?;
        }
        SeqAttack::Replay => {}
        SeqAttack::Gap => {
            let m = hostile(t, &Attack::Field(4, json!("跳号")), t.last_seq + 5);
            let (status, body) = push_text(t, &t.vol.clone(), &[m]).await;
            answered(status, &body)?;
            check(status == 409 && body["error"]["code"] == "seq_gap", || {
                format!("a gap answered {status} {body}")
            })?;
        }
        SeqAttack::Bad(v) => {
            let m = json!({ "seq": v, "at": AT, "op": "noop" }).to_string();
            let (status, body) = push_text(t, &t.vol.clone(), &[m]).await;
            answered(status, &body)?;
            if status == 200 {
                check(v.as_u64() == Some(t.last_seq + 1), || {
                    format!("seq {v} taken")
                })?;
                t.last_seq += 1;
            }
        }
    }
    let mut batch = Vec::new();
    let first = t.last_seq + 1;
    for (i, a) in c.attacks.iter().enumerate() {
        batch.push(hostile(t, a, first + i as u64));
    }
    let (kind, rec) = valid(t, c.visit);
    let valid_seq = first + c.attacks.len() as u64;
    batch.push(put(valid_seq, &kind, &rec));
    let (status, body) = push_text(t, &t.vol.clone(), &batch).await;
    answered(status, &body)?;
    if status == 200 {
        let outcomes = body["outcomes"].as_array().cloned().unwrap_or_default();
        check(outcomes.len() == batch.len(), || format!("{body}"))?;
        let last = &outcomes[outcomes.len() - 1];
        check(last.get("rejected").is_none(), || {
            format!("the valid record was refused: {last}")
        })?;
        t.last_seq = valid_seq;
    } else {
        // Refused whole (too large, not JSON): the phone sends the valid one on its own.
        let alone = put(first, &kind, &rec);
        let (status, body) = push_text(t, &t.vol.clone(), &[alone]).await;
        check(
            status == 200 && body["outcomes"][0].get("rejected").is_none(),
            || format!("the valid record alone: {status} {body}"),
        )?;
        t.last_seq = first;
    }
    // The team still works: what changed pulls, the lists answer.
    catch_up(t).await?;
    for path in ["/api/v1/households", "/api/v1/visits"] {
        let res = t.app.get_with(path, &t.coord).await;
        check(res.status().as_u16() == 200, || format!("GET {path}"))?;
    }
    Ok(())
}

async fn pull_from(t: &Team, cursor: u64) -> Result<Value, TestCaseError> {
    let path = format!("/api/v1/sync/pull?protocol=1&cursor={cursor}");
    let res = t.app.get_with(&path, &t.coord).await;
    check(res.status().as_u16() == 200, || format!("GET {path}"))?;
    Ok(res.json().await.unwrap())
}

/// Pulls what changed since the last case (a cost that does not grow with the team).
async fn catch_up(t: &mut Team) -> Result<(), TestCaseError> {
    loop {
        let page = pull_from(t, t.cursor).await?;
        t.cursor = page["cursor"].as_u64().unwrap_or(t.cursor);
        if !page["more"].as_bool().unwrap_or(false) {
            return Ok(());
        }
    }
}

/// Every stored record as pulled, by id.
async fn pull_all(t: &Team) -> Result<HashMap<String, Value>, TestCaseError> {
    let mut out = HashMap::new();
    let mut cursor = 0;
    loop {
        let path = format!("/api/v1/sync/pull?protocol=1&cursor={cursor}");
        let res = t.app.get_with(&path, &t.coord).await;
        check(res.status().as_u16() == 200, || format!("GET {path}"))?;
        let page: Value = res.json().await.unwrap();
        for r in page["records"].as_array().unwrap() {
            check(
                out.insert(r["id"].as_str().unwrap().to_owned(), r.clone())
                    .is_none(),
                || format!("{} twice in a pull", r["id"]),
            )?;
        }
        cursor = page["cursor"].as_u64().unwrap();
        if !page["more"].as_bool().unwrap_or(false) {
            return Ok(out);
        }
    }
}

/// Every answer that reads the team's records.
async fn team_answers(t: &Team) -> Result<(), TestCaseError> {
    let paths = common::team_reads();
    for path in &paths {
        let res = t.app.get_with(path, &t.coord).await;
        check(res.status().as_u16() == 200, || format!("GET {path}"))?;
        res.bytes().await.expect("the whole answer");
    }
    Ok(())
}

#[test]
fn hostile_pushes_never_break_the_team_and_valid_records_are_stored_once() {
    let cases: u32 = std::env::var("DOORSTEP_HOSTILE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let team = rt.block_on(async {
        let app = common::spawn_app().await;
        let (vol, coord) = app.volunteer_and_coordinator(PW).await;
        let home = household(1);
        app.push_records(&vol, &[("household", serde_json::to_value(&home).unwrap())])
            .await;
        let mut theirs = full_visit(1, &home, "协调员的走访");
        theirs.author = String::new();
        app.push_records(&coord, &[("visit", serde_json::to_value(&theirs).unwrap())])
            .await;
        Team {
            coords_visit: theirs.id.to_string(),
            app,
            vol,
            coord,
            last_seq: 1,
            cursor: 0,
            sent: HashMap::new(),
            home,
            n: 1_000,
        }
    });
    let team = tokio::sync::Mutex::new(team);
    // Every export and the report (their cost grows with the team): 20 times in a run.
    let every = (cases / 20).max(25);
    let done = std::cell::Cell::new(0u32);
    let started = std::time::Instant::now();
    let mut runner = TestRunner::new(Config {
        cases,
        // Each case changes the server: a shrunk case would not start from the same state.
        max_shrink_iters: 0,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&case(), |c| {
        rt.block_on(async {
            let mut t = team.lock().await;
            run_case(&mut t, &c).await?;
            done.set(done.get() + 1);
            if done.get().is_multiple_of(every) {
                team_answers(&t).await?;
            }
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    rt.block_on(async {
        let t = team.lock().await;
        team_answers(&t).await.unwrap();
        let stored = pull_all(&t).await.unwrap();
        for (id, notes) in &t.sent {
            let r = stored.get(id).unwrap_or_else(|| panic!("{id} was not stored"));
            assert_eq!(r["record"]["notes"].as_str(), Some(notes.as_str()), "{r}");
            assert_ne!(r["deleted"], true, "{id} deleted by a hostile push");
        }
        // Nothing a hostile push sent is stored unless the forms' rules pass it.
        let today = doorstep_core::Day::parse("2026-12-31").unwrap();
        for r in stored.values() {
            let json = r["record"].to_string();
            let kind = doorstep_core::store::RecordKind::from_name(r["kind"].as_str().unwrap_or(""));
            let valid = kind.is_some_and(|kind| {
                doorstep_core::with_kind!(kind, T => serde_json::from_str::<T>(&json)
                    .is_ok_and(|rec| doorstep_core::sync::Synced::rules(&rec, today).is_ok()))
            });
            assert!(valid, "stored but not valid: {r}");
        }
        let theirs = &stored[&t.coords_visit];
        assert_ne!(theirs["deleted"], true, "the coordinator's visit: {theirs}");
        assert_eq!(theirs["record"]["notes"], "协调员的走访");
        println!(
            "hostile pushes: {} cases, {} valid records stored once each, {} records in all, {:.1} s",
            done.get(),
            t.sent.len(),
            stored.len(),
            started.elapsed().as_secs_f64()
        );
    });
}
