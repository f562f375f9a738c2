//! Rows of the coordinators' exports (导出), de-identified: a household appears as its code,
//! community and building — never a resident's name, a room or a phone number. The server
//! writes them as CSV or XLSX; the rules live here once.

use crate::event::Event;
use crate::household::Household;
use crate::i18n::{Lang, Text};
use crate::names::Names;
use crate::stats::household_code;
use crate::visit::{join_names, Visit};

/// A sheet's shape: column names, widths (characters; a Chinese one counts two), and which
/// columns hold days (date cells in XLSX) and counts (number cells).
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub headers: &'static [Text],
    pub widths: &'static [f64],
    pub day_columns: &'static [usize],
    pub number_columns: &'static [usize],
}

pub const VISITS: Table = Table {
    headers: &[
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
    ],
    widths: &[
        11.0, 10.0, 14.0, 8.0, 16.0, 16.0, 30.0, 10.0, 24.0, 16.0, 24.0, 40.0, 20.0, 11.0, 11.0,
        30.0,
    ],
    day_columns: &[0, 13, 14],
    number_columns: &[],
};

pub const EVENTS: Table = Table {
    headers: &[
        Text::new("日期", "Date"),
        Text::new("活动类型", "Kind"),
        Text::new("名称", "Title"),
        Text::new("开始时间", "Start time"),
        Text::new("地点", "Place"),
        Text::new("合作单位", "Partners"),
        Text::new("志愿者", "Volunteers"),
        Text::new("参加人数", "Attendance"),
        Text::new("理发", "Haircuts"),
        Text::new("量血压", "Blood pressure checks"),
        Text::new("磨刀", "Knives sharpened"),
        Text::new("义诊", "Clinic consultations"),
        Text::new("宣传册", "Leaflets"),
        Text::new("横幅", "Banners"),
        Text::new("备注", "Notes"),
    ],
    widths: &[
        11.0, 12.0, 24.0, 9.0, 16.0, 16.0, 16.0, 9.0, 7.0, 9.0, 7.0, 7.0, 8.0, 7.0, 30.0,
    ],
    day_columns: &[0],
    number_columns: &[7, 8, 9, 10, 11, 12, 13],
};

/// Households without who lives there: code, community and building, how many residents,
/// whether any lives alone or has limited mobility, age bands, needs, cadence. No names,
/// rooms, phones, free-text notes or legal basis.
pub const HOUSEHOLDS: Table = Table {
    headers: &[
        Text::new("户编号", "Household code"),
        Text::new("社区", "Community"),
        Text::new("楼栋", "Building"),
        Text::new("人数", "Residents"),
        Text::new("独居", "Lives alone"),
        Text::new("行动不便", "Limited mobility"),
        Text::new("年龄段", "Age bands"),
        Text::new("需求", "Needs"),
        Text::new("走访频率", "Visit cadence"),
        Text::new("负责志愿者", "Assigned volunteer"),
        Text::new("已归档", "Archived"),
    ],
    widths: &[10.0, 14.0, 8.0, 6.0, 6.0, 9.0, 16.0, 20.0, 10.0, 10.0, 7.0],
    day_columns: &[],
    number_columns: &[3],
};

fn yes_no(b: bool, lang: Lang) -> String {
    Text::new(if b { "是" } else { "否" }, if b { "yes" } else { "no" })
        .get(lang)
        .to_owned()
}

