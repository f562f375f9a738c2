import { test, expect, type Page } from "@playwright/test";
import { ME, addHousehold, logVisit, newTeam, signIn, mainNav, PIN } from "./helpers";

// The header is one line on a 360 px phone and on a 412 px one, and it never moves while the
// sync status changes: a tap aimed at the tabs or the unlock button lands where it was aimed
// (one CI run lost an unlock tapped while the first sync's status appeared).

const header = (page: Page) => page.locator("header.app-header");
const syncNow = (page: Page) => page.getByRole("button", { name: "立即同步" });
const account = (page: Page) => page.getByRole("button", { name: /^账户：/ });
const status = (page: Page) => page.getByTestId("sync-status");

/** Where the things below and beside the status are, to the pixel. */
async function box(l: ReturnType<Page["locator"]>) {
  const b = (await l.boundingBox())!;
  return [b.x, b.y, b.width, b.height].map(Math.round);
}

async function layout(page: Page) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return { header: await box(header(page)), account: await box(account(page)), nav: await box(mainNav(page)) };
}

/** Everything the header shows sits on one row: the boxes of its visible children overlap
 * vertically, and the header is no taller than one 48 px target and its padding. */
async function expectOneLine(page: Page) {
  const rows = await header(page).evaluate((h) =>
    [...h.children]
      .map((c) => c.getBoundingClientRect())
      .filter((r) => r.width > 1 && r.height > 1)
      .map((r) => [r.top, r.bottom]));
  const top = Math.max(...rows.map((r) => r[0]));
  const bottom = Math.min(...rows.map((r) => r[1]));
  expect(top, `children ${JSON.stringify(rows)}`).toBeLessThan(bottom);
  const height = (await header(page).boundingBox())!.height;
  expect(height).toBeLessThanOrEqual(48 + 2 * 12);
}

for (const width of [360, 412]) {
  test(`one line at ${width} px, and nothing moves while the status changes`, async ({ page, context }) => {
    await page.setViewportSize({ width, height: 800 });
    const team = newTeam();
    await page.goto("/");
    await signIn(page, team.coordinator, "负责人的手机");
    await expect(status(page)).toContainText("已全部同步");
    await expectOneLine(page);
    const before = await layout(page);
    const button = await box(syncNow(page));
    await page.screenshot({ path: `tests/e2e/screenshots/header-${width}-zh-CN.png`, clip: { x: 0, y: 0, width, height: 160 } });

    // Offline, with a visit waiting: the status says both in full (it takes the hidden
    // button's room); the account button and the tabs stay put.
    await context.setOffline(true);
    await expect(page.getByText("离线", { exact: true })).toBeVisible();
    await addHousehold(page, { community: "东亭社区", building: "3幢", room: "401室", name: "王奶奶" });
    await logVisit(page, ME, "挺好的");
    await expect(status(page)).toHaveText("待同步（2）");
    await expect(syncNow(page)).toBeHidden();
    for (const chip of [page.getByText("离线", { exact: true }), status(page)]) {
      expect(await chip.evaluate((e) => e.scrollWidth <= e.clientWidth), "not cut off").toBe(true);
    }
    await expectOneLine(page);
    await page.screenshot({ path: `tests/e2e/screenshots/header-${width}-offline-zh-CN.png`, clip: { x: 0, y: 0, width, height: 160 } });
    expect(await layout(page)).toEqual(before);

    // Back online, the push held open: "syncing" shows, and still nothing moved.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route("**/api/v1/sync/push", async (route) => {
      await held;
      await route.continue();
    });
    await context.setOffline(false);
    await expect(status(page)).toContainText("同步中");
    await expect(syncNow(page)).toBeDisabled();
    await expectOneLine(page);
    expect(await layout(page)).toEqual(before);
    expect(await box(syncNow(page))).toEqual(button);
    release();
    await expect(status(page)).toContainText("已全部同步");
    expect(await layout(page)).toEqual(before);
    expect(await box(syncNow(page))).toEqual(button);
  });
}

test("locked, nothing syncs and the unlock button stays where it was; unlocked, the first sync reports", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  const team = newTeam();
  await page.goto("/");
  await signIn(page, team.volunteer);
  await expect(status(page)).toContainText("已全部同步");
  // The sign-in is sealed until the PIN opens it: no sync may start before.
  const syncs: string[] = [];
  page.on("request", (r) => { if (r.url().includes("/api/v1/sync/")) syncs.push(r.url()); });
  await page.reload();
  const unlock = page.getByRole("button", { name: "解锁" });
  await expect(unlock).toBeVisible();
  const first = await unlock.boundingBox();
  await page.waitForTimeout(1500);
  expect(syncs).toEqual([]);
  await expect(status(page)).toHaveCount(0); // no sign-in to report on yet
  expect(await unlock.boundingBox()).toEqual(first);
  await expectOneLine(page); // the language switch in place of the account button
  await page.getByLabel("解锁密码").fill(PIN);
  await unlock.click();
  await expect(mainNav(page)).toBeVisible();
  await expect(status(page)).toContainText("已全部同步");
  expect(syncs.length).toBeGreaterThan(0);
});
