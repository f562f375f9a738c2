//! What was done on a visit: the services, with quantities and blood pressure only where
//! they apply.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::validate::{Errors, FieldError, Problem};

/// The services' names (glossary), for the form's toggles and the visit summaries.
pub mod words {
    use crate::i18n::Text;

    pub const CHAT: Text = Text::new("聊天陪伴", "Companionship chat");
    pub const CLEANING: Text = Text::new("打扫卫生", "Cleaning help");
    pub const GREETING: Text = Text::new("节日慰问", "Holiday greeting");
    pub const SUPPLIES: Text = Text::new("送生活必需品", "Daily necessities delivered");
    pub const BP_CHECK: Text = Text::new("量血压", "Blood pressure check");
    pub const HAIRCUT: Text = Text::new("理发", "Haircut");
    pub const KNIVES: Text = Text::new("磨刀", "Knife sharpening");
    pub const CLINIC: Text = Text::new("义诊", "Free clinic");
    pub const ANTI_FRAUD: Text = Text::new("反诈宣传", "Anti-fraud talk");
    pub const LEAFLET: Text = Text::new("发放宣传册", "Leaflet handed out");
}

pub const SYSTOLIC: (i64, i64) = (60, 260);
pub const DIASTOLIC: (i64, i64) = (30, 160);
pub const ITEM_MAX: usize = 20;
/// Long enough for English units ("bottles", "cartons"), not only 袋 or 桶.
pub const UNIT_MAX: usize = 12;
/// Kinds of necessities delivered on one visit.
pub const SUPPLIES_MAX: usize = 20;
pub const QUANTITY_MAX: i64 = 10_000;

/// mmHg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BloodPressure {
    pub systolic: u16,
    pub diastolic: u16,
}

/// Daily necessities delivered: an item and how many (e.g. 大米 2 袋).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supply {
    pub item: String,
    pub quantity: u32,
    /// Free text: 袋, 桶, 箱 …
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Services {
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub companionship_chat: bool,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub cleaning_help: bool,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub holiday_greeting: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supplies: Vec<Supply>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blood_pressure: Option<BloodPressure>,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub haircut: bool,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub knife_sharpening: bool,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub free_clinic: bool,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub anti_fraud_talk: bool,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub leaflet_given: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupplyDraft {
    pub item: String,
    pub quantity: String,
    pub unit: String,
}

/// The services part of the visit form as typed: toggles, and text for the numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServicesDraft {
    pub companionship_chat: bool,
    pub cleaning_help: bool,
    pub holiday_greeting: bool,
    /// "Daily necessities delivered" is on.
    pub supplies_on: bool,
    pub supplies: Vec<SupplyDraft>,
    /// "Blood pressure check" is on.
    pub bp_on: bool,
    pub systolic: String,
    pub diastolic: String,
    pub haircut: bool,
    pub knife_sharpening: bool,
    pub free_clinic: bool,
    pub anti_fraud_talk: bool,
    pub leaflet_given: bool,
}

fn number(e: &mut Errors, field: &str, text: &str, (min, max): (i64, i64)) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        e.push(field, Problem::Required);
        return None;
    }
    match t.parse::<i64>() {
        Ok(n) if n >= min && n <= max => Some(n),
        _ => {
            e.push(field, Problem::OutOfRange { min, max });
            None
        }
    }
}

impl ServicesDraft {
    /// The form for editing `s`.
    pub fn from_services(s: &Services) -> Self {
        let bp = s.blood_pressure;
        ServicesDraft {
            companionship_chat: s.companionship_chat,
            cleaning_help: s.cleaning_help,
            holiday_greeting: s.holiday_greeting,
            supplies_on: !s.supplies.is_empty(),
            supplies: s
                .supplies
                .iter()
                .map(|x| SupplyDraft {
                    item: x.item.clone(),
                    quantity: x.quantity.to_string(),
                    unit: x.unit.clone(),
                })
                .collect(),
            bp_on: bp.is_some(),
            systolic: bp.map(|b| b.systolic.to_string()).unwrap_or_default(),
            diastolic: bp.map(|b| b.diastolic.to_string()).unwrap_or_default(),
            haircut: s.haircut,
            knife_sharpening: s.knife_sharpening,
            free_clinic: s.free_clinic,
            anti_fraud_talk: s.anti_fraud_talk,
            leaflet_given: s.leaflet_given,
        }
    }

    /// Validates into `errors` (fields `bp.systolic`, `bp.diastolic`, `supplies.N.item`,
    /// `supplies.N.quantity`, `supplies.N.unit`, `supplies`); what is switched off is dropped.
    pub fn validate_into(&self, e: &mut Errors) -> Services {
        let blood_pressure = if self.bp_on {
            self.blood_pressure(e)
        } else {
            None
        };
        let supplies = if self.supplies_on {
            self.supplies(e)
        } else {
            Vec::new()
        };
        Services {
            companionship_chat: self.companionship_chat,
            cleaning_help: self.cleaning_help,
            holiday_greeting: self.holiday_greeting,
            supplies,
            blood_pressure,
            haircut: self.haircut,
            knife_sharpening: self.knife_sharpening,
            free_clinic: self.free_clinic,
            anti_fraud_talk: self.anti_fraud_talk,
            leaflet_given: self.anti_fraud_talk && self.leaflet_given,
        }
    }

