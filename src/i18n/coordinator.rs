//! The coordinator's screens: dashboard (统计), review (审阅), exports (导出).

use doorstep_core::i18n::Text;
use doorstep_core::Lang;

pub const NAV_DASHBOARD: Text = Text::new("统计", "Dashboard");
pub const NAV_REVIEW: Text = Text::new("查看记录", "Review");
pub const COORDINATORS_ONLY: Text = Text::new(
    "这一页只给负责人使用。",
    "This page is for the people in charge.",
);
pub const DASHBOARD: Text = Text::new("服务队统计", "Team dashboard");
pub const PERIOD_FROM: Text = Text::new("开始日期", "From");
pub const PERIOD_TO: Text = Text::new("结束日期", "To");
pub const THIS_MONTH: Text = Text::new("本月", "This month");
pub const LAST_MONTH: Text = Text::new("上月", "Last month");
pub const BAD_PERIOD: Text = Text::new(
    "请填写开始和结束日期，开始不能晚于结束。",
    "Give a from and a to date, the from not after the to.",
);
pub const HOUSEHOLDS_VISITED: Text = Text::new("走访住户", "Households visited");
pub const OF_THEM_ALONE: Text = Text::new("其中独居", "of them living alone");
pub const OF_THEM_LIMITED: Text = Text::new("其中行动不便", "of them with limited mobility");
pub const VISITS_COUNT: Text = Text::new("走访次数", "Visits");
pub const EVENTS_COUNT: Text = Text::new("活动场次", "Events");
pub const VOLUNTEERS_ACTIVE: Text = Text::new("参与志愿者", "Volunteers active");
pub const NEEDING_ATTENTION: Text = Text::new("需关注或紧急", "Needs attention or urgent");
pub const FOLLOW_UPS_OPEN: Text = Text::new("未完成的跟进", "Follow-ups open");
pub const FOLLOW_UPS_OVERDUE: Text = Text::new("其中逾期", "of them overdue");
pub const EVENTS_BY_KIND: Text = Text::new("各类活动", "Events by kind");
pub const SUPPLIES_GIVEN: Text = Text::new("送出的生活必需品", "Daily necessities delivered");
pub const CHART_WEEKS: Text = Text::new("每周走访次数", "Visits per week");
pub const CHART_SERVICES: Text = Text::new("各项服务（人次）", "Services given, by kind");
pub const CHART_NOT_VISITED: Text = Text::new("多久没走访的住户", "Households not visited for");
pub const NONE_IN_PERIOD: Text = Text::new("这段时间没有记录。", "Nothing in this period.");

/// "Week from 11-02".
pub fn week_of(lang: Lang, monday: &str) -> String {
    match lang {
        Lang::Zh => format!("{monday} 起一周"),
        Lang::En => format!("Week from {monday}"),
    }
}

/// "30 days or more".
pub fn days_or_more(lang: Lang, days: u32) -> String {
    match lang {
        Lang::Zh => format!("{days} 天以上"),
        Lang::En => format!("{days} days or more"),
    }
}

/// Where the numbers come from: the records synced to this phone, as of the last sync.
pub fn data_as_of(lang: Lang, at: Option<&str>) -> String {
    match (lang, at) {
        (Lang::Zh, Some(at)) => format!("根据本机数据，最后同步于 {at}。"),
        (Lang::Zh, None) => "根据本机数据，尚未同步过。".to_owned(),
        (Lang::En, Some(at)) => format!("From the records on this phone, last synced {at}."),
        (Lang::En, None) => "From the records on this phone, not yet synced.".to_owned(),
    }
}

// Exports and the monthly report (from the server).
pub const EXPORTS: Text = Text::new("导出和报告", "Exports and report");
pub const EXPORTS_WHY: Text = Text::new(
    "导出所选时间段的记录。默认不含姓名、电话和门牌号（用住户编号代替）。",
    "Exports the records of the chosen period. Without names, phone numbers or rooms unless asked (a household code instead).",
);
pub const EXPORTS_OFFLINE: Text = Text::new(
    "导出和报告需要联网，由服务器生成。",
    "Exports and the report need a connection: the server makes them.",
);
pub const EXPORT_VISITS_XLSX: Text = Text::new("导出走访（Excel）", "Export visits (Excel)");
pub const EXPORT_VISITS_CSV: Text = Text::new("导出走访（CSV）", "Export visits (CSV)");
pub const EXPORT_EVENTS_XLSX: Text = Text::new("导出活动（Excel）", "Export events (Excel)");
pub const EXPORT_HOURS_XLSX: Text =
    Text::new("导出服务时长（Excel）", "Export service hours (Excel)");
