/**
 * Server-sent events: every open page gets the live status (job, layer,
 * counts) and plugin state changes as they happen. Status events are
 * coalesced (at most one every 200 ms) so a fast pipeline does not flood
 * slow clients.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { inPageWords } from "./page-words.js";

/**
 * How soon a page's dropped stream is tried again (EventSource's `retry`; the page's own retry after a refused
 * stream starts at the same: web/src/state.ts). The server is the user's own, started again in about a second
 * after an upgrade or a restart: an open page is back half a second later rather than two, and a refused
 * attempt every half second while it is down costs nothing.
 */
export const RECONNECT_MS = 500;

/** Events kept for one client that is not reading them, at most (a status event is a few KB). */
export const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

/**
 * Events kept for all clients that are not reading, at most: without it a few hundred stalled streams, each
 * under MAX_UNREAD_BYTES, held gigabytes. Past it the slowest streams (most unread) are dropped first; a
 * page that reads keeps well under a status event's few KB and is never among them.
 */
export const MAX_TOTAL_UNREAD_BYTES = 32 * 1024 * 1024;

/**
 * Open streams at most. Each holds a connection (a descriptor) however little it is sent: thousands opened by a
 * script ran the server out of descriptors. Past it the oldest stream is closed; a page's EventSource reconnects
 * by itself (a browser keeps 6 connections per site anyway, so a user's tabs never come near it).
 */
export const MAX_STREAMS = 128;

interface Client {
  end(): void;
  /** Bytes written to the stream and not yet taken by the kernel. */
  unread(): number;
  drop(): void;
}

export class EventHub {
  private readonly clients = new Map<(chunk: string) => void, Client>();
  private pending: NodeJS.Timeout | null = null;
  private statusSource: (() => unknown) | null = null;

  get size(): number {
    return this.clients.size;
  }

  publish(event: string, data: unknown): void {
    const chunk = `event: ${event}\ndata: ${JSON.stringify(inPageWords(data))}\n\n`;
    for (const write of this.clients.keys()) write(chunk);
    this.trim();
  }

  /** Bytes kept for all streams that have not read them yet. */
  unreadBytes(): number {
    let total = 0;
    for (const client of this.clients.values()) total += client.unread();
    return total;
  }

  /** Drops the slowest streams until what is kept for all fits MAX_TOTAL_UNREAD_BYTES (once per event: O(n log n)). */
  private trim(): void {
    let total = this.unreadBytes();
    if (total <= MAX_TOTAL_UNREAD_BYTES) return;
    const slowest = [...this.clients.values()].sort((a, b) => b.unread() - a.unread());
    for (const client of slowest) {
      if (total <= MAX_TOTAL_UNREAD_BYTES) break;
      total -= client.unread();
      client.drop();
    }
  }

  /** Sends the status soon (coalesced); `source` computes it when sent. */
  statusChanged(source: () => unknown): void {
    this.statusSource = source;
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      if (this.clients.size && this.statusSource) this.publish("status", this.statusSource());
    }, 200);
    this.pending.unref();
  }

  /** Takes over the reply as an event stream until the client goes away. */
  attach(request: FastifyRequest, reply: FastifyReply, first: () => unknown): void {
    reply.hijack();
    const raw = reply.raw;
    const headers = reply.getHeaders() as Record<string, string>;
    raw.writeHead(200, {
      ...headers,
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    let keepAlive: NodeJS.Timeout | undefined;
    const close = () => {
      clearInterval(keepAlive);
      this.clients.delete(write);
    };
    const drop = () => {
      close();
      raw.destroy();
    };
    const write = (chunk: string) => {
      // A client that stopped reading (a stalled connection, or one that never reads) would have every event
      // kept for it in memory without end: past the limit it is dropped. A browser that reads again
      // reconnects on its own (EventSource) and gets the status afresh.
      if (raw.writableLength > MAX_UNREAD_BYTES) return drop();
      raw.write(chunk);
    };
    write(`retry: ${RECONNECT_MS}\nevent: status\ndata: ${JSON.stringify(inPageWords(first()))}\n\n`);
    this.clients.set(write, { end: () => raw.end(), unread: () => raw.writableLength, drop });
    // Map order is opening order: the first is the oldest.
    while (this.clients.size > MAX_STREAMS) this.clients.values().next().value!.drop();
    keepAlive = setInterval(() => write(": keep-alive\n\n"), 15_000);
    keepAlive.unref();
    request.raw.on("close", close);
    raw.on("error", close);
  }

  /** Ends every stream (shutdown). */
  closeAll(): void {
    if (this.pending) clearTimeout(this.pending);
    // Forgotten too: a timer cleared but still set would make statusChanged() wait for it forever.
    this.pending = null;
    this.publish("bye", {});
    for (const client of this.clients.values()) client.end();
    this.clients.clear();
  }
}
