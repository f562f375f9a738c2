use doorstep_core::due::{due_list, household_due, DueStatus};
use doorstep_core::{festival, Lang};
use leptos::prelude::*;

use crate::components::field::ShowMore;
use crate::i18n::*;
use crate::routes::households::PAGE;
use crate::state::{today, use_db, utc_offset_minutes};

fn status_text(s: DueStatus, lang: Lang) -> String {
    match (s, lang) {
        (DueStatus::Overdue { days }, Lang::Zh) => format!("逾期 {days} 天"),
        (DueStatus::Overdue { days }, Lang::En) => format!("{days} days overdue"),
        (DueStatus::Soon { in_days }, Lang::Zh) => format!("{in_days} 天后"),
        (DueStatus::Soon { in_days }, Lang::En) => format!("in {in_days} days"),
        _ => DUE_TODAY.get(lang).to_owned(),
    }
}

/// Households due a visit: overdue first, then today, then the coming week.
#[component]
pub fn DueList() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let limit = RwSignal::new(PAGE);
    let due = Memo::new(move |_| {
        let live = db.live_visits(|_| true);
        let deleted = db.deleted.get();
        let offset = utc_offset_minutes();
        // Festivals-only households fall due before the next festival.
        let festival = festival::next(today()).map(|(_, day)| day);
        db.households.with(|hs| {
            let items = hs
                .iter()
                .filter(|h| !deleted.contains(&h.id))
                .map(|h| (h.clone(), household_due(h, &live, offset, festival)));
            due_list(items, today())
        })
    });
    view! {
        <section class="card" aria-labelledby="due-title">
            <h2 id="due-title">{move || counted(lang.get(), DUE.get(lang.get()), due.with(Vec::len))}</h2>
            <a class="button primary" href="/visits/new">{tr(LOG_A_VISIT)}</a>
            {festival::next(today()).map(|(f, day)| view! {
                <a class="button" href="/greetings">
                    {tr(GREETING_ROUND)} " · " {move || f.label(lang.get())} " " {day.to_string()}
                </a>
            })}
            <Show when=move || due.with(|d| !d.is_empty())
                fallback=move || view! { <p class="muted">{tr(NOTHING_DUE)}</p> }>
                <ul class="rows" aria-labelledby="due-title">
                    <For each=move || due.with(|d| d.iter().take(limit.get()).cloned().collect::<Vec<_>>())
                        key=|(h, d, _)| (h.id, *d) let((h, _, status))>
                        <li>
                            <a class="row-link" href=format!("/visits/new?household={}", h.id)>
                                <span class="row-title">{h.address.one_line()}</span>
                                <span class:overdue=matches!(status, DueStatus::Overdue { .. })>
                                    {move || status_text(status, lang.get())}
                                </span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <ShowMore total=Signal::derive(move || due.with(Vec::len)) limit=limit step=PAGE/>
        </section>
    }
}
