use doorstep_core::quick_visit::{QuickVisit, QuickVisitDraft};
use doorstep_core::store::{Collection, StoreError};
use doorstep_core::validate::FieldError;
use leptos::prelude::*;

use crate::browser::{new_record_id, now};
use crate::i18n::*;
use crate::local_store::LocalStore;
use crate::routes::home::VISITS;

fn save(visit: &QuickVisit) -> Result<(), StoreError> {
    let store = LocalStore::open()?;
    Collection::new(&store, VISITS).put(visit)
}

/// Log a visit. What was typed stays in the form until the visit is safely stored.
#[component]
pub fn VisitForm(
    startup_error: Option<StoreError>,
    #[prop(into)] on_saved: Callback<QuickVisit>,
) -> impl IntoView {
    let lang = use_lang();
    let address = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let save_error = RwSignal::new(startup_error);
    let saved = RwSignal::new(false);

    let error_for = move |field: &'static str| {
        move || {
            field_errors
                .get()
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message(lang.get()))
        }
    };
    let address_error = error_for("address");
    let note_error = error_for("note");

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let draft = QuickVisitDraft {
            address: address.get(),
            note: note.get(),
        };
        let visit = match draft.validate(new_record_id(), now()) {
            Ok(v) => v,
            Err(errors) => {
                field_errors.set(errors);
                return;
            }
        };
        field_errors.set(Vec::new());
        match save(&visit) {
            Ok(()) => {
                save_error.set(None);
                address.set(String::new());
                note.set(String::new());
                saved.set(true);
                on_saved.run(visit);
            }
            Err(e) => save_error.set(Some(e)),
        }
    };

    view! {
        <section class="card" aria-labelledby="log-visit-title">
            <h2 id="log-visit-title">{tr(LOG_VISIT)}</h2>
            <form on:submit=on_submit novalidate>
                <label for="visit-address">{tr(ADDRESS)}</label>
                <input id="visit-address" name="address" type="text" autocomplete="off"
                    placeholder=tr(ADDRESS_HINT)
                    aria-invalid=move || address_error().is_some().to_string()
                    aria-describedby="visit-address-error"
                    prop:value=move || address.get()
                    on:input=move |ev| address.set(event_target_value(&ev))/>
                <p id="visit-address-error" class="field-error">{address_error}</p>

                <label for="visit-note">{tr(NOTE)}</label>
                <textarea id="visit-note" name="note" rows="3"
                    placeholder=tr(NOTE_HINT)
                    aria-invalid=move || note_error().is_some().to_string()
                    aria-describedby="visit-note-error"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <p id="visit-note-error" class="field-error">{note_error}</p>

                <button type="submit" class="primary">{tr(SAVE)}</button>
                <p class="error" role="alert">
                    {move || save_error.get().map(|e| e.message(lang.get()))}
                </p>
                <p class="ok" role="status">
                    {move || saved.get().then(|| SAVED_ON_PHONE.get(lang.get()))}
                </p>
            </form>
        </section>
    }
}
