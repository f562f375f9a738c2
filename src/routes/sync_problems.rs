//! Changes the server refused: kept on the phone, each with the reason, "retry" (queued again
//! as a whole record) and "export" (the record as a JSON file, to hand to a coordinator).

use doorstep_core::i18n::Text;
use doorstep_core::store::RecordKind;
use doorstep_core::sync::wire::RejectCode;
use leptos::prelude::*;

use crate::i18n::*;
use crate::sync::use_sync;

fn reason(code: RejectCode) -> Text {
    match code {
        RejectCode::Invalid => Text::new(
            "内容不符合要求（可能是旧版应用记录的）。",
            "The content is not valid (perhaps saved by an older app).",
        ),
        RejectCode::Forbidden => Text::new(
            "只有记录人或负责人可以修改这条记录。",
            "Only whoever logged it or a coordinator may change this record.",
        ),
        RejectCode::KindMismatch => Text::new(
            "编号与另一条记录冲突。",
            "Its id belongs to another record.",
        ),
        RejectCode::TooLarge => Text::new(
            "记录太大，服务器收不下。请缩短备注后重试，或导出交给负责人。",
            "Too large for the server. Shorten the notes and retry, or export it for a coordinator.",
        ),
    }
}

/// The server's own words, in the UI's language where it gave both ("中文 / English").
fn server_words(message: &str, lang: doorstep_core::Lang) -> String {
    match (message.split_once(" / "), lang) {
        (Some((zh, _)), doorstep_core::Lang::Zh) => zh.to_owned(),
        (Some((_, en)), doorstep_core::Lang::En) => en.to_owned(),
        (None, _) => message.to_owned(),
    }
}

/// A line that names the record: the address, the visit's day and household, the title.
fn summary(kind: RecordKind, json: &str, db: &crate::state::Db) -> String {
    use doorstep_core::event::Event;
    use doorstep_core::household::Household;
    use doorstep_core::visit::Visit;
    match kind {
        RecordKind::Household => serde_json::from_str::<Household>(json)
            .map(|h| h.address.one_line())
            .unwrap_or_default(),
        RecordKind::Visit => serde_json::from_str::<Visit>(json)
            .map(|v| {
                let at = db
                    .household(v.household_id)
                    .map(|h| h.address.one_line())
                    .unwrap_or_default();
                format!("{} {at}", v.day)
            })
            .unwrap_or_default(),
        RecordKind::Event => serde_json::from_str::<Event>(json)
            .map(|e| format!("{} {}", e.day, e.title))
            .unwrap_or_default(),
        RecordKind::Person => serde_json::from_str::<doorstep_core::roster::Person>(json)
            .map(|p| p.name)
            .unwrap_or_default(),
        RecordKind::Unit => serde_json::from_str::<doorstep_core::units::Unit>(json)
            .map(|u| u.name)
            .unwrap_or_default(),
    }
}

#[component]
pub fn SyncProblemsPage() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let db = crate::state::use_db();
    let items = RwSignal::new(db.refused());
    let retry = move |seq: u64| {
        db.retry_refused(seq);
        items.set(db.refused());
        sync.refused.set(items.with_untracked(Vec::len));
        sync.request();
    };
    view! {
        <section class="card" aria-labelledby="problems-title">
            <h2 id="problems-title">{tr(SYNC_PROBLEMS)}</h2>
            <Show when=move || items.with(Vec::is_empty)>
                <p class="muted">{tr(NO_SYNC_PROBLEMS)}</p>
            </Show>
            <ul class="rows" aria-labelledby="problems-title">
                {move || items.get().into_iter().map(|(q, record)| {
                    let seq = q.seq;
                    let kind = record.as_ref().map(|(k, _)| *k);
                    let named = record.as_ref().map(|(k, json)| summary(*k, json, &db)).unwrap_or_default();
                    let export = record.map(|(_, json)| {
                        let reason = serde_json::to_string(&q.reason).unwrap_or_default();
                        let body = format!(r#"{{"record":{json},"refused":{reason}}}"#);
                        format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(&body))
                    });
                    // The phone's own reason says it all already.
                    let message = (q.reason.code != RejectCode::TooLarge).then(|| q.reason.message.clone());
                    view! {
                        <li>
                            <span class="row-title">{move || kind.map(|k| k.label().get(lang.get()))}</span>
                            " " {named}
                            <div class="muted">{move || reason(q.reason.code).get(lang.get())}</div>
                            {message.map(|m| view! { <div class="muted">{move || server_words(&m, lang.get())}</div> })}
                            <div>
                                <button type="button" class="small" on:click=move |_| retry(seq)>{tr(RETRY)}</button>
                                " "
                                {export.map(|href| view! {
                                    <a class="button small" href=href download=format!("doorstep-refused-{seq}.json")>{tr(EXPORT)}</a>
                                })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
