//! Predicates for `skip_serializing_if`: stored records leave out fields at their default
//! value, because localStorage is small (about 5 M UTF-16 units on Chromium) and a visit is
//! mostly unticked boxes. Every such field is `#[serde(default)]`, so both forms read back.

pub fn is_false(b: &bool) -> bool {
    !*b
}

pub fn is_zero(n: &u32) -> bool {
    *n == 0
}

pub fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}
