use doorstep_core::household::{BasisKind, HouseholdDraft, Resident};
use doorstep_core::labels::{AgeBand, Cadence, NeedCategory};
use doorstep_core::store::StoreError;
use doorstep_core::validate::FieldError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::browser::new_record_id;
use crate::components::field::{
    bound_text, choice_checks, enum_choice, enum_options, error_of, id_param,
    optional_enum_options, toggle, CheckField, FormFooter, SelectField, TextField,
};
use crate::i18n::*;
use crate::state::{stamp, use_db};

/// Add a household, or edit one (`/households/:id/edit`).
#[component]
pub fn HouseholdFormPage() -> impl IntoView {
    let db = use_db();
    let existing = id_param().and_then(|id| db.household(id));
    let mut start = existing
        .as_ref()
        .map(HouseholdDraft::from_household)
        .unwrap_or_default();
    if start.residents.is_empty() {
        start.residents.push(Resident::default());
    }
    let draft = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save_error = RwSignal::new(None::<StoreError>);
    let lang = use_lang();
    let navigate = use_navigate();
    let is_edit = existing.is_some();
    let coordinator = crate::session::use_session()
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role.is_coordinator()));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.get_untracked();
        let result = match &existing {
            Some(h) => d.update(h, &stamp()),
            None => d.create(new_record_id(), &stamp()),
        };
        match result {
            Err(e) => errors.set(e),
            Ok(h) => {
                errors.set(Vec::new());
                let id = h.id;
                match db.save_household(h) {
                    Ok(()) => navigate(&format!("/households/{id}"), Default::default()),
                    Err(e) => save_error.set(Some(e)),
                }
            }
        }
    };

    let resident_count = move || draft.with(|d| d.residents.len());

    view! {
        <section class="card" aria-labelledby="household-form-title">
            <h2 id="household-form-title">{tr(if is_edit { EDIT_HOUSEHOLD } else { ADD_HOUSEHOLD })}</h2>
            <form on:submit=on_submit novalidate>
                <fieldset>
                    <legend>{tr(ADDRESS)}</legend>
                    <TextField id="address-community" label=COMMUNITY list="community-names"
                        value=Signal::derive(move || draft.with(|d| d.address.community.clone()))
                        on_input=move |v: String| draft.update(|d| d.address.community = v)
                        error=error_of(errors, "address.community")/>
                    <CommunityChoices/>
                    {move || {
                        let c = draft.with(|d| d.address.community.clone());
                        db.names().sub_district_of(&c).map(|s| view! {
                            <p class="muted" data-testid="sub-district">{label_value(lang.get(), SUB_DISTRICT.get(lang.get()), s)}</p>
                        })
                    }}
                    <div class="row3">
                        {bound_text!(draft, errors, "address-building", "address.building", BUILDING, "text", false, address.building)}
                        {bound_text!(draft, errors, "address-unit", "address.unit", UNIT, "text", false, address.unit)}
                        {bound_text!(draft, errors, "address-room", "address.room", ROOM, "text", false, address.room)}
                    </div>
                    {bound_text!(draft, errors, "address-detail", "address.detail", ADDRESS_DETAIL, "text", false, address.detail)}
                </fieldset>
                <fieldset>
                    <legend>{tr(RESIDENTS)}</legend>
                    <p class="field-error">{move || error_of(errors, "residents").get()}</p>
                    <For each=move || 0..resident_count() key=|i| *i let(i)>
                        <ResidentFields i=i draft=draft errors=errors/>
                    </For>
                    <button type="button" on:click=move |_| draft.update(|d| d.residents.push(Resident::default()))>
                        {tr(ADD_RESIDENT)}
                    </button>
                </fieldset>
                <fieldset>
                    <legend>{tr(NEEDS)}</legend>
                    {choice_checks("need", NeedCategory::ALL, NeedCategory::label,
                        move |n| draft.with(|d| d.needs.contains(&n)),
                        move |n, on| draft.update(|d| toggle(&mut d.needs, n, on)))}
                    <p class="field-error">{move || error_of(errors, "needs").get()}</p>
                </fieldset>
                <SelectField id="cadence" label=CADENCE
                    options=enum_options(Cadence::ALL, Cadence::label)
                    value=Signal::derive(move || format!("{:?}", draft.with(|d| d.cadence)))
                    on_change=move |v: String| {
                        if let Some(c) = enum_choice(Cadence::ALL, &v) {
                            draft.update(|d| d.cadence = c)
                        }
                    }/>
                <BasisFields draft=draft errors=errors/>
                {bound_text!(draft, errors, "notes", "notes", NOTES, "text", false, notes)}
                {coordinator.then(|| view! { <AssignField draft=draft errors=errors/> })}
                {is_edit.then(|| view! {
                    <CheckField id="archived".to_string() label=Signal::derive(move || ARCHIVED.get(lang.get()))
                        checked=Signal::derive(move || draft.with(|d| d.archived))
                        on_change=move |on: bool| draft.update(|d| d.archived = on)/>
                })}
                <FormFooter label=SAVE_HOUSEHOLD errors=errors save_error=save_error/>
            </form>
        </section>
    }
}

