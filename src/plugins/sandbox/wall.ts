/**
 * Wraps a plugin's launch command in the wall this machine offers:
 *
 *   bwrap <namespaces, read-only binds, data folder rw> -- sandbox-exec <Landlock rules, syscall filter> -- <runtime> <args>
 *
 * behind the helper's --guard (the outermost link, which dies with shelfwise and
 * takes the plugin's every process along), and starts the plugin's egress
 * proxy when it declares network hosts. One
 * call from process/launch-command.ts (the final spawn command) before spawning; the returned
 * dispose() stops the proxy when the process is gone.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appendPluginLog } from "../process/bounded-log.js";
import { specSecretMask } from "../spec-secret-mask.js";
import type { LaunchSpec } from "../plugin-types.js";
import { availability, disabledMechanisms, probeSandbox, UNSHARE_FLAGS } from "./detect.js";
import { startEgressProxy, type EgressProxy } from "./egress-proxy.js";
import { ownServerPorts, shelfwiseDataDir } from "../../config/own-server.js";
import { planPaths, type PathPlan } from "./path-plan.js";
import { killCgroup, MAX_PLUGIN_TASKS, memoryKills, pluginCgroupPath, removeCgroup } from "./pids-cgroup.js";
import { prlimitPath, withFileSizeLimit } from "./file-size-limit.js";
import { memoryLimitBytes } from "./process-tree.js";
import type { SandboxMechanism, SandboxReport, SandboxSettings } from "./sandbox-types.js";

export interface PlainCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
}

export interface WalledCommand extends PlainCommand {
  report: SandboxReport;
  /**
   * The spawned process is the helper reaping the plugin's processes (no PID namespace): it is
   * stopped with SIGTERM and then kills every process the plugin started, setsid ones included.
   */
  reaper: boolean;
  /** The spawned process is the helper's --guard: it dies with shelfwise by itself (no setpriv needed). */
  guarded: boolean;
  /** The plugin's pids cgroup (every task of it, the guard's included), or null. */
  cgroup: string | null;
  /** The kernel's OOM killer took a task of the plugin's memory cgroup (known also once the cgroup is gone); absent: no such cgroup. */
  memoryKilled?: () => boolean;
  /** The runtime's own exit, from what the spawned process (bwrap, when walled) reported. */
  exitStatus(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: NodeJS.Signals | null };
  /** Stops the proxy and removes its socket. Idempotent. */
  dispose(): void;
}

export class SandboxRequiredError extends Error {}

/** Inside the namespace: where the proxy's unix socket is mounted. */
const PROXY_SOCKET_INSIDE = "/run/shelfwise/egress.sock";
/** Inside the namespace: the python runner's loopback forwarder (any port: the namespace is empty). */
const FORWARDER_PORT = 3128;

/** A mask only holds the mount points of what is bound again on top of it. */
const MASK_BYTES = 1024 * 1024;

const NODE_PERMISSION_FLAG = /^--(experimental-)?permission$|^--allow-(fs-read|fs-write|child-process|worker|addons|wasi)(=|$)/;

/** What the plugin would get, without starting anything (for `plugins list` / `health`). */
export function sandboxReport(spec: Pick<LaunchSpec, "runtime" | "sandbox">): SandboxReport {
  return decide(spec.runtime, spec.sandbox ?? {}).report;
}

interface Decision {
  namespace: boolean;
  landlock: boolean;
  seccomp: boolean;
  permission: boolean;
  /** Without a PID namespace, the helper stays as the plugin's parent and reaps what it starts. */
  reap: boolean;
  /** How the kernel bounds the plugin's tasks at the fork: a pids cgroup, RLIMIT_NPROC in its user namespace, or not at all. */
  tasks: "cgroup" | "rlimit" | null;
  report: SandboxReport;
}

