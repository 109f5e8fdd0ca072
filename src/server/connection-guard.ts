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
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

/** Connections waiting for their (next) request's headers, at most; a browser keeps 6 per site. */
export const MAX_WAITING_CONNECTIONS = 256;

export function guardWaitingConnections(server: Server, max = MAX_WAITING_CONNECTIONS): void {
  // Insertion order is waiting order: the first key has waited longest.
  const waiting = new Set<Socket>();
  const wait = (socket: Socket) => {
    if (socket.destroyed) return;
    waiting.add(socket);
    while (waiting.size > max) {
      const oldest = waiting.values().next().value!;
      waiting.delete(oldest);
      oldest.destroy();
    }
  };
  server.on("connection", (socket: Socket) => {
    socket.once("close", () => waiting.delete(socket));
    wait(socket);
  });
  server.on("request", (request, response) => {
    const socket = request.socket as Socket;
    waiting.delete(socket);
    // Answered, a kept-alive connection waits for its next request: last in the line again.
    response.once("finish", () => {
      waiting.delete(socket);
      wait(socket);
    });
  });
}
