//! The real binary: configuration from the environment, SIGTERM, bad configuration.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_doorstep-server");

/// The binary serving on a free port, configured from the environment: the process, its
/// log lines as they come, and the address it logged.
fn serve(
    dir: &tempfile::TempDir,
    db: &std::path::Path,
    log: &str,
) -> (
    std::process::Child,
    std::sync::mpsc::Receiver<String>,
    String,
) {
    let mut child = Command::new(BIN)
        .arg("serve")
        .env("DOORSTEP_ADDR", "127.0.0.1:0")
        .env("DOORSTEP_DATABASE", format!("sqlite://{}", db.display()))
        .env("DOORSTEP_STATIC_DIR", dir.path().join("dist"))
        .env("RUST_LOG", log)
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, lines) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(30)) {
        if let (true, Some(rest)) = (line.contains("listening"), line.split("addr=").nth(1)) {
            let addr = rest.split_whitespace().next().unwrap().to_owned();
            return (child, lines, addr);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("server did not log its address within 30 s");
}

#[test]
fn env_config_and_graceful_shutdown_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/db.sqlite");
    let (mut child, lines, addr) = serve(&dir, &db, "info");
    assert!(db.is_file(), "database file created from DOORSTEP_DATABASE");

    let body = http_get(&addr, "/healthz");
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.ends_with(r#"{"status":"ok"}"#), "{body}");

    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let exit = wait_timeout(&mut child, Duration::from_secs(10)).expect("exits after SIGTERM");
    assert!(exit.success(), "graceful exit, got {exit:?}");
    let rest: Vec<String> = lines.iter().collect(); // ends at EOF: the child exited
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
}

#[test]
fn request_logs_name_the_path_never_the_query() {
    // A query can carry what a coordinator typed (an export's reason, dates): even at the most
    // verbose level, requests are logged by method and path only.
    let dir = tempfile::tempdir().unwrap();
    let (mut child, lines, addr) = serve(&dir, &dir.path().join("db.sqlite"), "trace");
    let body = http_get(&addr, "/healthz?reason=secret-marker-42");
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    wait_timeout(&mut child, Duration::from_secs(10)).expect("exits after SIGTERM");
    let logged: Vec<String> = lines.iter().collect();
    assert!(
        logged.iter().any(|l| l.contains("/healthz")),
        "requests are logged: {logged:?}"
    );
    assert!(
        !logged.iter().any(|l| l.contains("secret-marker-42")),
        "the query reached the log: {logged:?}"
    );
}

#[test]
fn unsupported_database_url_fails_with_a_clear_message() {
    let out = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--database", "mysql://x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unsupported database URL"), "{stderr}");
}

fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn wait_timeout(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}
