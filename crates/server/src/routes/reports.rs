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
    Router::new()
        .route("/reports/monthly", get(monthly))
        .route("/reports/hours", get(hours))
}

#[derive(Deserialize)]
struct HoursQuery {
    from: Option<String>,
    to: Option<String>,
    /// `json` (default), `csv`, `xlsx`, or `html` (the printable 志愿服务记录).
    format: Option<String>,
    lang: Option<String>,
    /// `html` only: one person's record (a roster id).
    person: Option<String>,
}

/// `GET /api/v1/reports/hours?from=YYYY-MM-DD&to=…&format=json|csv|xlsx`: each person's
/// service hours over the period (JSON), or one row per person per activity for a volunteer
/// platform's bulk entry (CSV, XLSX). From `doorstep_core::hours`, as the app counts them.
/// The volunteers' names and phones are the team's own people, not residents; every call is
/// audited like an identified export all the same. Default period: this month.
async fn hours(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    ApiQuery(q): ApiQuery<HoursQuery>,
) -> Result<Response, ApiError> {
    use doorstep_core::hours;
    use doorstep_core::roster::{Person, Roster};
    let today = Day::from_unix_millis(UnixMillis(now_millis()), UTC_OFFSET_MINUTES);
    let month = Period::month_of(today);
    let day = super::export::day;
    let from = day("from", q.from.as_deref())?.unwrap_or(month.from);
    let to = day("to", q.to.as_deref())?.unwrap_or(month.to);
    if to < from {
        return Err(ApiError::BadRequest("to is before from".into()));
    }
    let format = q.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "csv" | "xlsx" | "html") {
        return Err(ApiError::BadRequest(format!(
            "format must be json, csv, xlsx or html, not {format:?}"
        )));
    }
    let person = q
        .person
        .as_deref()
        .map(|p| {
            doorstep_core::RecordId::parse(p)
                .map_err(|_| ApiError::BadRequest(format!("person must be a record id, not {p:?}")))
        })
        .transpose()?;
    let lang = q.lang.as_deref().map_or(Lang::Zh, Lang::from_tag);
    let team = auth.team_id();
    let visits: Vec<Visit> = records::all_of(&state.db, team, RecordKind::Visit).await?;
    let events: Vec<Event> = records::all_of(&state.db, team, RecordKind::Event).await?;
    let people: Vec<Person> = records::all_of(&state.db, team, RecordKind::Person).await?;
    let roster = Roster::new(people);
    let old = hours::old_names(&visits, &events);
    let names = |id| old.get(&id).cloned();
    let mut served = hours::served(&visits, &events, &roster, from, to);
    if let Some(p) = person {
        let p = roster.resolve(p);
        served.retain(|s| s.person == p);
    }
    let titles: std::collections::HashMap<_, _> =
        events.iter().map(|e| (e.id, e.title.clone())).collect();
    let what = format!("hours.{format} from={from} to={to}");
    crate::audit::record(&state.db, team, &auth.user.id, "hours_report", &what, "").await?;
    match format {
        "json" => Ok(Json(serde_json::json!({
            "from": from.to_string(),
            "to": to.to_string(),
            "people": hours::report(&served, &roster, &names),
        }))
        .into_response()),
        "html" => {
            let people: Vec<_> = hours::report(&served, &roster, &names)
                .into_iter()
                .map(|p| {
                    let mine: Vec<_> = served
                        .iter()
                        .filter(|s| s.person == p.person)
                        .cloned()
                        .collect();
                    let rows =
                        hours::rows(&mine, &roster, &names, &|id| titles.get(&id).cloned(), lang);
                    (p, rows)
                })
                .collect();
            let page = crate::report_html::service_records(
                &people,
                &from.to_string(),
                &to.to_string(),
                lang,
            );
            Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
        }
        _ => {
            let rows = hours::rows(
                &served,
                &roster,
                &names,
                &|id| titles.get(&id).cloned(),
                lang,
            );
            let headers: Vec<&str> = hours::ROWS.headers.iter().map(|h| h.get(lang)).collect();
            let (body, kind, ext) = if format == "csv" {
                (
                    crate::spreadsheet::csv_text(&headers, &rows)?,
                    crate::spreadsheet::CSV_TYPE,
                    "csv",
                )
            } else {
                let book = crate::spreadsheet::xlsx(hours::ROWS, &headers, &rows)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                (book, crate::spreadsheet::XLSX_TYPE, "xlsx")
            };
            let disposition = format!("attachment; filename=\"hours-{from}-{to}.{ext}\"");
            Ok((
                [
                    (header::CONTENT_TYPE, kind.to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response())
        }
    }
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
    let names = records::names(&state.db, team).await?;
    let lang = q.lang.as_deref().map_or(Lang::Zh, Lang::from_tag);
    let report = stats::monthly_report(month, today, &households, &visits, &events, &names, lang);
    if q.format.as_deref() == Some("html") {
        let (y, m, _) = month.from.ymd();
        let page = crate::report_html::render(&report, &format!("{y}-{m:02}"), lang);
        return Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response());
    }
    Ok(Json::<MonthlyReport>(report).into_response())
}
