//! For coordinators and admins, online: the team's people (role, phones, last seen), an
//! invite for a new member (a one-time link and its QR code), and per member: disable or
//! enable, a password-reset link, and — for admins — the role. The server decides who may
//! do what (`core::account::may_manage`); the page offers only what it would allow.

use doorstep_core::account::{
    may_change_roles, may_manage, InviteRequest, InviteResponse, MemberView, Role,
};
use doorstep_core::sync::scope::Communities;
use doorstep_core::sync::window::TeamSettings;
use doorstep_core::{Lang, UnixMillis};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::browser::format_time;
use crate::components::field::TextField;
use crate::components::qr_code::QrCodeImage;
use crate::i18n::*;
use crate::session::use_session;

/// A link just made: for whom, and whether it resets a password.
#[derive(Clone)]
struct Issued {
    link: InviteResponse,
    name: String,
    reset: bool,
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let me = session.session.get_untracked().map(|s| s.user);
    let my_id = me.as_ref().map(|u| u.id.clone()).unwrap_or_default();
    let my_role = me.map(|u| u.role).unwrap_or(Role::Volunteer);
    let token = move || session.token();
    let members = RwSignal::new(None::<Result<Vec<MemberView>, ApiProblem>>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let issued = RwSignal::new(None::<Issued>);
    let load = move || {
        if let Some(t) = token() {
            leptos::task::spawn_local(async move {
                members.set(Some(api::members(&t).await));
            });
        }
    };
    load();
    // Runs one change, then shows the list as the server now has it.
    let act = move |change: Change| {
        let Some(t) = token() else { return };
        problem.set(None);
        leptos::task::spawn_local(async move {
            let result = match change {
                Change::Disabled(id, d) => api::set_disabled(&t, &id, d).await,
                Change::Role(id, r) => api::set_role(&t, &id, r).await,
                Change::Communities(id, communities) => {
                    api::set_communities(&t, &id, &Communities { communities }).await
                }
                Change::Reset(id, name) => api::reset_link(&t, &id).await.map(|link| {
                    issued.set(Some(Issued {
                        link,
                        name,
                        reset: true,
                    }))
                }),
            };
            if let Err(p) = result {
                problem.set(Some(p));
            }
            load();
        });
    };
    // The team's communities, from the households on this (a coordinator's) phone.
    let db = crate::state::use_db();
    let known = Memo::new(move |_| {
        db.households.with(|hs| {
            hs.iter()
                .map(|h| h.address.community.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        })
    });
    let invitable: Vec<Role> = Role::ALL
        .iter()
        .copied()
        .filter(|r| may_manage(my_role, *r))
        .collect();
    view! {
        <section class="card" aria-labelledby="members-title">
            <h2 id="members-title">{tr(MEMBERS)}</h2>
            <p class="muted">{tr(MEMBERS_HELP)}</p>
            <p>
                <a class="button" href="/roster">{tr(ROSTER)}</a> " "
                <a class="button" href="/units">{tr(UNITS)}</a>
            </p>
            <p class="error" role="alert">{move || problem.get().map(|p| p.message(lang.get()))}</p>
            {move || issued.get().map(|i| view! { <IssuedLink issued=i on_done=move || issued.set(None)/> })}
            <InviteForm roles=invitable token=Signal::derive(token) issued problem/>
        </section>
        <section class="card" aria-labelledby="member-list-title">
            <h2 id="member-list-title">{move || counted(lang.get(), MEMBERS.get(lang.get()),
                members.with(|m| m.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len)))}</h2>
            {move || match members.get() {
                None => view! { <p class="muted">{tr(LOADING)}</p> }.into_any(),
                Some(Err(p)) => view! { <p role="alert">{move || p.message(lang.get())}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" aria-labelledby="member-list-title">
                        {list.into_iter().map(|m| {
                            let manageable = m.id != my_id && may_manage(my_role, m.role);
                            let you = m.id == my_id;
                            view! { <MemberRow member=m you manageable roles=may_change_roles(my_role) act known/> }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <a class="button" href="/devices">{tr(SEE_DEVICES)}</a>
        </section>
        <KeepForm token=Signal::derive(token)/>
    }
}

/// The team's window: how many days of synced visits and events phones keep.
#[component]
fn KeepForm(token: Signal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let days = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    if let Some(t) = token.get_untracked() {
        leptos::task::spawn_local(async move {
            match api::team_settings(&t).await {
                Ok(s) => days.set(s.window_days.to_string()),
                Err(p) => error.set(Some(p.message(lang.get_untracked()).to_owned())),
            }
        });
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        note.set(None);
        // Not a number is out of range too: one message, the core's.
        let window_days = days.get_untracked().trim().parse().unwrap_or(0);
        let settings = match (TeamSettings { window_days }).parse() {
            Ok(s) => s,
            Err(e) => {
                error.set(Some(e.message(lang.get_untracked())));
                return;
            }
        };
        let Some(t) = token.get_untracked() else {
            return;
        };
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::set_team_settings(&t, &settings).await {
                Ok(()) => note.set(Some(KEEP_SAVED.get(lang.get_untracked()).into())),
                Err(p) => error.set(Some(p.message(lang.get_untracked()).to_owned())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="keep-title">
            <h2 id="keep-title">{tr(KEEP_TITLE)}</h2>
            <p class="muted">{tr(KEEP_HELP)}</p>
            <form on:submit=on_submit novalidate aria-labelledby="keep-title">
                <TextField id="keep-days" label=KEEP_DAYS value=days input_type="number"
                    inputmode="numeric" on_input=move |v: String| days.set(v) error/>
                <button type="submit" class="primary" prop:disabled=move || busy.get()>
                    {move || if busy.get() { WORKING.get(lang.get()) } else { SAVE_KEEP.get(lang.get()) }}
                </button>
                <p role="status">{move || note.get()}</p>
            </form>
        </section>
    }
}

enum Change {
    Disabled(String, bool),
    Role(String, Role),
    Reset(String, String),
    Communities(String, Vec<String>),
}

#[component]
fn InviteForm(
    roles: Vec<Role>,
    token: Signal<Option<String>>,
    issued: RwSignal<Option<Issued>>,
    problem: RwSignal<Option<ApiProblem>>,
) -> impl IntoView {
    let lang = use_lang();
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let role = RwSignal::new(Role::Volunteer);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = doorstep_core::account::parse_display_name(&name.get_untracked());
        name_error.set(
            parsed
                .as_ref()
                .err()
                .map(|e| e.message(lang.get_untracked())),
        );
        let (Ok(display_name), Some(t)) = (parsed, token.get_untracked()) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let req = InviteRequest {
            role: role.get_untracked(),
            display_name: display_name.clone(),
        };
        leptos::task::spawn_local(async move {
            match api::invite(&t, &req).await {
                Ok(link) => {
                    issued.set(Some(Issued {
                        link,
                        name: display_name,
                        reset: false,
                    }));
                    name.set(String::new());
                }
                Err(p) => problem.set(Some(p)),
            }
            busy.set(false);
        });
    };
    let several = roles.len() > 1;
    view! {
        <form on:submit=on_submit novalidate aria-labelledby="invite-title">
            <h3 id="invite-title">{tr(INVITE_TITLE)}</h3>
            <TextField id="invite-name" label=INVITE_NAME value=name
                on_input=move |v: String| name.set(v) error=name_error/>
            <Show when=move || several>
                <div class="field">
                    <label for="invite-role">{tr(ROLE)}</label>
                    <RoleSelect id="invite-role".into() roles=roles.clone() value=role.get_untracked()
                        on_change=move |r| role.set(r)/>
                </div>
            </Show>
            <button type="submit" class="primary" prop:disabled=move || busy.get()>
                {move || if busy.get() { WORKING.get(lang.get()) } else { MAKE_INVITE.get(lang.get()) }}
            </button>
        </form>
    }
}

#[component]
fn RoleSelect(
    id: String,
    roles: Vec<Role>,
    value: Role,
    #[prop(into)] on_change: Callback<Role>,
    #[prop(optional)] label: Option<Signal<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let options = roles.clone();
    view! {
        <select id=id aria-label=move || label.map(|l| l.get())
            on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(r) = roles.iter().find(|r| r.code() == v) {
                    on_change.run(*r);
                }
            }>
            {options.into_iter().map(|r| view! {
                <option value=r.code() selected=r == value>{move || r.label(lang.get())}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn MemberRow(
    member: MemberView,
    you: bool,
    manageable: bool,
    roles: bool,
    act: impl Fn(Change) + Copy + Send + Sync + 'static,
    known: Memo<Vec<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let asking = RwSignal::new(false);
    let m = member;
    let scope = (m.role == Role::Volunteer).then(|| {
        view! {
            <CommunitiesControl id=m.id.clone() name=m.display_name.clone()
                given=m.communities.clone() manageable act known/>
        }
    });
    let (id, name, disabled) = (m.id.clone(), m.display_name.clone(), m.disabled);
    let seen = m.last_seen_at;
    let devices = m.devices;
    let label = move |action: doorstep_core::i18n::Text| {
        let name = name.clone();
        move || for_member(lang.get(), action, &name)
    };
    let controls = manageable.then(|| {
        let role_control = roles.then(|| {
            let id = id.clone();
            view! {
                <RoleSelect id=format!("role-{}", m.id) roles=Role::ALL.to_vec() value=m.role
                    label=Signal::derive(label(ROLE))
                    on_change=move |r| act(Change::Role(id.clone(), r))/>
            }
        });
        let (id_d, id_r, name_r) = (id.clone(), id.clone(), m.display_name.clone());
        view! {
            <div class="actions">
                {role_control}
                {if disabled {
                    view! {
                        <button type="button" class="small" aria-label=label(ENABLE)
                            on:click=move |_| act(Change::Disabled(id_d.clone(), false))>{tr(ENABLE)}</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="small" aria-label=label(DISABLE)
                            on:click=move |_| asking.set(true)>{tr(DISABLE)}</button>
                    }.into_any()
                }}
                <button type="button" class="small" aria-label=label(RESET_PASSWORD)
                    on:click=move |_| act(Change::Reset(id_r.clone(), name_r.clone()))>{tr(RESET_PASSWORD)}</button>
            </div>
            <Show when=move || asking.get()>
                {
                    let id = id.clone();
                    view! {
                        <div class="banner warn" role="alert">
                            <p>{tr(DISABLE_CONFIRM)}</p>
                            <button type="button" on:click=move |_| asking.set(false)>{tr(CANCEL)}</button>
                            " "
                            <button type="button" class="danger" on:click=move |_| {
                                asking.set(false);
                                act(Change::Disabled(id.clone(), true));
                            }>{tr(DISABLE)}</button>
                        </div>
                    }
                }
            </Show>
        }
    });
    view! {
        <li>
            <span class="row-title">{m.display_name.clone()}</span>
            {you.then(|| tr(YOU))}
            " · " {m.username.clone()}
            " " <span class="chip">{move || m.role.label(lang.get())}</span>
            {disabled.then(|| view! { " " <span class="chip warn">{tr(DISABLED)}</span> })}
            <div class="muted">{move || last_seen(lang.get(), devices, seen)}</div>
            {scope}
            {controls}
        </li>
    }
}

/// A volunteer's communities (`core::sync::scope`): shown, and for one the caller manages a
/// choice among the team's communities (and those already given).
#[component]
fn CommunitiesControl(
    id: String,
    name: String,
    given: Vec<String>,
    manageable: bool,
    act: impl Fn(Change) + Copy + Send + Sync + 'static,
    known: Memo<Vec<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let chosen = RwSignal::new(given.clone());
    let shown = {
        let given = given.clone();
        move || {
            let list = if given.is_empty() {
                ALL_HOUSEHOLDS.get(lang.get()).to_owned()
            } else {
                given.join("、")
            };
            label_value(lang.get(), COMMUNITIES.get(lang.get()), list)
        }
    };
    let options = move || {
        let mut all = known.get();
        for c in chosen.get_untracked() {
            if !all.contains(&c) {
                all.push(c);
            }
        }
        all.sort();
        all
    };
    let editor = manageable.then(|| {
        let name_b = name.clone();
        let name_f = name.clone();
        view! {
            <button type="button" class="small" aria-expanded=move || open.get().to_string()
                aria-label=move || for_member(lang.get(), SET_COMMUNITIES, &name_b)
                on:click=move |_| open.update(|o| *o = !*o)>{tr(SET_COMMUNITIES)}</button>
            <Show when=move || open.get()>
                <fieldset class="communities">
                    <legend>{let n = name_f.clone(); move || communities_of(lang.get(), &n)}</legend>
                    <p class="muted">{tr(COMMUNITIES_HELP)}</p>
                    {move || {
                        let all = options();
                        if all.is_empty() {
                            return view! { <p class="muted">{tr(NO_COMMUNITIES_YET)}</p> }.into_any();
                        }
                        all.into_iter().map(|c| {
                            let c2 = c.clone();
                            let checked = chosen.with_untracked(|v| v.contains(&c));
                            view! {
                                <label class="check">
                                    <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|v| {
                                            v.retain(|x| x != &c2);
                                            if on {
                                                v.push(c2.clone());
                                            }
                                        });
                                    }/>
                                    " " {c}
                                </label>
                            }
                        }).collect_view().into_any()
                    }}
                    <button type="button" on:click={
                        let id = id.clone();
                        move |_| {
                            open.set(false);
                            act(Change::Communities(id.clone(), chosen.get_untracked()));
                        }
                    }>{tr(SAVE_COMMUNITIES)}</button>
                </fieldset>
            </Show>
        }
    });
    view! {
        <div class="muted">{shown}</div>
        {editor}
    }
}

fn last_seen(lang: Lang, devices: i64, seen: Option<i64>) -> String {
    match seen {
        Some(at) => format!(
            "{} · {} {}",
            phones(lang, devices),
            LAST_SEEN.get(lang),
            format_time(UnixMillis(at), lang.tag())
        ),
        None => NO_PHONE_YET.get(lang).to_owned(),
    }
}

/// The link just made, its QR code (big enough to scan from another phone at arm's length)
/// and a copy button; "Done" hides it — the link itself is not shown again.
#[component]
fn IssuedLink(issued: Issued, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let copied = RwSignal::new(false);
    let Issued { link, name, reset } = issued;
    let url = link.url.clone();
    let copy = {
        let url = url.clone();
        move |_| {
            let _ = window().navigator().clipboard().write_text(&url);
            copied.set(true);
        }
    };
    let until = link.expires_at;
    let qr_label = if reset { RESET_QR } else { INVITE_QR };
    let region = name.clone();
    view! {
        <div class="issued" role="region" aria-label=move || for_member(lang.get(), qr_label, &region)>
            <p>{
                let name = name.clone();
                move || link_ready(lang.get(), reset, &name, &format_time(UnixMillis(until), lang.get().tag()))
            }</p>
            <QrCodeImage text=url.clone() label=qr_label.get(lang.get_untracked())/>
            <div class="field">
                <label for="issued-link">{tr(LINK)}</label>
                <input id="issued-link" type="url" readonly prop:value=url.clone()/>
            </div>
            <button type="button" on:click=copy>{tr(COPY_LINK)}</button>
            " "
            <button type="button" class="secondary" on:click=move |_| on_done.run(())>{tr(DONE)}</button>
            <p class="ok" role="status">{move || copied.get().then(|| COPIED.get(lang.get()))}</p>
        </div>
    }
}
