// The app with a long offline stretch on the phone: 1,000 households and 10,000 visits (all
// still in the outbox), written by `cargo xtask seed` with the core code the app saves with.
// Offline the whole time, phone viewport, no CPU throttling (this machine's 2 cores).
// Prints figures for BENCHMARKS.md; asserts nothing (this machine is noisy).
//
//   storage: UTF-16 units used, against Chromium's 5 M-unit localStorage quota
//   start:   reload offline → app mounted with every record loaded (User Timing marks)
//   list / search / household: from the tap until the DOM shows the result, laid out
//   save:    "doorstep:save" (record + outbox written, lists updated) and tap → household page
import { chromium } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PORT = Number(process.env.PORT ?? 18102);
const URL = `http://127.0.0.1:${PORT}/`;
const SERVER = process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server";
const SAVES = Number(process.env.SAVES ?? 30);
const QUOTA_UNITS = 5 * 1024 * 1024;
// CPU=4 slows the CPU four times (Lighthouse's mid-range phone), as the load benchmark does.
const CPU = Number(process.env.CPU ?? 1);
const seed = JSON.parse(readFileSync("target/bench/seed.json", "utf8"));
// Signed in as a coordinator, so the coordinator's screens can be measured too.
seed["doorstep/session"] = seed["doorstep/session"].replace('"role":"volunteer"', '"role":"coordinator"');
// The household with 50 visits.
const { busy_household: busyId } = JSON.parse(readFileSync("target/bench/seed-meta.json", "utf8"));

const data = mkdtempSync(join(tmpdir(), "doorstep-bench-"));
const server = spawn(SERVER, ["serve", "--addr", `127.0.0.1:${PORT}`,
  "--database", `sqlite://${data}/db.sqlite`, "--static-dir", "dist"], { stdio: "ignore" });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const ms = (x) => `${x.toFixed(1)} ms`;

// In the page: run `act`, then yield (message-channel macrotasks, no 4 ms clamping) until
// `done()` holds, force layout, and return the elapsed time.
async function timed(page, act, done, arg) {
  return page.evaluate(async ({ act, done, arg }) => {
    const a = new Function("arg", act), d = new Function("arg", done);
    const tick = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
    const t0 = performance.now();
    a(arg);
    while (!d(arg)) {
      if (performance.now() - t0 > 10_000) throw new Error(`not done after 10 s: ${done}`);
      await tick();
    }
    void document.body.offsetHeight;
    return performance.now() - t0;
  }, { act, done, arg });
}

// Client-side navigation through the router (as a tapped link does).
const GO = "history.pushState(null, '', arg.url); dispatchEvent(new PopStateEvent('popstate'));";

async function wasmHeap(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  await cdp.detach();
  const wasm = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
  return `JS heap ${(usedSize / 1048576).toFixed(1)} MiB, WASM memory ${(wasm / 1048576).toFixed(1)} MiB`;
}

