import { test, expect, devices, type APIRequestContext, type Page } from "@playwright/test";
import { ME, addHousehold, logVisit, newTeam, openControlled, recentList, reload, signIn, unlockIfLocked, VOLUNTEER, type Account, clickSignOut } from "./helpers";
import { OwnServer } from "./server";
import { readFileSync } from "node:fs";

// Sync with the real server: offline work reaches it exactly once, failures are retried,
// other phones of the team see it, and a revoked phone leaves nothing behind but what the
// server has.

const HOME = { community: "幸福社区", building: "5幢", room: "502室", name: "赵爷爷" };

async function token(request: APIRequestContext, who: Account) {
  const res = await request.post("/api/v1/login", {
    data: { username: who.username, password: who.password, device_name: "协调员电脑" },
  });
  expect(res.status()).toBe(200);
  return { Authorization: `Bearer ${(await res.json()).token}` };
}

/** The team's visits on the server, as the coordinator reads them. */
async function serverVisits(request: APIRequestContext, coordinator: Account) {
  const res = await request.get("/api/v1/visits?limit=500", { headers: await token(request, coordinator) });
  expect(res.status()).toBe(200);
  return (await res.json()).items as { id: string; residents_words: string }[];
}

const status = (page: Page) => page.getByTestId("sync-status");

test("visits logged offline reach the server once each when the phone is back online", async ({ page, context, request }) => {
  const team = newTeam();
  // Nothing was lost here: a repair (which lists the server's ids) must never start.
  let repairs = 0;
  page.on("request", (r) => { if (r.url().includes("/api/v1/sync/ids")) repairs += 1; });
  await openControlled(page, "/", team.volunteer);
  await context.setOffline(true);
  await addHousehold(page, HOME);
  await logVisit(page, ME, "今天精神很好");
  await logVisit(page, ME, "腿疼好多了");
  await reload(page);
  await expect(status(page)).toHaveText("待同步（3）");
  expect(await serverVisits(request, team.coordinator)).toEqual([]);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "首页" }).click();
  const recent = page.getByRole("list", { name: /已保存的走访/ }).getByRole("listitem");
  await expect(recent).toHaveCount(2);
  for (const item of await recent.all()) await expect(item).toContainText("已保存在本机");

  await context.setOffline(false);
  await expect(status(page)).toContainText("已全部同步");
  for (const item of await recent.all()) await expect(item).toContainText("已同步");
  // On the household's page each visit says when the server received it.
  await recent.first().getByRole("link").click();
  const history = page.getByRole("list", { name: /走访记录/ }).getByRole("listitem");
  await expect(history).toHaveCount(2);
  for (const item of await history.all()) await expect(item).toContainText(/已同步（服务器 .+ 收到）/);
  const visits = await serverVisits(request, team.coordinator);
  expect(visits.map((v) => v.residents_words).sort()).toEqual(["今天精神很好", "腿疼好多了"]);
  expect(new Set(visits.map((v) => v.id)).size).toBe(2);
  await page.screenshot({ path: "tests/e2e/screenshots/all-synced-zh-CN.png", fullPage: true });

  // Syncing again changes nothing on the server.
  await page.getByRole("button", { name: "立即同步" }).click();
  await expect(status(page)).toContainText("已全部同步");
  expect((await serverVisits(request, team.coordinator)).length).toBe(2);
  expect(repairs).toBe(0);
});

test("a 500 and an answer lost after the server committed are retried without duplicates", async ({ page, context, request }) => {
  const team = newTeam();
  await openControlled(page, "/", team.volunteer);
  await context.setOffline(true);
  await addHousehold(page, HOME);
  await logVisit(page, ME, "第一次");
  await logVisit(page, ME, "第二次");

  let pushes = 0;
  await page.route("**/api/v1/sync/push", async (route) => {
    pushes += 1;
    if (pushes === 1) {
      await route.fulfill({ status: 500, contentType: "application/json", body: '{"error":{"code":"internal","message":"boom"}}' });
    } else if (pushes === 2) {
      // The server applies it; the answer never reaches the phone.
      await route.fetch();
      await route.abort("connectionreset");
    } else {
      await route.continue();
    }
  });
  await context.setOffline(false);
  // The first failure shows, and the phone retries by itself (backoff), twice.
  await expect(page.getByRole("status").filter({ hasText: "同步没有成功" })).toBeVisible();
  await expect(status(page)).toContainText("已全部同步", { timeout: 30_000 });
  expect(pushes).toBeGreaterThanOrEqual(3);
  const visits = await serverVisits(request, team.coordinator);
  expect(visits.map((v) => v.residents_words).sort()).toEqual(["第一次", "第二次"]);
});

