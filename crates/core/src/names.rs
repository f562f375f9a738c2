//! Who and which partner units a record names, as screens and exports show them: roster
//! names after merges (a renamed person shows the new name everywhere) and unit names.
//! Records from before the roster show what was written until its person or unit reaches
//! this phone; an id not held yet shows as not synced, never as nothing.

use std::collections::HashMap;

use crate::i18n::Text;
use crate::labels::Partner;
use crate::roster::{legacy_person_id, Roster};
use crate::units::{legacy_unit_id, units_of, Unit};
use crate::{Lang, RecordId};

/// A person or unit this phone does not hold yet (it comes with the next pull).
pub const NOT_SYNCED: Text = Text::new("（未同步）", "(not synced yet)");

/// The roster and the team's units, for showing names.
#[derive(Debug, Clone, Default)]
pub struct Names {
    roster: Roster,
    units: HashMap<RecordId, Unit>,
}

impl Names {
    pub fn new(roster: Roster, units: impl IntoIterator<Item = Unit>) -> Self {
        Names {
            roster,
            units: units.into_iter().map(|u| (u.id, u)).collect(),
        }
    }

    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// The name of one person (after merges), falling back to an old free-text name that
    /// stands for them.
    pub fn person(&self, id: RecordId, old_names: &[String], lang: Lang) -> String {
        if let Some(n) = self.roster.name(id) {
            return n.to_owned();
        }
        old_names
            .iter()
            .find(|n| self.roster.resolve(legacy_person_id(n)) == id)
            .cloned()
            .unwrap_or_else(|| NOT_SYNCED.get(lang).to_owned())
    }

    /// The people a record names by id and by old free-text name, each once.
    pub fn people(&self, ids: &[RecordId], old_names: &[String], lang: Lang) -> Vec<String> {
        self.roster
            .people_of(ids, old_names)
            .into_iter()
            .map(|id| self.person(id, old_names, lang))
            .collect()
    }

    /// The units a record names by id and by old category, each once.
    pub fn units(&self, ids: &[RecordId], partners: &[Partner], lang: Lang) -> Vec<String> {
        units_of(ids, partners)
            .into_iter()
            .map(|id| self.unit_name(id, lang))
            .collect()
    }

    /// One unit's name: as held, else the old category its id stands for (a unit the
    /// server has not made or this phone not pulled yet).
    pub fn unit_name(&self, id: RecordId, lang: Lang) -> String {
        match self.units.get(&id) {
            Some(u) => u.name.clone(),
            None => Partner::ALL
                .iter()
                .find(|p| legacy_unit_id(**p) == id)
                .map(|p| p.label(lang).to_owned())
                .unwrap_or_else(|| NOT_SYNCED.get(lang).to_owned()),
        }
    }

    /// The sub-district of the community named `community` in an address: the 街道 of the
    /// team's 社区 unit of that name (archived or not), when it has one.
    pub fn sub_district_of(&self, community: &str) -> Option<String> {
        let c = community.trim();
        self.units
            .values()
            .filter(|u| u.kind == crate::units::UnitKind::Community && u.name == c)
            .find_map(|u| u.parent.and_then(|p| self.units.get(&p)))
            .map(|s| s.name.clone())
    }

    /// A unit by id, if held.
    pub fn unit(&self, id: RecordId) -> Option<&Unit> {
        self.units.get(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::people_for_names;
    use crate::UnixMillis;

    fn roster_of(names: &[&str]) -> Roster {
        Roster::new(people_for_names(
            names.iter().copied(),
            &Roster::default(),
            UnixMillis(1),
            "t",
        ))
    }

    #[test]
    fn a_renamed_person_shows_the_new_name_for_old_and_new_records() {
        let mut people = people_for_names(["张三"], &Roster::default(), UnixMillis(1), "t");
        people[0].name = "张三丰".into();
        let id = people[0].id;
        let names = Names::new(Roster::new(people), []);
        assert_eq!(names.people(&[], &["张三".into()], Lang::Zh), ["张三丰"]);
        assert_eq!(names.people(&[id], &[], Lang::Zh), ["张三丰"]);
        // Named both ways: once.
        assert_eq!(names.people(&[id], &["张三".into()], Lang::Zh), ["张三丰"]);
    }

    #[test]
    fn what_the_phone_does_not_hold_yet_still_shows() {
        let names = Names::new(roster_of(&["李四"]), []);
        assert_eq!(
            names.people(&[], &["王五".into(), "李四".into()], Lang::Zh),
            ["王五", "李四"]
        );
        let stranger = RecordId::derived("person", "nobody");
        assert_eq!(
            names.people(&[stranger], &[], Lang::En),
            ["(not synced yet)"]
        );
        assert_eq!(
            names.units(&[], &[Partner::PoliceStation], Lang::Zh),
            ["派出所"]
        );
    }

    #[test]
    fn a_renamed_old_category_shows_its_unit_name() {
        let mut u = crate::units::legacy_unit(Partner::PoliceStation, UnixMillis(1), "t");
        u.name = "东亭派出所".into();
        let id = u.id;
        let names = Names::new(Roster::default(), [u]);
        assert_eq!(
            names.units(&[id], &[Partner::PoliceStation], Lang::Zh),
            ["东亭派出所"]
        );
    }
}
