/**
 * Which wall mechanisms this machine offers, probed once per process: a
 * bubblewrap that can create the namespaces, and the Landlock helper with the
 * kernel's ABI. The probes run real sandboxes (a container may ship bwrap but
 * forbid user namespaces), so a missing mechanism is found before a plugin starts.
 */
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "../../config/package-root.js";
import { ownCgroup, ownPidsCgroup, sweepStale } from "./pids-cgroup.js";
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
  /** The helper can install seccomp filters (the kernel offers them and the helper knows this architecture). */
  seccomp: boolean;
  /** The helper can stay as the plugin's reaping parent (`--reap`; helpers built before it cannot). */
  reap: boolean;
  seccompProblem: string | null;
  /** The helper knows --nproc and --pids-cgroup (helpers built before them do not). */
  taskLimits: boolean;
  /** The helper knows --guard, the outermost link that dies with shelfwise (process/death-signal.ts). */
  guard: boolean;
  /** The helper knows --fsize (RLIMIT_FSIZE for the plugin). */
  fileSize: boolean;
  /** A pids cgroup folder the helper can create plugin cgroups in (see pids-cgroup.ts); null when none. */
  pidsCgroup: string | null;
  /** The helper knows --memory-cgroup. */
  memoryLimits: boolean;
  /**
   * A memory cgroup folder the helper can create plugin cgroups in (--memory-cgroup, with --guard):
   * the kernel holds a plugin's memory, Buffers included, at its limit. Null when none.
   */
  memoryCgroup: string | null;
}

const BWRAP_CANDIDATES = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"];

export const HELPER_PATH = path.join(packageRoot(), "native", "build", "sandbox-exec");

let cached: Availability | undefined;
let probing: Promise<Availability> | undefined;

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

function runAsync(file: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: "utf8", timeout: 5000 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      const status = !error ? 0 : typeof code === "number" ? code : null;
      resolve({ status, stdout, stderr, error: error && status === null ? error : undefined });
    });
  });
}

