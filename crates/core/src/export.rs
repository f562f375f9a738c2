//! Rows of the coordinators' exports (导出), de-identified: a household appears as its code,
//! community and building — never a resident's name, a room or a phone number. The server
//! writes them as CSV or XLSX; the rules live here once.

use std::collections::HashMap;

use crate::household::Household;
use crate::i18n::{Lang, Text};
use crate::stats::household_code;
use crate::visit::{join_names, Visit};
use crate::RecordId;

pub const VISIT_HEADERS: &[Text] = &[
    Text::new("日期", "Date"),
    Text::new("户编号", "Household code"),
    Text::new("社区", "Community"),
    Text::new("楼栋", "Building"),
    Text::new("志愿者", "Volunteers"),
    Text::new("合作单位", "Partners"),
    Text::new("服务内容", "Services"),
    Text::new("生活状况", "Living conditions"),
    Text::new("生活状况说明", "Conditions noted"),
    Text::new("需求", "Needs"),
    Text::new("需求说明", "Needs noted"),
    Text::new("居民反馈", "Resident's words"),
    Text::new("跟进事项", "Follow-up"),
    Text::new("跟进期限", "Follow-up due"),
    Text::new("跟进完成", "Follow-up done"),
    Text::new("备注", "Notes"),
];

/// How wide each visit column is in a spreadsheet (characters; a Chinese one counts two).
pub const VISIT_WIDTHS: &[f64] = &[
    11.0, 10.0, 14.0, 8.0, 16.0, 16.0, 30.0, 10.0, 24.0, 16.0, 24.0, 40.0, 20.0, 11.0, 11.0, 30.0,
];

/// The columns that hold a day (written as date cells in XLSX).
pub const VISIT_DAY_COLUMNS: &[usize] = &[0, 13, 14];

/// One visit as the export's cells, in `VISIT_HEADERS` order.
pub fn visit_row(v: &Visit, h: Option<&Household>, lang: Lang) -> Vec<String> {
    let labels = |xs: Vec<&str>| xs.join(if lang == Lang::Zh { "、" } else { ", " });
    let follow = v.follow_up.as_ref();
    vec![
        v.day.to_string(),
        household_code(v.household_id),
        h.map(|h| h.address.community.clone()).unwrap_or_default(),
        h.map(|h| h.address.building.clone()).unwrap_or_default(),
        join_names(&v.volunteers, lang),
        labels(v.partners.iter().map(|p| p.label(lang)).collect()),
        v.services.summary(lang),
        v.conditions
            .as_ref()
            .map(|c| c.level.label(lang).to_owned())
            .unwrap_or_default(),
        v.conditions
            .as_ref()
            .map(|c| c.text.clone())
            .unwrap_or_default(),
        labels(v.needs.iter().map(|n| n.label(lang)).collect()),
        v.needs_text.clone(),
        v.residents_words.clone(),
        follow.map(|f| f.what.clone()).unwrap_or_default(),
        follow.map(|f| f.due.to_string()).unwrap_or_default(),
        follow
            .and_then(|f| f.done_on)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        v.notes.clone(),
    ]
}

/// The visits' rows, oldest first, each with its household looked up.
pub fn visit_rows(households: &[Household], visits: &[Visit], lang: Lang) -> Vec<Vec<String>> {
    let by_id: HashMap<RecordId, &Household> = households.iter().map(|h| (h.id, h)).collect();
    let mut sorted: Vec<&Visit> = visits.iter().collect();
    sorted.sort_by_key(|v| (v.day, v.created_at));
    sorted
        .into_iter()
        .map(|v| visit_row(v, by_id.get(&v.household_id).copied(), lang))
        .collect()
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return first) gets a leading apostrophe: shown as text, never executed (CSV injection).
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::{full_visit, household};

    #[test]
    fn formulas_become_text_and_plain_cells_stay() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+86 138"), "'+86 138");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tcmd"), "'\tcmd");
        assert_eq!(neutralise("大米 2袋"), "大米 2袋");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn a_row_names_no_one() {
        let mut h = household(1);
        h.address.room = "502室".into();
        h.residents[0].phone = "13800000000".into();
        let v = full_visit(1, &h, "备注");
        let row = visit_row(&v, Some(&h), Lang::Zh);
        assert_eq!(row.len(), VISIT_HEADERS.len());
        assert_eq!(VISIT_WIDTHS.len(), VISIT_HEADERS.len());
        assert_eq!(row[1], household_code(h.id));
        assert_eq!((row[2].as_str(), row[3].as_str()), ("幸福社区", "1幢"));
        assert_eq!(row[6], "聊天陪伴");
        let all = row.join("|");
        for secret in ["王奶奶", "502室", "13800000000"] {
            assert!(!all.contains(secret));
        }
        assert_eq!(visit_row(&v, Some(&h), Lang::En)[6], "Companionship chat");
    }
}
