//! The walking skeleton's quick visit: a household address and a short note. The app's
//! first screen saves these; the full visit form (`crate::visit`) replaces it.

use serde::{Deserialize, Serialize};

use crate::validate::{Errors, FieldError};
use crate::{RecordId, UnixMillis};

pub const ADDRESS_MAX_CHARS: usize = 120;
pub const NOTE_MAX_CHARS: usize = 1000;

/// What the volunteer typed, before validation. Kept as typed so a rejected form loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickVisitDraft {
    pub address: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickVisit {
    pub id: RecordId,
    pub address: String,
    pub note: String,
    pub created_at: UnixMillis,
}

impl QuickVisitDraft {
    /// Validates the draft and builds the visit. All problems are reported at once, so the
    /// form can show each next to its field.
    pub fn validate(&self, id: RecordId, now: UnixMillis) -> Result<QuickVisit, Vec<FieldError>> {
        let mut e = Errors::default();
        let address = e.text("address", &self.address, true, ADDRESS_MAX_CHARS);
        let note = e.text("note", &self.note, false, NOTE_MAX_CHARS);
        e.finish(QuickVisit {
            id,
            address,
            note,
            created_at: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Problem;
    use crate::Lang;
    use proptest::prelude::*;

    fn id() -> RecordId {
        RecordId::mint(UnixMillis(1_700_000_000_000), [7; 10])
    }

    #[test]
    fn trims_and_accepts() {
        let draft = QuickVisitDraft {
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
        let errs = QuickVisitDraft {
            address: "  ".into(),
            note: String::new(),
        }
        .validate(id(), UnixMillis(0))
        .unwrap_err();
        assert_eq!(errs, vec![FieldError::new("address", Problem::Required)]);
        assert_eq!(errs[0].message(Lang::Zh), "必填");
        assert_eq!(errs[0].message(Lang::En), "Required");
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let at_limit = "住".repeat(ADDRESS_MAX_CHARS);
        let ok = QuickVisitDraft {
            address: at_limit.clone(),
            note: String::new(),
        };
        assert!(ok.validate(id(), UnixMillis(0)).is_ok());
        let over = QuickVisitDraft {
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
            let draft = QuickVisitDraft { address: address.clone(), note: note.clone() };
            let a = address.trim().chars().count();
            let n = note.trim().chars().count();
            let expect_ok = a > 0 && a <= ADDRESS_MAX_CHARS && n <= NOTE_MAX_CHARS;
            prop_assert_eq!(draft.validate(id(), UnixMillis(0)).is_ok(), expect_ok);
        }

        #[test]
        fn visit_json_roundtrips(address in "\\PC{1,50}", note in "\\PC{0,200}") {
            let draft = QuickVisitDraft { address, note };
            if let Ok(v) = draft.validate(id(), UnixMillis(42)) {
                let json = serde_json::to_string(&v).unwrap();
                prop_assert_eq!(serde_json::from_str::<QuickVisit>(&json).unwrap(), v);
            }
        }
    }
}
