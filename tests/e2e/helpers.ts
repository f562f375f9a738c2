import { expect, type Page } from "@playwright/test";

/** Opens the app and waits until the service worker controls the page. */
export async function openControlled(page: Page, path = "/") {
  await page.goto(path);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
}

/** Logs a visit through the form, as a volunteer would. */
export async function logVisit(page: Page, address: string, note: string, zh = true) {
  await page.getByLabel(zh ? "住户地址" : "Household address").fill(address);
  await page.getByLabel(zh ? "走访记录" : "Visit note").fill(note);
  await page.getByRole("button", { name: zh ? "保存" : "Save" }).click();
}

export function savedList(page: Page) {
  return page.getByRole("list", { name: /已保存的走访|Saved visits/ });
}

export async function expectListed(page: Page, addresses: string[]) {
  const list = savedList(page);
  for (const a of addresses) await expect(list.getByText(a, { exact: true })).toBeVisible();
  await expect(list.getByRole("listitem")).toHaveCount(addresses.length);
}
