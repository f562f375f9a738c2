//! One visit's full record (走访记录), read-only: what the review opens. Editing stays on
//! the visit form, for whoever logged it or a coordinator.

use doorstep_core::visit::Visit;
use doorstep_core::RecordId;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::conflicts::RecordConflicts;
use crate::components::follow_up_done::FollowUpDone;
use crate::i18n::*;
use crate::state::use_db;
use doorstep_core::store::RecordKind;

/// A labelled line, left out when there is nothing to say.
fn line(label: doorstep_core::i18n::Text, text: String) -> impl IntoView {
    (!text.is_empty()).then(|| {
        view! {
            <div class="record-line">
                <dt>{tr(label)}</dt>
                <dd>{text}</dd>
            </div>
        }
    })
}

#[component]
pub fn VisitPage() -> impl IntoView {
    let db = use_db();
    let lang = use_lang();
    let params = use_params_map();
    let visit = move || {
        let id = params
            .read()
            .get("id")
            .and_then(|s| RecordId::parse(&s).ok())?;
        if db.deleted.with(|d| d.contains(&id)) {
            return None;
        }
        db.visit(id)
    };
    view! {
        {move || match visit() {
            None => view! { <section class="card"><p role="alert">{tr(RECORD_NOT_FOUND)}</p></section> }.into_any(),
            Some(v) => record(v, lang.get(), &db).into_any(),
        }}
    }
}

fn record(v: Visit, l: doorstep_core::Lang, db: &crate::state::Db) -> impl IntoView {
    let household = db.household(v.household_id);
    let address = household
        .as_ref()
        .map(|h| h.address.one_line())
        .unwrap_or_default();
    let partners = db.units_line(&v.units, &v.partners, l);
    let needs = v
        .needs
        .iter()
        .map(|n| n.label(l))
        .collect::<Vec<_>>()
        .join(l.list_separator());
    let conditions = match (v.condition_level(), v.condition_text()) {
        (None, _) => String::new(),
        (Some(level), "") => level.label(l).to_owned(),
        (Some(level), text) => format!("{}：{text}", level.label(l)),
    };
    let follow_up = v
        .follow_up
        .as_ref()
        .map(|f| {
            let done = f.done_on.map(|d| format!(" ✓ {d}")).unwrap_or_default();
            format!("{}（{} {}）{done}", f.what, FOLLOW_UP_DUE.get(l), f.due)
        })
        .unwrap_or_default();
    let synced = db.is_synced(v.id, v.rev);
    let open = v.open_follow_up().is_some().then(|| v.clone());
    let error = RwSignal::new(None::<doorstep_core::store::StoreError>);
    view! {
        <section class="card" aria-labelledby="visit-title">
            <h2 id="visit-title">{VISIT_RECORD.get(l)} " · " {v.day.to_string()}</h2>
            <p><a href=format!("/households/{}", v.household_id)>{address}</a></p>
            <dl class="record">
                {line(VISIT_TIME, visit_time(&v, l))}
                {line(VOLUNTEER_NAMES, db.people_line(&v.people, &v.volunteers, l))}
                {line(PARTNERS, partners)}
                {line(SERVICES_DONE, v.services.summary(l))}
                {line(CONDITIONS, conditions)}
                {line(NEEDS, needs)}
                {line(NEEDS_TEXT, v.needs_text.clone())}
                {line(RESIDENTS_WORDS, v.residents_words.clone())}
                {line(FOLLOW_UP, follow_up)}
                {line(NOTES, v.notes.clone())}
            </dl>
            {open.map(|v| view! { <p><FollowUpDone visit=v error=error/></p> })}
            <p class="error" role="alert">{move || error.get().map(|e| e.message(l))}</p>
            <p>
                <span class="badge" class:synced=synced>
                    {if synced {
                        received(l, &crate::browser::format_clock(v.received_at, l.tag()))
                    } else {
                        SAVED_ON_PHONE.get(l).to_owned()
                    }}
                </span>
            </p>
            <a class="button" href=format!("/visits/{}/edit", v.id) aria-label=EDIT_THIS_VISIT.get(l)>{EDIT.get(l)}</a>
        </section>
        <RecordConflicts kind=RecordKind::Visit id=v.id edit_href=format!("/visits/{}/edit", v.id)/>
    }
}

/// "09:05–09:50（45 分钟）", or "" when the visit has no times (older records).
fn visit_time(v: &doorstep_core::visit::Visit, l: doorstep_core::Lang) -> String {
    let (Some(a), Some(b)) = (v.start_time.as_deref(), v.end_time.as_deref()) else {
        return String::new();
    };
    match doorstep_core::time::minutes_between(Some(a), Some(b)) {
        Some(m) => format!("{a}–{b}{}", minutes_text(m, l)),
        None => format!("{a}–{b}"),
    }
}

fn minutes_text(m: u32, l: doorstep_core::Lang) -> String {
    match l {
        doorstep_core::Lang::Zh => format!("（{m} 分钟）"),
        doorstep_core::Lang::En => format!(" ({m} min)"),
    }
}
