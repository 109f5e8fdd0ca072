import { execFileSync } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { readNetworkEntry } from "../../src/plugins/manifest/network-entry.js";
import { hostAllowed, normalizeHost } from "../../src/plugins/runner/net-guard.js";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupRunners, eventually, launchSpec, lmPlugin, makeBook, startReady, startRunner, writePlugin, type RunnerHandle } from "./python-harness.js";

// Runners live for the file: one started runner per allowed_hosts serves every case that has them.
afterAll(cleanupRunners);

// One real HTTP server on 127.0.0.1; raw socket attempts count as connections too.
let server: http.Server;
let port = 0;
let connections = 0;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end("hello from the server"));
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const NETWORK_PLUGIN = lmPlugin(
  `
    def process(self, book_data):
        how, host = book_data["current_title"], book_data["current_author"]
        port = int(book_data["current_year"])
        if how == "create_connection":
            socket.create_connection((host, port), timeout=5).close()
        elif how == "connect":
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.connect((host, port))
            s.close()
        elif how == "connect_ex":
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            code = s.connect_ex((host, port))
            s.close()
            assert code == 0, code
        elif how == "urllib":
            with urllib.request.urlopen("http://%s:%d/" % (host, port), timeout=5) as r:
                return {"title": r.read().decode()}
        elif how == "asyncio":
            async def go():
                reader, writer = await asyncio.open_connection(host, port)
                writer.close()
            asyncio.run(go())
        elif how == "getaddrinfo":
            socket.getaddrinfo(host, port)
        elif how == "gethostbyname":
            socket.gethostbyname(host)
        return {"title": "connected"}
`,
  "import asyncio, socket, urllib.request",
);

const REFUSED = (host: string) =>
  `network access to '${host}' is not allowed for plugin 'net-test': add it to permissions.network in manifest.json`;

/**
 * A started runner of the network plugin with these allowed_hosts, shared by the cases that have them and
 * the same expectation (a Python start per case was most of this file's time); each call gets the runner's
 * next seq. A refusal is a call's error, so the runner goes on: a later case on it also shows the guard
 * holds after one. A runner that resolved an allowed name has learned its addresses, which it then lets a
 * plugin reach by address (python/shelfwise_runner.py, _NetworkGuard.resolved): a case expecting a refusal
 * never runs on a runner that connected, where it could pass or fail for that reason alone.
 */
const networkRunners = new Map<string, { ready: Promise<RunnerHandle>; calls: number }>();
async function networkRunner(allowed: readonly string[], refused: boolean): Promise<{ runner: RunnerHandle; seq: number }> {
  const key = JSON.stringify([allowed, refused]);
  let entry = networkRunners.get(key);
  if (!entry) {
    const dir = writePlugin({ "layer.py": NETWORK_PLUGIN });
    entry = { ready: startReady(dir, { plugin_id: "net-test", allowed_hosts: [...allowed] }), calls: 0 };
    networkRunners.set(key, entry);
  }
  const seq = ++entry.calls;
  return { runner: await entry.ready, seq };
}

describe("python runner: network guard", () => {
  it.each([
    // how, host, allowed_hosts, expected title or refused host
    ["create_connection", "127.0.0.1", [], { refused: "127.0.0.1" }],
    ["create_connection", "127.0.0.1", ["127.0.0.1"], { title: "connected" }],
    ["connect", "127.0.0.1", [], { refused: "127.0.0.1" }],
    ["connect", "127.0.0.1", ["127.0.0.1"], { title: "connected" }],
    ["connect_ex", "127.0.0.1", ["api.example.com"], { refused: "127.0.0.1" }],
    ["asyncio", "127.0.0.1", [], { refused: "127.0.0.1" }],
    ["urllib", "localhost", [], { refused: "localhost" }],
    ["urllib", "localhost", ["localhost"], { title: "hello from the server" }],
    ["urllib", "localhost", ["LocalHost."], { title: "hello from the server" }],
    ["urllib", "127.0.0.1", ["localhost"], { refused: "127.0.0.1" }],
    ["getaddrinfo", "metadata.example.invalid", ["api.example.com"], { refused: "metadata.example.invalid" }],
    ["gethostbyname", "localhost", [], { refused: "localhost" }],
  ] as const)("%s to %s with allowed_hosts %j", async (how, host, allowed, expected) => {
    const { runner, seq } = await networkRunner(allowed, "refused" in expected);
    const before = connections;
    runner.batch([makeBook(1, { current_title: how, current_author: host, current_year: String(port) })], seq);
    const result = await runner.next();
    if ("refused" in expected) {
      expect(result).toMatchObject({ type: "result", outcome: "error" });
      expect(result.type === "result" && result.error).toContain(REFUSED(expected.refused));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(connections).toBe(before);
    } else {
      expect(result).toMatchObject({ type: "result", outcome: "ok", data: { title: expected.title } });
      await eventually(() => connections > before, "the server to see the connection");
    }
  });

  it("refuses network access at import time too", async () => {
    const dir = writePlugin({
      "layer.py": `import socket\nsocket.create_connection(("127.0.0.1", ${port}))\n`,
    });
    const runner = startRunner(launchSpec(dir, { plugin_id: "net-test" }));
    runner.init();
    expect(await runner.next()).toMatchObject({ type: "fatal", stage: "load", error: `PermissionError: ${REFUSED("127.0.0.1")}` });
  });
});

