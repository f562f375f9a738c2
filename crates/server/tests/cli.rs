//! The operator's commands on the real binary and a real SQLite file.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

mod raw_http;

const BIN: &str = env!("CARGO_BIN_EXE_doorstep-server");

fn run(db: &str, args: &[&str], password: Option<&str>) -> Output {
    let mut c = Command::new(BIN);
    c.args(args)
        .env("DOORSTEP_DATABASE", db)
        .env_remove("DOORSTEP_PASSWORD");
    if let Some(p) = password {
        c.env("DOORSTEP_PASSWORD", p);
    }
    c.stdin(Stdio::null()).output().unwrap()
}

/// `user add` of a volunteer to `team`, and what the command printed.
fn add_volunteer(db: &str, team: &str, username: &str, password: Option<&str>) -> Output {
    run(
        db,
        &[
            "user",
            "add",
            "--team",
            team,
            "--role",
            "volunteer",
            "--username",
            username,
        ],
        password,
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn teams_and_users_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let db = db.as_str();

    let o = run(db, &["team", "add", "邮政志愿队"], None);
    assert!(o.status.success(), "{o:?}");
    let o = run(
        db,
        &[
            "user",
            "add",
            "--team",
            "邮政志愿队",
            "--role",
            "coordinator",
            "--username",
            "Li.Wei",
            "--display-name",
            "李伟",
        ],
        Some("a long password"),
    );
    assert!(o.status.success(), "{o:?}");
    assert!(stdout(&o).contains("user added: li.wei"));

    // No password from the environment and no terminal: refused, nothing added.
    let o = add_volunteer(db, "邮政志愿队", "zhang", None);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("DOORSTEP_PASSWORD"));
    // Too short a password, an unknown team, a taken username: clear errors.
    let o = add_volunteer(db, "邮政志愿队", "zhang", Some("short"));
    assert!(stderr(&o).contains("At least 8 characters"), "{o:?}");
    let o = add_volunteer(db, "nope", "zhang", Some("long enough"));
    assert!(stderr(&o).contains("no team named"), "{o:?}");
    let o = add_volunteer(db, "邮政志愿队", "li.wei", Some("long enough"));
    assert!(stderr(&o).contains("is taken"), "{o:?}");

    let list = stdout(&run(db, &["user", "list"], None));
    assert!(
        list.contains("邮政志愿队\tli.wei\tcoordinator\t李伟\tactive"),
        "{list}"
    );
    assert!(!list.contains("zhang"), "{list}");
    assert!(!list.contains("a long password"), "{list}");

    let o = run(db, &["user", "disable", "li.wei"], None);
    assert!(o.status.success(), "{o:?}");
    assert!(
        stdout(&run(db, &["user", "list"], None)).contains("li.wei\tcoordinator\t李伟\tdisabled")
    );
}

