//! The visits CSV export over real HTTP: opens in Excel/WPS (BOM), parses back (RFC 4180),
//! neutralises formulas, names no one, filters by day, and is for coordinators only.

mod common;

use common::{error_code, spawn_app};
use doorstep_core::account::Role;
use doorstep_core::stats::household_code;
use doorstep_core::store::conformance::{full_visit, household};
use doorstep_core::Day;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PW: &str = "correct horse 1";

#[tokio::test]
async fn the_visits_csv_parses_back_de_identified_with_formulas_neutralised() {
    let app = spawn_app().await;
    let (vol, coord) = app.volunteer_and_coordinator(PW).await;
    let mut h = household(1);
    h.address.room = "502室".into();
    h.residents[0].phone = "13800000000".into();
    let mut tricky = full_visit(1, &h, "带逗号, \"引号\"\n和换行");
    tricky.author = String::new();
    tricky.residents_words = "=HYPERLINK(\"http://evil\",\"点我\")".into();
    tricky.day = Day::parse("2026-11-05").unwrap();
    let mut other = full_visit(2, &h, "");
    other.author = String::new();
    other.day = Day::parse("2026-10-05").unwrap();
    let records: Vec<(&str, Value)> = vec![
        ("household", serde_json::to_value(&h).unwrap()),
        ("visit", serde_json::to_value(&tricky).unwrap()),
        ("visit", serde_json::to_value(&other).unwrap()),
    ];
    app.push_records(&vol, &records).await;

    let res = app
        .get_with(
            "/api/v1/export/visits.csv?from=2026-11-01&to=2026-11-30",
            &coord,
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let bytes = res.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark first"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&headers[..3], ["日期", "户编号", "社区"]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "only the day range asked for");
    let row = &rows[0];
    assert_eq!(&row[0], "2026-11-05");
    assert_eq!(&row[1], household_code(h.id));
    let col = |name: &str| headers.iter().position(|x| x == name).unwrap();
    assert_eq!(
        &row[col("居民反馈")],
        "'=HYPERLINK(\"http://evil\",\"点我\")"
    );
    assert_eq!(
        &row[col("备注")],
        "带逗号, \"引号\"\n和换行",
        "quoted and read back whole"
    );
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    for secret in ["王奶奶", "502室", "13800000000"] {
        assert!(!text.contains(secret), "{secret} in the export");
    }

    // English headers on request; everything without a range.
    let en = app
        .get_with("/api/v1/export/visits.csv?lang=en", &coord)
        .await
        .text()
        .await
        .unwrap();
    assert!(en
        .trim_start_matches('\u{feff}')
        .starts_with("Date,Household code"));
    assert_eq!(csv::Reader::from_reader(en.as_bytes()).records().count(), 2);

    let res = app.get_with("/api/v1/export/visits.csv", &vol).await;
    assert_eq!(res.status().as_u16(), 403);
    let res = app
        .get_with("/api/v1/export/visits.csv?from=11/01", &coord)
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
}

#[tokio::test]
async fn the_visits_xlsx_opens_with_date_cells_and_text_kept_as_text() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let app = spawn_app().await;
    let (vol, coord) = app.volunteer_and_coordinator(PW).await;
    let mut h = household(1);
    h.address.room = "502室".into();
    let mut v = full_visit(1, &h, "");
    v.author = String::new();
    v.day = Day::parse("2026-11-05").unwrap();
    v.residents_words = "=1+1".into();
    let records: Vec<(&str, Value)> = vec![
        ("household", serde_json::to_value(&h).unwrap()),
        ("visit", serde_json::to_value(&v).unwrap()),
    ];
    app.push_records(&vol, &records).await;

    let res = app.get_with("/api/v1/export/visits.xlsx", &coord).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Sheet1").unwrap();
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("日期".into())));
    assert_eq!(sheet.get((0, 1)), Some(&Data::String("户编号".into())));
    // A real date cell: Excel's serial day number for 2026-11-05.
    let serial = Day::parse("2026-11-05").unwrap().days_since_epoch() + 25_569;
    match sheet.get((1, 0)) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), serial as f64),
        other => panic!("not a date cell: {other:?}"),
    }
    assert_eq!(sheet.get((1, 1)), Some(&Data::String(household_code(h.id))));
    let words = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .position(|c| c == &Data::String("居民反馈".into()))
        .unwrap();
    assert_eq!(
        sheet.get((1, words)),
        Some(&Data::String("=1+1".into())),
        "text, not a formula"
    );
    let all: String = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(!all.contains("502室") && !all.contains("王奶奶"));
    let res = app.get_with("/api/v1/export/visits.xlsx", &vol).await;
    assert_eq!(res.status().as_u16(), 403);
}

