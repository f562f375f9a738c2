import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VOLUNTEER } from "./helpers";

const SERVER = process.env.DOORSTEP_SERVER_BIN ?? "target/server/doorstep-server";

/** A server of the test's own, on its own port, serving a copy of dist/ it may change. */
export class OwnServer {
  readonly dir = mkdtempSync(join(tmpdir(), "doorstep-own-"));
  readonly dist = join(this.dir, "dist");
  readonly url: string;
  private child?: ChildProcess;

  constructor(readonly port: number) {
    this.url = `http://127.0.0.1:${port}`;
    cpSync("dist", this.dist, { recursive: true });
  }

  private accounts = false;
  private exited?: Promise<number | null>;

  /** Starts (again) on the same database; `env` adds variables (e.g. a failpoint). */
  async start(env: Record<string, string> = {}) {
    // The same volunteer account as the shared server (tests/e2e/helpers.ts).
    const db = ["--database", `sqlite://${this.dir}/db.sqlite`];
    if (!this.accounts) {
      execFileSync(SERVER, ["team", "add", "e2e-team", ...db]);
      execFileSync(SERVER, ["user", "add", "--team", "e2e-team", "--role", "volunteer", "--username", "e2e-vol", ...db],
        { env: { ...process.env, DOORSTEP_PASSWORD: "e2e-password-1" } });
      this.accounts = true;
    }
    const child = spawn(SERVER, [
      "serve", "--addr", `127.0.0.1:${this.port}`, ...db, "--static-dir", this.dist,
    ], { stdio: "ignore", env: { ...process.env, ...env } });
    this.child = child;
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("own server did not start");
  }

  /** Stops the process (keeping its database) and starts it again with `env`. */
  async restart(env: Record<string, string> = {}) {
    await this.halt();
    await this.start(env);
  }

  private async halt() {
    this.child?.kill("SIGTERM");
    await this.exited;
  }

  private get database() {
    return `sqlite://${this.dir}/db.sqlite`;
  }

  /** `backup --to` while the server runs, as an operator (or a cron job) would. */
  async backup() {
    const out = execFileSync(SERVER, ["backup", "--to", join(this.dir, "backup.sqlite"), "--database", this.database]);
    if (!/integrity ok/.test(out.toString())) throw new Error(`backup did not verify: ${out}`);
  }

  /** `restore --from` the backup with the server stopped (everything after it is lost), then
   * starts it again. */
  async restoreBackup() {
    await this.halt();
    execFileSync(SERVER, ["restore", "--from", join(this.dir, "backup.sqlite"), "--database", this.database]);
    await this.start();
  }

  /** What the server holds for the shared volunteer's team (one pull page). */
  async records() {
    const login = await (await fetch(`${this.url}/api/v1/login`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: VOLUNTEER.username, password: VOLUNTEER.password, device_name: "检查" }),
    })).json();
    const page = await (await fetch(`${this.url}/api/v1/sync/pull?protocol=1&cursor=0`, {
      headers: { Authorization: `Bearer ${login.token}` },
    })).json();
    return page.records as { kind: string; record: { residents_words?: string } }[];
  }

  /** Resolves with the exit code once the server process has ended by itself. */
  exit() {
    return this.exited!;
  }

  stop() {
    this.child?.kill("SIGTERM");
    rmSync(this.dir, { recursive: true, force: true });
  }
}
