//! The team's visits and events for a period: from this phone when its window holds the
//! period, else from the server (held in memory for the session, never stored).

use doorstep_core::event::Event;
use doorstep_core::sync::window;
use doorstep_core::visit::Visit;
use doorstep_core::Day;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::api::{self, ApiProblem};
use crate::state::{use_db, Db};

/// Where the records of a period come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// This phone keeps the whole period (and what its figures read before it).
    Phone,
    /// Being read from the server.
    Loading,
    /// Read from the server (with this phone's own copies on top).
    Server,
    /// Not on this phone (it keeps records from its window's first day on), and the server
    /// cannot be reached.
    NotOnPhone,
    /// The server answered with an error.
    Failed,
}

impl Source {
    pub fn ready(self) -> bool {
        matches!(self, Source::Phone | Source::Server)
    }
}

/// The visits and events of a period, live (deleted ones left out), newest first.
#[derive(Clone, Copy)]
pub struct PeriodRecords {
    pub source: Signal<Source>,
    pub visits: Memo<Vec<Visit>>,
    pub events: Memo<Vec<Event>>,
    /// Reads the period from the server again (after a failure).
    pub retry: Callback<()>,
}

/// What the server listed for a range of days, kept in memory for this session only (never
/// stored: the phone's window is what it keeps).
#[derive(Clone, PartialEq)]
struct Fetched {
    days: (Day, Day),
    visits: Vec<Visit>,
    events: Vec<Event>,
}

/// Shared by the dashboard and the review, so going from one to the other reads nothing
/// again.
#[derive(Clone, Copy)]
struct ServerPeriod {
    fetched: RwSignal<Option<Fetched>>,
    loading: RwSignal<Option<(Day, Day)>>,
    failed: RwSignal<Option<(Day, Day)>>,
}

pub fn provide_period_records() {
    let server = ServerPeriod {
        fetched: RwSignal::new(None),
        loading: RwSignal::new(None),
        failed: RwSignal::new(None),
    };
    provide_context(server);
    // Locked (the sign-in leaves memory with the data key) or signed out: so does what the
    // server sent.
    let session = crate::session::use_session();
    Effect::new(move |_| {
        if session.session.with(Option::is_none) {
            server.fetched.set(None);
        }
    });
}

/// The team's records from `days.0` to `days.1`: this phone's when its window holds them,
/// else the server's (coordinators) while online.
pub fn use_period_records(days: Signal<(Day, Day)>) -> PeriodRecords {
    let db = use_db();
    let server = expect_context::<ServerPeriod>();
    let online = super::use_online();
    let session = crate::session::use_session();
    let on_phone = Memo::new(move |_| {
        db.window
            .with(|w| w.is_none_or(|w| w.holds_from(days.get().0)))
    });
    let covered = move |(from, to): (Day, Day)| {
        server.fetched.with(|f| {
            f.as_ref()
                .is_some_and(|f| f.days.0 <= from && to <= f.days.1)
        })
    };
    let fetch = move |wanted: (Day, Day)| {
        let Some(token) = session.token() else {
            return;
        };
        server.loading.set(Some(wanted));
        server.failed.set(None);
        leptos::task::spawn_local(async move {
            let read = async {
                Ok::<_, ApiProblem>((
                    all_pages::<Visit>(&token, "visits", wanted).await?,
                    all_pages::<Event>(&token, "events", wanted).await?,
                ))
            };
            match read.await {
                Ok((visits, events)) => server.fetched.set(Some(Fetched {
                    days: wanted,
                    visits,
                    events,
                })),
                Err(ApiProblem::Offline) => {}
                Err(_) => server.failed.set(Some(wanted)),
            }
            server.loading.set(None);
        });
    };
    // Reads when the period needs the server, and again once back online.
    Effect::new(move |_| {
        let wanted = days.get();
        if on_phone.get() || !online.get() || covered(wanted) {
            return;
        }
        let busy = server.loading.get_untracked() == Some(wanted);
        let failed = server.failed.get_untracked() == Some(wanted);
        if !busy && !failed {
            fetch(wanted);
        }
    });
    let source = Signal::derive(move || {
        let wanted = days.get();
        if on_phone.get() {
            Source::Phone
        } else if covered(wanted) {
            Source::Server
        } else if server.loading.get() == Some(wanted) {
            Source::Loading
        } else if server.failed.get() == Some(wanted) {
            Source::Failed
        } else {
            Source::NotOnPhone
        }
    });
    let visits = Memo::new(move |_| {
        let phone = || db.live_visits(|_| true);
        records(
            &db,
            source.get(),
            server,
            |f| &f.visits,
            phone,
            |v| (v.day, v.created_at),
        )
    });
    let events = Memo::new(move |_| {
        let phone = || db.live_events(|_| true);
        records(
            &db,
            source.get(),
            server,
            |f| &f.events,
            phone,
            |e| (e.day, e.created_at),
        )
    });
    PeriodRecords {
        source,
        visits,
        events,
        retry: Callback::new(move |_| fetch(days.get_untracked())),
    }
}

/// The phone's live records (newest first, as `Db` lists them), the server's with the
/// phone's on top (sorted the same way by `newest`), or none while neither holds the whole
/// period (a part would read as the whole).
fn records<T: doorstep_core::store::Record + Clone + Send + Sync + 'static>(
    db: &Db,
    source: Source,
    server: ServerPeriod,
    of: fn(&Fetched) -> &Vec<T>,
    phone: impl Fn() -> Vec<T>,
    newest: fn(&T) -> (Day, doorstep_core::UnixMillis),
) -> Vec<T> {
    match source {
        Source::Phone => phone(),
        Source::Server => {
            let listed = server
                .fetched
                .with(|f| f.as_ref().map(|f| of(f).clone()).unwrap_or_default());
            let mut out = db
                .deleted
                .with(|gone| window::overlay(listed, &phone(), gone));
            out.sort_by_key(|r| std::cmp::Reverse(newest(r)));
            out
        }
        _ => Vec::new(),
    }
}

/// Every page the server lists of `kind` for these days.
async fn all_pages<T: DeserializeOwned>(
    token: &str,
    kind: &str,
    days: (Day, Day),
) -> Result<Vec<T>, ApiProblem> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page: api::Listed<T> = api::records_between(token, kind, days, offset).await?;
        out.extend(page.items);
        match page.next_offset {
            Some(next) if next > offset => offset = next,
            _ => return Ok(out),
        }
    }
}
