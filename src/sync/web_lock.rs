//! One tab syncs at a time: the Web Locks API (`navigator.locks.request` with
//! `ifAvailable`), reached through `Reflect` because web-sys keeps it behind unstable APIs.
//! Without Web Locks the tab syncs alone (the server is safe with two anyway).

use std::future::Future;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};

/// Runs `work` holding the lock `name`, then `done(ran)` in any case. `if_available`: skip
/// `work` when another holder has it (`ran` is false); else wait for it.
pub fn with_lock<F, Fut>(name: &str, if_available: bool, work: F, done: impl FnOnce(bool) + 'static)
where
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let locks = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks
        .as_ref()
        .and_then(|l| Reflect::get(l, &"request".into()).ok())
        .and_then(|r| r.dyn_into::<Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        spawn_local(async move {
            work().await;
            done(true);
        });
        return;
    };
    let options = Object::new();
    let _ = Reflect::set(
        &options,
        &"ifAvailable".into(),
        &JsValue::from_bool(if_available),
    );
    // The lock is held until the promise the callback returns settles, which resolves to
    // whether the work ran.
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        if lock.is_null() {
            return Promise::resolve(&JsValue::FALSE);
        }
        future_to_promise(async move {
            work().await;
            Ok(JsValue::TRUE)
        })
    });
    match request.call3(&locks, &JsValue::from_str(name), &options, &callback) {
        Ok(p) => {
            let p: Promise = p.unchecked_into();
            spawn_local(async move {
                let ran = JsFuture::from(p).await.ok().and_then(|v| v.as_bool());
                done(ran.unwrap_or(false));
            });
        }
        Err(_) => done(false),
    }
}
