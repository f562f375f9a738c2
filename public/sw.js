// Doorstep service worker. tools/post-build.mjs fills in the version and the precache list
// from the build output; this template alone precaches nothing.
const VERSION = "__DOORSTEP_VERSION__";
const PRECACHE = __DOORSTEP_PRECACHE__;
const CACHE = "doorstep-shell-" + VERSION;

self.addEventListener("install", (event) => {
  // No skipWaiting(): a new version waits until the app restarts or the user reloads.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("doorstep-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      // The first version takes the open page at once, so it works offline right away.
      .then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  // The API is never cached: records travel only through the app's own sync.
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (req.mode === "navigate") {
    // Every client-side route is the same shell.
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match("/index.html"))
        .then((hit) => hit || fetch(req)));
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(req, { ignoreSearch: true }))
      .then((hit) => hit || fetch(req)));
});
