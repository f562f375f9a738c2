// Where the app was opened: WeChat's and QQ's built-in browsers get a banner that says to
// open the link in the phone's browser (and why); Safari on an iPhone gets the steps to add
// the app to the home screen; an ordinary Chromium gets neither.
import { test, expect, devices } from "@playwright/test";

const SHOTS = "tests/e2e/screenshots";
const ANDROID = devices["Pixel 7"].userAgent;
const WECHAT = `${ANDROID} XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2585 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64`;
const QQ = `${ANDROID} V1_AND_SQ_8.9.88_4852_YYB_D A_8098800 QQ/8.9.88.12985 NetType/WIFI WebP/0.3.0 AppId/537170024`;
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

for (const [app, ua] of [["微信", WECHAT], ["QQ", QQ]] as const) {
  test(`inside ${app}'s built-in browser a banner says to open the phone's browser`, async ({ browser }, info) => {
    const ctx = await browser.newContext({ ...devices["Pixel 7"], userAgent: ua, locale: "zh-CN", baseURL: info.project.use.baseURL });
    const page = await ctx.newPage();
    await page.goto("/");
    const banner = page.getByRole("alert").filter({ hasText: `你正在${app}里打开走访助手` });
    await expect(banner).toContainText("可能随时清除本机保存的记录");
    await expect(banner).toContainText("「在浏览器打开」");
    // The sign-in form is still there underneath.
    await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
    if (app === "微信") await page.screenshot({ path: `${SHOTS}/wechat-banner-zh-CN.png`, fullPage: true });
    await ctx.close();
  });
}

test("Safari on an iPhone shows how to add the app to the home screen, until it is read", async ({ browser }, info) => {
  const ctx = await browser.newContext({ ...devices["Pixel 7"], userAgent: IPHONE, locale: "zh-CN", baseURL: info.project.use.baseURL });
  const page = await ctx.newPage();
  await page.goto("/");
  const hint = page.getByRole("region", { name: "添加到主屏幕" });
  await expect(hint).toContainText("「分享」");
  await expect(hint).toContainText("「添加到主屏幕」");
  await expect(page.getByRole("alert").filter({ hasText: "你正在" })).toHaveCount(0);
  await hint.getByRole("button", { name: "知道了" }).click();
  await expect(hint).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
  await expect(page.getByRole("region", { name: "添加到主屏幕" })).toHaveCount(0);
  await ctx.close();
});

test("an ordinary phone browser gets neither", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "你正在" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "添加到主屏幕" })).toHaveCount(0);
});
