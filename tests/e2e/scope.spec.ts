import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { addHousehold, nav, newTeam, openControlled, phone, signIn, storedText, unlockIfLocked, uuid7, type Account } from "./helpers";

/** Households stored on the phone (their keys: the values are sealed). */
const householdsOnPhone = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("doorstep/v1/households/r/")).length);

// Which households a volunteer's phone holds (doorstep_core::sync::scope): a coordinator
// gives the volunteer communities on the members page; their phone then holds only those
// communities' households (and those the volunteer added), with their visits — nothing of
// the others is in its storage — and all of them again once the coordinator clears the choice.

/** Three households of 东亭社区 and two of 西园社区, each visited yesterday, pushed through the
 * server as a coordinator's phone would. */
async function seed(request: APIRequestContext, coordinator: Account) {
  const login = await request.post("/api/v1/login", {
    data: { username: coordinator.username, password: coordinator.password, device_name: "导入住户的电脑" },
  });
  expect(login.status()).toBe(200);
  const headers = { Authorization: `Bearer ${(await login.json()).token}` };
  const now = Date.now();
  const day = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const records: { kind: string; record: Record<string, unknown> }[] = [];
  for (const [community, n] of [["东亭社区", 3], ["西园社区", 2]] as const) {
    for (let i = 1; i <= n; i++) {
      const id = uuid7(now);
      const name = `${community.slice(0, 2)}居民${i}`;
      records.push({ kind: "household", record: { id, address: { community, building: `${i}幢`, room: "101室" },
        residents: [{ name }], created_at: now, updated_at: now, author: "" } });
      records.push({ kind: "visit", record: { id: uuid7(now), household_id: id, day, volunteers: ["王芳"],
        services: { companionship_chat: true }, residents_words: `${name}说身体还好`, created_at: now, updated_at: now, author: "" } });
    }
  }
  const mutations = records.map(({ kind, record }, i) => ({
    seq: i + 1, at: now, op: { put: { kind, id: record.id, base: 0, record } },
  }));
  const res = await request.post("/api/v1/sync/push", { headers, data: { protocol: 1, mutations } });
  expect(res.status()).toBe(200);
  expect((await res.json()).outcomes.filter((o: { rejected?: unknown }) => o.rejected)).toEqual([]);
}

const status = (page: import("@playwright/test").Page) => page.getByTestId("sync-status");

test("a volunteer given a community holds only its households; cleared, every household again", async ({ page, browser, baseURL, request }, info) => {
  test.setTimeout(120_000);
  const team = newTeam();
  await seed(request, team.coordinator);

  // The coordinator's phone holds every household: its communities are the choices.
  const [coordContext, coord] = await phone(browser, baseURL);
  await coord.goto("/");
  await signIn(coord, team.coordinator, "负责人的手机");
  await expect(status(coord)).toContainText("已全部同步", { timeout: 30_000 });
  await coord.goto("/members");
  await unlockIfLocked(coord);
  const row = coord.getByRole("listitem").filter({ hasText: team.volunteer.username });
  await expect(row).toContainText("负责的社区：全部住户");
  await row.getByRole("button", { name: `设置社区：${team.volunteer.name}` }).click();
  const choice = row.getByRole("group", { name: `${team.volunteer.name}负责的社区` });
  await expect(choice.getByRole("checkbox")).toHaveCount(2);
  await choice.getByRole("checkbox", { name: "东亭社区" }).check();
  await choice.scrollIntoViewIfNeeded();
  await coord.screenshot({ path: info.outputPath("members-choose-communities.png") });
  await choice.getByRole("button", { name: "保存社区" }).click();
  await expect(row).toContainText("负责的社区：东亭社区");
  await row.scrollIntoViewIfNeeded();
  await coord.screenshot({ path: info.outputPath("members-communities.png") });

  // The volunteer's new phone: 东亭社区's three households and visits, nothing of 西园社区.
  await openControlled(page, "/", team.volunteer);
  await expect(status(page)).toContainText("已全部同步", { timeout: 30_000 });
  await nav(page, "住户").click();
  await expect(page.getByRole("link", { name: /东亭社区 \d幢 101室/ })).toHaveCount(3);
  await expect(page.getByText("西园社区")).toHaveCount(0);
  await expect(page.getByTestId("scope-note")).toHaveText("这部手机只保存东亭社区的住户和你添加的住户（由负责人设置）。");
  await page.screenshot({ path: info.outputPath("households-scoped.png") });
  // What the storage holds (sealed, so counted by key): those three households, no other.
  expect(await householdsOnPhone(page)).toBe(3);
  expect(await storedText(page)).not.toContain("西园");

  // A household the volunteer adds elsewhere is theirs: it stays after a sync.
  await addHousehold(page, { community: "南湖社区", building: "9幢", room: "902室", name: "新住户" });
  await page.getByRole("button", { name: "立即同步" }).click();
  await expect(status(page)).toContainText("已全部同步");
  await nav(page, "住户").click();
  await expect(page.getByRole("link", { name: /南湖社区 9幢 902室/ })).toBeVisible();

  // Cleared: every household at the next sync.
  await coord.reload();
  await unlockIfLocked(coord);
  await row.getByRole("button", { name: `设置社区：${team.volunteer.name}` }).click();
  await choice.getByRole("checkbox", { name: "东亭社区" }).uncheck();
  await choice.getByRole("button", { name: "保存社区" }).click();
  await expect(row).toContainText("负责的社区：全部住户");
  await coordContext.close();
  await page.getByRole("button", { name: "立即同步" }).click();
  await expect(page.getByRole("link", { name: /西园社区 \d幢 101室/ })).toHaveCount(2, { timeout: 30_000 });
  await expect(status(page)).toContainText("已全部同步");
  await expect(page.getByTestId("scope-note")).toHaveCount(0);
  expect(await householdsOnPhone(page)).toBe(6);
});
