//! Fault injection for the end-to-end tests, off unless `DOORSTEP_FAILPOINT` names a point:
//! `exit-after-push-commit` ends the process after a push has committed and before its answer
//! is sent — the lost answer that must not become a duplicate; `refuse-mutations` refuses
//! every new mutation as invalid — a bad record, to show it is set aside and retried.

fn is(point: &str) -> bool {
    std::env::var("DOORSTEP_FAILPOINT").as_deref() == Ok(point)
}

pub fn refuse_mutations() -> bool {
    is("refuse-mutations")
}

pub fn after_push_commit() {
    if is("exit-after-push-commit") {
        tracing::warn!("failpoint: exiting after a committed push, before answering");
        std::process::exit(70);
    }
}