function decide(runtime: LaunchSpec["runtime"], settings: SandboxSettings): Decision {
  const have = availability();
  const off = disabledMechanisms(settings.disable);
  const lacks: string[] = [];
  const namespace = !off.has("namespace") && have.bwrap !== null;
  if (!namespace) lacks.push(`namespace: ${off.has("namespace") ? "switched off (sandbox_disable or SHELFWISE_SANDBOX_DISABLE)" : have.bwrapProblem}`);
  const landlock = !off.has("landlock") && have.helper !== null && have.landlockAbi >= 1;
  if (!landlock) lacks.push(`landlock: ${off.has("landlock") ? "switched off (sandbox_disable or SHELFWISE_SANDBOX_DISABLE)" : have.landlockProblem}`);
  else if (have.landlockAbi < 6) lacks.push(`landlock: kernel ABI ${have.landlockAbi} lacks ${have.landlockAbi < 4 ? "TCP rules and " : ""}signal scoping (ABI 6)`);
  const seccomp = !off.has("seccomp") && have.helper !== null && have.seccomp;
  if (!seccomp) {
    lacks.push(`seccomp: ${off.has("seccomp") ? "switched off (sandbox_disable or SHELFWISE_SANDBOX_DISABLE)" : have.seccompProblem}`);
    lacks.push("without the syscall filter, the kernel keyrings of the session that started shelfwise, io_uring and vsock stay reachable");
  }
  const reap = !namespace && (landlock || seccomp) && have.reap;
  if (!namespace && !reap) {
    lacks.push(
      (landlock || seccomp) && !have.reap
        ? "without the PID namespace, setsid or double-forked children can outlive the plugin (the helper native/build/sandbox-exec predates --reap: rebuild it with npm run build)"
        : "without the PID namespace or the helper native/build/sandbox-exec, setsid or double-forked children can outlive the plugin",
    );
  } else if (reap && !(landlock && have.landlockAbi >= 6)) {
    lacks.push("without the PID namespace and Landlock's signal scoping (ABI 6), the plugin can kill the helper that reaps its processes, and setsid or double-forked children can then outlive it");
  }
  // The kernel exempts the global root user from RLIMIT_NPROC, whatever its namespace maps it to.
  const tasks = have.helper && have.taskLimits && have.pidsCgroup ? "cgroup" : namespace && (landlock || seccomp) && have.taskLimits && process.getuid?.() !== 0 ? "rlimit" : null;
  if (!tasks) {
    lacks.push(
      `processes: no pids cgroup shelfwise may write${process.getuid?.() === 0 ? "" : " and no RLIMIT_NPROC in a user namespace"}: a fork bomb is stopped by the process-tree poll alone, after it started up to a few hundred processes`,
    );
  }
  if (!(have.helper && have.guard && have.memoryCgroup)) {
    lacks.push(
      "memory: no memory cgroup shelfwise may write (cgroup v1 as root, or a delegated cgroup v2 folder with memory enabled): Buffers and native memory, outside a Node plugin's heap limit, are stopped by the resident-memory poll alone, and a fast allocation can pass the limit by a few hundred MB to a few GB before it sees them",
    );
  }
  // The helper sets RLIMIT_FSIZE when it is in the chain and knows --fsize; else prlimit does (file-size-limit.ts).
  if (runtime === "node" && !((landlock || seccomp) && have.fileSize) && prlimitPath() === null) {
    lacks.push("file size: neither the helper native/build/sandbox-exec (--fsize) nor util-linux prlimit is available: a Node plugin's files are not bounded by max_file_mb");
  }
  const permission = runtime === "node" && !off.has("permission");
  if (runtime === "node" && !permission) lacks.push("permission: switched off (sandbox_disable or SHELFWISE_SANDBOX_DISABLE)");
  const mechanisms: SandboxMechanism[] = ["process"];
  if (permission) mechanisms.push("permission");
  if (seccomp) mechanisms.push("seccomp");
  if (landlock) mechanisms.push("landlock");
  if (namespace) mechanisms.push("namespace");
  return { namespace, landlock, seccomp, permission, reap, tasks, report: { level: mechanisms.join("+"), mechanisms, lacks } };
}

/**
 * `onRefuse`: where the egress proxy's refusals go (a line without its `[shelfwise] ` mark); by default
 * appended to the plugin's log file, the supervisor passes its own log's (one writer for the file, and the
 * harness sees what its own run was refused).
 */
