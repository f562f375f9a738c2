//! Which households a volunteer's phone holds: all of the team's (no scope), or those of the
//! communities a coordinator gave the volunteer and those the volunteer added; with them the
//! visits of those households and every event. A coordinator's phone has no scope.
//!
//! The rule is written once ([`Scope::holds`], [`in_scope`]): the server sends a phone only
//! what is in its scope and its digest covers only that; the phone prunes to it after a sync
//! (`window::prune`). A change not yet taken by the server, or a conflict to settle, is never
//! pruned, in scope or not.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::window::Facts;
use crate::household::ADDRESS_PART_MAX;
use crate::store::RecordKind;
use crate::validate::{FieldError, Problem};
use crate::RecordId;

/// Most communities one volunteer may be given (a sub-district has a few dozen).
pub const MAX_COMMUNITIES: usize = 50;

/// `PUT /api/v1/members/{id}/communities`: the communities whose households a volunteer's
/// phone holds; none means all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Communities {
    pub communities: Vec<String>,
}

impl Communities {
    /// Trimmed as a household's community is, without blanks or repeats, sorted; at most
    /// [`MAX_COMMUNITIES`], each at most [`ADDRESS_PART_MAX`] characters.
    pub fn parse(self) -> Result<Communities, FieldError> {
        let mut out: Vec<String> = Vec::new();
        for c in self.communities {
            let c = c.trim().to_owned();
            if c.chars().count() > ADDRESS_PART_MAX {
                return Err(FieldError::new(
                    "communities",
                    Problem::TooLong {
                        max: ADDRESS_PART_MAX,
                    },
                ));
            }
            if !c.is_empty() && !out.contains(&c) {
                out.push(c);
            }
        }
        if out.len() > MAX_COMMUNITIES {
            return Err(FieldError::new(
                "communities",
                Problem::OutOfRange {
                    min: 0,
                    max: MAX_COMMUNITIES as i64,
                },
            ));
        }
        out.sort();
        Ok(Communities { communities: out })
    }
}

/// A volunteer's scope as the server applied it to a pull: the households of these
/// communities (never empty) and those `author` added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub communities: Vec<String>,
    /// The volunteer's user id.
    pub author: String,
}

impl Scope {
    /// The scope of a member given these communities (`None`: all households).
    pub fn of(communities: Communities, author: &str) -> Option<Scope> {
        (!communities.communities.is_empty()).then(|| Scope {
            communities: communities.communities,
            author: author.to_owned(),
        })
    }

    /// Whether a household of this community, added by this user, is in scope.
    pub fn holds(&self, community: &str, author: &str) -> bool {
        author == self.author || self.communities.iter().any(|c| c == community)
    }
}

/// Whether a record is in scope, given the households in scope: a household if it is one of
/// them, a visit if its household is, an event always.
pub fn in_scope(f: &Facts, households: &HashSet<RecordId>) -> bool {
    match f.kind {
        RecordKind::Household => households.contains(&f.id),
        RecordKind::Visit => f.household.is_some_and(|h| households.contains(&h)),
        // The team's own lists: every phone holds them.
        RecordKind::Event | RecordKind::Person | RecordKind::Unit => true,
    }
}

impl super::merge::Doc {
    /// A household's community as shown (`None` for other records).
    pub fn community(&self) -> Option<&str> {
        self.fields
            .get("address")?
            .shown()
            .get("community")?
            .as_str()
    }
}

/// Whether a change moved a household to another community: its visits must then be listed
/// again for pull (they enter one scope and leave another with it).
pub fn moved(before: Option<&super::merge::Doc>, after: &super::merge::Doc) -> bool {
    after.kind == RecordKind::Household
        && before.is_some_and(|b| b.community() != after.community())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn communities_are_trimmed_once_each_sorted_and_bounded() {
        let c = |v: &[&str]| Communities {
            communities: v.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(
            c(&[" 和平社区 ", "光明社区", "和平社区", "  "]).parse(),
            Ok(c(&["光明社区", "和平社区"]))
        );
        let long = "社".repeat(ADDRESS_PART_MAX + 1);
        assert_eq!(c(&[&long]).parse().unwrap_err().field, "communities");
        let many: Vec<String> = (0..=MAX_COMMUNITIES).map(|n| format!("{n}社区")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(c(&many).parse().is_err());
        assert_eq!(Scope::of(c(&[]), "u-1"), None);
        let s = Scope::of(c(&["和平社区"]), "u-1").unwrap();
        assert!(s.holds("和平社区", "u-2") && s.holds("光明社区", "u-1"));
        assert!(!s.holds("光明社区", "u-2"));
    }
}
