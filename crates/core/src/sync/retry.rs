//! What the phone does after a failed exchange (shared/sync-design.md: a retry classifier
//! that discards on the wrong status loses data, so it is tested here).

/// The next step after an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Network down, timeout, overload, server error: try again later, keep everything.
    RetryLater,
    /// The token is unknown or revoked: ask to sign in again, keep everything.
    SignInAgain,
    /// The server speaks another protocol: keep everything until the app is updated.
    UpdateApp,
    /// Anything else (a bug): keep everything, show it, try again on the next trigger.
    Stop,
}

/// `code` is the server's error code, or the HTTP status when the answer was not the
/// server's JSON (a proxy's page), or `None` when nothing came back.
pub fn after_error(code: Option<&str>) -> NextStep {
    let Some(code) = code else {
        return NextStep::RetryLater;
    };
    match code {
        "internal" | "too_many_attempts" | "busy" | "timeout" => NextStep::RetryLater,
        "unauthorized" | "device_revoked" => NextStep::SignInAgain,
        "unsupported_protocol" => NextStep::UpdateApp,
        other => match other.parse::<u16>() {
            Ok(408 | 429 | 500..=599) => NextStep::RetryLater,
            Ok(401) => NextStep::SignInAgain,
            _ => NextStep::Stop,
        },
    }
}

/// Whether `code` (as for [`after_error`]) says the server is overloaded: the phone tells
/// the volunteer so (nothing is wrong on the phone) and retries later.
pub fn overloaded(code: &str) -> bool {
    matches!(code, "busy" | "too_many_attempts" | "429" | "503")
}

/// Milliseconds before retry number `failures` (from 1): 2 s doubling up to 5 minutes,
/// spread by `jitter` in [0, 1) to between half and one and a half of that, so phones that
/// lost the network together do not all come back in the same second.
pub fn backoff_ms(failures: u32, jitter: f64) -> u64 {
    const BASE: u64 = 2_000;
    const CAP: u64 = 300_000;
    let exp = BASE
        .saturating_mul(1u64 << failures.saturating_sub(1).min(20))
        .min(CAP);
    (exp as f64 * (0.5 + jitter.clamp(0.0, 1.0))) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_auth_and_version_answers_stop_retrying_and_none_discards() {
        assert_eq!(after_error(None), NextStep::RetryLater);
        for c in [
            "internal",
            "too_many_attempts",
            "busy",
            "timeout",
            "500",
            "502",
            "503",
            "408",
            "429",
        ] {
            assert_eq!(after_error(Some(c)), NextStep::RetryLater, "{c}");
        }
        for c in ["unauthorized", "device_revoked", "401"] {
            assert_eq!(after_error(Some(c)), NextStep::SignInAgain, "{c}");
        }
        assert_eq!(
            after_error(Some("unsupported_protocol")),
            NextStep::UpdateApp
        );
        for c in ["seq_gap", "bad_request", "404", "payload_too_large"] {
            assert_eq!(after_error(Some(c)), NextStep::Stop, "{c}");
        }
    }

    #[test]
    fn overload_is_told_apart_from_failure() {
        for c in ["busy", "too_many_attempts", "429", "503"] {
            assert!(overloaded(c), "{c}");
            assert_eq!(after_error(Some(c)), NextStep::RetryLater, "{c}");
        }
        for c in ["internal", "500", "timeout", "seq_gap"] {
            assert!(!overloaded(c), "{c}");
        }
    }

    #[test]
    fn backoff_grows_to_a_cap_with_jitter() {
        assert_eq!(backoff_ms(1, 0.5), 2_000);
        assert_eq!(backoff_ms(2, 0.5), 4_000);
        assert_eq!(backoff_ms(30, 0.5), 300_000);
        assert_eq!(backoff_ms(1, 0.0), 1_000);
        assert_eq!(backoff_ms(1, 0.999_999), 2_999);
        let mut last = 0;
        for n in 1..12 {
            let d = backoff_ms(n, 0.5);
            assert!(d >= last);
            last = d;
        }
    }
}
