use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::app_header::AppHeader;
use crate::components::coordinator_only::CoordinatorOnly;
use crate::components::period_picker::provide_period;
use crate::i18n::*;
use crate::routes::account::AccountPage;
use crate::routes::dashboard::DashboardPage;
use crate::routes::devices::DevicesPage;
use crate::routes::event_form::EventFormPage;
use crate::routes::events::EventsPage;
use crate::routes::greetings::GreetingsPage;
use crate::routes::home::HomePage;
use crate::routes::household_form::HouseholdFormPage;
use crate::routes::household_page::HouseholdPage;
use crate::routes::households::HouseholdsPage;
use crate::routes::lock::{PinSetupPage, UnlockPage};
use crate::routes::members::MembersPage;
use crate::routes::review::ReviewPage;
use crate::routes::roster::{PersonFormPage, RosterPage};
use crate::routes::sign_in::SignInPage;
use crate::routes::sync_problems::SyncProblemsPage;
use crate::routes::units::{UnitFormPage, UnitsPage};
use crate::routes::visit_form::VisitFormPage;
use crate::routes::visit_page::VisitPage;
use crate::session::SessionCtx;
use crate::state::Db;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    provide_context(UiLang(lang));
    let db = Db::load();
    provide_context(db);
    let session = SessionCtx::new();
    provide_context(session);
    let sync = crate::sync::provide_sync(db, session);
    // At start, or once the PIN opened a sealed sign-in.
    Effect::new(move |was: Option<bool>| {
        let now = session.session.with(Option::is_some);
        if now && was != Some(true) {
            check_session(session, sync);
        }
        now
    });
    provide_period();
    crate::hooks::provide_period_records();
    lock_after_background(session, db);
    // Keep <html lang> in step, so screen readers and fonts pick the right language.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().tag());
        }
    });
    view! {
        <Router>
            <AppHeader/>
            <Show when=move || !session.locked.get()
                fallback=|| view! { <main><UnlockPage/></main> }>
            <Show when=move || session.session.with(Option::is_some)
                fallback=|| if crate::routes::join::is_link_page() {
                    view! { <main><crate::routes::join::JoinPage/></main> }.into_any()
                } else {
                    view! { <main><SignInPage/></main> }.into_any()
                }>
            <Show when=move || session.has_pin.get()
                fallback=|| view! { <main><PinSetupPage/></main> }>
            <nav class="tabs" aria-label=tr(MAIN_NAV)>
                <a href="/">{tr(NAV_HOME)}</a>
                <a href="/households">{tr(NAV_HOUSEHOLDS)}</a>
                <a href="/events">{tr(NAV_EVENTS)}</a>
                <Show when=move || session.session.with(|s| s.as_ref().is_some_and(|s| s.user.role.is_coordinator()))>
                    <a href="/dashboard">{tr(NAV_DASHBOARD)}</a>
                    <a href="/review">{tr(NAV_REVIEW)}</a>
                    <a href="/members">{tr(NAV_MEMBERS)}</a>
                </Show>
            </nav>
            <main>
                <Routes fallback=|| view! { <HomePage/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/households") view=HouseholdsPage/>
                    <Route path=path!("/households/new") view=HouseholdFormPage/>
                    <Route path=path!("/households/:id") view=HouseholdPage/>
                    <Route path=path!("/households/:id/edit") view=HouseholdFormPage/>
                    <Route path=path!("/visits/new") view=VisitFormPage/>
                    <Route path=path!("/visits/:id") view=VisitPage/>
                    <Route path=path!("/visits/:id/edit") view=VisitFormPage/>
                    <Route path=path!("/greetings") view=GreetingsPage/>
                    <Route path=path!("/events") view=EventsPage/>
                    <Route path=path!("/events/new") view=EventFormPage/>
                    <Route path=path!("/events/:id/edit") view=EventFormPage/>
                    <Route path=path!("/sync-problems") view=SyncProblemsPage/>
                    <Route path=path!("/account") view=AccountPage/>
                    <Route path=path!("/members") view=|| view! { <CoordinatorOnly><MembersPage/></CoordinatorOnly> }/>
                    <Route path=path!("/roster") view=|| view! { <CoordinatorOnly><RosterPage/></CoordinatorOnly> }/>
                    <Route path=path!("/roster/new") view=|| view! { <CoordinatorOnly><PersonFormPage/></CoordinatorOnly> }/>
                    <Route path=path!("/roster/:id/edit") view=|| view! { <CoordinatorOnly><PersonFormPage/></CoordinatorOnly> }/>
                    <Route path=path!("/units") view=|| view! { <CoordinatorOnly><UnitsPage/></CoordinatorOnly> }/>
                    <Route path=path!("/units/new") view=|| view! { <CoordinatorOnly><UnitFormPage/></CoordinatorOnly> }/>
                    <Route path=path!("/units/:id/edit") view=|| view! { <CoordinatorOnly><UnitFormPage/></CoordinatorOnly> }/>
                    <Route path=path!("/devices") view=|| view! { <CoordinatorOnly><DevicesPage/></CoordinatorOnly> }/>
                    <Route path=path!("/dashboard") view=|| view! { <CoordinatorOnly><DashboardPage/></CoordinatorOnly> }/>
                    <Route path=path!("/review") view=|| view! { <CoordinatorOnly><ReviewPage/></CoordinatorOnly> }/>
                </Routes>
            </main>
            </Show>
            </Show>
            </Show>
        </Router>
    }
}

/// At start, when online, asks the server whether this phone's sign-in still holds (and
/// takes its word on the user's role and name, which an admin may have changed). Revoked
/// by a coordinator: a sync sends what the phone saved and then wipes the team's data (see
/// `sync::exchange`). Unknown token: asks to sign in again and keeps every record. Offline,
/// or when the server cannot be reached, the app simply works on.
fn check_session(ctx: SessionCtx, sync: crate::sync::SyncCtx) {
    let Some(token) = ctx.token() else {
        return;
    };
    if !crate::hooks::is_online() {
        return;
    }
    leptos::task::spawn_local(async move {
        use crate::api::ApiProblem::{Revoked, SignedOut};
        match crate::api::me(&token).await {
            Ok(user) => ctx.refresh_user(user),
            Err(Revoked) => sync.request(),
            Err(SignedOut) => ctx.ended_by_server(SignedOut),
            _ => {}
        }
    });
}

/// Locks the app when it comes back after `BACKGROUND_LOCK_MS` or more in the background;
/// on a sealed phone the records leave memory with the data key.
fn lock_after_background(ctx: SessionCtx, db: Db) {
    let hidden_at = StoredValue::new(None::<doorstep_core::UnixMillis>);
    let handle = window_event_listener(leptos::ev::visibilitychange, move |_| {
        let now = crate::browser::now();
        if document().hidden() {
            hidden_at.set_value(Some(now));
        } else if let Some(at) = hidden_at.get_value() {
            if doorstep_core::lock::locks_on_return(at, now)
                && ctx.lock()
                && !crate::local_store::LocalStore::is_unlocked()
            {
                db.forget();
            }
        }
    });
    on_cleanup(move || handle.remove());
}
