/**
 * A bound on the connections that hold a file descriptor while asking
 * nothing: those still sending their request's headers (a "slowloris" client
 * sends a byte every few seconds, well inside node's 60 s headers timeout)
 * and kept-alive ones idle between two requests. Node caps neither: some
 * 20,000 of them exhausted the process's descriptors, and every new user,
 * the page's own requests included, was refused.
 *
 * Past the cap, the one waiting longest is closed, as nginx reuses its
 * oldest kept-alive connections when it runs short: a new user's request,
 * whose headers arrive within milliseconds, gets through however many slow
 * ones are open, and a browser opens a closed kept-alive connection again by
 * itself. A connection with a request being answered (an event stream, a
 * job's answer) is never counted here: event streams have their own bound
 * (events.ts).
 *
 * The cap is shared: one client address holds at most a quarter of it, and
 * past it its own oldest goes. Otherwise one client opening 256 slow
 * connections pushed every other user's idle kept-alive ones out, one by one.
 * When the addresses together pass the cap, the oldest of the address holding
 * the most goes, never another user's while someone holds more. An IPv6
 * client is counted by its /64 (one host is given a whole /64 and may send
 * from any address of it).
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

/** Connections waiting for their (next) request's headers, at most; a browser keeps 6 per site. */
export const MAX_WAITING_CONNECTIONS = 256;

/** Of those, from one client address (an IPv6 /64): some ten browsers' worth on one computer. */
export const MAX_WAITING_PER_ADDRESS = 64;

/** The key a client is counted under: its IPv4 address, or the /64 of its IPv6 one. */
export function clientKey(address: string | undefined): string {
  if (!address) return "";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(":")) return address;
  const bare = address.split("%")[0]!.toLowerCase();
  const [head, tail] = bare.split("::") as [string, string | undefined];
  const front = head === "" ? [] : head.split(":");
  const back = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill("0"), ...back];
  return `${groups
    .slice(0, 4)
    .map((group) => (Number.parseInt(group, 16) || 0).toString(16))
    .join(":")}::/64`;
}

export function guardWaitingConnections(server: Server, max = MAX_WAITING_CONNECTIONS, perAddress = MAX_WAITING_PER_ADDRESS): void {
  // Insertion order is waiting order: the first of each set has waited longest.
  const byAddress = new Map<string, Set<Socket>>();
  let total = 0;
  const keyOf = new WeakMap<Socket, string>();
  const forget = (socket: Socket) => {
    const key = keyOf.get(socket) ?? "";
    const line = byAddress.get(key);
    if (!line?.delete(socket)) return;
    total--;
    if (line.size === 0) byAddress.delete(key);
  };
  const closeOldest = (line: Set<Socket>) => {
    const oldest = line.values().next().value!;
    forget(oldest);
    oldest.destroy();
  };
  const wait = (socket: Socket) => {
    if (socket.destroyed) return;
    const key = keyOf.get(socket) ?? "";
    let line = byAddress.get(key);
    if (!line) byAddress.set(key, (line = new Set()));
    line.add(socket);
    total++;
    while (line.size > perAddress) closeOldest(line);
    while (total > max) {
      let largest = line;
      for (const other of byAddress.values()) if (other.size > largest.size) largest = other;
      closeOldest(largest);
    }
  };
  server.on("connection", (socket: Socket) => {
    keyOf.set(socket, clientKey(socket.remoteAddress));
    socket.once("close", () => forget(socket));
    wait(socket);
  });
  server.on("request", (request, response) => {
    const socket = request.socket as Socket;
    forget(socket);
    // Answered, a kept-alive connection waits for its next request: last in the line again.
    response.once("finish", () => {
      forget(socket);
      wait(socket);
    });
  });
}