test("another phone of the team sees the household and its visits offline after a sync", async ({ page, context, browser, request }, info) => {
  const team = newTeam();
  await openControlled(page, "/", team.volunteer);
  await context.setOffline(true);
  await addHousehold(page, HOME);
  await logVisit(page, ME, "上周来过");
  await context.setOffline(false);
  await expect(status(page)).toContainText("已全部同步");

  const other = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", baseURL: info.project.use.baseURL });
  const phone2 = await other.newPage();
  await openControlled(phone2, "/", team.volunteer2);
  await expect(status(phone2)).toContainText("已全部同步");
  await other.setOffline(true);
  await reload(phone2);
  await phone2.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "住户" }).click();
  await phone2.getByRole("list", { name: /住户/ }).getByRole("listitem").first().getByRole("link").click();
  await expect(phone2.getByRole("list", { name: /走访记录/ })).toContainText("上周来过");
  await other.close();
  expect((await serverVisits(request, team.coordinator)).length).toBe(1);
});

test("a phone the coordinator signs out sends the visits it saved offline, then wipes the team's data", async ({ page, context, browser, request }, info) => {
  const team = newTeam();
  await openControlled(page, "/", team.volunteer, "王芳的手机");
  await context.setOffline(true);
  await addHousehold(page, HOME);
  await logVisit(page, ME, "撤销前记的");

  // The coordinator, on another phone, signs the lost one out.
  const coordContext = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", baseURL: info.project.use.baseURL });
  const coord = await coordContext.newPage();
  await openControlled(coord, "/", team.coordinator);
  await coord.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "成员" }).click();
  await coord.getByRole("link", { name: "查看本队的手机" }).click();
  const row = coord.getByRole("listitem").filter({ hasText: "王芳的手机" });
  await expect(row).toContainText("测试志愿者");
  await row.getByRole("button", { name: "让这台手机退出登录：王芳的手机" }).click();
  await expect(row.getByRole("alert")).toContainText("确定吗");
  await coord.screenshot({ path: "tests/e2e/screenshots/devices-zh-CN.png", fullPage: true });
  await row.getByRole("button", { name: "让这台手机退出登录", exact: true }).click();
  await expect(row).toContainText("已退出登录");
  await coordContext.close();

  await context.setOffline(false);
  await expect(page.getByRole("status").filter({ hasText: "负责人已让这台手机退出登录" })).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("doorstep/v1/")))).toEqual([]);
  const visits = await serverVisits(request, team.coordinator);
  expect(visits.map((v) => v.residents_words)).toEqual(["撤销前记的"]);
});

/** Opens the team's only household, from the households tab. */
async function openHousehold(page: Page) {
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "住户" }).click();
  await page.getByRole("list", { name: /住户/ }).getByRole("listitem").first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: "幸福社区 5幢 502室" })).toBeVisible();
}

async function editNotes(page: Page, notes: string) {
  await openHousehold(page);
  await page.getByRole("link", { name: "编辑" }).first().click();
  await page.getByLabel("备注").fill(notes);
  await page.getByRole("button", { name: "保存住户" }).click();
  await expect(page.getByRole("heading", { name: "幸福社区 5幢 502室" })).toBeVisible();
}

async function notesOn(page: Page) {
  await openHousehold(page);
  await page.getByRole("link", { name: "编辑" }).first().click();
  return page.getByLabel("备注").inputValue();
}

