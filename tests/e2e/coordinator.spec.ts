import { test, expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { addHousehold, logVisit, mainNav, newTeam, openControlled, phone, reload, unlockIfLocked, setPeople } from "./helpers";

// The coordinator's screens with the real server: the dashboard counts what two volunteers
// logged (and still opens offline), the review narrows and opens a visit, a household is
// assigned, and the server's exports download.

const SHOTS = "tests/e2e/screenshots";
const status = (page: Page) => page.getByTestId("sync-status");

/** A dashboard figure's number, by its label. */
function figure(page: Page, label: string) {
  return page.locator(".figure", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");
}

/** A bar chart's row (label, bar, number), by the chart's caption and the row's label. */
function bar(page: Page, chart: string, row: string | RegExp) {
  return page.getByRole("table", { name: chart }).getByRole("row", { name: row });
}

/** Logs a visit with a follow-up and an urgent condition, from a household's page. */
async function logUrgentVisit(page: Page, volunteers: string, words: string) {
  await page.getByRole("link", { name: /记录走访|再记录一次这户的走访/ }).click();
  await setPeople(page, volunteers);
  await page.getByLabel("理发").check();
  await page.getByLabel("生活状况", { exact: true }).selectOption({ label: "紧急" });
  await page.getByLabel("看到的情况").fill("厨房水管漏水");
  await page.getByLabel("居民反馈").fill(words);
  await page.getByLabel("要做什么").fill("联系物业修水管");
  await page.getByLabel("跟进期限").fill("2099-01-31");
  await page.getByRole("button", { name: "保存走访" }).click();
  await expect(page.getByRole("list", { name: /走访记录/ })).toContainText(words);
}

test("the coordinator's dashboard counts two volunteers' visits, offline too; the review narrows; exports download", async ({ page, context, browser }, info) => {
  test.setTimeout(120_000);
  const team = newTeam();
  const baseURL = info.project.use.baseURL;

  // Volunteer 1: one household, two chats.
  await openControlled(page, "/", team.volunteer);
  await addHousehold(page, { community: "幸福社区", building: "5幢", room: "502室", name: "赵爷爷" });
  await logVisit(page, "张三", "身体还好");
  await logVisit(page, "张三", "想孙子了");
  // …and an anti-fraud event today.
  await mainNav(page).getByRole("link", { name: "活动" }).click();
  await page.getByRole("link", { name: "添加活动" }).click();
  await page.getByLabel("活动类型").selectOption({ label: "反诈宣传" });
  await page.getByLabel("活动名称").fill("反诈宣传进社区");
  await setPeople(page, "张三");
  await page.getByLabel("参加人数", { exact: true }).fill("60");
  await page.getByLabel("发放宣传册（份）", { exact: true }).fill("200");
  await page.getByRole("button", { name: "保存活动" }).click();
  await expect(page.getByRole("list", { name: /活动/ }).getByRole("listitem")).toHaveCount(1);
  await expect(status(page)).toContainText("已全部同步");

  // Volunteer 2: another household, an urgent visit with a haircut and a follow-up.
  const [ctx2, vol2] = await phone(browser, baseURL);
  await openControlled(vol2, "/", team.volunteer2);
  await addHousehold(vol2, { community: "幸福社区", building: "7幢", room: "101室", name: "钱奶奶" });
  await logUrgentVisit(vol2, "李四", "水管漏水好几天了");
  await expect(status(vol2)).toContainText("已全部同步");

  // The coordinator's dashboard, this month by default.
  const [coordCtx, coord] = await phone(browser, baseURL);
  await openControlled(coord, "/", team.coordinator);
  await expect(status(coord)).toContainText("已全部同步");
  await mainNav(coord).getByRole("link", { name: "统计" }).click();
  await expect(coord.getByRole("heading", { name: "服务队统计" })).toBeVisible();
  await expect(figure(coord, "走访住户")).toHaveText("2");
  await expect(figure(coord, "走访次数")).toHaveText("3");
  await expect(figure(coord, "参与志愿者")).toHaveText("2");
  await expect(figure(coord, "活动场次")).toHaveText("1");
  await expect(figure(coord, "参加人数")).toHaveText("60");
  await expect(bar(coord, "各项服务（人次）", /发放宣传册/)).toContainText("200");
  await expect(bar(coord, "各项服务（人次）", /反诈宣传/)).toContainText("1");
  await expect(coord.getByRole("region", { name: "各类活动" })).toContainText("反诈宣传：1");
  await expect(figure(coord, "未完成的跟进")).toHaveText("1");
  await expect(figure(coord, "其中逾期")).toHaveText("0");
  await expect(bar(coord, "各项服务（人次）", /聊天陪伴/)).toContainText("2");
  await expect(bar(coord, "各项服务（人次）", /理发/)).toContainText("1");
  await expect(bar(coord, "多久没走访的住户", /30 天以上/)).toContainText("0");
  const weeks = coord.getByRole("table", { name: "每周走访次数" }).getByRole("row");
  expect((await weeks.allTextContents()).map((t) => Number(t.match(/(\d+)$/)![1])).reduce((a, b) => a + b, 0)).toBe(3);
  await expect(coord.locator("#data-as-of")).toContainText("最后同步于");
  await coord.screenshot({ path: `${SHOTS}/dashboard-zh-CN.png`, fullPage: true });
  // The open follow-ups figure leads to them in the review.
  await coord.getByRole("link", { name: "未完成的跟进：1" }).click();
  await expect(coord.getByLabel("只看有未完成跟进的（不限日期）")).toBeChecked();
  await expect(coord.locator("#review-count")).toHaveText("找到 1 次走访、0 场活动。");
  await mainNav(coord).getByRole("link", { name: "统计" }).click();
  await expect(figure(coord, "需关注或紧急")).toHaveText("1");
  await figure(coord, "需关注或紧急").getByRole("link").click();
  await expect(coord.getByLabel("只看需关注或紧急")).toBeChecked();
  await expect(coord.getByLabel("只看有未完成跟进的（不限日期）")).not.toBeChecked();
  await expect(coord.locator("#review-count")).toHaveText("找到 1 次走访、0 场活动。");
  await mainNav(coord).getByRole("link", { name: "统计" }).click();

  // Last month had nothing.
  await coord.getByRole("button", { name: "上月" }).click();
  await expect(figure(coord, "走访次数")).toHaveText("0");
  await coord.getByRole("button", { name: "本月" }).click();
  await expect(figure(coord, "走访次数")).toHaveText("3");

  // The server's monthly report agrees with the phone.
  const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
  const downloaded = coord.waitForEvent("download");
  await coord.getByRole("button", { name: "下载月度报告" }).click();
  const report = await downloaded;
  expect(report.suggestedFilename()).toBe(`doorstep-report-${month}.html`);
  const html = readFileSync((await report.path())!, "utf8");
  expect(html).toContain("水管漏水好几天了");
  expect(html).not.toContain("钱奶奶");

  // Visits as Excel: a real XLSX (a zip). As CSV: BOM, household codes, no names.
  const xlsx = coord.waitForEvent("download");
  await coord.getByRole("button", { name: "导出走访（Excel）" }).click();
  const xlsxFile = readFileSync((await (await xlsx).path())!);
  expect(xlsxFile.subarray(0, 2).toString()).toBe("PK");
  const csv = coord.waitForEvent("download");
  await coord.getByRole("button", { name: "导出走访（CSV）" }).click();
  const csvDownload = await csv;
  expect(csvDownload.suggestedFilename()).toMatch(/^doorstep-visits-\d{4}-\d\d-01-\d{4}-\d\d-\d\d\.csv$/);
  const text = readFileSync((await csvDownload.path())!, "utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text.trim().split("\n").length).toBe(1 + 3);
  expect(text).toMatch(/H-[0-9A-F]{6}/);
  expect(text).not.toContain("赵爷爷");
  await expect(coord.getByRole("status").filter({ hasText: "已下载" })).toBeVisible();

  // Service hours as Excel, for the period on screen.
  const hours = coord.waitForEvent("download");
  await coord.getByRole("button", { name: "导出服务时长（Excel）" }).click();
  const hoursDownload = await hours;
  expect(hoursDownload.suggestedFilename()).toMatch(/^doorstep-hours-\d{4}-\d\d-01-\d{4}-\d\d-\d\d\.xlsx$/);
  expect(readFileSync((await hoursDownload.path())!).subarray(0, 2).toString()).toBe("PK");

  // Identified: refused without a reason; with one, names are in.
  await coord.getByLabel("包含姓名、电话和门牌号").check();
  await coord.getByRole("button", { name: "导出住户（Excel）" }).click();
  await expect(coord.getByRole("status").filter({ hasText: "请写明" })).toBeVisible();
  await coord.getByLabel("原因（必填，会记录在审计日志中）").fill("街道核对独居老人名单");
  const named = coord.waitForEvent("download");
  await coord.getByRole("button", { name: "导出走访（CSV）" }).click();
  expect(readFileSync((await (await named).path())!, "utf8")).toContain("赵爷爷");

  // The review: by volunteer, by "needs attention", by open follow-up; a visit's full record.
  await mainNav(coord).getByRole("link", { name: "查看记录" }).click();
  await expect(coord.locator("#review-count")).toHaveText("找到 3 次走访、1 场活动。");
  await expect(coord.getByRole("list", { name: "活动" })).toContainText("反诈宣传进社区");
  await coord.getByLabel("志愿者姓名").fill("李四");
  await expect(coord.locator("#review-count")).toHaveText("找到 1 次走访、0 场活动。");
  await coord.getByLabel("志愿者姓名").fill("");
  await coord.getByLabel("只看需关注或紧急").check();
  await expect(coord.locator("#review-count")).toHaveText("找到 1 次走访、0 场活动。");
  await coord.getByLabel("只看需关注或紧急").uncheck();
  await coord.getByLabel("服务内容").selectOption({ label: "聊天陪伴" });
  await expect(coord.locator("#review-count")).toHaveText("找到 2 次走访、0 场活动。");
  await coord.getByLabel("服务内容").selectOption({ label: "全部" });
  await coord.getByLabel("住户（地址或居民姓名）").fill("7幢");
  await coord.getByLabel("只看有未完成跟进的").check();
  await expect(coord.locator("#review-count")).toHaveText("找到 1 次走访、0 场活动。");
  await coord.screenshot({ path: `${SHOTS}/review-zh-CN.png`, fullPage: true });
  await coord.getByRole("list", { name: "已保存的走访" }).getByRole("link").first().click();
  const record = coord.getByRole("region", { name: /走访记录/ });
  await expect(record).toContainText("水管漏水好几天了");
  await expect(record).toContainText("紧急");
  await expect(record).toContainText("联系物业修水管");
  await expect(record).toContainText("李四");
  await expect(record.getByRole("button", { name: "已完成：联系物业修水管" })).toBeVisible();

  // Assign the household to a volunteer; the volunteer's phone shows it after a sync.
  await record.getByRole("link", { name: "幸福社区 7幢 101室" }).click();
  await coord.getByRole("link", { name: "编辑" }).first().click();
  await coord.getByLabel("负责志愿者").fill("李四");
  await coord.getByRole("button", { name: "保存住户" }).click();
  await expect(coord.getByText("负责志愿者：李四")).toBeVisible();
  await expect(status(coord)).toContainText("已全部同步");
  // The households of one volunteer, found by the volunteer's name (to reassign them).
  await mainNav(coord).getByRole("link", { name: "住户" }).click();
  await coord.getByLabel("搜索住户（地址或姓名）").fill("李四");
  const found = coord.getByRole("list", { name: /住户/ }).getByRole("listitem");
  await expect(found).toHaveCount(1);
  await expect(found).toContainText("7幢");
  await expect(found).toContainText("负责志愿者：李四");
  await vol2.getByRole("button", { name: "立即同步" }).click();
  await expect(status(vol2)).toContainText("已全部同步");
  await reload(vol2);
  await mainNav(vol2).getByRole("link", { name: "住户" }).click();
  await vol2.getByRole("link", { name: /7幢/ }).click();
  await expect(vol2.getByText("负责志愿者：李四")).toBeVisible();
  // The volunteer who logged it closes the follow-up from the household's page.
  const followUps = vol2.getByRole("region", { name: "后续跟进" });
  await expect(followUps).toContainText("联系物业修水管");
  await followUps.getByRole("button", { name: "已完成：联系物业修水管" }).click();
  await expect(followUps).toHaveCount(0);
  await expect(status(vol2)).toContainText("已全部同步");
  await coord.getByRole("button", { name: "立即同步" }).click();
  await expect(status(coord)).toContainText("已全部同步");
  // Volunteers do not see the coordinator's tabs.
  await expect(mainNav(vol2).getByRole("link", { name: "统计" })).toHaveCount(0);
  await vol2.goto("/dashboard");
  await unlockIfLocked(vol2);
  await expect(vol2.getByRole("alert").filter({ hasText: "这一页只给负责人使用。" })).toBeVisible();
  // Also the devices page: told plainly, not "the server had a problem" after its 403.
  await vol2.goto("/devices");
  await unlockIfLocked(vol2);
  await expect(vol2.getByRole("alert").filter({ hasText: "这一页只给负责人使用。" })).toBeVisible();
  await expect(vol2.getByText("服务器出错了")).toHaveCount(0);
  await expect(vol2.getByRole("heading", { name: "服务队统计" })).toHaveCount(0);

  // Offline, the dashboard still opens from the phone's data; exports wait for a connection.
  await coordCtx.setOffline(true);
  await coord.goto("/dashboard");
  await reload(coord);
  await expect(figure(coord, "走访次数")).toHaveText("3");
  await expect(figure(coord, "未完成的跟进")).toHaveText("0");
  await expect(coord.getByText("导出和报告需要联网，由服务器生成。")).toBeVisible();
  await expect(coord.getByRole("button", { name: "导出走访（Excel）" })).toBeDisabled();

  // A desktop browser: the same page, wider.
  await coordCtx.setOffline(false);
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", baseURL });
  const deskPage = await desk.newPage();
  await openControlled(deskPage, "/", team.coordinator, "协调员电脑");
  await expect(status(deskPage)).toContainText("已全部同步");
  await mainNav(deskPage).getByRole("link", { name: "统计" }).click();
  await expect(figure(deskPage, "走访次数")).toHaveText("3");
  await deskPage.screenshot({ path: `${SHOTS}/dashboard-desktop-zh-CN.png`, fullPage: true });
  await desk.close();
  await ctx2.close();
  await coordCtx.close();
  void context;
});

test("a visit changed offline by its volunteer and by the coordinator: the review leads to it, the coordinator picks a value", async ({ page, context, browser, request }, info) => {
  const team = newTeam();
  await openControlled(page, "/", team.volunteer);
  await addHousehold(page, { community: "幸福社区", building: "9幢", room: "303室", name: "孙奶奶" });
  await logVisit(page, "张三", "腿疼");
  await expect(status(page)).toContainText("已全部同步");
  const [coordCtx, coord] = await phone(browser, info.project.use.baseURL);
  await openControlled(coord, "/", team.coordinator);
  await expect(status(coord)).toContainText("已全部同步");

  // Both offline, both change the visit's notes.
  await context.setOffline(true);
  await coordCtx.setOffline(true);
  await page.getByRole("link", { name: "编辑这次走访" }).click();
  await page.getByLabel("备注").fill("带了膏药");
  await page.getByRole("button", { name: "保存走访" }).click();
  await expect(page.getByRole("list", { name: /走访记录/ })).toBeVisible();
  await mainNav(coord).getByRole("link", { name: "查看记录" }).click();
  await coord.getByRole("list", { name: "已保存的走访" }).getByRole("link").first().click();
  await coord.getByRole("link", { name: "编辑这次走访" }).click();
  await coord.getByLabel("备注").fill("已联系家属");
  await coord.getByRole("button", { name: "保存走访" }).click();
  await expect(coord.getByRole("heading", { name: "幸福社区 9幢 303室" })).toBeVisible();

  // Back online: the volunteer's change first, then the coordinator's; a pull shows both.
  await context.setOffline(false);
  await expect(status(page)).toContainText("已全部同步");
  await coordCtx.setOffline(false);
  await expect(status(coord)).toContainText("已全部同步");
  await coord.getByRole("button", { name: "立即同步" }).click();
  await expect(status(coord)).toContainText("已全部同步");

  await mainNav(coord).getByRole("link", { name: "查看记录" }).click();
  await coord.getByRole("region", { name: "待处理的同步冲突" }).getByRole("link", { name: /幸福社区 9幢 303室/ }).click();
  const card = coord.getByRole("region", { name: "两台手机同时改了这些内容，请选定一个" });
  await expect(card).toContainText("备注");
  await expect(card.getByRole("button", { name: "用这个：已联系家属" })).toBeVisible();
  await card.getByRole("button", { name: "用这个：带了膏药" }).click();
  await expect(card).toHaveCount(0);
  await expect(coord.getByRole("region", { name: /走访记录/ })).toContainText("带了膏药");
  await expect(status(coord)).toContainText("已全部同步");

  // The server keeps the choice, with no conflict left.
  const login = await request.post("/api/v1/login", {
    data: { username: team.coordinator.username, password: team.coordinator.password, device_name: "协调员电脑" },
  });
  const auth = { Authorization: `Bearer ${(await login.json()).token}` };
  const visits = (await (await request.get("/api/v1/visits", { headers: auth })).json()).items;
  expect(visits[0].notes).toBe("带了膏药");
  expect(visits[0].conflicts).toBeUndefined();
  await coordCtx.close();
});

test.describe("in English, at 200 % font size", () => {
  test.use({ locale: "en-US" });

  test("the dashboard and the review read in English and nothing overflows sideways", async ({ page }) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Page.setFontSizes", { fontSizes: { standard: 32 } });
    await openControlled(page, "/", newTeam().coordinator);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByRole("heading", { name: "Team dashboard" })).toBeVisible();
    await expect(figure(page, "Visits")).toHaveText("0");
    await expect(bar(page, "Services given, by kind", /Haircut/)).toContainText("0");
    await expect(page.getByRole("table", { name: "Households not visited for" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Export visits (Excel)" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const button = await page.getByRole("button", { name: "Export visits (Excel)" }).boundingBox();
    expect(button!.height).toBeGreaterThanOrEqual(48);
    await page.screenshot({ path: `${SHOTS}/dashboard-en-US-200pct.png`, fullPage: true });

    await nav.getByRole("link", { name: "Review" }).click();
    await expect(page.getByRole("heading", { name: "Review records" })).toBeVisible();
    await expect(page.getByLabel("Volunteer's name")).toBeVisible();
    await expect(page.getByLabel("Only needs attention or urgent")).toBeVisible();
    await expect(page.locator("#review-count")).toHaveText("0 visits, 0 events.");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  });
});
