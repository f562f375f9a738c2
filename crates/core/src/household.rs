//! Households on the team's visit list: address, residents, needs, cadence, and the basis on
//! which the team keeps their data (see shared/privacy.md).

use serde::{Deserialize, Serialize};

use crate::day::Day;
use crate::i18n::{Lang, Text};
use crate::labels::{AgeBand, Cadence, NeedCategory};
use crate::validate::{Errors, FieldError, Problem};
use crate::{RecordId, UnixMillis};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Community / neighbourhood (社区).
    pub community: String,
    /// Building (楼/幢).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub building: String,
    /// Unit (单元).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Room (室).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub room: String,
    /// Anything else that finds the door.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl Address {
    /// One line, parts as typed, separated by spaces.
    pub fn one_line(&self) -> String {
        [
            &self.community,
            &self.building,
            &self.unit,
            &self.room,
            &self.detail,
        ]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    /// Name, or how the resident wishes to be called (e.g. 王奶奶).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    /// Sensitive: only with a recorded basis.
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub lives_alone: bool,
    /// Sensitive (health): only with a recorded basis.
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub limited_mobility: bool,
    /// Optional.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
}

// Externally tagged (serde's default): internally tagged enums buffer the input and cost
// kilobytes of WASM each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BasisKind {
    /// The resident signed.
    WrittenConsent,
    /// The resident agreed orally, in front of a witness.
    OralConsent { witness: String },
    /// The community's duty of care for the resident.
    DutyOfCare,
}

impl BasisKind {
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            BasisKind::WrittenConsent => Text::new("本人签字同意", "Written consent"),
            BasisKind::OralConsent { .. } => {
                Text::new("口头同意（有见证人）", "Oral consent with a witness")
            }
            BasisKind::DutyOfCare => Text::new(
                "社区履行法定职责（探访关爱）",
                "The community's legal duty (visiting and care)",
            ),
        }
        .get(lang)
    }
}

/// Why the team may keep this household's data: when, and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataBasis {
    pub kind: BasisKind,
    pub recorded_on: Day,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub id: RecordId,
    pub address: Address,
    pub residents: Vec<Resident>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<NeedCategory>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub cadence: Cadence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<DataBasis>,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub archived: bool,
    /// The volunteer who looks after this household, by name as the team writes it (the
    /// same names visits list); empty: nobody yet. Coordinators set it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub assigned_to: String,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
    /// User id of whoever created the record.
    pub author: String,
    /// The server's revision of this record as last pulled; 0 until then (see `sync`).
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub rev: u64,
}

/// The household form as typed. Dates are text until validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HouseholdDraft {
    pub address: Address,
    pub residents: Vec<Resident>,
    pub needs: Vec<NeedCategory>,
    pub notes: String,
    pub cadence: Cadence,
    /// None: no basis recorded.
    pub basis_kind: Option<BasisKind>,
    pub basis_recorded_on: String,
    pub basis_recorded_by: String,
    pub archived: bool,
    pub assigned_to: String,
}

pub const NAME_MAX: usize = 40;
pub const ADDRESS_PART_MAX: usize = 40;
pub const DETAIL_MAX: usize = 120;
pub const NOTES_MAX: usize = 500;
pub const PHONE_MAX: usize = 20;
/// Residents of one household: a family, not a building.
pub const RESIDENTS_MAX: usize = 20;

/// Who is saving, and when: the parts of a record the form does not supply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub now: UnixMillis,
    pub today: Day,
    pub user: String,
}

impl HouseholdDraft {
    pub fn from_household(h: &Household) -> Self {
        let (kind, on, by) = match &h.basis {
            Some(b) => (
                Some(b.kind.clone()),
                b.recorded_on.to_string(),
                b.recorded_by.clone(),
            ),
            None => (None, String::new(), String::new()),
        };
        HouseholdDraft {
            address: h.address.clone(),
            residents: h.residents.clone(),
            needs: h.needs.clone(),
            notes: h.notes.clone(),
            cadence: h.cadence,
            basis_kind: kind,
            basis_recorded_on: on,
            basis_recorded_by: by,
            archived: h.archived,
            assigned_to: h.assigned_to.clone(),
        }
    }

