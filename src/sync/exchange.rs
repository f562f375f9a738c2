//! One sync: push everything waiting (in batches), then pull until the server has no more.

use doorstep_core::store::{KvStore, LocalDb, RecordKind, StoreError};
use doorstep_core::sync::retry::{self, after_error, NextStep};
use doorstep_core::sync::wire::{PUSH_BATCH, PUSH_BYTES};
use doorstep_core::sync::{client, repair};
use doorstep_core::{RecordId, UnixMillis};
use leptos::prelude::*;

use super::{SyncCtx, SyncState};
use crate::api::{self, ApiProblem};
use crate::local_store::LocalStore;

pub use doorstep_core::store::keys::LAST_OK;

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

/// Runs `f` on the phone's database; a storage error stops this sync (nothing is lost).
fn with_db<R>(
    f: impl FnOnce(&LocalDb<'_, LocalStore>) -> Result<R, StoreError>,
) -> Result<R, NextStep> {
    let store = LocalStore::open().map_err(store_failed)?;
    f(&LocalDb::new(&store)).map_err(store_failed)
}

/// What a sync changed on the phone.
#[derive(Default)]
struct Touched {
    records: Vec<(RecordKind, RecordId)>,
    everything: bool,
}

/// Push, pull, prune; a repair (the server was restored from a backup) queues changes again
/// and pulls everything once more: a second round, rarely a third.
async fn rounds(
    token: &str,
    ctx: SyncCtx,
    total: usize,
    done: &mut usize,
    touched: &mut Touched,
) -> Result<(), NextStep> {
    for _round in 0..3 {
        push_all(token, ctx, total, done).await?;
        let repair = pull_all(token, ctx, touched).await?;
        if !repair {
            // What the team's window no longer keeps leaves the phone (never a change
            // not yet on the server).
            touched.records.extend(with_db(client::prune)?.removed);
            return Ok(());
        }
        touched.everything = true;
        run_repair(token, ctx).await?;
    }
    Ok(())
}

pub async fn exchange(token: &str, ctx: SyncCtx) -> Result<(), NextStep> {
    let SyncState::Running { total, .. } = ctx.state.get_untracked() else {
        return Ok(());
    };
    let mut done = 0;
    let mut touched = Touched::default();
    let result = rounds(token, ctx, total, &mut done, &mut touched).await;
    // What this sync stored or removed, even if it stopped half-way: the lists in memory
    // follow (the records it touched read again, or all of them after a repair or a pull
    // from nothing).
    if touched.everything {
        ctx.db.reload();
    } else {
        ctx.db.patch(&touched.records);
    }
    result?;
    let refused = refused_count();
    ctx.refused.set(refused);
    // For the coordinator's device list; best effort.
    let _ = api::report_unsynced(token, ctx.db.pending.get_untracked() + refused).await;
    Ok(())
}

/// Pushes every waiting change, in batches. A `seq_gap` answer (the server forgot changes it
/// had acknowledged) starts a repair, and the next push asks the server to resume. A 413 (a
/// proxy with a smaller limit) halves the batches for the rest of this sync.
async fn push_all(
    token: &str,
    ctx: SyncCtx,
    total: usize,
    done: &mut usize,
) -> Result<(), NextStep> {
    let mut budget = PUSH_BYTES;
    while let Some(batch) = with_db(|db| client::next_push(db, PUSH_BATCH, budget))? {
        match api::push(token, &batch.request).await {
            Ok(answer) => {
                let store = LocalStore::open().map_err(store_failed)?;
                client::on_pushed(&LocalDb::new(&store), &batch, &answer)
                    .map_err(|_| NextStep::Stop)?;
            }
            Err(ApiProblem::Server(code)) if code == "payload_too_large" || code == "413" => {
                match client::budget_after_too_large(&batch) {
                    Some(smaller) => budget = smaller,
                    None => return Err(NextStep::Stop),
                }
                continue;
            }
            Err(ApiProblem::Server(code)) if code == "seq_gap" => {
                with_db(repair::on_gap)?;
                run_repair(token, ctx).await?;
                continue;
            }
            Err(p) => return Err(fail(ctx, &p)),
        }
        *done += batch.seqs.len();
        ctx.state.set(SyncState::Running {
            done: *done,
            total: total.max(*done),
        });
        ctx.db.recount();
    }
    Ok(())
}

/// Pulls until the server has no more, noting what it stored or removed. Returns whether a
/// repair must run first (then the pull starts again after it).
async fn pull_all(token: &str, ctx: SyncCtx, touched: &mut Touched) -> Result<bool, NextStep> {
    // Every phone keeps the team's window; the dashboard and the review read older periods
    // from the server.
    let today = Some(crate::state::today());
    loop {
        let (cursor, except, scope) = with_db(|db| {
            Ok((
                client::cursor(db),
                client::digest_except(db),
                client::pull_scope(db, today),
            ))
        })?;
        let page = match api::pull(token, cursor, &except, scope).await {
            Ok(p) => p,
            Err(ApiProblem::Revoked) => {
                revoked(ctx);
                return Err(NextStep::SignInAgain);
            }
            Err(p) => return Err(fail(ctx, &p)),
        };
        let pulled = with_db(|db| client::on_pulled(db, &page, crate::browser::now()))?;
        touched.records.extend(pulled.touched);
        touched.everything |= pulled.everything;
        if pulled.repair {
            return Ok(true);
        }
        if !page.more && !pulled.again {
            return Ok(false);
        }
    }
}

/// Compares the server's ids with this phone's, page by page, queueing again what the
/// server lost (see doorstep_core::sync::repair). Resumes where it stopped.
async fn run_repair(token: &str, ctx: SyncCtx) -> Result<(), NextStep> {
    while let Some(after) = with_db(|db| Ok(repair::under_way(db)))? {
        let page = api::ids(token, after).await.map_err(|p| fail(ctx, &p))?;
        with_db(|db| repair::on_ids(db, &page))?;
    }
    Ok(())
}

/// 401: sign in again, every record kept.
fn fail(ctx: SyncCtx, p: &ApiProblem) -> NextStep {
    let step = next_step(p);
    if let ApiProblem::Server(code) = p {
        ctx.server_busy.set_value(retry::overloaded(code));
    }
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
