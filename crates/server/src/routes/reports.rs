//! Reports for coordinators: `GET /api/v1/reports/monthly?month=YYYY-MM` — the month's
//! totals, notable visits and residents' words as JSON (`doorstep_core::stats`), de-identified;
//! `&format=html` (and `lang=en`) the same as a printable page.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use doorstep_core::event::Event;
use doorstep_core::household::Household;
use doorstep_core::stats::{self, MonthlyReport, Period};
use doorstep_core::store::RecordKind;
use doorstep_core::visit::Visit;
use doorstep_core::{Day, Lang, UnixMillis};
use serde::Deserialize;

use crate::accounts::now_millis;
use crate::auth::Coordinator;
use crate::error::ApiError;
use crate::json::ApiQuery;
use crate::records;
use crate::AppState;

/// The teams work in China Standard Time (UTC+8): "today" and "this month" are theirs.
const UTC_OFFSET_MINUTES: i32 = 480;

pub fn router() -> Router<AppState> {
    Router::new().route("/reports/monthly", get(monthly))
}

#[derive(Deserialize)]
struct MonthQuery {
    month: Option<String>,
    /// `html`: the printable page instead of JSON.
    format: Option<String>,
    lang: Option<String>,
}

fn parse_month(s: &str) -> Result<Period, ApiError> {
    Day::parse(&format!("{s}-01"))
        .ok()
        .filter(|_| s.len() == 7)
        .map(Period::month_of)
        .ok_or_else(|| ApiError::BadRequest(format!("month must be YYYY-MM, not {s:?}")))
}

async fn monthly(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> Result<Response, ApiError> {
    let today = Day::from_unix_millis(UnixMillis(now_millis()), UTC_OFFSET_MINUTES);
    let month = match q.month.as_deref() {
        Some(m) => parse_month(m)?,
        None => Period::month_of(today),
    };
    let team = auth.team_id();
    let households: Vec<Household> =
        records::all_of(&state.db, team, RecordKind::Household).await?;
    let visits: Vec<Visit> = records::all_of(&state.db, team, RecordKind::Visit).await?;
    let events: Vec<Event> = records::all_of(&state.db, team, RecordKind::Event).await?;
    let report = stats::monthly_report(month, today, &households, &visits, &events);
    if q.format.as_deref() == Some("html") {
        let lang = q.lang.as_deref().map_or(Lang::Zh, Lang::from_tag);
        let (y, m, _) = month.from.ymd();
        let page = crate::report_html::render(&report, &format!("{y}-{m:02}"), lang);
        return Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response());
    }
    Ok(Json::<MonthlyReport>(report).into_response())
}
