use leptos::ev;
use leptos::prelude::*;

/// Counts the times another tab of the app wrote `key` in localStorage (the browser sends the
/// `storage` event only to the other tabs), so this one can refresh what it shows.
pub fn use_written_elsewhere(key: &'static str) -> ReadSignal<u32> {
    let (writes, set_writes) = signal(0u32);
    let handle = window_event_listener(ev::storage, move |e| {
        if e.key().as_deref() == Some(key) {
            set_writes.update(|n| *n += 1);
        }
    });
    on_cleanup(move || handle.remove());
    writes
}
