//! Exports and the monthly report, made by the server for the chosen period: a download
//! each. De-identified unless the coordinator ticks "identified" and gives a reason (the
//! server records it in the audit log before sending anything).

use doorstep_core::i18n::Text;
use doorstep_core::stats::Period;
use doorstep_core::Lang;
use leptos::prelude::*;

use crate::i18n::*;

/// What a button asks the server for.
#[derive(Clone, Copy)]
enum Export {
    Visits(&'static str),
    Events,
    Households,
    MonthlyReport,
    /// Service hours, one row per person per activity (a volunteer platform's bulk entry).
    Hours,
    /// The printable 志愿服务记录 of everyone who served in the period.
    ServiceRecords,
}

impl Export {
    fn label(self) -> Text {
        match self {
            Export::Visits("csv") => EXPORT_VISITS_CSV,
            Export::Visits(_) => EXPORT_VISITS_XLSX,
            Export::Events => EXPORT_EVENTS_XLSX,
            Export::Households => EXPORT_HOUSEHOLDS_XLSX,
            Export::MonthlyReport => MONTHLY_REPORT,
            Export::Hours => EXPORT_HOURS_XLSX,
            Export::ServiceRecords => SERVICE_RECORDS,
        }
    }

    /// The server path and the file name to save as.
    fn request(self, p: Period, lang: Lang, identified: Option<&str>) -> (String, String) {
        let lang = match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        let range = format!("from={}&to={}&lang={lang}", p.from, p.to);
        let who = identified
            .map(|r| {
                format!(
                    "&identified=1&reason={}",
                    js_sys::encode_uri_component(r.trim())
                )
            })
            .unwrap_or_default();
        let (what, ext) = match self {
            Export::Visits(ext) => ("visits", ext),
            Export::Events => ("events", "xlsx"),
            Export::Households => ("households", "xlsx"),
            Export::Hours => {
                return (
                    format!("/api/v1/reports/hours?{range}&format=xlsx"),
                    format!("doorstep-hours-{}-{}.xlsx", p.from, p.to),
                );
            }
            Export::ServiceRecords => {
                return (
                    format!("/api/v1/reports/hours?{range}&format=html"),
                    format!("doorstep-service-records-{}-{}.html", p.from, p.to),
                );
            }
            Export::MonthlyReport => {
                let month = &p.from.to_string()[..7];
                return (
                    format!("/api/v1/reports/monthly?month={month}&format=html&lang={lang}"),
                    format!("doorstep-report-{month}.html"),
                );
            }
        };
        (
            format!("/api/v1/export/{what}.{ext}?{range}{who}"),
            format!("doorstep-{what}-{}-{}.{ext}", p.from, p.to),
        )
    }

    /// Only the household and visit exports hold anything identifying.
    fn may_identify(self) -> bool {
        matches!(self, Export::Visits(_) | Export::Households)
    }
}

#[component]
pub fn ExportPanel(#[prop(into)] period: Signal<Period>) -> impl IntoView {
    let lang = use_lang();
    let online = crate::hooks::use_online();
    let identified = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let status = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let session = crate::session::use_session();
    let run = move |what: Export| {
        let lang_now = lang.get_untracked();
        let reason_now = reason.get_untracked();
        let identify = identified.get_untracked() && what.may_identify();
        if identify && reason_now.trim().chars().count() < 2 {
            status.set(Some(REASON_NEEDED.get(lang_now).to_owned()));
            return;
        }
        let Some(token) = session.token() else {
            return;
        };
        let (path, name) = what.request(
            period.get_untracked(),
            lang_now,
            identify.then_some(reason_now.as_str()),
        );
        busy.set(true);
        status.set(Some(DOWNLOADING.get(lang_now).to_owned()));
        leptos::task::spawn_local(async move {
            let said = match crate::api::file(&token, &path).await {
                Ok(blob) if crate::browser::save_blob(&blob, &name) => {
                    format!("{}{name}", DOWNLOADED.get(lang_now))
                }
                Ok(_) => crate::api::ApiProblem::Offline.message(lang_now).to_owned(),
                Err(e) => e.message(lang_now).to_owned(),
            };
            status.set(Some(said));
            busy.set(false);
        });
    };
    let button = move |what: Export| {
        view! {
            <button type="button" disabled=move || busy.get() || !online.get()
                on:click=move |_| run(what)>{tr(what.label())}</button>
        }
    };
    view! {
        <section class="card" aria-labelledby="exports-title">
            <h2 id="exports-title">{tr(EXPORTS)}</h2>
            <p class="muted">{tr(EXPORTS_WHY)}</p>
            <Show when=move || !online.get()>
                <p class="warn-text">{tr(EXPORTS_OFFLINE)}</p>
            </Show>
            <div class="button-grid">
                {button(Export::Visits("xlsx"))}
                {button(Export::Visits("csv"))}
                {button(Export::Events)}
                {button(Export::Households)}
                {button(Export::MonthlyReport)}
                {button(Export::Hours)}
                {button(Export::ServiceRecords)}
            </div>
            <p class="muted">{tr(MONTHLY_REPORT_HINT)}</p>
            <crate::components::field::CheckField id="export-identified".into()
                label=Signal::derive(move || IDENTIFIED.get(lang.get()))
                checked=identified on_change=move |on: bool| identified.set(on)/>
            <Show when=move || identified.get()>
                <div class="field">
                    <label for="export-reason">{tr(IDENTIFIED_REASON)}</label>
                    <input id="export-reason" type="text" maxlength="200"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                </div>
            </Show>
            <p role="status">{move || status.get()}</p>
        </section>
    }
}
