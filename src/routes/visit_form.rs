use doorstep_core::labels::{ConditionLevel, NeedCategory};
use doorstep_core::store::StoreError;
use doorstep_core::validate::FieldError;
use doorstep_core::visit::VisitDraft;
use doorstep_core::RecordId;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::browser::new_record_id;
use crate::components::field::{
    bound_text, choice_checks, enum_choice, error_of, id_param, optional_enum_options, toggle,
    FormFooter, SelectField, TextField,
};
use crate::components::people_picker::{PeoplePick, PeoplePicker};
use crate::components::unit_checks::{unit_picks, UnitChecks};
use crate::i18n::*;
use crate::routes::visit_services::ServicesFields;
use crate::state::{stamp, today, use_db};

/// Log a visit: `/visits/new`, or `/visits/new?household=ID` from a household's page (with
/// `&greeting=1` from the greeting round); or edit one: `/visits/:id/edit`.
#[component]
pub fn VisitFormPage() -> impl IntoView {
    let db = use_db();
    let query = use_query_map();
    let existing = id_param().and_then(|id| {
        db.visits
            .with_untracked(|vs| vs.iter().find(|v| v.id == id).cloned())
    });
    let chosen = query
        .read_untracked()
        .get("household")
        .and_then(|s| RecordId::parse(&s).ok());
    let start = match &existing {
        Some(v) => VisitDraft::from_visit(v),
        None => {
            // "Log another visit": the last visit to this household pre-fills who went along.
            let mut d = chosen
                .and_then(|id| db.visits_of(id).into_iter().next())
                .map(|v| VisitDraft::another_like(&v))
                .unwrap_or_default();
            d.household_id = chosen;
            d.day = today().to_string();
            // Service hours: the visit starts when the form opens, ends when it is saved.
            d.opened_at(crate::browser::minute_of_day());
            // From the greeting round: the greeting is what the visit is for.
            d.services.holiday_greeting = query.read_untracked().get("greeting").is_some();
            d
        }
    };
    let is_edit = existing.is_some();
    let pick = PeoplePick::new(db, &start.people, &start.volunteers, Vec::new(), !is_edit);
    let units = unit_picks(&start.units, &start.partners);
    let draft = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save_error = RwSignal::new(None::<StoreError>);
    let navigate = use_navigate();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut d = draft.get_untracked();
        (d.people, d.volunteers) = pick.written(db);
        // Old categories are named as their units from now on.
        (d.units, d.partners) = (units.get_untracked(), Vec::new());
        if existing.is_none() {
            d.ending_at_save(today(), crate::browser::minute_of_day());
            draft.update(|f| f.end_time = d.end_time.clone());
        }
        let household = d.household_id.and_then(|id| db.household(id));
        let result = match &existing {
            Some(v) => d.update(v, household.as_ref(), &stamp()),
            None => d.create(new_record_id(), household.as_ref(), &stamp()),
        };
        match result {
            Err(e) => errors.set(e),
            Ok(v) => {
                errors.set(Vec::new());
                let id = v.household_id;
                match pick.save_added(db).and_then(|()| db.save_visit(v)) {
                    Ok(()) => navigate(&format!("/households/{id}"), Default::default()),
                    Err(e) => save_error.set(Some(e)),
                }
            }
        }
    };
    let levels = optional_enum_options(ConditionLevel::ALL, ConditionLevel::label);
    view! {
        <section class="card" aria-labelledby="visit-form-title">
            <h2 id="visit-form-title">{tr(if is_edit { EDIT_VISIT } else { LOG_A_VISIT })}</h2>
            <form on:submit=on_submit novalidate>
                <HouseholdPicker draft=draft error=error_of(errors, "household")/>
                <TextField id="visit-day" label=VISIT_DAY input_type="date"
                    value=Signal::derive(move || draft.with(|d| d.day.clone()))
                    on_input=move |v: String| draft.update(|d| d.day = v)
                    error=error_of(errors, "day")/>
                {bound_text!(draft, errors, "visit-start", "start_time", VISIT_START, "time", false, start_time)}
                {bound_text!(draft, errors, "visit-end", "end_time", VISIT_END, "time", false, end_time)}
                <PeoplePicker db=db pick=pick id_prefix="visit" error=error_of(errors, "volunteers")/>
                <UnitChecks db=db picked=units id_prefix="visit"/>
                <ServicesFields draft=draft errors=errors/>
                <fieldset>
                    <legend>{tr(CONDITIONS)}</legend>
                    <SelectField id="conditions-level" label=CONDITIONS options=levels
                        value=Signal::derive(move || draft.with(|d| d.condition_level.map(|l| format!("{l:?}")).unwrap_or_default()))
                        on_change=move |v: String| draft.update(|d| {
                            d.condition_level = enum_choice(ConditionLevel::ALL, &v)
                        })/>
                    {bound_text!(draft, errors, "conditions-text", "conditions.text", CONDITIONS_TEXT, "text", true, condition_text)}
                </fieldset>
                <fieldset>
                    <legend>{tr(NEEDS)}</legend>
                    {choice_checks("visit-need", NeedCategory::ALL, NeedCategory::label,
                        move |n| draft.with(|d| d.needs.contains(&n)),
                        move |n, on| draft.update(|d| toggle(&mut d.needs, n, on)))}
                    <p class="field-error">{move || error_of(errors, "needs").get()}</p>
                    {bound_text!(draft, errors, "needs-text", "needs_text", NEEDS_TEXT, "text", true, needs_text)}
                </fieldset>
                {bound_text!(draft, errors, "residents-words", "residents_words", RESIDENTS_WORDS, "text", true, residents_words)}
                <fieldset>
                    <legend>{tr(FOLLOW_UP)}</legend>
                    {bound_text!(draft, errors, "follow-up-what", "follow_up.what", FOLLOW_UP_WHAT, "text", false, follow_up_what)}
                    <TextField id="follow-up-due" label=FOLLOW_UP_DUE input_type="date"
                        value=Signal::derive(move || draft.with(|d| d.follow_up_due.clone()))
                        on_input=move |v: String| draft.update(|d| d.follow_up_due = v)
                        error=error_of(errors, "follow_up.due")/>
                </fieldset>
                {bound_text!(draft, errors, "visit-notes", "notes", NOTES, "text", true, notes)}
                <FormFooter label=SAVE_VISIT errors=errors save_error=save_error/>
            </form>
        </section>
    }
}

