//! Small browser facts the app needs: the clock, randomness, the browser language.

use doorstep_core::{RecordId, UnixMillis};

pub fn now() -> UnixMillis {
    UnixMillis(js_sys::Date::now() as i64)
}

/// Bytes from the browser's CSPRNG (Math.random only where Web Crypto is missing).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut random = [0u8; N];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut random).is_ok());
    if !filled {
        random
            .iter_mut()
            .for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    }
    random
}

/// A fresh UUIDv7 from the clock and the browser's CSPRNG.
pub fn new_record_id() -> RecordId {
    RecordId::mint(now(), random_bytes())
}

pub fn browser_language() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default()
}

/// Local date and time, in the UI language's format.
pub fn format_time(t: UnixMillis, lang_tag: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.0 as f64));
    String::from(date.to_locale_string(lang_tag, &wasm_bindgen::JsValue::UNDEFINED))
}

/// The time of day alone when `t` is today (e.g. "14:05"), else the date and time.
pub fn format_clock(t: UnixMillis, lang_tag: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.0 as f64));
    let today = js_sys::Date::new_0();
    if date.to_date_string() == today.to_date_string() {
        // Hours and minutes: seconds only lengthen the header.
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
        let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
        String::from(date.to_locale_time_string_with_options(lang_tag, &options))
    } else {
        format_time(t, lang_tag)
    }
}

/// A User Timing mark (DevTools shows it; the benchmarks read it). Names only, no data.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// A User Timing measure from the mark `since` until now.
pub fn measure(name: &str, since: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark(name, since);
    }
}

/// Hands a blob to the browser as a download named `file_name`.
pub fn save_blob(blob: &web_sys::Blob, file_name: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return false;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    let Some(link) = link else {
        return false;
    };
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The download has started from the URL; free it once the click is handled.
    let later = url.clone();
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&later);
        },
        std::time::Duration::from_secs(10),
    );
    true
}

/// The minute of the phone's day now (its time zone): when a visit starts and ends.
pub fn minute_of_day() -> u32 {
    let d = js_sys::Date::new_0();
    d.get_hours() * 60 + d.get_minutes()
}
