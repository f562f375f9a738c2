use doorstep_core::household::Household;
use leptos::prelude::*;

/// One household in a list: its address and residents, a link to `href`.
#[component]
pub fn HouseholdRow(household: Household, href: String) -> impl IntoView {
    let names = household
        .residents
        .iter()
        .map(|r| r.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <li>
            <a class="row-link" href=href>
                <span class="row-title">{household.address.one_line()}</span>
                <span class="muted">{names}</span>
                {(!household.assigned_to.is_empty()).then(|| view! {
                    <span class="muted">{crate::i18n::tr(crate::i18n::ASSIGNED_TO)}{crate::i18n::tr(crate::i18n::COLON)}{household.assigned_to.clone()}</span>
                })}
            </a>
        </li>
    }
}
