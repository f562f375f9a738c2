import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { openControlled, addHousehold, logVisit, nav, reload } from "./helpers";

const SHOTS = "tests/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });

test("add, find and edit a household offline; sensitive details need a basis", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "住户" }).click();
  await expect(page.getByText("还没有住户。")).toBeVisible();
  await page.getByRole("link", { name: "添加住户" }).click();

  await page.getByLabel("社区").fill("幸福社区");
  await page.getByLabel("楼/幢").fill("3幢");
  await page.getByLabel("单元").fill("2单元");
  await page.getByLabel("室", { exact: true }).fill("401室");
  await page.getByLabel("姓名或称呼").fill("<img src=x onerror=alert(1)>王奶奶");
  await page.getByLabel("年龄段").selectOption({ label: "80–89岁" });
  await page.getByLabel("独居").check();
  await page.getByLabel("电话（可不填）").fill("138 0000 0000");
  await page.getByRole("button", { name: "保存住户" }).click();

  // No basis yet: refused next to the field, everything typed is kept.
  await expect(page.getByText("健康和独居信息需先记录信息采集依据", { exact: false })).toBeVisible();
  await expect(page.getByLabel("社区")).toHaveValue("幸福社区");
  await expect(page.getByLabel("独居")).toBeChecked();
  await page.screenshot({ path: `${SHOTS}/household-form-error-zh-CN.png`, fullPage: true });

  await page.getByLabel("信息采集依据", { exact: true }).selectOption({ label: "社区履行法定职责（探访关爱）" });
  await page.getByLabel("记录日期").fill("2026-11-20");
  await page.getByLabel("记录人").fill("李协调员");
  await page.getByRole("button", { name: "保存住户" }).click();

  // The household page; the name with markup is shown as text, not run.
  await expect(page.getByRole("heading", { name: "幸福社区 3幢 2单元 401室" })).toBeVisible();
  await expect(page.getByText("<img src=x onerror=alert(1)>王奶奶")).toBeVisible();
  await expect(page.locator("img[src=x]")).toHaveCount(0);
  await expect(page.getByText("待同步（1）")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/household-page-zh-CN.png`, fullPage: true });

  // Search finds it by any part of the address or the name.
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "住户" }).click();
  const search = page.getByLabel("搜索住户（地址或姓名）");
  const rows = page.getByRole("list", { name: /住户/ }).getByRole("listitem");
  await expect(rows).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/households-zh-CN.png`, fullPage: true });
  await search.fill("3幢 王奶奶");
  await expect(rows).toHaveCount(1);
  await search.fill("和平");
  await expect(page.getByText("没有找到匹配的住户。")).toBeVisible();
  await search.fill("401");
  await rows.first().getByRole("link").click();

  await page.getByRole("link", { name: "编辑" }).click();
  await page.getByLabel("备注").fill("子女在外地");
  await page.getByRole("button", { name: "保存住户" }).click();
  await expect(page.getByText("待同步（2）")).toBeVisible();

  // Still there after an offline reload.
  await reload(page);
  await expect(page.getByRole("heading", { name: "幸福社区 3幢 2单元 401室" })).toBeVisible();
  await page.getByRole("link", { name: "编辑" }).click();
  await expect(page.getByLabel("备注")).toHaveValue("子女在外地");
  await expect(page.getByLabel("独居")).toBeChecked();
});

test("delete a household added by mistake, with undo; one with visits can only be archived", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  await addHousehold(page, { community: "幸福社区", building: "9幢", room: "909室", name: "重复录入" });
  await page.getByRole("button", { name: "删除这户" }).click();
  const banner = page.getByRole("status").filter({ hasText: "已删除一户" });
  await expect(banner).toBeVisible();
  await expect(page.getByRole("heading", { name: "幸福社区 9幢 909室" })).toHaveCount(0);
  await banner.getByRole("button", { name: "撤销" }).click();
  await expect(page.getByRole("heading", { name: "幸福社区 9幢 909室" })).toBeVisible();
  await page.getByRole("button", { name: "删除这户" }).click();
  await reload(page);
  await expect(page.getByText("找不到")).toBeVisible();
  await nav(page, "住户").click();
  await expect(page.getByText("还没有住户")).toBeVisible();

  // With a visit, there is no delete: archive keeps the history.
  await addHousehold(page, { community: "幸福社区", building: "1幢", room: "101室", name: "王奶奶" });
  await logVisit(page, "张三", "谢谢你们");
  await expect(page.getByRole("button", { name: "删除这户" })).toHaveCount(0);
});