test("two phones change the same household offline: all agree, and the coordinator settles the conflict", async ({ page, context, browser, request }, info) => {
  const team = newTeam();
  const phone = (p: Page) => ({ ...devices["Pixel 7"], locale: "zh-CN", baseURL: info.project.use.baseURL });
  await openControlled(page, "/", team.volunteer);
  await addHousehold(page, HOME);
  await expect(status(page)).toContainText("已全部同步");
  const otherContext = await browser.newContext(phone(page));
  const other = await otherContext.newPage();
  await openControlled(other, "/", team.volunteer2);
  await expect(status(other)).toContainText("已全部同步");

  // Both offline, both change the notes.
  await context.setOffline(true);
  await otherContext.setOffline(true);
  await editNotes(page, "耳背");
  await editNotes(other, "腿脚不便");
  await context.setOffline(false);
  await expect(status(page)).toContainText("已全部同步");
  await otherContext.setOffline(false);
  await expect(status(other)).toContainText("已全部同步");
  await page.getByRole("button", { name: "立即同步" }).click();
  await expect(status(page)).toContainText("已全部同步");

  // Phones and server agree on the value shown (the later change); both values are kept.
  const auth = await token(request, team.coordinator);
  const listed = await (await request.get("/api/v1/households", { headers: auth })).json();
  const shown = listed.items[0].notes;
  expect(shown).toBe("腿脚不便");
  expect([...listed.items[0].conflicts.notes].sort()).toEqual(["耳背", "腿脚不便"].sort());
  expect(await notesOn(page)).toBe(shown);
  expect(await notesOn(other)).toBe(shown);

  // The coordinator sees both and keeps the first.
  const coordContext = await browser.newContext(phone(page));
  const coord = await coordContext.newPage();
  await openControlled(coord, "/", team.coordinator);
  await expect(status(coord)).toContainText("已全部同步");
  // The review lists what waits to be settled, and leads to it.
  await coord.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "查看记录" }).click();
  const toSettle = coord.getByRole("region", { name: "待处理的同步冲突" });
  await toSettle.getByRole("link", { name: /幸福社区 5幢 502室/ }).click();
  await expect(coord.getByRole("heading", { name: "幸福社区 5幢 502室" })).toBeVisible();
  const card = coord.getByRole("region", { name: "两台手机同时改了这些内容，请选定一个" });
  await expect(card).toContainText("备注");
  await expect(card.getByRole("button", { name: "用这个：腿脚不便" })).toBeVisible();
  await coord.screenshot({ path: "tests/e2e/screenshots/conflict-zh-CN.png", fullPage: true });
  await card.getByRole("button", { name: "用这个：耳背" }).click();
  await expect(card).toHaveCount(0);
  await expect(status(coord)).toContainText("已全部同步");
  await coord.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "查看记录" }).click();
  await expect(coord.getByRole("heading", { name: "查看记录" })).toBeVisible();
  await expect(coord.getByRole("region", { name: "待处理的同步冲突" })).toHaveCount(0);

  const settled = await (await request.get("/api/v1/households", { headers: auth })).json();
  expect(settled.items[0].notes).toBe("耳背");
  expect(settled.items[0].conflicts).toBeUndefined();
  await page.getByRole("button", { name: "立即同步" }).click();
  await expect(status(page)).toContainText("已全部同步");
  expect(await notesOn(page)).toBe("耳背");
  await otherContext.close();
  await coordContext.close();
});

test("the server dies after committing a push and before answering: after a restart, no duplicate", async ({ page, context }, info) => {
  const server = new OwnServer(18095 + info.parallelIndex);
  try {
    await server.start({ DOORSTEP_FAILPOINT: "exit-after-push-commit" });
    await page.goto(server.url);
    await signIn(page, VOLUNTEER);
    await context.setOffline(true);
    await addHousehold(page, HOME);
    await logVisit(page, ME, "服务器死前");
    await logVisit(page, ME, "服务器死前二");
    await context.setOffline(false);
    // It committed everything, then died without answering: the phone still waits.
    expect(await server.exit()).toBe(70);
    await expect(page.getByRole("status").filter({ hasText: "同步没有成功" })).toBeVisible();
    await expect(status(page)).toHaveText("待同步（3）");
    await server.start();
    await expect(status(page)).toContainText("已全部同步", { timeout: 30_000 });
    // The server holds each visit once.
    const held = await server.records();
    expect(held.filter((r) => r.kind === "visit").map((r) => r.record.residents_words).sort())
      .toEqual(["服务器死前", "服务器死前二"]);
  } finally {
    server.stop();
  }
});