#[component]
fn ResidentFields(
    i: usize,
    draft: RwSignal<HouseholdDraft>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let lang = use_lang();
    let get = move |f: fn(&Resident) -> String| {
        Signal::derive(move || draft.with(|d| d.residents.get(i).map(f).unwrap_or_default()))
    };
    let flag = move |f: fn(&Resident) -> bool| {
        Signal::derive(move || draft.with(|d| d.residents.get(i).is_some_and(f)))
    };
    let set = move |f: fn(&mut Resident, String)| {
        move |v: String| {
            draft.update(|d| {
                if let Some(r) = d.residents.get_mut(i) {
                    f(r, v)
                }
            })
        }
    };
    let ages = optional_enum_options(AgeBand::ALL, AgeBand::label);
    view! {
        <div class="resident">
            <TextField id=format!("residents-{i}-name") label=RESIDENT_NAME value=get(|r| r.name.clone())
                on_input=set(|r, v| r.name = v) error=error_of(errors, format!("residents.{i}.name"))/>
            <SelectField id=format!("residents-{i}-age") label=AGE_BAND options=ages
                value=get(|r| r.age_band.map(|a| format!("{a:?}")).unwrap_or_default())
                on_change=set(|r, v| r.age_band = enum_choice(AgeBand::ALL, &v))/>
            <CheckField id=format!("residents-{i}-alone") label=Signal::derive(move || LIVES_ALONE.get(lang.get()))
                checked=flag(|r| r.lives_alone)
                on_change=move |on: bool| draft.update(|d| { if let Some(r) = d.residents.get_mut(i) { r.lives_alone = on } })
                error=error_of(errors, format!("residents.{i}.lives_alone"))/>
            <CheckField id=format!("residents-{i}-mobility") label=Signal::derive(move || LIMITED_MOBILITY.get(lang.get()))
                checked=flag(|r| r.limited_mobility)
                on_change=move |on: bool| draft.update(|d| { if let Some(r) = d.residents.get_mut(i) { r.limited_mobility = on } })
                error=error_of(errors, format!("residents.{i}.limited_mobility"))/>
            <TextField id=format!("residents-{i}-phone") label=PHONE input_type="tel" value=get(|r| r.phone.clone())
                on_input=set(|r, v| r.phone = v) error=error_of(errors, format!("residents.{i}.phone"))/>
            {(i > 0).then(|| view! {
                <button type="button" on:click=move |_| draft.update(|d| { if i < d.residents.len() { d.residents.remove(i); } })>
                    {tr(REMOVE_RESIDENT)}
                </button>
            })}
        </div>
    }
}

