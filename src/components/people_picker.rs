//! Who served, picked from the team's roster on the visit and event forms: the signed-in
//! volunteer comes pre-filled, others are found by part of their name, and someone not on
//! the roster yet is added on the spot (marked for the coordinator to check). On events,
//! each person's hours when they differ from the event's.

use doorstep_core::event::PersonMinutes;
use doorstep_core::hours::as_hours;
use doorstep_core::roster::{normalize_name, Person, PersonDraft};
use doorstep_core::store::StoreError;
use doorstep_core::validate::FieldError;
use doorstep_core::{Lang, RecordId};
use leptos::prelude::*;

use crate::browser::new_record_id;
use crate::i18n::*;
use crate::state::{stamp, Db};

/// The form's picks; the form owns it and writes it into its draft on save.
#[derive(Clone, Copy)]
pub struct PeoplePick {
    pub picked: RwSignal<Vec<RecordId>>,
    /// People added on the spot: saved with the record, not before (an abandoned form
    /// leaves no one behind).
    added: RwSignal<Vec<Person>>,
    /// What the record named the old way (free text), shown until its person arrives.
    old_names: StoredValue<Vec<String>>,
    /// Per-person hours (events), minutes.
    pub hours: RwSignal<Vec<PersonMinutes>>,
}

impl PeoplePick {
    /// The picks of a record naming `ids` and `old_names`; with `me`, the signed-in
    /// volunteer is among them (a new record).
    pub fn new(
        db: Db,
        ids: &[RecordId],
        old_names: &[String],
        hours: Vec<PersonMinutes>,
        me: bool,
    ) -> Self {
        let roster = db.roster();
        let mut picked = roster.people_of(ids, old_names);
        if me {
            if let Some(s) = crate::session::load() {
                let mine = roster.of_account(&s.user.id, &s.user.display_name);
                if !picked.contains(&mine) {
                    picked.insert(0, mine);
                }
            }
        }
        PeoplePick {
            picked: RwSignal::new(picked),
            added: RwSignal::new(Vec::new()),
            old_names: StoredValue::new(old_names.to_vec()),
            hours: RwSignal::new(hours),
        }
    }

    /// What the record writes: people by id, and old names whose person this phone does
    /// not hold yet (kept as written).
    pub fn written(&self, db: Db) -> (Vec<RecordId>, Vec<String>) {
        let picked = self.picked.get_untracked();
        self.old_names
            .with_value(|old| db.roster().written(&picked, old))
    }

    /// Per-person hours of the people still picked.
    pub fn hours_written(&self) -> Vec<PersonMinutes> {
        let picked = self.picked.get_untracked();
        self.hours
            .get_untracked()
            .into_iter()
            .filter(|h| picked.contains(&h.person))
            .collect()
    }

    /// Stores the people added on the spot who are still picked (call once the record is
    /// valid, just before saving it).
    pub fn save_added(&self, db: Db) -> Result<(), StoreError> {
        let picked = self.picked.get_untracked();
        for p in self.added.get_untracked() {
            if picked.contains(&p.id) {
                db.save_person(p)?;
            }
        }
        self.added.set(Vec::new());
        Ok(())
    }

    fn name(&self, db: Db, id: RecordId, lang: Lang) -> String {
        if let Some(p) = self.added.with(|a| a.iter().find(|p| p.id == id).cloned()) {
            return p.name;
        }
        self.old_names
            .with_value(|old| db.names().person(id, old, lang))
    }

    fn needs_check(&self, db: Db, id: RecordId) -> bool {
        self.added.with(|a| a.iter().any(|p| p.id == id))
            || db
                .people
                .with(|ps| ps.iter().any(|p| p.id == id && p.to_check))
    }
}

