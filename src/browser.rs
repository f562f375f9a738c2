//! Small browser facts the app needs: the clock, randomness, the browser language.

use doorstep_core::{RecordId, UnixMillis};

pub fn now() -> UnixMillis {
    UnixMillis(js_sys::Date::now() as i64)
}

/// A fresh UUIDv7 from the clock and the browser's CSPRNG.
pub fn new_record_id() -> RecordId {
    let mut random = [0u8; 10];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut random).is_ok());
    if !filled {
        // Only without Web Crypto; the timestamp still orders and mostly separates ids.
        random
            .iter_mut()
            .for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    }
    RecordId::mint(now(), random)
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
