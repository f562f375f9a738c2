pub mod account_menu;
pub mod app_header;
pub mod due_list;
pub mod field;
pub mod household_row;
pub mod recent_visits;
pub mod storage_panel;
pub mod undo;
