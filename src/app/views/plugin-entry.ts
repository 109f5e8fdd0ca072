/** `plugins list --json` (and the API's plugin list): one entry per folder in the plugin directory. */
import { z } from "zod";
import type { PluginEntry } from "../../plugins/manager/plugin-manager.js";
import { pickView, viewDoc } from "./view.js";
import { ADVICE } from "../../domain/command-advice.js";

export const PLUGIN_STATES = ["active", "disabled", "auto-disabled", "skipped", "invalid", "failed"] as const;

export const PluginStateView = z
  .enum(PLUGIN_STATES)
  .describe("see plugins.md#plugin-states");

/**
 * How the state of a plugin that must start to be known was found: `plugins list` and `plugins health` start no
 * plugin code unless given `--probe`.
 */
export const StartFields = {
  start_check: z
    .enum(["probed", "last_start", "not_started"])
    .nullable()
    .describe(
      "how `state` was found, for a plugin that has to start to be known: `probed`, started by this command (`--probe`); `last_start`, as its last recorded start went (`process`, `serve`, a probe), at `last_start`: `failed` with that start's reason, or `active`; `not_started`, not started as its files are now (never, or they changed since `last_start`): `active` says it is enabled, whether it loads is known at its next start. null when no start decides the state (`invalid`, `disabled`, `skipped`, a check made before any start). The web app's `/api/plugins` and `/api/health` give the same from the same record, with the state the server runs the plugin in, and `last_start_ok`, `last_start_reason` (why that start failed)",
    ),
  last_start: z.string().nullable().describe("time of the plugin's last recorded start, whatever its files were then; null when none is recorded or with `--probe`"),
};

export const PluginEntryView = z.object({
  id: z.string().nullable().describe("from the manifest (salvaged when the manifest is invalid; null when unreadable)"),
  name: z.string().nullable().describe("from the manifest"),
  version: z.string().nullable(),
  runtime: z.enum(["node", "python"]).nullable().describe("from the entry point's extension"),
  default_order: z.number().int().describe("35 when the manifest does not say or is invalid"),
  state: PluginStateView,
  reason: z.string().nullable().describe('why the state, when not `active`; for `invalid`, every problem joined with `"; "`'),
  folder: z.string().describe("the plugin folder as found, absolute (may be a symlink)"),
  real_folder: z
    .string()
    .nullable()
    .describe("the folder whose files are loaded: `folder` with every symlink resolved (another place for a drop-in linked in); null when it cannot be resolved (a broken link)"),
  sandbox: z
    .string()
    .nullable()
    .describe(
      "the wall's level: the mechanisms joined with `+`, from `process`, `permission` (Node permission model), `seccomp` (syscall filter), `landlock`, `namespace` (see plugins.md#the-wall-sandbox-and-threat-model); null when the runtime is unknown",
    ),
  sandbox_lacks: z
    .array(z.string())
    .describe('one line per mechanism this machine lacks and why, e.g. `"namespace: bubblewrap (bwrap) is not installed: apt-get install bubblewrap"`'),
  warnings: z.array(z.string()).describe('manifest warnings, e.g. `"…/manifest.json: colour: unknown key, ignored"`, or a name that reads as another layer\'s or plugin\'s (`"name \\"Wanted\\" reads as plugin wanted; this plugin\'s id is spy …"`); `plugins list` prints them as `ID warning: …`'),
  requires_secrets: z.array(z.string()).describe("the names of secrets.json the manifest asks for (`requires_secrets`)"),
  granted_secrets: z
    .array(z.string())
    .describe("those of `requires_secrets` this plugin is granted: on first use (no other plugin id had the name when it asked) or by the user (`plugins grant ID NAME`); only these are handed to it, and one set in secrets.json but not granted leaves it `skipped`"),
  revoked_secrets: z
    .array(z.string())
    .describe("those of `requires_secrets` the user revoked from this plugin (`plugins revoke ID NAME`): not handed to it, and not granted again by themselves, until `plugins grant ID NAME`"),
  held_secrets: z
    .array(
      z.object({
        name: z.string(),
        holders: z.array(z.string()).describe("the plugin ids that have it"),
        revoked_from_holders: z.boolean().describe("revoked from every one of them: still theirs, not granted by itself to the next plugin that asks"),
      }),
    )
    .describe("those of `requires_secrets` not granted to this plugin because other plugin ids have them (secrets.json is one flat map of names): `plugins grant ID NAME` shares one with this plugin; the holders keep it"),
  ...StartFields,
});
export type PluginEntryView = z.infer<typeof PluginEntryView>;
export const PluginListView = z.array(PluginEntryView).describe("Every folder in the plugin directory, valid or not");
export type PluginListView = z.infer<typeof PluginListView>;

