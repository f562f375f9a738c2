//! One sync: push everything waiting (in batches), then pull until the server has no more.

use doorstep_core::store::{KvStore, LocalDb, StoreError};
use doorstep_core::sync::client;
use doorstep_core::sync::retry::{after_error, NextStep};
use doorstep_core::sync::wire::PUSH_BATCH;
use doorstep_core::UnixMillis;
use leptos::prelude::*;

use super::{SyncCtx, SyncState};
use crate::api::{self, ApiProblem};
use crate::local_store::LocalStore;

const LAST_OK: &str = "doorstep/v1/sync/last_ok";

pub fn last_ok() -> Option<UnixMillis> {
    let v = LocalStore::open().ok()?.get(LAST_OK).ok()??;
    v.parse().ok().map(UnixMillis)
}

pub fn remember_last_ok(at: UnixMillis) {
    if let Ok(s) = LocalStore::open() {
        let _ = s.set(LAST_OK, &at.0.to_string());
    }
}

/// How many changes the server refused, kept on this phone.
pub fn refused_count() -> usize {
    LocalStore::open()
        .ok()
        .and_then(|s| client::quarantined(&LocalDb::new(&s)).ok())
        .map_or(0, |q| q.len())
}

fn store_failed(_: StoreError) -> NextStep {
    NextStep::Stop
}

fn next_step(p: &ApiProblem) -> NextStep {
    match p {
        ApiProblem::Offline => after_error(None),
        ApiProblem::Revoked => after_error(Some("device_revoked")),
        ApiProblem::SignedOut => after_error(Some("unauthorized")),
        ApiProblem::Server(code) => after_error(Some(code)),
        _ => NextStep::Stop,
    }
}

pub async fn exchange(token: &str, ctx: SyncCtx) -> Result<(), NextStep> {
    let SyncState::Running { total, .. } = ctx.state.get_untracked() else {
        return Ok(());
    };
    let mut done = 0;
    loop {
        let store = LocalStore::open().map_err(store_failed)?;
        let Some(batch) =
            client::next_push(&LocalDb::new(&store), PUSH_BATCH).map_err(store_failed)?
        else {
            break;
        };
        let answer = match api::push(token, &batch.request).await {
            Ok(a) => a,
            Err(p) => return Err(fail(ctx, &p)),
        };
        let store = LocalStore::open().map_err(store_failed)?;
        client::on_pushed(&LocalDb::new(&store), &batch, &answer).map_err(|_| NextStep::Stop)?;
        done += batch.seqs.len();
        ctx.state.set(SyncState::Running {
            done,
            total: total.max(done),
        });
        ctx.db.recount();
    }
    let mut stored = 0;
    loop {
        let store = LocalStore::open().map_err(store_failed)?;
        let cursor = client::cursor(&LocalDb::new(&store));
        let page = match api::pull(token, cursor).await {
            Ok(p) => p,
            Err(ApiProblem::Revoked) => {
                revoked(ctx);
                return Err(NextStep::SignInAgain);
            }
            Err(p) => return Err(fail(ctx, &p)),
        };
        let store = LocalStore::open().map_err(store_failed)?;
        let pulled = client::on_pulled(&LocalDb::new(&store), &page, crate::browser::now())
            .map_err(store_failed)?;
        stored += pulled.stored;
        if !page.more {
            break;
        }
    }
    if stored > 0 {
        ctx.db.reload();
    } else {
        ctx.db.recount();
    }
    let refused = refused_count();
    ctx.refused.set(refused);
    // For the coordinator's device list; best effort.
    let _ = api::report_unsynced(token, ctx.db.pending.get_untracked() + refused).await;
    Ok(())
}

/// 401: sign in again, every record kept.
fn fail(ctx: SyncCtx, p: &ApiProblem) -> NextStep {
    let step = next_step(p);
    if step == NextStep::SignInAgain {
        ctx.session.ended_by_server(p.clone());
    }
    step
}

/// A coordinator revoked this phone. Its changes were pushed just before (the server takes
/// them from a revoked phone): if none is left, nor any the server refused, the team's data
/// leaves the phone; otherwise it stays until it can be sent, and the phone asks to sign in.
fn revoked(ctx: SyncCtx) {
    let clean = LocalStore::open()
        .ok()
        .is_some_and(|s| !client::has_unsynced(&LocalDb::new(&s)));
    if clean && ctx.session.revoked_and_wiped().is_ok() {
        let _ = web_sys::window().map(|w| w.location().reload());
    } else {
        ctx.session.ended_by_server(ApiProblem::Revoked);
    }
}