/// The volunteers fieldset. `whole` is the event's own duration in minutes (events only:
/// then each person gets an hours field).
#[component]
pub fn PeoplePicker(
    db: Db,
    pick: PeoplePick,
    id_prefix: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] whole: Option<Signal<Option<u32>>>,
) -> impl IntoView {
    let lang = use_lang();
    let query = RwSignal::new(String::new());
    let add_errors = RwSignal::new(Vec::<FieldError>::new());
    let search_id = format!("{id_prefix}-people-search");
    let error_id = format!("{id_prefix}-people-error");
    let matches = move || {
        let q = query.get();
        if normalize_name(&q).is_empty() {
            return (Vec::new(), false);
        }
        let picked = pick.picked.get();
        let roster = db.roster();
        let found = roster.search(&q);
        let wanted = normalize_name(&q).to_lowercase();
        let exact = found
            .iter()
            .any(|p| normalize_name(&p.name).to_lowercase() == wanted);
        let units = db.units.get();
        let hits = found
            .into_iter()
            .filter(|p| !picked.contains(&p.id))
            .take(8)
            .map(|p| {
                let unit = p
                    .unit
                    .and_then(|u| units.iter().find(|x| x.id == u))
                    .map(|u| format!(" · {}", u.name))
                    .unwrap_or_default();
                (p.id, format!("{}{unit}", p.name))
            })
            .collect::<Vec<_>>();
        (hits, !exact)
    };
    let add_new = move |_| {
        let name = normalize_name(&query.get_untracked());
        match PersonDraft::on_the_spot(&name).create(new_record_id(), &stamp()) {
            Ok(p) => {
                add_errors.set(Vec::new());
                pick.picked.update(|ps| ps.push(p.id));
                pick.added.update(|a| a.push(p));
                query.set(String::new());
            }
            Err(e) => add_errors.set(e),
        }
    };
    let add_error = move || add_errors.with(|e| e.first().map(|x| x.message(lang.get())));
    view! {
        <fieldset>
            <legend>{tr(VOLUNTEERS)}</legend>
            <ul class="people" aria-label=move || PEOPLE_PICKED.get(lang.get())>
                <For each=move || pick.picked.get() key=|id| *id let(id)>
                    <li class="person">
                        <span class="person-name">
                            {move || pick.name(db, id, lang.get())}
                            {move || pick.needs_check(db, id).then(|| view! {
                                <span class="badge">{tr(TO_CHECK)}</span>
                            })}
                        </span>
                        <button type="button" class="person-remove"
                            aria-label=move || remove_person(&pick.name(db, id, lang.get()), lang.get())
                            on:click=move |_| pick.picked.update(|ps| ps.retain(|x| *x != id))>"×"</button>
                        {whole.map(|whole| view! { <PersonHours pick=pick db=db id=id whole=whole/> })}
                    </li>
                </For>
            </ul>
            <div class="field">
                <label for=search_id.clone()>{tr(FIND_PERSON)}</label>
                <input id=search_id type="search" autocomplete="off" aria-describedby=error_id.clone()
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            <ul class="rows">
                {move || {
                    let (hits, offer_new) = matches();
                    let hits = hits.into_iter().map(|(id, label)| view! {
                        <li>
                            <button type="button" class="pick" on:click=move |_| {
                                pick.picked.update(|ps| if !ps.contains(&id) { ps.push(id) });
                                query.set(String::new());
                            }>{label}</button>
                        </li>
                    }).collect_view();
                    let new_one = offer_new.then(|| view! {
                        <li>
                            <button type="button" class="pick" on:click=add_new>
                                {move || add_person(&normalize_name(&query.get()), lang.get())}
                            </button>
                        </li>
                    });
                    (hits, new_one)
                }}
            </ul>
            <p id=error_id class="field-error">{move || error.get().or_else(add_error)}</p>
        </fieldset>
    }
}

/// One person's hours at an event: empty means the whole event.
#[component]
fn PersonHours(
    pick: PeoplePick,
    db: Db,
    id: RecordId,
    whole: Signal<Option<u32>>,
) -> impl IntoView {
    let lang = use_lang();
    let input_id = format!("hours-{id}");
    let own = move || {
        pick.hours
            .with(|hs| hs.iter().find(|h| h.person == id).map(|h| h.minutes))
    };
    let set = move |v: String| {
        let minutes = v
            .trim()
            .replace('，', ".")
            .parse::<f64>()
            .ok()
            .filter(|h| h.is_finite() && *h >= 0.0)
            .map(|h| (h * 60.0).round().min(24.0 * 60.0) as u32);
        pick.hours.update(|hs| {
            hs.retain(|h| h.person != id);
            if let Some(minutes) = minutes {
                hs.push(PersonMinutes {
                    person: id,
                    minutes,
                });
            }
        });
    };
    view! {
        <div class="field person-hours">
            <label for=input_id.clone()>{move || person_hours(&pick.name(db, id, lang.get()), lang.get())}</label>
            <input id=input_id type="number" inputmode="decimal" min="0" max="24" step="0.25"
                placeholder=move || whole.get().map(|m| as_hours(u64::from(m))).unwrap_or_default()
                prop:value=move || own().map(|m| as_hours(u64::from(m))).unwrap_or_default()
                on:change=move |ev| set(event_target_value(&ev))/>
        </div>
    }
}
