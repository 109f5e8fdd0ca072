/** The egress proxy's own costs to shelfwise, with name resolution faked (no network needed). */
import http from "node:http";
import net from "node:net";
import { describe, expect, it, vi } from "vitest";
import { startEgressProxy } from "../../src/plugins/sandbox/egress-proxy.js";

/** One CONNECT through the proxy; resolves with the proxy's status line. */
function connect(port: number, target: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    let reply = "";
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) {
        socket.destroy();
        resolve(reply.split("\r\n")[0]!);
      }
    });
    socket.on("error", () => resolve(reply.split("\r\n")[0] ?? ""));
    socket.on("close", () => resolve(reply.split("\r\n")[0] ?? ""));
  });
}

describe("egress proxy name lookups", () => {
  it("resolves one name at a time per plugin, and once for many tunnels to it (the lookups hold shelfwise's thread pool)", async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const lookup = async (host: string) => {
      calls++;
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 100));
      running--;
      if (host.startsWith("gone")) throw new Error("ENOTFOUND");
      return ["127.0.0.1"];
    };
    const proxy = await startEgressProxy({ pluginId: "p", allowedHosts: ["slow.example", "gone.example", "gone2.example"], allowPrivate: true, tcp: true, lookup });
    try {
      // Port 1 on loopback refuses: each tunnel ends with 502 once resolved.
      const replies = await Promise.all([
        ...Array.from({ length: 20 }, () => connect(proxy.port!, "slow.example:1")),
        connect(proxy.port!, "gone.example:443"),
        connect(proxy.port!, "gone2.example:443"),
      ]);
      expect(replies.slice(0, 20)).toEqual(Array(20).fill("HTTP/1.1 502 Bad Gateway"));
      expect(replies.slice(20)).toEqual(["HTTP/1.1 403 Forbidden", "HTTP/1.1 403 Forbidden"]);
      expect(most).toBe(1);
      expect(calls).toBe(3);
    } finally {
      await proxy.close();
    }
  });
});

describe("egress proxy name lookups, the system clock set back", () => {
  it("an answer serves its name 30 s, not 30 s plus however far the clock went back", async () => {
    let calls = 0;
    const lookup = async () => (calls++, ["127.0.0.1"]);
    const proxy = await startEgressProxy({ pluginId: "p", allowedHosts: ["api.example"], allowPrivate: true, tcp: true, lookup });
    vi.useFakeTimers({ toFake: ["Date", "performance"], now: Date.now() });
    try {
      expect(await connect(proxy.port!, "api.example:1")).toBe("HTTP/1.1 502 Bad Gateway");
      // NTP sets the clock back an hour; 31 s pass: the host may have moved to another address by now.
      vi.setSystemTime(Date.now() - 3_600_000);
      vi.advanceTimersByTime(31_000);
      expect(await connect(proxy.port!, "api.example:1")).toBe("HTTP/1.1 502 Bad Gateway");
      expect(calls).toBe(2);
    } finally {
      vi.useRealTimers();
      await proxy.close();
    }
  });
});

