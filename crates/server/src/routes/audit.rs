//! `GET /api/v1/audit`: the team's audit log (identified exports), for admins.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::audit;
use crate::auth::Admin;
use crate::error::ApiError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

async fn list(State(state): State<AppState>, Admin(auth): Admin) -> Result<Json<Value>, ApiError> {
    let items = audit::list(&state.db, auth.team_id()).await?;
    Ok(Json(json!({ "items": items })))
}