/// One visit as the export's cells, in [`VISITS`] order.
pub fn visit_row(v: &Visit, h: Option<&Household>, names: &Names, lang: Lang) -> Vec<String> {
    let labels = |xs: Vec<&str>| xs.join(lang.list_separator());
    let follow = v.follow_up.as_ref();
    vec![
        v.day.to_string(),
        household_code(v.household_id),
        h.map(|h| h.address.community.clone()).unwrap_or_default(),
        h.map(|h| h.address.building.clone()).unwrap_or_default(),
        join_names(&names.people(&v.people, &v.volunteers, lang), lang),
        join_names(&names.units(&v.units, &v.partners, lang), lang),
        v.services.summary(lang),
        v.condition_level()
            .map(|l| l.label(lang).to_owned())
            .unwrap_or_default(),
        v.condition_text().to_owned(),
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

/// One event as the export's cells, in [`EVENTS`] order.
pub fn event_row(e: &Event, names: &Names, lang: Lang) -> Vec<String> {
    let t = &e.tallies;
    vec![
        e.day.to_string(),
        e.kind.label(lang).to_owned(),
        e.title.clone(),
        e.start_time.clone().unwrap_or_default(),
        e.place.clone(),
        join_names(&names.units(&e.units, &e.partners, lang), lang),
        join_names(&names.people(&e.people, &e.volunteers, lang), lang),
        e.attendance.to_string(),
        t.haircuts.to_string(),
        t.bp_checks.to_string(),
        t.knives_sharpened.to_string(),
        t.clinic_consultations.to_string(),
        t.leaflets.to_string(),
        t.banners.to_string(),
        e.notes.clone(),
    ]
}

/// One household as the export's cells, in [`HOUSEHOLDS`] order.
pub fn household_row(h: &Household, lang: Lang) -> Vec<String> {
    let bands: std::collections::BTreeSet<_> =
        h.residents.iter().filter_map(|r| r.age_band).collect();
    let bands: Vec<&str> = bands.into_iter().map(|b| b.label(lang)).collect();
    let needs: Vec<&str> = h.needs.iter().map(|n| n.label(lang)).collect();
    vec![
        household_code(h.id),
        h.address.community.clone(),
        h.address.building.clone(),
        h.residents.len().to_string(),
        yes_no(h.residents.iter().any(|r| r.lives_alone), lang),
        yes_no(h.residents.iter().any(|r| r.limited_mobility), lang),
        bands.join(lang.list_separator()),
        needs.join(lang.list_separator()),
        h.cadence.label(lang).to_owned(),
        h.assigned_to.clone(),
        yes_no(h.archived, lang),
    ]
}

/// `identified` adds the [`IDENTITY`] columns.
pub fn household_rows(households: &[Household], lang: Lang, identified: bool) -> Vec<Vec<String>> {
    let mut sorted: Vec<&Household> = households.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.address.community, &a.address.building, a.id).cmp(&(
            &b.address.community,
            &b.address.building,
            b.id,
        ))
    });
    sorted
        .into_iter()
        .map(|h| {
            let mut row = household_row(h, lang);
            if identified {
                row.extend(identity_cells(Some(h), lang));
            }
            row
        })
        .collect()
}

/// The columns an identified export adds (asked for with a reason, and audited): who lives
/// there and how to reach them.
pub const IDENTITY: &[Text] = &[
    Text::new("住户", "Residents"),
    Text::new("单元", "Unit"),
    Text::new("门牌", "Room"),
    Text::new("电话", "Phones"),
];

pub fn identity_cells(h: Option<&Household>, lang: Lang) -> Vec<String> {
    let Some(h) = h else {
        return vec![String::new(); IDENTITY.len()];
    };
    let names: Vec<String> = h.residents.iter().map(|r| r.name.clone()).collect();
    let phones: Vec<String> = h
        .residents
        .iter()
        .filter(|r| !r.phone.is_empty())
        .map(|r| r.phone.clone())
        .collect();
    vec![
        names.join(lang.list_separator()),
        h.address.unit.clone(),
        h.address.room.clone(),
        phones.join(lang.list_separator()),
    ]
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
        let row = visit_row(&v, Some(&h), &Names::default(), Lang::Zh);
        assert_eq!(row.len(), VISITS.headers.len());
        assert_eq!(row[1], household_code(h.id));
        assert_eq!((row[2].as_str(), row[3].as_str()), ("幸福社区", "1幢"));
        assert_eq!(row[6], "聊天陪伴");
        let all = row.join("|");
        for secret in ["王奶奶", "502室", "13800000000"] {
            assert!(!all.contains(secret));
        }
        assert_eq!(
            visit_row(&v, Some(&h), &Names::default(), Lang::En)[6],
            "Companionship chat"
        );
        let hrow = household_row(&h, Lang::Zh);
        assert_eq!(hrow.len(), HOUSEHOLDS.headers.len());
        assert_eq!(hrow[0], household_code(h.id));
        assert_eq!(hrow[9], h.assigned_to);
        assert!(!hrow.join("|").contains("王奶奶") && !hrow.join("|").contains("502室"));
    }

    #[test]
    fn every_table_has_a_width_per_column_and_marks_real_columns() {
        for t in [VISITS, EVENTS, HOUSEHOLDS] {
            assert_eq!(t.widths.len(), t.headers.len());
            let n = t.headers.len();
            assert!(t.day_columns.iter().chain(t.number_columns).all(|c| *c < n));
        }
    }
}
