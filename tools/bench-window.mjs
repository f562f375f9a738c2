// A team three years on: 1,000 households and 40,000 visits on the server (pushed through the
// API as phones would), and a volunteer's new phone keeping the team's window (120 days);
// then a second volunteer given one of the team's five communities (sync::scope).
// Prints for BENCHMARKS.md: the first sync, the storage it uses against Chromium's 5 M-unit
// localStorage quota, start offline and save with that data. Asserts nothing (noisy machine).
//
//   HOUSEHOLDS=1000 VISITS=40000 DAYS=1095 CPU=1 node tools/bench-window.mjs
import { chromium } from "@playwright/test";
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PORT = Number(process.env.PORT ?? 18103);
const URL = `http://127.0.0.1:${PORT}/`;
const SERVER = process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server";
const HOUSEHOLDS = Number(process.env.HOUSEHOLDS ?? 1000);
const VISITS = Number(process.env.VISITS ?? 40000);
const SPAN = Number(process.env.DAYS ?? 1095);
const CPU = Number(process.env.CPU ?? 1);
const QUOTA_UNITS = 5 * 1024 * 1024;
const DAY_MS = 86_400_000;
const PW = "bench-password-1";
const PIN = "2580";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

function uuid7(t) {
  const b = randomBytes(16);
  b.writeUIntBE(t, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const data = mkdtempSync(join(tmpdir(), "doorstep-window-"));
const db = ["--database", `sqlite://${data}/db.sqlite`];
execFileSync(SERVER, ["team", "add", "bench-team", ...db]);
for (const [role, name] of [["coordinator", "bench-coord"], ["volunteer", "bench-vol"], ["volunteer", "bench-vol2"]]) {
  execFileSync(SERVER, ["user", "add", "--team", "bench-team", "--role", role, "--username", name,
    "--display-name", name, ...db], { env: { ...process.env, DOORSTEP_PASSWORD: PW } });
}
const server = spawn(SERVER, ["serve", "--addr", `127.0.0.1:${PORT}`, ...db], { stdio: "ignore" });

const COMMUNITIES = ["东亭社区", "春江花园社区", "鹅湖社区", "新安社区", "梅村社区"];

async function api(path, body, token, method = "POST") {
  const res = await fetch(`${URL}api/v1/${path}`, {
    method, body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function ready(page) {
  const setup = page.getByLabel(/解锁密码（/), unlock = page.getByLabel(/^解锁密码$/);
  const home = page.getByRole("navigation", { name: "主导航" });
  await setup.or(unlock).or(home).first().waitFor({ timeout: 120_000 });
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

/** Signs in on a new phone: ms from the sign-in tap to 已全部同步 (the PIN set meanwhile). */
async function firstSyncOf(page, username) {
  await page.goto(URL);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PW);
  await page.getByLabel(/这台手机的名称/).fill("测试手机");
  const t0 = performance.now();
  await page.getByRole("button", { name: "登录" }).click();
  await ready(page);
  await page.getByTestId("sync-status").filter({ hasText: "已全部同步" }).waitFor({ timeout: 600_000 });
  return performance.now() - t0;
}

const used = (page) => page.evaluate(() => {
  let n = 0, visits = 0;
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    n += k.length + localStorage.getItem(k).length;
    if (k.startsWith("doorstep/v1/visits/r/")) visits++;
  }
  return { units: n, visits };
});

try {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${URL}healthz`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The history, through the API.
  const { token } = await api("login", { username: "bench-coord", password: PW, device_name: "导入" });
  const now = Date.now();
  const records = [];
  const ids = [];
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const id = uuid7(now);
    ids.push(id);
    records.push({ kind: "household", record: { id, address: { community: COMMUNITIES[h % COMMUNITIES.length],
      building: `${1 + (h % 40)}幢`, unit: `${1 + (h % 3)}单元`, room: `${100 + h}室` },
      residents: [{ name: `居民${h}`, lives_alone: h % 3 === 0 }], notes: "腿脚不便，每月送米面油",
      basis: { kind: "duty_of_care", recorded_on: new Date(now - SPAN * DAY_MS).toISOString().slice(0, 10), recorded_by: "王芳" },
      created_at: now, updated_at: now, author: "" } });
  }
  const perHousehold = VISITS / HOUSEHOLDS, every = SPAN / perHousehold;
  for (let h = 0; h < HOUSEHOLDS; h++) {
    for (let k = 0; k < perHousehold; k++) {
      const back = Math.floor(k * every + (h % every));
      records.push({ kind: "visit", record: { id: uuid7(now), household_id: ids[h],
        day: new Date(now - back * DAY_MS).toISOString().slice(0, 10), volunteers: ["王芳", "李强"],
        services: { companionship_chat: true, cleaning: k % 3 === 0 },
        residents_words: "你们来了我就高兴，最近睡得还行", notes: "家里整洁，燃气已检查",
        created_at: now, updated_at: now, author: "" } });
    }
  }
  const t0 = performance.now();
  let seq = 0;
  for (let i = 0; i < records.length; i += 100) {
    const mutations = records.slice(i, i + 100).map(({ kind, record }) => ({
      seq: ++seq, at: now, op: { put: { kind, id: record.id, base: 0, record } } }));
    const answer = await api("sync/push", { protocol: 1, mutations }, token);
    if (answer.outcomes.some((o) => o.rejected)) throw new Error(JSON.stringify(answer.outcomes.find((o) => o.rejected)));
  }
  console.log(`server: ${HOUSEHOLDS} households and ${VISITS} visits over ${SPAN} days pushed in ` +
    `${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 412, height: 915 } });
  const page = await context.newPage();
  if (CPU > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
  }
  console.log(`CPU slowed ${CPU}x`);
  let pulled = 0, pulls = 0, waited = 0;
  page.on("requestfinished", async (req) => {
    if (!req.url().includes("/api/v1/sync/pull")) return;
    const t = req.timing();
    pulls++;
    waited += t.responseEnd - t.requestStart;
    pulled += (await (await req.response())?.body().catch(() => Buffer.alloc(0)))?.length ?? 0;
  });
  const firstSync = await firstSyncOf(page, "bench-vol");
  const { units, visits } = await used(page);
  console.log(`volunteer's new phone, window 120 days: first sync (sign-in tap → 已全部同步, PIN set meanwhile) ` +
    `${(firstSync / 1000).toFixed(1)} s, ${(pulled / 1048576).toFixed(1)} MiB in ${pulls} pull answers (${(waited / 1000).toFixed(1)} s waiting for them); holds ${visits} of ${VISITS} visits; ` +
    `${units} UTF-16 units = ${(100 * units / QUOTA_UNITS).toFixed(1)} % of the 5 M-unit quota`);

  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
  await context.setOffline(true);
  // Start: the lock screen up (mounted), then the PIN: its key (PBKDF2, 600,000 rounds), the
  // data key, and every list read and opened (the app's doorstep:unlock measure).
  const starts = [], unlocks = [], loads = [], censuses = [], longest = [];
  // The page's long tasks (over 50 ms), to see whether the walk over every key after start
  // ever holds the page (it yields every 500 keys).
  await context.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => [e.startTime, e.duration])))
      .observe({ type: "longtask", buffered: true });
  });
  for (let i = 0; i < 5; i++) {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName("doorstep:mounted").length > 0);
    starts.push(await page.evaluate(() => performance.getEntriesByName("doorstep:mounted")[0].startTime));
    await ready(page);
    await page.waitForFunction(() => performance.getEntriesByName("doorstep:unlock", "measure").length > 0);
    unlocks.push(await page.evaluate(() => performance.getEntriesByName("doorstep:unlock", "measure")[0].duration));
    loads.push(await page.evaluate(() => performance.getEntriesByName("doorstep:load", "measure").at(-1).duration));
    await page.waitForFunction(() => performance.getEntriesByName("doorstep:census", "measure").length > 0);
    const [census, worst] = await page.evaluate(() => {
      const c = performance.getEntriesByName("doorstep:census", "measure")[0];
      const during = window.__long.filter(([t, d]) => t + d > c.startTime && t < c.startTime + c.duration);
      return [c.duration, Math.max(0, ...during.map(([, d]) => d))];
    });
    censuses.push(census);
    longest.push(worst);
  }
  console.log(`start offline with that (5 reloads, medians): navigation → lock screen ${ms(median(starts))}; ` +
    `unlock (tap → every list read) ${ms(median(unlocks))}, of which reading the records ${ms(median(loads))}; ` +
    `together ${ms(median(starts) + median(unlocks))}`);
  console.log(`the walk over every key after start (in slices): ${ms(median(censuses))} in all; ` +
    `longest task over 50 ms during it: ${longest.every((x) => x === 0) ? "none" : ms(Math.max(...longest))}`);

  const saves = [];
  for (let i = 0; i < 15; i++) {
    await page.evaluate(() => performance.clearMeasures("doorstep:save"));
    await page.evaluate((url) => { history.pushState(null, "", url); dispatchEvent(new PopStateEvent("popstate")); },
      `/visits/new?household=${ids[i]}`);
    await page.getByLabel(/志愿者/).fill("张三");
    await page.getByLabel("聊天陪伴").check();
    await page.getByRole("button", { name: "保存走访" }).click();
    await page.waitForFunction(() => performance.getEntriesByName("doorstep:save", "measure").length > 0);
    saves.push(await page.evaluate(() => performance.getEntriesByName("doorstep:save", "measure")[0].duration));
  }
  console.log(`save a visit (record + outbox + lists) with that: median ${ms(median(saves))}, ` +
    `first ${ms(saves[0])}, last ${ms(saves[saves.length - 1])}`);

  // A second volunteer given one community of five: their new phone holds a fifth.
  const members = await (await fetch(`${URL}api/v1/members`, { headers: { authorization: `Bearer ${token}` } })).json();
  const vol2 = members.find((m) => m.username === "bench-vol2");
  await api(`members/${vol2.id}/communities`, { communities: [COMMUNITIES[0]] }, token, "PUT");
  const context2 = await browser.newContext({ locale: "zh-CN", viewport: { width: 412, height: 915 } });
  const page2 = await context2.newPage();
  const scopedSync = await firstSyncOf(page2, "bench-vol2");
  const scoped = await used(page2);
  console.log(`a volunteer given 1 of ${COMMUNITIES.length} communities: first sync ${(scopedSync / 1000).toFixed(1)} s; ` +
    `holds ${scoped.visits} visits; ${scoped.units} UTF-16 units = ${(100 * scoped.units / QUOTA_UNITS).toFixed(1)} % of the quota`);
  await browser.close();
} finally {
  server.kill();
  if (process.env.KEEP) console.log(`data kept in ${data}`);
  else rmSync(data, { recursive: true, force: true });
}