pub const EXPORT_HOUSEHOLDS_XLSX: Text =
    Text::new("导出住户（Excel）", "Export households (Excel)");
pub const MONTHLY_REPORT: Text = Text::new("下载月度报告", "Download the monthly report");
pub const SERVICE_RECORDS: Text = Text::new(
    "下载志愿服务记录（可打印）",
    "Download the volunteer service records (printable)",
);
pub const MONTHLY_REPORT_HINT: Text = Text::new(
    "月度报告按开始日期所在的月份生成；志愿服务记录按所选时间段，每人一份。用浏览器打开即可打印或复制。",
    "The report is for the month of the from date; the service records are for the period, one per person. Open them in a browser to print or copy.",
);
pub const IDENTIFIED: Text = Text::new(
    "包含姓名、电话和门牌号",
    "Include names, phone numbers and rooms",
);
pub const IDENTIFIED_REASON: Text = Text::new(
    "原因（必填，会记录在审计日志中）",
    "Reason (required; kept in the audit log)",
);
pub const REASON_NEEDED: Text = Text::new(
    "请写明为什么需要姓名和电话（至少 2 个字）。",
    "Say why names and phone numbers are needed (2 characters or more).",
);
pub const DOWNLOADING: Text = Text::new("正在生成……", "Preparing…");
pub const DOWNLOADED: Text = Text::new("已下载：", "Downloaded: ");

// Review.
pub const REVIEW: Text = Text::new("查看记录", "Review records");
pub const FILTER_VOLUNTEER: Text = Text::new("志愿者姓名", "Volunteer's name");
pub const FILTER_HOUSEHOLD: Text =
    Text::new("住户（地址或居民姓名）", "Household (address or resident)");
pub const FILTER_SERVICE: Text = Text::new("服务内容", "Service");
pub const ANY: Text = Text::new("全部", "Any");
pub const FILTER_ATTENTION: Text = Text::new("只看需关注或紧急", "Only needs attention or urgent");
pub const FILTER_OPEN_FOLLOW_UPS: Text = Text::new(
    "只看有未完成跟进的（不限日期）",
    "Only with an open follow-up (any date)",
);

/// "12 visits, 3 events".
pub fn found(lang: Lang, visits: usize, events: usize) -> String {
    match lang {
        Lang::Zh => format!("找到 {visits} 次走访、{events} 场活动。"),
        Lang::En => format!("{visits} visits, {events} events."),
    }
}
pub const CONFLICTS_TO_SETTLE: Text = Text::new("待处理的同步冲突", "Sync conflicts to settle");
pub const SETTLE: Text = Text::new("去处理", "Settle");
pub const EDIT_INSTEAD: Text = Text::new("改成别的（编辑）", "Edit instead");
pub const VISIT_RECORD: Text = Text::new("走访记录", "Visit record");
pub const RECORD_NOT_FOUND: Text = Text::new("找不到这条记录。", "This record was not found.");
pub const VOLUNTEER_NAMES: Text = Text::new("志愿者", "Volunteers");
pub const MARK_DONE: Text = Text::new("已完成", "Done");
pub const ASSIGNED_TO: Text = Text::new("负责志愿者", "Assigned volunteer");
pub const UNASSIGNED: Text = Text::new("未分配", "Not assigned");

