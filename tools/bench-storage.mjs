// Storage capacity: how many visits fit in Chromium's localStorage, in the form the app
// stores them (packed records, outbox entries by reference), taken from the bench data set
// (`cargo xtask seed`: a realistic mix of services, words and blood pressure). Prints
// figures; asserts nothing.
import { chromium } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PORT = Number(process.env.PORT ?? 18101);
const URL = `http://127.0.0.1:${PORT}/`;
const SERVER = process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server";
const data = mkdtempSync(join(tmpdir(), "doorstep-bench-"));
const server = spawn(SERVER, ["serve", "--addr", `127.0.0.1:${PORT}`,
  "--database", `sqlite://${data}/db.sqlite`, "--static-dir", "dist"], { stdio: "ignore" });

try {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${URL}healthz`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const page = await browser.newPage();
  await page.goto(URL);
  const seed = JSON.parse(readFileSync("target/bench/seed.json", "utf8"));
  const visits = Object.entries(seed).filter(([k]) => k.includes("/visits/r/")).map(([, v]) => v);
  const outbox = Object.entries(seed).filter(([k]) => k.includes("/outbox/m/")).map(([, v]) => v);
  // Fills with visits (record + index share + optionally an outbox entry) until refused.
  const fill = (withOutbox) => page.evaluate(({ visits, outbox, withOutbox }) => {
    localStorage.clear();
    let n = 0, units = 0, page = [];
    try {
      for (;;) {
        const id = crypto.randomUUID();
        const k = `doorstep/v1/visits/r/${id}`, v = visits[n % visits.length];
        localStorage.setItem(k, v);
        units += k.length + v.length;
        page.push(id);
        if (page.length === 256) {
          const pk = `doorstep/v1/visits/i/${Math.floor(n / 256)}`, pv = JSON.stringify(page);
          localStorage.setItem(pk, pv); units += pk.length + pv.length; page = [];
        }
        if (withOutbox) {
          const ok = `doorstep/v1/outbox/m/${String(n + 1).padStart(20, "0")}`, ov = outbox[n % outbox.length];
          localStorage.setItem(ok, ov); units += ok.length + ov.length;
        }
        n++;
      }
    } catch { /* full */ }
    localStorage.clear();
    return { n, units };
  }, { visits, outbox, withOutbox });
  const synced = await fill(false);
  const unsynced = await fill(true);
  const avg = Math.round(visits.reduce((a, v) => a + v.length, 0) / visits.length);
  console.log(`localStorage capacity: about ${synced.units} UTF-16 units; a stored visit averages ` +
    `${avg} units (+ a 57-unit key): ${synced.n} visits fit once synced, ${unsynced.n} while ` +
    `every one is still in the outbox`);
  await browser.close();
} finally {
  server.kill("SIGTERM");
  rmSync(data, { recursive: true, force: true });
}
