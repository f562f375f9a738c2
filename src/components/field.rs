use doorstep_core::i18n::Text;
use doorstep_core::validate::FieldError;
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

/// The message for `field` among `errors`, in the current language.
pub fn error_of(
    errors: RwSignal<Vec<FieldError>>,
    field: impl Into<String>,
) -> Signal<Option<String>> {
    let lang = use_lang();
    let field = field.into();
    Signal::derive(move || {
        errors.with(|e| {
            e.iter()
                .find(|x| x.field == field)
                .map(|x| x.message(lang.get()))
        })
    })
}

/// A labelled text input (or textarea) with its error underneath; what was typed stays.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    label: Text,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] multiline: bool,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] inputmode: &'static str,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = move || error.get().is_some().to_string();
    let input = if multiline {
        view! {
            <textarea id=id.clone() rows="3" aria-invalid=invalid aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=input_type inputmode=(!inputmode.is_empty()).then_some(inputmode)
                list=(!list.is_empty()).then_some(list) autocomplete="off" aria-invalid=invalid aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            {input}
            <p id=error_id class="field-error">{move || error.get()}</p>
        </div>
    }
}

/// A labelled checkbox, large enough for a thumb.
#[component]
pub fn CheckField(
    id: String,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] checked: Signal<bool>,
    #[prop(into)] on_change: Callback<bool>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    view! {
        <div class="check">
            <input type="checkbox" id=id.clone() prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev))/>
            <label for=id>{move || label.get()}</label>
            {error.map(|e| view! { <p class="field-error">{move || e.get()}</p> })}
        </div>
    }
}