// The app asks for a PIN after sign-in (a fresh storage: set one) and on every start (unlock).
const PIN = "2580";
async function ready(page) {
  const setup = page.getByLabel(/解锁密码\(/), unlock = page.getByLabel(/^解锁密码$/);
  const home = page.getByRole("navigation", { name: "主导航" });
  await setup.or(unlock).or(home).first().waitFor();
  if (await setup.isVisible()) {
    await setup.fill(PIN);
    await page.getByLabel("再输一次").fill(PIN);
    await page.getByRole("button", { name: "设置解锁密码" }).click();
  } else if (await unlock.isVisible()) {
    await unlock.fill(PIN);
    await page.getByRole("button", { name: "解锁" }).click();
  }
  await home.waitFor();
}

async function saveVisits(page, householdId, n) {
  const total = [], store = [];
  for (let i = 0; i < n; i++) {
    await page.evaluate(() => performance.clearMeasures("doorstep:save"));
    await page.evaluate(GO_FN, { url: `/visits/new?household=${householdId}` });
    await page.getByLabel(/志愿者/).fill("张三、李四");
    await page.getByLabel("聊天陪伴").check();
    const words = `第${i}次`;
    await page.getByLabel("居民反馈").fill(words);
    total.push(await timed(page,
      "document.querySelector('form button[type=submit]').click()",
      "return location.pathname === '/households/' + arg.id && !!document.querySelector('ul[aria-labelledby=history-title]')?.textContent.includes(arg.words)",
      { id: householdId, words }));
    store.push(await page.evaluate(() => performance.getEntriesByName("doorstep:save", "measure")[0].duration));
  }
  return { total, store };
}
const GO_FN = ({ url }) => { history.pushState(null, "", url); dispatchEvent(new PopStateEvent("popstate")); };

try {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${URL}healthz`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 412, height: 915 } });
  // Trunk announces the WASM instance; keep its memory to report its size.
  await context.addInitScript(() => addEventListener("TrunkApplicationStarted",
    (e) => { window.__wasmMemory = e.detail?.wasm?.memory; }));
  const page = await context.newPage();
  if (CPU > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
  }
  console.log(`CPU slowed ${CPU}x`);
  await page.goto(URL);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
  await context.setOffline(true);

  // Baseline: save cost with an empty store (does it grow with 10,000 visits?).
  await page.evaluate((session) => {
    localStorage.clear();
    localStorage.setItem("doorstep/session", session);
  }, seed["doorstep/session"]);
  await page.reload();
  await ready(page);
  // Only the busy household (its index page written as plain JSON, which the app also reads).
  const key = `doorstep/v1/households/r/${busyId}`;
  await page.evaluate(([k, v, id]) => {
    localStorage.setItem(k, v);
    localStorage.setItem("doorstep/v1/households/i/0", JSON.stringify([id]));
    localStorage.setItem("doorstep/v1/households/pages", "1");
  }, [key, seed[key], busyId]);
  await page.reload();
  await ready(page);
  const empty = await saveVisits(page, busyId, SAVES);

  // The data set.
  await page.evaluate((entries) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, seed);
  const units = await page.evaluate(() => {
    let n = 0;
    for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); n += k.length + localStorage.getItem(k).length; }
    return n;
  });
  const outboxUnits = Object.entries(seed).filter(([k]) => k.includes("/outbox/m/"))
    .reduce((n, [k, v]) => n + k.length + v.length, 0);
  console.log(`storage: ${Object.keys(seed).length} keys, ${units} UTF-16 units = ` +
    `${(100 * units / QUOTA_UNITS).toFixed(1)} % of the 5 M-unit quota ` +
    `(${(100 * (units - outboxUnits) / QUOTA_UNITS).toFixed(1)} % once the outbox is acknowledged)`);

  const starts = [], loads = [];
  for (let i = 0; i < 5; i++) {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName("doorstep:mounted").length > 0);
    const t = await page.evaluate(() => ({
      mounted: performance.getEntriesByName("doorstep:mounted")[0].startTime,
      load: performance.getEntriesByName("doorstep:load", "measure")[0].duration,
    }));
    starts.push(t.mounted); loads.push(t.load);
  }
  console.log(`start offline (navigation → mounted, 5 reloads): median ${ms(median(starts))}, ` +
    `of which reading 11,000 records: median ${ms(median(loads))}`);
  await ready(page);
  console.log(`heap after start: ${await wasmHeap(page)}`);
  const walk = await page.evaluate(() => {
    const t0 = performance.now();
    let n = 0;
    for (const k of Object.keys(localStorage)) n += k.length + localStorage.getItem(k).length;
    return performance.now() - t0;
  });
  console.log(`one walk over every key 300 ms after start (storage used, changes to sync, records an index missed): ${ms(walk)} in plain JS`);

  const lists = [], searches = [];
  for (let i = 0; i < 5; i++) {
    await page.evaluate(GO_FN, { url: "/" });
    await page.getByRole("heading", { name: /需要走访/ }).first().waitFor();
    lists.push(await timed(page, GO,
      "return document.querySelectorAll('ul[aria-labelledby=households-title] li').length >= 50", { url: "/households" }));
    // One character, then a narrower one: both walk all 1,000 households.
    for (const q of ["王", "王奶", "12幢"]) {
      searches.push(await timed(page,
        "const i = document.getElementById('household-search'); i.value = arg.q; i.dispatchEvent(new Event('input', { bubbles: true }));",
        "const li = [...document.querySelectorAll('ul[aria-labelledby=households-title] li')]; return li.length > 0 && li.every((li) => li.textContent.includes(arg.q.slice(0, 2)) || li.textContent.includes(arg.q))",
        { q }));
    }
  }
  console.log(`household list (1,000): median ${ms(median(lists))}; search: median ${ms(median(searches))}, p95 ${ms(p95(searches))}`);

  const opens = [];
  for (let i = 0; i < 5; i++) {
    await page.evaluate(GO_FN, { url: "/" });
    await page.getByRole("heading", { name: /需要走访/ }).first().waitFor();
    opens.push(await timed(page, GO,
      "return document.querySelectorAll('ul[aria-labelledby=history-title] li').length >= 50",
      { url: `/households/${busyId}` }));
  }
  console.log(`open a household with 50 visits: median ${ms(median(opens))}`);

  // The coordinator's screens over the same records: the dashboard's numbers (core::stats in
  // WASM over every record), a change of period, and the review's filtered list.
  const dash = [], period = [], review = [];
  for (let i = 0; i < 5; i++) {
    await page.evaluate(GO_FN, { url: "/" });
    await page.getByRole("heading", { name: /需要走访/ }).first().waitFor();
    dash.push(await timed(page, GO,
      "return document.querySelectorAll('.figure dd').length >= 10 && document.querySelector('#chart-weeks td.num') != null",
      { url: "/dashboard" }));
    period.push(await timed(page,
      "arg.before = document.querySelector('#chart-weeks th').textContent; [...document.querySelectorAll('.period-quick button')][arg.i % 2 ? 0 : 1].click();",
      "return document.querySelector('#chart-weeks th').textContent !== arg.before", { i }));
    review.push(await timed(page, GO,
      "return /\\d/.test(document.querySelector('#review-count')?.textContent ?? '') && document.querySelectorAll('ul.rows li').length > 0",
      { url: "/review" }));
  }
  const shown = await page.evaluate(() => document.querySelector('#review-count').textContent);
  console.log(`dashboard (stats over 10,000 visits): median ${ms(median(dash))}; change of period: median ${ms(median(period))}; ` +
    `review list: median ${ms(median(review))} (${shown})`);

  const full = await saveVisits(page, busyId, SAVES);
  console.log(`save a visit (${SAVES} each), storage part: empty store median ${ms(median(empty.store))} ` +
    `p95 ${ms(p95(empty.store))}; with 10,000 visits median ${ms(median(full.store))} p95 ${ms(p95(full.store))}`);
  console.log(`save a visit, tap → household page shown: empty store median ${ms(median(empty.total))}; ` +
    `with 10,000 visits median ${ms(median(full.total))} p95 ${ms(p95(full.total))}`);
  console.log(`heap at the end: ${await wasmHeap(page)}`);
  await browser.close();
} finally {
  server.kill("SIGTERM");
  rmSync(data, { recursive: true, force: true });
}
