//! Exports for coordinators: `GET /api/v1/export/{visits,events,households}.{csv,xlsx}`, with
//! `from=YYYY-MM-DD`, `to=…` (visits and events) and `lang=en`. De-identified rows (`doorstep_core::export`). CSV:
//! UTF-8 with a byte-order mark so Excel and WPS read the Chinese, RFC 4180 quoting, cells that
//! would run as formulas neutralised. XLSX: rust_xlsxwriter, date cells, frozen header.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use doorstep_core::event::Event;
use doorstep_core::export::{
    event_rows, household_rows, neutralise, visit_rows, Table, EVENTS, HOUSEHOLDS, IDENTITY, VISITS,
};
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
    use Format::{Csv, Xlsx};
    use Sheet::{Events, Households, Visits};
    let mut r = Router::new();
    for (sheet, name) in [
        (Visits, "visits"),
        (Events, "events"),
        (Households, "households"),
    ] {
        for (format, ext) in [(Csv, "csv"), (Xlsx, "xlsx")] {
            r = r.route(
                &format!("/export/{name}.{ext}"),
                get(move |s, c, q| export(sheet, format, s, c, q)),
            );
        }
    }
    r
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
}

#[derive(Clone, Copy)]
enum Sheet {
    Visits,
    Events,
    Households,
}

#[derive(Deserialize)]
struct ExportQuery {
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
    /// `1`: with residents' names, unit, room and phones — only with a `reason`, recorded in
    /// the audit log before anything is sent.
    #[serde(default)]
    identified: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

const REASON_MAX: usize = 200;

/// The reason an identified export was asked for, or a clear 400.
fn reason(q: &ExportQuery) -> Result<Option<String>, ApiError> {
    if !matches!(q.identified.as_deref(), Some("1" | "true")) {
        return Ok(None);
    }
    let r = q.reason.as_deref().map(str::trim).unwrap_or("");
    if r.chars().count() < 2 || r.chars().count() > REASON_MAX {
        return Err(ApiError::BadRequest(format!(
            "an identified export needs a reason (2–{REASON_MAX} characters)"
        )));
    }
    Ok(Some(r.to_owned()))
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

/// An XLSX workbook: bold frozen header, column widths, days as date cells, counts as
/// numbers, text as text (a string cell is never run as a formula: nothing to neutralise).
fn xlsx(
    table: Table,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format as Cell, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Cell::new().set_bold();
    let date = Cell::new().set_num_format("yyyy-mm-dd");
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, table.widths.get(c).copied().unwrap_or(12.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let as_day = table
                .day_columns
                .contains(&c)
                .then(|| Day::parse(cell).ok());
            let as_number = table
                .number_columns
                .contains(&c)
                .then(|| cell.parse::<u32>().ok());
            if let Some(Some(d)) = as_day {
                let (y, m, dd) = d.ymd();
                let at = ExcelDateTime::from_ymd(y as u16, m, dd)?;
                sheet.write_date_with_format(r, col, &at, &date)?;
            } else if let Some(Some(n)) = as_number {
                sheet.write_number(r, col, f64::from(n))?;
            } else if !cell.is_empty() {
                sheet.write_string(r, col, cell)?;
            }
        }
    }
    book.save_to_buffer()
}

async fn export(
    sheet: Sheet,
    format: Format,
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    Query(q): Query<ExportQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let from = day("from", q.from.as_deref())?;
    let to = day("to", q.to.as_deref())?;
    let lang = q.lang.as_deref().map_or(Lang::Zh, Lang::from_tag);
    let in_range = |d: Day| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t);
    let team = auth.team_id();
    let why = reason(&q)?;
    let identified = why.is_some();
    let households: Vec<Household> =
        records::all_of(&state.db, team, RecordKind::Household).await?;
    let (table, rows, name) = match sheet {
        Sheet::Visits => {
            let mut visits: Vec<Visit> =
                records::all_of(&state.db, team, RecordKind::Visit).await?;
            visits.retain(|v| in_range(v.day));
            (
                VISITS,
                visit_rows(&households, &visits, lang, identified),
                "visits",
            )
        }
        Sheet::Events => {
            let mut events: Vec<Event> =
                records::all_of(&state.db, team, RecordKind::Event).await?;
            events.retain(|e| in_range(e.day));
            (EVENTS, event_rows(&events, lang), "events")
        }
        Sheet::Households => (
            HOUSEHOLDS,
            household_rows(&households, lang, identified),
            "households",
        ),
    };
    let mut headers: Vec<&str> = table.headers.iter().map(|h| h.get(lang)).collect();
    if let Some(why) = &why {
        if !matches!(sheet, Sheet::Events) {
            headers.extend(IDENTITY.iter().map(|h| h.get(lang)));
        }
        let what = format!(
            "{name}.{} from={} to={} rows={}",
            match format {
                Format::Csv => "csv",
                Format::Xlsx => "xlsx",
            },
            q.from.as_deref().unwrap_or("-"),
            q.to.as_deref().unwrap_or("-"),
            rows.len()
        );
        crate::audit::record(
            &state.db,
            team,
            &auth.user.id,
            "identified_export",
            &what,
            why,
        )
        .await?;
        // Ids and counts only: the reason may name someone.
        tracing::info!(user = %auth.user.id, %what, "identified export");
    }
    let (body, kind, ext) = match format {
        Format::Csv => (csv_text(&headers, &rows)?, "text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (
            xlsx(table, &headers, &rows).map_err(|e| ApiError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        body,
    ))
}
