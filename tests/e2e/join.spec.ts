// From an empty server to a team in the app: the setup link the server logs makes the team
// and its admin; an invite link makes a volunteer on another phone; a used link says so; a
// reset link gives a forgotten password back.
import { test, expect, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setPin } from "./helpers";

const SERVER = process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server";

let child: ChildProcess | undefined;
let dir = "";
test.afterEach(() => {
  child?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A server on an empty database; the setup link it logs. */
async function emptyServer(port: number): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), "doorstep-join-"));
  child = spawn(SERVER, ["serve", "--addr", `127.0.0.1:${port}`, "--database", `sqlite://${dir}/db.sqlite`],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let log = "";
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no setup link logged:\n${log}`)), 20_000);
    child!.stderr!.on("data", (d) => {
      log += d;
      const link = log.match(/(http:\/\/\S+\/setup#[0-9a-f]{32})/);
      if (link) {
        clearTimeout(timer);
        resolve(link[1]);
      }
    });
  });
}

async function api(base: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  expect(res.ok, `${path}: ${res.status}`).toBe(true);
  return res.json();
}

async function fillLink(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

test("setup link, invite, used link, password reset", async ({ page, browser }, info) => {
  const port = 18600 + info.parallelIndex;
  const base = `http://127.0.0.1:${port}`;
  const setupLink = await emptyServer(port);
  expect(setupLink.startsWith(`${base}/setup#`)).toBe(true);

  // The first admin, on their own phone.
  await page.goto(setupLink);
  await expect(page.getByRole("heading", { name: "建立服务队" })).toBeVisible();
  await fillLink(page, {
    "服务队名称（如：邮政志愿服务队）": "邮政志愿服务队",
    "你的名字（大家看到的名字）": "李伟",
    "用户名": "li.wei",
    "密码（至少 8 位）": "admin-password-1",
    "再输一次密码": "admin-password-2",
    "这台手机的名称（如：张三的手机）": "李伟的手机",
  });
  await page.getByRole("button", { name: "建立服务队并登录" }).click();
  // A typo in the second password is caught before anything is sent.
  await expect(page.getByText("两次输入的密码不一样")).toBeVisible();
  await page.getByLabel("再输一次密码", { exact: true }).fill("admin-password-1");
  await page.screenshot({ path: "tests/e2e/screenshots/setup.png" });
  await page.getByRole("button", { name: "建立服务队并登录" }).click();
  await setPin(page);
  expect(new URL(page.url()).pathname).toBe("/");
  // Signed in as the admin: the coordinators' tabs are there.
  await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "统计" })).toBeVisible();

  // The setup link is spent.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(setupLink);
  await expect(otherPage.getByRole("alert")).toContainText("服务队已经建好了");

  // An invite, opened on the volunteer's phone.
  const admin = await api(base, "/api/v1/login", { username: "li.wei", password: "admin-password-1", device_name: "api" });
  const invite = await api(base, "/api/v1/invites", { role: "volunteer", display_name: "张三" }, admin.token);
  const volunteer = await browser.newContext();
  const volPage = await volunteer.newPage();
  await volPage.goto(invite.url);
  await expect(volPage.getByText("邀请你以志愿者身份加入「邮政志愿服务队」")).toBeVisible();
  await expect(volPage.getByLabel("你的名字（大家看到的名字）")).toHaveValue("张三");
  await fillLink(volPage, {
    "用户名": "zhang.san",
    "密码（至少 8 位）": "volunteer-password-1",
    "再输一次密码": "volunteer-password-1",
    "这台手机的名称（如：张三的手机）": "张三的手机",
  });
  await volPage.screenshot({ path: "tests/e2e/screenshots/join.png" });
  await volPage.getByRole("button", { name: "加入并登录" }).click();
  await setPin(volPage);
  // Signed in as a volunteer: no coordinators' tabs.
  await expect(volPage.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "首页" })).toBeVisible();
  await expect(volPage.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "统计" })).toHaveCount(0);

  // The same invite on a third phone: used.
  await otherPage.goto(invite.url);
  await expect(otherPage.getByRole("alert")).toContainText("这个链接已经用过了");

  // A forgotten password: the admin makes a reset link; the volunteer sets a new one.
  const members = await (await fetch(`${base}/api/v1/members`, { headers: { authorization: `Bearer ${admin.token}` } })).json();
  const zhang = members.find((m: { username: string }) => m.username === "zhang.san");
  const reset = await api(base, `/api/v1/members/${zhang.id}/reset`, {}, admin.token);
  const fresh = await browser.newContext();
  const freshPage = await fresh.newPage();
  await freshPage.goto(reset.url);
  await expect(freshPage.getByRole("heading", { name: "设置新密码" })).toBeVisible();
  await expect(freshPage.getByLabel("用户名", { exact: true })).toHaveValue("zhang.san");
  await fillLink(freshPage, {
    "密码（至少 8 位）": "new-password-2",
    "再输一次密码": "new-password-2",
    "这台手机的名称（如：张三的手机）": "张三的新手机",
  });
  await freshPage.getByRole("button", { name: "设置新密码并登录" }).click();
  await setPin(freshPage);
  const relogin = await fetch(`${base}/api/v1/login`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "zhang.san", password: "new-password-2", device_name: "api" }),
  });
  expect(relogin.status).toBe(200);
  await Promise.all([other.close(), volunteer.close(), fresh.close()]);
});
