//! What a phone keeps (`doorstep_core::sync::window`), through the real server: a volunteer's
//! phone starting from nothing gets the households, the last 120 days and each household's
//! latest visit and open follow-ups, and nothing older; the digests agree (no repair); the
//! team's setting widens and narrows what phones hold; a deletion that uncovers an older
//! latest visit brings it. Runs on SQLite and on PostgreSQL.

mod common;

use std::collections::BTreeSet;

use common::{error_code, spawn_app, TestApp};
use doorstep_core::account::Role;
use doorstep_core::event::Event;
use doorstep_core::household::Household;
use doorstep_core::store::conformance::{full_visit, household};
use doorstep_core::store::{LocalDb, MemoryStore, RecordKind};
use doorstep_core::sync::wire::{PullResponse, PushResponse, PUSH_BYTES};
use doorstep_core::sync::{client, repair, window};
use doorstep_core::visit::{FollowUp, Visit};

/// The records of a page other than the roster people and units the server makes (one per
/// account and per old volunteer name; tests/roster.rs covers them).
fn records(page: &PullResponse) -> usize {
    page.records
        .iter()
        .filter(|r| !matches!(r.kind, RecordKind::Person | RecordKind::Unit))
        .count()
}
use doorstep_core::{Day, RecordId, UnixMillis};
use serde_json::json;

const PW: &str = "correct horse 1";

fn today() -> Day {
    Day::from_unix_millis(UnixMillis(doorstep_server::accounts::now_millis()), 0)
}

/// One sync as the app runs it (src/sync/exchange.rs): push, pull (with the phone's day when
/// `windowed`) until done, prune. Panics if a repair starts: the digests must agree.
async fn sync(app: &TestApp, token: &str, db: &LocalDb<'_, MemoryStore>, windowed: bool) {
    while let Some(batch) = client::next_push(db, 100, PUSH_BYTES).unwrap() {
        let res = app
            .post(
                "/api/v1/sync/push",
                serde_json::to_value(&batch.request).unwrap(),
                Some(token),
            )
            .await;
        assert_eq!(res.status().as_u16(), 200);
        let answer: PushResponse = res.json().await.unwrap();
        client::on_pushed(db, &batch, &answer).unwrap();
    }
    for _ in 0..100 {
        let scope = client::pull_scope(db, windowed.then(today));
        let mut path = format!(
            "/api/v1/sync/pull?protocol=1&cursor={}&limit=3&full={}",
            client::cursor(db),
            scope.full
        );
        if let Some(t) = scope.today {
            path.push_str(&format!("&today={t}"));
        }
        let page: PullResponse = serde_json::from_value(app.get_json(&path, token).await).unwrap();
        let pulled = client::on_pulled(db, &page, UnixMillis(1)).unwrap();
        assert!(!pulled.repair, "the digests disagree");
        assert!(repair::under_way(db).is_none());
        if !page.more && !pulled.again {
            client::prune(db).unwrap();
            return;
        }
    }
    panic!("the pull never ended");
}

fn held(db: &LocalDb<'_, MemoryStore>) -> BTreeSet<RecordId> {
    let mut out = BTreeSet::new();
    for id in db.households().ids().unwrap() {
        out.extend(db.households().get::<Household>(&id).unwrap().map(|h| h.id));
    }
    for id in db.visits().ids().unwrap() {
        out.extend(db.visits().get::<Visit>(&id).unwrap().map(|v| v.id));
    }
    for id in db.events().ids().unwrap() {
        out.extend(db.events().get::<Event>(&id).unwrap().map(|e| e.id));
    }
    out
}

struct Team {
    app: TestApp,
    vol: String,
    coord: String,
    coord_store: MemoryStore,
    hs: Vec<Household>,
    coord_id: String,
}

async fn team() -> Team {
    let app = spawn_app().await;
    app.add_user("A队", "vol-a", Role::Volunteer, PW).await;
    app.add_user("A队", "coord-a", Role::Coordinator, PW).await;
    let vol = app.login("vol-a", PW).await;
    let coord = app.login("coord-a", PW).await;
    let coord_id = app.get_json("/api/v1/me", &coord).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let t = Team {
        app,
        vol,
        coord,
        coord_store: MemoryStore::new(),
        hs: (0..3).map(household).collect(),
        coord_id,
    };
    let db = LocalDb::new(&t.coord_store);
    for h in &t.hs {
        db.save_household(h, UnixMillis(10)).unwrap();
    }
    t
}

impl Team {
    fn visit(&self, n: u32, h: usize, back: i64, follow_up: Option<bool>) -> Visit {
        let mut v = full_visit(n, &self.hs[h], "聊天");
        v.author = self.coord_id.clone();
        v.day = today().add_days(-back);
        v.follow_up = follow_up.map(|open| FollowUp {
            what: "送药".into(),
            due: v.day.add_days(7),
            done_on: (!open).then_some(v.day.add_days(2)),
        });
        LocalDb::new(&self.coord_store)
            .save_visit(&v, UnixMillis(20))
            .unwrap();
        v
    }

