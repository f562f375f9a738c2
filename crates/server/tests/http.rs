mod common;

use common::{error_code, spawn_app, spawn_app_with, HASHED_JS, INDEX_HTML};
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING};
use serde_json::Value;

async fn json_error(res: reqwest::Response, status: u16, code: &str) {
    assert_eq!(error_code(res, status).await, code);
}

#[tokio::test]
async fn healthz_is_ok_and_the_database_is_migrated() {
    let app = spawn_app().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()[CACHE_CONTROL], "no-store");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "status": "ok" }));

    // A real database (a SQLite file unless the tests run on PostgreSQL), migrated.
    if app.database.starts_with("sqlite") {
        assert!(app.db_path().is_file());
    }
    let pool = app.pool().await;
    let schema: String = sqlx::query_scalar("SELECT value FROM server_info WHERE key = 'schema'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(schema, "doorstep");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404_not_the_app() {
    let app = spawn_app().await;
    json_error(app.get("/api/v1/nothing-here").await, 404, "not_found").await;
    json_error(app.get("/api").await, 404, "not_found").await;
}

#[tokio::test]
async fn wrong_method_is_json_405() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/healthz", app.base))
        .body("{")
        .send()
        .await
        .unwrap();
    json_error(res, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn app_shell_and_client_routes_revalidate() {
    let app = spawn_app().await;
    for path in ["/", "/index.html", "/visits/new", "/households/abc"] {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
        assert_eq!(res.headers()[CACHE_CONTROL], "no-cache", "{path}");
        assert_eq!(res.text().await.unwrap(), INDEX_HTML, "{path}");
    }
    let sw = app.get("/sw.js").await;
    assert_eq!(sw.status().as_u16(), 200);
    assert_eq!(sw.headers()[CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_missing_files_404() {
    let app = spawn_app().await;
    let res = app.get(&format!("/{HASHED_JS}")).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    json_error(
        app.get("/doorstep-ffffffffffffffff.js").await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn precompressed_brotli_is_served_and_gzip_made_on_the_fly() {
    let app = spawn_app().await;
    let br_bytes = b"not really brotli, but what the build wrote".to_vec();
    std::fs::write(app.static_dir().join(format!("{HASHED_JS}.br")), &br_bytes).unwrap();

    let res = app
        .client
        .get(format!("{}/{HASHED_JS}", app.base))
        .header(ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[CONTENT_ENCODING], "br");
    assert_eq!(res.bytes().await.unwrap().to_vec(), br_bytes);

    let res = app
        .client
        .get(format!("{}/{HASHED_JS}", app.base))
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[CONTENT_ENCODING], "gzip");
    let plain_len = std::fs::metadata(app.static_dir().join(HASHED_JS))
        .unwrap()
        .len();
    assert!((res.bytes().await.unwrap().len() as u64) < plain_len / 4);
}

#[tokio::test]
async fn an_unbuilt_app_says_so_in_json() {
    let app = spawn_app_with(false).await;
    json_error(app.get("/").await, 503, "app_not_built").await;
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}
