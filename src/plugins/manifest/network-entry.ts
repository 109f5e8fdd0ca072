/**
 * What one `permissions.network` entry of a manifest means. Library Manager treats the list as
 * information, so its manifests hold whatever an author wrote: a URL, a host with a port, a
 * wildcard. shelfwise enforces the list, so an entry is read as the host it names (with a note
 * saying what was kept), a `*.domain` allows that domain's subdomains, and an entry that would
 * open more than one domain (`*`, `*.com`, `*.co.uk`, an address range) is refused with what to
 * write instead.
 *
 * Pure: no file system, no network.
 */
import { isIP } from "node:net";
import { domainToASCII } from "node:url";

export type NetworkEntry = { host: string; note: string | null } | { problem: string };

const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Letters, digits and inner hyphens, dot-separated; at most 253 characters. */
export function isHostName(value: string): boolean {
  if (value.length > 253) return false;
  return value.split(".").every((label) => HOST_LABEL.test(label));
}

/**
 * Second-level labels that country domains sell names under (co.uk, com.au, ...), and hosting
 * domains whose subdomains belong to different people (github.io, ...): a wildcard over one of
 * them would allow strangers' hosts. Not the whole Public Suffix List (thousands of entries, and
 * a dependency): the common ones, so a slip is refused; an unlisted suffix is the author's to get right.
 */
const SECOND_LEVEL = new Set(["ac", "co", "com", "edu", "gov", "govt", "gob", "go", "ltd", "me", "mil", "ne", "net", "nic", "or", "org", "plc", "sch"]);
const SHARED_HOSTING = new Set([
  "github.io", "gitlab.io", "githubusercontent.com", "herokuapp.com", "appspot.com", "blogspot.com", "cloudfront.net",
  "amazonaws.com", "azurewebsites.net", "cloudapp.net", "netlify.app", "vercel.app", "pages.dev", "workers.dev",
  "web.app", "firebaseapp.com", "fly.dev", "onrender.com", "ngrok.io", "ngrok-free.app", "duckdns.org", "no-ip.org",
]);

function isPublicSuffix(domain: string): boolean {
  const labels = domain.split(".");
  if (labels.length === 1) return true;
  if (SHARED_HOSTING.has(domain)) return true;
  return labels.length === 2 && labels[1]!.length === 2 && SECOND_LEVEL.has(labels[0]!);
}

const ADDRESS_RANGE = "an address range is not allowed: list each address the plugin connects to (a private one also needs plugin_configs.<id>.allow_private_network)";
const HOST_EXAMPLE = "must be a host name like api.example.com, a URL, or *.example.com for a domain's subdomains";

/** The ASCII form of a host name (punycode for Unicode), lower case, without a final dot; "" when it is none. */
export function asciiHost(name: string): string {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  // domainToASCII refuses "*" (and "_"); a wildcard's first label is kept aside by the caller.
  const ascii = /^[\x21-\x7e]*$/.test(trimmed) ? trimmed.toLowerCase() : domainToASCII(trimmed);
  return ascii !== "" && isHostName(ascii) && domainToASCII(ascii) !== "" ? ascii : "";
}

export function readNetworkEntry(raw: string): NetworkEntry {
  const value = raw.trim();
  if (value === "") return { problem: "must not be empty: write a host name such as api.example.com" };
  if (/\s/.test(value)) return { problem: "must be one host name, without spaces, such as api.example.com" };
  const kept: string[] = [];
  if (value !== raw) kept.push("the spaces around it dropped");

  if (value === "*" || value === "*.") {
    return { problem: "* would allow every host: list the hosts the plugin connects to (api.example.com), or *.example.com for one domain's subdomains" };
  }
  let host = value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value;
  if (isIP(host)) return done(host.toLowerCase(), kept);
  if (/^[0-9a-f:.]+\/\d{1,3}$/i.test(host) || /^[\d.*]+$/.test(host) && host.includes("*")) return { problem: ADDRESS_RANGE };

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(host);
  if (scheme || /[/:@?#]/.test(host)) {
    let url: URL;
    try {
      url = new URL(scheme ? host : `http://${host}`);
    } catch {
      return { problem: HOST_EXAMPLE };
    }
    const name = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    if (name === "") return { problem: HOST_EXAMPLE };
    // The port as written: URL forgets a scheme's default one (https://api.example.com:443).
    const authority = (scheme ? host.slice(scheme[0].length) : host).split(/[/?#]/)[0]!.replace(/^.*@/, "");
    const port = /:(\d+)$/.exec(authority)?.[1];
    const dropped: string[] = [];
    if (scheme) dropped.push(`scheme ${scheme[1]!.toLowerCase()}`);
    if (url.username || url.password) dropped.push("user name and password");
    if (port) dropped.push(`port ${port}`);
    if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) dropped.push("path");
    if (dropped.length > 0) kept.push(`${dropped.join(", ")} dropped${port ? ": a plugin may reach the hosts it lists on any port" : ""}`);
    host = name;
    if (isIP(host)) return done(host.toLowerCase(), kept);
  }

  if (host.includes("*")) {
    if (host === "*" || host === "*.") return readNetworkEntry("*");
    if (!host.startsWith("*.") || host.slice(2).includes("*")) return { problem: "a wildcard may only be the whole first label, as in *.example.com" };
    const base = host.slice(2).replace(/\.$/, "");
    if (isIP(base) || /(^|\.)\d+$/.test(base)) return { problem: ADDRESS_RANGE };
    const domain = asciiHost(base);
    if (domain === "") return { problem: HOST_EXAMPLE };
    if (isPublicSuffix(domain)) {
      return {
        problem: `*.${domain} would allow every domain under ${domain}, which anyone can register names under: name the domain, as in *.example.${domain}`,
      };
    }
    return done(`*.${domain}`, kept, base);
  }

  const name = asciiHost(host);
  if (name === "") return { problem: HOST_EXAMPLE };
  return done(name, kept, host.replace(/\.$/, ""));
}

function done(host: string, kept: string[], written?: string): NetworkEntry {
  if (written !== undefined && written.replace(/^\*\./, "") !== host.replace(/^\*\./, "") && /[^\x00-\x7f]/.test(written)) {
    kept.push(`the ASCII form of ${written.replace(/^\*\./, "")}, which is what is looked up`);
  }
  if (kept.length === 0) return { host, note: null };
  // The entry itself is not repeated: a URL may carry a password.
  return { host, note: `read as ${host} (${kept.join("; ")})` };
}
