//! Which partner units came along, on the visit and event forms: one checkbox per unit of
//! the team (archived ones only when the record already names them).

use doorstep_core::labels::Partner;
use doorstep_core::units::units_of;
use doorstep_core::RecordId;
use leptos::prelude::*;

use crate::i18n::*;
use crate::state::Db;

/// The units a record names, as the form's starting picks (old categories as their units).
pub fn unit_picks(ids: &[RecordId], partners: &[Partner]) -> RwSignal<Vec<RecordId>> {
    RwSignal::new(units_of(ids, partners))
}

#[component]
pub fn UnitChecks(
    db: Db,
    picked: RwSignal<Vec<RecordId>>,
    id_prefix: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let start = picked.get_untracked();
    let rows = move || {
        let names = db.names();
        let mut units: Vec<(u8, String, RecordId)> = db.units.with(|us| {
            us.iter()
                .filter(|u| !u.archived || start.contains(&u.id))
                .map(|u| (u.kind as u8, u.name.clone(), u.id))
                .collect()
        });
        units.sort();
        let mut rows: Vec<(RecordId, String)> =
            units.into_iter().map(|(_, name, id)| (id, name)).collect();
        // Named by the record but not held here yet: still shown, still ticked.
        for id in &start {
            if !rows.iter().any(|(x, _)| x == id) {
                rows.push((*id, names.unit_name(*id, lang.get())));
            }
        }
        rows
    };
    view! {
        <fieldset>
            <legend>{tr(PARTNERS)}</legend>
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <p class="hint">{tr(NO_UNITS_YET)}</p> }.into_any();
                }
                rows.into_iter().map(|(id, name)| {
                    let input_id = format!("{id_prefix}-unit-{id}");
                    view! {
                        <div class="check">
                            <input type="checkbox" id=input_id.clone()
                                prop:checked=move || picked.with(|p| p.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    picked.update(|p| {
                                        p.retain(|x| *x != id);
                                        if on { p.push(id) }
                                    })
                                }/>
                            <label for=input_id>{name}</label>
                        </div>
                    }
                }).collect_view().into_any()
            }}
        </fieldset>
    }
}
