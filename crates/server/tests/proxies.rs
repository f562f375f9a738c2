//! The nginx and Caddy snippets of docs/deploy.md, as written there, in front of the server
//! with `--trusted-proxy 127.0.0.1/32`: the app and the API answer through them, nginx
//! redirects HTTP to HTTPS, a push the server refuses as too large reaches the phone as the
//! server's JSON (not the proxy's page), and the sign-in limits count the phone's own address —
//! not the proxy's, and not one the phone made up in its own `X-Forwarded-For`.
//!
//! The phones connect from 127.0.0.2 and 127.0.0.3 (all of 127/8 is loopback on Linux), so
//! the address the proxy forwards differs from the proxy's own.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use doorstep_server::auth::rate_limit::ADDRESS_LIMIT;
use serde_json::json;

mod common;
use common::{error_code, spawn_app_configured, TestApp};

const DOMAIN: &str = "zoufang.example.cn";

/// The fenced block of docs/deploy.md that starts with ```` ```lang ````.
fn snippet(lang: &str) -> String {
    let doc = include_str!("../../../docs/deploy.md");
    let start = doc
        .find(&format!("```{lang}\n"))
        .unwrap_or_else(|| panic!("no {lang} block in docs/deploy.md"))
        + lang.len()
        + 4;
    let len = doc[start..].find("```").unwrap();
    doc[start..start + len].to_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Replaces `from` (which must be there) with `to`.
fn swap(text: String, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the snippet no longer has {from:?}");
    text.replace(from, to)
}

async fn app_behind_proxy() -> TestApp {
    let app = spawn_app_configured(true, |c| {
        c.trusted_proxy = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    app.add_user(
        "proxy-team",
        "proxy-vol",
        doorstep_core::account::Role::Volunteer,
        "a-long-password-1",
    )
    .await;
    app
}

/// Stops the proxy when the test ends, however it ends.
struct Proxy(Child);

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A phone at `from` that finds DOMAIN at `to` and trusts `ca` (if any).
fn phone(from: [u8; 4], to: SocketAddr, ca: Option<&str>) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .local_address(IpAddr::from(from))
        .resolve(DOMAIN, to)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10));
    if let Some(ca) = ca {
        b = b
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).unwrap());
    }
    b.build().unwrap()
}