    pub fn validate(&self) -> Result<Services, Vec<FieldError>> {
        let mut e = Errors::default();
        let s = self.validate_into(&mut e);
        e.finish(s)
    }

    fn blood_pressure(&self, e: &mut Errors) -> Option<BloodPressure> {
        let sys = number(e, "bp.systolic", &self.systolic, SYSTOLIC);
        let dia = number(e, "bp.diastolic", &self.diastolic, DIASTOLIC);
        let (sys, dia) = (sys?, dia?);
        if sys <= dia {
            e.push(
                "bp.systolic",
                Problem::MustExceed {
                    other: "bp.diastolic",
                },
            );
            return None;
        }
        Some(BloodPressure {
            systolic: sys as u16,
            diastolic: dia as u16,
        })
    }

    fn supplies(&self, e: &mut Errors) -> Vec<Supply> {
        // Rows left completely empty are ignored, not errors.
        let rows: Vec<(usize, &SupplyDraft)> = self
            .supplies
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                !(s.item.trim().is_empty()
                    && s.quantity.trim().is_empty()
                    && s.unit.trim().is_empty())
            })
            .collect();
        if rows.is_empty() {
            e.push("supplies", Problem::NoneGiven);
        }
        e.count("supplies", rows.len(), SUPPLIES_MAX);
        rows.into_iter()
            .map(|(i, s)| Supply {
                item: e.text(&format!("supplies.{i}.item"), &s.item, true, ITEM_MAX),
                quantity: number(
                    e,
                    &format!("supplies.{i}.quantity"),
                    &s.quantity,
                    (1, QUANTITY_MAX),
                )
                .unwrap_or(0) as u32,
                unit: e.text(&format!("supplies.{i}.unit"), &s.unit, false, UNIT_MAX),
            })
            .collect()
    }
}

impl Services {
    /// Whether this visit gave `kind` (what the review filters on and the dashboard counts).
    pub fn gave(&self, kind: crate::labels::ServiceKind) -> bool {
        use crate::labels::ServiceKind as K;
        match kind {
            K::Chat => self.companionship_chat,
            K::Cleaning => self.cleaning_help,
            K::Greeting => self.holiday_greeting,
            K::Supplies => !self.supplies.is_empty(),
            K::BloodPressure => self.blood_pressure.is_some(),
            K::Haircut => self.haircut,
            K::Knives => self.knife_sharpening,
            K::Clinic => self.free_clinic,
            K::AntiFraud => self.anti_fraud_talk,
            K::Leaflet => self.leaflet_given,
        }
    }

    /// One line for lists: "聊天陪伴 · 量血压 135/85 · 大米 2袋".
    pub fn summary(&self, lang: Lang) -> String {
        use words::*;
        let mut parts: Vec<String> = Vec::new();
        let mut flag = |on: bool, w: crate::i18n::Text| {
            if on {
                parts.push(w.get(lang).to_owned())
            }
        };
        flag(self.companionship_chat, CHAT);
        flag(self.cleaning_help, CLEANING);
        flag(self.holiday_greeting, GREETING);
        flag(self.haircut, HAIRCUT);
        flag(self.knife_sharpening, KNIVES);
        flag(self.free_clinic, CLINIC);
        flag(self.anti_fraud_talk, ANTI_FRAUD);
        if let Some(bp) = self.blood_pressure {
            parts.push(format!(
                "{} {}/{}",
                BP_CHECK.get(lang),
                bp.systolic,
                bp.diastolic
            ));
        }
        // "大米 2袋" in Chinese; "Rice 2 bags" in English.
        let gap = match lang {
            Lang::Zh => "",
            Lang::En => " ",
        };
        for s in &self.supplies {
            let unit = if s.unit.is_empty() { "" } else { gap };
            parts.push(format!("{} {}{unit}{}", s.item, s.quantity, s.unit));
        }
        parts.join(" · ")
    }

