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
use crate::RecordId;

pub fn field_label(kind: RecordKind, name: &str, lang: Lang) -> &'static str {
    let text = match (kind, name) {
        (RecordKind::Household, _) => return household::field_label(name, lang),
        (RecordKind::Person, "name") => Text::new("姓名", "Name"),
        (RecordKind::Person, "party_member") => Text::new("党员", "Party member"),
        (RecordKind::Person, "unit") => Text::new("所在单位", "Unit"),
        (RecordKind::Person, "phone") => Text::new("手机号", "Phone"),
        (RecordKind::Person, "inactive") => Text::new("已停用", "Inactive"),
        (RecordKind::Person, "account") => Text::new("账号", "Account"),
        (RecordKind::Person, "to_check") => Text::new("待核对", "To check"),
        (RecordKind::Person, "merged_into") => Text::new("已合并到", "Merged into"),
        (RecordKind::Unit, "name") => Text::new("名称", "Name"),
        (RecordKind::Unit, "kind") => Text::new("类型", "Kind"),
        (RecordKind::Unit, "parent") => Text::new("所属街道", "Sub-district"),
        (RecordKind::Unit, "archived") => Text::new("已停用", "No longer used"),
        (_, "people") => Text::new("志愿者", "Volunteers"),
        (_, "units") => Text::new("合作单位", "Partner units"),
        (_, "start_time") => Text::new("开始时间", "Start time"),
        (_, "end_time") => Text::new("结束时间", "End time"),
        (RecordKind::Event, "hours") => Text::new("个人服务时长", "Own hours"),
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

/// A field's value in words. `names` gives the name of a roster person or a unit by id
/// (`None`: not on this phone).
pub fn describe_field(
    kind: RecordKind,
    name: &str,
    json: &str,
    lang: Lang,
    names: &dyn Fn(RecordId) -> Option<String>,
) -> String {
    if kind == RecordKind::Household {
        return household::describe_field(name, json, lang);
    }
    let named = |id: RecordId| {
        names(id).unwrap_or_else(|| Text::new("（未知）", "(unknown)").get(lang).to_owned())
    };
    let text = match name {
        "people" | "units" => parse::<Vec<RecordId>>(json).map(|ids| {
            ids.into_iter()
                .map(named)
                .collect::<Vec<_>>()
                .join(lang.list_separator())
        }),
        "unit" | "parent" | "merged_into" => {
            parse::<Option<RecordId>>(json).map(|id| id.map(named).unwrap_or_default())
        }
        "hours" => parse::<Vec<crate::event::PersonMinutes>>(json).map(|hs| {
            hs.into_iter()
                .map(|h| {
                    format!(
                        "{} {} h",
                        named(h.person),
                        crate::hours::as_hours(u64::from(h.minutes))
                    )
                })
                .collect::<Vec<_>>()
                .join(lang.list_separator())
        }),
        "party_member" | "inactive" | "to_check" | "archived" => parse::<bool>(json).map(|b| {
            if b {
                Text::new("是", "Yes")
            } else {
                Text::new("否", "No")
            }
            .get(lang)
            .to_owned()
        }),
        "kind" if kind == RecordKind::Unit => {
            parse::<crate::units::UnitKind>(json).map(|k| k.label(lang).to_owned())
        }
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

    fn none(_: RecordId) -> Option<String> {
        None
    }

    #[test]
    fn people_and_units_read_as_their_names() {
        let zhang = crate::roster::legacy_person_id("张三");
        let names = |id: RecordId| (id == zhang).then(|| "张三".to_owned());
        let json =
            serde_json::to_string(&vec![zhang, crate::roster::legacy_person_id("李四")]).unwrap();
        assert_eq!(
            describe_field(RecordKind::Visit, "people", &json, Lang::Zh, &names),
            "张三、（未知）"
        );
        let hours = format!(r#"[{{"person":"{zhang}","minutes":90}}]"#);
        assert_eq!(
            describe_field(RecordKind::Event, "hours", &hours, Lang::En, &names),
            "张三 1.5 h"
        );
        assert_eq!(
            describe_field(
                RecordKind::Unit,
                "kind",
                "\"police_station\"",
                Lang::Zh,
                &none
            ),
            "派出所"
        );
        assert_eq!(
            describe_field(RecordKind::Person, "party_member", "true", Lang::Zh, &none),
            "是"
        );
    }

    #[test]
    fn visit_values_read_as_words() {
        let v = RecordKind::Visit;
        assert_eq!(
            describe_field(
                v,
                "services",
                r#"{"companionship_chat":true}"#,
                Lang::Zh,
                &none
            ),
            "聊天陪伴"
        );
        assert_eq!(
            describe_field(
                v,
                "conditions",
                r#"{"level":"urgent","text":"漏水"}"#,
                Lang::En,
                &none
            ),
            "Urgent 漏水"
        );
        assert_eq!(
            describe_field(v, "notes", "\"耳背\"", Lang::Zh, &none),
            "耳背"
        );
        assert_eq!(
            describe_field(
                RecordKind::Event,
                "tallies",
                r#"{"haircuts":12,"banners":2}"#,
                Lang::Zh,
                &none
            ),
            "理发 12 · 横幅 2"
        );
        assert_eq!(
            describe_field(v, "follow_up", "null", Lang::Zh, &none),
            "（空）"
        );
        assert_eq!(
            describe_field(RecordKind::Event, "kind", "\"anti_fraud\"", Lang::Zh, &none),
            "反诈宣传"
        );
    }
}
