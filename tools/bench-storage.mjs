// Storage capacity: how many visits fit in Chromium's localStorage, with the record layout the
// app writes today (one key per record). Prints figures; asserts nothing.
// The visit below is a typical one: two volunteers, chat, one supply item, blood pressure and
// the resident's words.
import { chromium } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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
  const r = await page.evaluate(() => {
    localStorage.clear();
    const visit = {
      id: "019ac1d2-3e4f-7a8b-9c0d-1e2f3a4b5c6d", household_id: "019ac1d2-3e4f-7a8b-9c0d-1e2f3a4b5c6e",
      day: "2026-11-26", volunteers: ["张三", "李四"], partners: ["community_committee"],
      services: { companionship_chat: true, cleaning_help: false, holiday_greeting: false,
        supplies: [{ item: "大米", quantity: 2, unit: "袋" }], blood_pressure: { systolic: 135, diastolic: 85 },
        haircut: false, knife_sharpening: false, free_clinic: false, anti_fraud_talk: false, leaflet_given: false },
      conditions: null, needs: [], needs_text: "", residents_words: "你们来了我就高兴", follow_up: null, notes: "",
      created_at: 1795714200000, updated_at: 1795714200000, author: "this-phone",
    };
    const json = JSON.stringify(visit);
    let n = 0;
    try {
      for (;;) {
        localStorage.setItem(`doorstep/v1/visits/r/${crypto.randomUUID()}`, json);
        n++;
      }
    } catch { /* full */ }
    let units = 0;
    for (const k of Object.keys(localStorage)) units += k.length + localStorage.getItem(k).length;
    localStorage.clear();
    return { n, perVisit: json.length, units };
  });
  console.log(`localStorage capacity: ${r.units} UTF-16 units; a typical visit is ${r.perVisit} chars ` +
    `(+ a 56-char key): ${r.n} visits fit with nothing else stored, about ${Math.floor(r.n / 2)} ` +
    `while each is also queued in the outbox`);
  await browser.close();
} finally {
  server.kill("SIGTERM");
  rmSync(data, { recursive: true, force: true });
}
