//! One's own account: who is signed in, and changing the password (online; the current one
//! is asked first, and wrong guesses count like failed sign-ins on the server).

use doorstep_core::account::{check_new_password, PasswordChange};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::field::TextField;
use crate::i18n::*;
use crate::session::use_session;

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let current_error = RwSignal::new(None::<String>);
    let new_error = RwSignal::new(None::<String>);
    let again_error = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // The server's word on this account (an admin may have changed the role).
    if let Some(token) = session.token() {
        leptos::task::spawn_local(async move {
            if let Ok(user) = api::me(&token).await {
                session.refresh_user(user);
            }
        });
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let (cur, pw) = (current.get_untracked(), new.get_untracked());
        current_error.set(cur.is_empty().then(|| REQUIRED.get(l).to_owned()));
        new_error.set(check_new_password(&pw).err().map(|e| e.message(l)));
        again_error.set((again.get_untracked() != pw).then(|| PASSWORDS_DIFFER.get(l).to_owned()));
        let any_error = [current_error, new_error, again_error]
            .iter()
            .any(|e| e.get_untracked().is_some());
        let (false, Some(token), false) = (any_error, session.token(), busy.get_untracked()) else {
            return;
        };
        busy.set(true);
        done.set(false);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let req = PasswordChange {
                current: cur,
                new: pw,
            };
            match api::change_password(&token, &req).await {
                Ok(()) => {
                    done.set(true);
                    for s in [current, new, again] {
                        s.set(String::new());
                    }
                }
                Err(ApiProblem::InvalidCredentials) => {
                    current_error.set(Some(WRONG_CURRENT_PASSWORD.get(l).to_owned()))
                }
                Err(p) => problem.set(Some(p.message(l).to_owned())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="account-title">
            <h2 id="account-title">{tr(MY_ACCOUNT)}</h2>
            {move || session.session.get().map(|s| view! {
                <p>
                    <span class="row-title">{s.user.display_name.clone()}</span>
                    " · " {s.user.username.clone()}
                    " " <span class="chip">{move || s.user.role.label(lang.get())}</span>
                </p>
            })}
        </section>
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">{tr(CHANGE_PASSWORD)}</h2>
            <form on:submit=on_submit novalidate>
                <TextField id="pw-current" label=CURRENT_PASSWORD value=current input_type="password"
                    on_input=move |v: String| current.set(v) error=current_error/>
                <TextField id="pw-new" label=NEW_PASSWORD_CHANGE value=new input_type="password"
                    on_input=move |v: String| new.set(v) error=new_error/>
                <TextField id="pw-again" label=NEW_PASSWORD_AGAIN value=again input_type="password"
                    on_input=move |v: String| again.set(v) error=again_error/>
                <button type="submit" class="primary" prop:disabled=move || busy.get()>
                    {move || if busy.get() { WORKING.get(lang.get()) } else { SAVE_PASSWORD.get(lang.get()) }}
                </button>
                <p class="ok" role="status">{move || done.get().then(|| PASSWORD_CHANGED.get(lang.get()))}</p>
                <p class="error" role="alert">{move || problem.get()}</p>
            </form>
        </section>
    }
}