    /// Nothing was ticked.
    pub fn is_empty(&self) -> bool {
        self == &Services::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use proptest::prelude::*;

    fn fields(errs: &[FieldError]) -> Vec<&str> {
        errs.iter().map(|e| e.field.as_str()).collect()
    }

    fn bp(sys: &str, dia: &str) -> ServicesDraft {
        ServicesDraft {
            bp_on: true,
            systolic: sys.into(),
            diastolic: dia.into(),
            ..Default::default()
        }
    }

    #[test]
    fn blood_pressure_in_range_and_systolic_above_diastolic() {
        let s = bp("135", " 85 ").validate().unwrap();
        assert_eq!(
            s.blood_pressure,
            Some(BloodPressure {
                systolic: 135,
                diastolic: 85
            })
        );
        assert!(bp("60", "30").validate().is_ok());
        assert!(bp("260", "159").validate().is_ok());

        let errs = bp("59", "161").validate().unwrap_err();
        assert_eq!(fields(&errs), ["bp.systolic", "bp.diastolic"]);
        assert_eq!(errs[0].message(Lang::Zh), "应在 60 到 260 之间");
        assert_eq!(errs[1].message(Lang::En), "Must be between 30 and 160");

        let errs = bp("90", "90").validate().unwrap_err();
        assert_eq!(
            errs,
            vec![FieldError::new(
                "bp.systolic",
                Problem::MustExceed {
                    other: "bp.diastolic"
                }
            )]
        );
        assert_eq!(errs[0].message(Lang::Zh), "应大于舒张压");

        assert_eq!(
            fields(&bp("", "abc").validate().unwrap_err()),
            ["bp.systolic", "bp.diastolic"]
        );
    }

    #[test]
    fn summary_lists_what_was_done() {
        let mut d = bp("135", "85");
        d.companionship_chat = true;
        d.supplies_on = true;
        d.supplies = vec![SupplyDraft {
            item: "大米".into(),
            quantity: "2".into(),
            unit: "袋".into(),
        }];
        let s = d.validate().unwrap();
        assert_eq!(s.summary(Lang::Zh), "聊天陪伴 · 量血压 135/85 · 大米 2袋");
        assert_eq!(
            s.summary(Lang::En),
            "Companionship chat · Blood pressure check 135/85 · 大米 2 袋"
        );
    }

    #[test]
    fn english_units_fit_and_an_overlong_one_is_named() {
        let mut d = ServicesDraft {
            supplies_on: true,
            supplies: vec![SupplyDraft {
                item: "Cooking oil".into(),
                quantity: "1".into(),
                unit: "bottles".into(),
            }],
            ..ServicesDraft::default()
        };
        let s = d.validate().unwrap();
        assert_eq!(s.summary(Lang::En), "Cooking oil 1 bottles");
        d.supplies[0].unit = "x".repeat(UNIT_MAX + 1);
        let errs = d.validate().unwrap_err();
        assert_eq!(errs[0].field, "supplies.0.unit");
    }

    #[test]
    fn switched_off_inputs_are_dropped_not_validated() {
        let d = ServicesDraft {
            bp_on: false,
            systolic: "999".into(),
            leaflet_given: true,
            ..Default::default()
        };
        let s = d.validate().unwrap();
        assert_eq!(s.blood_pressure, None);
        assert!(!s.leaflet_given, "a leaflet belongs to the anti-fraud talk");
        assert!(s.is_empty());
    }

    #[test]
    fn supplies_need_an_item_and_a_positive_quantity() {
        let row = |item: &str, q: &str, unit: &str| SupplyDraft {
            item: item.into(),
            quantity: q.into(),
            unit: unit.into(),
        };
        let d = ServicesDraft {
            supplies_on: true,
            supplies: vec![
                row("大米", "2", "袋"),
                row("", "", ""),
                row("食用油", "1", "桶"),
            ],
            ..Default::default()
        };
        let s = d.validate().unwrap();
        assert_eq!(s.supplies.len(), 2);
        assert_eq!(
            s.supplies[1],
            Supply {
                item: "食用油".into(),
                quantity: 1,
                unit: "桶".into()
            }
        );

        let d = ServicesDraft {
            supplies_on: true,
            supplies: vec![row("", "0", "")],
            ..Default::default()
        };
        assert_eq!(
            fields(&d.validate().unwrap_err()),
            ["supplies.0.item", "supplies.0.quantity"]
        );
        let d = ServicesDraft {
            supplies_on: true,
            supplies: vec![],
            ..Default::default()
        };
        assert_eq!(fields(&d.validate().unwrap_err()), ["supplies"]);
    }

    proptest! {
        /// Accepted exactly when both numbers are in range and systolic > diastolic.
        #[test]
        fn bp_rule(sys in -10i64..400, dia in -10i64..300) {
            let ok = bp(&sys.to_string(), &dia.to_string()).validate().is_ok();
            let expected = (60..=260).contains(&sys) && (30..=160).contains(&dia) && sys > dia;
            prop_assert_eq!(ok, expected);
        }

        #[test]
        fn any_text_never_panics(sys in "\\PC{0,8}", dia in "\\PC{0,8}", q in "\\PC{0,8}") {
            let d = ServicesDraft {
                bp_on: true, systolic: sys, diastolic: dia, supplies_on: true,
                supplies: vec![SupplyDraft { item: "米".into(), quantity: q, unit: String::new() }],
                ..Default::default()
            };
            let _ = d.validate();
        }
    }
}
