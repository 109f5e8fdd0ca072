/**
 * A modest limit on guessing the access token: at most LOGIN_FAILURES_PER_MINUTE
 * wrong tokens per client address in any minute, wherever they are tried (the
 * login form, an API call's Bearer token or X-Shelfwise-Token, a page's
 * cookie: one limiter for all, so trying each in turn is no faster); past
 * that every request carrying a token answers 429 (JSON, with Retry-After)
 * without looking at the token, so guesses cannot go faster. A right token never counts. The
 * clients remembered are bounded: an attacker with many addresses cannot grow
 * the map without end (the oldest are forgotten first).
 */
import type { FastifyReply } from "fastify";
import { createRateWindow, type RateWindow } from "../domain/rate-window.js";

export const LOGIN_FAILURES_PER_MINUTE = 10;
const WINDOW_MS = 60_000;
const MAX_CLIENTS = 10_000;

export interface LoginLimiter {
  /** Milliseconds until `client` may try again (0: now). */
  wait(client: string): number;
  /** Counts a wrong token from `client`. */
  failed(client: string): void;
}

export function createLoginLimiter(now: () => number = () => performance.now()): LoginLimiter {
  const clients = new Map<string, RateWindow>();
  return {
    wait(client) {
      return clients.get(client)?.wait() ?? 0;
    },
    failed(client) {
      let window = clients.get(client);
      if (!window) {
        if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
        clients.set(client, (window = createRateWindow(LOGIN_FAILURES_PER_MINUTE, WINDOW_MS, now)));
      }
      window.take();
    },
  };
}

/** The answer while `wait` ms remain: the same for the form, the API and the pages. */
export function refuseTooManyGuesses(reply: FastifyReply, wait: number): FastifyReply {
  const seconds = Math.ceil(wait / 1000);
  return reply
    .code(429)
    .header("Retry-After", String(seconds))
    .type("application/json")
    .send({
      error: `too many wrong access tokens from this address (${LOGIN_FAILURES_PER_MINUTE} a minute at most): wait ${seconds} s, then use the token printed when the server first started (web_token in secrets.json)`,
    });
}
