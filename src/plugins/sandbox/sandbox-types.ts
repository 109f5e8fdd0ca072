/**
 * The plugin wall's shapes: the mechanisms shelfwise can put around a plugin
 * process, the settings that choose them, and the level a plugin got.
 */

/**
 * - process: its own process group, memory and time limits, parent-death kill (always).
 * - permission: Node's permission model (node plugins only; a seat belt, not a wall).
 * - seccomp: a syscall filter, through native/sandbox-exec: no kernel keyrings, io_uring,
 *   new namespaces, vsock; without a network namespace, TCP is the only IP socket.
 * - landlock: the kernel's Landlock LSM, through native/sandbox-exec.
 * - namespace: bubblewrap: private mount, PID, network, IPC, UTS and user namespaces.
 */
export type SandboxMechanism = "process" | "permission" | "seccomp" | "landlock" | "namespace";

/** Mechanisms a user or test may switch off (process isolation always stays). */
export type SwitchableMechanism = Exclude<SandboxMechanism, "process">;
export const SWITCHABLE_MECHANISMS: readonly SwitchableMechanism[] = ["permission", "seccomp", "landlock", "namespace"];

/** Per-launch sandbox settings, from config.json (see plugin-manager's launchSpec). */
export interface SandboxSettings {
  /** sandbox_required: refuse to start a plugin without namespace, landlock and seccomp. */
  required?: boolean;
  /** sandbox_disable (+ SHELFWISE_SANDBOX_DISABLE): mechanisms not to use. */
  disable?: readonly string[];
  /** plugin_configs.<id>.allow_private_network: the proxy may reach loopback and private addresses. */
  allow_private_network?: boolean;
  /** plugin_configs.<id>.extra_read_paths: more folders the plugin may read. */
  extra_read_paths?: readonly string[];
  /** Tasks (processes and threads) the kernel lets the plugin have at once; default MAX_PLUGIN_TASKS (tests set fewer). */
  max_tasks?: number;
  /** shelfwise's own folders (data dir, plugin dir): hidden when they lie inside a readable folder. */
  protect?: readonly string[];
}

/** What a plugin got, shown by `plugins list` and `plugins health`. */
export interface SandboxReport {
  /** e.g. "process+permission+seccomp+landlock+namespace", or "none". */
  level: string;
  mechanisms: SandboxMechanism[];
  /** One line per missing mechanism: what it is and why it is missing. */
  lacks: string[];
}
