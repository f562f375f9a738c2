// The team's members in the app: an admin invites by QR code (decoded from the screen as a
// phone camera would), the new member joins on their own phone, the admin changes a role; a
// coordinator disables and enables a volunteer and makes a reset link; everyone changes
// their own password. Every step is in the audit log.
import { test, expect, type Page } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { clickSignOut, mainNav, newTeam, openAccountMenu, openControlled, phone, reload, setPin, type Account } from "./helpers";

const SHOTS = "tests/e2e/screenshots";


/** Reads the QR code on screen as a phone camera would: from its pixels. */
async function scan(page: Page, name: string): Promise<string> {
  const png = PNG.sync.read(await page.getByRole("img", { name }).screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(code, "the QR code decodes").not.toBeNull();
  return code!.data;
}

async function login(baseURL: string, who: Account, password = who.password) {
  return fetch(`${baseURL}/api/v1/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: who.username, password, device_name: "api" }),
  });
}

async function joinByLink(page: Page, url: string, fields: Record<string, string>) {
  await page.goto(url);
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

test("invite by QR code, join, change a role, disable and enable, reset a password, change one's own", async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  const baseURL = info.project.use.baseURL!;
  const team = newTeam({ admin: true });
  const admin = team.admin!;

  // The admin's members screen: the whole team.
  await openControlled(page, "/", admin);
  await mainNav(page).getByRole("link", { name: "成员" }).click();
  await expect(page.getByRole("heading", { name: "服务队成员（4）" })).toBeVisible();
  const list = page.getByRole("list", { name: /服务队成员/ });
  await expect(list.getByRole("listitem").filter({ hasText: "测试管理员" })).toContainText("（你）");

  // An invite, as a QR code that another phone can read off this screen.
  await page.getByLabel("新成员的名字").fill("赵六");
  await page.getByRole("button", { name: "生成邀请" }).click();
  const invite = page.getByRole("region", { name: "邀请二维码：赵六" });
  await expect(invite).toContainText("请赵六用自己的手机扫描二维码");
  const link = await invite.getByLabel("链接").inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL}/join#[0-9a-f]{32}$`));
  const box = await page.getByRole("img", { name: "邀请二维码" }).boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(240);
  await page.screenshot({ path: `${SHOTS}/invite-zh-CN.png`, fullPage: true });
  expect(await scan(page, "邀请二维码")).toBe(link);

  // 赵六 scans it on their own phone and joins.
  const [zhaoCtx, zhao] = await phone(browser, baseURL);
  await joinByLink(zhao, link, {
    "用户名": `zhao-${admin.username}`,
    "密码（至少 8 位）": "zhao-password-1",
    "再输一次密码": "zhao-password-1",
    "这台手机的名称（如：张三的手机）": "赵六的手机",
  });
  await expect(zhao.getByLabel("你的名字（大家看到的名字）")).toHaveValue("赵六");
  await zhao.getByRole("button", { name: "加入并登录" }).click();
  await setPin(zhao);
  await page.getByRole("button", { name: "完成" }).click();
  await expect(invite).toHaveCount(0);
  await mainNav(page).getByRole("link", { name: "首页" }).click();
  await mainNav(page).getByRole("link", { name: "成员" }).click();
  const zhaoRow = list.getByRole("listitem").filter({ hasText: "赵六" });
  await expect(zhaoRow).toContainText("1 台手机在用");
  await expect(zhaoRow).toContainText("志愿者");

  // Admins change roles.
  await zhaoRow.getByLabel("角色：赵六").selectOption({ label: "负责人" });
  await expect(zhaoRow.locator(".chip").first()).toHaveText("负责人");
  await page.screenshot({ path: `${SHOTS}/members-zh-CN.png`, fullPage: true });
  // 赵六's phone takes the new role at its next start: the coordinators' tabs appear.
  await reload(zhao);
  await expect(mainNav(zhao).getByRole("link", { name: "统计" })).toBeVisible();

  // A coordinator looks after volunteers only, and changes no roles.
  const [coordCtx, coord] = await phone(browser, baseURL);
  await openControlled(coord, "/", team.coordinator);
  await mainNav(coord).getByRole("link", { name: "成员" }).click();
  const coordList = coord.getByRole("list", { name: /服务队成员/ });
  await expect(coordList.getByRole("listitem")).toHaveCount(5);
  await expect(coord.getByRole("combobox", { name: /^角色：/ })).toHaveCount(0);
  await expect(coordList.getByRole("listitem").filter({ hasText: "测试管理员" }).getByRole("button")).toHaveCount(0);
  await expect(coord.getByLabel("角色", { exact: true })).toHaveCount(0);

  // Disable: a confirmation first; the volunteer can no longer sign in. Enable again.
  const vol = coordList.getByRole("listitem").filter({ hasText: "测试志愿者" });
  await vol.getByRole("button", { name: "停用：测试志愿者" }).click();
  await expect(vol.getByRole("alert")).toContainText("确定停用吗");
  await vol.getByRole("button", { name: "停用", exact: true }).click();
  await expect(vol).toContainText("已停用");
  expect((await login(baseURL, team.volunteer)).status).toBe(401);
  await vol.getByRole("button", { name: "启用：测试志愿者" }).click();
  await expect(vol).not.toContainText("已停用");
  expect((await login(baseURL, team.volunteer)).status).toBe(200);

  // A forgotten password: a reset link, opened on the volunteer's phone.
  const vol2 = coordList.getByRole("listitem").filter({ hasText: "第二志愿者" });
  await vol2.getByRole("button", { name: "重置密码：第二志愿者" }).click();
  const resetRegion = coord.getByRole("region", { name: "重置密码二维码：第二志愿者" });
  await expect(resetRegion).toContainText("设置新密码");
  const resetLink = await scan(coord, "重置密码二维码");
  expect(resetLink).toBe(await resetRegion.getByLabel("链接").inputValue());
  const [freshCtx, fresh] = await phone(browser, baseURL);
  await joinByLink(fresh, resetLink, {
    "密码（至少 8 位）": "second-password-2",
    "再输一次密码": "second-password-2",
    "这台手机的名称（如：张三的手机）": "新手机",
  });
  await fresh.getByRole("button", { name: "设置新密码并登录" }).click();
  await setPin(fresh);
  expect((await login(baseURL, team.volunteer2, "second-password-2")).status).toBe(200);

  // Everyone changes their own password from the account menu; a wrong current one is caught.
  await openAccountMenu(zhao);
  await zhao.getByRole("link", { name: "修改密码" }).click();
  await zhao.getByLabel("当前密码").fill("not-my-password");
  await zhao.getByLabel("新密码（至少 8 位）").fill("zhao-password-2");
  await zhao.getByLabel("再输一次新密码").fill("zhao-password-2");
  await zhao.getByRole("button", { name: "保存新密码" }).click();
  await expect(zhao.getByText("当前密码不对。")).toBeVisible();
  await zhao.getByLabel("当前密码").fill("zhao-password-1");
  await zhao.getByRole("button", { name: "保存新密码" }).click();
  await expect(zhao.getByRole("status").filter({ hasText: "密码已修改" })).toBeVisible();
  await zhao.screenshot({ path: `${SHOTS}/account-zh-CN.png`, fullPage: true });
  const zhaoAccount = { username: `zhao-${admin.username}`, password: "zhao-password-2", name: "赵六" };
  expect((await login(baseURL, zhaoAccount)).status).toBe(200);
  expect((await login(baseURL, zhaoAccount, "zhao-password-1")).status).toBe(401);

  // Who did what, in the admin's audit log.
  const token = (await (await login(baseURL, admin)).json()).token;
  const audit = await (await fetch(`${baseURL}/api/v1/audit`, { headers: { authorization: `Bearer ${token}` } })).json();
  const actions = audit.items.map((i: { action: string }) => i.action);
  for (const a of ["invite", "join", "role", "disable", "enable", "reset_link", "password_reset", "password"]) {
    expect(actions, a).toContain(a);
  }

  // Sign-out is in the same menu.
  await clickSignOut(zhao);
  await expect(zhao.getByRole("heading", { name: "登录" })).toBeVisible();
  await Promise.all([zhaoCtx.close(), coordCtx.close(), freshCtx.close()]);
});
