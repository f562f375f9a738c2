// HTTPS for real: the release binary, copied alone into an empty directory, gets its
// certificate from an ACME CA (Debian's Pebble, on loopback) by the HTTP-01 challenge, which
// Pebble really performs against the server's --http-addr (no PEBBLE_VA_ALWAYS_VALID). Then a
// Chromium that trusts Pebble's root opens the app over HTTPS: a secure context, the service
// worker controls the page, and the app reloads offline.
import { test, expect, chromium, devices } from "@playwright/test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TLSSocket } from "node:tls";
import { CHROMIUM } from "../../playwright.config";
import { setPin, unlockIfLocked } from "./helpers";

const SERVER = resolve(process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server");
const DOMAIN = "doorstep.test";
const HTTPS_PORT = 18443;
// Pebble validates HTTP-01 on port 5002 of the address its DNS gives for the domain.
const HTTP_PORT = 5002;
const ACME = "https://127.0.0.1:14000/dir";

const children: ChildProcess[] = [];
let dir = "";

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  children.push(child);
  return { child, log: () => log };
}

/** GET over HTTPS to 127.0.0.1:`port` as `name`, trusting only `ca`. */
function get(port: number, path: string, ca: string, name = DOMAIN) {
  return new Promise<{ status: number; issuer: string; body: string }>((ok, fail) => {
    const req = https.get({ host: "127.0.0.1", port, path, servername: name, ca, headers: { host: name }, agent: false }, (res) => {
      // Read before the socket is released at the end of the answer.
      const issuer = (res.socket as TLSSocket).getPeerCertificate().issuer?.CN ?? "";
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () =>
        ok({ status: res.statusCode!, issuer, body }));
    });
    req.on("error", fail);
  });
}

async function until<T>(what: string, f: () => Promise<T>, seconds = 60): Promise<T> {
  let last: unknown;
  for (let i = 0; i < seconds * 4; i++) {
    try {
      return await f();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${what}: ${last}`);
}

test.afterAll(() => {
  for (const c of children) c.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("HTTPS by ACME from the lone binary: secure context, service worker, offline reload", async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(join(tmpdir(), "doorstep-https-"));

  // Pebble's own listener needs a certificate; the Debian package ships none.
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  ssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
    "-subj", "/CN=Pebble listener test CA", "-keyout", "ca.key", "-out", "ca.pem");
  ssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
    "-keyout", "pebble.key", "-out", "pebble.csr");
  writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  ssl("x509", "-req", "-in", "pebble.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
    "-extfile", "san.ext", "-out", "pebble.pem");
  writeFileSync(join(dir, "pebble.json"), JSON.stringify({
    pebble: {
      listenAddress: "127.0.0.1:14000", managementListenAddress: "127.0.0.1:15000",
      certificate: join(dir, "pebble.pem"), privateKey: join(dir, "pebble.key"),
      httpPort: HTTP_PORT, tlsPort: 5001, ocspResponderURL: "", externalAccountBindingRequired: false,
    },
  }));
  // challtestsrv only as Pebble's DNS: every name is 127.0.0.1 (IPv4 only).
  run("pebble-challtestsrv", ["-dns01", "127.0.0.1:8053", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
    "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:8055"]);
  const pebble = run("pebble", ["-config", join(dir, "pebble.json"), "-dnsserver", "127.0.0.1:8053"], {
    // No random waits before validating, and no deliberately refused nonces.
    env: { ...process.env, PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0" },
  });
  const listenerCa = readFileSync(join(dir, "ca.pem"), "utf8");
  await until("pebble up", () => get(14000, "/dir", listenerCa, "localhost"));

  // The binary alone in an empty directory: no dist/, the database created beside it.
  const alone = join(dir, "alone");
  mkdirSync(alone);
  copyFileSync(SERVER, join(alone, "doorstep-server"));
  const bin = join(alone, "doorstep-server");
  execFileSync(bin, ["team", "add", "https-team"], { cwd: alone });
  execFileSync(bin, ["user", "add", "--team", "https-team", "--role", "volunteer", "--username", "https-vol"],
    { cwd: alone, env: { ...process.env, DOORSTEP_PASSWORD: "https-password-1" } });
  const server = run(bin, ["serve", "--addr", `127.0.0.1:${HTTPS_PORT}`, "--http-addr", `127.0.0.1:${HTTP_PORT}`,
    "--acme-domain", DOMAIN, "--acme-email", "ops@doorstep.test", "--acme-directory", ACME,
    "--acme-ca", join(dir, "ca.pem")], { cwd: alone });

  // Pebble's root (made fresh at each start) signs the server's certificate.
  const root = (await get(15000, "/roots/0", listenerCa, "localhost")).body;
  const first = await until("certificate issued", () => get(HTTPS_PORT, "/healthz", root), 90)
    .catch((e) => { throw new Error(`${e}\nserver log:\n${server.log()}\npebble log:\n${pebble.log()}`); });
  expect(first.status).toBe(200);
  expect(first.issuer).toMatch(/Pebble Intermediate CA/);
  // The account and certificate are cached beside the database.
  expect(readdirSync(join(alone, "data", "acme")).some((f) => f.startsWith("cached_cert_"))).toBe(true);
  // The app itself comes from inside the binary.
  expect((await get(HTTPS_PORT, "/", root)).body).toContain("<html");

  // A Chromium that trusts Pebble's root (in its NSS store under a HOME of its own).
  const home = join(dir, "home");
  const nss = join(home, ".pki", "nssdb");
  mkdirSync(nss, { recursive: true });
  writeFileSync(join(dir, "root.pem"), root);
  execFileSync("certutil", ["-d", `sql:${nss}`, "-N", "--empty-password"]);
  execFileSync("certutil", ["-d", `sql:${nss}`, "-A", "-t", "C,,", "-n", "pebble-root", "-i", join(dir, "root.pem")]);
  const { defaultBrowserType: _, ...phone } = devices["Pixel 7"];
  const context = await chromium.launchPersistentContext(join(dir, "profile"), {
    ...phone,
    locale: "zh-CN",
    executablePath: CHROMIUM.executablePath,
    args: [...CHROMIUM.args, `--host-resolver-rules=MAP ${DOMAIN} 127.0.0.1`],
    env: { ...process.env, HOME: home },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // The plain-HTTP address sends the browser to HTTPS.
    await page.goto(`http://${DOMAIN}:${HTTP_PORT}/`);
    expect(page.url()).toBe(`https://${DOMAIN}:${HTTPS_PORT}/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);

    await page.getByLabel("用户名").fill("https-vol");
    await page.getByLabel("密码").fill("https-password-1");
    await page.getByLabel(/这台手机的名称/).fill("测试手机");
    await page.getByRole("button", { name: "登录" }).click();
    await setPin(page);
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });

    await context.setOffline(true);
    await page.reload();
    await unlockIfLocked(page);
    await expect(page.getByText("离线", { exact: true })).toBeVisible();
    await page.screenshot({ path: "tests/e2e/screenshots/https-offline.png" });
  } finally {
    await context.close();
  }
});
