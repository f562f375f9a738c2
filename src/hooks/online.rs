use leptos::ev;
use leptos::prelude::*;

/// Whether the browser thinks it is online now.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Whether the browser thinks it is online, updated by the `online`/`offline` events.
pub fn use_online() -> ReadSignal<bool> {
    let initial = is_online();
    let (online, set_online) = signal(initial);
    let on = window_event_listener(ev::online, move |_| set_online.set(true));
    let off = window_event_listener(ev::offline, move |_| set_online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    online
}
