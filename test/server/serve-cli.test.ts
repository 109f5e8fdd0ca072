/**
 * `shelfwise serve` as users run it (the built binary): it listens, answers,
 * lets CLI commands work on the same data folder while idle, keeps the token
 * rule beyond loopback (token printed once), and stops cleanly on SIGTERM
 * with no plugin process left behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../support/cli-in-process.js";
import { CLI, createHome, leftoverRunners, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

let home: TestHome;
let child: ChildProcess | null = null;

function start(args: string[]): Promise<{ url: string; output: () => string }> {
  const proc = spawn(process.execPath, [CLI, "serve", "--port", "0", ...args, "--data-dir", home.dataDir], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SHELFWISE_DATA_DIR: "" } });
  child = proc;
  let text = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /at (http:\/\/\S+?)\/ \(Ctrl-C/.exec(text);
      if (match) resolve({ url: match[1]!, output: () => text });
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.on("exit", (code) => reject(new Error(`serve exited ${code} before listening:\n${text}`)));
  });
}

/** Exit code, or the signal's name when the process was killed by one. */
function stopped(proc: ChildProcess): Promise<number | string | null> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode ?? proc.signalCode);
    proc.once("exit", (code, signal) => resolve(code ?? signal));
  });
}

beforeAll(() => requireBuilt());

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGKILL");
    await stopped(child);
  }
  child = null;
  home?.cleanup();
});

describe("shelfwise serve", () => {
  it("serves the pages and API, lets CLI commands run while idle, and stops cleanly on SIGTERM", async () => {
    home = createHome({ books: 3 });
    home.plugin("narrators", { code: nodePlugin(`process() { return { narrator: "Kate Reading" }; }`) });
    const server = await start([]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    // Idle, the server holds no lock: the CLI scans and processes the same data folder (from this process: the
    // server is the other one).
    const scan = await runCliInProcess(["scan"], { dataDir: home.dataDir });
    expect(scan.code, scan.stderr).toBe(0);
    const processed = await runCliInProcess(["process"], { dataDir: home.dataDir });
    expect(processed.code, processed.stderr).toBe(0);
    const books = (await (await fetch(`${server.url}/api/books`)).json()) as { total: number; books: { narrator: string }[] };
    expect(books.total).toBe(3);
    expect(books.books[0]!.narrator).toBe("Kate Reading");
    // Hot reload: a plugin folder dropped in while the server runs is loaded without a restart.
    home.plugin("dropped-in", { code: nodePlugin(`process() { return { edition: "Unabridged" }; }`) });
    await expect
      .poll(async () => ((await (await fetch(`${server.url}/api/plugins`)).json()) as { key: string; state: string }[]).find((p) => p.key === "dropped-in")?.state, { timeout: 60_000 })
      .toBe("active");
    const runners = leftoverRunners(home.dataDir);
    expect(runners.length).toBeGreaterThan(0);
    child!.kill("SIGTERM");
    expect(await stopped(child!)).toBe(0);
    expect(server.output()).toContain("stopped");
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });

  // The second start here also takes the hang-up (SIGHUP: the terminal closed): a start of its own cost a serve
  // process (~1.5-2 CPU-s) for the same stop.
  it("beyond loopback: generates the token once, stores it, and requires it; a hang-up stops it as cleanly as SIGTERM", async () => {
    home = createHome();
    const first = await start(["--host", "0.0.0.0"]);
    const token = /access token .*: (\S+)/.exec(first.output())![1]!;
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8")).web_token).toBe(token);
    const port = new URL(first.url).port;
    expect((await fetch(`http://127.0.0.1:${port}/api/status`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    child!.kill("SIGTERM");
    expect(await stopped(child!), first.output()).toBe(0);
    const second = await start(["--host", "0.0.0.0"]);
    expect(second.output()).not.toContain(token);
    // SIGHUP stops it as SIGTERM does: exit 0, not 130.
    child!.kill("SIGHUP");
    expect(await stopped(child!), second.output()).toBe(0);
    expect(second.output()).toContain("stopping: dropping the calls in flight (their books stay pending; answers already in are kept)");
    expect(second.output()).toContain("stopped");
    expect(second.output()).not.toContain("interrupted");
  });

  it("beyond loopback, a start that cannot listen shows no token and keeps none: the next start shows its own", async () => {
    home = createHome();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "0.0.0.0", resolve));
    const busyPort = (taken.address() as net.AddressInfo).port;
    try {
      const proc = spawn(process.execPath, [CLI, "serve", "--host", "0.0.0.0", "--port", String(busyPort), "--data-dir", home.dataDir], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SHELFWISE_DATA_DIR: "" } });
      child = proc;
      let text = "";
      proc.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
      proc.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
      expect(await stopped(proc), text).not.toBe(0);
      expect(text).not.toMatch(/access token/);
      const secretsFile = path.join(home.dataDir, "secrets.json");
      const kept = fs.existsSync(secretsFile) ? JSON.parse(fs.readFileSync(secretsFile, "utf8")) : {};
      expect(kept.web_token).toBeUndefined();
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    const next = await start(["--host", "0.0.0.0"]);
    const token = /access token .*: (\S+)/.exec(next.output())?.[1];
    expect(token, next.output()).toBeTruthy();
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8")).web_token).toBe(token);
    child!.kill("SIGTERM");
    expect(await stopped(child!)).toBe(0);
  });

  it("a shelfwise.db of 0 bytes: says so on the terminal and on the dashboard (/api/status), in the CLI's words", async () => {
    home = createHome({ books: 0 });
    fs.writeFileSync(path.join(home.dataDir, "shelfwise.db"), "");
    const server = await start([]);
    const database = path.join(home.dataDir, "shelfwise.db");
    const said = `${database} was empty (0 bytes), so a new, empty database was made in it.`;
    expect(server.output()).toContain(`shelfwise: warning: ${said}`);
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as { problems: { kind: string; message: string; link: string | null }[] };
    expect(status.problems[0]).toEqual({
      kind: "empty_database",
      message: expect.stringContaining(`${said} A first command killed before it wrote anything leaves that, and then nothing is lost;`),
      link: null,
    });
    expect(status.problems[0]!.message).toContain('restore shelfwise.db from a backup (README: "Backing up and restoring the database") before anything else: stop this server');
    child!.kill("SIGTERM");
    expect(await stopped(child!)).toBe(0);
  });

  it("refuses a bad port and a busy port with a clear message", async () => {
    home = createHome();
    // Refused as the options are read, before anything starts: in this process.
    const bad = await runCliInProcess(["serve", "--port", "99999"], { dataDir: home.dataDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be a whole number from 0 to 65535/);
    // A port another program listens on (a server of shelfwise's own cost a start of the web service).
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const busy = await home.cli(["serve", "--port", String((taken.address() as net.AddressInfo).port)]);
      expect(busy.code).not.toBe(0);
      expect(busy.stderr).toMatch(/is already in use/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