test("two tabs never sync at once; a tab closed in the middle of a sync is resumed on the next open", async ({ page, context, request }) => {
  const team = newTeam();
  await openControlled(page, "/", team.volunteer);
  await context.setOffline(true);
  await addHousehold(page, HOME);
  await logVisit(page, ME, "两个标签页");
  const second = await context.newPage();
  await second.goto("/");
  await unlockIfLocked(second);

  // Every sync request of both tabs, held until the server answers: how many at once?
  let inFlight = 0, most = 0, pushes = 0;
  let closing = false;
  await context.route("**/api/v1/sync/**", async (route) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    if (route.request().url().includes("/push")) pushes += 1;
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, 300));
    inFlight -= 1;
    if (closing) return; // the tab is gone; its answer is lost
    // A request still held when the test unroutes (the other tab's retry) was let through.
    await route.fulfill({ response }).catch(() => {});
  });
  await context.setOffline(false);
  await Promise.all([
    page.getByRole("button", { name: "立即同步" }).click(),
    second.getByRole("button", { name: "立即同步" }).click(),
  ]);
  const synced = async (p: Page) => ((await status(p).textContent()) ?? "").includes("已全部同步");
  await expect.poll(async () => (await synced(page)) || (await synced(second)), { timeout: 15_000 }).toBe(true);
  expect(most).toBe(1);

  // A new visit; its push reaches the server, and the tab closes before the answer.
  await context.unroute("**/api/v1/sync/**");
  await context.setOffline(true);
  await page.bringToFront();
  await logVisit(page, "王五", "关掉标签页");
  let reached!: () => void;
  const pushed = new Promise<void>((r) => (reached = r));
  await context.route("**/api/v1/sync/push", async (route) => {
    await route.fetch();
    closing = true;
    reached();
  });
  await second.close();
  await context.setOffline(false);
  await pushed;
  await page.close();

  // Opened again: the sync resumes, and the server has each visit once.
  await context.unroute("**/api/v1/sync/push");
  const again = await context.newPage();
  await again.goto("/");
  await unlockIfLocked(again);
  await expect(status(again)).toContainText("已全部同步");
  const visits = await serverVisits(request, team.coordinator);
  expect(visits.map((v) => v.residents_words).sort()).toEqual(["两个标签页", "关掉标签页"].sort());
  expect(pushes).toBeGreaterThanOrEqual(1);
});

test("changes the server refuses are set aside with the reason, exported, retried, and block nothing", async ({ page, context }, info) => {
  const server = new OwnServer(18110 + info.parallelIndex);
  try {
    // This server refuses every change (a fault injected on purpose).
    await server.start({ DOORSTEP_FAILPOINT: "refuse-mutations" });
    await page.goto(server.url);
    await signIn(page, VOLUNTEER);
    await context.setOffline(true);
    await addHousehold(page, HOME);
    await logVisit(page, ME, "被拒绝的走访");
    await context.setOffline(false);
    const banner = page.getByRole("status").filter({ hasText: "被服务器拒绝" });
    await expect(banner).toContainText("2 条修改被服务器拒绝");
    await expect(status(page)).toHaveText("未能同步（2）");

    await banner.getByRole("link", { name: "查看" }).click();
    const rows = page.getByRole("list", { name: "服务器拒绝的修改" }).getByRole("listitem");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText("走访");
    await expect(rows.nth(1)).toContainText("幸福社区 5幢 502室");
    await expect(rows.nth(1)).toContainText("内容不符合要求");
    await page.screenshot({ path: "tests/e2e/screenshots/refused-zh-CN.png", fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      rows.nth(1).getByRole("link", { name: "导出" }).click(),
    ]);
    const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
    expect(exported.record.residents_words).toBe("被拒绝的走访");
    expect(exported.refused.code).toBe("invalid");
    // The server's own words are shown too.
    await expect(rows.nth(1)).toContainText("refused by the refuse-mutations failpoint");

    // Refused changes are unsynced work: signing out asks first, as for any.
    await clickSignOut(page);
    await expect(page.getByRole("alert").filter({ hasText: "还有 2 条记录没有同步" })).toBeVisible();
    await page.getByRole("button", { name: "不退出" }).click();
    await expect(rows).toHaveCount(2);

    // The server is fixed; both are retried and go through.
    await server.restart();
    await rows.first().getByRole("button", { name: "重试" }).click();
    await expect(rows).toHaveCount(1);
    await rows.first().getByRole("button", { name: "重试" }).click();
    await expect(page.getByText("没有被拒绝的修改。")).toBeVisible();
    await expect(status(page)).toContainText("已全部同步");
    // (Besides the roster people the server makes for the accounts and the visit's names.)
    const kinds = (await server.records()).map((r) => r.kind).filter((k) => k !== "person" && k !== "unit");
    expect(kinds.sort()).toEqual(["household", "visit"]);
  } finally {
    server.stop();
  }
});

