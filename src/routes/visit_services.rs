use doorstep_core::i18n::Text;
use doorstep_core::services::{ServicesDraft, SupplyDraft};
use doorstep_core::validate::FieldError;
use doorstep_core::visit::VisitDraft;
use leptos::prelude::*;

use crate::components::field::{error_of, CheckField, TextField};
use crate::i18n::*;

/// The services as large toggles; quantities and blood pressure appear only when switched on.
#[component]
pub fn ServicesFields(
    draft: RwSignal<VisitDraft>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let lang = use_lang();
    let toggle = move |id: &'static str,
                       label: Text,
                       get: fn(&ServicesDraft) -> bool,
                       set: fn(&mut ServicesDraft, bool)| {
        view! {
            <CheckField id=id.to_string() label=Signal::derive(move || label.get(lang.get()))
                checked=Signal::derive(move || draft.with(|d| get(&d.services)))
                on_change=move |on: bool| draft.update(|d| set(&mut d.services, on))/>
        }
    };
    let on = move |get: fn(&ServicesDraft) -> bool| move || draft.with(|d| get(&d.services));
    let rows = move || draft.with(|d| d.services.supplies.len());
    view! {
        <fieldset class="toggles">
            <legend>{tr(SERVICES_DONE)}</legend>
            {toggle("svc-chat", CHAT, |s| s.companionship_chat, |s, v| s.companionship_chat = v)}
            {toggle("svc-cleaning", CLEANING, |s| s.cleaning_help, |s, v| s.cleaning_help = v)}
            {toggle("svc-greeting", GREETING, |s| s.holiday_greeting, |s, v| s.holiday_greeting = v)}
            {toggle("svc-supplies", SUPPLIES, |s| s.supplies_on, |s, v| {
                s.supplies_on = v;
                if v && s.supplies.is_empty() { s.supplies.push(SupplyDraft::default()) }
            })}
            <Show when=on(|s| s.supplies_on)>
                <div class="sub">
                    <For each=move || 0..rows() key=|i| *i let(i)>
                        <SupplyRow i=i draft=draft errors=errors/>
                    </For>
                    <p class="field-error">{move || error_of(errors, "supplies").get()}</p>
                    <button type="button" on:click=move |_| draft.update(|d| d.services.supplies.push(SupplyDraft::default()))>
                        {tr(ADD_ITEM)}
                    </button>
                </div>
            </Show>
            {toggle("svc-bp", BP_CHECK, |s| s.bp_on, |s, v| s.bp_on = v)}
            <Show when=on(|s| s.bp_on)>
                <div class="sub row3">
                    <TextField id="bp-systolic" label=SYSTOLIC inputmode="numeric"
                        value=Signal::derive(move || draft.with(|d| d.services.systolic.clone()))
                        on_input=move |v: String| draft.update(|d| d.services.systolic = v)
                        error=error_of(errors, "bp.systolic")/>
                    <TextField id="bp-diastolic" label=DIASTOLIC inputmode="numeric"
                        value=Signal::derive(move || draft.with(|d| d.services.diastolic.clone()))
                        on_input=move |v: String| draft.update(|d| d.services.diastolic = v)
                        error=error_of(errors, "bp.diastolic")/>
                </div>
            </Show>
            {toggle("svc-haircut", HAIRCUT, |s| s.haircut, |s, v| s.haircut = v)}
            {toggle("svc-knives", KNIVES, |s| s.knife_sharpening, |s, v| s.knife_sharpening = v)}
            {toggle("svc-clinic", CLINIC, |s| s.free_clinic, |s, v| s.free_clinic = v)}
            {toggle("svc-fraud", ANTI_FRAUD, |s| s.anti_fraud_talk, |s, v| s.anti_fraud_talk = v)}
            <Show when=on(|s| s.anti_fraud_talk)>
                <div class="sub">{toggle("svc-leaflet", LEAFLET, |s| s.leaflet_given, |s, v| s.leaflet_given = v)}</div>
            </Show>
        </fieldset>
    }
}

#[component]
fn SupplyRow(
    i: usize,
    draft: RwSignal<VisitDraft>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let get = move |f: fn(&SupplyDraft) -> String| {
        Signal::derive(move || {
            draft.with(|d| d.services.supplies.get(i).map(f).unwrap_or_default())
        })
    };
    let set = move |f: fn(&mut SupplyDraft, String)| {
        move |v: String| {
            draft.update(|d| {
                if let Some(s) = d.services.supplies.get_mut(i) {
                    f(s, v)
                }
            })
        }
    };
    view! {
        <div class="row3">
            <TextField id=format!("supplies-{i}-item") label=ITEM value=get(|s| s.item.clone())
                on_input=set(|s, v| s.item = v) error=error_of(errors, format!("supplies.{i}.item"))/>
            <TextField id=format!("supplies-{i}-quantity") label=QUANTITY inputmode="numeric" value=get(|s| s.quantity.clone())
                on_input=set(|s, v| s.quantity = v) error=error_of(errors, format!("supplies.{i}.quantity"))/>
            <TextField id=format!("supplies-{i}-unit") label=QTY_UNIT value=get(|s| s.unit.clone())
                on_input=set(|s, v| s.unit = v) error=error_of(errors, format!("supplies.{i}.unit"))/>
        </div>
    }
}