/** Refusals appended to the plugin's log as they come, masked with its secrets and its secret settings' values. */
function refusalsMasked(spec: LaunchSpec): (line: string) => void {
  const mask = specSecretMask(spec);
  return (line) => appendLog(spec.logFile, mask.text(line));
}

export async function wallCommand(spec: LaunchSpec, command: PlainCommand, onRefuse?: (line: string) => void): Promise<WalledCommand> {
  await probeSandbox();
  const settings = spec.sandbox ?? {};
  const decision = decide(spec.runtime, settings);
  if (settings.required && !(decision.namespace && decision.landlock && decision.seccomp)) {
    throw new SandboxRequiredError(
      `sandbox_required is set and the full wall is not available for ${spec.plugin_id}: ${decision.report.lacks.join("; ")}`,
    );
  }
  let args = command.args;
  if (!decision.permission && spec.runtime === "node") args = args.filter((a) => !NODE_PERMISSION_FLAG.test(a));
  const env = { ...command.env };
  const plain: PlainCommand = { file: command.file, args, env };
  const helper = decision.landlock || decision.seccomp ? availability().helper! : null;
  if (!decision.namespace && !helper) {
    return withOuterLink(decision, settings, spec, fileSizeFallback(spec, false, { ...plain, report: decision.report, exitStatus: sameStatus, dispose() {}, reaper: false, guarded: false, cgroup: null }));
  }

  const paths = planPaths(spec, plain);
  let proxy: EgressProxy | null = null;
  let proxyDir: string | null = null;
  const dispose = () => {
    const p = proxy;
    proxy = null;
    void p?.close().catch(() => {});
    if (proxyDir) fs.rmSync(proxyDir, { recursive: true, force: true });
    proxyDir = null;
  };
  try {
    if (spec.allowed_hosts.length > 0) {
      proxyDir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-egress-"));
      proxy = await startEgressProxy({
        pluginId: spec.plugin_id,
        allowedHosts: spec.allowed_hosts,
        allowPrivate: settings.allow_private_network === true,
        refusedLocalPorts: () => ownServerPorts(shelfwiseDataDir(spec.dataDir)),
        socketPath: decision.namespace ? path.join(proxyDir, "egress.sock") : undefined,
        tcp: !decision.namespace,
        // Masked as the plugin's own output is: a key put in a host name is still a key.
        onRefuse: onRefuse ?? refusalsMasked(spec),
      });
      if (decision.namespace) {
        env.SHELFWISE_EGRESS_SOCKET = PROXY_SOCKET_INSIDE;
        if (spec.runtime === "python") env.SHELFWISE_EGRESS_FORWARD_PORT = String(FORWARDER_PORT);
      } else env.SHELFWISE_EGRESS_PORT = String(proxy.port);
      const port = decision.namespace ? FORWARDER_PORT : proxy.port!;
      // For child processes and libraries the runners do not patch (curl, a subprocess).
      if (spec.runtime === "python" || !decision.namespace) {
        for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"]) env[name] = `http://127.0.0.1:${port}`;
      }
    }
    if (!decision.namespace) env.TMPDIR = ensureTmp(spec.dataDir);

    let file = plain.file;
    let wrapped = plain.args;
    if (helper) {
      // Inside the namespace the python runner's forwarder listens on its port; without one the plugin only
      // connects to the proxy's port and may bind nothing (a bind there, on another address, would be a
      // server reachable from the network).
      const forwarder = decision.namespace && spec.runtime === "python";
      const ports = !proxy ? NO_PORTS : forwarder ? { connect: [FORWARDER_PORT], bind: [FORWARDER_PORT] } : decision.namespace ? NO_PORTS : { connect: [proxy.port!], bind: [] };
      const helperArgs = decision.landlock ? landlockRules(paths, ports, availability().landlockAbi, decision.namespace) : ["--no-landlock"];
      // Without a network namespace, TCP (which Landlock's port rules cover) is the only way onto the network.
      if (decision.seccomp) helperArgs.push("--syscalls", ...(decision.namespace ? [] : ["--tcp-only"]));
      if (decision.reap) helperArgs.push("--reap");
      if (decision.tasks === "rlimit") helperArgs.push("--nproc", String(settings.max_tasks ?? MAX_PLUGIN_TASKS));
      if (spec.maxFileMb && availability().fileSize) helperArgs.push("--fsize", String(spec.maxFileMb));
      wrapped = [...helperArgs, "--", file, ...wrapped];
      file = helper;
    }
    if (decision.namespace) {
      const bwrapArgs = namespaceArgs(spec, paths, proxy?.socketPath ?? null, helper);
      wrapped = [...bwrapArgs, "--", file, ...wrapped];
      file = availability().bwrap!;
    }
    // bwrap and the reaping helper both report the runtime's death by a signal as 128 + n.
    const helperSetsFileSize = helper !== null && availability().fileSize;
    return withOuterLink(
      decision,
      settings,
      spec,
      fileSizeFallback(spec, helperSetsFileSize, { file, args: wrapped, env, report: decision.report, exitStatus: decision.namespace || decision.reap ? relayedStatus : sameStatus, dispose, reaper: decision.reap, guarded: false, cgroup: null }),
    );
  } catch (error) {
    dispose();
    throw error;
  }
}

