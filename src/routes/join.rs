//! Opening a one-time link: `/setup#CODE` (the first admin sets the team up) and
//! `/join#CODE` (an invite, or a password reset). The code stays in the fragment, so it is
//! never sent in a request line or written to a server log; the page asks the server what
//! the link is for, then signs this phone in.

use doorstep_core::account::{
    check_new_password, parse_device_name, parse_display_name, parse_team_name, JoinInfo,
    JoinRequest, LoginResponse, SetupRequest, Username,
};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::field::TextField;
use crate::i18n::*;
use crate::session::use_session;

/// The link's code, from the address's fragment.
fn code() -> String {
    window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned()
}

/// Whether the address is one of these pages (they show before anyone is signed in).
pub fn is_link_page() -> bool {
    let path = window().location().pathname().unwrap_or_default();
    path == "/setup" || path == "/join"
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let lang = use_lang();
    let info = RwSignal::new(None::<JoinInfo>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let code = code();
    {
        let code = code.clone();
        leptos::task::spawn_local(async move {
            let setup_page = window().location().pathname().unwrap_or_default() == "/setup";
            match api::join_check(&code).await {
                Ok(i) => info.set(Some(i)),
                // A spent setup code: the team exists.
                Err(ApiProblem::LinkUsed) if setup_page => problem.set(Some(ApiProblem::SetupDone)),
                Err(p) => problem.set(Some(p)),
            }
        });
    }
    view! {
        {move || match (info.get(), problem.get()) {
            (Some(i), _) => view! { <LinkForm info=i code=code.clone()/> }.into_any(),
            (None, Some(p)) => view! {
                <section class="card" aria-labelledby="link-title">
                    <h2 id="link-title">{tr(JOIN_TITLE)}</h2>
                    <p class="error" role="alert">{p.message(lang.get())}</p>
                    <a class="button" href="/">{tr(GO_SIGN_IN)}</a>
                </section>
            }.into_any(),
            (None, None) => view! {
                <section class="card"><p role="status">{tr(CHECKING_LINK)}</p></section>
            }.into_any(),
        }}
    }
}

#[component]
fn LinkForm(info: JoinInfo, code: String) -> impl IntoView {
    let ctx = use_session();
    let lang = use_lang();
    let kind = info.kind.clone();
    let setup = kind == "setup";
    let reset = kind == "reset";
    let team = RwSignal::new(String::new());
    let name = RwSignal::new(info.display_name.clone());
    let username = RwSignal::new(info.username.clone().unwrap_or_default());
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let device = RwSignal::new(String::new());
    let team_error = RwSignal::new(None::<String>);
    let name_error = RwSignal::new(None::<String>);
    let username_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let again_error = RwSignal::new(None::<String>);
    let device_error = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let busy = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let db = crate::state::use_db();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = lang.get_untracked();
        let msg =
            |r: Result<(), doorstep_core::validate::FieldError>| r.err().map(|e| e.message(l));
        let team_name = parse_team_name(&team.get_untracked());
        let display = parse_display_name(&name.get_untracked());
        let user = Username::parse(&username.get_untracked());
        let pw = password.get_untracked();
        team_error.set(if setup {
            team_name.as_ref().err().map(|e| e.message(l))
        } else {
            None
        });
        name_error.set(if reset {
            None
        } else {
            display.as_ref().err().map(|e| e.message(l))
        });
        username_error.set(user.as_ref().err().map(|e| e.message(l)));
        password_error.set(msg(check_new_password(&pw)));
        again_error.set((again.get_untracked() != pw).then(|| PASSWORDS_DIFFER.get(l).to_owned()));
        let device_name = parse_device_name(&device.get_untracked());
        device_error.set(device_name.as_ref().err().map(|e| e.message(l)));
        let any_error = [
            team_error,
            name_error,
            username_error,
            password_error,
            again_error,
            device_error,
        ]
        .iter()
        .any(|e| e.get_untracked().is_some());
        let (Ok(user), Ok(device_name), false) = (user, device_name, any_error) else {
            return;
        };
        if crate::session::holds_others_unsynced(user.as_str()) {
            problem.set(Some(ApiProblem::OtherUsersRecords));
            return;
        }
        let code = code.clone();
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<LoginResponse, ApiProblem> = if setup {
                api::setup(&SetupRequest {
                    code,
                    team: team_name.unwrap_or_default(),
                    username: user.to_string(),
                    display_name: display.unwrap_or_default(),
                    password: pw,
                    device_name,
                })
                .await
            } else {
                api::join(&JoinRequest {
                    code,
                    username: user.to_string(),
                    password: pw,
                    device_name,
                    display_name: if reset { None } else { display.ok() },
                    // A reset after a forgotten PIN: the sealed records come back too.
                    recover: if reset {
                        crate::pin::device_to_recover()
                    } else {
                        None
                    },
                })
                .await
            };
            busy.set(false);
            match result {
                Ok(r) => match ctx.sign_in(r) {
                    // The link is spent: open the app at its start, without the code (in
                    // place: a page load would drop the data key before the PIN wraps it).
                    Ok(_) => {
                        db.reload();
                        navigate(
                            "/",
                            leptos_router::NavigateOptions {
                                replace: true,
                                ..Default::default()
                            },
                        );
                    }
                    Err(_) => problem.set(Some(ApiProblem::Server("storage".into()))),
                },
                Err(p) => problem.set(Some(p)),
            }
        });
    };
    let (title, intro, submit) = match kind.as_str() {
        "setup" => (
            SETUP_TITLE,
            SETUP_WHY.get(lang.get_untracked()).to_owned(),
            CREATE_TEAM,
        ),
        "reset" => (
            RESET_TITLE,
            reset_for(
                lang.get_untracked(),
                &info.team,
                info.username.as_deref().unwrap_or(""),
            ),
            RESET,
        ),
        _ => (
            JOIN_TITLE,
            invited_to(lang.get_untracked(), &info.team, info.role),
            JOIN,
        ),
    };
    view! {
        <section class="card" aria-labelledby="link-title">
            <h2 id="link-title">{tr(title)}</h2>
            <p>{intro}</p>
            <form on:submit=on_submit novalidate>
                <Show when=move || setup>
                    <TextField id="link-team" label=TEAM_NAME value=team
                        on_input=move |v: String| team.set(v) error=team_error/>
                </Show>
                <Show when=move || !reset>
                    <TextField id="link-name" label=YOUR_NAME value=name
                        on_input=move |v: String| name.set(v) error=name_error/>
                </Show>
                <TextField id="link-username" label=USERNAME value=username
                    on_input=move |v: String| username.set(v) error=username_error/>
                <TextField id="link-password" label=NEW_PASSWORD value=password input_type="password"
                    on_input=move |v: String| password.set(v) error=password_error/>
                <TextField id="link-again" label=PASSWORD_AGAIN value=again input_type="password"
                    on_input=move |v: String| again.set(v) error=again_error/>
                <TextField id="link-device" label=DEVICE_NAME value=device
                    on_input=move |v: String| device.set(v) error=device_error/>
                <button type="submit" class="primary" prop:disabled=move || busy.get()>
                    {move || if busy.get() { WORKING.get(lang.get()) } else { submit.get(lang.get()) }}
                </button>
                <p class="error" role="alert">{move || problem.get().map(|p| p.message(lang.get()))}</p>
            </form>
        </section>
    }
}