    /// A new household.
    pub fn create(&self, id: RecordId, stamp: &Stamp) -> Result<Household, Vec<FieldError>> {
        self.build(id, stamp.now, stamp.user.clone(), stamp)
    }

    /// An edit of `existing`: keeps its id, creation time and author.
    pub fn update(
        &self,
        existing: &Household,
        stamp: &Stamp,
    ) -> Result<Household, Vec<FieldError>> {
        self.build(
            existing.id,
            existing.created_at,
            existing.author.clone(),
            stamp,
        )
        .map(|mut h| {
            h.updated_at = stamp.now.max(existing.updated_at);
            h.rev = existing.rev;
            h
        })
    }

    fn build(
        &self,
        id: RecordId,
        created_at: UnixMillis,
        author: String,
        stamp: &Stamp,
    ) -> Result<Household, Vec<FieldError>> {
        let mut e = Errors::default();
        let a = &self.address;
        let address = Address {
            community: e.text("address.community", &a.community, true, ADDRESS_PART_MAX),
            building: e.text("address.building", &a.building, false, ADDRESS_PART_MAX),
            unit: e.text("address.unit", &a.unit, false, ADDRESS_PART_MAX),
            room: e.text("address.room", &a.room, false, ADDRESS_PART_MAX),
            detail: e.text("address.detail", &a.detail, false, DETAIL_MAX),
        };
        let basis = self.basis(&mut e, stamp.today);
        if self.residents.is_empty() {
            e.push("residents", Problem::NoneGiven);
        }
        e.count("residents", self.residents.len(), RESIDENTS_MAX);
        let residents = self
            .residents
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let phone = e.text(&format!("residents.{i}.phone"), &r.phone, false, PHONE_MAX);
                if !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " -+()".contains(c))
                {
                    e.push(format!("residents.{i}.phone"), Problem::NotAPhoneNumber);
                }
                if basis.is_none() && r.lives_alone {
                    e.push(format!("residents.{i}.lives_alone"), Problem::NeedsBasis);
                }
                if basis.is_none() && r.limited_mobility {
                    e.push(
                        format!("residents.{i}.limited_mobility"),
                        Problem::NeedsBasis,
                    );
                }
                Resident {
                    name: e.text(&format!("residents.{i}.name"), &r.name, true, NAME_MAX),
                    age_band: r.age_band,
                    lives_alone: r.lives_alone,
                    limited_mobility: r.limited_mobility,
                    phone,
                }
            })
            .collect();
        if basis.is_none() && self.needs.contains(&NeedCategory::Health) {
            e.push("needs", Problem::NeedsBasis);
        }
        let mut needs = self.needs.clone();
        needs.sort();
        needs.dedup();
        let notes = e.text("notes", &self.notes, false, NOTES_MAX);
        let assigned_to = e.text("assigned_to", &self.assigned_to, false, NAME_MAX);
        e.finish(Household {
            id,
            address,
            residents,
            needs,
            notes,
            cadence: self.cadence,
            basis,
            archived: self.archived,
            assigned_to,
            created_at,
            updated_at: stamp.now,
            author,
            rev: 0,
        })
    }

    fn basis(&self, e: &mut Errors, today: Day) -> Option<DataBasis> {
        let kind = self.basis_kind.clone()?;
        let kind = match kind {
            BasisKind::OralConsent { witness } => BasisKind::OralConsent {
                witness: e.text("basis.witness", &witness, true, NAME_MAX),
            },
            other => other,
        };
        let recorded_by = e.text("basis.recorded_by", &self.basis_recorded_by, true, NAME_MAX);
        let recorded_on = match Day::parse(&self.basis_recorded_on) {
            Ok(d) if d <= today => d,
            Ok(_) => {
                e.push("basis.recorded_on", Problem::InFuture);
                today
            }
            Err(_) => {
                e.push("basis.recorded_on", Problem::InvalidDate);
                today
            }
        };
        Some(DataBasis {
            kind,
            recorded_on,
            recorded_by,
        })
    }
}

