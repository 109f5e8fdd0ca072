/**
 * Which paths a walled plugin sees, for both bubblewrap (binds) and Landlock
 * (rules): the system's shared libraries and certificates, its runtime, the
 * runner and SDK, its own folder (or staged copy), the folders it may read,
 * and its data folder, the only writable one. Everything else, shelfwise's
 * config, secrets, database, logs and other plugins included, is simply not there.
 */
import fs from "node:fs";
import path from "node:path";
import { withRealPaths as realPaths } from "../process/real-paths.js";
import type { LaunchSpec } from "../plugin-types.js";

export interface PathPlan {
  /** Read-only system folders: libraries, the interpreter, certificates. */
  system: string[];
  /** /lib -> usr/lib style links at the root (merged-/usr systems). */
  rootLinks: { path: string; target: string }[];
  /** Read-only: plugin folder, runner, SDK, declared read paths. */
  readable: string[];
  /** Read-write: the plugin's data folder. */
  writable: string[];
  /** shelfwise's own folders that lie inside a readable one: hidden (namespace only). */
  masked: string[];
  /** Readable paths inside a masked folder, bound again on top of the mask. */
  rebound: string[];
}

const ROOT_DIRS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/** What the dynamic loader, TLS, time zones and Debian's python need from /etc; not passwd, shadow or the rest. */
const ETC_ENTRIES = [
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "ssl",
  "ca-certificates",
  "ca-certificates.conf",
  "pki",
  "crypto-policies",
  "alternatives",
  "localtime",
  "timezone",
  "nsswitch.conf",
  "host.conf",
  "hosts",
  "gai.conf",
  "protocols",
  "services",
  "mime.types",
];

export function planPaths(spec: LaunchSpec, command: { file: string; args: string[] }): PathPlan {
  const system = new Set<string>(["/usr"]);
  const rootLinks: PathPlan["rootLinks"] = [];
  for (const dir of ROOT_DIRS) {
    try {
      const stat = fs.lstatSync(dir);
      if (stat.isSymbolicLink()) rootLinks.push({ path: dir, target: fs.readlinkSync(dir) });
      else if (stat.isDirectory()) system.add(dir);
    } catch {
      // not on this system
    }
  }
  for (const entry of ETC_ENTRIES) system.add(path.join("/etc", entry));
  for (const entry of safeList("/etc")) if (/^python3(\.\d+)?$/.test(entry)) system.add(path.join("/etc", entry));
  for (const dir of runtimeDirs(command.file)) system.add(dir);

  const writable = withRealPaths([spec.dataDir]);
  const readableInput = [
    spec.folder,
    path.dirname(spec.entry),
    ...spec.readPaths,
    ...(spec.sandbox?.extra_read_paths ?? []),
    ...argPaths(command.args),
  ];
  const candidates = withRealPaths([...readableInput, ...packageManifests(readableInput)]).filter(
    (p) => !writable.includes(p) && !underAny(p, [...system]),
  );
  // A path reached through a link inside another bound folder (plugins/node_modules/shelfwise ->
  // the package) is there already: the link resolves to its real path, which is bound too.
  const readable = candidates.filter((p) => !(throughLink(p) && candidates.some((q) => isUnder(p, q))));

  const protect = withRealPaths([...(spec.sandbox?.protect ?? []), ...defaultProtected(spec)]);
  const visible = [...system, ...readable];
  const masked = protect.filter((p) => visible.some((v) => p === v || isUnder(p, v)));
  const rebound = readable.filter((p) => underAny(p, masked) || masked.includes(p));
  return { system: [...system], rootLinks, readable, writable, masked, rebound };
}

/** shelfwise's data folder holds config.json, secrets.json, the database, logs and every plugin's data. */
function defaultProtected(spec: LaunchSpec): string[] {
  const parent = path.dirname(spec.dataDir);
  const out = [path.dirname(spec.logFile)];
  if (path.basename(parent) === "plugin-data") out.push(path.dirname(parent));
  return out;
}

/** The runtime's own tree when it lives outside /usr (nvm, pyenv, a venv): <prefix>/bin/<exe> -> <prefix>. */
function runtimeDirs(file: string): string[] {
  const out: string[] = [];
  for (const candidate of withRealPaths([file])) {
    if (isUnder(candidate, "/usr") || !path.isAbsolute(candidate)) continue;
    const prefix = path.dirname(path.dirname(candidate));
    if (prefix !== "/") out.push(prefix);
  }
  return out;
}

/** Absolute paths in the runtime's arguments (the runner script, node's --allow-fs-read grants). */
function argPaths(args: string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const value = arg.startsWith("--") ? arg.slice(arg.indexOf("=") + 1) : arg;
    if (!arg.startsWith("--") || arg.includes("=")) {
      if (!path.isAbsolute(value)) continue;
      try {
        out.push(fs.statSync(value).isDirectory() ? value : path.dirname(value));
      } catch {
        // not there: nothing to bind
      }
    }
  }
  return out;
}

/**
 * A readable folder inside a package (node_modules/shelfwise/dist/sdk) needs the
 * package's package.json too: node resolves `shelfwise/plugin` through its exports.
 */
function packageManifests(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(p);
    if (match) out.push(path.join(match[1]!, "package.json"));
  }
  return out;
}

function throughLink(p: string): boolean {
  try {
    return fs.realpathSync(p) !== p;
  } catch {
    return false;
  }
}

function withRealPaths(paths: string[]): string[] {
  return realPaths(paths.filter((p) => p && path.isAbsolute(p)));
}

function isUnder(p: string, dir: string): boolean {
  return p.startsWith(dir.endsWith("/") ? dir : dir + "/");
}

function underAny(p: string, dirs: string[]): boolean {
  return dirs.some((d) => isUnder(p, d));
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
