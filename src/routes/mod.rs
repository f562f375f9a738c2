//! One module per screen.

pub mod account;
pub mod dashboard;
pub mod devices;
pub mod event_form;
pub mod events;
pub mod greetings;
pub mod home;
pub mod hours;
pub mod household_form;
pub mod household_page;
pub mod households;
pub mod join;
pub mod lock;
pub mod members;
pub mod review;
pub mod roster;
pub mod shares;
pub mod sign_in;
pub mod sync_problems;
pub mod units;
pub mod visit_form;
pub mod visit_page;
pub mod visit_services;
