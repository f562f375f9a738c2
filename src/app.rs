use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::i18n::{initial_lang, UiLang};
use crate::routes::home::HomePage;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    provide_context(UiLang(lang));
    // Keep <html lang> in step, so screen readers and fonts pick the right language.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().tag());
        }
    });
    view! {
        <Router>
            <Routes fallback=|| view! { <HomePage/> }>
                <Route path=path!("/") view=HomePage/>
            </Routes>
        </Router>
    }
}