// The team's members (routes/members.rs).
pub const NAV_MEMBERS: Text = Text::new("成员", "Members");
pub const MEMBERS: Text = Text::new("服务队成员", "Team members");
pub const MEMBERS_HELP: Text = Text::new(
    "新成员用邀请加入；有人离开了就停用；忘了密码就生成重置链接。",
    "New members join by invite; disable someone who left; make a reset link for a forgotten password.",
);
pub const INVITE_TITLE: Text = Text::new("邀请新成员", "Invite a new member");
pub const INVITE_NAME: Text = Text::new("新成员的名字", "The new member's name");
pub const ROLE: Text = Text::new("角色", "Role");
pub const MAKE_INVITE: Text = Text::new("生成邀请", "Make an invite");
pub const INVITE_QR: Text = Text::new("邀请二维码", "Invite QR code");
pub const RESET_QR: Text = Text::new("重置密码二维码", "Password reset QR code");
pub const LINK: Text = Text::new("链接", "Link");
pub const COPY_LINK: Text = Text::new("复制链接", "Copy link");
pub const COPIED: Text = Text::new("已复制。", "Copied.");
pub const DONE: Text = Text::new("完成", "Done");
pub const DISABLE: Text = Text::new("停用", "Disable");
pub const ENABLE: Text = Text::new("启用", "Enable");
pub const DISABLED: Text = Text::new("已停用", "Disabled");
pub const DISABLE_CONFIRM: Text = Text::new(
    "确定停用吗？这个成员的手机会退出登录：下次联网时先把保存的记录发上来，再删除本队的数据。以后可以再启用。",
    "Sure? This member's phones are signed out: at their next contact they send what they saved, then remove the team's data. You can enable the member again later.",
);
pub const RESET_PASSWORD: Text = Text::new("重置密码", "Reset password");
pub const YOU: Text = Text::new("（你）", " (you)");
pub const NO_PHONE_YET: Text = Text::new("还没有登录过手机", "Not signed in on a phone yet");
pub const SEE_DEVICES: Text = Text::new("查看本队的手机", "See the team's phones");

/// "Ask 张三 to scan the code with their own phone, or open the link. It works once, until …"
pub fn link_ready(lang: Lang, reset: bool, name: &str, until: &str) -> String {
    match (lang, reset) {
        (Lang::Zh, false) => format!(
            "请{name}用自己的手机扫描二维码，或打开下面的链接，设置自己的用户名和密码。链接只能用一次，{until}前有效。"
        ),
        (Lang::Zh, true) => format!(
            "请{name}用自己的手机扫描二维码，或打开下面的链接，设置新密码。链接只能用一次，{until}前有效。"
        ),
        (Lang::En, false) => format!(
            "Ask {name} to scan the code with their own phone, or open the link below, and choose a username and password. The link works once, until {until}."
        ),
        (Lang::En, true) => format!(
            "Ask {name} to scan the code with their own phone, or open the link below, and set a new password. The link works once, until {until}."
        ),
    }
}

/// "2 phones".
pub fn phones(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Zh => format!("{n} 台手机在用"),
        Lang::En if n == 1 => "1 phone signed in".to_owned(),
        Lang::En => format!("{n} phones signed in"),
    }
}

/// A control's name with whom it acts on: "停用：张三".
pub fn for_member(lang: Lang, action: Text, name: &str) -> String {
    super::label_value(lang, action.get(lang), name)
}

// Which households a volunteer's phone holds (doorstep_core::sync::scope).
pub const COMMUNITIES: Text = Text::new("负责的社区", "Communities");
pub const ALL_HOUSEHOLDS: Text = Text::new("全部住户", "All households");
/// The community choice's title: "张三负责的社区".
pub fn communities_of(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("{name}负责的社区"),
        Lang::En => format!("{name}'s communities"),
    }
}
pub const SET_COMMUNITIES: Text = Text::new("设置社区", "Set communities");
pub const COMMUNITIES_HELP: Text = Text::new(
    "这个志愿者的手机只保存所选社区的住户（和自己添加的住户）及其走访；都不选就保存全部住户。下次同步时生效。",
    "This volunteer's phone holds only the households of the chosen communities (and those they added) with their visits; choose none for all households. It applies at their next sync.",
);
pub const SAVE_COMMUNITIES: Text = Text::new("保存社区", "Save communities");
pub const NO_COMMUNITIES_YET: Text = Text::new(
    "这部手机上还没有住户，无法选择社区。",
    "No households on this phone yet: there are no communities to choose.",
);

// Team settings: what phones keep (doorstep_core::sync::window).
pub const KEEP_TITLE: Text = Text::new("手机保留的记录", "What phones keep");
pub const KEEP_HELP: Text = Text::new(
    "志愿者的手机只保留最近这些天的走访和活动，以及每户最近一次走访、未完成的跟进和所有未同步的记录；更早的记录留在服务器上。",
    "Volunteers' phones keep only the visits and events of these last days, plus each household's latest visit, open follow-ups and everything not yet synced; older records stay on the server.",
);
pub const KEEP_DAYS: Text = Text::new("保留天数（30–3660）", "Days kept (30–3660)");
pub const SAVE_KEEP: Text = Text::new("保存设置", "Save the setting");
pub const KEEP_SAVED: Text = Text::new(
    "已保存。志愿者的手机在下次同步时按新设置保留记录。",
    "Saved. Volunteers' phones follow it at their next sync.",
);