/**
 * max_file_mb where the helper does not set it (not built, too old, or out of the chain with Landlock and
 * the syscall filter off): prlimit around the whole command, so bwrap and the runtime inherit it.
 */
function fileSizeFallback(spec: LaunchSpec, helperSetsIt: boolean, command: WalledCommand): WalledCommand {
  if (!spec.maxFileMb || helperSetsIt) return command;
  const { file, args, limited } = withFileSizeLimit(command.file, command.args, spec.maxFileMb);
  return limited ? { ...command, file, args } : command;
}

/**
 * The outermost link, between shelfwise and bwrap (or the runtime): the helper
 * in --guard mode (native/sandbox-exec.c, guard()) dies with shelfwise, having
 * checked that shelfwise was still its parent once its death signal was set,
 * and kills every process of the plugin, bwrap's sandbox pid 1 included, when
 * it goes; it joins the plugin's pids cgroup first, so the kernel refuses the
 * plugin's task past MAX_PLUGIN_TASKS at the fork. A helper built before
 * --guard only joins the cgroup (setpriv then gives the death signal). The
 * cgroup goes with the process (dispose), its tasks killed first.
 */
function withOuterLink(decision: Decision, settings: SandboxSettings, spec: LaunchSpec, command: WalledCommand): WalledCommand {
  const have = availability();
  const cgroup = decision.tasks === "cgroup" && have.helper && have.pidsCgroup ? pluginCgroupPath(have.pidsCgroup) : null;
  if (!have.helper || (!have.guard && !cgroup)) return command;
  const cgroupArgs = cgroup ? ["--pids-cgroup", cgroup, String(settings.max_tasks ?? MAX_PLUGIN_TASKS)] : [];
  // The memory cgroup is joined by the guard only (it is the helper mode that takes it).
  const memory = have.guard && have.memoryCgroup && spec.memoryMb > 0 ? pluginCgroupPath(have.memoryCgroup) : null;
  const memoryArgs = memory ? ["--memory-cgroup", memory, String(memoryLimitBytes(spec.memoryMb))] : [];
  let memoryKilled = false;
  const dispose = command.dispose;
  const guarded = have.guard;
  return {
    ...command,
    file: have.helper,
    args: [...(guarded ? ["--guard", String(process.pid)] : []), ...cgroupArgs, ...memoryArgs, "--", command.file, ...command.args],
    ...(memory ? { memoryKilled: () => memoryKilled || memoryKills(memory) > 0 } : {}),
    // The guard reports the death of what it runs by a signal as 128 + n, as bwrap does.
    exitStatus: guarded ? relayedStatus : command.exitStatus,
    reaper: guarded || command.reaper,
    guarded,
    cgroup,
    dispose() {
      dispose();
      if (memory) {
        // Read before the folder goes: the exit message (child.ts) asks after dispose ran.
        memoryKilled ||= memoryKills(memory) > 0;
        killCgroup(memory);
        removeCgroup(memory);
      }
      if (!cgroup) return;
      killCgroup(cgroup);
      removeCgroup(cgroup);
    },
  };
}