#[tokio::test]
async fn events_and_households_export_too_and_only_to_coordinators() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use doorstep_core::event::{Event, Tallies};
    use doorstep_core::labels::EventKind;
    use doorstep_core::{RecordId, UnixMillis};
    let app = spawn_app().await;
    let (vol, coord) = app.volunteer_and_coordinator(PW).await;
    let mut h = household(1);
    h.address.room = "502室".into();
    h.residents[0].lives_alone = true;
    h.basis = Some(doorstep_core::store::conformance::duty_of_care());
    h.notes = "王奶奶的儿子在外地".into();
    let e = Event {
        id: RecordId::mint(UnixMillis(1_800_000_000_000), [9; 10]),
        kind: EventKind::ConvenienceDay,
        title: "便民服务日".into(),
        day: Day::parse("2026-11-14").unwrap(),
        start_time: Some("09:00".into()),
        place: "社区广场".into(),
        partners: vec![],
        volunteers: vec!["张三".into()],
        attendance: 40,
        tallies: Tallies {
            haircuts: 12,
            ..Tallies::default()
        },
        notes: String::new(),
        end_time: None,
        people: vec![],
        units: vec![],
        hours: vec![],
        created_at: UnixMillis(0),
        updated_at: UnixMillis(0),
        author: String::new(),
        rev: 0,
    };
    let records: Vec<(&str, Value)> = vec![
        ("household", serde_json::to_value(&h).unwrap()),
        ("event", serde_json::to_value(&e).unwrap()),
    ];
    app.push_records(&vol, &records).await;

    let bytes = app
        .get_with("/api/v1/export/events.xlsx", &coord)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Sheet1").unwrap();
    assert_eq!(sheet.get((0, 7)), Some(&Data::String("参加人数".into())));
    assert_eq!(sheet.get((1, 2)), Some(&Data::String("便民服务日".into())));
    assert_eq!(sheet.get((1, 7)), Some(&Data::Float(40.0)), "a number cell");
    assert_eq!(sheet.get((1, 8)), Some(&Data::Float(12.0)));

    let text = app
        .get_with("/api/v1/export/households.csv", &coord)
        .await
        .text()
        .await
        .unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(&row[0], household_code(h.id));
    assert_eq!((&row[3], &row[4]), ("1", "是"));
    assert_eq!(&row[9], h.assigned_to, "the assigned volunteer");
    for secret in ["王奶奶", "502室", "儿子"] {
        assert!(!text.contains(secret), "{secret} in the households export");
    }

    for path in ["visits", "events", "households"] {
        for ext in ["csv", "xlsx"] {
            let res = app
                .get_with(&format!("/api/v1/export/{path}.{ext}"), &vol)
                .await;
            assert_eq!(res.status().as_u16(), 403, "{path}.{ext}");
        }
    }
}

