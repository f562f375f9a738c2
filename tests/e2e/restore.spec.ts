import { test, expect } from "@playwright/test";
import { addHousehold, logVisit, signIn, VOLUNTEER } from "./helpers";
import { OwnServer } from "./server";

// The team's server is backed up while it runs (`backup --to`) and restored with it stopped
// (`restore --from`): what it lost comes back from the phone that still has it, once each
// (docs/sync-protocol.md, "Repair").

const HOME = { community: "幸福社区", building: "7幢", room: "701室", name: "钱奶奶" };

test("the server's database is restored from a backup: the phone sends back what it lost, once each", async ({ page }, info) => {
  const server = new OwnServer(18125 + info.parallelIndex);
  const status = page.getByTestId("sync-status");
  const visits = async () =>
    (await server.records()).filter((r) => r.kind === "visit").map((r) => r.record.residents_words).sort();
  try {
    await server.start();
    await page.goto(server.url);
    await signIn(page, VOLUNTEER);
    await addHousehold(page, HOME);
    await logVisit(page, "张三", "备份之前");
    await expect(status).toContainText("已全部同步", { timeout: 30_000 });
    await server.backup();
    await logVisit(page, "李四", "备份之后");
    await expect(status).toContainText("已全部同步", { timeout: 30_000 });
    expect(await visits()).toEqual(["备份之前", "备份之后"]);

    await server.restoreBackup();
    expect(await visits()).toEqual(["备份之前"]);
    // The next save syncs: its number follows ones the server forgot (a gap), so the phone
    // repairs, then resumes.
    await logVisit(page, "王五", "恢复之后");
    await expect(status).toContainText("已全部同步", { timeout: 30_000 });
    await expect.poll(visits, { timeout: 15_000 }).toEqual(["备份之前", "备份之后", "恢复之后"]);
    // Nothing refused, nothing waiting; the visit page still shows all three.
    await expect(page.getByRole("link", { name: /未能同步/ })).toHaveCount(0);
    await expect(page.getByRole("list", { name: /走访记录/ })).toContainText("备份之后");
  } finally {
    server.stop();
  }
});
