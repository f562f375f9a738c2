import { test, expect } from "@playwright/test";
import { openControlled, addHousehold, nav, reload, switchLanguage, setPeople } from "./helpers";

const SHOTS = "tests/e2e/screenshots";
const A = { community: "幸福社区", building: "1幢", room: "101室", name: "王奶奶" };
const B = { community: "幸福社区", building: "2幢", room: "202室", name: "李爷爷" };

test("holiday-greeting round before the Spring Festival, offline", async ({ page, context }) => {
  // A week before the Spring Festival of 2027 (6 February), Beijing time.
  // (install + resume: the clock runs on from there, and timers fire.)
  await page.clock.install({ time: new Date("2027-01-30T10:00:00+08:00") });
  await page.clock.resume();
  await openControlled(page);
  await context.setOffline(true);
  await addHousehold(page, A);
  // B is visited at festivals only.
  await nav(page, "住户").click();
  await page.getByRole("link", { name: "添加住户" }).click();
  await page.getByLabel("社区").fill(B.community);
  await page.getByLabel("楼/幢").fill(B.building);
  await page.getByLabel("室", { exact: true }).fill(B.room);
  await page.getByLabel("姓名或称呼").fill(B.name);
  await page.getByLabel("走访频率").selectOption({ label: "仅节日慰问" });
  await page.getByRole("button", { name: "保存住户" }).click();
  await expect(page.getByRole("heading", { name: "幸福社区 2幢 202室" })).toBeVisible();

  // Festivals-only households fall due 14 days before the festival: B since 23 January.
  await nav(page, "首页").click();
  const due = page.getByRole("list", { name: /需要走访/ });
  await expect(due.getByRole("listitem").filter({ hasText: "2幢 202室" })).toContainText("逾期 7 天");

  await page.getByRole("link", { name: "节日慰问名单 · 春节 2027-02-06" }).click();
  await expect(page.getByRole("status").filter({ hasText: "未慰问" })).toHaveText("还有 2 户未慰问（共 2 户）");
  const round = page.getByRole("list", { name: "节日慰问" });
  await expect(round.getByRole("listitem")).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/greetings-zh-CN.png`, fullPage: true });

  // From the round, a visit opens with "holiday greeting" already ticked.
  await round.getByRole("link", { name: /1幢 101室/ }).click();
  await expect(page.getByTestId("visit-household")).toHaveText("幸福社区 1幢 101室");
  await expect(page.getByLabel("节日慰问")).toBeChecked();
  await expect(page.getByLabel("聊天陪伴")).not.toBeChecked();
  await setPeople(page, "张三、李四");
  await page.getByLabel("送生活必需品").check();
  await page.getByLabel("物品").fill("食用油");
  await page.getByLabel("数量").fill("1");
  await page.getByRole("button", { name: "保存走访" }).click();
  await expect(page.getByRole("list", { name: /走访记录/ })).toContainText("节日慰问");

  await nav(page, "首页").click();
  await page.getByRole("link", { name: /节日慰问名单/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "未慰问" })).toHaveText("还有 1 户未慰问（共 2 户）");
  await expect(round.getByRole("listitem")).toHaveCount(1);
  await expect(round).toContainText("2幢 202室");
  // Another festival: nobody greeted yet.
  await page.getByLabel("节日", { exact: true }).selectOption({ label: "端午节 2027-06-09" });
  await expect(page.getByRole("status").filter({ hasText: "未慰问" })).toHaveText("还有 2 户未慰问（共 2 户）");

  // Still so after a reload, offline; and in English.
  await reload(page);
  await expect(page.getByRole("status").filter({ hasText: "未慰问" })).toHaveText("还有 1 户未慰问（共 2 户）");
  await switchLanguage(page, "English");
  await expect(page.getByRole("status").filter({ hasText: "to greet" })).toHaveText("1 of 2 households still to greet");
  // Two households, the visit, and 张三, 李四 added on the spot.
  await expect(page.getByRole("status").filter({ hasText: "Waiting to sync" })).toHaveText("Waiting to sync (5)");
  await expect(page.getByLabel("Festival")).toHaveValue("2027-02-06");
  await expect(page.locator("#festival option:checked")).toHaveText("Spring Festival 2027-02-06");
  await page.screenshot({ path: `${SHOTS}/greetings-en-US.png`, fullPage: true });
});
