import { expect, devices, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface Account {
  username: string;
  password: string;
  name: string;
}

/** The shared team's accounts (made before the server starts; see playwright.config.ts). */
export const VOLUNTEER: Account = { username: "e2e-vol", password: "e2e-password-1", name: "测试志愿者" };
export const COORDINATOR: Account = { username: "e2e-coord", password: "e2e-password-1", name: "测试协调员" };

const SERVER = process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server";

/** A team of its own for one test (synced data of other tests never shows), with a volunteer,
 * a second volunteer and a coordinator, added by the server's CLI to the running server's database. */
export function newTeam(opts: { admin?: boolean } = {}) {
  const db = ["--database", process.env.DOORSTEP_E2E_DB!];
  const tag = randomBytes(4).toString("hex");
  execFileSync(SERVER, ["team", "add", `team-${tag}`, ...db]);
  const add = (role: string, username: string, name: string): Account => {
    execFileSync(SERVER, ["user", "add", "--team", `team-${tag}`, "--role", role, "--username", username,
      "--display-name", name, ...db], { env: { ...process.env, DOORSTEP_PASSWORD: "e2e-password-1" } });
    return { username, password: "e2e-password-1", name };
  };
  return {
    volunteer: add("volunteer", `vol-${tag}`, "测试志愿者"),
    volunteer2: add("volunteer", `vol2-${tag}`, "第二志愿者"),
    coordinator: add("coordinator", `coord-${tag}`, "测试协调员"),
    admin: opts.admin ? add("admin", `admin-${tag}`, "测试管理员") : undefined,
  };
}

/** The PIN every test sets after signing in. */
export const PIN = "2580";

export const mainNav = (page: Page) => page.getByRole("navigation", { name: /主导航|Main/ });

/** Another phone: a Pixel 7 context in zh-CN on the same server. */
export async function phone(browser: Browser, baseURL: string | undefined): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", baseURL });
  return [context, await context.newPage()];
}

/** Signs in on the sign-in screen (in either language), by default as the volunteer of a new
 * team, and sets the PIN the app asks for next. */
export async function signIn(page: Page, who: Account = newTeam().volunteer, device = "测试手机") {
  await submitSignIn(page, who, device);
  await setPin(page);
}

/** Fills the sign-in screen and taps 登录 (for a sign-in that may be refused). */
export async function submitSignIn(page: Page, who: Account, device: string) {
  await page.getByLabel(/^(用户名|Username)$/).fill(who.username);
  await page.getByLabel(/^(密码|Password)$/).fill(who.password);
  await page.getByLabel(/这台手机的名称|Name of this phone/).fill(device);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
}