    fn event(&self, n: u32, back: i64) -> Event {
        let mut e: Event = serde_json::from_value(json!({
            "id": RecordId::mint(UnixMillis(1_795_714_200_000 + i64::from(n)), [9; 10]).to_string(),
            "kind": "convenience_day", "title": "便民服务日", "day": today().add_days(-back).to_string(),
            "place": "社区广场", "created_at": 1_795_714_200_000_i64, "updated_at": 1_795_714_200_000_i64,
            "author": self.coord_id,
        }))
        .unwrap();
        e.author = self.coord_id.clone();
        LocalDb::new(&self.coord_store)
            .save_event(&e, UnixMillis(20))
            .unwrap();
        e
    }

    async fn coordinator_syncs(&self) {
        sync(
            &self.app,
            &self.coord,
            &LocalDb::new(&self.coord_store),
            false,
        )
        .await;
    }

    async fn set_days(&self, days: u32) -> reqwest::Response {
        self.app
            .client
            .put(format!("{}/api/v1/team/settings", self.app.base))
            .bearer_auth(&self.coord)
            .json(&json!({ "window_days": days }))
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_volunteers_phone_holds_the_window_and_follows_the_teams_setting() {
    let t = team().await;
    let recent = t.visit(1, 0, 10, None);
    let old0 = t.visit(2, 0, 200, None);
    let latest1 = t.visit(3, 1, 300, None);
    let old1 = t.visit(4, 1, 400, None);
    let open2 = t.visit(5, 2, 600, Some(true));
    let latest2 = t.visit(6, 2, 500, Some(false));
    let e_recent = t.event(7, 5);
    let e_old = t.event(8, 300);
    t.coordinator_syncs().await;
    let households: BTreeSet<RecordId> = t.hs.iter().map(|h| h.id).collect();
    let with = |ids: &[RecordId]| -> BTreeSet<RecordId> {
        households
            .iter()
            .copied()
            .chain(ids.iter().copied())
            .collect()
    };

    // A new phone: the households, the last 120 days, and beyond them each household's
    // latest visit and the open follow-up.
    let phone = MemoryStore::new();
    let db = LocalDb::new(&phone);
    sync(&t.app, &t.vol, &db, true).await;
    assert_eq!(
        held(&db),
        with(&[recent.id, latest1.id, open2.id, latest2.id, e_recent.id])
    );
    assert_eq!(
        client::stored_window(&db),
        Some(window::Window::ending(today(), 120))
    );
    let _ = (old1.id, e_old.id);

    // Only a coordinator sets it, within bounds; everyone reads it.
    let res = t
        .app
        .client
        .put(format!("{}/api/v1/team/settings", t.app.base))
        .bearer_auth(&t.vol)
        .json(&json!({ "window_days": 365 }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res, 403).await, "forbidden");
    assert_eq!(error_code(t.set_days(10).await, 400).await, "bad_request");
    assert_eq!(t.set_days(365).await.status().as_u16(), 200);
    assert_eq!(
        t.app.get_json("/api/v1/team/settings", &t.vol).await,
        json!({ "window_days": 365 })
    );
    let audit: Vec<String> =
        sqlx::query_scalar("SELECT what FROM audit_log WHERE action = 'team_settings'")
            .fetch_all(&t.app.pool().await)
            .await
            .unwrap();
    assert_eq!(audit, vec!["window_days=365"]);

    // A longer window brings the older records at the next sync.
    sync(&t.app, &t.vol, &db, true).await;
    assert_eq!(
        held(&db),
        with(&[
            recent.id,
            old0.id,
            latest1.id,
            open2.id,
            latest2.id,
            e_recent.id,
            e_old.id
        ])
    );

    // A shorter one prunes them again.
    assert_eq!(t.set_days(120).await.status().as_u16(), 200);
    sync(&t.app, &t.vol, &db, true).await;
    assert_eq!(
        held(&db),
        with(&[recent.id, latest1.id, open2.id, latest2.id, e_recent.id])
    );

    // The follow-up is done on the coordinator's phone: it leaves the volunteer's.
    let mut done = open2.clone();
    done.follow_up.as_mut().unwrap().done_on = Some(today());
    done.updated_at = UnixMillis(30);
    LocalDb::new(&t.coord_store)
        .save_visit(&done, UnixMillis(30))
        .unwrap();
    // The recent visit of household 0 is deleted: the one before it is now its latest.
    LocalDb::new(&t.coord_store)
        .delete(RecordKind::Visit, recent.id, UnixMillis(31))
        .unwrap();
    t.coordinator_syncs().await;
    sync(&t.app, &t.vol, &db, true).await;
    let now = held(&db);
    assert!(
        !now.contains(&open2.id),
        "a done follow-up beyond the window is pruned"
    );
    assert!(
        now.contains(&old0.id),
        "the household's latest visit came back"
    );
    assert!(
        now.contains(&recent.id),
        "the deleted one stays, deleted, in the window"
    );
    assert!(db.deleted_ids().unwrap().contains(&recent.id));

    // A visit logged offline for a day long ago stays until it is on the server.
    let phone_v = {
        let mut v = full_visit(50, &t.hs[1], "补录");
        v.author = t.app.get_json("/api/v1/me", &t.vol).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        v.day = today().add_days(-700);
        db.save_visit(&v, UnixMillis(40)).unwrap();
        v
    };
    client::prune(&db).unwrap();
    assert!(held(&db).contains(&phone_v.id), "unsynced: never pruned");
    sync(&t.app, &t.vol, &db, true).await;
    assert!(!held(&db).contains(&phone_v.id), "synced and old: pruned");
    let pool = t.app.pool().await;
    let on_server: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records WHERE id = $1")
        .bind(phone_v.id.to_string())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(on_server, 1);
}

#[tokio::test]
async fn the_window_ends_within_a_day_of_the_servers_and_old_rows_are_filled() {
    let t = team().await;
    t.visit(1, 0, 10, None);
    t.visit(2, 0, 200, None);
    t.coordinator_syncs().await;
    // A phone whose clock is years off gets the team's window all the same.
    let page: PullResponse = serde_json::from_value(
        t.app
            .get_json(
                "/api/v1/sync/pull?protocol=1&cursor=0&today=2030-01-01",
                &t.vol,
            )
            .await,
    )
    .unwrap();
    let w = page.window.unwrap();
    assert!((w.from.days_until(window::Window::ending(today(), 120).from)).abs() <= 1);
    assert_eq!(records(&page), 4, "three households and the recent visit");
    // Without a day, the whole history, as before.
    let all: PullResponse = serde_json::from_value(
        t.app
            .get_json("/api/v1/sync/pull?protocol=1&cursor=0", &t.vol)
            .await,
    )
    .unwrap();
    assert!(all.window.is_none());
    assert_eq!(records(&all), 5);
    let bad = t
        .app
        .get_with("/api/v1/sync/pull?protocol=1&today=yesterday", &t.vol)
        .await;
    assert_eq!(error_code(bad, 400).await, "bad_request");

    // Rows stored before the window's columns existed are filled at start.
    let pool = t.app.pool().await;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE records SET updated_at = NULL, household_id = NULL, follow_up_open = 0")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        doorstep_server::window::fill_record_facts(&pool)
            .await
            .unwrap() as i64,
        rows,
        "the five records and the roster people"
    );
    let again: PullResponse = serde_json::from_value(
        t.app
            .get_json(
                &format!("/api/v1/sync/pull?protocol=1&cursor=0&today={}", today()),
                &t.vol,
            )
            .await,
    )
    .unwrap();
    assert_eq!(records(&again), 4);
    assert_eq!(again.digest, page.digest);
}

#[tokio::test]
async fn the_servers_query_for_kept_visits_is_the_cores_rule() {
    let t = team().await;
    // Visits on the same day (the id decides), deleted ones, follow-ups open and done.
    let mut x: u64 = 7;
    let mut next = || {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        x >> 33
    };
    let db = LocalDb::new(&t.coord_store);
    for n in 0..120u32 {
        let follow_up = match next() % 4 {
            0 => Some(true),
            1 => Some(false),
            _ => None,
        };
        let v = t.visit(
            100 + n,
            (next() % 3) as usize,
            (next() % 5 * 100) as i64,
            follow_up,
        );
        if next() % 5 == 0 {
            db.delete(RecordKind::Visit, v.id, UnixMillis(21)).unwrap();
        }
    }
    t.coordinator_syncs().await;
    let pool = t.app.pool().await;
    let team: String = sqlx::query_scalar("SELECT team_id FROM records LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let by_sql = doorstep_server::window::extras(&pool, &team).await.unwrap();
    let by_rule = doorstep_server::window::extras_by_the_rule(&pool, &team)
        .await
        .unwrap();
    assert!(by_rule.len() > 3, "open follow-ups and latest visits");
    assert_eq!(by_sql, by_rule);
}

#[tokio::test]
async fn a_volunteers_phone_holds_only_their_communities_households() {
    let mut t = team().await;
    // Households 0 (幸福社区, from `household`), 3 and 4 (和平社区), 5 (光明社区).
    let coord_db = LocalDb::new(&t.coord_store);
    for (n, community) in [(3, "和平社区"), (4, "和平社区"), (5, "光明社区")] {
        let mut h = household(n);
        h.address.community = community.into();
        coord_db.save_household(&h, UnixMillis(10)).unwrap();
        t.hs.push(h);
    }
    let (h0, h3, h4, h5) = (
        t.hs[0].clone(),
        t.hs[3].clone(),
        t.hs[4].clone(),
        t.hs[5].clone(),
    );
    let v0 = t.visit(1, 0, 10, None);
    let v3 = t.visit(2, 3, 10, None);
    let v5 = t.visit(3, 5, 10, None);
    let e = t.event(4, 5);
    t.coordinator_syncs().await;
    let vol_id = t.app.get_json("/api/v1/me", &t.vol).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let set = |token: &str, communities: serde_json::Value| {
        t.app
            .client
            .put(format!(
                "{}/api/v1/members/{vol_id}/communities",
                t.app.base
            ))
            .bearer_auth(token.to_owned())
            .json(&json!({ "communities": communities }))
            .send()
    };

    // Only a coordinator gives communities, each a community's length at most.
    assert_eq!(
        error_code(set(&t.vol, json!(["和平社区"])).await.unwrap(), 403).await,
        "forbidden"
    );
    let long = "社".repeat(41);
    assert_eq!(
        error_code(set(&t.coord, json!([long])).await.unwrap(), 400).await,
        "bad_request"
    );
    let res = set(&t.coord, json!([" 和平社区 ", "和平社区", ""]))
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let members = t.app.get_json("/api/v1/members", &t.coord).await;
    let me = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == vol_id.as_str())
        .unwrap();
    assert_eq!(me["communities"], json!(["和平社区"]));

    // A new phone: the households of 和平社区, their visits, and the team's events.
    let phone = MemoryStore::new();
    let db = LocalDb::new(&phone);
    sync(&t.app, &t.vol, &db, true).await;
    assert_eq!(held(&db), BTreeSet::from([h3.id, h4.id, v3.id, e.id]));
    assert!(client::stored_scope(&db).is_some());
    // The server picks only what is in the scope: a page of one is never empty.
    let roster = db.collection(RecordKind::Person).ids().unwrap().len()
        + db.collection(RecordKind::Unit).ids().unwrap().len();
    let (mut cursor, mut full, mut pages) = (0, 0, 0);
    loop {
        let page: PullResponse = serde_json::from_value(
            t.app
                .get_json(
                    &format!(
                        "/api/v1/sync/pull?protocol=1&cursor={cursor}&limit=1&full={full}&today={}",
                        today()
                    ),
                    &t.vol,
                )
                .await,
        )
        .unwrap();
        pages += 1;
        if !page.more {
            break;
        }
        assert_eq!(page.records.len(), 1, "page {pages}");
        (cursor, full) = (page.cursor, page.full);
    }
    assert!(
        pages <= 5 + roster,
        "{pages} pages for 4 records and {roster} people and units"
    );

    // One the volunteer adds elsewhere is theirs: it stays.
    let mut mine = household(6);
    mine.address.community = "光明社区".into();
    mine.author = vol_id.clone();
    db.save_household(&mine, UnixMillis(40)).unwrap();
    sync(&t.app, &t.vol, &db, true).await;
    assert!(held(&db).contains(&mine.id));

    // Household 0 moves into 和平社区: it comes with its visit. Household 3 moves out: it
    // leaves with its visit.
    let mut moved_in = h0.clone();
    moved_in.address.community = "和平社区".into();
    moved_in.updated_at = UnixMillis(50);
    coord_db.save_household(&moved_in, UnixMillis(50)).unwrap();
    let mut moved_out = h3.clone();
    moved_out.address.community = "幸福社区".into();
    moved_out.updated_at = UnixMillis(50);
    coord_db.save_household(&moved_out, UnixMillis(50)).unwrap();
    t.coordinator_syncs().await;
    sync(&t.app, &t.vol, &db, true).await;
    assert_eq!(
        held(&db),
        BTreeSet::from([h0.id, v0.id, h4.id, mine.id, e.id])
    );

    // No communities: every household again.
    assert_eq!(
        set(&t.coord, json!([])).await.unwrap().status().as_u16(),
        200
    );
    sync(&t.app, &t.vol, &db, true).await;
    assert!(client::stored_scope(&db).is_none());
    let all = held(&db);
    for id in [h0.id, h3.id, h4.id, h5.id, v0.id, v3.id, v5.id, mine.id] {
        assert!(all.contains(&id));
    }
    let audit: Vec<String> =
        sqlx::query_scalar("SELECT reason FROM audit_log WHERE action = 'communities'")
            .fetch_all(&t.app.pool().await)
            .await
            .unwrap();
    assert_eq!(
        audit,
        vec!["1 communities", "0 communities"],
        "no community names"
    );
}
