import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { openControlled, addHousehold, logVisit, expectRecent, nav, fillHousehold, signIn, reload, switchLanguage } from "./helpers";

const SHOTS = "tests/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });

test.describe("Chinese by default", () => {
  test("main screen in Simplified Chinese at a phone viewport", async ({ page }) => {
    await openControlled(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { name: "走访助手" })).toBeVisible();
    await addHousehold(page, { community: "幸福社区", building: "3幢", room: "401室", name: "王奶奶" });
    await logVisit(page, "张三、李四", "你们来了我就高兴");
    await addHousehold(page, { community: "和平社区", building: "5幢", room: "102室", name: "李爷爷" });
    await nav(page, "首页").click();
    await expect(page.getByRole("heading", { name: /需要走访/ })).toBeVisible();
    await expectRecent(page, ["幸福社区 3幢 401室"]);
    await expect(page.getByTestId("storage-info")).toContainText("已用");

    // Touch targets of at least 48 CSS px.
    for (const target of [
      page.getByRole("button", { name: /^账户：/ }),
      page.getByRole("link", { name: "记录走访" }),
      nav(page, "住户"),
    ]) {
      const box = await target.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(48);
      expect(box!.width).toBeGreaterThanOrEqual(48);
    }
    await page.screenshot({ path: `${SHOTS}/home-zh-CN.png`, fullPage: true });
  });

  test("a missing community shows a field error and keeps what was typed", async ({ page }) => {
    await openControlled(page, "/households/new");
    await fillHousehold(page, { community: "  ", building: "3幢", room: "401室", name: "王奶奶" });
    await page.getByRole("button", { name: "保存住户" }).click();
    await expect(page.locator("#address-community-error")).toHaveText("必填");
    await expect(page.getByLabel("社区")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("姓名或称呼")).toHaveValue("王奶奶");
    await nav(page, "住户").click();
    await expect(page.getByText("还没有住户。")).toBeVisible();
  });

  test("readable at 200 % font size: nothing overflows sideways", async ({ page }) => {
    // The browser's own font-size setting at 200 % (what a user changes), not injected CSS:
    // the app's Content-Security-Policy refuses inline styles.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Page.setFontSizes", { fontSizes: { standard: 32 } });
    await openControlled(page, "/households/new");
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("32px");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const save = await page.getByRole("button", { name: "保存住户" }).boundingBox();
    expect(save!.height).toBeGreaterThanOrEqual(96); // the button grew with the text
    await page.screenshot({ path: `${SHOTS}/household-form-zh-CN-200pct.png`, fullPage: true });
  });
});

test.describe("English when the browser asks for it", () => {
  test.use({ locale: "en-US" });

  test("English UI, and a switch back to Chinese that is remembered", async ({ page }) => {
    await openControlled(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { name: /^Due/ })).toBeVisible();
    await expect(page.getByRole("link", { name: "Log a visit" })).toBeVisible();
    await nav(page, "Households").click();
    await page.getByRole("link", { name: "Add household" }).click();
    await expect(page.getByLabel("Community")).toBeVisible();
    await expect(page.getByLabel("Basis for keeping this data", { exact: true })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/household-form-en-US.png`, fullPage: true });

    await switchLanguage(page, "中文");
    await expect(page.getByRole("heading", { name: "添加住户" })).toBeVisible();
    await reload(page);
    await expect(page.getByRole("heading", { name: "添加住户" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  });
});

test("the app runs under the server's Content-Security-Policy without a violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  const res = await page.goto("/");
  const csp = res!.headers()["content-security-policy"];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(csp).toContain("frame-ancestors 'none'");
  await signIn(page);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
  await addHousehold(page, { community: "幸福社区", building: "3幢", room: "401室", name: "王奶奶" });
  await logVisit(page, "张三", "好");
  expect(violations).toEqual([]);
  // And a script injected into the page is refused (and reported).
  const injected = await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__injected = true";
    document.head.appendChild(s);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(injected).toBe(false);
  await expect.poll(() => violations.length).toBe(1);
});
