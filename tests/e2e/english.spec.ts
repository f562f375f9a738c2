import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { openControlled } from "./helpers";

const SHOTS = "tests/e2e/screenshots";
mkdirSync(SHOTS, { recursive: true });

test.use({ locale: "en-US" });

test("in English: add a household, log a visit with an invalid then valid blood pressure", async ({ page, context }) => {
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

  await page.getByRole("link", { name: "Log a visit" }).click();
  await page.getByLabel("Volunteers (separate names with commas)").fill("Zhang San, Li Si");
  await page.getByLabel("Companionship chat").check();
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
  await expect(history).toContainText("Zhang San, Li Si");
  await page.screenshot({ path: `${SHOTS}/household-page-en-US.png`, fullPage: true });
});
