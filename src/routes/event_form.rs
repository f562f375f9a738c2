use doorstep_core::event::{EventDraft, Tallies};
use doorstep_core::i18n::Text;
use doorstep_core::labels::EventKind;
use doorstep_core::store::StoreError;
use doorstep_core::time::minutes_between;
use doorstep_core::validate::FieldError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::browser::new_record_id;
use crate::components::field::{
    bound_text, enum_choice, enum_options, error_of, id_param, FormFooter, SelectField, Stepper,
    TextField,
};
use crate::components::people_picker::{PeoplePick, PeoplePicker};
use crate::components::unit_checks::{unit_picks, UnitChecks};
use crate::i18n::*;
use crate::state::{stamp, today, use_db};

/// Where one tally lives in [`Tallies`].
type Slot = fn(&mut Tallies) -> &mut u32;

/// The tallies: field name (for errors), label, and place.
const TALLY_FIELDS: [(&str, Text, Slot); 6] = [
    ("tallies.haircuts", HAIRCUTS, |t| &mut t.haircuts),
    ("tallies.bp_checks", BP_CHECKS, |t| &mut t.bp_checks),
    ("tallies.knives_sharpened", KNIVES_SHARPENED, |t| {
        &mut t.knives_sharpened
    }),
    ("tallies.clinic_consultations", CONSULTATIONS, |t| {
        &mut t.clinic_consultations
    }),
    ("tallies.leaflets", LEAFLETS, |t| &mut t.leaflets),
    ("tallies.banners", BANNERS, |t| &mut t.banners),
];

/// Add an event, or edit one (`/events/:id/edit`).
#[component]
pub fn EventFormPage() -> impl IntoView {
    let db = use_db();
    let existing = id_param().and_then(|id| {
        db.events
            .with_untracked(|es| es.iter().find(|e| e.id == id).cloned())
    });
    let start = existing
        .as_ref()
        .map(EventDraft::from_event)
        .unwrap_or_else(|| EventDraft::blank(today()));
    let pick = PeoplePick::new(
        db,
        &start.people,
        &start.volunteers,
        start.hours.clone(),
        existing.is_none(),
    );
    let units = unit_picks(&start.units, &start.partners);
    let draft = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save_error = RwSignal::new(None::<StoreError>);
    let navigate = use_navigate();
    let is_edit = existing.is_some();
    let event_id = existing.as_ref().map(|e| e.id);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut d = draft.get_untracked();
        (d.people, d.volunteers) = pick.written(db);
        d.hours = pick.hours_written();
        // Old categories are named as their units from now on.
        (d.units, d.partners) = (units.get_untracked(), Vec::new());
        let result = match &existing {
            Some(e) => d.update(e, &stamp()),
            None => d.create(new_record_id(), &stamp()),
        };
        match result {
            Err(e) => errors.set(e),
            Ok(event) => match pick.save_added(db).and_then(|()| db.save_event(event)) {
                Ok(()) => navigate("/events", Default::default()),
                Err(e) => save_error.set(Some(e)),
            },
        }
    };
    let back = use_navigate();
    view! {
        {event_id.map(|id| view! {
            <crate::components::conflicts::RecordConflicts kind=doorstep_core::store::RecordKind::Event id=id
                edit_href=format!("/events/{id}/edit")
                on_settled=Callback::new(move |()| back("/events", Default::default()))/>
        })}
        <section class="card" aria-labelledby="event-form-title">
            <h2 id="event-form-title">{tr(if is_edit { EDIT_EVENT } else { ADD_EVENT })}</h2>
            <form on:submit=on_submit novalidate>
                <SelectField id="event-kind" label=EVENT_KIND
                    options=enum_options(EventKind::ALL, EventKind::label)
                    value=Signal::derive(move || format!("{:?}", draft.with(|d| d.kind)))
                    on_change=move |v: String| {
                        if let Some(k) = enum_choice(EventKind::ALL, &v) {
                            draft.update(|d| d.kind = k)
                        }
                    }/>
                {bound_text!(draft, errors, "event-title", "title", EVENT_TITLE, "text", false, title)}
                <div class="row3">
                    {bound_text!(draft, errors, "event-day", "day", EVENT_DAY, "date", false, day)}
                    {bound_text!(draft, errors, "event-start", "start_time", START_TIME, "time", false, start_time)}
                    {bound_text!(draft, errors, "event-end", "end_time", END_TIME, "time", false, end_time)}
                </div>
                {bound_text!(draft, errors, "event-place", "place", PLACE, "text", false, place)}
                <UnitChecks db=db picked=units id_prefix="event"/>
                <PeoplePicker db=db pick=pick id_prefix="event" error=error_of(errors, "volunteers")
                    whole=Signal::derive(move || draft.with(|d| minutes_between(Some(&d.start_time), Some(&d.end_time))))/>
                <Stepper id="event-attendance" label=ATTENDANCE
                    value=Signal::derive(move || draft.with(|d| d.attendance))
                    on_change=move |n: u32| draft.update(|d| d.attendance = n)
                    error=error_of(errors, "attendance")/>
                <fieldset>
                    <legend>{tr(TALLIES)}</legend>
                    {TALLY_FIELDS.iter().map(|&(field, label, slot)| view! {
                        <Stepper id=field.replace('.', "-") label=label
                            value=Signal::derive(move || draft.with(|d| { let mut t = d.tallies; *slot(&mut t) }))
                            on_change=move |n: u32| draft.update(|d| *slot(&mut d.tallies) = n)
                            error=error_of(errors, field)/>
                    }).collect_view()}
                </fieldset>
                {bound_text!(draft, errors, "event-notes", "notes", NOTES, "text", false, notes)}
                <FormFooter label=SAVE_EVENT errors=errors save_error=save_error/>
            </form>
        </section>
    }
}
