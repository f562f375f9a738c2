//! For coordinators: the team's partner units (合作单位) — named sub-district offices,
//! communities (each under its 街道), police stations, health centres, firms — offline too.
//! Older records' five categories arrive as one unit of each kind, to rename (派出所 →
//! 东亭派出所). A coordinator-only module.

use doorstep_core::store::StoreError;
use doorstep_core::units::{Unit, UnitDraft, UnitKind};
use doorstep_core::validate::FieldError;
use doorstep_core::RecordId;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::browser::new_record_id;
use crate::components::field::{
    enum_choice, enum_options, error_of, id_param, CheckField, FormFooter, RecordSelect,
    SelectField, TextField,
};
use crate::i18n::*;
use crate::state::{stamp, use_db};

/// `/units`: by kind, then by name; those no longer used last.
#[component]
pub fn UnitsPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let units = Memo::new(move |_| {
        let mut us = db.live_units();
        us.sort_by(|a, b| (a.archived, a.kind, &a.name).cmp(&(b.archived, b.kind, &b.name)));
        us
    });
    view! {
        <section class="card" aria-labelledby="units-title">
            <h2 id="units-title">{move || counted(lang.get(), UNITS.get(lang.get()), units.with(Vec::len))}</h2>
            <a class="button primary" href="/units/new">{tr(ADD_UNIT)}</a>
            <Show when=move || units.with(|u| !u.is_empty()) fallback=move || view! { <p class="muted">{tr(NO_UNITS)}</p> }>
                <ul class="rows" aria-labelledby="units-title">
                    <For each=move || units.get() key=|u| (u.id, u.updated_at) let(u)>
                        <li>
                            <a class="row-link" href=format!("/units/{}/edit", u.id)>
                                <span class="row-title">{u.name.clone()}</span>
                                <span class="muted">{
                                    let u = u.clone();
                                    move || unit_line(&u, lang.get(), &|id| db.name_of(id))
                                }</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// "社区 · 鹅湖街道 · 已停用", what applies.
fn unit_line(
    u: &Unit,
    l: doorstep_core::Lang,
    names: &dyn Fn(RecordId) -> Option<String>,
) -> String {
    let mut parts = vec![u.kind.label(l).to_owned()];
    parts.extend(u.parent.and_then(names));
    if u.archived {
        parts.push(NO_LONGER_USED.get(l).to_owned());
    }
    parts.join(" · ")
}

/// `/units/new`, `/units/:id/edit`.
#[component]
pub fn UnitFormPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let existing = id_param().and_then(|id| {
        db.units
            .with_untracked(|us| us.iter().find(|u| u.id == id).cloned())
    });
    let start = existing
        .as_ref()
        .map(UnitDraft::from_unit)
        .unwrap_or(UnitDraft {
            name: String::new(),
            kind: UnitKind::Community,
            parent: None,
            archived: false,
        });
    let draft = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save_error = RwSignal::new(None::<StoreError>);
    let navigate = use_navigate();
    let is_edit = existing.is_some();
    let this = existing.as_ref().map(|u| u.id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut d = draft.get_untracked();
        if d.kind != UnitKind::Community {
            d.parent = None;
        }
        let result = match &existing {
            Some(u) => d.update(u, &stamp()),
            None => d.create(new_record_id(), &stamp()),
        };
        match result {
            Err(e) => errors.set(e),
            Ok(u) => {
                errors.set(Vec::new());
                match db.save_unit(u) {
                    Ok(()) => navigate("/units", Default::default()),
                    Err(e) => save_error.set(Some(e)),
                }
            }
        }
    };
    let streets = move || {
        db.live_units()
            .into_iter()
            .filter(|u| u.kind == UnitKind::SubDistrict && Some(u.id) != this)
            .map(|u| (u.id, u.name))
            .collect::<Vec<_>>()
    };
    view! {
        <section class="card" aria-labelledby="unit-form-title">
            <h2 id="unit-form-title">{tr(if is_edit { EDIT_UNIT } else { ADD_UNIT })}</h2>
            <form on:submit=save novalidate>
                <TextField id="unit-name" label=UNIT_NAME
                    value=Signal::derive(move || draft.with(|d| d.name.clone()))
                    on_input=move |v: String| draft.update(|d| d.name = v)
                    error=error_of(errors, "name")/>
                <SelectField id="unit-kind" label=UNIT_KIND options=enum_options(UnitKind::ALL, UnitKind::label)
                    value=Signal::derive(move || draft.with(|d| format!("{:?}", d.kind)))
                    on_change=move |v: String| draft.update(|d| {
                        if let Some(k) = enum_choice(UnitKind::ALL, &v) {
                            d.kind = k;
                        }
                    })/>
                <Show when=move || draft.with(|d| d.kind == UnitKind::Community)>
                    <RecordSelect id="unit-parent" label=UNIT_PARENT options=Signal::derive(streets)
                        value=Signal::derive(move || draft.with(|d| d.parent))
                        on_change=move |p| draft.update(|d| d.parent = p)/>
                </Show>
                <CheckField id="unit-archived".into() label=Signal::derive(move || NO_LONGER_USED.get(lang.get()))
                    checked=Signal::derive(move || draft.with(|d| d.archived))
                    on_change=move |on: bool| draft.update(|d| d.archived = on)/>
                <FormFooter label=SAVE_UNIT errors=errors save_error=save_error/>
            </form>
        </section>
    }
}
