//! Sync glue: when to sync (start, back online, after a save, a timer with backoff, "Sync
//! now"), one tab at a time, and the status everyone sees. The rules are in
//! `doorstep_core::sync`; the exchange itself is in [`exchange`].

mod exchange;
mod web_lock;

use doorstep_core::sync::retry::{backoff_ms, NextStep};
use doorstep_core::UnixMillis;
use leptos::prelude::*;
use std::time::Duration;

use crate::session::SessionCtx;
use crate::state::Db;

/// The Web Lock every tab's sync holds.
const LOCK: &str = "doorstep-sync";

/// Runs `work` once no sync runs in any tab, and none starts until it ends: signing out must
/// not race a sync that would write the leaving user's records back after the wipe.
pub fn without_sync<F, Fut>(work: F)
where
    F: FnOnce() -> Fut + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    web_lock::with_lock(LOCK, false, work, |_| {});
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    Idle,
    Running {
        done: usize,
        total: usize,
    },
    /// `busy`: the server said it is overloaded (503 `busy`, 429); nothing is wrong here.
    Failed {
        busy: bool,
    },
    UpdateApp,
}

#[derive(Clone, Copy)]
pub struct SyncCtx {
    pub state: RwSignal<SyncState>,
    pub last_ok: RwSignal<Option<UnixMillis>>,
    /// Changes the server refused, kept on the phone.
    pub refused: RwSignal<usize>,
    failures: StoredValue<u32>,
    busy: StoredValue<bool>,
    again: StoredValue<bool>,
    /// Set by the exchange when the server answered that it is overloaded.
    server_busy: StoredValue<bool>,
    db: Db,
    session: SessionCtx,
}

pub fn use_sync() -> SyncCtx {
    expect_context::<SyncCtx>()
}

/// Starts syncing and keeps it going; call once, inside the app.
pub fn provide_sync(db: Db, session: SessionCtx) -> SyncCtx {
    let ctx = SyncCtx {
        state: RwSignal::new(SyncState::Idle),
        last_ok: RwSignal::new(exchange::last_ok()),
        refused: RwSignal::new(exchange::refused_count()),
        failures: StoredValue::new(0),
        busy: StoredValue::new(false),
        again: StoredValue::new(false),
        server_busy: StoredValue::new(false),
        db,
        session,
    };
    provide_context(ctx);
    // On start, once the first screen is up.
    set_timeout(move || ctx.request(), Duration::from_millis(500));
    // Back online.
    let online = crate::hooks::use_online();
    Effect::new(move |was: Option<bool>| {
        let now = online.get();
        if now && was == Some(false) {
            ctx.request();
        }
        now
    });
    // After signing in (the team's data comes down).
    Effect::new(move |was: Option<bool>| {
        let now = session.session.with(Option::is_some);
        if now && was == Some(false) {
            ctx.request();
        }
        now
    });
    // After each save (the count of waiting changes went up).
    Effect::new(move |before: Option<usize>| {
        let n = db.pending.get();
        if before.is_some_and(|b| n > b) {
            ctx.request();
        }
        n
    });
    // Another tab synced (one tab syncs at a time): show what it brought and its counts.
    let elsewhere = crate::hooks::use_written_elsewhere(exchange::LAST_OK);
    Effect::new(move |was: Option<u32>| {
        let now = elsewhere.get();
        if was.is_some_and(|w| w != now) {
            ctx.last_ok.set(exchange::last_ok());
            ctx.refused.set(exchange::refused_count());
            db.reload();
        }
        now
    });
    // Now and then, for what others changed.
    let _ = set_interval_with_handle(move || ctx.request(), Duration::from_secs(300));
    ctx
}

impl SyncCtx {
    /// Syncs now unless this tab is already syncing (then once more after it).
    pub fn request(self) {
        if !crate::hooks::is_online() || self.session.session.with_untracked(Option::is_none) {
            return;
        }
        if self.busy.get_value() {
            self.again.set_value(true);
            return;
        }
        self.busy.set_value(true);
        web_lock::with_lock(
            LOCK,
            true,
            move || async move {
                self.run().await;
            },
            move |ran| {
                self.busy.set_value(false);
                if self.again.get_value() {
                    self.again.set_value(false);
                    self.request();
                } else if !ran {
                    // Another tab is syncing; it may be past its push already: ask again soon
                    // rather than wait for the next trigger.
                    set_timeout(move || self.request(), Duration::from_secs(2));
                }
            },
        );
    }

    async fn run(self) {
        let Some(token) = self.session.token() else {
            return;
        };
        let total = self.db.pending.get_untracked();
        self.state.set(SyncState::Running { done: 0, total });
        self.server_busy.set_value(false);
        crate::browser::mark("doorstep:sync");
        match exchange::exchange(&token, self).await {
            Ok(()) => {
                crate::browser::measure("doorstep:sync", "doorstep:sync");
                self.failures.set_value(0);
                let now = crate::browser::now();
                exchange::remember_last_ok(now);
                self.last_ok.set(Some(now));
                self.state.set(SyncState::Idle);
            }
            Err(NextStep::UpdateApp) => self.state.set(SyncState::UpdateApp),
            Err(NextStep::SignInAgain) => self.state.set(SyncState::Idle),
            Err(NextStep::RetryLater | NextStep::Stop) => {
                let n = self.failures.get_value() + 1;
                self.failures.set_value(n);
                self.state.set(SyncState::Failed {
                    busy: self.server_busy.get_value(),
                });
                let wait = backoff_ms(n, js_sys::Math::random());
                set_timeout(move || self.request(), Duration::from_millis(wait));
            }
        }
    }
}
