//! The coordinator's dashboard (统计): the team's numbers for a period, from the records
//! synced to this phone (so it opens offline too) or, for a period older than the phone
//! keeps, from the server (来自服务器); charts, and the server's exports.

use doorstep_core::household::Household;
use doorstep_core::stats::{self, Totals};
use doorstep_core::Lang;
use leptos::prelude::*;

use crate::components::bar_chart::BarChart;
use crate::components::export_panel::ExportPanel;
use crate::components::period_picker::{use_period, PeriodPicker};
use crate::components::period_source::PeriodSource;
use crate::hooks::{use_period_records, Source};
use crate::i18n::*;
use crate::state::{today, use_db, Db};

/// The team's live households on this phone (deleted ones left out): every phone keeps all.
fn live_households(db: &Db) -> Vec<Household> {
    let deleted = db.deleted.get();
    db.households.with(|xs| {
        xs.iter()
            .filter(|x| !deleted.contains(&x.id))
            .cloned()
            .collect()
    })
}

/// A number with its label; with `href`, a link to the records behind it (the review).
#[component]
fn Figure(
    label: doorstep_core::i18n::Text,
    #[prop(into)] value: Signal<u64>,
    #[prop(optional)] href: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let number = move || value.get();
    // The link's name says what the number counts (a bare "3" tells a screen reader little).
    let name = move || label_value(lang.get(), label.get(lang.get()), value.get());
    view! {
        <div class="figure">
            <dt>{tr(label)}</dt>
            <dd>{match href {
                Some(href) => view! { <a href=href aria-label=name>{number}</a> }.into_any(),
                None => number.into_any(),
            }}</dd>
        </div>
    }
}

/// Something shown from the totals (a chart's rows, a list's lines), in the UI language.
fn from_totals<T: Send + Sync + 'static>(
    totals: Memo<Totals>,
    lang: RwSignal<Lang>,
    shown: fn(&Totals, Lang) -> T,
) -> Signal<T> {
    Signal::derive(move || totals.with(|t| shown(t, lang.get())))
}

/// A list's lines, or "nothing in this period".
#[component]
fn Lines(lines: Signal<Vec<String>>) -> impl IntoView {
    move || {
        let lines = lines.get();
        if lines.is_empty() {
            return view! { <p class="muted">{tr(NONE_IN_PERIOD)}</p> }.into_any();
        }
        view! {
            <ul class="plain">
                {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let period = use_period();
    let sync = crate::sync::use_sync();
    // The figures read the period and the 90 days before its end ("not visited for").
    let records = use_period_records(Signal::derive(move || {
        let p = period.get();
        (stats::first_day_read(p, today()), p.to)
    }));
    let ready = move || records.source.get().ready();
    let totals = Memo::new(move |_| {
        let hs = live_households(&db);
        records.visits.with(|vs| {
            records
                .events
                .with(|es| stats::totals(period.get(), today(), &hs, vs, es, &db.roster()))
        })
    });
    let num = move |f: fn(&Totals) -> u64| Signal::derive(move || totals.with(f));
    let as_of = move || {
        let l = lang.get();
        let at = sync
            .last_ok
            .get()
            .map(|t| crate::browser::format_time(t, l.tag()));
        data_as_of(l, at.as_deref())
    };
    let weeks = from_totals(totals, lang, |t, l| {
        t.visits_per_week
            .iter()
            .map(|(monday, n)| (week_of(l, &monday.to_string()[5..]), *n))
            .collect()
    });
    let services = from_totals(totals, lang, |t, l| {
        t.services
            .by_kind()
            .iter()
            .map(|(k, n)| (k.label(l).to_owned(), *n))
            .collect()
    });
    let not_visited = from_totals(totals, lang, |t, l| {
        t.not_visited
            .iter()
            .map(|(days, n)| (days_or_more(l, *days), *n))
            .collect()
    });
    let by_kind = from_totals(totals, lang, |t, l| {
        t.events_by_kind
            .iter()
            .map(|(k, n)| label_value(l, k.label(l), n))
            .collect()
    });
    let supplies = from_totals(totals, lang, |t, _| {
        t.supplies
            .iter()
            .map(|s| format!("{} {} {}", s.item, s.quantity, s.unit))
            .collect()
    });
    view! {
        <section class="card" aria-labelledby="dashboard-title">
            <h2 id="dashboard-title">{tr(DASHBOARD)}</h2>
            <PeriodPicker/>
            <PeriodSource records=records/>
            <Show when=move || records.source.get() == Source::Phone>
                <p class="muted" id="data-as-of">{as_of}</p>
            </Show>
            <Show when=ready>
            <dl class="figures">
                <Figure label=HOUSEHOLDS_VISITED value=num(|t| t.households_visited)/>
                <Figure label=OF_THEM_ALONE value=num(|t| t.visited_living_alone)/>
                <Figure label=OF_THEM_LIMITED value=num(|t| t.visited_limited_mobility)/>
                <Figure label=VISITS_COUNT value=num(|t| t.visits) href="/review"/>
                <Figure label=EVENTS_COUNT value=num(|t| t.events)/>
                <Figure label=ATTENDANCE value=num(|t| t.attendance)/>
                <Figure label=VOLUNTEERS_ACTIVE value=num(|t| t.volunteers_active)/>
                <Figure label=NEEDING_ATTENTION value=num(|t| t.visits_needing_attention) href="/review?attention=1"/>
                <Figure label=FOLLOW_UPS_OPEN value=num(|t| t.follow_ups_open) href="/review?open=1"/>
                <Figure label=FOLLOW_UPS_OVERDUE value=num(|t| t.follow_ups_overdue) href="/review?open=1"/>
            </dl>
            </Show>
        </section>
        <Show when=ready>
        <section class="card charts">
            <BarChart id="chart-weeks" title=CHART_WEEKS rows=weeks/>
            <BarChart id="chart-services" title=CHART_SERVICES rows=services/>
            <BarChart id="chart-not-visited" title=CHART_NOT_VISITED rows=not_visited/>
        </section>
        <section class="card" aria-labelledby="by-kind-title">
            <h2 id="by-kind-title">{tr(EVENTS_BY_KIND)}</h2>
            <Lines lines=by_kind/>
            <h2>{tr(SUPPLIES_GIVEN)}</h2>
            <Lines lines=supplies/>
        </section>
        <crate::routes::hours::HoursTable records=records period=period/>
        <crate::routes::shares::SharesTables records=records period=period/>
        </Show>
        <ExportPanel period=period/>
    }
}
