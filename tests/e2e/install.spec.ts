import { test, expect, chromium, devices } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE_URL, CHROMIUM } from "../../playwright.config";

test("first load: the service worker installs and controls the page; the app is installable", async () => {
  // Installability is only reported outside incognito: a persistent profile.
  const profile = mkdtempSync(join(tmpdir(), "doorstep-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    ...devices["Pixel 7"],
    ...CHROMIUM,
    locale: "zh-CN",
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(BASE_URL);
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
    const sw = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      const keys = await caches.keys();
      const cached = keys.length ? (await (await caches.open(keys[0])).keys()).map((r) => new URL(r.url).pathname) : [];
      return { script: reg.active?.scriptURL, keys, cached };
    });
    expect(sw.script).toBe(`${BASE_URL}/sw.js`);
    expect(sw.keys).toHaveLength(1);
    expect(sw.keys[0]).toMatch(/^doorstep-shell-[0-9a-f]{16}$/);
    // The hashed build output is precached.
    expect(sw.cached).toContain("/index.html");
    expect(sw.cached.some((p) => /^\/doorstep-[0-9a-f]{12,16}_bg\.wasm$/.test(p))).toBe(true);
    expect(sw.cached.some((p) => /^\/doorstep-[0-9a-f]{12,16}\.js$/.test(p))).toBe(true);

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);

    const manifest = await (await page.request.get(`${BASE_URL}/manifest.webmanifest`)).json();
    expect(manifest.name).toContain("Doorstep");
    expect(manifest.name).toContain("走访助手");
    expect(manifest.display).toBe("standalone");
    const icons = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes}/${i.purpose}`);
    expect(icons).toEqual(expect.arrayContaining(["192x192/any", "512x512/any", "512x512/maskable"]));
    for (const icon of manifest.icons) {
      const res = await page.request.get(`${BASE_URL}${icon.src}`);
      expect(res.headers()["content-type"]).toBe("image/png");
    }
    const apple = await page.locator('link[rel="apple-touch-icon"]').getAttribute("href");
    expect((await page.request.get(`${BASE_URL}${apple}`)).ok()).toBe(true);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
