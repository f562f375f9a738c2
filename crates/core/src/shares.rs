//! Each partner's share of the work (what a sub-district office, a community or a police
//! station wants counted), and the numbers cut by 社区 and its 街道: for the dashboard and
//! the monthly report, counted once here for the app and the server.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::event::Event;
use crate::household::Household;
use crate::names::Names;
use crate::stats::Period;
use crate::units::{units_of, UnitKind};
use crate::visit::Visit;
use crate::{Lang, RecordId};

/// What one partner unit took part in over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitShare {
    pub unit: RecordId,
    pub name: String,
    pub kind: Option<UnitKind>,
    pub visits: u64,
    /// Households those visits reached.
    pub households: u64,
    pub events: u64,
}

/// One community's visits over a period, with its sub-district when the team's units say
/// which (a 社区 unit of that name under a 街道).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommunityShare {
    pub community: String,
    pub sub_district: Option<String>,
    pub visits: u64,
    pub households: u64,
}

/// The units named by the period's visits and events, most active first.
pub fn by_unit(
    period: Period,
    visits: &[Visit],
    events: &[Event],
    names: &Names,
    lang: Lang,
) -> Vec<UnitShare> {
    #[derive(Default)]
    struct Count {
        visits: u64,
        households: HashSet<RecordId>,
        events: u64,
    }
    let mut counts: HashMap<RecordId, Count> = HashMap::new();
    for v in visits.iter().filter(|v| period.contains(v.day)) {
        for u in units_of(&v.units, &v.partners) {
            let c = counts.entry(u).or_default();
            c.visits += 1;
            c.households.insert(v.household_id);
        }
    }
    for e in events.iter().filter(|e| period.contains(e.day)) {
        for u in units_of(&e.units, &e.partners) {
            let c = counts.entry(u).or_default();
            c.events += 1;
        }
    }
    let mut out: Vec<UnitShare> = counts
        .into_iter()
        .map(|(id, c)| UnitShare {
            unit: id,
            name: names.unit_name(id, lang),
            kind: names.unit(id).map(|u| u.kind),
            visits: c.visits,
            households: c.households.len() as u64,
            events: c.events,
        })
        .collect();
    out.sort_by(|a, b| {
        (b.visits + b.events, &a.name, a.unit).cmp(&(a.visits + a.events, &b.name, b.unit))
    });
    out
}

/// The period's visits by the community of the household visited, by name.
pub fn by_community(
    period: Period,
    households: &[Household],
    visits: &[Visit],
    names: &Names,
) -> Vec<CommunityShare> {
    let community: HashMap<RecordId, &str> = households
        .iter()
        .map(|h| (h.id, h.address.community.trim()))
        .collect();
    let mut counts: BTreeMap<&str, (u64, HashSet<RecordId>)> = BTreeMap::new();
    for v in visits.iter().filter(|v| period.contains(v.day)) {
        let Some(c) = community.get(&v.household_id) else {
            continue;
        };
        let e = counts.entry(c).or_default();
        e.0 += 1;
        e.1.insert(v.household_id);
    }
    counts
        .into_iter()
        .map(|(c, (visits, hs))| CommunityShare {
            community: c.to_owned(),
            sub_district: names.sub_district_of(c),
            visits,
            households: hs.len() as u64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Partner;
    use crate::roster::Roster;
    use crate::store::conformance::{full_visit, household};
    use crate::units::{legacy_unit, Unit};
    use crate::{Day, UnixMillis};

    fn unit(name: &str, kind: UnitKind, n: u8, parent: Option<RecordId>) -> Unit {
        Unit {
            id: RecordId::mint(UnixMillis(1), [n; 10]),
            name: name.into(),
            kind,
            parent,
            archived: false,
            created_at: UnixMillis(1),
            updated_at: UnixMillis(1),
            author: "t".into(),
            rev: 0,
        }
    }

    #[test]
    fn each_unit_counts_the_visits_and_events_that_named_it_old_way_or_new() {
        let mut police = legacy_unit(Partner::PoliceStation, UnixMillis(1), "t");
        police.name = "东亭派出所".into();
        let street = unit("鹅湖街道", UnitKind::SubDistrict, 1, None);
        let names = Names::new(Roster::default(), [police.clone(), street.clone()]);
        let month = Period::month_of(Day::parse("2026-11-15").unwrap());
        let (h1, h2) = (household(1), household(2));
        let mut old = full_visit(1, &h1, "");
        old.partners = vec![Partner::PoliceStation];
        let mut new = full_visit(2, &h2, "");
        new.units = vec![police.id, street.id];
        let mut again = full_visit(3, &h2, "");
        again.units = vec![police.id];
        let mut outside = full_visit(4, &h1, "");
        outside.units = vec![street.id];
        outside.day = Day::parse("2026-10-31").unwrap();
        let shares = by_unit(month, &[old, new, again, outside], &[], &names, Lang::Zh);
        let got: Vec<(&str, u64, u64)> = shares
            .iter()
            .map(|s| (s.name.as_str(), s.visits, s.households))
            .collect();
        assert_eq!(got, [("东亭派出所", 3, 2), ("鹅湖街道", 1, 1)]);
    }

    #[test]
    fn communities_carry_their_sub_district_when_the_units_say_it() {
        let street = unit("鹅湖街道", UnitKind::SubDistrict, 1, None);
        let dongting = unit("东亭社区", UnitKind::Community, 2, Some(street.id));
        let names = Names::new(Roster::default(), [street, dongting]);
        let month = Period::month_of(Day::parse("2026-11-15").unwrap());
        let mut h1 = household(1);
        h1.address.community = "东亭社区".into();
        let mut h2 = household(2);
        h2.address.community = "幸福社区".into();
        let visits = [
            full_visit(1, &h1, ""),
            full_visit(2, &h1, ""),
            full_visit(3, &h2, ""),
        ];
        let got = by_community(month, &[h1, h2], &visits, &names);
        assert_eq!(got.len(), 2);
        assert_eq!(
            (
                got[0].community.as_str(),
                got[0].sub_district.as_deref(),
                got[0].visits,
                got[0].households
            ),
            ("东亭社区", Some("鹅湖街道"), 2, 1)
        );
        assert_eq!(
            (got[1].community.as_str(), got[1].sub_district.as_deref()),
            ("幸福社区", None)
        );
    }
}
