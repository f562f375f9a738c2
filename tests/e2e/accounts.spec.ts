import { test, expect } from "@playwright/test";
import { addHousehold, nav, newTeam, signIn, setPin, openControlled, unlockIfLocked, VOLUNTEER, PIN, reload, clickSignOut, storedText, submitSignIn } from "./helpers";

const SHOTS = "tests/e2e/screenshots";
const A = { community: "幸福社区", building: "1幢", room: "101室", name: "王奶奶" };

test("sign in once while online; after that the app opens offline", async ({ page, context }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "主导航" })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/sign-in-zh-CN.png`, fullPage: true });
  // A wrong password is said plainly; what was typed stays.
  await page.getByLabel("用户名").fill(VOLUNTEER.username);
  await page.getByLabel("密码").fill("wrong password");
  await page.getByLabel(/这台手机的名称/).fill("张三的手机");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "用户名或密码不对" })).toBeVisible();
  await expect(page.getByLabel("用户名")).toHaveValue(VOLUNTEER.username);
  await page.getByLabel("密码").fill(VOLUNTEER.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { name: "设置解锁密码" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/set-pin-zh-CN.png`, fullPage: true });
  await setPin(page);
  await expect(page.getByRole("banner")).toContainText(VOLUNTEER.name);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });

  await context.setOffline(true);
  await reload(page);
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  await expect(page.getByRole("banner")).toContainText(VOLUNTEER.name);
  await addHousehold(page, A);
});

test("signing in needs the network, and says so", async ({ page, context }) => {
  await page.goto("/");
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
  await context.setOffline(true);
  await page.reload();
  await page.getByLabel("用户名").fill(VOLUNTEER.username);
  await page.getByLabel("密码").fill(VOLUNTEER.password);
  await page.getByLabel(/这台手机的名称/).fill("张三的手机");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "连不上服务器" })).toBeVisible();
});

test("signing out with unsynced records is refused; discarding is a second, explicit step", async ({ page, context }) => {
  await page.goto("/");
  await signIn(page);
  // Offline, so the household cannot reach the server.
  await context.setOffline(true);
  await addHousehold(page, A);
  await clickSignOut(page);
  const warning = page.getByRole("alert").filter({ hasText: "没有同步" });
  await expect(warning).toContainText("还有 1 条记录没有同步");
  await page.screenshot({ path: `${SHOTS}/sign-out-refused-zh-CN.png`, fullPage: true });
  await warning.getByRole("button", { name: "不退出" }).click();
  await expect(warning).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "幸福社区 1幢 101室" })).toBeVisible();

  await clickSignOut(page);
  await page.getByRole("button", { name: "仍要退出，并删除未同步的记录" }).click();
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  await context.setOffline(false);
  // The next user of this phone sees none of it.
  await signIn(page, newTeam().coordinator, "共用手机");
  await nav(page, "住户").click();
  await expect(page.getByText("还没有住户。")).toBeVisible();
  const records = /^doorstep\/v1\/(households|visits|events|tombstones|outbox|quarantine)\//;
  expect(await page.evaluate((re) => Object.keys(localStorage).filter((k) => new RegExp(re).test(k)), records.source)).toEqual([]);
});

test("a phone revoked by the coordinator wipes the team's data once the server has it", async ({ page, context, request }) => {
  // A team of its own: the phone revoked below is this test's, whatever runs beside it.
  const team = newTeam();
  await openControlled(page, "/", team.volunteer, "要被退出的手机");
  // Saved offline: the server has not seen it when the phone is revoked.
  await context.setOffline(true);
  const mine = { ...A, room: `${Date.now() % 100000}室` };
  await addHousehold(page, mine);

  // The coordinator, elsewhere, revokes that phone.
  const login = await request.post("/api/v1/login", {
    data: { username: team.coordinator.username, password: team.coordinator.password, device_name: "办公室电脑" },
  });
  const { token } = await login.json();
  const auth = { Authorization: `Bearer ${token}` };
  const devices = await (await request.get("/api/v1/devices", { headers: auth })).json();
  const phone = devices.find((d: { name: string; revoked: boolean }) => d.name === "要被退出的手机" && !d.revoked);
  expect((await request.post(`/api/v1/devices/${phone.id}/revoke`, { headers: auth })).status()).toBe(204);

  // Next contact (once unlocked: the sign-in is sealed until then, and a locked phone does
  // not sync): what it saved is sent, then the team's data leaves the phone.
  await page.reload();
  await page.getByLabel("解锁密码", { exact: true }).fill(PIN);
  await page.getByRole("button", { name: "解锁" }).click();
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByRole("status").filter({ hasText: "负责人已让这台手机退出登录" })).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("doorstep/v1/")))).toEqual([]);
  const households = await (await request.get("/api/v1/households?limit=500", { headers: auth })).json();
  expect(households.items.some((h: { address: { room: string } }) => h.address.room === mine.room)).toBe(true);
});