/// Which household: fixed when the form came from its page, else searched for.
#[component]
fn HouseholdPicker(draft: RwSignal<VisitDraft>, error: Signal<Option<String>>) -> impl IntoView {
    let db = use_db();
    let query = RwSignal::new(String::new());
    let chosen = move || {
        draft
            .with(|d| d.household_id)
            .and_then(|id| db.household(id))
    };
    let matches = move || {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        let deleted = db.deleted.get();
        db.households.with(|hs| {
            hs.iter()
                .filter(|h| !h.archived && !deleted.contains(&h.id) && h.matches(&q))
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <fieldset>
            <legend>{tr(HOUSEHOLD)}</legend>
            <Show when=move || chosen().is_some() fallback=move || view! {
                <div class="field">
                    <label for="visit-household-search">{tr(FIND_HOUSEHOLD)}</label>
                    <input id="visit-household-search" type="search" autocomplete="off"
                        aria-describedby="visit-household-error"
                        prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                </div>
                <ul class="rows">
                    <For each=matches key=|h| h.id let(h)>
                        <li>
                            <button type="button" class="pick" on:click=move |_| draft.update(|d| d.household_id = Some(h.id))>
                                {h.address.one_line()} " " {h.residents.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join("、")}
                            </button>
                        </li>
                    </For>
                </ul>
            }>
                <p class="row-title" data-testid="visit-household">{move || chosen().map(|h| h.address.one_line())}</p>
                <button type="button" on:click=move |_| draft.update(|d| d.household_id = None)>{tr(CHANGE_HOUSEHOLD)}</button>
            </Show>
            <p id="visit-household-error" class="field-error">{move || error.get()}</p>
        </fieldset>
    }
}
