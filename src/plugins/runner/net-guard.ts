/**
 * Network guard installed inside the node runner before the plugin loads.
 *
 * Node 20 has no network permission flag, so this is a guard for honest plugins
 * (clear errors instead of silent reach-outs), not a wall: code that goes below
 * the public modules can get around it. Everything else the permission model enforces.
 *
 * Every way out through the public API ends in net.Socket#connect (http, https,
 * tls, net, fetch/undici), dns or dgram; those are checked, and the common entry
 * points (fetch, http(s).request/get) also refuse up front so the message is clear.
 */
import dgram from "node:dgram";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";
import { domainToASCII } from "node:url";

export interface NetGuardOptions {
  pluginId: string;
  /** Host names or IPs, matched exactly (case-insensitive), or `*.domain` for its subdomains. */
  allowedHosts: string[];
}

export class HostNotAllowedError extends Error {
  code = "ERR_SHELFWISE_HOST_NOT_ALLOWED";
}

/**
 * Pure: may `host` be reached given the allowed list? An entry `*.example.com` (the manifest allows
 * nothing broader) matches the names under example.com at any depth, not example.com itself, and
 * never an address. The egress proxy and the Python runner's guard apply the same rule.
 */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const name = normalizeHost(host);
  // A Unicode name with no ASCII form is looked up as nobody listed it: never allowed (not even by a wildcard
  // it ends with), as in the Python guard.
  if (/[^\x00-\x7f]/.test(name)) return false;
  for (const entry of allowedHosts) {
    const allowed = normalizeHost(entry);
    if (allowed === name) return true;
    if (allowed.startsWith("*.") && name.endsWith(allowed.slice(1)) && name.length > allowed.length - 1 && net.isIP(name) === 0) return true;
  }
  return false;
}

/**
 * Lower case, no brackets or final dot; a Unicode name in its ASCII form (what DNS is asked and the manifest
 * keeps), or left in Unicode when it has none. A zero-width joiner or non-joiner leaves it in Unicode even where
 * UTS 46 allows one (after a virama): Python's guard (python/shelfwise_hosts.py) cannot tell those apart,
 * and both guards must allow and refuse the same names.
 */
export function normalizeHost(host: string): string {
  let h = host.trim();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h.endsWith(".")) h = h.slice(0, -1);
  // Not lower-cased first: JavaScript lowers a final Σ to ς, a different name; UTS 46 maps every Σ to σ.
  if (/[^\x00-\x7f]/.test(h) && !/[\u200c\u200d]/.test(h)) return domainToASCII(h) || h.toLowerCase();
  return h.toLowerCase();
}

export function installNetGuard(options: NetGuardOptions): void {
  const deny = (host: string) =>
    new HostNotAllowedError(
      `plugin ${options.pluginId} may not reach host ${host}: add it to permissions.network in manifest.json`,
    );
  const check = (host: string): HostNotAllowedError | null => (hostAllowed(host, options.allowedHosts) ? null : deny(host));
  guardSockets(options.pluginId, check);
  guardDns(check);
  guardDgram(check);
  guardHttp(check);
  guardFetch(check);
  // ESM `import { connect } from "node:net"` bindings only see the patches after this.
  syncBuiltinESMExports();
}

type Check = (host: string) => Error | null;

