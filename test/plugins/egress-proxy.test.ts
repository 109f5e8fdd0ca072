/** The egress proxy's own costs to shelfwise, with name resolution faked (no network needed). */
import net from "node:net";
import { describe, expect, it } from "vitest";
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
