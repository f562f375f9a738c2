//! UI words in both languages, from the team glossary (`shared/glossary.md`), and the
//! language in use.

use doorstep_core::i18n::Text;
use doorstep_core::Lang;
use leptos::prelude::*;

use crate::local_store::{phone_setting, set_phone_setting};

mod coordinator;
pub use coordinator::*;

pub const APP_NAME: Text = Text::new("走访助手", "Doorstep");
pub const SWITCH_LANGUAGE: Text = Text::new("English", "中文");
pub const ONLINE: Text = Text::new("在线", "Online");
pub const OFFLINE: Text = Text::new("离线", "Offline");
pub const ADDRESS: Text = Text::new("住户地址", "Household address");
pub const SAVED_ON_PHONE: Text = Text::new("已保存在本机", "Saved on this phone");
pub const SYNCED: Text = Text::new("已同步", "Synced");

/// "Synced (the server received it at …)".
pub fn received(lang: Lang, at: &str) -> String {
    match lang {
        Lang::Zh => format!("已同步（服务器 {at} 收到）"),
        Lang::En => format!("Synced (the server received it {at})"),
    }
}
pub const SAVED_VISITS: Text = Text::new("已保存的走访", "Saved visits");
pub const NO_VISITS: Text = Text::new("还没有走访记录。", "No visits yet.");
pub const NEW_VERSION: Text = Text::new("有新版本可用。", "A new version is available.");
pub const RELOAD: Text = Text::new("重新加载", "Reload");
pub const ADD_TO_HOME: Text = Text::new("添加到主屏幕", "Add to home screen");
pub const STORAGE: Text = Text::new("本机存储", "Storage on this phone");
pub const PERSISTENT: Text = Text::new("已设为持久保存", "persistent");
pub const NOT_PERSISTENT: Text = Text::new(
    "未设为持久保存，浏览器可能在空间不足时清理",
    "not persistent: the browser may clear it when space runs low",
);
/// The 80 % warning, shown on every screen.
pub fn storage_nearly_full(lang: Lang, percent: u64) -> String {
    match lang {
        Lang::Zh => format!(
            "存储空间即将用完：本机已用 {percent}%。请尽快联网同步；已保存的记录不会被删除。"
        ),
        Lang::En => format!(
            "Storage almost full: {percent} % used on this phone. Connect and sync soon; saved records are never deleted."
        ),
    }
}
pub const RECORDS: Text = Text::new("记录", "records");
pub const SIGN_IN: Text = Text::new("登录", "Sign in");
pub const SIGNING_IN: Text = Text::new("正在登录……", "Signing in…");
pub const SIGN_OUT: Text = Text::new("退出登录", "Sign out");
pub const USERNAME: Text = Text::new("用户名", "Username");
pub const PASSWORD: Text = Text::new("密码", "Password");
pub const DEVICE_NAME: Text = Text::new(
    "这台手机的名称（如：张三的手机）",
    "Name of this phone (e.g. Zhang San's phone)",
);
pub const SET_PIN: Text = Text::new("设置解锁密码", "Set a PIN");
pub const SETTING_PIN: Text = Text::new("正在设置……", "Setting the PIN…");
pub const PIN_WHY: Text = Text::new(
    "每次打开应用、或离开 5 分钟以上回来时，需要输入这个密码。手机丢了，别人也打不开。",
    "The app asks for it when it opens and after 5 minutes away, so a lost phone does not open for anyone else.",
);
pub const NEW_PIN: Text = Text::new("解锁密码（4–6 位数字）", "PIN (4–6 digits)");
pub const PIN_AGAIN: Text = Text::new("再输一次", "PIN again");
pub const LOCKED: Text = Text::new("应用已锁定", "The app is locked");
pub const PIN: Text = Text::new("解锁密码", "PIN");
pub const UNLOCK: Text = Text::new("解锁", "Unlock");
/// While the PIN's key is derived (600,000 rounds: up to a second or two on a slow phone).
pub const UNLOCKING: Text = Text::new("正在解锁……", "Unlocking…");
pub const REQUIRED: Text = Text::new("必填", "Required");
pub const KEEP_SIGNED_IN: Text = Text::new("不退出", "Stay signed in");
pub const DISCARD_AND_SIGN_OUT: Text = Text::new(
    "仍要退出，并删除未同步的记录",
    "Sign out anyway and delete the unsynced records",
);

