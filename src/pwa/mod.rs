//! Installable-app glue: the service worker, the install prompt, persistent storage.

mod install_prompt;
mod service_worker;
mod storage_estimate;

pub use install_prompt::{use_install_prompt, InstallPrompt};
pub use service_worker::{use_service_worker, ServiceWorkerUpdate};
pub use storage_estimate::{use_storage_estimate, StorageEstimate};