/// A labelled drop-down. `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    label: Text,
    options: Vec<(String, Signal<&'static str>)>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_change: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label)}</label>
            <select id=id on:change=move |ev| on_change.run(event_target_value(&ev))>
                {options.into_iter().map(|(v, l)| {
                    let selected = { let v = v.clone(); move || value.get() == v };
                    view! { <option value=v prop:selected=selected>{move || l.get()}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A labelled drop-down of records by name (people, units), with "not said" first; the
/// options follow `options` as the records change.
#[component]
pub fn RecordSelect(
    #[prop(into)] id: String,
    label: Text,
    #[prop(into)] options: Signal<Vec<(doorstep_core::RecordId, String)>>,
    #[prop(into)] value: Signal<Option<doorstep_core::RecordId>>,
    #[prop(into)] on_change: Callback<Option<doorstep_core::RecordId>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label)}</label>
            <select id=id on:change=move |ev| {
                on_change.run(doorstep_core::RecordId::parse(&event_target_value(&ev)).ok())
            }>
                <option value="" selected=move || value.get().is_none()>{tr(crate::i18n::NOT_SAID)}</option>
                {move || options.get().into_iter().map(|(id, name)| {
                    let selected = move || value.get() == Some(id);
                    view! { <option value=id.to_string() selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Adds `x` to `set` when `on`, removes it otherwise.
pub fn toggle<T: PartialEq>(set: &mut Vec<T>, x: T, on: bool) {
    set.retain(|y| *y != x);
    if on {
        set.push(x);
    }
}

/// One checkbox per coded choice (needs, partners …).
pub fn choice_checks<T>(
    id_prefix: &'static str,
    all: &'static [T],
    label: fn(T, doorstep_core::Lang) -> &'static str,
    is_on: impl Fn(T) -> bool + Copy + Send + Sync + 'static,
    set: impl Fn(T, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    T: Copy + std::fmt::Debug + Send + Sync + 'static,
{
    let lang = use_lang();
    all.iter()
        .map(|&x| {
            view! {
                <CheckField id=format!("{id_prefix}-{x:?}") label=Signal::derive(move || label(x, lang.get()))
                    checked=Signal::derive(move || is_on(x))
                    on_change=move |on: bool| set(x, on)/>
            }
        })
        .collect_view()
}

/// A count with large − and + buttons, and the number typed directly if easier.
#[component]
pub fn Stepper(
    #[prop(into)] id: String,
    label: Text,
    #[prop(into)] value: Signal<u32>,
    #[prop(into)] on_change: Callback<u32>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let name = move |verb: Text| format!("{} {}", verb.get(lang.get()), label.get(lang.get()));
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label)}</label>
            <div class="stepper">
                <button type="button" aria-label=move || name(crate::i18n::DECREASE)
                    on:click=move |_| on_change.run(value.get_untracked().saturating_sub(1))>"−"</button>
                <input id=id type="number" inputmode="numeric" min="0"
                    prop:value=move || value.get().to_string()
                    on:input=move |ev| on_change.run(event_target_value(&ev).trim().parse().unwrap_or(0))/>
                <button type="button" aria-label=move || name(crate::i18n::INCREASE)
                    on:click=move |_| on_change.run(value.get_untracked().saturating_add(1))>"+"</button>
            </div>
            <p class="field-error">{move || error.get()}</p>
        </div>
    }
}

/// (value, label) options for a drop-down of coded choices, the value being the variant name.
pub fn enum_options<T>(
    all: &'static [T],
    label: fn(T, doorstep_core::Lang) -> &'static str,
) -> Vec<(String, Signal<&'static str>)>
where
    T: Copy + std::fmt::Debug + Send + Sync + 'static,
{
    let lang = use_lang();
    all.iter()
        .map(|&x| {
            (
                format!("{x:?}"),
                Signal::derive(move || label(x, lang.get())),
            )
        })
        .collect()
}

/// The choice whose variant name is `value` (what [`enum_options`] put in the drop-down).
pub fn enum_choice<T: Copy + std::fmt::Debug>(all: &[T], value: &str) -> Option<T> {
    all.iter().copied().find(|x| format!("{x:?}") == value)
}

/// "Show more" under a list that shows `limit` rows of `total`.
#[component]
pub fn ShowMore(
    #[prop(into)] total: Signal<usize>,
    limit: RwSignal<usize>,
    step: usize,
) -> impl IntoView {
    view! {
        <Show when=move || { total.get() > limit.get() }>
            <button type="button" on:click=move |_| limit.update(|l| *l += step)>{tr(crate::i18n::SHOW_MORE)}</button>
        </Show>
    }
}

/// A [`TextField`] bound to one text field of a form's draft signal, with that field's error.
/// `bound_text!(draft, errors, "html-id", "error.field", LABEL, "type", multiline, path.to.field)`
macro_rules! bound_text {
    ($draft:ident, $errors:ident, $id:expr, $field:expr, $label:expr, $type:literal, $multi:expr, $($path:tt)+) => {
        view! {
            <TextField id=$id label=$label input_type=$type multiline=$multi
                value=Signal::derive(move || $draft.with(|d| d.$($path)+.clone()))
                on_input=move |v: String| $draft.update(|d| d.$($path)+ = v)
                error=$crate::components::field::error_of($errors, $field)/>
        }
    };
}
pub(crate) use bound_text;

/// Like [`enum_options`], with a first "not given" option of value "".
pub fn optional_enum_options<T>(
    all: &'static [T],
    label: fn(T, doorstep_core::Lang) -> &'static str,
) -> Vec<(String, Signal<&'static str>)>
where
    T: Copy + std::fmt::Debug + Send + Sync + 'static,
{
    let lang = use_lang();
    let mut options = vec![(
        String::new(),
        Signal::derive(move || crate::i18n::NOT_SAID.get(lang.get())),
    )];
    options.extend(enum_options(all, label));
    options
}

/// A form's submit button and, under it, why it did not save: field errors or storage.
#[component]
pub fn FormFooter(
    label: Text,
    errors: RwSignal<Vec<FieldError>>,
    save_error: RwSignal<Option<doorstep_core::store::StoreError>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <button type="submit" class="primary">{tr(label)}</button>
        <p class="error" role="alert">
            {move || (!errors.with(Vec::is_empty)).then(|| crate::i18n::FIX_ERRORS.get(lang.get()))}
            {move || save_error.get().map(|e| e.message(lang.get()))}
        </p>
    }
}

/// The record id in the route (`/…/:id/edit`), if any.
pub fn id_param() -> Option<doorstep_core::RecordId> {
    leptos_router::hooks::use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|s| doorstep_core::RecordId::parse(&s).ok())
}
