//! A synced field's name and a value of it (given as JSON: what a sync conflict kept) in
//! words, for any record kind: what a coordinator reads to choose between two values.

use serde::de::DeserializeOwned;

use crate::event::Tallies;
use crate::household;
use crate::i18n::{Lang, Text};
use crate::labels::{ConditionLevel, EventKind, NeedCategory, Partner, ServiceKind};
use crate::services::Services;
use crate::store::RecordKind;
use crate::visit::{FollowUp, LivingConditions};

pub fn field_label(kind: RecordKind, name: &str, lang: Lang) -> &'static str {
    let text = match (kind, name) {
        (RecordKind::Household, _) => return household::field_label(name, lang),
        (_, "day") => Text::new("日期", "Date"),
        (_, "volunteers") => Text::new("志愿者", "Volunteers"),
        (_, "partners") => Text::new("合作单位", "Partners"),
        (_, "notes") => Text::new("备注", "Notes"),
        (RecordKind::Visit, "household_id") => Text::new("住户", "Household"),
        (RecordKind::Visit, "services") => Text::new("服务内容", "What was done"),
        (RecordKind::Visit, "conditions") => Text::new("生活状况", "Living conditions"),
        (RecordKind::Visit, "needs") => Text::new("困难与需求", "Difficulties and needs"),
        (RecordKind::Visit, "needs_text") => {
            Text::new("困难与需求说明", "Difficulties and needs, in words")
        }
        (RecordKind::Visit, "residents_words") => Text::new("居民反馈", "Resident's words"),
        (RecordKind::Visit, "follow_up") => Text::new("后续跟进", "Follow-up"),
        (RecordKind::Event, "kind") => Text::new("活动类型", "Kind of event"),
        (RecordKind::Event, "title") => Text::new("活动名称", "Title"),
        (RecordKind::Event, "start_time") => Text::new("开始时间", "Start time"),
        (RecordKind::Event, "place") => Text::new("地点", "Place"),
        (RecordKind::Event, "attendance") => Text::new("参加人数", "Attendance"),
        (RecordKind::Event, "tallies") => Text::new("服务数量", "Services given"),
        _ => Text::new("其他", "Other"),
    };
    text.get(lang)
}

fn parse<T: DeserializeOwned>(json: &str) -> Option<T> {
    serde_json::from_str(json).ok()
}

fn joined<T: Copy + DeserializeOwned>(
    json: &str,
    label: fn(T, Lang) -> &'static str,
    lang: Lang,
) -> Option<String> {
    parse::<Vec<T>>(json).map(|xs| {
        xs.into_iter()
            .map(|x| label(x, lang))
            .collect::<Vec<_>>()
            .join(lang.list_separator())
    })
}

pub fn describe_field(kind: RecordKind, name: &str, json: &str, lang: Lang) -> String {
    if kind == RecordKind::Household {
        return household::describe_field(name, json, lang);
    }
    let text = match name {
        "volunteers" => parse::<Vec<String>>(json).map(|v| crate::visit::join_names(&v, lang)),
        "partners" => joined::<Partner>(json, Partner::label, lang),
        "needs" => joined::<NeedCategory>(json, NeedCategory::label, lang),
        "services" => parse::<Services>(json).map(|s| s.summary(lang)),
        "conditions" => parse::<Option<LivingConditions>>(json).map(|c| {
            c.map(|c| format!("{} {}", ConditionLevel::label(c.level, lang), c.text))
                .unwrap_or_default()
        }),
        "follow_up" => parse::<Option<FollowUp>>(json).map(|f| {
            f.map(|f| format!("{} {}", f.what, f.due))
                .unwrap_or_default()
        }),
        "kind" => parse::<EventKind>(json).map(|k| k.label(lang).to_owned()),
        "tallies" => parse::<Tallies>(json).map(|t| {
            let banners = (Text::new("横幅", "Banners").get(lang), t.banners);
            ServiceKind::ALL
                .iter()
                .map(|&k| (k.label(lang), t.count(k)))
                .chain([banners])
                .filter(|(_, n)| *n > 0)
                .map(|(label, n)| format!("{label} {n}"))
                .collect::<Vec<_>>()
                .join(" · ")
        }),
        "attendance" => parse::<u32>(json).map(|n| n.to_string()),
        _ => parse::<String>(json),
    };
    match text {
        Some(t) if !t.trim().is_empty() => t,
        Some(_) => Text::new("（空）", "(empty)").get(lang).to_owned(),
        None if json == "null" => Text::new("（空）", "(empty)").get(lang).to_owned(),
        None => json.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::fields::field_names;

    #[test]
    fn every_synced_field_has_a_label() {
        for kind in RecordKind::ALL {
            for name in field_names(kind) {
                for lang in [Lang::Zh, Lang::En] {
                    assert_ne!(
                        field_label(kind, name, lang),
                        Text::new("其他", "Other").get(lang),
                        "{kind:?}.{name}"
                    );
                }
            }
        }
    }

    #[test]
    fn visit_values_read_as_words() {
        let v = RecordKind::Visit;
        assert_eq!(
            describe_field(v, "services", r#"{"companionship_chat":true}"#, Lang::Zh),
            "聊天陪伴"
        );
        assert_eq!(
            describe_field(
                v,
                "conditions",
                r#"{"level":"urgent","text":"漏水"}"#,
                Lang::En
            ),
            "Urgent 漏水"
        );
        assert_eq!(describe_field(v, "notes", "\"耳背\"", Lang::Zh), "耳背");
        assert_eq!(
            describe_field(
                RecordKind::Event,
                "tallies",
                r#"{"haircuts":12,"banners":2}"#,
                Lang::Zh
            ),
            "理发 12 · 横幅 2"
        );
        assert_eq!(describe_field(v, "follow_up", "null", Lang::Zh), "（空）");
        assert_eq!(
            describe_field(RecordKind::Event, "kind", "\"anti_fraud\"", Lang::Zh),
            "反诈宣传"
        );
    }
}
