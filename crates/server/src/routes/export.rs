//! Exports for coordinators: `GET /api/v1/export/visits.csv?from=YYYY-MM-DD&to=…&lang=en`.
//! De-identified rows (`doorstep_core::export`); UTF-8 with a byte-order mark so Excel and WPS
//! read the Chinese, RFC 4180 quoting, and cells that would run as formulas neutralised.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use doorstep_core::export::{neutralise, visit_rows, VISIT_HEADERS};
use doorstep_core::household::Household;
use doorstep_core::store::RecordKind;
use doorstep_core::visit::Visit;
use doorstep_core::{Day, Lang};
use serde::Deserialize;

use crate::auth::Coordinator;
use crate::error::ApiError;
use crate::records;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/export/visits.csv", get(visits_csv))
}

#[derive(Deserialize)]
struct ExportQuery {
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
}

fn day(name: &str, v: Option<&str>) -> Result<Option<Day>, ApiError> {
    v.map(|s| {
        Day::parse(s)
            .map_err(|_| ApiError::BadRequest(format!("{name} must be YYYY-MM-DD, not {s:?}")))
    })
    .transpose()
}

/// CSV text of `headers` and `rows`, with a byte-order mark, every cell neutralised.
fn csv_text(headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |e: csv::Error| ApiError::Internal(e.to_string());
    w.write_record(headers).map_err(internal)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .map_err(internal)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

async fn visits_csv(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    Query(q): Query<ExportQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let from = day("from", q.from.as_deref())?;
    let to = day("to", q.to.as_deref())?;
    let lang = q.lang.as_deref().map_or(Lang::Zh, Lang::from_tag);
    let team = auth.team_id();
    let households: Vec<Household> =
        records::all_of(&state.db, team, RecordKind::Household).await?;
    let mut visits: Vec<Visit> = records::all_of(&state.db, team, RecordKind::Visit).await?;
    visits.retain(|v| from.is_none_or(|f| v.day >= f) && to.is_none_or(|t| v.day <= t));
    let headers: Vec<&str> = VISIT_HEADERS.iter().map(|h| h.get(lang)).collect();
    let body = csv_text(&headers, &visit_rows(&households, &visits, lang))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"visits.csv\"",
            ),
        ],
        body,
    ))
}
