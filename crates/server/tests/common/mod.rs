//! `spawn_app()`: the real server on 127.0.0.1:0 with a fresh SQLite file and a fake build.
#![allow(dead_code)]

use std::path::PathBuf;

use doorstep_server::{Application, ServeConfig};
use tempfile::TempDir;

pub const HASHED_JS: &str = "doorstep-0123456789abcdef.js";
pub const INDEX_HTML: &str = "<!doctype html><title>Doorstep</title>";

pub struct TestApp {
    pub base: String,
    pub dir: TempDir,
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("data/doorstep.db")
    }

    pub fn static_dir(&self) -> PathBuf {
        self.dir.path().join("dist")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(true).await
}

pub async fn spawn_app_with(built: bool) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    if built {
        std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
        std::fs::write(dist.join(HASHED_JS), "console.log('doorstep');".repeat(100)).unwrap();
        std::fs::write(
            dist.join("sw.js"),
            "self.addEventListener('fetch', () => {});",
        )
        .unwrap();
    }
    let config = ServeConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        database: format!("sqlite://{}", dir.path().join("data/doorstep.db").display()),
        static_dir: dist,
    };
    let app = Application::build(config).await.expect("server starts");
    let base = format!("http://{}", app.local_addr());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        base,
        dir,
        client: reqwest::Client::new(),
        shutdown: Some(tx),
    }
}