pub const READING_FROM_SERVER: Text = Text::new(
    "这个时段较早，正在从服务器读取……",
    "This period is older: reading it from the server…",
);
pub const SERVER_READ_FAILED: Text = Text::new(
    "没能从服务器读取这个时段。",
    "Could not read this period from the server.",
);

/// The figures of a period older than the phone keeps, read from the server.
pub fn from_server(lang: Lang, kept_from: &str) -> String {
    match lang {
        Lang::Zh => format!("来自服务器：这部手机只保留 {kept_from} 起的记录。"),
        Lang::En => format!("From the server: this phone keeps records from {kept_from} on."),
    }
}

/// Offline, a period older than the phone keeps.
pub fn not_on_phone(lang: Lang, kept_from: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "这个时段不在这部手机上：手机只保留 {kept_from} 起的记录。联网后可从服务器查看。"
        ),
        Lang::En => format!(
            "This period is not on this phone: it keeps records from {kept_from} on. Connect to see it from the server."
        ),
    }
}

// The roster (src/routes/roster.rs).
pub const ROSTER: Text = Text::new("服务队成员名册", "Team roster");
pub const ADD_PERSON: Text = Text::new("添加成员", "Add a person");
pub const EDIT_PERSON: Text = Text::new("编辑成员", "Edit a person");
pub const NO_PEOPLE: Text = Text::new("名册里还没有人。", "Nobody on the roster yet.");
pub const PERSON_NAME: Text = Text::new("姓名", "Name");
pub const PERSON_PHONE: Text = Text::new(
    "手机号（仅负责人可见）",
    "Phone (seen by coordinators only)",
);
pub const PERSON_UNIT: Text = Text::new("所在单位", "Unit");
pub const PARTY_MEMBER: Text = Text::new("党员", "Party member");
pub const HAS_ACCOUNT: Text = Text::new("有账号", "Has an account");
pub const TO_CHECK: Text = Text::new("待核对", "To check");
pub const CHECKED_OK: Text = Text::new("已核对无误", "Checked");
pub const INACTIVE: Text = Text::new("已停用", "Inactive");
pub const SAVE_PERSON: Text = Text::new("保存成员", "Save");
pub const MERGE_TITLE: Text = Text::new("合并重复的成员", "Merge a duplicate");
pub const MERGE_HINT: Text = Text::new(
    "同一个人记成了两个名字（如“老张”和“张三”）时，把这个合并到另一个：以前的记录和服务时长都算到那个人名下。",
    "When one person was written two ways (e.g. Lao Zhang and Zhang San), merge this one into the other: earlier records and hours count for that person.",
);
pub const MERGE_INTO: Text = Text::new("合并到", "Merge into");
pub const MERGE: Text = Text::new("合并", "Merge");

// Partner units (src/routes/units.rs).
pub const UNITS: Text = Text::new("合作单位", "Partner units");
pub const ADD_UNIT: Text = Text::new("添加合作单位", "Add a partner unit");
pub const EDIT_UNIT: Text = Text::new("编辑合作单位", "Edit a partner unit");
pub const NO_UNITS: Text = Text::new("还没有合作单位。", "No partner units yet.");
pub const UNIT_NAME: Text = Text::new(
    "名称（如：东亭派出所）",
    "Name (e.g. Dongting Police Station)",
);
pub const UNIT_KIND: Text = Text::new("类型", "Kind");
pub const UNIT_PARENT: Text = Text::new("所属街道", "Sub-district");
pub const NO_LONGER_USED: Text = Text::new("已停用", "No longer used");
pub const SAVE_UNIT: Text = Text::new("保存合作单位", "Save");

// Service hours on the dashboard (src/routes/hours.rs).
pub const SERVICE_HOURS: Text = Text::new("服务时长", "Service hours");
pub const NO_HOURS: Text = Text::new("这段时间没有记录。", "Nothing recorded in this period.");
pub const HOURS_TOTAL: Text = Text::new("时长（小时）", "Hours");
pub const HOURS_ACTIVITIES: Text = Text::new("次数", "Activities");

// Shares on the dashboard (src/routes/shares.rs).
pub const BY_UNIT: Text = Text::new("按合作单位", "By partner unit");
pub const BY_COMMUNITY: Text = Text::new("按社区", "By community");
pub const SHARE_VISITS: Text = Text::new("走访", "Visits");
pub const SHARE_EVENTS: Text = Text::new("活动", "Events");
pub const COMMUNITY_AND_STREET: Text = Text::new("社区（街道）", "Community (sub-district)");
