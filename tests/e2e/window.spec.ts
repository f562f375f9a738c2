import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { mainNav, nav, newTeam, openControlled, phone, reload, signIn, unlockIfLocked, uuid7, type Account, setPeople } from "./helpers";

// What a volunteer's phone keeps (doorstep_core::sync::window): of a team's three years of
// history on the server, the households and the team's window of visits (120 days unless a
// coordinator sets it otherwise on the members page); an old visit logged offline stays on
// the phone until the server has it, then leaves. A coordinator's phone keeps the same
// window; the dashboard and the review read an older period from the server (来自服务器),
// and offline say it is not on this phone.

const HOUSEHOLDS = 25;
/** Each household visited every 30 days for three years. */
const ROUNDS = 37;
const DAY_MS = 86_400_000;

const status = (page: Page) => page.getByTestId("sync-status");

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
async function seedHistory(request: APIRequestContext, coordinator: Account): Promise<number> {
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
  return now;
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
  // Logged afterwards: the times are asked for, not guessed.
  await page.getByLabel("开始时间").fill("10:00");
  await page.getByLabel(/^结束时间/).fill("10:40");
  await setPeople(page, "测试志愿者");
  await page.getByLabel("聊天陪伴").check();
  await page.getByLabel("居民反馈").fill("两年前那次补录");
  await page.getByRole("button", { name: "保存走访" }).click();
  await expect(page.getByRole("list", { name: /走访记录/ })).toContainText("两年前那次补录");
  await reload(page);
  expect(await visitsOnPhone(page)).toBe(expectedVisits(365) + 1);

  // …and once online it reaches the server and leaves the phone (older than the window).
  await context.setOffline(false);
  await page.getByRole("button", { name: "立即同步" }).click();
  await expect.poll(() => visitsOnPhone(page), { timeout: 30_000 }).toBe(expectedVisits(365));
  const headers = await login(request, team.coordinator);
  let onServer = "";
  for (let offset = 0; offset < HOUSEHOLDS * ROUNDS + 1; offset += 500) {
    const res = await request.get(`/api/v1/visits?limit=500&offset=${offset}`, { headers });
    expect(res.status()).toBe(200);
    onServer += JSON.stringify(await res.json());
  }
  expect(onServer).toContain("两年前那次补录");
});

/** A dashboard figure's number, by its label. */
const figure = (page: Page, label: string) =>
  page.locator(".figure", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");

/** The first and last day of the calendar month `monthsBack` months before `now` (UTC). */
function monthBefore(now: number, monthsBack: number): [string, string] {
  const d = new Date(now);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1));
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack + 1, 0));
  return [dayString(first.getTime()), dayString(last.getTime())];
}

async function pickPeriod(page: Page, [from, to]: [string, string]) {
  await page.getByLabel("开始日期").fill(from);
  await page.getByLabel("结束日期").fill(to);
}

test("a coordinator's phone keeps the window too; an older period comes from the server, and offline says it is not on this phone", async ({ page, request, context }, info) => {
  test.setTimeout(120_000);
  const team = newTeam();
  const seeded = await seedHistory(request, team.coordinator);
  const visited = ([from, to]: [string, string]) => {
    const households = new Set<number>();
    let n = 0;
    for (let h = 0; h < HOUSEHOLDS; h++) for (let k = 0; k < ROUNDS; k++) {
      const day = dayString(seeded - back(h, k) * DAY_MS);
      if (day >= from && day <= to) { n++; households.add(h); }
    }
    return { visits: n, households: households.size };
  };
  const visitsIn = (p: [string, string]) => visited(p).visits;

  await openControlled(page, "/", team.coordinator, "负责人的手机");
  await expect(status(page)).toContainText("已全部同步", { timeout: 30_000 });
  expect(await visitsOnPhone(page)).toBe(expectedVisits(120));

  // This month: from the phone.
  await mainNav(page).getByRole("link", { name: "统计" }).click();
  await expect(page.locator("#data-as-of")).toContainText("根据本机数据");
  await expect(page.getByText(/来自服务器/)).toHaveCount(0);

  // The same month a year ago: from the server, with the phone's window said.
  const yearAgo = monthBefore(seeded, 12);
  expect(visitsIn(yearAgo)).toBeGreaterThan(0);
  await pickPeriod(page, yearAgo);
  await expect(page.getByText(/^来自服务器：这部手机只保留 \d{4}-\d{2}-\d{2} 起的记录。$/)).toBeVisible();
  await expect(figure(page, "走访次数")).toHaveText(String(visitsIn(yearAgo)));
  await expect(figure(page, "走访住户")).toHaveText(String(visited(yearAgo).households));
  await expect(page.locator("#data-as-of")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("dashboard-from-server.png"), fullPage: true });
  // Nothing of it was stored.
  expect(await visitsOnPhone(page)).toBe(expectedVisits(120));

  // The review of that period: the same visits, from the server.
  await figure(page, "走访次数").getByRole("link").click();
  await expect(page.locator("#review-count")).toHaveText(`找到 ${visitsIn(yearAgo)} 次走访、0 场活动。`);
  await expect(page.getByText(/^来自服务器/)).toBeVisible();
  await expect(page.getByRole("list", { name: "已保存的走访" }).getByRole("listitem").first()).toContainText(yearAgo[0].slice(0, 7));

  // Offline, two years ago is not on this phone; back online it is read.
  await context.setOffline(true);
  await mainNav(page).getByRole("link", { name: "统计" }).click();
  const twoYearsAgo = monthBefore(seeded, 24);
  await pickPeriod(page, twoYearsAgo);
  await expect(page.getByText(/^这个时段不在这部手机上：手机只保留 \d{4}-\d{2}-\d{2} 起的记录。联网后可从服务器查看。$/)).toBeVisible();
  await expect(page.locator(".figure")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("dashboard-not-on-phone.png"), fullPage: true });
  await context.setOffline(false);
  await expect(figure(page, "走访次数")).toHaveText(String(visitsIn(twoYearsAgo)), { timeout: 15_000 });
  await expect(page.getByText(/^来自服务器/)).toBeVisible();
});
