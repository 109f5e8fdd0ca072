import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, books, createSandbox, ensureRunnerBuilt, groupGone, summarize, type Sandbox } from "./runner-harness.js";

let box: Sandbox;
let server: http.Server;
let port: number;
let outside: string;

beforeAll(async () => {
  ensureRunnerBuilt();
  box = createSandbox();
  outside = path.join(box.root, "outside");
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, "secret.txt"), "host secret");
  fs.mkdirSync(path.join(box.root, "library"));
  fs.writeFileSync(path.join(box.root, "library", "book.nfo"), "narrated by Jim Dale");
  server = http.createServer((_req, res) => res.end("pong"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await box.cleanup();
  await new Promise((resolve) => server.close(resolve));
  for (const pid of box.pids) expect(groupGone(pid), `process group ${pid} still alive`).toBe(true);
});

/** A plugin whose process() runs `body` (async) and returns its string as the title. */
function probe(id: string, body: string, overrides = {}) {
  const source = `
    import fs from "node:fs";
    export default class {
      async process(book) {
        try { return { title: String(await (async () => { ${body} })()) }; }
        catch (e) { return { title: "refused: " + e.message + (e.cause ? " / " + e.cause.message : "") }; }
      }
    }`;
  return box.layer(box.plugin(id, source, overrides));
}

async function title(t: ReturnType<typeof probe>): Promise<string> {
  const [outcome] = await t.run(books(1));
  return (summarize(outcome) as { title: string }).title;
}

describe("node runner: file system and processes", () => {
  it("cannot read outside its folder and read paths", async () => {
    const t = probe("read-outside", `return fs.readFileSync(${JSON.stringify(path.join(outside, "secret.txt"))}, "utf8");`);
    expect(await title(t)).toMatch(/^refused: Access to this API has been restricted/);
  });

  it("can read declared read paths", async () => {
    const library = path.join(box.root, "library");
    const t = probe("read-library", `return fs.readFileSync(${JSON.stringify(path.join(library, "book.nfo"))}, "utf8");`, {
      readPaths: [library],
    });
    expect(await title(t)).toBe("narrated by Jim Dale");
  });

  it("cannot read the host package through the shelfwise link, only the SDK", async () => {
    const link = path.join(box.root, "plugins", "node_modules", "shelfwise");
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(REPO_ROOT, link);
    const t = probe("read-package", `return fs.readFileSync(${JSON.stringify(path.join(link, "src", "plugins", "protocol", "protocol.ts"))}, "utf8");`);
    expect(await title(t)).toMatch(/^refused: Access to this API/);
  });

  it("writes only to its data folder", async () => {
    const t = probe(
      "writer",
      `fs.writeFileSync("own.txt", "ok");
       try { fs.writeFileSync(${JSON.stringify(path.join(outside, "x.txt"))}, "no"); return "wrote outside"; }
       catch (e) { return "own ok, outside " + e.code; }`,
    );
    expect(await title(t)).toBe("own ok, outside ERR_ACCESS_DENIED");
    expect(fs.existsSync(path.join(box.root, "data", "writer", "own.txt"))).toBe(true);
    expect(fs.existsSync(path.join(outside, "x.txt"))).toBe(false);
  });

  it.each([
    ["child_process", `const cp = await import("node:child_process"); return cp.execSync("echo hi").toString();`],
    ["worker_threads", `const { Worker } = await import("node:worker_threads"); new Worker("1", { eval: true }); return "started";`],
    ["signalling the host", `process.kill(process.ppid, "SIGTERM"); return "sent";`],
  ])("cannot use %s", async (name, body) => {
    const t = probe(`no-${name.replace(/\W/g, "")}`, body);
    expect(await title(t)).toMatch(/^refused: /);
  });

  it("cannot reach below the public modules: process.binding, the inspector (also by SIGUSR1), native addons", async () => {
    // One run tries each: the first that works is named in the answer.
    const t = probe(
      "below",
      `const inspector = await import("node:inspector");
       const codes = [];
       const tries = {
         binding: () => process.binding("fs"),
         inspector: () => inspector.open(0, "127.0.0.1"),
         addon: () => process.dlopen({ exports: {} }, "/nonexistent.node"),
       };
       for (const [name, attempt] of Object.entries(tries)) {
         try { attempt(); return "allowed: " + name; } catch (e) { codes.push(name + " " + e.code); }
       }
       process.kill(process.pid, "SIGUSR1"); // Node opens the inspector on SIGUSR1 when it may
       await new Promise((resolve) => setImmediate(resolve));
       if (inspector.url()) return "allowed: inspector by SIGUSR1 at " + inspector.url();
       throw new Error(codes.join(", "));`,
    );
    expect(await title(t)).toBe("refused: binding ERR_ACCESS_DENIED, inspector ERR_ACCESS_DENIED, addon ERR_DLOPEN_DISABLED");
  });
});

describe("node runner: network guard", () => {
  const url = () => `http://127.0.0.1:${port}/`;
  const clients: [string, (u: string) => string][] = [
    ["fetch", (u) => `return await (await fetch(${JSON.stringify(u)})).text();`],
    [
      "http.get",
      (u) => `const http = await import("node:http");
        return await new Promise((resolve, reject) => {
          http.get(${JSON.stringify(u)}, (res) => { let s = ""; res.on("data", (c) => s += c); res.on("end", () => resolve(s)); }).on("error", reject);
        });`,
    ],
    [
      "net.connect",
      (u) => `const net = await import("node:net");
        const { hostname, port } = new URL(${JSON.stringify(u)});
        return await new Promise((resolve, reject) => {
          const s = net.connect(Number(port), hostname);
          s.on("connect", () => { s.end(); resolve("pong"); });
          s.on("error", reject);
        });`,
    ],
    [
      "dns.lookup",
      () => `const dns = await import("node:dns");
        return await new Promise((resolve, reject) => dns.lookup("127.0.0.1", (e, a) => e ? reject(e) : resolve("pong")));`,
    ],
  ];

  it.each(clients)("refuses an undeclared host through %s with a clear message", async (name, body) => {
    const t = probe(`net-deny-${name.replace(/\W/g, "")}`, body(url()));
    expect(await title(t)).toContain(
      `plugin net-deny-${name.replace(/\W/g, "")} may not reach host 127.0.0.1: add it to permissions.network in manifest.json`,
    );
  });

  it.each(clients)("lets %s reach a declared host", async (name, body) => {
    const t = probe(`net-allow-${name.replace(/\W/g, "")}`, body(url()), { allowed_hosts: ["127.0.0.1"], sandbox: { allow_private_network: true } });
    expect(await title(t)).toBe("pong");
  });

  it("does not let a declared host stand in for another", async () => {
    const t = probe("net-other", clients[0][1](`http://localhost:${port}/`), { allowed_hosts: ["127.0.0.1"], sandbox: { allow_private_network: true } });
    expect(await title(t)).toContain("may not reach host localhost");
  });
});
