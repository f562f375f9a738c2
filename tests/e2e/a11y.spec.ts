// WCAG 2.1 AA, checked by axe-core on every screen, in both languages: the sign-in and
// link pages, the PIN screens, the volunteer's screens and the coordinator's (as an admin,
// with data on them), at a phone viewport.
import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { addHousehold, logVisit, newTeam, setPin, PIN } from "./helpers";

async function audit(page: Page, screen: string) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const found = result.violations.map(
    (v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(found, `${screen}: no WCAG 2.1 AA violations`).toEqual([]);
}

/** Client-side navigation (no reload, so no unlock), as the app's own links do. */
async function open(page: Page, path: string) {
  await page.evaluate((p) => {
    history.pushState({}, "", p);
    dispatchEvent(new PopStateEvent("popstate"));
  }, path);
  await expect.poll(() => page.evaluate(() => location.pathname)).toBe(path);
  await expect(page.locator("main")).not.toBeEmpty();
  await page.waitForTimeout(300);
}

for (const locale of ["zh-CN", "en-US"]) {
  test.describe(locale, () => {
    test.use({ locale });

    test(`every screen passes axe-core (WCAG 2.1 AA) in ${locale}`, async ({ page, browser }, info) => {
      test.setTimeout(120_000);
      const team = newTeam({ admin: true });
      const admin = team.admin!;
      await page.goto("/");
      await expect(page.getByRole("button", { name: /^(登录|Sign in)$/ })).toBeVisible();
      await audit(page, "sign-in");
      await page.getByLabel(/^(用户名|Username)$/).fill(admin.username);
      await page.getByLabel(/^(密码|Password)$/).fill(admin.password);
      await page.getByLabel(/这台手机的名称|Name of this phone/).fill("检查手机");
      await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
      await expect(page.getByRole("button", { name: /^(设置解锁密码|Set a PIN)$/ })).toBeVisible();
      await audit(page, "pin-setup");
      await setPin(page);
      if (locale === "zh-CN") {
        await addHousehold(page, { community: "幸福社区", building: "3幢", room: "401室", name: "王奶奶" });
        await logVisit(page, "张三", "你们来了我就高兴");
      }
      await audit(page, locale === "zh-CN" ? "household page" : "home");
      for (const path of ["/", "/households", "/households/new", "/visits/new", "/events", "/events/new",
        "/greetings", "/dashboard", "/review", "/members", "/devices", "/account", "/sync-problems",
        "/roster", "/roster/new", "/units", "/units/new"]) {
        await open(page, path);
        await audit(page, path);
      }
      // The members screen with an invite and its QR code showing, and the account menu open.
      await open(page, "/members");
      await page.getByLabel(/^(新成员的名字|The new member's name)$/).fill("赵六");
      await page.getByRole("button", { name: /^(生成邀请|Make an invite)$/ }).click();
      const link = await page.getByLabel(/^(链接|Link)$/).inputValue();
      await audit(page, "members with an invite");
      await page.getByRole("button", { name: /^(账户|Account)[：:]/ }).click();
      await audit(page, "account menu");

      // The link page on another phone, and the lock screen.
      const other = await browser.newContext({ locale, baseURL: info.project.use.baseURL });
      const join = await other.newPage();
      await join.goto(link);
      await expect(join.getByLabel(/^(用户名|Username)$/)).toBeVisible();
      await audit(join, "join");
      await other.close();
      await page.reload();
      await expect(page.getByLabel(/^(解锁密码|PIN)$/)).toBeVisible();
      await audit(page, "locked");
      await page.getByLabel(/^(解锁密码|PIN)$/).fill(PIN);
    });
  });
}