const sameStatus: WalledCommand["exitStatus"] = (code, signal) => ({ code, signal });

function relayedStatus(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: NodeJS.Signals | null } {
  if (code === null || code <= 128 || code > 128 + 64) return { code, signal };
  const name = Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0] as NodeJS.Signals | undefined;
  return name ? { code: null, signal: name } : { code, signal };
}

interface PortRules {
  connect: number[];
  bind: number[];
}
const NO_PORTS: PortRules = { connect: [], bind: [] };

function landlockRules(paths: PathPlan, ports: PortRules, abi: number, inNamespace: boolean): string[] {
  const out: string[] = [];
  for (const p of [...paths.system, ...paths.readable]) out.push("--ro", p);
  for (const p of paths.writable) out.push("--rw", p);
  if (inNamespace) out.push("--rw", "/tmp");
  for (const dev of ["/dev/null", "/dev/zero", "/dev/full", "/dev/tty"]) out.push("--rw", dev);
  for (const dev of ["/dev/urandom", "/dev/random", "/dev/fd", "/proc", "/sys/fs/cgroup"]) out.push("--ro", dev);
  if (abi >= 4) {
    out.push("--net");
    for (const port of ports.connect) out.push("--connect", String(port));
    for (const port of ports.bind) out.push("--bind", String(port));
  }
  if (abi >= 6) out.push("--scope");
  return out;
}

/** /proc files that a PID namespace does not make the plugin's own (see namespaceArgs). */
const HOST_PROC_FILES = ["/proc/keys", "/proc/key-users", "/proc/timer_list"];

function namespaceArgs(spec: LaunchSpec, paths: PathPlan, proxySocket: string | null, helper: string | null): string[] {
  const out = [
    ...UNSHARE_FLAGS,
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--hostname",
    "shelfwise-plugin",
    "--proc",
    "/proc",
    // Files of the new /proc that still show the whole machine: the key names of every keyring shelfwise's
    // user can see (its login session's included) and the user's key quotas, and (shelfwise as root) every
    // timer of the host, with each process's name and PID. Masked: reading one is refused.
    ...HOST_PROC_FILES.flatMap((file) => ["--ro-bind-try", "/dev/null", file]),
    "--dev",
    "/dev",
    // A tmpfs is RAM that no process's resident memory shows: capped at the plugin's memory budget (none: no cap).
    ...(spec.memoryMb > 0 ? ["--size", String(Math.ceil(spec.memoryMb * 1024 * 1024))] : []),
    "--tmpfs",
    "/tmp",
  ];
  for (const link of paths.rootLinks) out.push("--symlink", link.target, link.path);
  for (const p of paths.system) out.push("--ro-bind-try", p, p);
  for (const p of paths.readable) out.push("--ro-bind-try", p, p);
  // shelfwise's own folders inside a readable folder (a data dir inside the library) are hidden...
  for (const p of paths.masked) out.push("--size", String(MASK_BYTES), "--tmpfs", p);
  // ...and what the plugin needs from inside them is bound again on top.
  for (const p of paths.rebound) out.push("--ro-bind-try", p, p);
  for (const p of paths.writable) out.push("--bind", p, p);
  if (helper) out.push("--ro-bind", helper, helper);
  if (proxySocket) out.push("--bind", proxySocket, PROXY_SOCKET_INSIDE);
  // bwrap's /dev is a tmpfs without a size cap (half the RAM) that the plugin could fill around its
  // memory limit: read-only once everything is mounted (the device nodes and any bind beneath /dev are
  // mounts of their own and keep their modes).
  out.push("--remount-ro", "/dev");
  out.push("--chdir", spec.dataDir);
  return out;
}

function ensureTmp(dataDir: string): string {
  const tmp = path.join(dataDir, ".tmp");
  fs.mkdirSync(tmp, { recursive: true });
  return tmp;
}

function appendLog(file: string, line: string): void {
  // The log is best effort; the refusal itself already happened.
  appendPluginLog(file, `[shelfwise] ${line}\n`);
}
