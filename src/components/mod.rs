pub mod app_header;
pub mod due_list;
pub mod field;
pub mod storage_panel;
pub mod visit_form;
pub mod visit_list;