#[test]
fn serve_demo_prints_accounts_that_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let mut child = Command::new(BIN)
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env("DOORSTEP_DATABASE", &db)
        .env("DOORSTEP_STATIC_DIR", dir.path().join("dist"))
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let err = BufReader::new(child.stderr.take().unwrap());
    let (tx, lines) = std::sync::mpsc::channel::<String>();
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        out.lines()
            .map_while(Result::ok)
            .for_each(|l| drop(tx.send(l)))
    });
    std::thread::spawn(move || {
        err.lines()
            .map_while(Result::ok)
            .for_each(|l| drop(tx2.send(l)))
    });
    let (mut passwords, mut addr) = (Vec::new(), None);
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(30)) {
        if let Some(p) = line.split("password ").nth(1) {
            passwords.push((
                line.split_whitespace().next().unwrap().to_owned(),
                p.trim().to_owned(),
            ));
        }
        if let (true, Some(rest)) = (line.contains("listening"), line.split("addr=").nth(1)) {
            addr = Some(rest.split_whitespace().next().unwrap().to_owned());
        }
        // stdout and stderr arrive in either order: wait for both.
        if addr.is_some() && passwords.len() == 2 {
            break;
        }
    }
    let addr = addr.expect("listening");
    let users: Vec<&str> = passwords.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(users, ["demo-volunteer", "demo-coordinator"]);
    let mut token = String::new();
    for (user, password) in &passwords {
        let body = format!(r#"{{"username":"{user}","password":"{password}","device_name":"t"}}"#);
        let res = http_post(&addr, "/api/v1/login", &body);
        assert!(res.starts_with("HTTP/1.1 200"), "{res}");
        token = res
            .split(r#""token":""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
    }
    // The sample team's records came in through the push path and reach a phone's pull.
    let pulled = http_get(&addr, "/api/v1/sync/pull?protocol=1&cursor=0", &token);
    // (HTTP/1.0: no chunked encoding in the body.)
    assert!(pulled.starts_with("HTTP/1.0 200"), "{pulled}");
    let count = |kind: &str| pulled.matches(&format!(r#""kind":"{kind}""#)).count();
    assert_eq!(
        count("household"),
        30,
        "{}",
        &pulled[..pulled.len().min(500)]
    );
    assert!(count("visit") > 150);
    assert_eq!(count("event"), 6);
    let _ = child.kill();
    let _ = child.wait();
    // Exactly the two demo users were made.
    let o = Command::new(BIN)
        .args(["user", "list"])
        .env("DOORSTEP_DATABASE", &db)
        .output()
        .unwrap();
    assert_eq!(stdout(&o).lines().count(), 3, "{}", stdout(&o));
}

fn http_get(addr: &str, path: &str, token: &str) -> String {
    raw_http::exchange(
        addr,
        &format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"),
    )
}

fn http_post(addr: &str, path: &str, body: &str) -> String {
    raw_http::exchange(
        addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

/// The usernames `user list` prints.
fn usernames(db: &str) -> Vec<String> {
    let o = run(db, &["user", "list"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1).map(str::to_owned))
        .collect()
}

/// `serve` on `db` until killed, once it listens.
fn serving(db: &str) -> std::process::Child {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("DOORSTEP_DATABASE", db)
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = BufReader::new(child.stderr.take().unwrap());
    let mut lines = err.lines().map_while(Result::ok);
    assert!(
        lines.any(|l| l.contains("listening")),
        "the server did not start"
    );
    std::thread::spawn(move || lines.for_each(drop));
    child
}

#[test]
fn backup_while_serving_and_restore_with_the_server_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("data/db.sqlite").display());
    let db = db.as_str();
    assert!(run(db, &["team", "add", "邮政志愿服务队"], None)
        .status
        .success());
    assert!(
        add_volunteer(db, "邮政志愿服务队", "zhang.san", Some("password-1"))
            .status
            .success()
    );

    // A backup of the database a running server is using.
    let mut server = serving(db);
    let file = dir.path().join("backups/monday.db");
    let file_arg = file.display().to_string();
    let o = run(db, &["backup", "--to", &file_arg], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        // The user's roster person and the team's five first partner units.
        stdout(&o).contains("1 teams, 1 users, 6 records; integrity ok"),
        "{}",
        stdout(&o)
    );
    // The same name again is refused: a backup never overwrites another.
    let again = run(db, &["backup", "--to", &file_arg], None);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );

    // More work after the backup.
    assert!(
        add_volunteer(db, "邮政志愿服务队", "li.si", Some("password-1"))
            .status
            .success()
    );
    // Not while the server runs.
    let busy = run(db, &["restore", "--from", &file_arg], None);
    assert!(!busy.status.success());
    assert!(
        stderr(&busy).contains("stop the server first"),
        "{}",
        stderr(&busy)
    );
    let _ = server.kill();
    let _ = server.wait();

    let o = run(db, &["restore", "--from", &file_arg], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("kept as"), "{}", stdout(&o));
    assert_eq!(usernames(db), ["zhang.san"], "the backup's state");
    // The replaced database is kept, with li.si in it.
    let kept = std::fs::read_dir(dir.path().join("data"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.contains(".before-restore-") && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .expect("the replaced database is kept");
    let kept_db = format!("sqlite://{}", kept.display());
    assert_eq!(usernames(&kept_db), ["li.si", "zhang.san"]);
    // And the restored database serves.
    let mut server = serving(db);
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn restore_refuses_what_is_not_a_doorstep_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let db = db.as_str();
    assert!(run(db, &["team", "add", "A队"], None).status.success());
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database at all").unwrap();
    let other = dir.path().join("other.db");
    let o = Command::new("sqlite3")
        .arg(&other)
        .arg("CREATE TABLE t (x);")
        .output();
    let mut candidates = vec![junk.clone(), dir.path().join("missing.db")];
    if o.is_ok_and(|o| o.status.success()) {
        candidates.push(other);
    }
    for bad in candidates {
        let o = run(db, &["restore", "--from", &bad.display().to_string()], None);
        assert!(!o.status.success(), "{}", bad.display());
        let e = stderr(&o);
        assert!(
            e.contains("not a Doorstep database") || e.contains("does not exist"),
            "{e}"
        );
    }
    // The database is untouched.
    let o = run(db, &["team", "add", "A队"], None);
    assert!(stderr(&o).contains("taken"), "{}", stderr(&o));
}

#[test]
fn postgres_backups_are_pg_dumps_and_no_password_is_printed() {
    let url = "postgres://doorstep:s3cret@127.0.0.1:1/doorstep";
    let o = run(url, &["backup", "--to", "x.db"], None);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("pg_dump --format=custom"), "{e}");
    assert!(!e.contains("s3cret"), "{e}");
    let o = run(url, &["restore", "--from", "x.db"], None);
    assert!(stderr(&o).contains("pg_restore"), "{}", stderr(&o));
}
