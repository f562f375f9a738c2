import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { openControlled, nav, reload, setPeople } from "./helpers";

const SHOTS = "tests/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });

test("log an event with tallies, edit it, offline", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "活动" }).click();
  await expect(page.getByText("还没有活动。")).toBeVisible();
  await page.getByRole("link", { name: "添加活动" }).click();

  await page.getByLabel("活动类型").selectOption({ label: "反诈宣传" });
  await page.getByLabel("活动名称").fill("反诈宣传进社区");
  await page.getByLabel("日期").fill("2026-11-20");
  await page.getByLabel("地点").fill("幸福社区广场");
  await page.getByLabel("派出所").check();
  await setPeople(page, "张三、李四");
  await page.getByLabel("参加人数", { exact: true }).fill("60");
  await page.getByLabel("发放宣传册（份）", { exact: true }).fill("200");
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "增加 悬挂横幅（条）" }).click();
  await page.getByRole("button", { name: "减少 悬挂横幅（条）" }).click();
  await expect(page.getByLabel("悬挂横幅（条）", { exact: true })).toHaveValue("2");
  await page.screenshot({ path: `${SHOTS}/event-form-zh-CN.png`, fullPage: true });

  // A title is required; the counts typed are kept.
  await page.getByLabel("活动名称").fill("");
  await page.getByRole("button", { name: "保存活动" }).click();
  await expect(page.locator("#event-title-error")).toHaveText("必填");
  await expect(page.getByLabel("发放宣传册（份）", { exact: true })).toHaveValue("200");
  await page.getByLabel("活动名称").fill("反诈宣传进社区");
  await page.getByRole("button", { name: "保存活动" }).click();

  const rows = page.getByRole("list", { name: /活动/ }).getByRole("listitem");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("反诈宣传进社区");
  await expect(rows.first()).toContainText("参加人数 60");
  await page.screenshot({ path: `${SHOTS}/events-zh-CN.png`, fullPage: true });

  await rows.first().getByRole("link").click();
  await expect(page.getByLabel("悬挂横幅（条）", { exact: true })).toHaveValue("2");
  await page.getByRole("button", { name: "增加 参加人数" }).click();
  await page.getByRole("button", { name: "保存活动" }).click();
  await expect(rows.first()).toContainText("参加人数 61");

  await reload(page);
  await expect(page.getByRole("list", { name: /活动/ }).getByRole("listitem").first()).toContainText("参加人数 61");
  await nav(page, "首页").click();
  // The event (added, edited) and 张三, 李四 added on the spot.
  await expect(page.getByText("待同步（4）")).toBeVisible();
});

test("delete an event, undo it, delete it again: kept deleted across a reload", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "活动" }).click();
  for (const title of ["理发义剪", "健康讲座"]) {
    await page.getByRole("link", { name: "添加活动" }).click();
    await page.getByLabel("活动名称").fill(title);
    await page.getByRole("button", { name: "保存活动" }).click();
  }
  const rows = page.getByRole("list", { name: /活动/ }).getByRole("listitem");
  await expect(rows).toHaveCount(2);
  await rows.filter({ hasText: "理发义剪" }).getByRole("button", { name: "删除这个活动" }).click();
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole("heading", { name: "活动（1）" })).toBeVisible();
  await page.getByRole("status").filter({ hasText: "已删除一个活动" }).getByRole("button", { name: "撤销" }).click();
  await expect(rows).toHaveCount(2);
  await expect(page.getByText("已删除一个活动")).toHaveCount(0);
  await rows.filter({ hasText: "理发义剪" }).getByRole("button", { name: "删除这个活动" }).click();
  await reload(page);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("健康讲座");
  // Two saves, a delete, a restore and a delete: five changes wait to sync.
  await nav(page, "首页").click();
  await expect(page.getByText("待同步（5）")).toBeVisible();
});
