//! Fault injection for the end-to-end tests, off unless `DOORSTEP_FAILPOINT` names a point:
//! `exit-after-push-commit` ends the process after a push has committed and before its answer
//! is sent — the lost answer that must not become a duplicate.

pub fn after_push_commit() {
    if std::env::var("DOORSTEP_FAILPOINT").as_deref() == Ok("exit-after-push-commit") {
        tracing::warn!("failpoint: exiting after a committed push, before answering");
        std::process::exit(70);
    }
}