/// Signing out with changes waiting to sync: the first step refuses and explains.
pub fn unsynced_warning(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("还有 {n} 条记录没有同步。退出登录会把它们从这台手机上删除。请先联网同步再退出。"),
        Lang::En => format!(
            "{n} changes have not been synced yet. Signing out deletes them from this phone: sync first, then sign out."
        ),
    }
}
pub const COLON: Text = Text::new("：", ": ");

/// "待同步（3）" in Chinese, "Waiting to sync (3)" in English.
pub fn counted(lang: Lang, label: &str, n: impl std::fmt::Display) -> String {
    match lang {
        Lang::Zh => format!("{label}（{n}）"),
        Lang::En => format!("{label} ({n})"),
    }
}

/// "待办跟进：1" in Chinese, "Follow-ups open: 1" in English.
pub fn label_value(lang: Lang, label: &str, value: impl std::fmt::Display) -> String {
    format!("{label}{}{value}", COLON.get(lang))
}
pub const USED: Text = Text::new("已用", "used");
pub const OF: Text = Text::new("共", "of");
pub const UNREADABLE: Text = Text::new(
    "条记录无法读取，已保留原样。",
    "records could not be read and were kept as they are.",
);

use doorstep_core::store::keys::LANG as LANG_KEY;

/// The language in use, shared through context.
#[derive(Clone, Copy)]
pub struct UiLang(pub RwSignal<Lang>);

/// A saved choice wins; otherwise English only when the browser asks for it.
pub fn initial_lang() -> Lang {
    // Stored as JSON (a quoted tag) by an earlier gloo-storage write: read either.
    let saved = phone_setting(LANG_KEY).map(|v| v.trim_matches('"').to_owned());
    Lang::from_tag(&saved.unwrap_or_else(crate::browser::browser_language))
}

pub fn remember_lang(lang: Lang) {
    set_phone_setting(LANG_KEY, lang.tag());
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<UiLang>().0
}

/// A reactive text in the current language.
pub fn tr(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || text.get(lang.get())
}

// Navigation and households (glossary: 住户 Household, 居民 Resident, 地址 Address).
pub const NAV_HOME: Text = Text::new("首页", "Home");
pub const NAV_HOUSEHOLDS: Text = Text::new("住户", "Households");
pub const HOUSEHOLDS: Text = Text::new("住户", "Households");

