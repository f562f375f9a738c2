import { test, expect } from "@playwright/test";
import { openControlled, addHousehold, logVisit, expectRecent, nav, recentList, reload, unlockIfLocked } from "./helpers";

const A = { community: "幸福社区", building: "3幢", room: "401室", name: "王奶奶" };
const B = { community: "和平社区", building: "5幢", room: "102室", name: "李爷爷" };

test("works offline from the service worker: reload, save, reopen", async ({ page, context }) => {
  await openControlled(page);
  await addHousehold(page, A);
  await logVisit(page, "张三", "聊天陪伴，送米一袋");
  await expect(page.getByTestId("sync-status")).toContainText("已全部同步");

  await context.setOffline(true);
  await reload(page);
  await expect(page.getByText("离线", { exact: true })).toBeVisible();
  await nav(page, "首页").click();
  await expectRecent(page, ["幸福社区 3幢 401室"]);

  await addHousehold(page, B);
  await logVisit(page, "李四", "打扫卫生，老人行动不便");
  await nav(page, "首页").click();
  await expectRecent(page, ["和平社区 5幢 102室", "幸福社区 3幢 401室"]);

  // A new page, still offline, as when the app is reopened from the home-screen icon.
  await page.close();
  const again = await context.newPage();
  await again.goto("/");
  await unlockIfLocked(again);
  await expectRecent(again, ["和平社区 5幢 102室", "幸福社区 3幢 401室"]);
  // The first visit reached the server before going offline; the second waits on the phone.
  await expect(recentList(again).getByRole("listitem").nth(0)).toContainText("已保存在本机");
  await expect(recentList(again).getByRole("listitem").nth(1)).toContainText("已同步");
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
