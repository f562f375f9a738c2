//! UI words in both languages, from the team glossary (`shared/glossary.md`), and the
//! language in use.

use doorstep_core::i18n::Text;
use doorstep_core::Lang;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use crate::local_store::LocalStore;

pub const APP_NAME: Text = Text::new("走访助手", "Doorstep");
pub const SWITCH_LANGUAGE: Text = Text::new("English", "中文");
pub const ONLINE: Text = Text::new("在线", "Online");
pub const OFFLINE: Text = Text::new("离线", "Offline");
pub const LOG_VISIT: Text = Text::new("记录走访", "Log a visit");
pub const ADDRESS: Text = Text::new("住户地址", "Household address");
pub const ADDRESS_HINT: Text =
    Text::new("社区、楼/幢、单元、室", "Community, building, unit, room");
pub const NOTE: Text = Text::new("走访记录", "Visit note");
pub const NOTE_HINT: Text = Text::new(
    "聊天陪伴、生活状况、困难与需求……",
    "Companionship chat, living conditions, difficulties and needs…",
);
pub const SAVE: Text = Text::new("保存", "Save");
pub const SAVED_ON_PHONE: Text = Text::new("已保存在本机", "Saved on this phone");
pub const SAVED_VISITS: Text = Text::new("已保存的走访", "Saved visits");
pub const NO_VISITS: Text = Text::new("还没有走访记录。", "No visits yet.");
pub const NEW_VERSION: Text = Text::new("有新版本可用。", "A new version is available.");
pub const RELOAD: Text = Text::new("重新加载", "Reload");
pub const ADD_TO_HOME: Text = Text::new("添加到主屏幕", "Add to home screen");
pub const STORAGE: Text = Text::new("本机存储", "Storage on this phone");
pub const PERSISTENT: Text = Text::new("已设为持久保存", "persistent");
pub const NOT_PERSISTENT: Text = Text::new(
    "未设为持久保存,浏览器可能在空间不足时清理",
    "not persistent: the browser may clear it when space runs low",
);
pub const COLON: Text = Text::new("：", ": ");
pub const USED: Text = Text::new("已用", "used");
pub const OF: Text = Text::new("共", "of");
pub const UNREADABLE: Text = Text::new(
    "条记录无法读取,已保留原样。",
    "records could not be read and were kept as they are.",
);

const LANG_KEY: &str = "doorstep/lang";

/// The language in use, shared through context.
#[derive(Clone, Copy)]
pub struct UiLang(pub RwSignal<Lang>);

/// A saved choice wins; otherwise English only when the browser asks for it.
pub fn initial_lang() -> Lang {
    let saved = LocalStore::open()
        .ok()
        .and_then(|_| LocalStorage::get::<String>(LANG_KEY).ok());
    Lang::from_tag(&saved.unwrap_or_else(crate::browser::browser_language))
}

pub fn remember_lang(lang: Lang) {
    if LocalStore::open().is_ok() {
        let _ = LocalStorage::set(LANG_KEY, lang.tag());
    }
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<UiLang>().0
}

/// A reactive text in the current language.
pub fn tr(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || text.get(lang.get())
}