/// A volunteer's phone bounded to communities (`core::sync::scope`).
pub fn scope_note(lang: Lang, communities: &str) -> String {
    match lang {
        Lang::Zh => format!("这部手机只保存{communities}的住户和你添加的住户（由负责人设置）。"),
        Lang::En => format!(
            "This phone holds only the households of {communities} and those you added (set by a coordinator)."
        ),
    }
}
pub const SEARCH_HOUSEHOLDS: Text = Text::new(
    "搜索住户（地址或姓名）",
    "Search households (address or name)",
);
pub const ADD_HOUSEHOLD: Text = Text::new("添加住户", "Add household");
pub const EDIT_HOUSEHOLD: Text = Text::new("编辑住户", "Edit household");
pub const NO_HOUSEHOLDS: Text = Text::new("还没有住户。", "No households yet.");
pub const NO_MATCH: Text = Text::new("没有找到匹配的住户。", "No household matches.");
pub const SHOW_MORE: Text = Text::new("显示更多", "Show more");
pub const COMMUNITY: Text = Text::new("社区", "Community");
pub const BUILDING: Text = Text::new("楼/幢", "Building");
pub const UNIT: Text = Text::new("单元", "Unit");
pub const ROOM: Text = Text::new("室", "Room");
pub const ADDRESS_DETAIL: Text = Text::new("其他地址信息", "Other address details");
pub const RESIDENTS: Text = Text::new("居民", "Residents");
pub const RESIDENT_NAME: Text = Text::new("姓名或称呼", "Name, or how they like to be called");
pub const AGE_BAND: Text = Text::new("年龄段", "Age band");
pub const NOT_SAID: Text = Text::new("未填写", "Not given");
pub const LIVES_ALONE: Text = Text::new("独居", "Lives alone");
pub const LIMITED_MOBILITY: Text = Text::new("行动不便", "Limited mobility");
pub const PHONE: Text = Text::new("电话（可不填）", "Phone (optional)");
pub const ADD_RESIDENT: Text = Text::new("添加居民", "Add resident");
pub const REMOVE_RESIDENT: Text = Text::new("移除此居民", "Remove this resident");
pub const NEEDS: Text = Text::new("困难与需求", "Difficulties and needs");
pub const NOTES: Text = Text::new("备注", "Notes");
pub const CADENCE: Text = Text::new("走访频率", "How often to visit");
pub const BASIS: Text = Text::new("信息采集依据", "Basis for keeping this data");
pub const BASIS_NONE: Text = Text::new("尚未记录", "Not recorded yet");
pub const WITNESS: Text = Text::new("见证人", "Witness");
pub const RECORDED_ON: Text = Text::new("记录日期", "Recorded on");
pub const RECORDED_BY: Text = Text::new("记录人", "Recorded by");
pub const ARCHIVED: Text = Text::new("已归档（不再走访）", "Archived (no longer visited)");
pub const SAVE_HOUSEHOLD: Text = Text::new("保存住户", "Save household");
pub const FIX_ERRORS: Text = Text::new(
    "请先更正标出的内容。",
    "Please correct the marked fields first.",
);
pub const EDIT: Text = Text::new("编辑", "Edit");
pub const VISIT_HISTORY: Text = Text::new("走访记录", "Visit history");
pub const NO_VISIT_HISTORY: Text = Text::new("还没有走访。", "No visits yet.");
pub const OPEN_FOLLOW_UPS: Text = Text::new("后续跟进", "Follow-ups");
pub const NOT_FOUND: Text = Text::new("找不到这户。", "This household was not found.");
pub const WAITING_TO_SYNC: Text = Text::new("待同步", "Waiting to sync");
pub const SYNCING: Text = Text::new("同步中…", "Syncing…");
pub const ALL_SYNCED: Text = Text::new("已全部同步", "All synced");
pub const CONFLICTS_TITLE: Text = Text::new(
    "两台手机同时改了这些内容，请选定一个",
    "Changed on two phones at once: choose one",
);
pub const DEVICES: Text = Text::new("本队的手机", "The team's phones");
pub const DEVICES_HELP: Text = Text::new(
    "手机丢了：让它退出登录。它下次联网时会先把保存的记录发上来，再删除本队的数据。",
    "A phone was lost: sign it out. At its next contact it sends what it saved, then removes the team's data.",
);
pub const LOADING: Text = Text::new("正在读取…", "Loading…");
pub const LAST_SEEN: Text = Text::new("最近联网", "Last seen");
pub const REVOKE_DEVICE: Text = Text::new("让这台手机退出登录", "Sign this phone out");
pub const REVOKE_CONFIRM: Text = Text::new(
    "确定吗？这台手机将不能再读取本队的数据。",
    "Sure? This phone will no longer read the team's data.",
);
pub const CANCEL: Text = Text::new("取消", "Cancel");
pub const DEVICE_REVOKED: Text = Text::new("已退出登录", "Signed out");
pub const REFUSED_SHORT: Text = Text::new("未能同步", "Refused");
pub const SYNC_PROBLEMS: Text = Text::new("服务器拒绝的修改", "Changes the server refused");
pub const NO_SYNC_PROBLEMS: Text = Text::new("没有被拒绝的修改。", "No refused changes.");
pub const SEE_PROBLEMS: Text = Text::new("查看", "See them");
pub const RETRY: Text = Text::new("重试", "Retry");
pub const EXPORT: Text = Text::new("导出", "Export");
pub const USE_THIS: Text = Text::new("用这个", "Use this");
pub const SYNC_NOW: Text = Text::new("立即同步", "Sync now");
pub const SERVER_BUSY: Text = Text::new(
    "服务器正忙，稍后会自动重试。记录都保存在本机。",
    "The server is busy; sync will retry by itself. Every record is kept on this phone.",
);
pub const SYNC_FAILED: Text = Text::new(
    "同步没有成功，稍后会自动重试。记录都保存在本机。",
    "Sync did not succeed; it will retry by itself. Every record is kept on this phone.",
);
pub const UPDATE_APP: Text = Text::new(
    "服务器已更新，请更新应用后再同步。记录都保存在本机。",
    "The server was updated: update the app to sync. Every record is kept on this phone.",
);

