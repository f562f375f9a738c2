import { test, expect, devices, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { mainNav, newTeam, setPeople, signIn, type Account } from "./helpers";

// Issue 16's story with the real server, in both languages: two volunteers log visits with
// times and an event with one person's own hours; the coordinator's hours screen and the
// XLSX show exactly those hours; a person added on the spot is there to check; renamed, the
// new name shows everywhere.

const SHOTS = "tests/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });
const status = (page: Page) => page.getByTestId("sync-status");

const WORDS = {
  zh: {
    households: "住户", addHousehold: "添加住户", community: "社区", building: "楼/幢", room: "室",
    name: "姓名或称呼", saveHousehold: "保存住户", logVisit: "记录走访", start: "开始时间", end: /^结束时间/,
    chat: "聊天陪伴", saveVisit: "保存走访", logAnother: "再记录一次这户的走访", events: "活动", addEvent: "添加活动", title: "活动名称",
    eventStart: "开始时间（可不填）", eventEnd: "结束时间（可不填）", saveEvent: "保存活动", synced: "已全部同步",
    chosen: "已选志愿者", volunteers: "志愿者", members: "成员", roster: "服务队成员名册", personName: "姓名", checked: "已核对无误",
    savePerson: "保存成员", toCheck: "待核对", dashboard: "统计", hours: "服务时长", review: "查看记录",
    savedVisits: "已保存的走访", byUnit: "按合作单位", byCommunity: "按社区", twoVisits: "2 次（1 户）", serviceRecords: "下载志愿服务记录（可打印）", recordTitle: "志愿服务记录", exportHours: "导出服务时长（Excel）",
    hoursOf: (n: string) => `${n}的时长（小时，留空为全程）`,
  },
  en: {
    households: "Households", addHousehold: "Add household", community: "Community", building: "Building", room: "Room",
    name: "Name, or how they like to be called", saveHousehold: "Save household", logVisit: "Log a visit",
    start: "Started at", end: /^Ended at/, chat: "Companionship chat", saveVisit: "Save visit", logAnother: "Log another visit to this household", events: "Events",
    addEvent: "Add event", title: "Title", eventStart: "Start time (optional)", eventEnd: "End time (optional)",
    saveEvent: "Save event", synced: "All synced", chosen: "Volunteers chosen", volunteers: "Volunteers", members: "Members",
    roster: "Team roster", personName: "Name", checked: "Checked", savePerson: "Save", toCheck: "To check",
    dashboard: "Dashboard", hours: "Service hours", review: "Review", savedVisits: "Saved visits",
    byUnit: "By partner unit", byCommunity: "By community", twoVisits: "2 (1 household)", serviceRecords: "Download the volunteer service records (printable)", recordTitle: "Volunteer service record", exportHours: "Export service hours (Excel)",
    hoursOf: (n: string) => `Hours of ${n} (empty: the whole event)`,
  },
};

/** The first sheet of an XLSX as rows of cell texts (Python's standard library reads it). */
function xlsxRows(path: string): string[][] {
  const script = `
import sys, zipfile, json, re, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1]); ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    shared = ["".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
rows = []
for r in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter("{%s}row" % ns["m"]):
    row = {}
    for c in r.findall("m:c", ns):
        col = ord(re.match("[A-Z]", c.get("r")).group(0)) - 65
        if c.get("t") == "inlineStr": row[col] = "".join(t.text or "" for t in c.iter("{%s}t" % ns["m"]))
        elif c.get("t") == "s": row[col] = shared[int(c.find("m:v", ns).text)]
        else:
            v = c.find("m:v", ns); row[col] = v.text if v is not None else ""
    rows.append([row.get(i, "") for i in range(max(row, default=-1) + 1)])
print(json.dumps(rows))`;
  return JSON.parse(execFileSync("python3", ["-c", script, path]).toString());
}

for (const lang of ["zh", "en"] as const) {
  const w = WORDS[lang];
  const locale = lang === "zh" ? "zh-CN" : "en-US";

  test(`${locale}: hours from visits with times and an event with one person's own hours; added on the spot, checked, renamed`, async ({ browser }, info) => {
    test.setTimeout(180_000);
    const team = newTeam();
    const open = async (who: Account) => {
      const ctx = await browser.newContext({ ...devices["Pixel 7"], locale, baseURL: info.project.use.baseURL });
      const p = await ctx.newPage();
      await p.goto("/");
      await signIn(p, who);
      await expect(status(p)).toContainText(w.synced, { timeout: 30_000 });
      return [ctx, p] as const;
    };
    const nav = (p: Page, name: string) => mainNav(p).getByRole("link", { name, exact: true });

    // Volunteer 1: a household, a visit 09:00–10:30 with 王阿姨 from the community, new.
    const [c1, v1] = await open(team.volunteer);
    await nav(v1, w.households).click();
    await v1.getByRole("link", { name: w.addHousehold }).click();
    await v1.getByLabel(w.community, { exact: true }).fill("东亭社区");
    await v1.getByLabel(w.building).fill("1幢");
    await v1.getByLabel(w.room, { exact: true }).fill("101室");
    await v1.getByLabel(w.name).fill("孙奶奶");
    await v1.getByRole("button", { name: w.saveHousehold }).click();
    await v1.getByRole("link", { name: w.logVisit }).click();
    const chosen = v1.getByRole("list", { name: w.chosen });
    // The signed-in volunteer is pre-filled.
    await expect(chosen.getByRole("listitem")).toHaveCount(1);
    await expect(chosen).toContainText("测试志愿者");
    await v1.getByLabel(w.start).fill("09:00");
    await v1.getByLabel(w.end).fill("10:30");
    await v1.getByLabel(w.chat).check();
    const search = v1.getByLabel(lang === "zh" ? "添加志愿者（输入姓名中的字）" : "Add a volunteer (type part of the name)");
    await search.fill("王阿姨");
    await v1.getByRole("button", { name: lang === "zh" ? "添加新成员“王阿姨”（待负责人核对）" : "Add “王阿姨” as a new member (to be checked)" }).click();
    await expect(chosen.getByRole("listitem")).toHaveCount(2);
    await expect(chosen).toContainText(w.toCheck);
    await v1.getByRole("group", { name: w.volunteers, exact: true }).screenshot({ path: `${SHOTS}/visit-people-${locale}.png` });
    await v1.getByRole("button", { name: w.saveVisit }).click();
    await expect(status(v1)).toContainText(w.synced, { timeout: 30_000 });
    await c1.close();

    // Volunteer 2: a visit 14:00–14:45 alone (as pre-filled), and an event 09:00–12:00
    // with volunteer 1, who came for 1.5 hours.
    const [c2, v2] = await open(team.volunteer2);
    await nav(v2, w.households).click();
    await v2.getByRole("list", { name: new RegExp(w.households) }).getByRole("link").first().click();
    // "Log another visit" brings who went last time; this time 第二志愿者 went alone.
    await v2.getByRole("link", { name: w.logAnother }).click();
    await expect(v2.getByRole("list", { name: w.chosen }).getByRole("listitem")).toHaveCount(3);
    await setPeople(v2, "第二志愿者");
    await v2.getByLabel(w.start).fill("14:00");
    await v2.getByLabel(w.end).fill("14:45");
    await v2.getByLabel(w.chat).check();
    await v2.getByRole("button", { name: w.saveVisit }).click();
    await nav(v2, w.events).click();
    await v2.getByRole("link", { name: w.addEvent }).click();
    await v2.getByLabel(w.title).fill("便民服务日");
    await v2.getByLabel(w.eventStart).fill("09:00");
    await v2.getByLabel(w.eventEnd).fill("12:00");
    await v2.getByLabel("派出所").check();
    const search2 = v2.getByLabel(lang === "zh" ? "添加志愿者（输入姓名中的字）" : "Add a volunteer (type part of the name)");
    await search2.fill("测试");
    await v2.getByRole("button", { name: "测试志愿者", exact: true }).click();
    await v2.getByLabel(w.hoursOf("测试志愿者")).fill("1.5");
    await expect(v2.getByLabel(w.hoursOf("第二志愿者"))).toHaveAttribute("placeholder", "3.0");
    await v2.getByRole("group", { name: w.volunteers, exact: true }).screenshot({ path: `${SHOTS}/event-people-${locale}.png` });
    await v2.getByRole("button", { name: w.saveEvent }).click();
    await expect(status(v2)).toContainText(w.synced, { timeout: 30_000 });
    await c2.close();

    // The coordinator: 王阿姨 to check; hours on the dashboard, exactly.
    const [c3, co] = await open(team.coordinator);
    await nav(co, w.dashboard).click();
    const hours = co.getByRole("table", { name: w.hours });
    const row = (name: string) => hours.getByRole("row", { name: new RegExp(name) });
    await expect(row("测试志愿者")).toContainText("3.0");
    await expect(row("第二志愿者")).toContainText("3.8");
    await expect(row("王阿姨")).toContainText("1.5");
    // Each partner's share, and the visits by community.
    const byUnit = co.getByRole("table", { name: w.byUnit });
    await expect(byUnit.getByRole("row", { name: /派出所/ })).toContainText(/派出所\s*0\D.*1$/);
    const byCommunity = co.getByRole("table", { name: w.byCommunity });
    await expect(byCommunity.getByRole("row", { name: /东亭社区/ })).toContainText(w.twoVisits);
    await co.getByRole("region", { name: w.byUnit }).screenshot({ path: `${SHOTS}/shares-${locale}.png` });
    const download = co.waitForEvent("download");
    await co.getByRole("button", { name: w.exportHours }).click();
    const sheet = xlsxRows((await (await download).path())!);
    // One row per person per activity: name, phone, day, start, end, hours, activity.
    const lines = sheet.slice(1).map((r) => [r[0], r[3], r[4], r[5]].join(" ")).sort();
    expect(lines).toEqual([
      "王阿姨 09:00 10:30 1.5",
      "测试志愿者 09:00 10:30 1.5",
      "测试志愿者 09:00 12:00 1.5",
      "第二志愿者 09:00 12:00 3.0",
      "第二志愿者 14:00 14:45 0.8",
    ].sort());

    // The printable 志愿服务记录: one section per person, every activity.
    const records = co.waitForEvent("download");
    await co.getByRole("button", { name: w.serviceRecords }).click();
    const page = readFileSync((await (await records).path())!, "utf8");
    expect(page).toContain(`<h1>${w.recordTitle}</h1>`);
    expect(page).toContain("<h2>测试志愿者</h2>");
    expect(page).toMatch(/<td>\d{4}-\d\d-\d\d<\/td><td>09:00<\/td><td>12:00<\/td><td>1\.5<\/td><td>便民服务日<\/td>/);

    await nav(co, w.members).click();
    await co.getByRole("link", { name: w.roster }).click();
    const people = co.getByRole("list", { name: new RegExp(w.roster) });
    await expect(people.getByRole("listitem").first()).toContainText("王阿姨");
    await expect(people.getByRole("listitem").first()).toContainText(w.toCheck);
    await people.getByRole("link", { name: /王阿姨/ }).click();
    await co.getByLabel(w.personName, { exact: true }).fill("王秀英");
    await co.getByLabel(w.checked).check();
    await co.getByRole("button", { name: w.savePerson }).click();
    await expect(people.getByRole("link", { name: /王秀英/ })).not.toContainText(w.toCheck);

    // Renamed everywhere: the visit, the review, the hours.
    await nav(co, w.review).click();
    const visits = co.getByRole("list", { name: w.savedVisits });
    await expect(visits).toContainText("王秀英");
    await expect(visits).not.toContainText("王阿姨");
    await visits.getByRole("link", { name: /王秀英/ }).click();
    await expect(co.getByText(/测试志愿者.{1,2}王秀英/)).toBeVisible();
    await nav(co, w.dashboard).click();
    await expect(row("王秀英")).toContainText("1.5");
    await expect(hours).not.toContainText("王阿姨");
    await expect(status(co)).toContainText(w.synced, { timeout: 30_000 });
    await c3.close();
  });
}