function runSync(file: string, args: string[]): RunResult {
  const r = spawnSync(file, args, { encoding: "utf8", timeout: 5000 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

const BWRAP_PROBE = [...(["--unshare-user-try", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"] as const), "--ro-bind", "/", "/", "--", "/bin/true"];

function candidates(): { bwrap: string | null; helper: string | null } | null {
  if (process.platform !== "linux") return null;
  return { bwrap: BWRAP_CANDIDATES.find(isExecutable) ?? null, helper: isExecutable(HELPER_PATH) ? HELPER_PATH : null };
}

function interpret(found: ReturnType<typeof candidates>, bwrapRun: RunResult | null, helperRun: RunResult | null): Availability {
  const out: Availability = { bwrap: null, bwrapProblem: null, helper: null, landlockAbi: 0, landlockProblem: null, seccomp: false, seccompProblem: null, reap: false, taskLimits: false, guard: false, fileSize: false, pidsCgroup: null, memoryCgroup: null, memoryLimits: false };
  if (!found) {
    out.bwrapProblem = `namespaces need Linux (this is ${process.platform})`;
    out.landlockProblem = `Landlock needs Linux (this is ${process.platform})`;
    out.seccompProblem = `seccomp needs Linux (this is ${process.platform})`;
    return out;
  }
  if (!found.bwrap || !bwrapRun) out.bwrapProblem = "bubblewrap (bwrap) is not installed: apt-get install bubblewrap";
  else if (bwrapRun.status === 0) out.bwrap = found.bwrap;
  else out.bwrapProblem = `bwrap cannot create namespaces here: ${(bwrapRun.stderr || bwrapRun.error?.message || `exit ${bwrapRun.status}`).trim()}`;
  if (!found.helper || !helperRun) {
    out.landlockProblem = "the Landlock helper native/build/sandbox-exec is not built (needs a C compiler at install: npm run build)";
    out.seccompProblem = out.landlockProblem;
  } else {
    out.helper = found.helper;
    // "<Landlock ABI> <1 when seccomp filters work> <1: knows --reap> <1: knows --nproc, --pids-cgroup> <1: knows --guard> <1: knows --fsize>";
    // older helpers print less.
    const [abi, seccomp, reap, taskLimits, guard, fileSize, memoryLimits] = helperRun.stdout.trim().split(/\s+/);
    out.fileSize = fileSize === "1";
    out.memoryLimits = memoryLimits === "1";
    out.reap = reap === "1";
    out.taskLimits = taskLimits === "1";
    out.guard = guard === "1";
    out.landlockAbi = Number.parseInt(abi ?? "", 10) || 0;
    if (out.landlockAbi < 1) out.landlockProblem = "the kernel offers no Landlock (needs Linux 5.13+ with lsm=landlock)";
    out.seccomp = seccomp === "1";
    if (seccomp === undefined) out.seccompProblem = "the helper native/build/sandbox-exec predates the syscall filter: rebuild it (npm run build)";
    else if (!out.seccomp) out.seccompProblem = "the kernel offers no seccomp filters, or the helper has no filter for this architecture (x86_64, aarch64)";
  }
  return out;
}

/** Probes once, without blocking the event loop (the probes at once); later calls get the cached answer. */
export function probeSandbox(): Promise<Availability> {
  if (cached) return Promise.resolve(cached);
  probing ??= (async () => {
    const found = candidates();
    const cgroup = found?.helper ? cgroupProbe(found.helper) : null;
    const memory = found?.helper ? memoryProbe(found.helper) : null;
    const chain = found?.helper ? chainedProbe(found.helper, cgroup, memory) : null;
    // Each probe runs a real sandbox: a container may ship bwrap but forbid namespaces.
    const [b, first] = await Promise.all([found?.bwrap ? runAsync(found.bwrap, BWRAP_PROBE) : null, found?.helper ? runAsync(found.helper, chain ?? ["--abi"]) : null]);
    if (!chain || first?.status === 0) return (cached ??= withMemoryCgroup(withCgroup(interpret(found, b, first), cgroup, first), memory, first));
    const [h, c, m] = await Promise.all([
      runAsync(found!.helper!, ["--abi"]),
      cgroup ? runAsync(found!.helper!, cgroup.args) : null,
      memory ? runAsync(found!.helper!, memory.args) : null,
    ]);
    return (cached ??= withMemoryCgroup(withCgroup(interpret(found, b, h), cgroup, c), memory, m));
  })();
  return probing;
}

/** The cached answer, or a blocking probe when nothing has probed yet. */
export function availability(): Availability {
  if (cached) return cached;
  const found = candidates();
  const cgroup = found?.helper ? cgroupProbe(found.helper) : null;
  const memory = found?.helper ? memoryProbe(found.helper) : null;
  const bwrapRun = found?.bwrap ? runSync(found.bwrap, BWRAP_PROBE) : null;
  const chain = found?.helper ? chainedProbe(found.helper, cgroup, memory) : null;
  const first = found?.helper ? runSync(found.helper, chain ?? ["--abi"]) : null;
  if (!chain || first?.status === 0) {
    cached = withMemoryCgroup(withCgroup(interpret(found, bwrapRun, first), cgroup, first), memory, first);
    return cached;
  }
  cached = withMemoryCgroup(
    withCgroup(interpret(found, bwrapRun, runSync(found!.helper!, ["--abi"])), cgroup, cgroup ? runSync(found!.helper!, cgroup.args) : null),
    memory,
    memory ? runSync(found!.helper!, memory.args) : null,
  );
  return cached;
}

/**
 * The helper's runs as one chain, tried first: it joins the throwaway pids cgroup, runs itself again to join the
 * throwaway memory one, and again for --abi. An exit of 0 means each step held, as each probe run alone would have
 * said (one process start instead of three, for every command that starts plugins). Any other end (an older helper,
 * a cgroup this user may not make) does not say which step failed: the probes then run apart, as they did.
 * Null when there is no cgroup to probe: the --abi run alone is then the first run.
 */
function chainedProbe(helper: string, cgroup: ReturnType<typeof cgroupProbe>, memory: ReturnType<typeof memoryProbe>): string[] | null {
  if (!cgroup && !memory) return null;
  const steps = [...(cgroup ? cgroup.args.slice(0, 4) : []), ...(cgroup && memory ? [helper] : []), ...(memory ? memory.args.slice(0, 4) : [])];
  return [...steps, helper, "--abi"];
}

/** The helper joining a throwaway pids cgroup: the only sure test that it may (mkdir, pids.max, cgroup.procs). */
function cgroupProbe(helper: string): { base: string; dir: string; args: string[] } | null {
  const base = ownPidsCgroup();
  if (!base) return null;
  const dir = path.join(base, `shelfwise-${process.pid}-0`);
  return { base, dir, args: ["--pids-cgroup", dir, "8", "--", helper, "--abi"] };
}

function withCgroup(out: Availability, probe: ReturnType<typeof cgroupProbe>, run: RunResult | null): Availability {
  if (probe) {
    try {
      fs.rmdirSync(probe.dir);
    } catch {
      // Never made (no right to), or already gone.
    }
  }
  if (probe && run?.status === 0 && out.taskLimits) {
    out.pidsCgroup = probe.base;
    sweepStale(probe.base);
  }
  return out;
}

/**
 * The helper joining a throwaway memory cgroup with a limit (64 MB: room for the helper itself):
 * mkdir, the limit and cgroup.procs all have to work, as for the pids one. A user without root on
 * cgroup v1, or cgroup v2 without a delegated folder with memory enabled, has none.
 */
function memoryProbe(helper: string): { base: string; dir: string; args: string[] } | null {
  const base = ownCgroup("memory");
  if (!base) return null;
  const dir = path.join(base, `shelfwise-${process.pid}-0`);
  return { base, dir, args: ["--memory-cgroup", dir, String(64 * 1024 * 1024), "--", helper, "--abi"] };
}

function withMemoryCgroup(out: Availability, probe: ReturnType<typeof memoryProbe>, run: RunResult | null): Availability {
  if (probe) {
    try {
      fs.rmdirSync(probe.dir);
    } catch {
      // Never made (no right to), or already gone.
    }
  }
  if (probe && run?.status === 0 && out.memoryLimits && out.guard) {
    out.memoryCgroup = probe.base;
    sweepStale(probe.base);
  }
  return out;
}

/** Namespaces every plugin gets (the network one always: the proxy is the only way out). */
export const UNSHARE_FLAGS = BWRAP_PROBE.slice(0, 6);

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
