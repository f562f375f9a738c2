use doorstep_core::quick_visit::QuickVisit;
use doorstep_core::store::{Collection, StoreError};
use leptos::prelude::*;

use crate::components::due_list::DueList;
use crate::components::storage_panel::StoragePanel;
use crate::components::visit_form::VisitForm;
use crate::components::visit_list::VisitList;
use crate::i18n::{tr, UNREADABLE};
use crate::local_store::LocalStore;
use crate::pwa::use_storage_estimate;

pub const VISITS: &str = "quick-visits";

struct Startup {
    visits: Vec<QuickVisit>,
    unreadable: usize,
    error: Option<StoreError>,
}

fn load_visits() -> Startup {
    let loaded = LocalStore::open().and_then(|store| Collection::new(&store, VISITS).load_all());
    match loaded {
        Ok(l) => Startup {
            visits: l.records,
            unreadable: l.unreadable.len(),
            error: None,
        },
        Err(e) => Startup {
            visits: Vec::new(),
            unreadable: 0,
            error: Some(e),
        },
    }
}

/// The walking skeleton's one screen: log a visit, see the visits on this phone.
#[component]
pub fn HomePage() -> impl IntoView {
    let start = load_visits();
    let visits = RwSignal::new(start.visits);
    let (estimate, refresh_estimate) = use_storage_estimate();
    let unreadable = start.unreadable;
    let unreadable_text = tr(UNREADABLE);
    view! {
        <div>
            <DueList/>
            {(unreadable > 0).then(|| view! {
                <p class="banner warn" role="alert">{unreadable} " " {unreadable_text}</p>
            })}
            <VisitForm
                startup_error=start.error
                on_saved=move |v: QuickVisit| {
                    visits.update(|list| list.push(v));
                    refresh_estimate();
                }
            />
            <VisitList visits=visits/>
            <StoragePanel estimate=estimate/>
        </div>
    }
}
