//! For coordinators: the fields of a record (household, visit or event) that two phones
//! changed without seeing each other, every value side by side, "use this" to settle each
//! (the choice syncs to all), or "edit instead".

use doorstep_core::describe::{describe_field, field_label};
use doorstep_core::store::RecordKind;
use doorstep_core::RecordId;
use leptos::prelude::*;

use crate::i18n::*;
use crate::state::use_db;

#[component]
pub fn RecordConflicts(
    kind: RecordKind,
    id: RecordId,
    edit_href: String,
    /// After a value is chosen (a form showing the record reloads it).
    #[prop(optional)]
    on_settled: Option<Callback<()>>,
) -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let coordinator = crate::session::use_session()
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role.is_coordinator()));
    let found = db.conflicts_of(id);
    let error = RwSignal::new(None::<String>);
    (coordinator && !found.is_empty()).then(|| {
        view! {
            <section class="card warn" aria-labelledby="conflicts-title">
                <h2 id="conflicts-title">{tr(CONFLICTS_TITLE)}</h2>
                {found.into_iter().map(|c| {
                    let field = c.field.clone();
                    view! {
                        <h3>{move || field_label(kind, &field, lang.get())}</h3>
                        <ul class="plain">
                            {c.values.into_iter().map(|json| {
                                let field = c.field.clone();
                                let text = {
                                    let (f, j) = (c.field.clone(), json.clone());
                                    move || describe_field(kind, &f, &j, lang.get(), &|id| db.name_of(id))
                                };
                                let label = {
                                    let text = text.clone();
                                    move || label_value(lang.get(), USE_THIS.get(lang.get()), text())
                                };
                                view! {
                                    <li>
                                        <span>{text}</span> " "
                                        <button type="button" class="small" aria-label=label
                                            on:click=move |_| {
                                                match db.settle(kind, id, &field, &json) {
                                                    Err(e) => error.set(Some(e.message(lang.get_untracked()).to_owned())),
                                                    Ok(()) => if let Some(f) = on_settled { f.run(()) },
                                                }
                                            }>
                                            {tr(USE_THIS)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                }).collect_view()}
                <a class="button" href=edit_href>{tr(EDIT_INSTEAD)}</a>
                <p class="error" role="alert">{move || error.get()}</p>
            </section>
        }
    })
}
