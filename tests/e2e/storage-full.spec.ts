import { test, expect } from "@playwright/test";
import { openControlled, logVisit, expectListed } from "./helpers";

test("a full storage refuses the save with a message and keeps every saved visit", async ({ page }) => {
  await openControlled(page);
  await logVisit(page, "幸福社区 1幢", "第一次走访");
  await logVisit(page, "幸福社区 2幢", "第二次走访");
  await expectListed(page, ["幸福社区 2幢", "幸福社区 1幢"]);

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

  await logVisit(page, "幸福社区 3幢", "这条会因为空间不足而保存失败");
  await expect(page.getByRole("alert")).toContainText("存储空间已满");
  // The visit stays in the form; nothing saved before is lost.
  await expect(page.getByLabel("住户地址")).toHaveValue("幸福社区 3幢");
  await expect(page.getByLabel("走访记录")).toHaveValue("这条会因为空间不足而保存失败");
  await expectListed(page, ["幸福社区 2幢", "幸福社区 1幢"]);

  await page.reload();
  await expectListed(page, ["幸福社区 2幢", "幸福社区 1幢"]);

  // Space freed: the same visit saves.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith("filler/")) localStorage.removeItem(k);
  });
  await logVisit(page, "幸福社区 3幢", "空间释放后保存成功");
  await expectListed(page, ["幸福社区 3幢", "幸福社区 2幢", "幸福社区 1幢"]);
});

test("storage disabled by the browser: the save is refused with a message, the form keeps the visit", async ({ page }) => {
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
  await logVisit(page, "幸福社区 4幢", "存储被禁用时的走访");
  await expect(page.getByRole("alert")).toContainText("这条走访没有保存");
  await expect(page.getByLabel("住户地址")).toHaveValue("幸福社区 4幢");
  await expect(page.getByLabel("走访记录")).toHaveValue("存储被禁用时的走访");
  await expect(page.getByText("还没有走访记录。")).toBeVisible();
});
