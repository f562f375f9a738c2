import { test, expect } from "@playwright/test";
import { openControlled, logVisit, expectListed } from "./helpers";

test("works offline from the service worker: reload, save, reopen", async ({ page, context }) => {
  await openControlled(page);
  await logVisit(page, "幸福社区 3幢2单元401室", "聊天陪伴,送米一袋");
  await expect(page.getByRole("status").filter({ hasText: "已保存在本机" })).toBeVisible();
  await expectListed(page, ["幸福社区 3幢2单元401室"]);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "记录走访" })).toBeVisible();
  await expect(page.getByText("离线", { exact: true })).toBeVisible();
  await expectListed(page, ["幸福社区 3幢2单元401室"]);

  await logVisit(page, "和平社区 5幢1单元102室", "打扫卫生,老人行动不便");
  await expect(page.getByRole("status").filter({ hasText: "已保存在本机" })).toBeVisible();
  await expectListed(page, ["和平社区 5幢1单元102室", "幸福社区 3幢2单元401室"]);

  // A new page, still offline, as when the app is reopened from the home-screen icon.
  await page.close();
  const again = await context.newPage();
  await again.goto("/");
  await expectListed(again, ["和平社区 5幢1单元102室", "幸福社区 3幢2单元401室"]);
  await expect(again.getByText("已保存在本机", { exact: true })).toHaveCount(2);
  // Newest first.
  await expect(again.getByRole("listitem").first()).toContainText("和平社区 5幢1单元102室");
});

test("the API is never answered from the cache", async ({ page, context }) => {
  await openControlled(page);
  const online = await page.evaluate(async () => (await fetch("/healthz")).status);
  expect(online).toBe(200);
  await context.setOffline(true);
  const offline = await page.evaluate(async () => {
    try {
      return (await fetch("/api/v1/anything")).status;
    } catch {
      return "network-error";
    }
  });
  expect(offline).toBe("network-error");
});