async fn wait_until_up(client: &reqwest::Client, url: &str, proxy: &mut Proxy) {
    for _ in 0..200 {
        if let Ok(r) = client.get(url).send().await {
            if r.status() == 200 {
                return;
            }
        }
        if let Some(status) = proxy.0.try_wait().unwrap() {
            panic!("the proxy exited: {status}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the proxy did not answer {url}");
}

/// What the snippets must do, checked through a proxy at `base` (`http(s)://DOMAIN:port`).
async fn check_through(base: &str, phone_a: &reqwest::Client, phone_b: &reqwest::Client) {
    // The app and the API.
    let page = phone_a.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("<title>Doorstep</title>"));
    let login = |client: &reqwest::Client, username: &str, password: &str, spoof: &str| {
        client
            .post(format!("{base}/api/v1/login"))
            .header("x-forwarded-for", spoof)
            .json(&json!({ "username": username, "password": password, "device_name": "手机" }))
            .send()
    };
    let res = login(phone_a, "proxy-vol", "a-long-password-1", "198.51.100.1")
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let token = res.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();

    // Just over the server's 1 MiB: the proxy lets it through and the phone gets the
    // server's JSON error, which it knows how to handle.
    let big = json!({ "protocol": 1, "mutations": [], "pad": "x".repeat(1_100_000) });
    let res = phone_a
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(&token)
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res, 413).await, "payload_too_large");

    // Phone A fails to sign in ADDRESS_LIMIT times (other usernames each time, so only the
    // address limit is reached), each time claiming another address: the claims are ignored.
    for i in 0..ADDRESS_LIMIT - 1 {
        let res = login(
            phone_a,
            &format!("nobody{i}"),
            "wrong-password",
            &format!("203.0.113.{}", i % 250),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    let res = login(phone_a, "nobody-last", "wrong-password", "203.0.113.251")
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = login(phone_a, "nobody-more", "wrong-password", "203.0.113.252")
        .await
        .unwrap();
    assert_eq!(error_code(res, 429).await, "too_many_attempts");
    // Phone B, behind the same proxy, is another address: not held back by A's typos.
    let res = login(phone_b, "nobody-b", "wrong-password", "198.51.100.2")
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = login(phone_b, "proxy-vol", "a-long-password-1", "")
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_nginx_snippet_works_as_documented() {
    let app = app_behind_proxy().await;
    let upstream = app.base.trim_start_matches("http://").to_owned();
    let dir = tempfile::tempdir().unwrap();
    let (https, http) = (free_port(), free_port());

    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec![DOMAIN.to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let (cert_file, key_file) = (
        dir.path().join("fullchain.pem"),
        dir.path().join("privkey.pem"),
    );
    std::fs::write(&cert_file, cert.pem()).unwrap();
    std::fs::write(&key_file, key.serialize_pem()).unwrap();

    // The snippet, with this test's ports and files in place of the deployment's.
    let mut site = snippet("nginx");
    site = swap(
        site,
        "listen 443 ssl http2;",
        &format!("listen 127.0.0.1:{https} ssl http2;"),
    );
    site = swap(site, "listen 80;", &format!("listen 127.0.0.1:{http};"));
    site = swap(
        site,
        "/etc/letsencrypt/live/zoufang.example.cn/fullchain.pem",
        &cert_file.display().to_string(),
    );
    site = swap(
        site,
        "/etc/letsencrypt/live/zoufang.example.cn/privkey.pem",
        &key_file.display().to_string(),
    );
    site = swap(site, "http://127.0.0.1:8080", &format!("http://{upstream}"));
    // What Debian's /etc/nginx/nginx.conf gives a site, in a directory of the test's own.
    let d = dir.path().display();
    let conf = format!(
        "pid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n\
         access_log off;\nclient_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\nuwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n\
         {site}\n}}\n"
    );
    let conf_file = dir.path().join("nginx.conf");
    std::fs::write(&conf_file, conf).unwrap();
    let nginx = Command::new("nginx")
        .args(["-p", &d.to_string(), "-c", &conf_file.display().to_string()])
        .args(["-g", "daemon off; master_process off;"])
        .stdout(Stdio::null())
        .spawn()
        .expect("nginx (cargo xtask setup installs it)");
    let mut proxy = Proxy(nginx);

    let https_addr: SocketAddr = format!("127.0.0.1:{https}").parse().unwrap();
    let a = phone([127, 0, 0, 2], https_addr, Some(&cert.pem()));
    let b = phone([127, 0, 0, 3], https_addr, Some(&cert.pem()));
    let base = format!("https://{DOMAIN}:{https}");
    wait_until_up(&a, &format!("{base}/healthz"), &mut proxy).await;

    // HTTP goes to HTTPS.
    let plain = phone(
        [127, 0, 0, 2],
        format!("127.0.0.1:{http}").parse().unwrap(),
        None,
    );
    let res = plain
        .get(format!("http://{DOMAIN}:{http}/households"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(
        res.headers()["location"],
        format!("https://{DOMAIN}/households")
    );

    check_through(&base, &a, &b).await;
}

#[tokio::test]
async fn the_caddy_snippet_works_as_documented() {
    let app = app_behind_proxy().await;
    let upstream = app.base.trim_start_matches("http://").to_owned();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();

    // Caddy gets its certificate itself; here it serves plain HTTP on a test port (the
    // certificate is Caddy's business, the proxying is the snippet's).
    let mut site = snippet("caddy");
    site = swap(
        site,
        &format!("{DOMAIN} {{"),
        &format!("http://{DOMAIN}:{port} {{"),
    );
    site = swap(
        site,
        "reverse_proxy 127.0.0.1:8080",
        &format!("reverse_proxy {upstream}"),
    );
    let conf = format!("{{\n\tadmin off\n}}\n{site}");
    let conf_file = dir.path().join("Caddyfile");
    std::fs::write(&conf_file, conf).unwrap();
    let caddy = Command::new("caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&conf_file)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("caddy (cargo xtask setup installs it)");
    let mut proxy = Proxy(caddy);

    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let a = phone([127, 0, 0, 2], addr, None);
    let b = phone([127, 0, 0, 3], addr, None);
    let base = format!("http://{DOMAIN}:{port}");
    wait_until_up(&a, &format!("{base}/healthz"), &mut proxy).await;
    check_through(&base, &a, &b).await;
}
