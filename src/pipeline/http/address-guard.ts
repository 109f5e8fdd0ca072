/**
 * The SSRF guard: which addresses an HTTP source may connect to. Only public
 * unicast addresses pass unless the source allows private ones. The check runs
 * on the address the socket actually connects to (see guardedLookup), so a DNS
 * answer cannot change between the check and the connection (rebinding).
 */
import dns from "node:dns";
import net from "node:net";
import os from "node:os";
import ipaddr from "ipaddr.js";

export class RefusedAddressError extends Error {
  readonly code = "EREFUSEDADDRESS";
}

/**
 * Why the address is not public, or null when it is. IPv4-mapped IPv6
 * (::ffff:10.0.0.1) is judged as the IPv4 address it maps; every range other
 * than plain unicast (loopback, private, link-local, CGNAT, unique-local,
 * multicast, 6to4/Teredo/NAT64 tunnels that can embed a private address,
 * reserved, 0.0.0.0, ::) is refused.
 */
export function nonPublicReason(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  } catch {
    return "not an IP address";
  }
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  if (range !== "unicast") return range;
  // ::a.b.c.d, the deprecated IPv4-compatible form: never a public service's address.
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0)) return "ipv4Compatible";
  return null;
}

/** nonPublicReason's range names in a user's words. */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  linkLocal: "link-local (cloud metadata, self-assigned)",
  uniqueLocal: "unique-local (IPv6 LAN)",
  carrierGradeNat: "carrier-grade NAT",
  deprecatedSiteLocal: "site-local",
  ipv4Compatible: "IPv4-compatible IPv6",
  rfc6052: "NAT64 (embeds an IPv4 address)",
  rfc6145: "IPv4-translated IPv6",
  teredo: "Teredo tunnel",
  "6to4": "6to4 tunnel",
};

/** The reason a check gives for a cloud provider's instance metadata service, refused allow_private or not. */
export const CLOUD_METADATA = "cloudMetadata";

/**
 * Instance metadata services (AWS/GCP/Azure/OpenStack, AWS ECS and EKS, Alibaba): they hand the machine's cloud
 * credentials to whoever asks, and are no service a source is set up for. allow_private (a service on the user's
 * own network) let a source, or a redirect from it, read them.
 */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set(
  ["169.254.169.254", "169.254.170.2", "169.254.170.23", "100.100.100.200", "fd00:ec2::254", "fd00:ec2::23"].map((a) => ipaddr.parse(a).toNormalizedString()),
);

/** CLOUD_METADATA when the address (any spelling, IPv4-mapped too) is a metadata service's, else null. */
export function cloudMetadataReason(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  } catch {
    return null;
  }
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return METADATA_ADDRESSES.has(parsed.toNormalizedString()) ? CLOUD_METADATA : null;
}

/** The reason a check gives for an address of this machine on shelfwise's own web server's port. */
export const OWN_SERVER = "ownServer";

/**
 * Whether the address is this machine's: loopback, the unspecified address
 * (which connects to this machine), or an address of one of its interfaces.
 */
export function isThisMachine(address: string): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  } catch {
    return false;
  }
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (["loopback", "unspecified"].includes(parsed.range())) return true;
  const normal = parsed.toNormalizedString();
  return Object.values(os.networkInterfaces()).some((list) =>
    (list ?? []).some((nic) => {
      try {
        const own = ipaddr.parse(nic.address.replace(/%.*$/, ""));
        return own.kind() === parsed.kind() && own.toNormalizedString() === normal;
      } catch {
        return false;
      }
    }),
  );
}

export function refusal(host: string, address: string, reason: string): RefusedAddressError {
  const shown = host === address ? address : `${host} (${address})`;
  if (reason === OWN_SERVER) {
    // allow_private or not: on loopback shelfwise's API asks no token, and it can change what shelfwise runs.
    return new RefusedAddressError(`refused to connect to ${shown}: that port is shelfwise's own web server, which no source may call`);
  }
  if (reason === CLOUD_METADATA) {
    return new RefusedAddressError(
      `refused to connect to ${shown}: that is a cloud provider's metadata service, which hands out this machine's credentials; no source may call it, allow_private or not`,
    );
  }
  const words = Object.hasOwn(RANGE_WORDS, reason) ? RANGE_WORDS[reason]! : reason;
  // "an unspecified address", "an IPv4-compatible IPv6 address", but "a unique-local address".
  const article = /^(?:[aeio]|un(?!i)|ipv)/i.test(words) ? "an" : "a";
  return new RefusedAddressError(
    `refused to connect to ${shown}: ${article} ${words} address is not public; set allow_private: true for a service on your own network`,
  );
}

/**
 * A URL's host when it is an IP literal. The WHATWG parser has already turned
 * decimal, hex and octal spellings (http://2130706433/, http://0x7f.1/) into
 * dotted form, so net.isIP sees them; node connects to literals without a lookup.
 */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return net.isIP(host) ? host : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request/net.connect that refuses names resolving to a
 * non-public address. Every address of the answer is checked: the socket may
 * try any of them (happy eyeballs).
 */
export function guardedLookup(check: AddressCheck = nonPublicReason) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => lookUpChecked(hostname, options, callback, check);
}

/** Why an address may not be connected to, or null; nonPublicReason unless a caller narrows it. */
export type AddressCheck = (address: string) => string | null;

function lookUpChecked(hostname: string, options: dns.LookupOptions, callback: LookupCallback, check: AddressCheck): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    for (const { address } of addresses) {
      const reason = check(address);
      if (reason !== null) return callback(refusal(hostname, address, reason), []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
    callback(null, first.address, first.family);
  });
}