#[tokio::test]
async fn identified_data_needs_a_reason_and_is_audited_for_admins_to_read() {
    let app = spawn_app().await;
    let (vol, coord) = app.volunteer_and_coordinator(PW).await;
    app.add_user("A队", "admin-a", Role::Admin, PW).await;
    let admin = app.login("admin-a", PW).await;
    let mut h = household(1);
    h.address.room = "502室".into();
    h.residents[0].phone = "13800000000".into();
    let mut v = full_visit(1, &h, "");
    v.author = String::new();
    let records: Vec<(&str, Value)> = vec![
        ("household", serde_json::to_value(&h).unwrap()),
        ("visit", serde_json::to_value(&v).unwrap()),
    ];
    app.push_records(&vol, &records).await;

    // No reason: refused, and nothing recorded.
    let res = app
        .get_with("/api/v1/export/visits.csv?identified=1", &coord)
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
    let log = app.get_json("/api/v1/audit", &admin).await;
    assert_eq!(log["items"].as_array().unwrap().len(), 0);

    let reason = "街道核对独居老人名单";
    let res = app
        .get_with(
            &format!("/api/v1/export/visits.csv?identified=1&reason={reason}&from=2026-11-01"),
            &coord,
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let text = res.text().await.unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        &headers[headers.len() - 4..],
        ["住户", "单元", "门牌", "电话"]
    );
    let row = r.records().next().unwrap().unwrap();
    let n = row.len();
    assert_eq!(
        (&row[n - 4], &row[n - 2], &row[n - 1]),
        ("王奶奶", "502室", "13800000000")
    );

    let log = app.get_json("/api/v1/audit", &admin).await;
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["username"], "coord-a");
    assert_eq!(items[0]["action"], "identified_export");
    assert_eq!(items[0]["reason"], reason);
    assert!(items[0]["what"]
        .as_str()
        .unwrap()
        .starts_with("visits.csv from=2026-11-01"));
    assert!(items[0]["at"].as_i64().unwrap() > 0);
    // The log is for admins only.
    for token in [&coord, &vol] {
        let res = app.get_with("/api/v1/audit", token).await;
        assert_eq!(res.status().as_u16(), 403);
    }
}

/// Downloads that nobody reads (a phone on a dying connection) never hold the database: more
/// of them than the pool has connections, and the team's sync still answers at once.
#[tokio::test]
async fn slow_downloads_do_not_hold_the_database() {
    let app = spawn_app().await;
    let (vol, coord) = app.volunteer_and_coordinator(PW).await;
    let h = household(1);
    let mut records: Vec<(&str, Value)> = vec![("household", serde_json::to_value(&h).unwrap())];
    // Several MB of CSV: more than the socket buffers, so a stalled reader stalls the writer.
    for n in 0..4_000 {
        let mut v = full_visit(100 + n, &h, &"长".repeat(480));
        v.author = String::new();
        records.push(("visit", serde_json::to_value(&v).unwrap()));
    }
    app.push_records(&vol, &records).await;
    let path = "/api/v1/export/visits.csv?from=2026-11-01&to=2026-11-30";
    let addr: std::net::SocketAddr = app.base.trim_start_matches("http://").parse().unwrap();
    let mut stalled = Vec::new();
    for _ in 0..20 {
        // A reader with a tiny window that reads the status line and then nothing.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let mut conn = socket.connect(addr).await.unwrap();
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {coord}\r\n\r\n");
        conn.write_all(request.as_bytes()).await.unwrap();
        let mut first = [0u8; 12];
        conn.read_exact(&mut first).await.unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");
        stalled.push(conn);
    }
    let started = std::time::Instant::now();
    let res = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        app.get_with("/api/v1/sync/pull?protocol=1&cursor=0", &vol),
    )
    .await
    .expect("sync answers while downloads stall");
    assert_eq!(res.status().as_u16(), 200);
    println!("pull beside 20 stalled downloads: {:?}", started.elapsed());
    // And a download is whole when read at last.
    let mut rest = Vec::new();
    let mut conn = stalled.pop().unwrap();
    drop(stalled);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), conn.read(&mut buf))
            .await
            .expect("the download goes on")
            .unwrap();
        rest.extend_from_slice(&buf[..n]);
        if n == 0 || rest.ends_with(b"0\r\n\r\n") || rest.len() > 6_000_000 {
            break;
        }
    }
    // Every visit's notes (480 characters, 1,440 bytes each) came through.
    assert!(rest.len() > 4_000 * 1_440, "{} bytes", rest.len());
}
