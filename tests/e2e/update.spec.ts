import { test, expect, type Page } from "@playwright/test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OwnServer } from "./server";
import { addHousehold, nav, signIn, reload, unlockIfLocked, VOLUNTEER } from "./helpers";

/** Publishes a "new version": a service worker with other bytes (and no stale .br/.gz). */
function publish(server: OwnServer, version: string) {
  const sw = join(server.dist, "sw.js");
  const text = readFileSync(sw, "utf8").replace(/const VERSION = "[^"]*";/, `const VERSION = "${version}";`);
  writeFileSync(sw, text);
  rmSync(`${sw}.br`, { force: true });
  rmSync(`${sw}.gz`, { force: true });
}

// Null while the page is between documents (the update reloads it).
const shellCaches = (page: Page) => page.evaluate(() => caches.keys()).catch(() => null);

test("a new version waits, offers a reload, and takes over on reload or next start", async ({ page, context }, info) => {
  const server = new OwnServer(18090 + info.parallelIndex);
  await server.start();
  try {
    await page.goto(server.url);
    await signIn(page, VOLUNTEER);
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null);
    await addHousehold(page, { community: "幸福社区", building: "8幢", room: "801室", name: "赵奶奶" });
    const [first] = await shellCaches(page);

    publish(server, "e2e0000000000002");
    await reload(page);
    const banner = page.getByRole("alert").filter({ hasText: "有新版本可用" });
    await expect(banner).toBeVisible();
    // Still the old version in charge until the volunteer says so.
    expect(await shellCaches(page)).toContain(first);

    await Promise.all([
      page.waitForEvent("load"),
      banner.getByRole("button", { name: "重新加载" }).click(),
    ]);
    await expect.poll(() => shellCaches(page)).toEqual(["doorstep-shell-e2e0000000000002"]);
    await expect(banner).toBeHidden();
    await unlockIfLocked(page);
    await nav(page, "住户").click();
    await expect(page.getByText("幸福社区 8幢 801室")).toBeVisible();

    // Next start: with every page closed, the waiting version activates by itself.
    publish(server, "e2e0000000000003");
    await reload(page);
    await expect(page.getByRole("alert").filter({ hasText: "有新版本可用" })).toBeVisible();
    await page.close();
    const next = await context.newPage();
    await expect.poll(async () => {
      await next.goto(server.url);
      return shellCaches(next);
    }, { timeout: 20_000 }).toEqual(["doorstep-shell-e2e0000000000003"]);
    await unlockIfLocked(next);
    await nav(next, "住户").click();
    await expect(next.getByText("幸福社区 8幢 801室")).toBeVisible();
  } finally {
    server.stop();
  }
});
