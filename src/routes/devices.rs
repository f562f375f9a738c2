//! For coordinators, online: the team's phones (whose, last seen, changes waiting on it) and
//! "sign this phone out" — for a lost phone. The phone sends what it saved, then wipes the
//! team's data at its next contact.

use doorstep_core::account::DeviceView;
use doorstep_core::UnixMillis;
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::browser::format_time;
use crate::i18n::*;
use crate::session::use_session;

#[component]
pub fn DevicesPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let token = move || session.token();
    let devices = RwSignal::new(None::<Result<Vec<DeviceView>, ApiProblem>>);
    let asking = RwSignal::new(None::<String>);
    let load = move || {
        if let Some(t) = token() {
            leptos::task::spawn_local(async move {
                devices.set(Some(api::devices(&t).await));
            });
        }
    };
    load();
    let revoke = move |id: String| {
        if let Some(t) = token() {
            leptos::task::spawn_local(async move {
                let result = api::revoke_device(&t, &id).await;
                asking.set(None);
                match result {
                    Ok(()) => load(),
                    Err(p) => devices.set(Some(Err(p))),
                }
            });
        }
    };
    view! {
        <section class="card" aria-labelledby="devices-title">
            <h2 id="devices-title">{tr(DEVICES)}</h2>
            <p class="muted">{tr(DEVICES_HELP)}</p>
            {move || match devices.get() {
                None => view! { <p class="muted">{tr(LOADING)}</p> }.into_any(),
                Some(Err(p)) => view! { <p role="alert">{move || p.message(lang.get())}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" aria-labelledby="devices-title">
                        {list.into_iter().map(|d| {
                            let (id, name) = (d.id.clone(), d.name.clone());
                            let confirm_id = d.id.clone();
                            let label = {
                                let name = d.name.clone();
                                move || label_value(lang.get(), REVOKE_DEVICE.get(lang.get()), &name)
                            };
                            view! {
                                <li>
                                    <span class="row-title">{name}</span> " · " {d.user.display_name.clone()}
                                    <div class="muted">
                                        {move || format!("{} {}", LAST_SEEN.get(lang.get()),
                                            format_time(UnixMillis(d.last_seen_at), lang.get().tag()))}
                                        {move || d.unsynced.filter(|n| *n > 0).map(|n| format!(" · {}", counted(lang.get(), WAITING_TO_SYNC.get(lang.get()), n)))}
                                    </div>
                                    {if d.revoked {
                                        view! { <span class="chip">{tr(DEVICE_REVOKED)}</span> }.into_any()
                                    } else {
                                        view! {
                                            <Show when=move || asking.get().as_deref() != Some(&confirm_id)
                                                fallback={
                                                    let id = id.clone();
                                                    move || {
                                                        let id = id.clone();
                                                        view! {
                                                            <div class="banner warn" role="alert">
                                                                <p>{tr(REVOKE_CONFIRM)}</p>
                                                                <button type="button" on:click=move |_| asking.set(None)>{tr(CANCEL)}</button>
                                                                " "
                                                                <button type="button" class="danger" on:click=move |_| revoke(id.clone())>{tr(REVOKE_DEVICE)}</button>
                                                            </div>
                                                        }
                                                    }
                                                }>
                                                {
                                                    let id = d.id.clone();
                                                    view! {
                                                        <button type="button" class="small" aria-label=label.clone()
                                                            on:click=move |_| asking.set(Some(id.clone()))>
                                                            {tr(REVOKE_DEVICE)}
                                                        </button>
                                                    }
                                                }
                                            </Show>
                                        }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
