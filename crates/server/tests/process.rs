//! The real binary: configuration from the environment, SIGTERM, bad configuration.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

mod raw_http;

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
    serve_with(dir, db, log, &[])
}

fn serve_with(
    dir: &tempfile::TempDir,
    db: &std::path::Path,
    log: &str,
    args: &[&str],
) -> (
    std::process::Child,
    std::sync::mpsc::Receiver<String>,
    String,
) {
    let mut child = Command::new(BIN)
        .arg("serve")
        .args(args)
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
    stop(&mut child);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_database_logs_a_one_time_setup_link() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, lines, addr) = serve(&dir, &dir.path().join("db.sqlite"), "info");
    let line = next_line_with(&lines, "/setup#");
    let link = line
        .split_whitespace()
        .find(|w| w.contains("/setup#"))
        .unwrap();
    assert!(link.starts_with(&format!("http://{addr}/setup#")), "{line}");
    let code = link.rsplit('#').next().unwrap();
    assert_eq!(code.len(), 32);
    let client = reqwest::Client::new();
    let check: serde_json::Value = client
        .post(format!("http://{addr}/api/v1/join/check"))
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(check["kind"], "setup");
    stop(&mut child);
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

/// A CA and a certificate it signed for `doorstep.test`: (ca.pem, cert.pem, key.pem).
fn certificate(ca_name: &str) -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, ca_name);
    let ca = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["doorstep.test".to_owned()])
        .unwrap()
        .signed_by(&key, &ca, &ca_key)
        .unwrap();
    (ca.pem(), leaf.pem(), key.serialize_pem())
}

/// A client that trusts only `ca_pem` and finds doorstep.test at `addr`.
fn https_client(ca_pem: &str, addr: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap())
        .resolve("doorstep.test", addr.parse().unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn next_line_with(lines: &std::sync::mpsc::Receiver<String>, needle: &str) -> String {
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(20)) {
        if line.contains(needle) {
            return line;
        }
    }
    panic!("no log line with {needle:?} within 20 s");
}

// Multi-threaded: the clients' connections must answer the server's goodbye while the test
// thread waits for the process to exit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_from_certificate_files_reloaded_on_sighup_and_http_redirects() {
    let dir = tempfile::tempdir().unwrap();
    let (ca1, cert1, key1) = certificate("First CA");
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, &cert1).unwrap();
    std::fs::write(&key, &key1).unwrap();
    let (cert_arg, key_arg) = (cert.display().to_string(), key.display().to_string());
    let (mut child, lines, addr) = serve_with(
        &dir,
        &dir.path().join("db.sqlite"),
        "info",
        &[
            "--tls-cert",
            &cert_arg,
            "--tls-key",
            &key_arg,
            "--http-addr",
            "127.0.0.1:0",
        ],
    );
    let http_line = next_line_with(&lines, "redirecting http to https");
    let http_addr = http_line
        .split("addr=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let port = addr.rsplit(':').next().unwrap();

    let res = https_client(&ca1, &addr)
        .get(format!("https://doorstep.test:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.version(),
        reqwest::Version::HTTP_2,
        "h2 offered by ALPN"
    );
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000"
    );

    // Plain HTTP on the HTTPS port gets no answer.
    let plain = reqwest::Client::new()
        .get(format!("http://{addr}/healthz"))
        .send()
        .await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());

    // The HTTP side sends every path, query included, to HTTPS.
    let redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("http://{http_addr}/visits/new?x=1"))
        .header("host", "doorstep.test")
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status().as_u16(), 308);
    assert_eq!(
        redirect.headers()["location"],
        format!("https://doorstep.test:{port}/visits/new?x=1").as_str()
    );

    // A renewed certificate (from another CA) is served after SIGHUP, without a restart.
    let (ca2, cert2, key2) = certificate("Second CA");
    std::fs::write(&cert, &cert2).unwrap();
    std::fs::write(&key, &key2).unwrap();
    let hup = |pid: u32| {
        let status = Command::new("kill")
            .arg("-HUP")
            .arg(pid.to_string())
            .status()
            .unwrap();
        assert!(status.success());
    };
    hup(child.id());
    next_line_with(&lines, "certificate reloaded");
    let res = https_client(&ca2, &addr)
        .get(format!("https://doorstep.test:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(https_client(&ca1, &addr)
        .get(format!("https://doorstep.test:{port}/healthz"))
        .send()
        .await
        .is_err());

    // A broken key on reload keeps the working certificate.
    std::fs::write(&key, "not a key").unwrap();
    hup(child.id());
    next_line_with(&lines, "keeping the old one");
    let res = https_client(&ca2, &addr)
        .get(format!("https://doorstep.test:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);

    stop(&mut child);
}

#[test]
fn bad_tls_arguments_fail_at_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let out = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--tls-cert"])
        .arg(&missing)
        .arg("--tls-key")
        .arg(&missing)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read the certificate") && stderr.contains("missing.pem"),
        "{stderr}"
    );

    let (_, cert, _) = certificate("CA");
    let (_, _, other_key) = certificate("CA");
    std::fs::write(dir.path().join("cert.pem"), cert).unwrap();
    std::fs::write(dir.path().join("key.pem"), other_key).unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--tls-cert"])
        .arg(dir.path().join("cert.pem"))
        .arg("--tls-key")
        .arg(dir.path().join("key.pem"))
        .output()
        .unwrap();
    assert!(!out.status.success(), "a key of another certificate");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot read the private key"), "{stderr}");

    let out = Command::new(BIN)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--http-addr",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--http-addr needs HTTPS"), "{stderr}");

    let out = Command::new(BIN)
        .args(["serve", "--acme-domain", "doorstep.test"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "ACME needs a contact address");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--acme-email"));
}

/// SIGTERM, and the process exits within 10 s.
fn stop(child: &mut std::process::Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    wait_timeout(child, Duration::from_secs(10)).expect("exits after SIGTERM");
}

fn http_get(addr: &str, path: &str) -> String {
    raw_http::exchange(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
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