#[component]
fn BasisFields(
    draft: RwSignal<HouseholdDraft>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let lang = use_lang();
    let kinds: [(&str, Option<BasisKind>); 4] = [
        ("none", None),
        ("written", Some(BasisKind::WrittenConsent)),
        (
            "oral",
            Some(BasisKind::OralConsent {
                witness: String::new(),
            }),
        ),
        ("duty", Some(BasisKind::DutyOfCare)),
    ];
    let options = kinds
        .iter()
        .map(|(v, k)| {
            let k = k.clone();
            (
                v.to_string(),
                Signal::derive(move || {
                    k.as_ref()
                        .map_or(BASIS_NONE.get(lang.get()), |k| k.label(lang.get()))
                }),
            )
        })
        .collect();
    let current = Signal::derive(move || {
        draft.with(|d| {
            match &d.basis_kind {
                None => "none",
                Some(BasisKind::WrittenConsent) => "written",
                Some(BasisKind::OralConsent { .. }) => "oral",
                Some(BasisKind::DutyOfCare) => "duty",
            }
            .to_string()
        })
    });
    let is_oral = move || {
        matches!(
            draft.with(|d| d.basis_kind.clone()),
            Some(BasisKind::OralConsent { .. })
        )
    };
    view! {
        <fieldset>
            <legend>{tr(BASIS)}</legend>
            <SelectField id="basis-kind" label=BASIS options=options value=current
                on_change=move |v: String| {
                    let kind = kinds.iter().find(|(k, _)| *k == v).and_then(|(_, k)| k.clone());
                    draft.update(|d| d.basis_kind = kind)
                }/>
            <Show when=is_oral>
                <TextField id="basis-witness" label=WITNESS
                    value=Signal::derive(move || draft.with(|d| match &d.basis_kind { Some(BasisKind::OralConsent { witness }) => witness.clone(), _ => String::new() }))
                    on_input=move |v: String| draft.update(|d| d.basis_kind = Some(BasisKind::OralConsent { witness: v }))
                    error=error_of(errors, "basis.witness")/>
            </Show>
            <Show when=move || draft.with(|d| d.basis_kind.is_some())>
                <TextField id="basis-recorded-on" label=RECORDED_ON input_type="date"
                    value=Signal::derive(move || draft.with(|d| d.basis_recorded_on.clone()))
                    on_input=move |v: String| draft.update(|d| d.basis_recorded_on = v)
                    error=error_of(errors, "basis.recorded_on")/>
                <TextField id="basis-recorded-by" label=RECORDED_BY
                    value=Signal::derive(move || draft.with(|d| d.basis_recorded_by.clone()))
                    on_input=move |v: String| draft.update(|d| d.basis_recorded_by = v)
                    error=error_of(errors, "basis.recorded_by")/>
            </Show>
        </fieldset>
    }
}

/// The 社区 pick-list: the team's community units, then the communities its households
/// already name (typing another is still allowed: free text from before the list stays).
#[component]
fn CommunityChoices() -> impl IntoView {
    let db = crate::state::use_db();
    let names = move || {
        let mut units: Vec<String> = db.units.with(|us| {
            us.iter()
                .filter(|u| u.kind == doorstep_core::units::UnitKind::Community && !u.archived)
                .map(|u| u.name.clone())
                .collect()
        });
        units.sort();
        let used: std::collections::BTreeSet<String> = db.households.with(|hs| {
            hs.iter()
                .map(|h| h.address.community.trim().to_owned())
                .filter(|c| !c.is_empty() && !units.contains(c))
                .collect()
        });
        units.extend(used);
        units
    };
    view! {
        <datalist id="community-names">
            {move || names().into_iter().map(|n| view! { <option value=n/> }).collect_view()}
        </datalist>
    }
}

/// The volunteer who looks after the household (coordinators assign it): a name as the team
/// writes it, suggested from the names on the team's visits.
#[component]
fn AssignField(
    draft: RwSignal<HouseholdDraft>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let db = crate::state::use_db();
    let names = move || {
        let mut names = std::collections::BTreeSet::new();
        db.visits.with(|vs| {
            for v in vs {
                names.extend(v.volunteers.iter().cloned());
            }
        });
        db.households.with(|hs| {
            names.extend(
                hs.iter()
                    .map(|h| h.assigned_to.clone())
                    .filter(|n| !n.is_empty()),
            )
        });
        names
    };
    let error = error_of(errors, "assigned_to");
    view! {
        <div class="field">
            <label for="assigned-to">{tr(ASSIGNED_TO)}</label>
            <input id="assigned-to" type="text" list="volunteer-names" autocomplete="off"
                aria-describedby="assigned-to-error"
                prop:value=move || draft.with(|d| d.assigned_to.clone())
                on:input=move |ev| draft.update(|d| d.assigned_to = event_target_value(&ev))/>
            <datalist id="volunteer-names">
                {move || names().into_iter().map(|n| view! { <option value=n/> }).collect_view()}
            </datalist>
            <p id="assigned-to-error" class="field-error">{move || error.get()}</p>
        </div>
    }
}