/** Chooses the PIN on the screen that follows a sign-in. */
export async function setPin(page: Page) {
  await page.getByLabel(/解锁密码（|PIN \(/).fill(PIN);
  await page.getByLabel(/^(再输一次|PIN again)$/).fill(PIN);
  await page.getByRole("button", { name: /^(设置解锁密码|Set a PIN)$/ }).click();
  await expect(mainNav(page)).toBeVisible();
}

/** The app locks on every start: unlock it with the PIN when it asks. */
export async function unlockIfLocked(page: Page) {
  const pin = page.getByLabel(/^(解锁密码|PIN)$/);
  await expect(pin.or(mainNav(page)).first()).toBeVisible();
  if (await pin.isVisible()) {
    // Once the start-up requests (sign-in check, first sync) are done: one CI run lost an
    // unlock tapped while they were in flight (see the note on issue 14).
    await page.waitForLoadState("networkidle");
    await pin.fill(PIN);
    await page.getByRole("button", { name: /^(解锁|Unlock)$/ }).click();
    await expect(mainNav(page)).toBeVisible();
  }
}

/** Reloads, and unlocks. */
export async function reload(page: Page) {
  await page.reload();
  await unlockIfLocked(page);
}

/** Opens the app, signs in (a new team's volunteer by default), and waits until the service
 * worker controls the page. */
export async function openControlled(page: Page, path = "/", who?: Account, device?: string) {
  await page.goto(path);
  await signIn(page, who, device);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
}

export function nav(page: Page, name: "首页" | "住户" | "Home" | "Households") {
  return page.getByRole("navigation", { name: /主导航|Main/ }).getByRole("link", { name, exact: true });
}

export interface HouseholdInput {
  community: string;
  building: string;
  room: string;
  name: string;
}

/** Fills the household form (already open) without saving. */
export async function fillHousehold(page: Page, h: HouseholdInput) {
  await page.getByLabel("社区").fill(h.community);
  await page.getByLabel("楼/幢").fill(h.building);
  await page.getByLabel("室", { exact: true }).fill(h.room);
  await page.getByLabel("姓名或称呼").fill(h.name);
}

/** Adds a household through the app's own navigation; ends on its page. */
export async function addHousehold(page: Page, h: HouseholdInput) {
  await nav(page, "住户").click();
  await page.getByRole("link", { name: "添加住户" }).click();
  await fillHousehold(page, h);
  await page.getByRole("button", { name: "保存住户" }).click();
  await expect(page.getByRole("heading", { name: `${h.community} ${h.building} ${h.room}` })).toBeVisible();
}

/**
 * On a visit or event form: makes exactly `names` the volunteers (the signed-in one comes
 * pre-filled and is taken off unless named). Each is found on the roster by typing, or added
 * on the spot when not there yet. `names` is "张三、李四" or "Zhang San, Li Si"; the page is in
 * either language.
 */
export async function setPeople(page: Page, names: string) {
  const en = ((await page.locator("html").getAttribute("lang")) ?? "").startsWith("en");
  const wanted = names.split(/[、,，]/).map((n) => n.trim()).filter(Boolean);
  const chosen = page.getByRole("list", { name: en ? "Volunteers chosen" : "已选志愿者" });
  const remove = chosen.getByRole("button", { name: en ? /^Remove / : /^移除/ });
  while ((await remove.count()) > 0) await remove.first().click();
  const search = page.getByLabel(en ? "Add a volunteer (type part of the name)" : "添加志愿者（输入姓名中的字）");
  for (const name of wanted) {
    await search.fill(name);
    // A roster entry shows as "张三" or "张三 · 东亭社区".
    const known = page.getByRole("button", { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( · .*)?$`) });
    const added = page.getByRole("button", { name: en ? `Add “${name}” as a new member (to be checked)` : `添加新成员“${name}”（待负责人核对）` });
    await expect(known.or(added).first()).toBeVisible();
    if (await known.count()) await known.first().click();
    else await added.click();
    await expect(chosen).toContainText(name);
  }
}

/** For `logVisit`: the signed-in volunteer alone, as the form pre-fills it (adds no one). */
export const ME = "";

/** From a household's page: logs a companionship-chat visit; ends back on the page. */
export async function logVisit(page: Page, volunteers: string, words: string) {
  await page.getByRole("link", { name: /记录走访|再记录一次这户的走访/ }).click();
  if (volunteers !== ME) await setPeople(page, volunteers);
  await page.getByLabel("聊天陪伴").check();
  await page.getByLabel("居民反馈").fill(words);
  await page.getByRole("button", { name: "保存走访" }).click();
  await expect(page.getByRole("list", { name: /走访记录/ })).toContainText(words);
}

/** The home screen's latest visits, newest first. */
export function recentList(page: Page) {
  return page.getByRole("list", { name: /已保存的走访|Saved visits/ });
}

export async function expectRecent(page: Page, addresses: string[]) {
  const items = recentList(page).getByRole("listitem");
  await expect(items).toHaveCount(addresses.length);
  for (const [i, a] of addresses.entries()) await expect(items.nth(i)).toContainText(a);
}

/** Opens the header's account menu (sign-out, language, password live there once signed in). */
const accountButton = (page: Page) => page.getByRole("button", { name: /^(账户|Account)[：:]/ });

export async function openAccountMenu(page: Page) {
  const button = accountButton(page);
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
}

/** Clicks "退出登录" in the account menu. */
export async function clickSignOut(page: Page) {
  await openAccountMenu(page);
  await page.getByRole("button", { name: /^(退出登录|Sign out)$/ }).click();
}

/** Switches the language: in the account menu when signed in, in the header before. */
export async function switchLanguage(page: Page, to: "English" | "中文") {
  if (await accountButton(page).isVisible()) await openAccountMenu(page);
  await page.getByRole("button", { name: to }).click();
}

/** Every value in the page's localStorage as text: values are stored packed two bytes to a
 * UTF-16 unit (crates/core/src/store/pack.rs), so they are unpacked first. For tests that
 * check what the phone holds (or must not hold) in the raw storage. */
export function storedText(page: Page, prefix = "doorstep/"): Promise<string> {
  return page.evaluate((prefix) => {
    const unpack = (v: string) => {
      if (v.charCodeAt(0) < 0x80) return v;
      const b: number[] = [];
      for (let i = 0; i < v.length; i++) b.push(v.charCodeAt(i) >> 8, v.charCodeAt(i) & 0xff);
      while (b[b.length - 1] === 0) b.pop();
      return new TextDecoder().decode(new Uint8Array(b));
    };
    return Object.keys(localStorage).filter((k) => k.startsWith(prefix))
      .map((k) => unpack(localStorage.getItem(k)!)).join("\n");
  }, prefix);
}

/** A record id as the app mints them (UUIDv7: the time in its first 48 bits), for records a
 * test pushes through the server. */
export function uuid7(ms: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