// Python's socket module and its "idna" codec read Unicode names by IDNA 2003; Node, the manifest and the egress
// proxy by UTS 46: "straße.de" is strasse.de to one and xn--strae-oqa.de to the other.
describe("both guards on the same Unicode hosts", () => {
  const ENTRIES = ["straße.de", "σοφία.gr", "bücher.example", "*.münchen.example", "ß.example", "ss.example", "xn--r5g.example", "xn--58d.example", "👍.example", "xn--b1a.example"];
  const HOSTS = [
    "straße.de", "STRASSE.de", "strasse.de", "xn--strae-oqa.de", "faß.de", "ß.example", "SS.example", "ss.example",
    "ςοφία.gr", "σοφία.gr", "ΣΟΦΊΑ.gr", "Σοφία.gr", "σοφίας.gr", "bücher.example", "BÜCHER.example", "ｂüｃher.example",
    "bücher。example", "b\u00fccher.example.", "bu\u0308cher.example", "a.münchen.example", "x.MÜNCHEN.example", "münchen.example",
    "a\u200db.münchen.example", "a\u200cb.münchen.example", "ex\u00adample.münchen.example", "Ꭰ.example", "ꭰ.example",
    "\u2183.example", "\u2184.example", "👍.example", "\u1c80.example", "в.example", "💩.münchen.example", "x.ßtraße.de",
  ];

  it("allow and refuse alike, and Python hands the resolver the ASCII name it checked", () => {
    const allowed = ENTRIES.map((entry) => {
      const read = readNetworkEntry(entry);
      if (!("host" in read)) throw new Error(`${entry}: ${read.problem}`);
      return read.host;
    });
    const script = [
      "import json, sys",
      `sys.path.insert(0, ${JSON.stringify(path.resolve("python"))})`,
      "import shelfwise_hosts as h",
      "case = json.load(sys.stdin)",
      "allowed = {h.normalize(e) for e in case['allowed']}",
      "print(json.dumps([[h.allows(x, allowed), h.lookup_name(x)] for x in case['hosts']]))",
    ].join("\n");
    const python = JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify({ allowed, hosts: HOSTS }), encoding: "utf8" })) as [boolean, string][];
    const verdicts = (answers: boolean[]) => Object.fromEntries(HOSTS.map((host, i) => [host, answers[i]]));
    expect(verdicts(python.map(([allows]) => allows))).toEqual(verdicts(HOSTS.map((host) => hostAllowed(host, allowed))));
    // What each looks up is what was checked: Node's dns.lookup converts by UTS 46 too.
    for (const [i, host] of HOSTS.entries()) if (python[i]![0] && /[^\x00-\x7f]/.test(host)) expect(python[i]![1], host).toBe(normalizeHost(host));
    expect(verdicts(python.map(([allows]) => allows))).toMatchObject({ "straße.de": true, "strasse.de": false, "ß.example": true, "SS.example": true, "ΣΟΦΊΑ.gr": true, "ςοφία.gr": false, "Ꭰ.example": true, "\u2183.example": false, "a\u200db.münchen.example": false });
  });
});
