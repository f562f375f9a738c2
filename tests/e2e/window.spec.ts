import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { nav, newTeam, openControlled, phone, reload, signIn, unlockIfLocked, type Account } from "./helpers";

// What a volunteer's phone keeps (doorstep_core::sync::window): of a team's three years of
// history on the server, the households and the team's window of visits (120 days unless a
// coordinator sets it otherwise on the members page); an old visit logged offline stays on
// the phone until the server has it, then leaves.

const HOUSEHOLDS = 25;
/** Each household visited every 30 days for three years. */
const ROUNDS = 37;
const DAY_MS = 86_400_000;

const status = (page: Page) => page.getByTestId("sync-status");

function uuid7(ms: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Days back of household h's visit in round k. */
const back = (h: number, k: number) => k * 30 + (h % 30);

async function login(request: APIRequestContext, who: Account) {
  const res = await request.post("/api/v1/login", {
    data: { username: who.username, password: who.password, device_name: "导入历史的电脑" },
  });
  expect(res.status()).toBe(200);
  return { Authorization: `Bearer ${(await res.json()).token}` };
}

/** The team's history, pushed through the server as a coordinator's phone would. */
async function seedHistory(request: APIRequestContext, coordinator: Account) {
  const headers = await login(request, coordinator);
  const now = Date.now();
  const records: { kind: string; record: Record<string, unknown> }[] = [];
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const id = uuid7(now);
    records.push({
      kind: "household",
      record: { id, address: { community: "东亭社区", building: `${h + 1}幢`, room: "101室" },
        residents: [{ name: `历史居民${h + 1}` }], created_at: now, updated_at: now, author: "" },
    });
    for (let k = 0; k < ROUNDS; k++) {
      records.push({
        kind: "visit",
        record: { id: uuid7(now), household_id: id, day: dayString(now - back(h, k) * DAY_MS),
          volunteers: ["王芳"], services: { companionship_chat: true },
          residents_words: `第${k}次走访的反馈`, created_at: now, updated_at: now, author: "" },
      });
    }
  }
  let seq = 0;
  for (let i = 0; i < records.length; i += 100) {
    const mutations = records.slice(i, i + 100).map(({ kind, record }) => ({
      seq: ++seq, at: now, op: { put: { kind, id: record.id, base: 0, record } },
    }));
    const res = await request.post("/api/v1/sync/push", { headers, data: { protocol: 1, mutations } });
    expect(res.status()).toBe(200);
    const refused = (await res.json()).outcomes.filter((o: { rejected?: unknown }) => o.rejected);
    expect(refused).toEqual([]);
  }
}

/** Visits kept by a window of `days` days ending today. */
function expectedVisits(days: number) {
  let n = 0;
  for (let h = 0; h < HOUSEHOLDS; h++) for (let k = 0; k < ROUNDS; k++) if (back(h, k) < days) n++;
  return n;
}

const visitsOnPhone = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("doorstep/v1/visits/r/")).length);

test("a volunteer's phone keeps the team's window of three years of history, follows the setting, and keeps an old visit until it is synced", async ({ page, browser, baseURL, request, context }, info) => {
  test.setTimeout(120_000);
  const team = newTeam();
  await seedHistory(request, team.coordinator);

  await openControlled(page, "/", team.volunteer);
  await expect(status(page)).toContainText("已全部同步", { timeout: 30_000 });
  expect(await visitsOnPhone(page)).toBe(expectedVisits(120));
  const units = await page.evaluate(() =>
    Object.keys(localStorage).reduce((n, k) => n + k.length + (localStorage.getItem(k) ?? "").length, 0));
  info.annotations.push({ type: "storage", description: `${units} UTF-16 units for ${expectedVisits(120)} of ${HOUSEHOLDS * ROUNDS} visits` });

  // The coordinator keeps a year on phones, on the members page.
  const [coordContext, coord] = await phone(browser, baseURL);
  await coord.goto("/");
  await signIn(coord, team.coordinator, "负责人的手机");
  await coord.goto("/members");
  await unlockIfLocked(coord);
  const days = coord.getByLabel("保留天数（30–3660）");
  await expect(days).toHaveValue("120");
  await days.fill("10");
  await coord.getByRole("button", { name: "保存设置" }).click();
  await expect(coord.getByText("应在 30 到 3660 之间")).toBeVisible();
  await days.fill("365");
  await coord.getByRole("button", { name: "保存设置" }).click();
  await expect(coord.getByRole("status").filter({ hasText: "已保存。" })).toBeVisible();
  await coord.getByRole("heading", { name: "手机保留的记录" }).scrollIntoViewIfNeeded();
  await coord.screenshot({ path: info.outputPath("members-keep.png") });
  await coordContext.close();

  await page.getByRole("button", { name: "立即同步" }).click();
  await expect.poll(() => visitsOnPhone(page), { timeout: 30_000 }).toBe(expectedVisits(365));
  await expect(status(page)).toContainText("已全部同步");

  // Offline, a visit of two years ago is logged afterwards: kept through a restart…
  await context.setOffline(true);
  await nav(page, "住户").click();
  await page.getByRole("link", { name: /1幢 101室/ }).first().click();
  await page.getByRole("link", { name: /记录走访|再记录一次这户的走访/ }).click();
  await page.getByLabel("走访日期").fill(dayString(Date.now() - 730 * DAY_MS));
  await page.getByLabel("志愿者（多人用顿号分隔）").fill("测试志愿者");
  await page.getByLabel("聊天陪伴").check();
  await page.getByLabel("居民反馈").fill("两年前那次补录");
  await page.getByRole("button", { name: "保存走访" }).click();
  await expect(page.getByRole("list", { name: /走访记录/ })).toContainText("两年前那次补录");
  await reload(page);
  // Values are stored packed two bytes to a UTF-16 unit (crates/core/src/store/pack.rs).
  const words = () => page.evaluate(() => {
    const unpack = (v: string) => {
      if (v.charCodeAt(0) < 0x80) return v;
      const b: number[] = [];
      for (let i = 0; i < v.length; i++) b.push(v.charCodeAt(i) >> 8, v.charCodeAt(i) & 0xff);
      while (b[b.length - 1] === 0) b.pop();
      return new TextDecoder().decode(new Uint8Array(b));
    };
    return Object.keys(localStorage).some((k) => k.startsWith("doorstep/v1/visits/r/") &&
      unpack(localStorage.getItem(k)!).includes("两年前那次补录"));
  });
  expect(await words()).toBe(true);
  expect(await visitsOnPhone(page)).toBe(expectedVisits(365) + 1);

  // …and once online it reaches the server and leaves the phone (older than the window).
  await context.setOffline(false);
  await page.getByRole("button", { name: "立即同步" }).click();
  await expect.poll(words, { timeout: 30_000 }).toBe(false);
  expect(await visitsOnPhone(page)).toBe(expectedVisits(365));
  const headers = await login(request, team.coordinator);
  let onServer = "";
  for (let offset = 0; offset < HOUSEHOLDS * ROUNDS + 1; offset += 500) {
    const res = await request.get(`/api/v1/visits?limit=500&offset=${offset}`, { headers });
    expect(res.status()).toBe(200);
    onServer += JSON.stringify(await res.json());
  }
  expect(onServer).toContain("两年前那次补录");
});
