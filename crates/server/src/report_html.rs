//! The monthly report as a printable HTML page: plain semantic HTML (headings, tables, lists,
//! quotes), no script and no inline style, so it prints from any browser and fits the CSP.

use std::fmt::Write;

use doorstep_core::hours;
use doorstep_core::i18n::{Lang, Text};
use doorstep_core::labels::EventKind;
use doorstep_core::services::words;
use doorstep_core::stats::{MonthlyReport, VisitLine};

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn row(out: &mut String, label: &str, n: u64) {
    let _ = write!(
        out,
        "<tr><th scope=\"row\">{}</th><td>{n}</td></tr>",
        esc(label)
    );
}

/// A titled table: a header row, then each row with its first cell as the row's header.
fn table<const N: usize>(
    out: &mut String,
    title: &str,
    columns: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
) {
    let _ = write!(out, "<h2>{}</h2><table><thead><tr>", esc(title));
    for c in columns {
        let _ = write!(out, "<th>{}</th>", esc(c));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let _ = match i {
                0 => write!(out, "<tr><th scope=\"row\">{}</th>", esc(cell)),
                _ => write!(out, "<td>{}</td>", esc(cell)),
            };
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

fn line(out: &mut String, l: &VisitLine, lang: Lang) {
    let mut parts = vec![format!(
        "{} {} {}{}",
        l.day,
        esc(&l.household),
        esc(&l.community),
        esc(&l.building)
    )];
    if let Some(c) = l.condition {
        parts.push(esc(c.label(lang)));
    }
    if !l.condition_text.is_empty() {
        parts.push(esc(&l.condition_text));
    }
    let needs: Vec<&str> = l.needs.iter().map(|n| n.label(lang)).collect();
    if !needs.is_empty() {
        parts.push(esc(&needs.join(lang.list_separator())));
    }
    if !l.needs_text.is_empty() {
        parts.push(esc(&l.needs_text));
    }
    let _ = write!(out, "<li>{}</li>", parts.join(" · "));
}

/// The page, in `lang`; `month` is "YYYY-MM".
pub fn render(r: &MonthlyReport, month: &str, lang: Lang) -> String {
    let t = &r.totals;
    let tr = |zh: &'static str, en: &'static str| Text::new(zh, en).get(lang);
    let mut out = String::new();
    let title = match lang {
        Lang::Zh => format!("{month} 走访服务月报"),
        Lang::En => format!("Monthly report {month}"),
    };
    let _ = write!(
        out,
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body><main><h1>{}</h1><p>{} {} – {}</p>",
        lang.tag(),
        esc(&title),
        esc(&title),
        tr("统计期间", "Period"),
        t.period.from,
        t.period.to
    );
    let _ = write!(out, "<h2>{}</h2><table><tbody>", tr("总数", "Totals"));
    row(
        &mut out,
        tr("走访户数", "Households visited"),
        t.households_visited,
    );
    row(
        &mut out,
        tr("其中独居", "of them living alone"),
        t.visited_living_alone,
    );
    row(
        &mut out,
        tr("其中行动不便", "of them with limited mobility"),
        t.visited_limited_mobility,
    );
    row(&mut out, tr("走访次数", "Visits"), t.visits);
    row(&mut out, tr("活动场次", "Events"), t.events);
    row(&mut out, tr("活动参加人次", "Attendance"), t.attendance);
    row(
        &mut out,
        tr("参与志愿者", "Volunteers active"),
        t.volunteers_active,
    );
    row(
        &mut out,
        tr(
            "需关注或紧急的走访",
            "Visits finding needs attention or urgent",
        ),
        t.visits_needing_attention,
    );
    row(
        &mut out,
        tr("未完成的跟进", "Follow-ups open"),
        t.follow_ups_open,
    );
    row(
        &mut out,
        tr("已逾期跟进", "Follow-ups overdue"),
        t.follow_ups_overdue,
    );
    out.push_str("</tbody></table>");

    let s = &t.services;
    let _ = write!(
        out,
        "<h2>{}</h2><table><tbody>",
        tr("服务项目", "Services given")
    );
    for (w, n) in [
        (words::CHAT, s.companionship_chat),
        (words::CLEANING, s.cleaning_help),
        (words::GREETING, s.holiday_greeting),
        (words::SUPPLIES, s.supplies_delivered),
        (words::BP_CHECK, s.bp_checks),
        (words::HAIRCUT, s.haircuts),
        (words::KNIVES, s.knives_sharpened),
        (words::CLINIC, s.clinic_consultations),
        (words::ANTI_FRAUD, s.anti_fraud_talks),
        (words::LEAFLET, s.leaflets),
    ] {
        row(&mut out, w.get(lang), n);
    }
    for sup in &t.supplies {
        row(
            &mut out,
            &format!("{} ({})", sup.item, sup.unit),
            sup.quantity,
        );
    }
    out.push_str("</tbody></table>");

    let _ = write!(
        out,
        "<h2>{}</h2><table><tbody>",
        tr("活动", "Events by kind")
    );
    for k in EventKind::ALL {
        row(
            &mut out,
            k.label(lang),
            t.events_by_kind.get(k).copied().unwrap_or(0),
        );
    }
    out.push_str("</tbody></table>");

    // Each partner's share, and the visits by community (and its sub-district).
    table(
        &mut out,
        tr("按合作单位", "By partner unit"),
        &[
            tr("合作单位", "Partner unit"),
            tr("走访次数", "Visits"),
            tr("走访户数", "Households"),
            tr("活动场次", "Events"),
        ],
        r.by_unit.iter().map(|u| {
            [
                u.name.clone(),
                u.visits.to_string(),
                u.households.to_string(),
                u.events.to_string(),
            ]
        }),
    );
    table(
        &mut out,
        tr("按社区", "By community"),
        &[
            tr("社区", "Community"),
            tr("街道", "Sub-district"),
            tr("走访次数", "Visits"),
            tr("走访户数", "Households"),
        ],
        r.by_community.iter().map(|c| {
            [
                c.community.clone(),
                c.sub_district.clone().unwrap_or_default(),
                c.visits.to_string(),
                c.households.to_string(),
            ]
        }),
    );

    let _ = write!(
        out,
        "<h2>{}</h2><ul>",
        tr("值得关注的走访", "Notable visits")
    );
    for l in &r.notable {
        line(&mut out, l, lang);
    }
    let _ = write!(
        out,
        "</ul><h2>{}</h2>",
        tr("居民的话", "In the residents' words")
    );
    for q in &r.quotes {
        let _ = write!(
            out,
            "<blockquote><p>{}</p><footer>{} {}</footer></blockquote>",
            esc(&q.residents_words),
            q.day,
            esc(&q.household)
        );
    }
    out.push_str("</main></body></html>");
    out
}

/// The printable 志愿服务记录: for each person, their hours over `from`–`to` and every
/// activity (date, start, end, hours, activity), as `doorstep_core::hours` counts them.
/// `rows` are each person's rows in [`hours::ROWS`] order.
pub fn service_records(
    people: &[(hours::PersonHours, Vec<Vec<String>>)],
    from: &str,
    to: &str,
    lang: Lang,
) -> String {
    let tr = |zh: &'static str, en: &'static str| Text::new(zh, en).get(lang);
    let title = tr("志愿服务记录", "Volunteer service record");
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main><h1>{title}</h1><p>{} {from} – {to}</p>",
        lang.tag(),
        tr("统计期间", "Period"),
    );
    for (p, rows) in people {
        let _ = write!(out, "<section><h2>{}", esc(&p.name));
        if p.party_member {
            let _ = write!(out, "（{}）", tr("党员", "Party member"));
        }
        let _ = write!(
            out,
            "</h2><p>{} {} · {} {} · {} {}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            tr("服务时长（小时）", "Hours"),
            esc(&p.hours),
            tr("走访", "Visits"),
            p.visits,
            tr("活动", "Events"),
            p.events,
            tr("日期", "Date"),
            tr("开始时间", "Start"),
            tr("结束时间", "End"),
            tr("服务时长（小时）", "Hours"),
            tr("活动名称", "Activity"),
        );
        for r in rows {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r[2]),
                esc(&r[3]),
                esc(&r[4]),
                esc(&r[5]),
                esc(&r[6])
            );
        }
        out.push_str("</tbody></table></section>");
    }
    out.push_str("</main></body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