describe("egress proxy plain-HTTP requests", () => {
  it("give each request a connection of its own, and close the server's side when the plugin hangs up mid-answer", async () => {
    const open = new Set<net.Socket>();
    let connections = 0;
    const server = http.createServer((req, res) => {
      if (req.url === "/silent") return; // a server that never answers
      if (req.url !== "/stream") return void res.end(`answer ${req.url}`);
      // A large download, or a server that never ends: the plugin reads a little and goes.
      res.writeHead(200);
      const timer = setInterval(() => res.write("x".repeat(4096)), 5);
      res.on("close", () => clearInterval(timer));
    });
    server.on("connection", (socket) => {
      connections++;
      open.add(socket);
      socket.on("close", () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    // A name server that takes its time: the plugin may be gone by the time the name is known. A name in
    // `answerWhen` is asked (`asked`), then answered once its promise resolves.
    const answerWhen = new Map<string, Promise<void>>();
    const asked = new Map<string, () => void>();
    const proxy = await startEgressProxy({ pluginId: "p", allowedHosts: ["api.example", "*.slow.example"], allowPrivate: true, tcp: true, lookup: async (host) => {
      asked.get(host)?.();
      if (answerWhen.has(host)) await answerWhen.get(host);
      else if (host.endsWith(".slow.example")) await new Promise((resolve) => setTimeout(resolve, 50));
      return ["127.0.0.1"];
    } });
    /** One keep-alive GET on a client connection of its own; resolves with the body (or "hung up" once 20 kB of /stream came). */
    const get = (path: string, host = "api.example") =>
      new Promise<string>((resolve) => {
        const socket = net.connect(proxy.port!, "127.0.0.1", () =>
          socket.write(`GET http://${host}:${port}${path} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`),
        );
        let reply = "";
        socket.on("data", (chunk) => {
          reply += chunk.toString("latin1");
          if (path === "/stream" && reply.length > 20_000) {
            socket.destroy();
            resolve("hung up");
          } else if (/\r\n\r\nanswer /.test(reply)) {
            socket.destroy();
            resolve(reply.slice(reply.indexOf("answer ")));
          }
        });
      });
    try {
      // Two plugins' requests (their proxies share this process) must never share a kept-alive connection.
      expect([await get("/one"), await get("/two")]).toEqual(["answer /one", "answer /two"]);
      expect(connections).toBe(2);
      for (let i = 0; i < 5; i++) expect(await get("/stream")).toBe("hung up");
      // Hanging up while the name is being resolved (a new name each time: none is cached): each name is answered
      // once the plugin's side is closed and the proxy has since answered a request of another plugin connection
      // (a refused host: no server connection), so its loop has gone round past the hang-up. A hang-up 5 ms after
      // the request against a 50 ms lookup lost that race at a load of 40 (a server connection made, then closed).
      const roundTrip = () =>
        new Promise<void>((done) => {
          const socket = net.connect(proxy.port!, "127.0.0.1", () => socket.write(`GET http://refused.example:${port}/ HTTP/1.1\r\nHost: refused.example:${port}\r\n\r\n`));
          socket.once("data", () => (socket.destroy(), done()));
        });
      await Promise.all(
        Array.from({ length: 3 }, (_, i) =>
          new Promise<void>((resolve) => {
            const host = `n${i}.slow.example`;
            let answer!: () => void;
            answerWhen.set(host, new Promise<void>((ok) => (answer = ok)));
            const socket = net.connect(proxy.port!, "127.0.0.1", () => {
              socket.write(`GET http://${host}:${port}/silent HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`);
            });
            asked.set(host, () => socket.destroy());
            socket.on("close", () => void roundTrip().then(() => (answer(), resolve())));
          }),
        ),
      );
      // Lookups are one at a time: once a fourth name is answered for, the three before it are resolved too.
      expect(await get("/after", "n9.slow.example")).toBe("answer /after");
      // The server's side closes a moment after the proxy hangs up: waited for as long as expect.poll waits (3 s
      // was short of it at a load of 40 on two cores), not read at the instant the last answer came.
      await expect.poll(() => open.size).toBe(0);
      expect({ connections, open: open.size }).toEqual({ connections: 8, open: 0 });
    } finally {
      await proxy.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("egress proxy tunnels", () => {
  it("open no server connection for a plugin that hung up while the name was resolved; one that stays gets what it sent early", async () => {
    // A server that never closes a connection itself (as a hostile one may): a tunnel the proxy opened for a
    // plugin already gone, and only half-closed, kept a descriptor of shelfwise's own process for good.
    const received: string[] = [];
    let accepted = 0;
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      accepted++;
      socket.on("data", (chunk) => received.push(chunk.toString("latin1")));
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    let resolved = 0;
    const proxy = await startEgressProxy({
      pluginId: "p",
      allowedHosts: ["*.slow.example"],
      allowPrivate: true,
      tcp: true,
      lookup: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        resolved++;
        return ["127.0.0.1"];
      },
    });
    try {
      await Promise.all(
        Array.from({ length: 3 }, (_, i) =>
          new Promise<void>((resolve) => {
            const socket = net.connect(proxy.port!, "127.0.0.1", () => {
              socket.write(`CONNECT n${i}.slow.example:${port} HTTP/1.1\r\nHost: n${i}.slow.example:${port}\r\n\r\n`);
              setTimeout(() => (socket.destroy(), resolve()), 5);
            });
          }),
        ),
      );
      // A fourth tunnel, answered once the three names before it are resolved (one lookup at a time); what it
      // writes while its name is resolved reaches the server.
      const reply = await new Promise<string>((resolve) => {
        const socket = net.connect(proxy.port!, "127.0.0.1", () => {
          socket.write(`CONNECT n9.slow.example:${port} HTTP/1.1\r\nHost: n9.slow.example:${port}\r\n\r\n`);
          setTimeout(() => socket.write("hello early"), 5);
        });
        socket.once("data", (chunk) => resolve(chunk.toString("latin1").split("\r\n")[0]!));
      });
      expect(reply).toBe("HTTP/1.1 200 Connection Established");
      // What was written early reaches the server a moment after the tunnel is answered for.
      await expect.poll(() => received.join("")).toBe("hello early");
      expect({ resolved, accepted, received: received.join("") }).toEqual({ resolved: 4, accepted: 1, received: "hello early" });
    } finally {
      await proxy.close();
      server.close();
    }
  });
});

describe("egress proxy targets that only look like a declared host", () => {
  it("are refused and reach nothing: a NUL or blank in the name, userinfo, other spellings of loopback", async () => {
    let connections = 0;
    const server = net.createServer((socket) => (connections++, socket.destroy()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const looked: string[] = [];
    // Declared names resolve to the local server (as a rebinding name server would answer): the name rule alone must hold.
    const proxy = await startEgressProxy({ pluginId: "p", allowedHosts: ["api.example.test", "*.cdn.example.test"], allowPrivate: true, tcp: true, lookup: async (host) => (looked.push(host), ["127.0.0.1"]) });
    // The real resolver, private addresses refused: every spelling of loopback is still loopback.
    const strict = await startEgressProxy({ pluginId: "s", allowedHosts: ["localhost", "2130706433", "0x7f.1", "127.1", "::ffff:127.0.0.1"], allowPrivate: false, tcp: true });
    try {
      for (const target of [
        `127.0.0.1\0.cdn.example.test:${port}`,
        `127.0.0.1 .cdn.example.test:${port}`,
        `127.0.0.1\t.cdn.example.test:${port}`,
        `api.example.test@127.0.0.1:${port}`,
        `127.0.0.1:${port}`,
        `2130706433:${port}`,
        `0x7f.1:${port}`,
        `[::1]:${port}`,
        `localhost.:${port}`,
      ]) {
        expect(await connect(proxy.port!, target), JSON.stringify(target)).not.toMatch(/ 200 /);
      }
      for (const url of [`http://api.example.test@127.0.0.1:${port}/`, `http://127.0.0.1:${port}\\@api.example.test/`, `http://127.0.0.1:${port}#@api.example.test/`]) {
        const status = await new Promise<number>((resolve) => {
          const req = http.request({ host: "127.0.0.1", port: proxy.port!, path: url, headers: { host: "api.example.test" } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)));
          req.on("error", () => resolve(0));
          req.end();
        });
        expect(status, url).not.toBe(200);
      }
      expect(looked).toEqual([]);
      for (const host of ["localhost", "localhost.", "2130706433", "0x7f.1", "127.1", "[::ffff:127.0.0.1]"]) {
        expect(await connect(strict.port!, `${host}:${port}`), host).toMatch(/ 403 /);
      }
      expect(connections).toBe(0);
    } finally {
      await proxy.close();
      await strict.close();
      server.close();
    }
  });
});

describe("egress proxy refusal reasons", () => {
  it("cuts a long reason where a character starts: it ended in U+FFFD", async () => {
    const lookup = async (): Promise<string[]> => {
      throw new Error("名前解決に失敗".repeat(200));
    };
    const proxy = await startEgressProxy({ pluginId: "p", allowedHosts: ["api.example"], allowPrivate: true, tcp: true, lookup });
    try {
      const reply = await new Promise<Buffer>((resolve) => {
        const socket = net.connect(proxy.port!, "127.0.0.1", () => socket.write("CONNECT api.example:443 HTTP/1.1\r\nHost: api.example:443\r\nx-shelfwise-silent: 1\r\n\r\n"));
        const chunks: Buffer[] = [];
        socket.on("data", (chunk: Buffer) => chunks.push(chunk));
        socket.on("close", () => resolve(Buffer.concat(chunks)));
        socket.on("error", () => {});
      });
      const text = reply.toString("utf8");
      expect(text).toMatch(/^\0shelfwise-refused\0cannot resolve api\.example: 名前解決に失敗/);
      expect(text).not.toContain("\ufffd");
    } finally {
      await proxy.close();
    }
  });
});
