use leptos::prelude::*;

use crate::i18n::*;
use crate::pwa::StorageEstimate;

/// "12.3 MB" without float formatting (which costs kilobytes of WASM).
fn human_bytes(bytes: f64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut tenths = (bytes.max(0.0) as u64) * 10;
    let mut unit = 0;
    while tenths >= 10_240 && unit < UNITS.len() - 1 {
        tenths /= 1024;
        unit += 1;
    }
    if unit == 0 {
        format!("{} B", tenths / 10)
    } else {
        format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
    }
}

/// Whether storage is persistent and how much is used: volunteers must know their unsynced
/// visits are safe on the phone.
#[component]
pub fn StoragePanel(estimate: ReadSignal<StorageEstimate>) -> impl IntoView {
    let lang = use_lang();
    let records = crate::state::use_db().storage_use;
    let text = move || {
        let e = estimate.get();
        let l = lang.get();
        let mut parts = Vec::new();
        match e.persistent {
            Some(true) => parts.push(PERSISTENT.get(l).to_owned()),
            Some(false) => parts.push(NOT_PERSISTENT.get(l).to_owned()),
            None => {}
        }
        if let Some(u) = records.get() {
            parts.push(format!(
                "{} {} {}%",
                RECORDS.get(l),
                USED.get(l),
                u.percent()
            ));
        }
        if let (Some(used), Some(quota)) = (e.usage_bytes, e.quota_bytes) {
            parts.push(format!(
                "{} {} / {} {}",
                USED.get(l),
                human_bytes(used),
                OF.get(l),
                human_bytes(quota)
            ));
        }
        parts.join(" · ")
    };
    view! {
        <footer class="storage" aria-label=tr(STORAGE)>
            <span class="storage-title">{tr(STORAGE)} {move || COLON.get(lang.get())}</span>
            <span data-testid="storage-info">{text}</span>
        </footer>
    }
}
