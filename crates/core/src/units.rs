//! Partner units (合作单位): the named sub-district offices, communities, police stations,
//! health centres and firms a team works with. Visits and events name them by id; the
//! communities (kind 社区, each under its 街道) are also the address's pick-list.
//!
//! Records written before units name one of five fixed categories ([`Partner`]); each
//! category stands for one unit of its kind with a derived id ([`legacy_unit_id`]), the
//! same on the server and every phone, which a coordinator renames (e.g. 派出所 →
//! 东亭派出所).

use serde::{Deserialize, Serialize};

use crate::household::{Stamp, NAME_MAX};
use crate::labels::Partner;
use crate::validate::{Errors, FieldError, Problem};
use crate::{RecordId, UnixMillis};

crate::labels::labelled!(
    /// What a unit is.
    UnitKind {
        SubDistrict => "街道", "Sub-district office";
        Community => "社区", "Community";
        PoliceStation => "派出所", "Police station";
        HealthCentre => "社区卫生服务中心", "Community health centre";
        Enterprise => "企业", "Enterprise";
        Other => "其他", "Other";
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: RecordId,
    pub name: String,
    pub kind: UnitKind,
    /// A community's sub-district (a unit of kind 街道).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<RecordId>,
    /// No longer offered in forms; records that name it keep it.
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub archived: bool,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
    pub author: String,
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub rev: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDraft {
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<RecordId>,
    pub archived: bool,
}

impl UnitDraft {
    pub fn from_unit(u: &Unit) -> Self {
        UnitDraft {
            name: u.name.clone(),
            kind: u.kind,
            parent: u.parent,
            archived: u.archived,
        }
    }

    pub fn create(&self, id: RecordId, stamp: &Stamp) -> Result<Unit, Vec<FieldError>> {
        self.build(id, stamp.now, stamp.user.clone(), stamp.now)
    }

    pub fn update(&self, existing: &Unit, stamp: &Stamp) -> Result<Unit, Vec<FieldError>> {
        self.build(
            existing.id,
            existing.created_at,
            existing.author.clone(),
            stamp.now.max(existing.updated_at),
        )
        .map(|mut u| {
            u.rev = existing.rev;
            u
        })
    }

    fn build(
        &self,
        id: RecordId,
        created_at: UnixMillis,
        author: String,
        now: UnixMillis,
    ) -> Result<Unit, Vec<FieldError>> {
        let mut e = Errors::default();
        let name = e.text(
            "name",
            &crate::roster::normalize_name(&self.name),
            true,
            NAME_MAX,
        );
        if self.parent.is_some() && self.kind != UnitKind::Community || self.parent == Some(id) {
            // Only a community sits under a sub-district.
            e.push("parent", Problem::OutOfRange { min: 0, max: 0 });
        }
        e.finish(Unit {
            id,
            name,
            kind: self.kind,
            parent: self.parent,
            archived: self.archived,
            created_at,
            updated_at: now,
            author,
            rev: 0,
        })
    }
}

impl Unit {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if crate::roster::normalize_name(&self.name) != self.name {
            e.push("name", Problem::InvalidCharacter);
        }
        if let Err(errs) = UnitDraft::from_unit(self).build(
            self.id,
            self.created_at,
            self.author.clone(),
            self.updated_at,
        ) {
            e.0.extend(errs);
        }
        e.finish(())
    }
}

/// The kind an old partner category becomes.
pub fn kind_of_partner(p: Partner) -> UnitKind {
    match p {
        Partner::SubDistrictOffice => UnitKind::SubDistrict,
        Partner::CommunityCommittee => UnitKind::Community,
        Partner::PoliceStation => UnitKind::PoliceStation,
        Partner::Clinic => UnitKind::HealthCentre,
        Partner::Other => UnitKind::Other,
    }
}

/// The unit an old partner category stands for.
pub fn legacy_unit_id(p: Partner) -> RecordId {
    RecordId::derived("unit", kind_of_partner(p).label(crate::Lang::Zh))
}

/// The unit made for an old partner category: named as the category, to be renamed.
pub fn legacy_unit(p: Partner, at: UnixMillis, author: &str) -> Unit {
    let kind = kind_of_partner(p);
    Unit {
        id: legacy_unit_id(p),
        name: kind.label(crate::Lang::Zh).to_owned(),
        kind,
        parent: None,
        archived: false,
        created_at: at,
        updated_at: at,
        author: author.to_owned(),
        rev: 0,
    }
}

/// The units named by `ids` and by old categories, each once, in order of first mention.
pub fn units_of(ids: &[RecordId], partners: &[Partner]) -> Vec<RecordId> {
    let mut out: Vec<RecordId> = Vec::new();
    for id in ids
        .iter()
        .copied()
        .chain(partners.iter().map(|p| legacy_unit_id(*p)))
    {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp() -> Stamp {
        Stamp {
            now: UnixMillis(1_700_000_000_000),
            today: crate::Day::parse("2026-12-07").unwrap(),
            user: "coord".into(),
        }
    }

    #[test]
    fn each_old_category_is_one_unit_of_its_kind() {
        let mut seen = std::collections::HashSet::new();
        for p in Partner::ALL {
            let u = legacy_unit(*p, UnixMillis(1), "server");
            assert!(u.validate().is_ok());
            assert_eq!(u.id, legacy_unit_id(*p));
            assert!(seen.insert(u.id));
            assert_eq!(u.name, u.kind.label(crate::Lang::Zh));
        }
        let police = legacy_unit_id(Partner::PoliceStation);
        assert_eq!(
            units_of(&[police], &[Partner::PoliceStation, Partner::Clinic]),
            vec![police, legacy_unit_id(Partner::Clinic)]
        );
    }

    #[test]
    fn only_a_community_sits_under_a_sub_district() {
        let street = UnitDraft {
            name: "鹅湖街道".into(),
            kind: UnitKind::SubDistrict,
            parent: None,
            archived: false,
        }
        .create(RecordId::mint(UnixMillis(1), [1; 10]), &stamp())
        .unwrap();
        let community = UnitDraft {
            name: " 东亭社区".into(),
            kind: UnitKind::Community,
            parent: Some(street.id),
            archived: false,
        }
        .create(RecordId::mint(UnixMillis(1), [2; 10]), &stamp())
        .unwrap();
        assert_eq!(community.name, "东亭社区");
        let mut police = community.clone();
        police.kind = UnitKind::PoliceStation;
        assert!(police.validate().is_err());
    }
}
