/**
 * Which wall mechanisms this machine offers, probed once per process: a
 * bubblewrap that can create the namespaces, and the Landlock helper with the
 * kernel's ABI. The probes run real sandboxes (a container may ship bwrap but
 * forbid user namespaces), so a missing mechanism is found before a plugin starts.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SWITCHABLE_MECHANISMS, type SwitchableMechanism } from "./sandbox-types.js";

/** Env switch, for tests and for users debugging a plugin: e.g. "namespace,landlock" or "all". */
export const DISABLE_ENV = "SHELFWISE_SANDBOX_DISABLE";

export interface Availability {
  bwrap: string | null;
  /** Why bwrap is not usable (when it is not). */
  bwrapProblem: string | null;
  helper: string | null;
  /** Landlock ABI the kernel offers (0: none or no helper). */
  landlockAbi: number;
  landlockProblem: string | null;
}

const BWRAP_CANDIDATES = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"];

// src/plugins/sandbox and dist/plugins/sandbox are both three levels under the package root.
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const HELPER_PATH = path.join(packageRoot, "native", "build", "sandbox-exec");

let cached: Availability | undefined;

export function availability(): Availability {
  if (cached) return cached;
  cached = { bwrap: null, bwrapProblem: null, helper: null, landlockAbi: 0, landlockProblem: null };
  if (process.platform !== "linux") {
    cached.bwrapProblem = `namespaces need Linux (this is ${process.platform})`;
    cached.landlockProblem = `Landlock needs Linux (this is ${process.platform})`;
    return cached;
  }
  const bwrap = BWRAP_CANDIDATES.find(isExecutable) ?? null;
  if (!bwrap) cached.bwrapProblem = "bubblewrap (bwrap) is not installed: apt-get install bubblewrap";
  else {
    // The same namespaces a plugin gets; some containers allow bwrap but not these.
    const probe = spawnSync(bwrap, [...UNSHARE_FLAGS, "--ro-bind", "/", "/", "--", "/bin/true"], { encoding: "utf8", timeout: 5000 });
    if (probe.status === 0) cached.bwrap = bwrap;
    else cached.bwrapProblem = `bwrap cannot create namespaces here: ${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()}`;
  }
  if (!isExecutable(HELPER_PATH)) {
    cached.landlockProblem = "the Landlock helper native/build/sandbox-exec is not built (needs a C compiler at install: npm run build)";
  } else {
    const probe = spawnSync(HELPER_PATH, ["--abi"], { encoding: "utf8", timeout: 5000 });
    const abi = Number.parseInt(probe.stdout ?? "", 10) || 0;
    cached.helper = HELPER_PATH;
    cached.landlockAbi = abi;
    if (abi < 1) cached.landlockProblem = "the kernel offers no Landlock (needs Linux 5.13+ with lsm=landlock)";
  }
  return cached;
}

/** Namespaces every plugin gets (the network one always: the proxy is the only way out). */
export const UNSHARE_FLAGS = ["--unshare-user-try", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Mechanisms switched off by config (sandbox_disable) or the environment. */
export function disabledMechanisms(configured: readonly string[] = []): Set<SwitchableMechanism> {
  const words = [...configured, ...(process.env[DISABLE_ENV] ?? "").split(",")].map((w) => w.trim().toLowerCase()).filter(Boolean);
  const out = new Set<SwitchableMechanism>();
  for (const word of words) {
    if (word === "all") SWITCHABLE_MECHANISMS.forEach((m) => out.add(m));
    else if ((SWITCHABLE_MECHANISMS as readonly string[]).includes(word)) out.add(word as SwitchableMechanism);
  }
  return out;
}
