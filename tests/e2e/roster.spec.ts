import { test, expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { addHousehold, logVisit, mainNav, newTeam, openControlled, phone, setPeople, unlockIfLocked } from "./helpers";

// The team's roster with the real server: every account is a person, a name a volunteer
// typed becomes a person for the coordinator to check, and merging a duplicate moves it.

const SHOTS = "tests/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });
const status = (page: Page) => page.getByTestId("sync-status");

async function openRoster(page: Page) {
  await mainNav(page).getByRole("link", { name: "成员" }).click();
  await page.getByRole("link", { name: "服务队成员名册" }).click();
  await expect(page.getByRole("heading", { name: /服务队成员名册/ })).toBeVisible();
}

test("the coordinator keeps the roster: accounts, a name typed on a visit to check, a duplicate merged", async ({ page, browser }, info) => {
  test.setTimeout(90_000);
  const team = newTeam();
  // A volunteer's visit names a colleague the old way, as text.
  const [volContext, vol] = await phone(browser, info.project.use.baseURL);
  await openControlled(vol, "/", team.volunteer);
  await addHousehold(vol, { community: "东亭社区", building: "2幢", room: "202室", name: "钱奶奶" });
  await logVisit(vol, "测试志愿者、老周", "米和油收到了");
  await expect(status(vol)).toContainText("已全部同步", { timeout: 30_000 });
  await volContext.close();

  await openControlled(page, "/", team.coordinator);
  await expect(status(page)).toContainText("已全部同步", { timeout: 30_000 });
  await openRoster(page);
  const rows = page.getByRole("list", { name: /服务队成员名册/ });
  // The three accounts and 老周, who is to be checked (listed first).
  await expect(rows.getByRole("listitem")).toHaveCount(4);
  await expect(rows.getByRole("listitem").first()).toContainText("老周");
  await expect(rows.getByRole("listitem").first()).toContainText("待核对");
  await expect(rows.getByRole("link", { name: /测试志愿者.*有账号/ })).toBeVisible();

  // A person without an account: a Party member from the community.
  await page.getByRole("link", { name: "添加成员" }).click();
  await page.getByRole("button", { name: "保存成员" }).click();
  await expect(page.getByText("必填")).toBeVisible();
  await page.getByLabel("姓名").fill("周建国");
  await page.getByLabel("党员").check();
  await page.getByLabel(/手机号/).fill("139 0000 1234");
  await page.getByRole("button", { name: "保存成员" }).click();
  await expect(rows.getByRole("link", { name: /周建国.*党员/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/roster-zh-CN.png`, fullPage: true });

  // 老周 is 周建国: merged, the roster lists one of them.
  await rows.getByRole("link", { name: /老周/ }).click();
  await page.getByLabel("合并到").selectOption({ label: "周建国" });
  await page.screenshot({ path: `${SHOTS}/roster-merge-zh-CN.png`, fullPage: true });
  await page.getByRole("button", { name: "合并", exact: true }).click();
  await expect(rows.getByRole("listitem")).toHaveCount(4);
  await expect(rows).not.toContainText("老周");
  await expect(status(page)).toContainText("已全部同步", { timeout: 30_000 });

  // The dashboard's service hours count it for 周建国 too, on the phone.
  await mainNav(page).getByRole("link", { name: "统计" }).click();
  const hours = page.getByRole("table", { name: "服务时长" });
  await expect(hours.getByRole("row", { name: /周建国/ })).toContainText("走访 1 次，活动 0 次");
  await expect(hours.getByRole("row", { name: /周建国/ })).toContainText("党员");
  await expect(hours).not.toContainText("老周");
  await hours.screenshot({ path: `${SHOTS}/hours-zh-CN.png` });

  // The server counts 老周's visit for 周建国 in the hours report.
  const login = await (await page.request.post("/api/v1/login", {
    data: { username: team.coordinator.username, password: team.coordinator.password, device_name: "报表" },
  })).json();
  const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const report = await (await page.request.get(`/api/v1/reports/hours?from=${day(-1)}&to=${day(1)}`, {
    headers: { Authorization: `Bearer ${login.token}` },
  })).json();
  const names = report.people.map((p: { name: string }) => p.name).sort();
  expect(names).toEqual(["周建国", "测试志愿者"]);
  const zhou = report.people.find((p: { name: string }) => p.name === "周建国");
  expect([zhou.visits, zhou.party_member]).toEqual([1, true]);
});

test("the coordinator names the partner units: a sub-district, a community under it, a first unit renamed", async ({ page, browser }, info) => {
  test.setTimeout(90_000);
  const team = newTeam();
  // A new team starts with one unit per kind; a volunteer's visit ticks 派出所.
  const [volContext, vol] = await phone(browser, info.project.use.baseURL);
  await openControlled(vol, "/", team.volunteer);
  await addHousehold(vol, { community: "东亭社区", building: "3幢", room: "303室", name: "吴爷爷" });
  await vol.getByRole("link", { name: /记录走访|再记录一次这户的走访/ }).click();
  await setPeople(vol, "测试志愿者");
  await vol.getByLabel("派出所").check();
  await vol.getByLabel("反诈宣传").check();
  await vol.getByRole("button", { name: "保存走访" }).click();
  await expect(status(vol)).toContainText("已全部同步", { timeout: 30_000 });
  await volContext.close();

  await openControlled(page, "/", team.coordinator);
  await expect(status(page)).toContainText("已全部同步", { timeout: 30_000 });
  await mainNav(page).getByRole("link", { name: "成员" }).click();
  await page.getByRole("link", { name: "合作单位" }).click();
  const rows = page.getByRole("list", { name: /合作单位/ });
  await expect(rows.getByRole("listitem")).toHaveCount(5);
  await rows.getByRole("link", { name: /^派出所/ }).click();
  await page.getByLabel(/^名称/).fill("东亭派出所");
  await page.getByRole("button", { name: "保存合作单位" }).click();
  await expect(rows.getByRole("link", { name: /东亭派出所/ })).toBeVisible();
  // The renamed unit shows on the visit that named it.
  await page.goto("/review");
  await unlockIfLocked(page);
  await page.getByRole("list", { name: "已保存的走访" }).getByRole("link").first().click();
  await expect(page.getByText("东亭派出所")).toBeVisible();
  await page.goto("/units");
  await unlockIfLocked(page);

  await page.getByRole("link", { name: "添加合作单位" }).click();
  await page.getByLabel(/^名称/).fill("鹅湖街道");
  await page.getByLabel("类型").selectOption({ label: "街道" });
  await expect(page.getByLabel("所属街道")).toHaveCount(0);
  await page.getByRole("button", { name: "保存合作单位" }).click();
  await page.getByRole("link", { name: "添加合作单位" }).click();
  await page.getByLabel(/^名称/).fill("东亭社区");
  await page.getByLabel("所属街道").selectOption({ label: "鹅湖街道" });
  await page.getByRole("button", { name: "保存合作单位" }).click();
  await expect(rows.getByRole("link", { name: /东亭社区.*社区 · 鹅湖街道/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/units-zh-CN.png`, fullPage: true });
  // The address's 社区 is offered from the units, and shows its 街道.
  await mainNav(page).getByRole("link", { name: "住户" }).click();
  await page.getByRole("link", { name: /东亭社区 3幢 303室/ }).click();
  await page.getByRole("link", { name: "编辑", exact: true }).click();
  await expect(page.getByTestId("sub-district")).toHaveText("街道：鹅湖街道");
  await expect(page.locator("#community-names option[value='东亭社区']")).toHaveCount(1);
  await page.getByLabel("社区").fill("幸福社区");
  await expect(page.getByTestId("sub-district")).toHaveCount(0);
  await expect(status(page)).toContainText("已全部同步", { timeout: 30_000 });
});
