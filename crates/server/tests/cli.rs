//! The operator's commands on the real binary and a real SQLite file.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

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
    for (user, password) in &passwords {
        let body = format!(r#"{{"username":"{user}","password":"{password}","device_name":"t"}}"#);
        let res = http_post(&addr, "/api/v1/login", &body);
        assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    }
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

fn http_post(addr: &str, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}
