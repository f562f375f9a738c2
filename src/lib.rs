//! The Doorstep app: UI and browser adapters. Domain rules live in `doorstep-core`.

pub mod api;
pub mod app;
pub mod browser;
mod components;
pub mod hooks;
pub mod i18n;
pub mod local_store;
pub mod pin;
pub mod pwa;
mod routes;
pub mod session;
pub mod state;
pub mod sync;
