// Load-time benchmark: the release build served by the real server, loaded in Debian's
// Chromium under emulated Slow 4G (Lighthouse's mobile settings: 150 ms RTT, 1.6 Mbps down,
// 750 kbps up, CPU slowed 4x). Prints figures; asserts nothing (this machine is noisy).
//
//   cold: a fresh profile, nothing cached: what a volunteer waits for on the first visit.
//   warm: the same profile again, answered by the service worker.
// "ready" = the first screen is up: the sign-in form (a fresh profile) or Home's "Log a
// visit" button (记录走访).
import { chromium } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.RUNS ?? 5);
const PORT = Number(process.env.PORT ?? 18100);
const URL = `http://127.0.0.1:${PORT}/`;
const SERVER = process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server";
const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};

const data = mkdtempSync(join(tmpdir(), "doorstep-bench-"));
const server = spawn(SERVER, ["serve", "--addr", `127.0.0.1:${PORT}`,
  "--database", `sqlite://${data}/db.sqlite`, "--static-dir", "dist"], { stdio: "ignore" });

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${URL}healthz`)).ok) return; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

async function load(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
  await page.goto(URL, { waitUntil: "commit" });
  // A fresh profile is not signed in: its first screen is the sign-in form.
  await page.getByRole("heading", { name: "登录" }).or(page.getByRole("link", { name: "记录走访" }))
    .first().waitFor({ state: "visible", timeout: 60_000 });
  const ms = await page.evaluate(() => performance.now());
  await cdp.detach();
  return { ms, bytes };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  await waitForServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const cold = [], warm = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 412, height: 915 } });
    const page = await context.newPage();
    const c = await load(page);
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null);
    const w = await load(page);
    cold.push(c); warm.push(w);
    console.log(`run ${i + 1}: cold ${c.ms.toFixed(0)} ms (${(c.bytes / 1024).toFixed(1)} KB on the wire), warm ${w.ms.toFixed(0)} ms`);
    await context.close();
  }
  await browser.close();
  console.log(`Slow 4G + 4x CPU, ${RUNS} runs: cold median ${median(cold.map((r) => r.ms)).toFixed(0)} ms, ` +
    `warm (service worker) median ${median(warm.map((r) => r.ms)).toFixed(0)} ms, ` +
    `cold transfer ${(median(cold.map((r) => r.bytes)) / 1024).toFixed(1)} KB`);
} finally {
  server.kill("SIGTERM");
  rmSync(data, { recursive: true, force: true });
}