export function pluginEntryView(entry: PluginEntry): PluginEntryView {
  return pickView(PluginEntryView, {
    ...entry,
    requires_secrets: [...(entry.discovered.manifest?.requires_secrets ?? [])],
    real_folder: entry.discovered.real_folder,
    start_check: entry.start_check ?? null,
    last_start: entry.start_check === "probed" ? null : (entry.last_start ?? null),
  });
}

export const pluginListDoc = viewDoc(PluginListView, "`plugins list --json`", "An array, one entry per folder in the plugin directory (byte order of folder names), valid or not.", [
    {
      id: "desc-narrator",
      name: "Narrator from description",
      version: "1.0.0",
      runtime: "python",
      default_order: 45,
      state: "active",
      reason: null,
      folder: "…/data/plugins/desc-narrator",
      real_folder: "…/data/plugins/desc-narrator",
      sandbox: "process+seccomp+landlock+namespace",
      sandbox_lacks: [],
      warnings: [],
      requires_secrets: [],
      granted_secrets: [],
      revoked_secrets: [],
      held_secrets: [],
      start_check: "last_start",
      last_start: "2026-11-24T22:40:03.118Z",
    },
    {
      id: "b",
      name: "B",
      version: null,
      runtime: "node",
      default_order: 35,
      state: "skipped",
      reason: 'missing config plugin_configs.b: api_url (write "plugin_configs": { "b": { "api_url": ... } } in config.json); needs secret token, which is granted to plugin a: run `shelfwise plugins grant b token` to share it',
      folder: "…/data/plugins/b",
      real_folder: "…/work/b-plugin",
      sandbox: "process+permission+seccomp+landlock+namespace",
      sandbox_lacks: [],
      warnings: [],
      requires_secrets: ["token"],
      granted_secrets: [],
      revoked_secrets: [],
      held_secrets: [{ name: "token", holders: ["a"], revoked_from_holders: false }],
      start_check: null,
      last_start: null,
    },
  ]);

/**
 * Whether a plugin's grants say anything: an invalid plugin's are not looked at (it runs nothing, and its
 * manifest may name other secrets once fixed), so "not granted" would send its author to `plugins grant` for a
 * key it holds. `plugins list` prints no secrets line for it and the page no grant standing: its reason says
 * what to fix.
 */
export function grantsLookedAt(entry: Pick<PluginEntryView, "state">): boolean {
  return entry.state !== "invalid";
}

/**
 * Why a declared secret is or is not handed to the plugin, as the lists say it: "granted", "revoked", or, for a
 * name other plugins have, whose it is and the command that shares it. Names only: never a value.
 */
export function secretStanding(entry: Pick<PluginEntryView, "id" | "granted_secrets" | "revoked_secrets" | "held_secrets">, name: string): string {
  if (entry.granted_secrets.includes(name)) return "granted";
  if (entry.revoked_secrets.includes(name)) return `revoked: ${ADVICE.pluginGrantShares.cli(entry.id ?? "", name, "gives it back")}`;
  const held = entry.held_secrets.find((h) => h.name === name);
  if (!held || entry.id === null) return "not granted";
  const whose = `plugin${held.holders.length === 1 ? "" : "s"} ${held.holders.join(", ")}`;
  return `not granted: ${held.revoked_from_holders ? `belongs to ${whose} (revoked from ${held.holders.length === 1 ? "it" : "them"})` : `held by ${whose}`}; ${ADVICE.pluginGrantShares.cli(entry.id, name, "shares it")}`;
}