function guardSockets(pluginId: string, check: Check): void {
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = socketTarget(args);
    const error =
      target.path !== null
        ? new HostNotAllowedError(`plugin ${pluginId} may not open local socket ${target.path}`)
        : check(target.host);
    if (error) {
      // Fail the way a refused connection fails: asynchronously, as an 'error' event.
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
}

/** Socket#connect takes (options), (port, host), (path) or node's internal normalized array. */
function socketTarget(args: unknown[]): { host: string; path: string | null } {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === "object") {
    const o = first as { host?: unknown; path?: unknown };
    if (typeof o.path === "string" && o.path !== "") return { host: "", path: o.path };
    return { host: typeof o.host === "string" && o.host ? o.host : "localhost", path: null };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return { host: "", path: first };
  return { host: typeof args[1] === "string" && args[1] ? args[1] : "localhost", path: null };
}

const DNS_METHODS = [
  "lookup",
  "lookupService",
  "resolve",
  "resolve4",
  "resolve6",
  "resolveAny",
  "resolveCaa",
  "resolveCname",
  "resolveMx",
  "resolveNaptr",
  "resolveNs",
  "resolvePtr",
  "resolveSoa",
  "resolveSrv",
  "resolveTxt",
] as const;

function guardDns(check: Check): void {
  const callbackTargets: object[] = [dns, dns.Resolver.prototype];
  for (const target of callbackTargets) {
    for (const name of DNS_METHODS) wrapCallbackStyle(target as Record<string, unknown>, name, check);
  }
  const promiseTargets: object[] = [dns.promises, dns.promises.Resolver.prototype];
  for (const target of promiseTargets) {
    for (const name of DNS_METHODS) wrapPromiseStyle(target as Record<string, unknown>, name, check);
  }
}

function wrapCallbackStyle(target: Record<string, unknown>, name: string, check: Check): void {
  const original = target[name];
  if (typeof original !== "function") return;
  target[name] = function (this: unknown, host: unknown, ...rest: unknown[]) {
    const error = typeof host === "string" ? check(host) : null;
    if (error) {
      const callback = rest[rest.length - 1];
      if (typeof callback === "function") process.nextTick(() => callback(error));
      return undefined;
    }
    return original.call(this, host, ...rest);
  };
}

function wrapPromiseStyle(target: Record<string, unknown>, name: string, check: Check): void {
  const original = target[name];
  if (typeof original !== "function") return;
  target[name] = function (this: unknown, host: unknown, ...rest: unknown[]) {
    const error = typeof host === "string" ? check(host) : null;
    if (error) return Promise.reject(error);
    return original.call(this, host, ...rest);
  };
}

function guardDgram(check: Check): void {
  const proto = dgram.Socket.prototype as unknown as Record<string, unknown>;
  const send = proto.send as (...a: unknown[]) => unknown;
  proto.send = function (this: dgram.Socket, ...args: unknown[]) {
    // send(msg, [offset, length,] port, address, cb): the address is the first string after the message.
    const address = args.slice(1).find((a): a is string => typeof a === "string");
    const error = address !== undefined ? check(address) : null;
    if (error) throw error;
    return send.apply(this, args);
  };
  const connect = proto.connect as (...a: unknown[]) => unknown;
  proto.connect = function (this: dgram.Socket, port: unknown, address?: unknown, ...rest: unknown[]) {
    const error = check(typeof address === "string" ? address : "localhost");
    if (error) throw error;
    return connect.call(this, port, address, ...rest);
  };
}

function guardHttp(check: Check): void {
  for (const mod of [http, https] as Array<Record<string, unknown>>) {
    for (const name of ["request", "get"]) {
      const original = mod[name] as (...a: unknown[]) => unknown;
      mod[name] = function (this: unknown, ...args: unknown[]) {
        const error = check(httpTarget(args));
        if (error) throw error;
        return original.apply(this, args);
      };
    }
  }
}

function httpTarget(args: unknown[]): string {
  const [first, second] = args;
  if (typeof first === "string" || first instanceof URL) {
    try {
      return new URL(String(first)).hostname;
    } catch {
      return String(first);
    }
  }
  const options = (first ?? second ?? {}) as { hostname?: unknown; host?: unknown; socketPath?: unknown };
  if (typeof options.socketPath === "string") return options.socketPath;
  const host = options.hostname ?? options.host;
  return typeof host === "string" && host ? host : "localhost";
}

function guardFetch(check: Check): void {
  const original = globalThis.fetch;
  if (typeof original !== "function") return;
  globalThis.fetch = function guardedFetch(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) {
    let host: string;
    try {
      const url = typeof input === "string" || input instanceof URL ? new URL(String(input)) : new URL(input.url);
      host = url.hostname;
    } catch {
      return original(input, init);
    }
    const error = check(host);
    if (error) return Promise.reject(error);
    return original(input, init);
  } as typeof fetch;
}