/// "N changes the server refused" (kept on the phone).
pub fn refused(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("{n} 条修改被服务器拒绝，仍保存在本机。"),
        Lang::En => format!("The server refused {n} changes; they are kept on this phone."),
    }
}
pub const MAIN_NAV: Text = Text::new("主导航", "Main");

// Logging a visit (glossary: 走访 Visit, 后续跟进 Follow-up, 合作单位 Partner …).
pub use doorstep_core::services::words::*;
pub const LOG_A_VISIT: Text = Text::new("记录走访", "Log a visit");
pub const HOUSEHOLD: Text = Text::new("住户", "Household");
pub const FIND_HOUSEHOLD: Text = Text::new(
    "查找住户（地址或姓名）",
    "Find the household (address or name)",
);
pub const CHANGE_HOUSEHOLD: Text = Text::new("换一户", "Choose another household");
pub const VISIT_DAY: Text = Text::new("走访日期", "Date of the visit");
pub const VISIT_TIME: Text = Text::new("走访时间", "Time of the visit");
pub const VISIT_START: Text = Text::new("开始时间", "Started at");
pub const VISIT_END: Text = Text::new("结束时间（留空则为保存时）", "Ended at (empty: when saved)");
pub const VOLUNTEERS: Text = Text::new("志愿者", "Volunteers");
pub const SUB_DISTRICT: Text = Text::new("街道", "Sub-district");
pub const PEOPLE_PICKED: Text = Text::new("已选志愿者", "Volunteers chosen");
pub const FIND_PERSON: Text = Text::new(
    "添加志愿者（输入姓名中的字）",
    "Add a volunteer (type part of the name)",
);
pub const NO_UNITS_YET: Text = Text::new(
    "本队还没有合作单位。负责人可在“成员”页的“合作单位”中添加。",
    "The team has no partner units yet. The person in charge adds them under Members → Partner units.",
);

/// The button that takes a person off a visit or event.
pub fn remove_person(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("移除{name}"),
        Lang::En => format!("Remove {name}"),
    }
}

/// The button that adds someone not on the roster yet.
pub fn add_person(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("添加新成员“{name}”（待负责人核对）"),
        Lang::En => format!("Add “{name}” as a new member (to be checked)"),
    }
}

/// One person's hours at an event.
pub fn person_hours(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{name}的时长（小时，留空为全程）"),
        Lang::En => format!("Hours of {name} (empty: the whole event)"),
    }
}
pub const PARTNERS: Text = Text::new("合作单位", "Partners");
pub const SERVICES_DONE: Text = Text::new("服务内容", "What was done");
pub const ITEM: Text = Text::new("物品", "Item");
pub const QUANTITY: Text = Text::new("数量", "Quantity");
pub const QTY_UNIT: Text = Text::new("单位（袋、桶……）", "Unit (bag, bottle…)");
pub const ADD_ITEM: Text = Text::new("再加一种物品", "Add another item");
pub const SYSTOLIC: Text = Text::new("收缩压（mmHg）", "Systolic (mmHg)");
pub const DIASTOLIC: Text = Text::new("舒张压（mmHg）", "Diastolic (mmHg)");
pub const CONDITIONS: Text = Text::new("生活状况", "Living conditions");
pub const CONDITIONS_TEXT: Text = Text::new("看到的情况", "What you saw");
pub const NEEDS_TEXT: Text = Text::new("困难与需求说明", "Difficulties and needs, in words");
pub const RESIDENTS_WORDS: Text = Text::new("居民反馈", "Resident's words");
pub const FOLLOW_UP: Text = Text::new("后续跟进", "Follow-up");
pub const FOLLOW_UP_WHAT: Text = Text::new("要做什么", "What to do");
pub const FOLLOW_UP_DUE: Text = Text::new("跟进期限", "Due date");
pub const SAVE_VISIT: Text = Text::new("保存走访", "Save visit");
pub const LOG_ANOTHER: Text = Text::new(
    "再记录一次这户的走访",
    "Log another visit to this household",
);

