//! Exports for coordinators: `GET /api/v1/export/{visits,events,households}.{csv,xlsx}`, with
//! `from=YYYY-MM-DD`, `to=…` (visits and events) and `lang=en`. De-identified rows
//! (`doorstep_core::export`) unless asked with a reason (audited); the files are made by
//! `crate::spreadsheet`.

use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use doorstep_core::event::Event;
use doorstep_core::export::{
    event_row, household_rows, identity_cells, visit_row, EVENTS, HOUSEHOLDS, IDENTITY, VISITS,
};
use doorstep_core::household::Household;
use doorstep_core::names::Names;
use doorstep_core::store::RecordKind;
use doorstep_core::visit::Visit;
use doorstep_core::{Day, Lang, RecordId};
use serde::Deserialize;
use std::collections::HashMap;

use crate::auth::Coordinator;
use crate::error::ApiError;
use crate::json::ApiQuery;
use crate::records;
use crate::spreadsheet::{csv_text, spool_csv, stream_xlsx, xlsx, Row, CSV_TYPE, XLSX_TYPE};
use crate::AppState;

pub fn router() -> Router<AppState> {
    use Format::{Csv, Xlsx};
    use Sheet::{Events, Households, Visits};
    let mut r = Router::new();
    for sheet in [Visits, Events, Households] {
        for format in [Csv, Xlsx] {
            r = r.route(
                &format!("/export/{}", file_name(sheet, format)),
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

/// "visits.csv" …: the route's last part, the download's name and the audit log's "what".
fn file_name(sheet: Sheet, format: Format) -> String {
    let name = match sheet {
        Sheet::Visits => "visits",
        Sheet::Events => "events",
        Sheet::Households => "households",
    };
    let ext = match format {
        Format::Csv => "csv",
        Format::Xlsx => "xlsx",
    };
    format!("{name}.{ext}")
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

pub(crate) fn day(name: &str, v: Option<&str>) -> Result<Option<Day>, ApiError> {
    v.map(|s| {
        Day::parse(s)
            .map_err(|_| ApiError::BadRequest(format!("{name} must be YYYY-MM-DD, not {s:?}")))
    })
    .transpose()
}

/// What a streamed export reads: the team's visits or events in a day range, made into
/// rows as the database sends them.
struct RowSource {
    db: sqlx::AnyPool,
    team: String,
    sheet: Sheet,
    lang: Lang,
    identified: bool,
    range: (Option<Day>, Option<Day>),
    households: Vec<Household>,
    names: Names,
}

impl RowSource {
    /// Rows into a channel from a task of their own: an export of 100,000 visits never holds
    /// them all. An error is the last item.
    fn spawn(self) -> tokio::sync::mpsc::Receiver<Row> {
        use futures_util::StreamExt;
        let (tx, rx) = tokio::sync::mpsc::channel::<Row>(1_000);
        tokio::spawn(async move {
            let by_id: HashMap<RecordId, &Household> =
                self.households.iter().map(|h| (h.id, h)).collect();
            let (from, to) = (
                self.range.0.map(|d| d.to_string()),
                self.range.1.map(|d| d.to_string()),
            );
            let kind = match self.sheet {
                Sheet::Events => RecordKind::Event,
                _ => RecordKind::Visit,
            };
            let docs =
                records::stream_docs(&self.db, &self.team, kind, from.as_deref(), to.as_deref());
            let mut docs = std::pin::pin!(docs);
            while let Some(doc) = docs.next().await {
                let row = doc.map_err(|e| e.to_string()).and_then(|d| {
                    let json = serde_json::Value::Object(d.record());
                    match self.sheet {
                        Sheet::Events => serde_json::from_value::<Event>(json)
                            .map(|e| event_row(&e, &self.names, self.lang)),
                        _ => serde_json::from_value::<Visit>(json).map(|v| {
                            let h = by_id.get(&v.household_id).copied();
                            let mut row = visit_row(&v, h, &self.names, self.lang);
                            if self.identified {
                                row.extend(identity_cells(h, self.lang));
                            }
                            row
                        }),
                    }
                    .map_err(|e| e.to_string())
                });
                let failed = row.is_err();
                if tx.send(row).await.is_err() || failed {
                    return; // the client went away, or the export broke
                }
            }
        });
        rx
    }
}

async fn export(
    sheet: Sheet,
    format: Format,
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let from = day("from", q.from.as_deref())?;
    let to = day("to", q.to.as_deref())?;
    let lang = q.lang.as_deref().map_or(Lang::Zh, Lang::from_tag);
    let team = auth.team_id();
    let why = reason(&q)?;
    let identified = why.is_some();
    // Events name no household: only visits and households need them.
    let households: Vec<Household> = match sheet {
        Sheet::Events => Vec::new(),
        _ => records::all_of(&state.db, team, RecordKind::Household).await?,
    };
    let file = file_name(sheet, format);
    let table = match sheet {
        Sheet::Visits => VISITS,
        Sheet::Events => EVENTS,
        Sheet::Households => HOUSEHOLDS,
    };
    let mut headers: Vec<&str> = table.headers.iter().map(|h| h.get(lang)).collect();
    if identified && !matches!(sheet, Sheet::Events) {
        headers.extend(IDENTITY.iter().map(|h| h.get(lang)));
    }
    if let Some(why) = &why {
        let what = format!(
            "{file} from={} to={}",
            q.from.as_deref().unwrap_or("-"),
            q.to.as_deref().unwrap_or("-"),
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
        // Ids only: the reason may name someone.
        tracing::info!(user = %auth.user.id, %what, "identified export");
    }
    let disposition = format!("attachment; filename=\"{file}\"");
    let (body, kind) = if matches!(sheet, Sheet::Households) {
        let rows = household_rows(&households, lang, identified);
        match format {
            Format::Csv => (Body::from(csv_text(&headers, &rows)?), CSV_TYPE),
            Format::Xlsx => (
                Body::from(
                    xlsx(table, &headers, &rows).map_err(|e| ApiError::Internal(e.to_string()))?,
                ),
                XLSX_TYPE,
            ),
        }
    } else {
        let source = RowSource {
            db: state.db.clone(),
            team: team.to_owned(),
            sheet,
            lang,
            identified,
            range: (from, to),
            households,
            names: records::names(&state.db, team).await?,
        };
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        match format {
            Format::Csv => (spool_csv(source.spawn(), headers).await?, CSV_TYPE),
            Format::Xlsx => (
                Body::from(stream_xlsx(source.spawn(), table, headers).await?),
                XLSX_TYPE,
            ),
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
