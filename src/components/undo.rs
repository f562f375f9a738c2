use doorstep_core::i18n::Text;
use doorstep_core::store::{RecordKind, StoreError};
use doorstep_core::RecordId;
use leptos::prelude::*;

use crate::i18n::*;
use crate::state::use_db;

/// What was just deleted on this screen, for "Undo".
pub type JustDeleted = RwSignal<Option<(RecordKind, RecordId)>>;

/// "… was deleted. [Undo]" while `deleted` holds a record; undo restores it (a tombstone
/// removed, queued for sync like any change). A storage error goes to `error`.
#[component]
pub fn UndoBanner(
    deleted: JustDeleted,
    #[prop(into)] message: Signal<Text>,
    error: RwSignal<Option<StoreError>>,
) -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let undo = move |_| {
        if let Some((kind, id)) = deleted.get_untracked() {
            match db.restore(kind, id) {
                Ok(()) => deleted.set(None),
                Err(e) => error.set(Some(e)),
            }
        }
    };
    view! {
        <Show when=move || deleted.get().is_some()>
            <div class="banner" role="status">
                <span>{move || message.get().get(lang.get())}</span>
                <button type="button" on:click=undo>{tr(UNDO)}</button>
            </div>
        </Show>
    }
}

/// Deletes a record (tombstone) and offers undo through `deleted`.
pub fn delete_with_undo(
    kind: RecordKind,
    id: RecordId,
    deleted: JustDeleted,
    error: RwSignal<Option<StoreError>>,
) {
    match use_db().delete(kind, id) {
        Ok(()) => deleted.set(Some((kind, id))),
        Err(e) => error.set(Some(e)),
    }
}
