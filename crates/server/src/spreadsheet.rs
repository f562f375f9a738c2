//! Spreadsheet files of export rows (`doorstep_core::export`): CSV in UTF-8 with a byte-order
//! mark (Excel and WPS then read the Chinese), RFC 4180 quoting, cells that would run as
//! formulas neutralised; XLSX by rust_xlsxwriter with a bold frozen header, column widths,
//! date and number cells. Whole (small tables) or from a channel of rows.

use axum::body::Body;
use doorstep_core::export::{neutralise, Table};
use doorstep_core::Day;
use tokio::sync::mpsc::Receiver;

use crate::error::ApiError;

/// One row, or why the export broke (the last item).
pub type Row = Result<Vec<String>, String>;

/// CSV text of `headers` and `rows`, with a byte-order mark, every cell neutralised.
pub fn csv_text(headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::WriterBuilder::new().from_writer(BOM.to_vec());
    let internal = |e: csv::Error| ApiError::Internal(e.to_string());
    w.write_record(headers).map_err(internal)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .map_err(internal)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

struct Formats {
    bold: rust_xlsxwriter::Format,
    date: rust_xlsxwriter::Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            bold: rust_xlsxwriter::Format::new().set_bold(),
            date: rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

/// Bold frozen header and column widths.
fn write_header(
    sheet: &mut rust_xlsxwriter::Worksheet,
    table: Table,
    headers: &[&str],
    fmt: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &fmt.bold)?;
        sheet.set_column_width(c as u16, table.widths.get(c).copied().unwrap_or(12.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Days as date cells, counts as numbers, text as text (a string cell is never run as a
/// formula: nothing to neutralise).
fn write_row(
    sheet: &mut rust_xlsxwriter::Worksheet,
    table: Table,
    r: u32,
    row: &[String],
    fmt: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
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
            let at = rust_xlsxwriter::ExcelDateTime::from_ymd(y as u16, m, dd)?;
            sheet.write_date_with_format(r, col, &at, &fmt.date)?;
        } else if let Some(Some(n)) = as_number {
            sheet.write_number(r, col, f64::from(n))?;
        } else if !cell.is_empty() {
            sheet.write_string(r, col, excel_cell(cell).as_ref())?;
        }
    }
    Ok(())
}

/// Most characters Excel holds in a cell.
const EXCEL_CELL_MAX: usize = 32_767;

/// A cell Excel can hold: text beyond its limit is cut and says so. Records are bounded far
/// below it on input; this keeps an export working whatever a row holds.
fn excel_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    const CUT: &str = "…（已截断 / truncated）";
    if cell.chars().count() <= EXCEL_CELL_MAX {
        return cell.into();
    }
    let keep = EXCEL_CELL_MAX - CUT.chars().count();
    let mut s: String = cell.chars().take(keep).collect();
    s.push_str(CUT);
    s.into()
}

/// A whole (small) table as XLSX.
pub fn xlsx(
    table: Table,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let fmt = Formats::new();
    write_header(sheet, table, headers, &fmt)?;
    for (r, row) in rows.iter().enumerate() {
        write_row(sheet, table, r as u32 + 1, row, &fmt)?;
    }
    book.save_to_buffer()
}

/// CSV of the rows, spooled to an anonymous temporary file (gone when closed) and then
/// served from it: the database is read at its own pace and let go before the download
/// starts, so a slow client never holds a pool connection, and a failure is an error answer
/// rather than a broken download.
pub async fn spool_csv(mut rows: Receiver<Row>, headers: Vec<String>) -> Result<Body, ApiError> {
    use std::io::{Seek, Write};
    let file = tokio::task::spawn_blocking(move || -> Result<std::fs::File, String> {
        let file = tempfile::tempfile().map_err(|e| e.to_string())?;
        let mut out = std::io::BufWriter::new(file);
        out.write_all(BOM).map_err(|e| e.to_string())?;
        let mut w = csv::WriterBuilder::new().from_writer(out);
        w.write_record(&headers).map_err(|e| e.to_string())?;
        while let Some(row) = rows.blocking_recv() {
            w.write_record(row?.iter().map(|c| neutralise(c).into_owned()))
                .map_err(|e| e.to_string())?;
        }
        let mut file = w
            .into_inner()
            .map_err(|e| e.to_string())?
            .into_inner()
            .map_err(|e| e.to_string())?;
        file.flush().map_err(|e| e.to_string())?;
        file.rewind().map_err(|e| e.to_string())?;
        Ok(file)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(ApiError::Internal)?;
    let file = tokio::fs::File::from_std(file);
    Ok(Body::from_stream(tokio_util::io::ReaderStream::new(file)))
}

/// XLSX as the rows arrive, in rust_xlsxwriter's constant-memory mode on a blocking thread:
/// only the finished (compressed) file is held.
pub async fn stream_xlsx(
    mut rows: Receiver<Row>,
    table: Table,
    headers: Vec<String>,
) -> Result<Vec<u8>, ApiError> {
    tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory();
        let fmt = Formats::new();
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        write_header(sheet, table, &headers, &fmt).map_err(|e| e.to_string())?;
        let mut r = 1;
        while let Some(row) = rows.blocking_recv() {
            write_row(sheet, table, r, &row?, &fmt).map_err(|e| e.to_string())?;
            r += 1;
        }
        book.save_to_buffer().map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(ApiError::Internal)
}

pub const CSV_TYPE: &str = "text/csv; charset=utf-8";

pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub const BOM: &[u8] = b"\xEF\xBB\xBF";

#[cfg(test)]
mod tests {
    #[test]
    fn an_overlong_cell_is_cut_to_what_excel_holds() {
        let long = "长".repeat(40_000);
        let cut = super::excel_cell(&long);
        assert_eq!(cut.chars().count(), super::EXCEL_CELL_MAX);
        assert!(cut.ends_with("truncated）"));
        assert_eq!(super::excel_cell("短"), "短");
    }
}
