use doorstep_core::account::{parse_device_name, LoginRequest, Username};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::field::TextField;
use crate::i18n::*;
use crate::session::use_session;

/// Signing in, once, while online; after that the app opens offline for this user.
#[component]
pub fn SignInPage() -> impl IntoView {
    let ctx = use_session();
    let lang = use_lang();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let device = RwSignal::new(String::new());
    let username_error = RwSignal::new(None::<String>);
    let device_error = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let db = crate::state::use_db();
    // Storage that cannot be used (disabled, full) is said at once: signing in would not last.
    let store_error = RwSignal::new(db.load_error.get_untracked());
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = lang.get_untracked();
        let user = Username::parse(&username.get_untracked());
        username_error.set(user.as_ref().err().map(|e| e.message(l)));
        let device_name = parse_device_name(&device.get_untracked());
        device_error.set(device_name.as_ref().err().map(|e| e.message(l)));
        let (Ok(user), Ok(device_name)) = (user, device_name) else {
            return;
        };
        if crate::session::holds_others_unsynced(user.as_str()) {
            problem.set(Some(ApiProblem::OtherUsersRecords));
            return;
        }
        let req = LoginRequest {
            username: user.to_string(),
            password: password.get_untracked(),
            device_name,
            // Sealed records the PIN can no longer open: the server gives their key back.
            recover: crate::pin::device_to_recover(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::login(&req).await;
            busy.set(false);
            match result {
                Ok(r) => {
                    // The records the sign-in opened (or another user's left): the lists in
                    // memory follow.
                    match ctx.sign_in(r) {
                        Ok(_) => db.reload(),
                        Err(e) => store_error.set(Some(e)),
                    }
                }
                Err(p) => problem.set(Some(p)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="sign-in-title">
            <h2 id="sign-in-title">{tr(SIGN_IN)}</h2>
            {move || ctx.ended.get().map(|why| view! {
                <p class="banner warn" role="status">{why.message(lang.get())}</p>
            })}
            <form on:submit=on_submit novalidate>
                <TextField id="sign-in-username" label=USERNAME value=username
                    on_input=move |v: String| username.set(v) error=username_error/>
                <TextField id="sign-in-password" label=PASSWORD value=password input_type="password"
                    on_input=move |v: String| password.set(v) error=Signal::derive(|| None::<String>)/>
                <TextField id="sign-in-device" label=DEVICE_NAME value=device
                    on_input=move |v: String| device.set(v) error=device_error/>
                <button type="submit" class="primary" prop:disabled=move || busy.get()>
                    {move || if busy.get() { SIGNING_IN.get(lang.get()) } else { SIGN_IN.get(lang.get()) }}
                </button>
                <p class="error" role="alert">
                    {move || problem.get().map(|p| p.message(lang.get()))}
                    {move || store_error.get().map(|e| e.message(lang.get()))}
                </p>
            </form>
        </section>
    }
}
