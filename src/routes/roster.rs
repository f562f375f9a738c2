//! For coordinators: the team's roster (服务队成员名册) — everyone who serves, with or without
//! an account — to add, edit, check, deactivate and merge, offline too (it syncs like any
//! record). A coordinator-only module (issue 19 may move it to a build of its own).

use doorstep_core::roster::{Person, PersonDraft};
use doorstep_core::store::StoreError;
use doorstep_core::validate::FieldError;
use doorstep_core::RecordId;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::browser::new_record_id;
use crate::components::field::{
    error_of, id_param, CheckField, FormFooter, RecordSelect, TextField,
};
use crate::i18n::*;
use crate::state::{stamp, use_db};

/// `/roster`: everyone, those to check first, then by name; inactive ones last.
#[component]
pub fn RosterPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let people = Memo::new(move |_| {
        let mut ps = db.live_people();
        ps.retain(|p| p.merged_into.is_none());
        ps.sort_by(|a, b| {
            (a.inactive, !a.to_check, &a.name).cmp(&(b.inactive, !b.to_check, &b.name))
        });
        ps
    });
    view! {
        <section class="card" aria-labelledby="roster-title">
            <h2 id="roster-title">{move || counted(lang.get(), ROSTER.get(lang.get()), people.with(Vec::len))}</h2>
            <a class="button primary" href="/roster/new">{tr(ADD_PERSON)}</a>
            <Show when=move || people.with(|p| !p.is_empty()) fallback=move || view! { <p class="muted">{tr(NO_PEOPLE)}</p> }>
                <ul class="rows" aria-labelledby="roster-title">
                    <For each=move || people.get() key=|p| (p.id, p.updated_at) let(p)>
                        <li>
                            <a class="row-link" href=format!("/roster/{}/edit", p.id)>
                                <span class="row-title">{p.name.clone()}</span>
                                <span class="muted">{
                                    let p = p.clone();
                                    move || person_line(&p, lang.get(), &|id| db.name_of(id))
                                }</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// "党员 · 东亭社区 · 待核对 · 已停用", what applies.
fn person_line(
    p: &Person,
    l: doorstep_core::Lang,
    names: &dyn Fn(RecordId) -> Option<String>,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    if p.party_member {
        parts.push(PARTY_MEMBER.get(l).to_owned());
    }
    if let Some(unit) = p.unit.and_then(names) {
        parts.push(unit);
    }
    if p.account.is_some() {
        parts.push(HAS_ACCOUNT.get(l).to_owned());
    }
    if p.to_check {
        parts.push(TO_CHECK.get(l).to_owned());
    }
    if p.inactive {
        parts.push(INACTIVE.get(l).to_owned());
    }
    parts.join(" · ")
}

/// `/roster/new`, `/roster/:id/edit`: a person's details; an existing one can be merged
/// into another (a duplicate such as 老张 and 张三).
#[component]
pub fn PersonFormPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let existing = id_param().and_then(|id| {
        db.people
            .with_untracked(|ps| ps.iter().find(|p| p.id == id).cloned())
    });
    let start = existing
        .as_ref()
        .map(PersonDraft::from_person)
        .unwrap_or_default();
    let draft = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save_error = RwSignal::new(None::<StoreError>);
    let navigate = use_navigate();
    let is_edit = existing.is_some();
    let this = existing.as_ref().map(|p| p.id);
    let back = {
        let navigate = navigate.clone();
        move || navigate("/roster", Default::default())
    };
    let save = {
        let existing = existing.clone();
        let back = back.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let d = draft.get_untracked();
            let result = match &existing {
                Some(p) => d.update(p, &stamp()),
                None => d.create(new_record_id(), &stamp()),
            };
            match result {
                Err(e) => errors.set(e),
                Ok(p) => {
                    errors.set(Vec::new());
                    match db.save_person(p) {
                        Ok(()) => back(),
                        Err(e) => save_error.set(Some(e)),
                    }
                }
            }
        }
    };
    let units = move || {
        db.units.with(|us| {
            let mut us: Vec<(RecordId, String)> = us
                .iter()
                .filter(|u| !u.archived)
                .map(|u| (u.id, u.name.clone()))
                .collect();
            us.sort_by(|a, b| a.1.cmp(&b.1));
            us
        })
    };
    let others = move || {
        let mut ps: Vec<(RecordId, String)> = db
            .live_people()
            .into_iter()
            .filter(|p| Some(p.id) != this && p.merged_into.is_none())
            .map(|p| (p.id, p.name))
            .collect();
        ps.sort_by(|a, b| a.1.cmp(&b.1));
        ps
    };
    let was_to_check = draft.with_untracked(|d| d.to_check);
    let merge_target = RwSignal::new(None::<RecordId>);
    let merge = {
        let existing = existing.clone();
        move |_| {
            let (Some(p), Some(into)) = (existing.clone(), merge_target.get_untracked()) else {
                return;
            };
            let mut p = p;
            p.merge_into(into, stamp().now);
            match db.save_person(p) {
                Ok(()) => back(),
                Err(e) => save_error.set(Some(e)),
            }
        }
    };
    view! {
        <section class="card" aria-labelledby="person-form-title">
            <h2 id="person-form-title">{tr(if is_edit { EDIT_PERSON } else { ADD_PERSON })}</h2>
            <form on:submit=save novalidate>
                <TextField id="person-name" label=PERSON_NAME
                    value=Signal::derive(move || draft.with(|d| d.name.clone()))
                    on_input=move |v: String| draft.update(|d| d.name = v)
                    error=error_of(errors, "name")/>
                <CheckField id="person-party".into() label=Signal::derive(move || PARTY_MEMBER.get(lang.get()))
                    checked=Signal::derive(move || draft.with(|d| d.party_member))
                    on_change=move |on: bool| draft.update(|d| d.party_member = on)/>
                <TextField id="person-phone" label=PERSON_PHONE input_type="tel" inputmode="tel"
                    value=Signal::derive(move || draft.with(|d| d.phone.clone()))
                    on_input=move |v: String| draft.update(|d| d.phone = v)
                    error=error_of(errors, "phone")/>
                <RecordSelect id="person-unit" label=PERSON_UNIT options=Signal::derive(units)
                    value=Signal::derive(move || draft.with(|d| d.unit))
                    on_change=move |u| draft.update(|d| d.unit = u)/>
                // Shown for as long as the form is open: ticking it must not take it away.
                <Show when=move || was_to_check>
                    <CheckField id="person-checked".into() label=Signal::derive(move || CHECKED_OK.get(lang.get()))
                        checked=Signal::derive(move || draft.with(|d| !d.to_check))
                        on_change=move |on: bool| draft.update(|d| d.to_check = !on)/>
                </Show>
                <CheckField id="person-inactive".into() label=Signal::derive(move || INACTIVE.get(lang.get()))
                    checked=Signal::derive(move || draft.with(|d| d.inactive))
                    on_change=move |on: bool| draft.update(|d| d.inactive = on)/>
                <FormFooter label=SAVE_PERSON errors=errors save_error=save_error/>
            </form>
        </section>
        {is_edit.then(|| view! {
            <section class="card" aria-labelledby="merge-title">
                <h2 id="merge-title">{tr(MERGE_TITLE)}</h2>
                <p class="muted">{tr(MERGE_HINT)}</p>
                <RecordSelect id="merge-into" label=MERGE_INTO options=Signal::derive(others)
                    value=merge_target on_change=move |p| merge_target.set(p)/>
                <button type="button" on:click=merge disabled=move || merge_target.with(Option::is_none)>{tr(MERGE)}</button>
            </section>
        })}
    }
}
