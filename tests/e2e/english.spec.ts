import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { openControlled, reload, setPeople } from "./helpers";

const SHOTS = "tests/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });

test.use({ locale: "en-US" });

test("in English: add a household, log a visit with blood pressure and two supplies, edit, delete, reload offline", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Households", exact: true }).click();
  await page.getByRole("link", { name: "Add household" }).click();
  await page.getByLabel("Community").fill("Xingfu Community");
  await page.getByLabel("Building").fill("3");
  await page.getByLabel("Room").fill("401");
  await page.getByLabel("Name, or how they like to be called").fill("Grandma Wang");
  await page.getByLabel("Basis for keeping this data", { exact: true }).selectOption({ label: "Written consent" });
  await page.getByLabel("Recorded on").fill("2026-11-01");
  await page.getByLabel("Recorded by").fill("Coordinator Li");
  await page.getByRole("button", { name: "Save household" }).click();
  await expect(page.getByRole("heading", { name: "Xingfu Community 3 401" })).toBeVisible();
  await nav.getByRole("link", { name: "Households", exact: true }).click();
  await expect(page.getByRole("list", { name: /Households/ }).getByRole("listitem")).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/households-en-US.png`, fullPage: true });
  // Never visited: due today on Home.
  await nav.getByRole("link", { name: "Home", exact: true }).click();
  const due = page.getByRole("list", { name: /Due/ });
  await expect(due.getByRole("listitem")).toHaveCount(1);
  await expect(due).toContainText("Today");
  await due.getByRole("link", { name: /Xingfu Community 3 401/ }).click();
  await expect(page.getByTestId("visit-household")).toHaveText("Xingfu Community 3 401");
  await setPeople(page, "Zhang San, Li Si");
  await page.getByLabel("Companionship chat").check();
  await page.getByLabel("Daily necessities delivered").check();
  await page.getByLabel("Item").fill("Rice");
  await page.getByLabel("Quantity").fill("2");
  await page.getByLabel("Unit (bag, bottle…)").fill("bags");
  await page.getByRole("button", { name: "Add another item" }).click();
  await page.getByLabel("Item").nth(1).fill("Cooking oil");
  await page.getByLabel("Quantity").nth(1).fill("1");
  await page.getByLabel("Unit (bag, bottle…)").nth(1).fill("bottle");
  await page.getByLabel("Blood pressure check").check();
  await page.getByLabel("Systolic (mmHg)").fill("300");
  await page.getByLabel("Diastolic (mmHg)").fill("85");
  await page.getByRole("button", { name: "Save visit" }).click();
  await expect(page.locator("#bp-systolic-error")).toHaveText("Must be between 60 and 260");
  await expect(page.getByLabel("Systolic (mmHg)")).toHaveValue("300");
  await page.screenshot({ path: `${SHOTS}/visit-form-error-en-US.png`, fullPage: true });

  await page.getByLabel("Systolic (mmHg)").fill("130");
  await page.getByRole("button", { name: "Save visit" }).click();
  const history = page.getByRole("list", { name: /Visit history/ });
  await expect(history).toContainText("Companionship chat · Blood pressure check 130/85");
  await expect(history).toContainText("Rice 2 bags");
  await expect(history).toContainText("Cooking oil 1 bottle");
  await expect(history).toContainText("Zhang San, Li Si");
  await page.screenshot({ path: `${SHOTS}/household-page-en-US.png`, fullPage: true });

  // Visited today: off the due list.
  await nav.getByRole("link", { name: "Home", exact: true }).click();
  await expect(page.getByText("No household is due this week.")).toBeVisible();

  // Edit the visit, then delete it and undo.
  await nav.getByRole("link", { name: "Households", exact: true }).click();
  await page.getByRole("link", { name: /Xingfu Community 3 401/ }).click();
  await history.getByRole("link", { name: "Edit this visit" }).click();
  await expect(page.getByLabel("Item").nth(1)).toHaveValue("Cooking oil");
  await page.getByLabel("Resident's words").fill("Glad you came");
  await page.getByRole("button", { name: "Save visit" }).click();
  await expect(history).toContainText("Glad you came");
  await history.getByRole("button", { name: "Delete this visit" }).click();
  await expect(page.getByText("No visits yet")).toBeVisible();
  await page.getByRole("status").filter({ hasText: "A visit was deleted." }).getByRole("button", { name: "Undo" }).click();
  await expect(history.getByRole("listitem")).toHaveCount(1);

  // Everything is still there after an offline reload.
  await reload(page);
  await expect(history).toContainText("Glad you came");
  await expect(history).toContainText("Cooking oil 1 bottle");
  // Five changes to records, and the two volunteers added on the spot.
  await expect(page.getByRole("status").filter({ hasText: "Waiting to sync" })).toHaveText("Waiting to sync (7)");
});

test("in English: log an event with tallies, see it listed, delete and undo", async ({ page, context }) => {
  await openControlled(page);
  await context.setOffline(true);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Events", exact: true }).click();
  await expect(page.getByText("No events yet.")).toBeVisible();
  await page.getByRole("link", { name: "Add event" }).click();
  await page.getByLabel("Kind of event").selectOption({ label: "Convenience service day" });
  await page.getByLabel("Date").fill("2026-11-21");
  await page.getByLabel("Place").fill("Xingfu Community square");
  await page.getByLabel("社区卫生服务中心", { exact: true }).check();
  await setPeople(page, "Zhang San, Li Si");
  await page.getByLabel("Attendance", { exact: true }).fill("45");
  for (let i = 0; i < 12; i++) await page.getByRole("button", { name: "More Haircuts" }).click();
  await page.getByRole("button", { name: "Fewer Haircuts" }).click();
  await page.getByLabel("Blood pressure checks", { exact: true }).fill("30");
  // No title: the error is next to the field, the counts are kept.
  await page.getByRole("button", { name: "Save event" }).click();
  await expect(page.locator("#event-title-error")).toHaveText("Required");
  await expect(page.getByLabel("Haircuts", { exact: true })).toHaveValue("11");
  await page.getByLabel("Title").fill("Free haircuts and BP checks");
  await page.screenshot({ path: `${SHOTS}/event-form-en-US.png`, fullPage: true });
  await page.getByRole("button", { name: "Save event" }).click();

  const rows = page.getByRole("list", { name: "Events" }).getByRole("listitem");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Free haircuts and BP checks");
  await expect(rows.first()).toContainText("2026-11-21 · Convenience service day · Attendance 45");
  await page.screenshot({ path: `${SHOTS}/events-en-US.png`, fullPage: true });
  await rows.first().getByRole("button", { name: "Delete this event" }).click();
  await expect(rows).toHaveCount(0);
  await page.getByRole("status").filter({ hasText: "An event was deleted." }).getByRole("button", { name: "Undo" }).click();
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole("link").click();
  await expect(page.getByLabel("Haircuts", { exact: true })).toHaveValue("11");
  await expect(page.getByLabel("Blood pressure checks", { exact: true })).toHaveValue("30");
});
