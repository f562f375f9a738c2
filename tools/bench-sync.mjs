// Sync in the browser: a phone back online with 1,000 visits (and 100 households) waiting in
// its outbox, written by `cargo xtask seed` with the core code the app saves with. The real
// server on 127.0.0.1 with a fresh SQLite file, a real account. Phone viewport, no throttling.
// Prints figures for BENCHMARKS.md; asserts only that every visit arrived once.
//
//   sync: the app's "doorstep:sync" measure — every mutation pushed (batches of 100), then
//         the team's records pulled back (pages of 500) and the lists reloaded
import { chromium } from "@playwright/test";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PORT = Number(process.env.PORT ?? 18103);
const URL = `http://127.0.0.1:${PORT}/`;
const SERVER = process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server";
const VISITS = Number(process.env.VISITS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 3);

execFileSync("cargo", ["run", "-q", "-p", "xtask", "--", "seed"], {
  env: { ...process.env, SEED_HOUSEHOLDS: "100", SEED_VISITS: String(VISITS), SEED_OUT: "seed-sync", SEED_USER: "" },
  stdio: "inherit",
});
const seed = JSON.parse(readFileSync("target/bench/seed-sync.json", "utf8"));

const results = [];
for (let run = 0; run < RUNS; run++) {
  const data = mkdtempSync(join(tmpdir(), "doorstep-bench-sync-"));
  const db = ["--database", `sqlite://${data}/db.sqlite`];
  execFileSync(SERVER, ["team", "add", "bench", ...db]);
  execFileSync(SERVER, ["user", "add", "--team", "bench", "--role", "volunteer", "--username", "bench-vol", ...db],
    { env: { ...process.env, DOORSTEP_PASSWORD: "bench-password" } });
  const server = spawn(SERVER, ["serve", "--addr", `127.0.0.1:${PORT}`, ...db, "--static-dir", "dist"], { stdio: "ignore" });
  try {
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(`${URL}healthz`)).ok) break; } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await (await fetch(`${URL}api/v1/login`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "bench-vol", password: "bench-password", device_name: "bench" }),
    })).json();
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
    const context = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: "zh-CN" });
    const page = await context.newPage();
    // The seeded phone, signed in as the real account, before the app starts.
    await page.route(URL, (route) => route.fulfill({ body: "<!doctype html><title>seed</title>", contentType: "text/html" }));
    await page.goto(URL);
    await page.evaluate(({ seed, session }) => {
      localStorage.clear();
      for (const [k, v] of Object.entries(seed)) localStorage.setItem(k, v);
      localStorage.setItem("doorstep/session", JSON.stringify(session));
    }, { seed, session: { token: login.token, user: login.user } });
    await page.unroute(URL);
    await page.goto(URL);
    const ms = await page.waitForFunction(
      () => performance.getEntriesByName("doorstep:sync", "measure")[0]?.duration,
      null, { timeout: 120_000, polling: 50 },
    ).then((h) => h.jsonValue());
    // Count what the server holds, through pull.
    let cursor = 0, stored = 0, more = true;
    while (more) {
      const page = await (await fetch(`${URL}api/v1/sync/pull?protocol=1&cursor=${cursor}`, {
        headers: { Authorization: `Bearer ${login.token}` },
      })).json();
      stored += page.records.filter((r) => r.kind === "visit").length;
      cursor = page.cursor;
      more = page.more ?? false;
    }
    if (stored !== VISITS) throw new Error(`server holds ${stored} visits, expected ${VISITS}`);
    results.push(ms);
    console.log(`run ${run + 1}: ${VISITS} visits + 100 households pushed and pulled back in ${ms.toFixed(0)} ms (server: ${stored} visits)`);
    await browser.close();
  } finally {
    server.kill("SIGTERM");
    rmSync(data, { recursive: true, force: true });
  }
}
results.sort((a, b) => a - b);
console.log(`sync of ${VISITS} queued visits: median ${results[Math.floor(results.length / 2)].toFixed(0)} ms (runs: ${results.map((r) => r.toFixed(0)).join(", ")})`);
