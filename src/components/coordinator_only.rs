//! The coordinator's screens, for coordinators: a volunteer who opens one by its address is
//! told so (the team's records are on every phone; exports would be refused by the server).

use leptos::prelude::*;

use crate::i18n::*;

#[component]
pub fn CoordinatorOnly(children: ChildrenFn) -> impl IntoView {
    let session = crate::session::use_session();
    let allowed = move || {
        session
            .session
            .with(|s| s.as_ref().is_some_and(|s| s.user.role.is_coordinator()))
    };
    view! {
        <Show when=allowed fallback=|| view! {
            <section class="card"><p role="alert">{tr(COORDINATORS_ONLY)}</p></section>
        }>
            {children()}
        </Show>
    }
}