// The due list (home).
pub const FESTIVAL: Text = Text::new("节日", "Festival");
pub const NO_FESTIVAL: Text = Text::new(
    "应用里的节日日期已用完，请更新应用。",
    "The app's festival dates have run out: please update the app.",
);
pub const ALL_GREETED: Text = Text::new("都已慰问。", "Every household has been greeted.");
pub const GREETING_ROUND: Text = Text::new("节日慰问名单", "Holiday-greeting round");
pub const DUE: Text = Text::new("需要走访", "Due");
pub const NOTHING_DUE: Text =
    Text::new("这周没有需要走访的住户。", "No household is due this week.");
pub const DUE_TODAY: Text = Text::new("今天", "Today");
pub const DELETE: Text = Text::new("删除", "Delete");
pub const DELETE_VISIT: Text = Text::new("删除这次走访", "Delete this visit");
pub const VISIT_DELETED: Text = Text::new("已删除一次走访。", "A visit was deleted.");
pub const DELETE_HOUSEHOLD: Text = Text::new("删除这户", "Delete this household");
pub const HOUSEHOLD_DELETED: Text = Text::new("已删除一户。", "A household was deleted.");
pub const DELETE_EVENT: Text = Text::new("删除这个活动", "Delete this event");
pub const EVENT_DELETED: Text = Text::new("已删除一个活动。", "An event was deleted.");
pub const UNDO: Text = Text::new("撤销", "Undo");

// Events (活动).
pub const NAV_EVENTS: Text = Text::new("活动", "Events");
pub const EVENTS: Text = Text::new("活动", "Events");
pub const ADD_EVENT: Text = Text::new("添加活动", "Add event");
pub const EDIT_EVENT: Text = Text::new("编辑活动", "Edit event");
pub const NO_EVENTS: Text = Text::new("还没有活动。", "No events yet.");
pub const EVENT_KIND: Text = Text::new("活动类型", "Kind of event");
pub const EVENT_TITLE: Text = Text::new("活动名称", "Title");
pub const EVENT_DAY: Text = Text::new("日期", "Date");
pub const START_TIME: Text = Text::new("开始时间（可不填）", "Start time (optional)");
pub const END_TIME: Text = Text::new("结束时间（可不填）", "End time (optional)");
pub const PLACE: Text = Text::new("地点", "Place");
pub const ATTENDANCE: Text = Text::new("参加人数", "Attendance");
pub const TALLIES: Text = Text::new("服务数量", "Services given");
pub const HAIRCUTS: Text = Text::new("理发（人次）", "Haircuts");
pub const BP_CHECKS: Text = Text::new("量血压（人次）", "Blood pressure checks");
pub const KNIVES_SHARPENED: Text = Text::new("磨刀（把）", "Knives sharpened");
pub const CONSULTATIONS: Text = Text::new("义诊（人次）", "Clinic consultations");
pub const LEAFLETS: Text = Text::new("发放宣传册（份）", "Leaflets handed out");
pub const BANNERS: Text = Text::new("悬挂横幅（条）", "Banners hung");
pub const SAVE_EVENT: Text = Text::new("保存活动", "Save event");
pub const DECREASE: Text = Text::new("减少", "Fewer");
pub const INCREASE: Text = Text::new("增加", "More");
pub const EDIT_VISIT: Text = Text::new("编辑走访", "Edit visit");
pub const EDIT_THIS_VISIT: Text = Text::new("编辑这次走访", "Edit this visit");

