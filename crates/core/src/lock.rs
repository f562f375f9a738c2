//! The app lock: a PIN of 4–6 digits set at first sign-in, asked on start and after a while
//! in the background; too many wrong PINs end the sign-in (unsynced records are kept).

use crate::validate::{FieldError, Problem};
use crate::UnixMillis;

pub const PIN_MIN: usize = 4;
pub const PIN_MAX: usize = 6;
/// Wrong PINs in a row before the phone asks to sign in again.
pub const MAX_ATTEMPTS: u32 = 5;
/// Back from the background after this long: locked.
pub const BACKGROUND_LOCK_MS: i64 = 5 * 60 * 1000;
/// PBKDF2-SHA-256 rounds for the PIN's verifier (WebCrypto does the work).
pub const PIN_ROUNDS: u32 = 200_000;

/// Digits only, 4 to 6 of them.
pub fn check_pin(pin: &str) -> Result<(), FieldError> {
    let n = pin.chars().count();
    if n == 0 {
        Err(FieldError::new("pin", Problem::Required))
    } else if !pin.chars().all(|c| c.is_ascii_digit()) {
        Err(FieldError::new("pin", Problem::DigitsOnly))
    } else if n < PIN_MIN {
        Err(FieldError::new("pin", Problem::TooShort { min: PIN_MIN }))
    } else if n > PIN_MAX {
        Err(FieldError::new("pin", Problem::TooLong { max: PIN_MAX }))
    } else {
        Ok(())
    }
}

/// What a wrong PIN leads to, given how many wrong ones came before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterWrongPin {
    TryAgain { left: u32 },
    SignInAgain,
}

pub fn after_wrong_pin(failures_before: u32) -> AfterWrongPin {
    let failures = failures_before.saturating_add(1);
    if failures >= MAX_ATTEMPTS {
        AfterWrongPin::SignInAgain
    } else {
        AfterWrongPin::TryAgain {
            left: MAX_ATTEMPTS - failures,
        }
    }
}

/// Whether coming back at `now` after going to the background at `hidden_at` locks the app.
/// A clock that went backwards locks too (it cannot prove the time was short).
pub fn locks_on_return(hidden_at: UnixMillis, now: UnixMillis) -> bool {
    let away = now.0 - hidden_at.0;
    !(0..BACKGROUND_LOCK_MS).contains(&away)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pins_are_four_to_six_digits() {
        assert!(check_pin("1234").is_ok() && check_pin("123456").is_ok());
        let p = |s: &str| check_pin(s).unwrap_err().problem;
        assert_eq!(p(""), Problem::Required);
        assert_eq!(p("123"), Problem::TooShort { min: 4 });
        assert_eq!(p("1234567"), Problem::TooLong { max: 6 });
        assert_eq!(p("12a4"), Problem::DigitsOnly);
        assert_eq!(p("１２３４"), Problem::DigitsOnly);
    }

    #[test]
    fn the_fifth_wrong_pin_ends_the_sign_in() {
        assert_eq!(after_wrong_pin(0), AfterWrongPin::TryAgain { left: 4 });
        assert_eq!(after_wrong_pin(3), AfterWrongPin::TryAgain { left: 1 });
        assert_eq!(after_wrong_pin(4), AfterWrongPin::SignInAgain);
        assert_eq!(after_wrong_pin(u32::MAX), AfterWrongPin::SignInAgain);
    }

    proptest! {
        #[test]
        fn a_short_absence_does_not_lock_a_long_or_backwards_one_does(t in -1_000_000_000_000i64..1_000_000_000_000, away in -1_000_000i64..1_000_000_000) {
            let locks = locks_on_return(UnixMillis(t), UnixMillis(t + away));
            prop_assert_eq!(locks, !(0..BACKGROUND_LOCK_MS).contains(&away));
        }
    }
}
