use std::collections::HashMap;

use doorstep_core::due::{greeting_round, GREETING_WINDOW_DAYS};
use doorstep_core::festival;
use doorstep_core::{Day, Lang, RecordId};
use leptos::prelude::*;

use crate::components::field::ShowMore;
use crate::components::household_row::HouseholdRow;
use crate::i18n::*;
use crate::routes::households::PAGE;
use crate::state::{today, use_db};

fn remaining_text(lang: Lang, left: usize, all: usize) -> String {
    match lang {
        Lang::Zh => format!("还有 {left} 户未慰问（共 {all} 户）"),
        Lang::En => format!("{left} of {all} households still to greet"),
    }
}

fn window_text(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("节前 {GREETING_WINDOW_DAYS} 天内走访过的住户算已慰问。"),
        Lang::En => format!(
            "A household visited in the {GREETING_WINDOW_DAYS} days before the festival counts as greeted."
        ),
    }
}

/// The holiday-greeting round (节日慰问): every household not yet visited in the days before
/// the chosen festival, each a tap away from a visit with "holiday greeting" ticked.
#[component]
pub fn GreetingsPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let upcoming = festival::upcoming(today(), 4);
    let chosen = RwSignal::new(upcoming.first().map_or(String::new(), |f| f.1.to_string()));
    let round = Memo::new(move |_| {
        let festival = Day::parse(&chosen.get()).ok()?;
        let deleted = db.deleted.get();
        let mut last: HashMap<RecordId, Day> = HashMap::new();
        db.visits.with(|vs| {
            for v in vs.iter().filter(|v| !deleted.contains(&v.id)) {
                let e = last.entry(v.household_id).or_insert(v.day);
                *e = (*e).max(v.day);
            }
        });
        db.households.with(|hs| {
            let live: Vec<_> = hs
                .iter()
                .filter(|h| !h.archived && !deleted.contains(&h.id))
                .collect();
            let mut left = greeting_round(
                live.iter().map(|h| (*h, last.get(&h.id).copied())),
                festival,
            );
            left.sort_by_cached_key(|h| h.address.one_line());
            Some((live.len(), left.into_iter().cloned().collect::<Vec<_>>()))
        })
    });
    let limit = RwSignal::new(PAGE);
    let left = move || round.with(|r| r.as_ref().map_or(0, |(_, l)| l.len()));
    view! {
        <section class="card" aria-labelledby="greetings-title">
            <h2 id="greetings-title">{tr(GREETING)}</h2>
            <Show when=move || round.with(Option::is_some)
                fallback=move || view! { <p role="alert">{tr(NO_FESTIVAL)}</p> }>
                <div class="field">
                    <label for="festival">{tr(FESTIVAL)}</label>
                    <select id="festival" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {upcoming.iter().map(|&(f, day)| view! {
                            <option value=day.to_string()>{move || f.label(lang.get())} " " {day.to_string()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <p role="status">
                    {move || round.with(|r| r.as_ref().map(|(all, l)| remaining_text(lang.get(), l.len(), *all)))}
                </p>
                <p class="muted">{move || window_text(lang.get())}</p>
                <Show when=move || { left() > 0 } fallback=move || view! { <p>{tr(ALL_GREETED)}</p> }>
                    <ul class="rows" aria-labelledby="greetings-title">
                        <For each=move || round.with(|r| r.as_ref().map(|(_, l)| l.iter().take(limit.get()).cloned().collect::<Vec<_>>()).unwrap_or_default())
                            key=|h| h.id let(h)>
                            <HouseholdRow href=format!("/visits/new?household={}&greeting=1", h.id) household=h/>
                        </For>
                    </ul>
                </Show>
                <ShowMore total=Signal::derive(left) limit=limit step=PAGE/>
            </Show>
        </section>
    }
}
