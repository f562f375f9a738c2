import { test, expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { openControlled, addHousehold as addViaNav, logVisit, reload, unlockIfLocked, setPeople } from "./helpers";

const SHOTS = "tests/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });

async function addHousehold(page: Page) {
  await page.goto("/households/new");
  await unlockIfLocked(page);
  await page.getByLabel("社区").fill("和平社区");
  await page.getByLabel("楼/幢").fill("5幢");
  await page.getByLabel("室", { exact: true }).fill("102室");
  await page.getByLabel("姓名或称呼").fill("李爷爷");
  await page.getByLabel("信息采集依据", { exact: true }).selectOption({ label: "本人签字同意" });
  await page.getByLabel("记录日期").fill("2026-11-01");
  await page.getByLabel("记录人").fill("张协调员");
  await page.getByRole("button", { name: "保存住户" }).click();
  await expect(page.getByRole("heading", { name: "和平社区 5幢 102室" })).toBeVisible();
}

test("log a visit with blood pressure and two supplies, offline", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  await addHousehold(page);

  // Never visited: due today, on the home screen's due list, which opens the visit form.
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "首页" }).click();
  const due = page.getByRole("list", { name: /需要走访/ });
  await expect(due.getByRole("listitem")).toHaveCount(1);
  await expect(due).toContainText("和平社区 5幢 102室");
  await expect(due).toContainText("今天");
  await page.screenshot({ path: `${SHOTS}/home-due-zh-CN.png`, fullPage: true });
  await due.getByRole("link").click();
  await expect(page.getByTestId("visit-household")).toHaveText("和平社区 5幢 102室");

  await setPeople(page, "张三、李四");
  await page.getByLabel("社区", { exact: true }).check();
  await page.getByLabel("聊天陪伴").check();
  await page.getByLabel("送生活必需品").check();
  await page.getByLabel("物品").fill("大米");
  await page.getByLabel("数量").fill("2");
  await page.getByLabel("单位（袋、桶……）").fill("袋");
  await page.getByRole("button", { name: "再加一种物品" }).click();
  await page.getByLabel("物品").nth(1).fill("食用油");
  await page.getByLabel("数量").nth(1).fill("1");
  await page.getByLabel("单位（袋、桶……）").nth(1).fill("桶");
  await page.getByLabel("量血压").check();
  // Invalid: systolic not above diastolic. The error is next to the field; input is kept.
  await page.getByLabel("收缩压（mmHg）").fill("80");
  await page.getByLabel("舒张压（mmHg）").fill("90");
  await page.getByLabel("居民反馈").fill("你们来了我就高兴");
  await page.getByRole("button", { name: "保存走访" }).click();
  await expect(page.locator("#bp-systolic-error")).toHaveText("应大于舒张压");
  await expect(page.getByLabel("收缩压（mmHg）")).toHaveValue("80");
  await expect(page.getByLabel("物品").nth(1)).toHaveValue("食用油");
  await page.screenshot({ path: `${SHOTS}/visit-form-error-zh-CN.png`, fullPage: true });

  await page.getByLabel("收缩压（mmHg）").fill("135");
  await page.getByLabel("舒张压（mmHg）").fill("85");
  await page.getByRole("button", { name: "保存走访" }).click();

  // Back on the household: the visit is in its history.
  await expect(page.getByRole("heading", { name: "和平社区 5幢 102室" })).toBeVisible();
  const history = page.getByRole("list", { name: /走访记录/ });
  await expect(history.getByRole("listitem")).toHaveCount(1);
  await expect(history).toContainText("聊天陪伴 · 量血压 135/85 · 大米 2袋 · 食用油 1桶");
  await expect(history).toContainText("张三、李四");
  await expect(history).toContainText("你们来了我就高兴");
  await page.screenshot({ path: `${SHOTS}/household-history-zh-CN.png`, fullPage: true });

  // "Log another visit" pre-fills the volunteers.
  await page.getByRole("link", { name: "再记录一次这户的走访" }).click();
  const chosen = page.getByRole("list", { name: "已选志愿者" });
  await expect(chosen).toContainText("张三");
  await expect(chosen).toContainText("李四");
  await expect(page.getByLabel("社区", { exact: true })).toBeChecked();

  // Visited today with a monthly cadence: no longer due.
  await page.goto("/");
  await unlockIfLocked(page);
  await expect(page.getByText("这周没有需要走访的住户。")).toBeVisible();

  await reload(page);
  await page.goto("/households");
  await unlockIfLocked(page);
  await page.getByRole("link", { name: /和平社区 5幢 102室/ }).click();
  await expect(page.getByRole("list", { name: /走访记录/ }).getByRole("listitem")).toHaveCount(1);
});

