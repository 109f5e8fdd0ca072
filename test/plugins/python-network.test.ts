import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanupRunners, eventually, launchSpec, lmPlugin, makeBook, startReady, startRunner, writePlugin } from "./python-harness.js";

afterEach(cleanupRunners);

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
    const dir = writePlugin({ "layer.py": NETWORK_PLUGIN });
    const runner = await startReady(dir, { plugin_id: "net-test", allowed_hosts: [...allowed] });
    const before = connections;
    runner.batch([makeBook(1, { current_title: how, current_author: host, current_year: String(port) })]);
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
