//! How full the browser's `localStorage` is. The quota is not exposed by browsers; Chromium,
//! Firefox and Safari all allow about 5 M UTF-16 units (keys and values) per origin.

/// The quota assumed for `localStorage`, in UTF-16 units (measured on Chromium: see
/// BENCHMARKS.md).
pub const LOCAL_STORAGE_UNITS: u64 = 5 * 1024 * 1024;

/// Warn from this share of the quota on: sync soon, nothing will be deleted.
pub const WARN_PERCENT: u64 = 80;

/// Units used out of a quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageUse {
    pub used_units: u64,
    pub quota_units: u64,
}

impl StorageUse {
    pub fn local_storage(used_units: u64) -> Self {
        StorageUse {
            used_units,
            quota_units: LOCAL_STORAGE_UNITS,
        }
    }

    /// Whole percent, rounded down, at most 100.
    pub fn percent(&self) -> u64 {
        (self.used_units.saturating_mul(100) / self.quota_units.max(1)).min(100)
    }

    pub fn nearly_full(&self) -> bool {
        self.percent() >= WARN_PERCENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn warns_from_eighty_percent() {
        let q = LOCAL_STORAGE_UNITS;
        assert!(!StorageUse::local_storage(q * 79 / 100).nearly_full());
        assert!(StorageUse::local_storage(q * 80 / 100 + 1).nearly_full());
        assert_eq!(StorageUse::local_storage(q * 2).percent(), 100);
        let zero = StorageUse {
            used_units: 5,
            quota_units: 0,
        };
        assert_eq!(zero.percent(), 100);
    }

    proptest! {
        #[test]
        fn percent_is_monotone_and_bounded(a in any::<u64>(), b in any::<u64>(), q in 1u64..u64::MAX) {
            let (lo, hi) = (a.min(b), a.max(b));
            let p = |u| StorageUse { used_units: u, quota_units: q }.percent();
            prop_assert!(p(lo) <= p(hi));
            prop_assert!(p(hi) <= 100);
        }
    }
}
