//! A visit to a household. The walking skeleton keeps only the address and a short note;
//! the full visit (services, needs, follow-ups) extends this type.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Text};
use crate::{RecordId, UnixMillis};

pub const ADDRESS_MAX_CHARS: usize = 120;
pub const NOTE_MAX_CHARS: usize = 1000;

/// What the volunteer typed, before validation. Kept as typed so a rejected form loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitDraft {
    pub address: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: RecordId,
    pub address: String,
    pub note: String,
    pub created_at: UnixMillis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitField {
    Address,
    Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong { max: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: VisitField,
    pub problem: Problem,
}

impl FieldError {
    pub fn message(&self, lang: Lang) -> String {
        match (self.field, self.problem) {
            (VisitField::Address, Problem::Required) => {
                Text::new("请填写住户地址", "Enter the household's address")
                    .get(lang)
                    .to_owned()
            }
            (VisitField::Note, Problem::Required) => Text::new("请填写走访记录", "Enter a note")
                .get(lang)
                .to_owned(),
            (_, Problem::TooLong { max }) => match lang {
                Lang::Zh => format!("最多 {max} 个字"),
                Lang::En => format!("At most {max} characters"),
            },
        }
    }
}

impl VisitDraft {
    /// Validates the draft and builds the visit. All problems are reported at once, so the
    /// form can show each next to its field.
    pub fn validate(&self, id: RecordId, now: UnixMillis) -> Result<Visit, Vec<FieldError>> {
        let address = self.address.trim();
        let note = self.note.trim();
        let mut errors = Vec::new();
        check(
            &mut errors,
            VisitField::Address,
            address,
            true,
            ADDRESS_MAX_CHARS,
        );
        check(&mut errors, VisitField::Note, note, false, NOTE_MAX_CHARS);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Visit {
            id,
            address: address.to_owned(),
            note: note.to_owned(),
            created_at: now,
        })
    }
}

fn check(errors: &mut Vec<FieldError>, field: VisitField, v: &str, required: bool, max: usize) {
    let problem = if required && v.is_empty() {
        Some(Problem::Required)
    } else if v.chars().count() > max {
        Some(Problem::TooLong { max })
    } else {
        None
    };
    if let Some(problem) = problem {
        errors.push(FieldError { field, problem });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id() -> RecordId {
        RecordId::mint(UnixMillis(1_700_000_000_000), [7; 10])
    }

    #[test]
    fn trims_and_accepts() {
        let draft = VisitDraft {
            address: "  幸福社区 3幢2单元401室 ".into(),
            note: " 聊天陪伴,送米一袋 ".into(),
        };
        let v = draft.validate(id(), UnixMillis(5)).unwrap();
        assert_eq!(v.address, "幸福社区 3幢2单元401室");
        assert_eq!(v.note, "聊天陪伴,送米一袋");
        assert_eq!(v.created_at, UnixMillis(5));
    }

    #[test]
    fn blank_address_is_required_and_note_optional() {
        let errs = VisitDraft {
            address: "  ".into(),
            note: String::new(),
        }
        .validate(id(), UnixMillis(0))
        .unwrap_err();
        assert_eq!(
            errs,
            vec![FieldError {
                field: VisitField::Address,
                problem: Problem::Required
            }]
        );
        assert_eq!(errs[0].message(Lang::Zh), "请填写住户地址");
        assert_eq!(errs[0].message(Lang::En), "Enter the household's address");
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let at_limit = "住".repeat(ADDRESS_MAX_CHARS);
        let ok = VisitDraft {
            address: at_limit.clone(),
            note: String::new(),
        };
        assert!(ok.validate(id(), UnixMillis(0)).is_ok());
        let over = VisitDraft {
            address: at_limit + "户",
            note: "记".repeat(NOTE_MAX_CHARS + 1),
        };
        let errs = over.validate(id(), UnixMillis(0)).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(
            errs[1].message(Lang::Zh),
            format!("最多 {NOTE_MAX_CHARS} 个字")
        );
    }

    proptest! {
        #[test]
        fn valid_iff_rules_hold(address in ".{0,130}", note in ".{0,1010}") {
            let draft = VisitDraft { address: address.clone(), note: note.clone() };
            let a = address.trim().chars().count();
            let n = note.trim().chars().count();
            let expect_ok = a > 0 && a <= ADDRESS_MAX_CHARS && n <= NOTE_MAX_CHARS;
            prop_assert_eq!(draft.validate(id(), UnixMillis(0)).is_ok(), expect_ok);
        }

        #[test]
        fn visit_json_roundtrips(address in "\\PC{1,50}", note in "\\PC{0,200}") {
            let draft = VisitDraft { address, note };
            if let Ok(v) = draft.validate(id(), UnixMillis(42)) {
                let json = serde_json::to_string(&v).unwrap();
                prop_assert_eq!(serde_json::from_str::<Visit>(&json).unwrap(), v);
            }
        }
    }
}