// First-run setup and joining by link (routes/join.rs).
pub const SETUP_TITLE: Text = Text::new("建立服务队", "Set up the team");
pub const SETUP_WHY: Text = Text::new(
    "这台服务器还没有服务队。填好下面几项，你就是服务队的管理员，之后可以在应用里邀请成员。",
    "This server has no team yet. Fill this in to become the team's admin; you then invite the others from the app.",
);
pub const TEAM_NAME: Text = Text::new(
    "服务队名称（如：邮政志愿服务队）",
    "Team name (e.g. Post office volunteers)",
);
pub const YOUR_NAME: Text = Text::new(
    "你的名字（大家看到的名字）",
    "Your name (as the others see it)",
);
pub const NEW_PASSWORD: Text = Text::new("密码（至少 8 位）", "Password (at least 8 characters)");
pub const PASSWORD_AGAIN: Text = Text::new("再输一次密码", "Password again");
pub const PASSWORDS_DIFFER: Text = Text::new("两次输入的密码不一样", "The two passwords differ");
pub const CREATE_TEAM: Text = Text::new("建立服务队并登录", "Set up and sign in");
pub const JOIN_TITLE: Text = Text::new("加入服务队", "Join the team");
pub const JOIN: Text = Text::new("加入并登录", "Join and sign in");
pub const RESET_TITLE: Text = Text::new("设置新密码", "Set a new password");
pub const RESET: Text = Text::new("设置新密码并登录", "Set the password and sign in");
pub const CHECKING_LINK: Text = Text::new("正在查看链接……", "Checking the link…");
pub const WORKING: Text = Text::new("正在提交……", "Sending…");
pub const GO_SIGN_IN: Text = Text::new("去登录", "Go to sign in");

/// "You are invited to join 邮政志愿服务队 as a volunteer."
pub fn invited_to(lang: Lang, team: &str, role: doorstep_core::account::Role) -> String {
    let role = role.label(lang);
    match lang {
        Lang::Zh => format!("邀请你以{role}身份加入「{team}」。请设置自己的用户名和密码。"),
        Lang::En => format!(
            "You are invited to join {team} (role: {role}). Choose your own username and password."
        ),
    }
}

/// "A new password for the account li.wei of 邮政志愿服务队."
pub fn reset_for(lang: Lang, team: &str, username: &str) -> String {
    match lang {
        Lang::Zh => format!("为「{team}」的账号 {username} 设置新密码。"),
        Lang::En => format!("A new password for the account {username} of {team}."),
    }
}

// The account menu and page (components/account_menu.rs, routes/account.rs).
pub const ACCOUNT: Text = Text::new("账户", "Account");
pub const MY_ACCOUNT: Text = Text::new("我的账户", "My account");
pub const CHANGE_PASSWORD: Text = Text::new("修改密码", "Change password");
pub const CURRENT_PASSWORD: Text = Text::new("当前密码", "Current password");
pub const NEW_PASSWORD_CHANGE: Text = Text::new(
    "新密码（至少 8 位）",
    "New password (at least 8 characters)",
);
pub const NEW_PASSWORD_AGAIN: Text = Text::new("再输一次新密码", "New password again");
pub const PASSWORD_CHANGED: Text = Text::new(
    "密码已修改。下次登录请用新密码。",
    "Password changed. Use the new one the next time you sign in.",
);
pub const WRONG_CURRENT_PASSWORD: Text =
    Text::new("当前密码不对。", "The current password is wrong.");
pub const SAVE_PASSWORD: Text = Text::new("保存新密码", "Save the new password");

// Where the app was opened (components/browser_hint.rs).
pub const WECHAT: Text = Text::new("微信", "WeChat");
pub const QQ: Text = Text::new("QQ", "QQ");
/// Inside WeChat's or QQ's built-in browser.
pub fn in_app_browser(lang: Lang, app: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "你正在{app}里打开走访助手。{app}自带的浏览器可能随时清除本机保存的记录，也不能把应用添加到主屏幕。请点右上角的「…」，选「在浏览器打开」，再在手机浏览器里登录。"
        ),
        Lang::En => format!(
            "You opened Doorstep inside {app}. {app}'s built-in browser may clear the records saved on this phone at any time, and cannot add the app to the home screen. Tap \"…\" at the top right, choose \"Open in browser\", and sign in there."
        ),
    }
}
pub const IOS_ADD_TO_HOME: Text = Text::new(
    "添加到主屏幕：点 Safari 底部的「分享」按钮（方框加向上的箭头），再选「添加到主屏幕」。以后从主屏幕打开，记录保存得更安全。",
    "Add to home screen: tap Safari's Share button (a square with an arrow up), then \"Add to Home Screen\". Opened from there, the records are kept more safely.",
);
pub const GOT_IT: Text = Text::new("知道了", "Got it");
