//! The coded choices of the forms, with their words from shared/glossary.md.

use serde::{Deserialize, Serialize};

macro_rules! labelled {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $zh:literal, $en:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn label(self, lang: $crate::i18n::Lang) -> &'static str {
                match self { $($name::$variant => $crate::i18n::Text::new($zh, $en).get(lang),)* }
            }
        }
    };
}
pub(crate) use labelled;

labelled!(
    /// Age band of a resident: enough for planning, less identifying than a birth date.
    AgeBand {
        Under60 => "60岁以下", "Under 60";
        From60To69 => "60–69岁", "60–69";
        From70To79 => "70–79岁", "70–79";
        From80To89 => "80–89岁", "80–89";
        From90 => "90岁及以上", "90 and over";
    }
);

labelled!(
    /// How often the team means to visit a household.
    Cadence {
        Weekly => "每周", "Weekly";
        Fortnightly => "每两周", "Fortnightly";
        Monthly => "每月", "Monthly";
        FestivalsOnly => "仅节日慰问", "Festivals only";
    }
);

// Monthly unless the team says otherwise. (Not derived: the enum comes from `labelled!`.)
#[allow(clippy::derivable_impls)]
impl Default for Cadence {
    fn default() -> Self {
        Cadence::Monthly
    }
}

labelled!(
    /// Coded difficulties and needs (困难与需求).
    NeedCategory {
        Health => "健康", "Health";
        DailyLiving => "生活照料", "Daily care";
        Safety => "居家安全", "Home safety";
        Loneliness => "精神慰藉", "Emotional support";
        MoneyOrFraudRisk => "经济困难或防诈骗", "Money or fraud risk";
    }
);

labelled!(
    /// Who came along (合作单位).
    Partner {
        SubDistrictOffice => "街道", "Sub-district office";
        CommunityCommittee => "社区", "Community committee";
        PoliceStation => "派出所", "Police station";
        Clinic => "社区卫生服务中心", "Community health centre";
        Other => "其他", "Other";
    }
);

labelled!(
    /// Kinds of group activity (活动).
    EventKind {
        HealthLecture => "健康讲座", "Health lecture";
        Performance => "文艺汇演", "Performance";
        ParentChild => "亲子活动", "Parent-child activity";
        AntiFraud => "反诈宣传", "Anti-fraud outreach";
        ConvenienceDay => "便民服务", "Convenience service day";
        Other => "其他", "Other";
    }
);

labelled!(
    /// Living conditions as the volunteer saw them (生活状况).
    ConditionLevel {
        Good => "良好", "Good";
        NeedsAttention => "需关注", "Needs attention";
        Urgent => "紧急", "Urgent";
    }
);

labelled!(
    /// Festivals of the holiday-greeting round (dates in `festival`). The Double Ninth
    /// (重阳节) is also Seniors' Day.
    Festival {
        SpringFestival => "春节", "Spring Festival";
        DragonBoat => "端午节", "Dragon Boat Festival";
        MidAutumn => "中秋节", "Mid-Autumn Festival";
        DoubleNinth => "重阳节", "Double Ninth Festival";
    }
);

labelled!(
    /// A kind of service given at a visit or an event (the review's filter, the dashboard's
    /// chart). Words as in `services::words`.
    ServiceKind {
        Chat => "聊天陪伴", "Companionship chat";
        Cleaning => "打扫卫生", "Cleaning help";
        Greeting => "节日慰问", "Holiday greeting";
        Supplies => "送生活必需品", "Daily necessities delivered";
        BloodPressure => "量血压", "Blood pressure check";
        Haircut => "理发", "Haircut";
        Knives => "磨刀", "Knife sharpening";
        Clinic => "义诊", "Free clinic";
        AntiFraud => "反诈宣传", "Anti-fraud talk";
        Leaflet => "发放宣传册", "Leaflet handed out";
    }
);

labelled!(
    /// What a user may do: log visits (volunteer), run the team (coordinator), run the
    /// server's teams (admin).
    Role {
        Volunteer => "志愿者", "Volunteer";
        Coordinator => "负责人", "Coordinator";
        Admin => "管理员", "Admin";
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn glossary_terms() {
        assert_eq!(EventKind::AntiFraud.label(Lang::Zh), "反诈宣传");
        assert_eq!(
            EventKind::ConvenienceDay.label(Lang::En),
            "Convenience service day"
        );
        assert_eq!(Partner::PoliceStation.label(Lang::Zh), "派出所");
        assert_eq!(NeedCategory::Loneliness.label(Lang::Zh), "精神慰藉");
        assert_eq!(Cadence::default(), Cadence::Monthly);
        assert_eq!(
            serde_json::to_string(&NeedCategory::MoneyOrFraudRisk).unwrap(),
            "\"money_or_fraud_risk\""
        );
        assert_eq!(AgeBand::ALL.len(), 5);
    }
}