test("delete a visit, undo it, delete it again: kept deleted across a reload", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  await addViaNav(page, { community: "幸福社区", building: "6幢", room: "601室", name: "周奶奶" });
  await logVisit(page, "张三", "今天精神很好");
  const history = page.getByRole("list", { name: /走访记录/ }).getByRole("listitem");
  await expect(history).toHaveCount(1);

  await page.getByRole("button", { name: "删除这次走访" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已删除一次走访。" })).toBeVisible();
  await expect(page.getByText("还没有走访。")).toBeVisible();
  await page.getByRole("button", { name: "撤销" }).click();
  await expect(history).toHaveCount(1);
  await expect(page.getByRole("list", { name: /走访记录/ })).toContainText("今天精神很好");

  await page.getByRole("button", { name: "删除这次走访" }).click();
  await expect(page.getByText("还没有走访。")).toBeVisible();
  // Household, 张三 added on the spot, visit, delete, restore, delete: six changes wait.
  await expect(page.getByText("待同步（6）")).toBeVisible();
  await reload(page);
  await expect(page.getByText("还没有走访。")).toBeVisible();
  await expect(page.getByText("待同步（6）")).toBeVisible();
});

test("edit a visit: the form opens with what was saved, and the change replaces it", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  await addViaNav(page, { community: "和平社区", building: "7幢", room: "701室", name: "吴爷爷" });
  await logVisit(page, "张三", "腿脚不太好");
  await page.getByRole("link", { name: "编辑这次走访" }).click();
  await expect(page.getByRole("heading", { name: "编辑走访" })).toBeVisible();
  // Editing names exactly who went (张三, added on the spot, to be checked): the editor is not added.
  await expect(page.getByRole("list", { name: "已选志愿者" }).getByRole("listitem")).toHaveText(["张三待核对×"]);
  await expect(page.getByLabel("聊天陪伴")).toBeChecked();
  await expect(page.getByLabel("居民反馈")).toHaveValue("腿脚不太好");
  await page.getByLabel("居民反馈").fill("腿脚好些了");
  await page.getByRole("button", { name: "保存走访" }).click();
  const history = page.getByRole("list", { name: /走访记录/ });
  await expect(history.getByRole("listitem")).toHaveCount(1);
  await expect(history).toContainText("腿脚好些了");
  await expect(history).not.toContainText("腿脚不太好");
  await reload(page);
  await expect(page.getByRole("list", { name: /走访记录/ })).toContainText("腿脚好些了");
});

test("a visit starts when its form opens and ends when it is saved; both show and can be edited", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  await addViaNav(page, { community: "幸福社区", building: "8幢", room: "801室", name: "孙奶奶" });
  await page.getByRole("link", { name: /记录走访|再记录一次这户的走访/ }).click();
  const start = page.getByLabel("开始时间");
  const end = page.getByLabel(/^结束时间/);
  await expect(start).toHaveValue(/^\d\d:\d\d$/);
  await expect(end).toHaveValue("");
  const opened = await start.inputValue();
  await setPeople(page, "张三");
  await page.getByLabel("聊天陪伴").check();
  await page.getByRole("button", { name: "保存走访" }).click();
  const history = page.getByRole("list", { name: /走访记录/ });
  await expect(history).toContainText(new RegExp(`${opened}–\\d\\d:\\d\\d`));
  await page.screenshot({ path: `${SHOTS}/visit-times-zh-CN.png`, fullPage: true });

  // Edited afterwards: the times are the visit's, and an end before the start is refused.
  await page.getByRole("link", { name: "编辑这次走访" }).click();
  await expect(start).toHaveValue(opened);
  await expect(end).toHaveValue(/^\d\d:\d\d$/);
  await start.fill("14:00");
  await end.fill("13:30");
  await page.getByRole("button", { name: "保存走访" }).click();
  await expect(page.getByText("应晚于开始时间")).toBeVisible();
  await end.fill("14:45");
  await page.getByRole("button", { name: "保存走访" }).click();
  await expect(history).toContainText("14:00–14:45");
});
