use doorstep_core::lock::{after_wrong_pin, check_pin, AfterWrongPin};
use doorstep_core::validate::{FieldError, Problem};
use doorstep_core::Lang;
use leptos::prelude::*;

use crate::api::ApiProblem;
use crate::components::field::TextField;
use crate::i18n::*;
use crate::session::use_session;

fn tries_left(lang: Lang, left: u32) -> String {
    match lang {
        Lang::Zh => format!("解锁密码不对，还可以再试 {left} 次。"),
        Lang::En => format!("Wrong PIN: {left} tries left."),
    }
}

/// After the first sign-in: choose the PIN that unlocks the app on this phone.
#[component]
pub fn PinSetupPage() -> impl IntoView {
    let ctx = use_session();
    let lang = use_lang();
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FieldError>);
    let again_error = RwSignal::new(None::<FieldError>);
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let p = pin.get_untracked();
        error.set(check_pin(&p).err());
        let same = p == again.get_untracked();
        again_error.set((!same).then(|| FieldError::new("pin_again", Problem::Mismatch)));
        if error.get_untracked().is_some() || !same {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let set = crate::pin::set(&p).await;
            busy.set(false);
            match set {
                Ok(()) => ctx.pin_set(),
                Err(e) => failed.set(Some(e.message(lang.get_untracked()).to_owned())),
            }
        });
    };
    let msg = move |e: RwSignal<Option<FieldError>>| {
        Signal::derive(move || e.get().map(|e| e.message(lang.get())))
    };
    view! {
        <section class="card" aria-labelledby="pin-title">
            <h2 id="pin-title">{tr(SET_PIN)}</h2>
            <p class="muted">{tr(PIN_WHY)}</p>
            <form on:submit=on_submit novalidate>
                <TextField id="pin-new" label=NEW_PIN value=pin input_type="password" inputmode="numeric"
                    on_input=move |v: String| pin.set(v) error=msg(error)/>
                <TextField id="pin-again" label=PIN_AGAIN value=again input_type="password" inputmode="numeric"
                    on_input=move |v: String| again.set(v) error=msg(again_error)/>
                <button type="submit" class="primary" prop:disabled=move || busy.get()>
                    {move || if busy.get() { SETTING_PIN.get(lang.get()) } else { SET_PIN.get(lang.get()) }}
                </button>
                <p class="error" role="alert">{move || failed.get()}</p>
            </form>
        </section>
    }
}

/// The app is locked: the PIN opens it (and the sealed data), offline. Five wrong PINs in a
/// row end the sign-in; every unsynced change stays, sealed until a password sign-in.
#[component]
pub fn UnlockPage() -> impl IntoView {
    let ctx = use_session();
    let db = crate::state::use_db();
    let lang = use_lang();
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let p = pin.get_untracked();
        // From the tap to the records read (the PIN's key, the data key, every list).
        crate::browser::mark("doorstep:unlock");
        busy.set(true);
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            let checked = crate::pin::check(&p).await;
            busy.set(false);
            match checked {
                Ok((true, _)) => {
                    problem.set(None);
                    ctx.unlocked();
                    db.open();
                    crate::browser::measure("doorstep:unlock", "doorstep:unlock");
                }
                Ok((false, before)) => match after_wrong_pin(before) {
                    AfterWrongPin::TryAgain { left } => {
                        pin.set(String::new());
                        problem.set(Some(tries_left(l, left)));
                    }
                    AfterWrongPin::SignInAgain => {
                        // Sealed, the data stays as it is, and only a password sign-in
                        // opens it again; plain (a sign-in from before sealing), what the
                        // server has leaves the phone.
                        if !crate::pin::is_sealed_and_locked() {
                            db.wipe_synced();
                        }
                        ctx.ended_by_server(ApiProblem::TooManyPins)
                    }
                },
                Err(e) => problem.set(Some(e.message(l).to_owned())),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="unlock-title">
            <h2 id="unlock-title">{tr(LOCKED)}</h2>
            <form on:submit=on_submit novalidate>
                <TextField id="pin" label=PIN value=pin input_type="password" inputmode="numeric"
                    on_input=move |v: String| pin.set(v) error=Signal::derive(|| None::<String>)/>
                <button type="submit" class="primary" prop:disabled=move || busy.get()>
                    {move || if busy.get() { UNLOCKING.get(lang.get()) } else { UNLOCK.get(lang.get()) }}
                </button>
                <p class="error" role="alert">{move || problem.get()}</p>
            </form>
        </section>
    }
}