test("the app locks on start and opens offline with the PIN; five wrong PINs end the sign-in and seal the records away", async ({ page, context }) => {
  const me = newTeam().volunteer;
  await openControlled(page, "/", me);
  await addHousehold(page, A);
  // On the server before going offline (the wipe below keeps what the server lacks).
  await expect(page.getByTestId("sync-status")).toContainText("已全部同步");
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "应用已锁定" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "主导航" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "退出登录" })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/locked-zh-CN.png`, fullPage: true });
  await page.getByLabel("解锁密码", { exact: true }).fill("0000");
  await page.getByRole("button", { name: "解锁" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "还可以再试 4 次" })).toBeVisible();
  await page.getByLabel("解锁密码", { exact: true }).fill(PIN);
  await page.getByRole("button", { name: "解锁" }).click();
  await nav(page, "住户").click();
  await expect(page.getByRole("list", { name: /住户/ }).getByRole("listitem")).toHaveCount(1);

  // Wrong five times in a row (the count survives a reload): signed out, records kept.
  const wrong = async (left: number) => {
    await page.getByLabel("解锁密码", { exact: true }).fill("1111");
    await page.getByRole("button", { name: "解锁" }).click();
    await expect(page.getByRole("alert").filter({ hasText: `还可以再试 ${left} 次` })).toBeVisible();
  };
  await page.reload();
  await wrong(4);
  await wrong(3);
  await page.reload();
  await wrong(2);
  await wrong(1);
  await page.getByLabel("解锁密码", { exact: true }).fill("1111");
  await page.getByRole("button", { name: "解锁" }).click();
  await expect(page.getByRole("status").filter({ hasText: "解锁密码错了太多次" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  // The records stay, sealed: only a password sign-in opens them again (sealed.spec.ts).
  expect(await storedText(page)).not.toContain(A.name);
  await context.setOffline(false);
  // Signing in again brings the team's records back.
  await signIn(page, me);
  await nav(page, "住户").click();
  await expect(page.getByRole("list", { name: /住户/ }).getByRole("listitem")).toHaveCount(1);
});

test("another user cannot sign in while the phone holds the last user's unsynced records", async ({ page, context }) => {
  const team = newTeam();
  await openControlled(page, "/", team.volunteer);
  await context.setOffline(true);
  await addHousehold(page, A);
  // Five wrong PINs end the sign-in; the household is kept, not yet synced.
  await page.reload();
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("解锁密码", { exact: true }).fill("1111");
    await page.getByRole("button", { name: "解锁" }).click();
  }
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  // Not yet on the server: kept.
  expect(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith("doorstep/v1/households/r/")))).toBe(true);
  await context.setOffline(false);
  await submitSignIn(page, team.volunteer2, "共用手机");
  await expect(page.getByRole("alert")).toContainText("还有上一位用户未同步的记录");
  // The owner signs in: the household syncs, nothing was lost.
  await signIn(page, team.volunteer);
  await expect(page.getByTestId("sync-status")).toContainText("已全部同步");
  await nav(page, "住户").click();
  await expect(page.getByRole("list", { name: /住户/ }).getByRole("listitem")).toHaveCount(1);
});

test("back from the background after five minutes the app is locked; after one it is not", async ({ page }) => {
  await page.clock.install();
  await openControlled(page);
  const away = async (time: string) => {
    await page.evaluate(() => {
      Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
      document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    });
    await page.clock.fastForward(time);
    await page.evaluate(() => {
      Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
      document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    });
  };
  await away("01:00");
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "应用已锁定" })).toHaveCount(0);
  await away("05:00");
  await expect(page.getByRole("heading", { name: "应用已锁定" })).toBeVisible();
  await unlockIfLocked(page);
});
