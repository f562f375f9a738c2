import { test, expect } from "@playwright/test";
import { openControlled, addHousehold, fillHousehold, nav, reload } from "./helpers";

const A = { community: "幸福社区", building: "1幢", room: "101室", name: "王奶奶" };
const B = { community: "幸福社区", building: "2幢", room: "202室", name: "李爷爷" };

test("a full storage refuses the save with a message and keeps every saved record", async ({ page }) => {
  await openControlled(page);
  await addHousehold(page, A);

  // Another page script fills the origin's localStorage to the brim.
  const fillers = await page.evaluate(() => {
    let n = 0;
    for (let size = 1 << 20; size >= 8; size >>= 2) {
      const chunk = "x".repeat(size);
      for (;;) {
        try {
          localStorage.setItem(`filler/${n}`, chunk);
          n++;
        } catch {
          break;
        }
      }
    }
    return n;
  });
  expect(fillers).toBeGreaterThan(0);

  await nav(page, "住户").click();
  await page.getByRole("link", { name: "添加住户" }).click();
  await fillHousehold(page, B);
  await page.getByRole("button", { name: "保存住户" }).click();
  await expect(page.getByRole("alert")).toContainText("存储空间已满");
  // What was typed stays in the form; nothing saved before is lost.
  await expect(page.getByLabel("楼/幢")).toHaveValue("2幢");
  await expect(page.getByLabel("姓名或称呼")).toHaveValue("李爷爷");

  // Space freed: the same form saves.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith("filler/")) localStorage.removeItem(k);
  });
  await page.getByRole("button", { name: "保存住户" }).click();
  await expect(page.getByRole("heading", { name: "幸福社区 2幢 202室" })).toBeVisible();
  await reload(page);
  await nav(page, "住户").click();
  const rows = page.getByRole("list", { name: /住户/ }).getByRole("listitem");
  await expect(rows).toHaveCount(2);
});

test("from 80 % full the app warns on every screen, still saves, and deletes nothing", async ({ page, context }) => {
  await openControlled(page);
  // Offline: the figures below are this phone's own saves (a sync would add its own keys).
  await context.setOffline(true);
  await addHousehold(page, A);
  // Another script fills localStorage to 150 units short of 80 % of the 5 M-unit quota.
  await page.evaluate(() => {
    let used = 0;
    for (const k of Object.keys(localStorage)) used += k.length + localStorage.getItem(k)!.length;
    localStorage.setItem("filler/0", "x".repeat(Math.floor(5 * 1024 * 1024 * 0.8) - 150 - used - 8));
  });
  await reload(page);
  const warning = page.getByRole("status").filter({ hasText: "存储空间即将用完" });
  await nav(page, "首页").click();
  await expect(page.getByTestId("storage-info")).toContainText("记录 已用 79%");
  await expect(warning).toHaveCount(0);
  // This save crosses 80 %: the warning appears at once, on every screen.
  await nav(page, "住户").click();
  await page.getByRole("link", { name: "添加住户" }).click();
  await fillHousehold(page, B);
  await page.getByRole("button", { name: "保存住户" }).click();
  await expect(page.getByRole("heading", { name: "幸福社区 2幢 202室" })).toBeVisible();
  await expect(warning).toContainText("本机已用 80%");
  await expect(warning).toContainText("已保存的记录不会被删除");
  await page.screenshot({ path: "tests/e2e/screenshots/storage-warning-zh-CN.png", fullPage: true });
  await reload(page);
  await expect(warning).toContainText("本机已用 80%");
  await nav(page, "住户").click();
  await expect(warning).toBeVisible();
  await expect(page.getByRole("list", { name: /住户/ }).getByRole("listitem")).toHaveCount(2);
  // Space freed (here by the other script): the warning goes.
  await page.evaluate(() => localStorage.removeItem("filler/0"));
  await reload(page);
  await nav(page, "首页").click();
  await expect(page.getByTestId("storage-info")).toContainText("记录 已用 0%");
  await expect(page.getByText("存储空间即将用完")).toHaveCount(0);
});

test("earlier records survive a refused save and a reload", async ({ page }) => {
  await openControlled(page);
  await addHousehold(page, A);
  await page.evaluate(() => {
    let n = 0;
    for (let size = 1 << 20; size >= 8; size >>= 2) {
      const chunk = "x".repeat(size);
      for (;;) {
        try {
          localStorage.setItem(`filler/${n++}`, chunk);
        } catch {
          break;
        }
      }
    }
  });
  await nav(page, "住户").click();
  await page.getByRole("link", { name: "添加住户" }).click();
  await fillHousehold(page, B);
  await page.getByRole("button", { name: "保存住户" }).click();
  await expect(page.getByRole("alert")).toContainText("存储空间已满");
  await reload(page);
  await nav(page, "住户").click();
  const rows = page.getByRole("list", { name: /住户/ }).getByRole("listitem");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("幸福社区 1幢 101室");
});

test("storage disabled by the browser: said at once, and signing in is refused with the same message", async ({ page }) => {
  // What Chromium does when site data is blocked: reading window.localStorage throws.
  await page.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("Access is denied for this document.", "SecurityError");
      },
    });
  });
  await page.goto("/");
  await expect(page.getByRole("alert")).toContainText("无法使用本机存储");
  await page.getByLabel("用户名").fill("e2e-vol");
  await page.getByLabel("密码").fill("e2e-password-1");
  await page.getByLabel(/这台手机的名称/).fill("测试手机");
  await page.getByRole("button", { name: "登录" }).click();
  // The server accepted; the phone could not keep the sign-in, and says why.
  await expect(page.getByRole("alert")).toContainText("无法使用本机存储");
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
});
