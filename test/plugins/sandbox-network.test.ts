/**
 * Network through the wall: a plugin with declared hosts reaches them (plain
 * HTTP and TLS, through the standard clients, unchanged) via shelfwise's
 * egress proxy, and nothing else: not an undeclared host, not a private
 * address unless the user allowed it, not by going around the guard.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginProcess } from "../../src/plugins/process/supervisor.js";
import type { PluginRuntime } from "../../src/plugins/plugin-types.js";
import http from "node:http";
import { dataDirLayout } from "../../src/config/data-dir.js";
import { isPublicAddress } from "../../src/plugins/sandbox/egress-proxy.js";
import { forgetOwnServer, noteOwnServer } from "../../src/config/own-server.js";
import { NODE_ATTACKER, PYTHON_ATTACKER } from "./sandbox-attacks.js";
import { call, createLayout, ensureBuilt, pluginSpec, startPlugin, type Layout } from "./sandbox-fixture.js";

let layout: Layout;
let tlsServer: https.Server;
let tlsPort: number;
const running: PluginProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  layout = await createLayout();
  const key = path.join(layout.root, "key.pem");
  const cert = path.join(layout.root, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", key, "-out", cert, "-days", "1"], {
    stdio: "ignore",
  });
  tlsServer = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => res.end("hello over tls"));
  await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
  tlsPort = (tlsServer.address() as AddressInfo).port;
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.close()));
  tlsServer?.closeAllConnections();
  await new Promise((resolve) => tlsServer?.close(resolve));
  await layout?.cleanup();
});


function plugin(runtime: PluginRuntime, id: string, allowPrivate: boolean, over: Parameters<typeof pluginSpec>[4] = {}): PluginProcess {
  const extraPython = String.raw`
import http.client, ssl
def _tls(a):
    ctx = ssl._create_unverified_context()
    return urllib.request.urlopen(a, timeout=10, context=ctx).read().decode()
def _client(a):
    host, port = a.split(":")
    c = http.client.HTTPConnection(host, int(port), timeout=10)
    c.request("GET", "/")
    return c.getresponse().read().decode()
def _requests(a):
    import requests
    return requests.get(a, timeout=10).text
ATTACKS["tls"] = _tls
ATTACKS["http.client"] = _client
ATTACKS["requests"] = _requests
HELD = []
def _flood(a):
    # Opens n connections to the proxy and keeps them; answers how many the proxy closed at once.
    import select
    for _ in range(int(a)):
        path = os.environ.get("SHELFWISE_EGRESS_SOCKET")
        s = socket.socket(socket.AF_UNIX if path else socket.AF_INET, socket.SOCK_STREAM)
        s.connect(path or ("127.0.0.1", int(os.environ["SHELFWISE_EGRESS_PORT"])))
        HELD.append(s)
    deadline = time.time() + 90
    while True:
        readable = select.select(HELD, [], [], 0.05)[0]
        closed = sum(1 for s in readable if s.recv(1, socket.MSG_PEEK) == b"")
        if closed >= int(a) - 64 or time.time() > deadline:
            return "closed %d of %d" % (closed, len(HELD))
def _release(a):
    for s in HELD:
        s.close()
    HELD.clear()
    return "released"
ATTACKS["flood"] = _flood
ATTACKS["release"] = _release
def _refusals(a):
    # Asks the proxy n times for a host it may not reach, each name 8 KB long.
    refused = 0
    for i in range(int(a)):
        try:
            proxy_direct("x%d-%s.example.com:443" % (i, "a" * 8000))
        except PermissionError:
            refused += 1
    return "refused %d" % refused
ATTACKS["refusals"] = _refusals
`;
  const extraNode = String.raw`
import https from "node:https";
attacks.tls = (a) => new Promise((resolve, reject) => {
  https.get(a, { rejectUnauthorized: false }, (res) => { let s = ""; res.on("data", (c) => (s += c)); res.on("end", () => resolve(s)); }).on("error", reject);
});
`;
  const files: Record<string, string> = runtime === "python" ? { "layer.py": PYTHON_ATTACKER + extraPython } : { "index.mjs": NODE_ATTACKER + extraNode };
  const spec = pluginSpec(layout, id, runtime, files, { allowed_hosts: ["localhost"], ...over });
  spec.sandbox = { ...spec.sandbox, allow_private_network: allowPrivate };
  const p = startPlugin(spec);
  running.push(p);
  return p;
}

describe.each(["python", "node"] as const)("declared hosts, %s plugin", (runtime) => {
  let allowed: PluginProcess;
  let strict: PluginProcess;
  beforeAll(() => {
    // *.example.test: the subdomains of a domain, as a Library Manager manifest may declare them.
    allowed = plugin(runtime, `net-${runtime}`, true, { allowed_hosts: ["localhost", "*.example.test"] });
    strict = plugin(runtime, `net-strict-${runtime}`, false);
  });

  it("reaches its declared host through the standard clients, unchanged", async () => {
    const url = `http://localhost:${layout.server.port}/`;
    const clients = runtime === "python" ? ["urllib", "http.client"] : ["fetch", "http"];
    for (const client of clients) {
      const arg = client === "http.client" ? `localhost:${layout.server.port}` : url;
      expect(await call(allowed, client, arg), client).toBe("ok:hello from the fixture");
    }
  });

  it("reaches its declared host over TLS through the tunnel", async () => {
    expect(await call(allowed, "tls", `https://localhost:${tlsPort}/`)).toBe("ok:hello over tls");
    if (runtime === "node") expect(await call(allowed, "fetch", `https://localhost:${tlsPort}/`)).toMatch(/^denied:.*(certificate|self-signed|fetch failed)/);
  });

  it("cannot reach an undeclared host, through the guard or around it", async () => {
    const before = layout.server.connections();
    expect(await call(allowed, runtime === "python" ? "urllib" : "fetch", `http://127.0.0.1:${layout.server.port}/`)).toMatch(/^denied:.*127\.0\.0\.1/);
    if (runtime === "python") {
      expect(await call(allowed, "raw", String(layout.server.port))).toMatch(/^denied:/);
      expect(await call(allowed, "child", String(layout.server.port))).toMatch(/^denied:/);
      // Talking to the proxy itself: it knows the declared hosts too.
      expect(await call(allowed, "proxy", `127.0.0.1:${layout.server.port}`)).toMatch(/^denied:.*403.*not in permissions\.network/);
      expect(await call(allowed, "proxy", `localhost:${layout.server.port}`)).toBe(`ok:tunnel opened to localhost:${layout.server.port}`);
    }
    expect(layout.server.connections()).toBe(before + (runtime === "python" ? 1 : 0));
  });

  it("passes a subdomain of a *.domain entry to the proxy, and nothing that only looks like one", async () => {
    const client = runtime === "python" ? "urllib" : "fetch";
    // No DNS answers for .test here: "cannot resolve" is the proxy's, so the name passed the guard and the proxy's list.
    expect(await call(allowed, client, `http://api.example.test:${layout.server.port}/`)).toMatch(/^denied:.*cannot resolve api\.example\.test/);
    expect(await call(allowed, client, `http://a.b.example.test:${layout.server.port}/`)).toMatch(/^denied:.*cannot resolve a\.b\.example\.test/);
    for (const host of ["example.test", "evilexample.test", "example.test.evil.org"]) {
      const result = await call(allowed, client, `http://${host}:${layout.server.port}/`);
      expect(result, host).toMatch(/^denied:.*permissions\.network/);
      expect(result, host).not.toContain("cannot resolve");
    }
    if (runtime === "python") {
      // Straight to the proxy, past the runner's guard: the proxy applies the same rule.
      expect(await call(allowed, "proxy", `evilexample.test:${layout.server.port}`)).toMatch(/^denied:.*403.*not in permissions\.network/);
      expect(await call(allowed, "proxy", `api.example.test:${layout.server.port}`)).toMatch(/^denied:.*cannot resolve api\.example\.test/);
    }
  });

  it("fails at once, not at the timeout, when a declared host refuses the connection", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const started = Date.now();
    const result = await call(allowed, runtime === "python" ? "urllib" : "fetch", `http://localhost:${port}/`);
    expect(result).toMatch(/^denied:/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("cannot reach a private or loopback address unless the user allowed it", async () => {
    const before = layout.server.connections();
    const result = await call(strict, runtime === "python" ? "urllib" : "fetch", `http://localhost:${layout.server.port}/`);
    expect(result).toMatch(/^denied:/);
    if (runtime === "python") expect(result).toContain("allow_private_network");
    expect(layout.server.connections()).toBe(before);
    const log = fs.readFileSync(path.join(layout.dataDir, "logs", "plugins", `net-strict-${runtime}.log`), "utf8");
    expect(log).toContain(`set plugin_configs.net-strict-${runtime}.allow_private_network to true`);
  });
});

describe.each(["python", "node"] as const)("a %s plugin refused by the proxy", (runtime) => {
  // The proxy knows why it refused; the plugin's error (and the call record) must say it, not just
  // "fetch failed" or "other side closed".
  let strict: PluginProcess;
  let bare: PluginProcess;
  beforeAll(() => {
    strict = plugin(runtime, `net-why-${runtime}`, false);
    const files: Record<string, string> =
      runtime === "python"
        ? { "layer.py": "import urllib.request\nclass Layer:\n    def process(self, book):\n        urllib.request.urlopen(book['current_author'], timeout=10).read()\n        return {}\n" }
        : { "index.mjs": "export default class { async process(book) { await (await fetch(book.current_author)).text(); return {}; } }\n" };
    const spec = pluginSpec(layout, `net-why-bare-${runtime}`, runtime, files, { allowed_hosts: ["localhost"] });
    bare = startPlugin(spec);
    running.push(bare);
  });

  it("learns why, over plain HTTP and over TLS", async () => {
    const clients = runtime === "python" ? ["urllib", "http.client", "tls"] : ["fetch", "http", "tls"];
    for (const client of clients) {
      const arg =
        client === "http.client" ? `localhost:${layout.server.port}` : client === "tls" ? `https://localhost:${tlsPort}/` : `http://localhost:${layout.server.port}/`;
      const result = await call(strict, client, arg);
      expect(result, client).toMatch(/^denied:/);
      expect(result, client).toContain("resolves to a private or local address");
      expect(result, client).toContain(`plugin_configs.net-why-${runtime}.allow_private_network`);
    }
  });

  it("has the reason in the call record when it does not catch the error", async () => {
    const result = await call(bare, "", `http://localhost:${layout.server.port}/`);
    expect(result).toMatch(/^call failed: error /);
    expect(result).toContain("resolves to a private or local address");
  });
});

describe("a plugin flooding its proxy with connections", () => {
  it("cannot make shelfwise hold more than a few dozen descriptors for it", async () => {
    // Room for a loaded machine (the proxy closed 45 of 400 in 5 s at a load average of 20, 254 in 30 s
    // at 25); uncapped, none is closed and the wait ends at its 90 s.
    const p = plugin("python", "net-flood", true, { timeoutSeconds: 150 });
    expect(await call(p, "urllib", `http://localhost:${layout.server.port}/`)).toBe("ok:hello from the fixture");
    const before = fs.readdirSync("/proc/self/fd").length;
    // Uncapped, each connection was a descriptor of shelfwise's own process, up to its limit (EMFILE).
    expect(await call(p, "flood", "400")).toMatch(/^ok:closed (33[6-9]|3[4-9]\d|400) of 400$/);
    expect(fs.readdirSync("/proc/self/fd").length - before).toBeLessThan(100);
    expect(await call(p, "release")).toBe("ok:released");
    expect(await call(p, "urllib", `http://localhost:${layout.server.port}/`)).toBe("ok:hello from the fixture");
    const log = fs.readFileSync(path.join(layout.dataDir, "logs", "plugins", "net-flood.log"), "utf8");
    expect(log).toContain("network: refused connections beyond 64 open at once");
  });

  it("cannot fill its log (and the disk) with the proxy's refusals, nor have its key written there unmasked", async () => {
    const key = "k3y-0f-the-plugin-9a8b7c";
    // 400 refusals took over the 20 s call timeout at a load average of 20.
    const p = plugin("python", "net-refusals", true, { secrets: { API_KEY: key }, timeoutSeconds: 90 });
    const log = path.join(layout.dataDir, "logs", "plugins", "net-refusals.log");
    // Its answer (the proxy's refusal, naming the host) holds its key, so shelfwise drops it: no title.
    expect(await call(p, "proxy", `${key}.example.com:443`)).toBe("undefined");
    expect(fs.readFileSync(log, "utf8")).toContain("network: refused host ***.example.com is not in permissions.network");
    expect(fs.readFileSync(log, "utf8")).not.toContain(key);
    expect(await call(p, "refusals", "400")).toBe("ok:refused 400");
    const text = fs.readFileSync(log, "utf8");
    expect(text.match(/network: refused host /g)).toHaveLength(50);
    expect(text).not.toContain(key);
    expect(text).toContain("network: more refusals are not logged (50 were, for this start of the plugin)");
    // Each cut short: 400 refusals of 8 KB names were 3 MB of log, past its 1 MiB bound.
    expect(fs.statSync(log).size).toBeLessThan(64 * 1024);
  });
});

describe("shelfwise's own web server", () => {
  // On loopback it asks for no token, and its API sets python_path: a plugin reaching it could have
  // shelfwise run a file of the plugin's data folder outside every wall.
  let api: http.Server;
  let port: number;
  let requests = 0;
  beforeAll(async () => {
    api = http.createServer((_req, res) => {
      requests++;
      res.end("shelfwise api");
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    port = (api.address() as AddressInfo).port;
  });
  afterAll(async () => {
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
  });

  it.each(["python", "node"] as const)("is out of reach of a %s plugin allowed private addresses, served by this process", async (runtime) => {
    const p = plugin(runtime, `net-api-${runtime}`, true);
    noteOwnServer(layout.dataDir, port);
    try {
      const before = requests;
      expect(await call(p, runtime === "python" ? "urllib" : "fetch", `http://localhost:${port}/`)).toMatch(/^denied:/);
      if (runtime === "python") {
        expect(await call(p, "proxy", `localhost:${port}`)).toMatch(/^denied:.*403.*shelfwise's own web server/);
        expect(await call(p, "http.client", `localhost:${port}`)).toMatch(/^denied:/);
      }
      expect(requests).toBe(before);
    } finally {
      forgetOwnServer(layout.dataDir, port);
    }
    expect(fs.existsSync(dataDirLayout(layout.dataDir).server)).toBe(false);
    // Any other local server stays reachable for a plugin the user allowed private addresses.
    expect(await call(p, runtime === "python" ? "urllib" : "fetch", `http://localhost:${port}/`)).toBe("ok:shelfwise api");
  });

  it("is out of reach when another shelfwise process on the same data folder serves it", async () => {
    const p = plugin("python", "net-api-other", true);
    fs.writeFileSync(dataDirLayout(layout.dataDir).server, JSON.stringify({ pid: 1, port }));
    try {
      const before = requests;
      expect(await call(p, "proxy", `localhost:${port}`)).toMatch(/^denied:.*403.*shelfwise's own web server/);
      expect(requests).toBe(before);
    } finally {
      fs.rmSync(dataDirLayout(layout.dataDir).server);
    }
  });
});

const PYENV_PYTHON = "/root/.pyenv/versions/3.11.7/bin/python3";
describe.skipIf(!fs.existsSync(PYENV_PYTHON))("an interpreter outside /usr with site packages", () => {
  it("runs `requests` unchanged through the proxy", async () => {
    const p = plugin("python", "net-requests", true, { pythonPath: PYENV_PYTHON });
    expect(await call(p, "requests", `http://localhost:${layout.server.port}/`)).toBe("ok:hello from the fixture");
    expect(await call(p, "read", "/etc/shadow")).toMatch(/^denied:/);
    // And its errors carry the proxy's reason, as urllib's do.
    const strict = plugin("python", "net-requests-strict", false, { pythonPath: PYENV_PYTHON });
    expect(await call(strict, "requests", `http://localhost:${layout.server.port}/`)).toMatch(/^denied:.*resolves to a private or local address.*allow_private_network/);
  });
});

describe("which addresses count as public", () => {
  it.each([
    ["93.184.215.14", true],
    ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["192.168.1.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["0.0.0.0", false],
    ["::1", false],
    ["fd00::1", false],
    ["fe80::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["not an address", false],
  ])("%s: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
