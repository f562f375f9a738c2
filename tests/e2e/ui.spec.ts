import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { openControlled, logVisit, expectListed } from "./helpers";

const SHOTS = "tests/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });

test.describe("Chinese by default", () => {
  test("main screen in Simplified Chinese at a phone viewport", async ({ page }) => {
    await openControlled(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { name: "走访助手" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "记录走访" })).toBeVisible();
    await logVisit(page, "幸福社区 3幢2单元401室", "聊天陪伴,送米一袋、油一桶。老人精神不错。");
    await logVisit(page, "和平社区 5幢1单元102室", "量血压 135/85,帮忙打扫卫生。");
    await expectListed(page, ["和平社区 5幢1单元102室", "幸福社区 3幢2单元401室"]);
    await expect(page.getByTestId("storage-info")).toContainText("已用");

    // Touch targets of at least 48 CSS px.
    for (const name of ["保存", "English"]) {
      const box = await page.getByRole("button", { name }).boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(48);
      expect(box!.width).toBeGreaterThanOrEqual(48);
    }
    await page.screenshot({ path: `${SHOTS}/home-zh-CN.png`, fullPage: true });
  });

  test("a missing address shows a field error and keeps what was typed", async ({ page }) => {
    await openControlled(page);
    await logVisit(page, "   ", "送生活必需品:米 2 袋");
    await expect(page.locator("#visit-address-error")).toHaveText("必填");
    await expect(page.getByLabel("住户地址")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("走访记录")).toHaveValue("送生活必需品:米 2 袋");
    await expect(page.getByText("还没有走访记录。")).toBeVisible();
  });

  test("readable at 200 % font size: nothing overflows sideways", async ({ page }) => {
    await openControlled(page);
    await page.addStyleTag({ content: "html { font-size: 200% !important; }" });
    await logVisit(page, "幸福社区 3幢2单元401室", "聊天陪伴");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const save = await page.getByRole("button", { name: "保存" }).boundingBox();
    expect(save!.height).toBeGreaterThanOrEqual(96); // the button grew with the text
    await page.screenshot({ path: `${SHOTS}/home-zh-CN-200pct.png`, fullPage: true });
  });
});

test.describe("English when the browser asks for it", () => {
  test.use({ locale: "en-US" });

  test("English UI, and a switch back to Chinese that is remembered", async ({ page }) => {
    await openControlled(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { name: "Log a visit" })).toBeVisible();
    await logVisit(page, "Xingfu Community, Bldg 3, Unit 2, Rm 401", "Companionship chat", false);
    await expect(page.getByRole("status").filter({ hasText: "Saved on this phone" })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/home-en-US.png`, fullPage: true });

    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.getByRole("heading", { name: "记录走访" })).toBeVisible();
    await expect(page.getByLabel("住户地址")).toBeVisible();
    await page.reload();
    await expect(page.getByRole("heading", { name: "记录走访" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  });
});