impl Household {
    /// The form's rules applied to a stored or received record (the server checks what a
    /// phone sends with this): every problem the form would have shown.
    pub fn validate(&self, today: Day) -> Result<(), Vec<FieldError>> {
        let stamp = Stamp {
            now: self.updated_at,
            today,
            user: self.author.clone(),
        };
        HouseholdDraft::from_household(self)
            .build(self.id, self.created_at, self.author.clone(), &stamp)
            .map(|_| ())
    }

    /// Instant search: every whitespace-separated term of `query` occurs in the address or a
    /// resident's name (case-insensitive substring; no pinyin).
    pub fn matches(&self, query: &str) -> bool {
        let haystack = self.search_text();
        query
            .split_whitespace()
            .all(|term| haystack.contains(&term.to_lowercase()))
    }

    /// Chinese has no case; ASCII folding covers pinyin and English names without the
    /// Unicode case tables (kilobytes of WASM).
    fn search_text(&self) -> String {
        let mut s = self.address.one_line();
        for r in &self.residents {
            s.push(' ');
            s.push_str(&r.name);
        }
        // A coordinator finds the households of one volunteer (to reassign them) by name.
        s.push(' ');
        s.push_str(&self.assigned_to);
        s.make_ascii_lowercase();
        s
    }

    /// The household holds sensitive data (health, living alone).
    pub fn has_sensitive_data(&self) -> bool {
        self.needs.contains(&NeedCategory::Health)
            || self
                .residents
                .iter()
                .any(|r| r.lives_alone || r.limited_mobility)
    }
}

#[cfg(test)]
#[path = "household_tests.rs"]
mod tests;

/// A household field's value, given as JSON (a value a sync conflict kept), in words: what a
/// coordinator reads to choose between two values.
pub fn describe_field(name: &str, json: &str, lang: Lang) -> String {
    fn parse<T: serde::de::DeserializeOwned>(json: &str) -> Option<T> {
        serde_json::from_str(json).ok()
    }
    let none = || Text::new("（空）", "(empty)").get(lang).to_owned();
    let text = match name {
        "address" => parse::<Address>(json).map(|a| a.one_line()),
        "residents" => parse::<Vec<Resident>>(json).map(|rs| {
            rs.iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        }),
        "needs" => parse::<Vec<NeedCategory>>(json).map(|ns| {
            ns.iter()
                .map(|n| n.label(lang))
                .collect::<Vec<_>>()
                .join("、")
        }),
        "notes" | "assigned_to" => parse::<String>(json),
        "cadence" => parse::<Cadence>(json).map(|c| c.label(lang).to_owned()),
        "basis" => parse::<Option<DataBasis>>(json)
            .map(|b| b.map(|b| b.kind.label(lang).to_owned()).unwrap_or_default()),
        "archived" => parse::<bool>(json).map(|a| {
            if a {
                Text::new("已归档", "Archived")
            } else {
                Text::new("未归档", "Not archived")
            }
            .get(lang)
            .to_owned()
        }),
        _ => None,
    };
    match text {
        Some(t) if !t.is_empty() => t,
        Some(_) => none(),
        None if json == "null" => none(),
        None => json.to_owned(),
    }
}

/// A household field's name, as the form calls it.
pub fn field_label(name: &str, lang: Lang) -> &'static str {
    match name {
        "address" => Text::new("地址", "Address"),
        "residents" => Text::new("居民", "Residents"),
        "needs" => Text::new("困难和需求", "Difficulties and needs"),
        "notes" => Text::new("备注", "Notes"),
        "cadence" => Text::new("走访频率", "How often to visit"),
        "basis" => Text::new("信息采集依据", "Basis for keeping the data"),
        "archived" => Text::new("归档", "Archived"),
        "assigned_to" => Text::new("负责志愿者", "Assigned volunteer"),
        _ => Text::new("其他", "Other"),
    }
    .get(lang)
}
