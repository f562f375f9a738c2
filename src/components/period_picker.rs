//! From and to dates for the coordinator's screens, shared between them (this month first).

use doorstep_core::stats::Period;
use doorstep_core::Day;
use leptos::prelude::*;

use crate::i18n::*;

/// The period the dashboard and the review show.
#[derive(Clone, Copy)]
pub struct PeriodCtx(pub RwSignal<Period>);

pub fn provide_period() {
    provide_context(PeriodCtx(RwSignal::new(Period::month_of(
        crate::state::today(),
    ))));
}

pub fn use_period() -> RwSignal<Period> {
    expect_context::<PeriodCtx>().0
}

#[component]
pub fn PeriodPicker() -> impl IntoView {
    let period = use_period();
    let from = RwSignal::new(period.get_untracked().from.to_string());
    let to = RwSignal::new(period.get_untracked().to.to_string());
    let bad = RwSignal::new(false);
    let apply = move || match (
        Day::parse(&from.get_untracked()),
        Day::parse(&to.get_untracked()),
    ) {
        (Ok(f), Ok(t)) if f <= t => {
            bad.set(false);
            period.set(Period { from: f, to: t });
        }
        _ => bad.set(true),
    };
    let pick = move |p: Period| {
        from.set(p.from.to_string());
        to.set(p.to.to_string());
        apply();
    };
    let this_month = move || Period::month_of(crate::state::today());
    view! {
        <div class="period">
            <div class="field">
                <label for="period-from">{tr(PERIOD_FROM)}</label>
                <input id="period-from" type="date" prop:value=move || from.get()
                    on:change=move |ev| { from.set(event_target_value(&ev)); apply(); }/>
            </div>
            <div class="field">
                <label for="period-to">{tr(PERIOD_TO)}</label>
                <input id="period-to" type="date" prop:value=move || to.get()
                    on:change=move |ev| { to.set(event_target_value(&ev)); apply(); }/>
            </div>
            <div class="period-quick">
                <button type="button" class="small" on:click=move |_| pick(this_month())>{tr(THIS_MONTH)}</button>
                " "
                <button type="button" class="small"
                    on:click=move |_| pick(Period::month_of(this_month().from.add_days(-1)))>{tr(LAST_MONTH)}</button>
            </div>
            <p class="field-error" role="alert">{move || bad.get().then(|| tr(BAD_PERIOD)())}</p>
        </div>
    }
}
