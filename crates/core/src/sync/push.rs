//! The order rule of a push, shared by every server: a device's mutations are applied in
//! `seq` order, each at most once (Replicache's rule; see shared/sync-design.md).

use super::wire::{PushRequest, PROTOCOL};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    #[error("this app speaks sync protocol {0}; the server speaks {PROTOCOL}: update the app")]
    UnsupportedProtocol(u32),
    #[error("mutations must be numbered in increasing order")]
    NotIncreasing,
    /// Something between the last applied and the first sent is missing: nothing is applied.
    #[error("mutation {expected} is missing")]
    Gap { expected: u64 },
}

/// Checks a push against the device's last applied number (`None`: it never pushed, so its
/// first push starts its sequence — a phone signed in again keeps its numbering). Returns
/// how many leading mutations were handled before: they are answered as they were the first
/// time (done, or refused with the same reason) without being applied again, and the records they name are listed again for pull (the phone may have
/// skipped them in a pull while their change waited for this answer).
pub fn plan(last: Option<u64>, req: &PushRequest) -> Result<usize, PushError> {
    if req.protocol != PROTOCOL {
        return Err(PushError::UnsupportedProtocol(req.protocol));
    }
    if req.mutations.windows(2).any(|w| w[1].seq != w[0].seq + 1) {
        return Err(PushError::NotIncreasing);
    }
    let Some(first) = req.mutations.first() else {
        return Ok(0);
    };
    match last {
        None => Ok(0),
        Some(last) if first.seq > last + 1 && req.resume => Ok(0),
        Some(last) if first.seq > last + 1 => Err(PushError::Gap { expected: last + 1 }),
        Some(last) => Ok(
            usize::try_from((last + 1 - first.seq).min(req.mutations.len() as u64))
                .unwrap_or(usize::MAX),
        ),
    }
}

/// The revision number of the next change after `clock`: at least `now` (the server's
/// clock in microseconds), so numbers given after a database was restored from a backup
/// never repeat ones given before it (a phone holding one would think it has the change).
pub fn next_rev(clock: u64, now_micros: u64) -> u64 {
    (clock + 1).max(now_micros)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::wire::{Op, PushMutation};
    use crate::UnixMillis;

    fn req(seqs: &[u64]) -> PushRequest {
        PushRequest {
            protocol: PROTOCOL,
            resume: false,
            mutations: seqs
                .iter()
                .map(|&seq| PushMutation {
                    seq,
                    at: UnixMillis(0),
                    op: Op::Noop,
                })
                .collect(),
        }
    }

    #[test]
    fn revisions_increase_and_follow_the_clock() {
        assert_eq!(next_rev(5, 0), 6);
        assert_eq!(next_rev(5, 1_000), 1_000);
        assert_eq!(
            next_rev(2_000, 1_000),
            2_001,
            "a clock set back does not repeat"
        );
    }

    #[test]
    fn skips_what_was_applied_and_refuses_gaps() {
        assert_eq!(plan(None, &req(&[41, 42])), Ok(0));
        assert_eq!(plan(Some(40), &req(&[41, 42])), Ok(0));
        assert_eq!(plan(Some(41), &req(&[41, 42])), Ok(1));
        assert_eq!(plan(Some(45), &req(&[41, 42])), Ok(2));
        assert_eq!(
            plan(Some(39), &req(&[41])),
            Err(PushError::Gap { expected: 40 })
        );
        assert_eq!(plan(Some(1), &req(&[2, 4])), Err(PushError::NotIncreasing));
        assert_eq!(plan(Some(1), &req(&[])), Ok(0));
        let mut resumed = req(&[41]);
        resumed.resume = true;
        assert_eq!(plan(Some(39), &resumed), Ok(0));
        assert_eq!(plan(Some(41), &resumed), Ok(1), "resume never re-applies");
        let mut old = req(&[1]);
        old.protocol = 0;
        assert_eq!(plan(None, &old), Err(PushError::UnsupportedProtocol(0)));
    }
}