test("a batch too big for one request still syncs every visit; one too big for any waits aside", async ({ page, context, request }) => {
  const team = newTeam();
  // A proxy before the server that takes smaller bodies than the phone's batches (as an
  // nginx with a low client_max_body_size would): 413 with its own HTML page, not JSON.
  const LIMIT = 1500;
  let refused413 = 0;
  const passed: number[] = [];
  await context.route("**/api/v1/sync/push", async (route) => {
    const body = route.request().postData() ?? "";
    if (Buffer.byteLength(body) > LIMIT) {
      refused413 += 1;
      await route.fulfill({ status: 413, contentType: "text/html", body: "<h1>413 Request Entity Too Large</h1>" });
    } else {
      passed.push(JSON.parse(body).mutations.length);
      await route.continue();
    }
  });
  await openControlled(page, "/", team.volunteer);
  await context.setOffline(true);
  await addHousehold(page, HOME);
  const words = ["第一次", "第二次", "第三次", "第四次", "第五次"].map((w) => `${w}走访，精神很好`);
  for (const w of words) await logVisit(page, ME, w);
  // Longer than the proxy takes in one request, even alone.
  await logVisit(page, ME, "老人讲了很多过去的事情。".repeat(40));
  await expect(status(page)).toHaveText("待同步（7）");

  await context.setOffline(false);
  await expect(status(page)).toHaveText("未能同步（1）");
  expect(refused413).toBeGreaterThan(0);
  expect(passed.length).toBeGreaterThan(1);
  const visits = await serverVisits(request, team.coordinator);
  expect(visits.map((v) => v.residents_words).sort()).toEqual([...words].sort());
  expect(new Set(visits.map((v) => v.id)).size).toBe(5);

  await page.getByRole("status").filter({ hasText: "被服务器拒绝" }).getByRole("link", { name: "查看" }).click();
  const rows = page.getByRole("list", { name: "服务器拒绝的修改" }).getByRole("listitem");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("走访");
  await expect(rows.first()).toContainText("记录太大");
  await page.screenshot({ path: "tests/e2e/screenshots/too-large-zh-CN.png", fullPage: true });

  // Without the proxy, the retry goes through.
  await context.unroute("**/api/v1/sync/push");
  await rows.first().getByRole("button", { name: "重试" }).click();
  await expect(page.getByText("没有被拒绝的修改。")).toBeVisible();
  await expect(status(page)).toContainText("已全部同步");
  expect((await serverVisits(request, team.coordinator)).length).toBe(6);
});

test("a phone whose clock runs days ahead: the server's reason is shown, and a retry once the clock is right goes through", async ({ page, context, request }) => {
  const team = newTeam();
  const DAY = 24 * 60 * 60 * 1000;
  // The phone's clock: three days ahead (time flows, timers run).
  await context.clock.install({ time: Date.now() + 3 * DAY });
  await openControlled(page, "/", team.volunteer);
  await addHousehold(page, HOME);
  const banner = page.getByRole("status").filter({ hasText: "被服务器拒绝" });
  await expect(banner).toContainText("1 条修改被服务器拒绝");
  await banner.getByRole("link", { name: "查看" }).click();
  const rows = page.getByRole("list", { name: "服务器拒绝的修改" }).getByRole("listitem");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("住户");
  await expect(rows.first()).toContainText("幸福社区 5幢 502室");
  // The server's own words, in Chinese: what is wrong and what to check.
  await expect(rows.first()).toContainText("保存时间超出范围（请检查手机日期）");
  await expect(rows.first()).not.toContainText("out of range");
  await page.screenshot({ path: "tests/e2e/screenshots/refused-clock-zh-CN.png", fullPage: true });

  // The volunteer sets the phone's date right and retries: the record's times come back to
  // now and the server takes it.
  await context.clock.setSystemTime(Date.now());
  await rows.first().getByRole("button", { name: "重试" }).click();
  await expect(page.getByText("没有被拒绝的修改。")).toBeVisible();
  await expect(status(page)).toContainText("已全部同步");
  const res = await request.get("/api/v1/households", { headers: await token(request, team.coordinator) });
  const items = (await res.json()).items as { address: { room: string } }[];
  expect(items.map((h) => h.address.room)).toEqual(["502室"]);
});

test("a tab that did not sync shows what another tab's sync brought", async ({ page, context }) => {
  const team = newTeam();
  await openControlled(page, "/", team.volunteer);
  await addHousehold(page, HOME);
  await expect(status(page)).toContainText("已全部同步");
  const other = await context.newPage();
  await other.goto("/");
  await unlockIfLocked(other);
  await expect(recentList(other).getByRole("listitem")).toHaveCount(0);
  // This tab cannot sync at all: whatever it shows next came from the first tab's sync.
  await other.route("**/api/v1/sync/**", (route) => route.abort());
  await page.bringToFront();
  await logVisit(page, ME, "另一个标签页记的");
  await expect(status(page)).toContainText("已全部同步");
  await other.bringToFront();
  // The recent list shows address, day, state and services: one visit, synced.
  await expect(recentList(other).getByRole("listitem")).toHaveCount(1, { timeout: 10_000 });
  await expect(recentList(other)).toContainText("已同步");
});
