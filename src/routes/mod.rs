//! One module per screen.

pub mod home;
