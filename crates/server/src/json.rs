//! The API's extractors, whose every rejection is this API's JSON error (never axum's plain
//! text): `ApiJson<T>` for bodies (malformed JSON, wrong type, too large, text with NUL) and
//! `ApiQuery<T>` for query strings (missing or malformed parameters, numbers that overflow);
//! `refuse_nul` for paths and queries. PostgreSQL's text cannot hold NUL, so it is refused at
//! the door on every route, for both databases alike.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ApiError;

/// A JSON body. `ANY_TEXT`: strings may hold anything (a push, whose records the core checks
/// one by one, so that one bad record is refused alone and never blocks the rest).
pub struct ApiJson<T, const ANY_TEXT: bool = false>(pub T);

const NUL: &str = "text may not contain the NUL character";

impl<T: DeserializeOwned, S: Send + Sync, const ANY_TEXT: bool> FromRequest<S>
    for ApiJson<T, ANY_TEXT>
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if ANY_TEXT {
            return match Json::<T>::from_request(req, state).await {
                Ok(Json(v)) => Ok(ApiJson(v)),
                Err(e) => Err(rejected(e)),
            };
        }
        let Json(value) = Json::<Value>::from_request(req, state)
            .await
            .map_err(rejected)?;
        if holds_nul(&value) {
            return Err(ApiError::BadRequest(NUL.into()));
        }
        serde_json::from_value(value)
            .map(ApiJson)
            .map_err(|e| ApiError::BadRequest(format!("Failed to deserialize the JSON body: {e}")))
    }
}

fn rejected(e: JsonRejection) -> ApiError {
    match e {
        JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge("the request body is too large".into())
        }
        e => ApiError::BadRequest(e.body_text()),
    }
}

fn holds_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(a) => a.iter().any(holds_nul),
        Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        _ => false,
    }
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// Refuses a path or query holding an escaped NUL (a literal one cannot be in a URI), before
/// any route reads it.
pub async fn refuse_nul(
    req: Request,
    next: axum::middleware::Next,
) -> Result<axum::response::Response, ApiError> {
    let uri = req.uri();
    let path_and_query = uri.path_and_query().map_or("", |p| p.as_str());
    if path_and_query.to_ascii_lowercase().contains("%00") {
        return Err(ApiError::BadRequest(NUL.into()));
    }
    Ok(next.run(req).await)
}
