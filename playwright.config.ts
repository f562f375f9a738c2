import { defineConfig, devices } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The real server (release build of the app in dist/, a fresh SQLite file) on 127.0.0.1.
export const PORT = Number(process.env.DOORSTEP_E2E_PORT ?? 18080);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
const SERVER = process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server";
// The config is read again in every worker: they must share the server's database, where
// tests add their own teams (tests/e2e/helpers.ts `newTeam`).
process.env.DOORSTEP_E2E_DATA ??= mkdtempSync(join(tmpdir(), "doorstep-e2e-"));
const DATA = process.env.DOORSTEP_E2E_DATA;
// The shared accounts (tests/e2e/helpers.ts), made by the server's CLI.
const DB = `sqlite://${DATA}/e2e.db`;
process.env.DOORSTEP_E2E_DB = DB;
const ACCOUNTS = [
  `${SERVER} team add e2e-team --database ${DB}`,
  `DOORSTEP_PASSWORD=e2e-password-1 ${SERVER} user add --team e2e-team --role volunteer --username e2e-vol --display-name 测试志愿者 --database ${DB}`,
  `DOORSTEP_PASSWORD=e2e-password-1 ${SERVER} user add --team e2e-team --role coordinator --username e2e-coord --display-name 测试协调员 --database ${DB}`,
].join(" && ");

// Debian's Chromium; Playwright's own browser download is not possible here.
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--disable-background-networking", "--disable-component-update", "--no-first-run"],
};

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: BASE_URL,
    launchOptions: CHROMIUM,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "phone",
      use: { ...devices["Pixel 7"], browserName: "chromium", locale: "zh-CN" },
    },
  ],
  webServer: {
    command: `${ACCOUNTS} && ${SERVER} serve --addr 127.0.0.1:${PORT} --database ${DB}`,
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
