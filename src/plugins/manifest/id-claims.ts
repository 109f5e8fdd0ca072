/**
 * Which folder may run as a plugin id when several claim it. An id carries
 * everything shelfwise keeps for a plugin: plugin_configs[id], the secrets the
 * plugin declares, its stored state and health, its data folder and log, and
 * its evidence. Folder order must not decide who gets them, or a folder
 * dropped in later whose name sorts first would take over a running plugin.
 * The rules (docs/plugins.md, "Two folders with one id"):
 *
 * - The folder that had an id first owns it (stored, store/plugin-owners.ts),
 *   and keeps it while it is in the plugin folder and does not name another
 *   id (an unreadable manifest names none: a half-saved edit loses nothing).
 *   Every other claimant is refused and never runs.
 * - An id nobody owned yet goes to the first claimant in folder order (the
 *   installation's first sight of it; nothing is there to take over).
 * - When the owner is gone (folder removed or renamed, or its manifest now
 *   names another id), a single claimant is held: it is listed as disabled and
 *   runs only once the user enables the id, which hands it the id and with it
 *   everything above. Several claimants of a released id are all refused.
 *   The remembered owner is not forgotten meanwhile: should its folder come
 *   back, it has the id again.
 */
import path from "node:path";
import { sentence } from "../../domain/command-advice.js";
import { lookalikeKey } from "../../domain/plugin-id.js";
import type { PluginOwnerRow } from "../../store/plugin-owners.js";
import { displayPath, invalid, type DiscoveredPlugin } from "./discovery.js";

export interface SettledClaims {
  /** Owner rows to store (new or changed). */
  writes: PluginOwnerRow[];
  /** Folders that may not have their id (yet), with the reason. */
  refused: Map<DiscoveredPlugin, string>;
  /** Folders waiting for the user to enable the id they claim, with the reason. */
  held: Map<DiscoveredPlugin, string>;
}

// A sentence (domain/command-advice.ts): the folder names it holds are shown on a page as they are, only its advice
// said as the page's control (a folder named like a command was reworded with it).
const HELD = sentence`id ${0} belonged to ${1}; ${2} now claims it and is not loaded until you enable it, because enabling hands it that id's settings (plugin_configs.${3}), the secrets it declares, its data folder and its health: if it is meant to replace the old plugin, run \`shelfwise plugins enable ${3}\`; if not, remove ${2} or give it another id`;

/** Decides every claimed id against the remembered owners; changes nothing. */
export function settleIdClaims(plugins: readonly DiscoveredPlugin[], owners: ReadonlyMap<string, PluginOwnerRow>, pluginDir: string): SettledClaims {
  const settled: SettledClaims = { writes: [], refused: new Map(), held: new Map() };
  const byName = new Map(plugins.map((p) => [path.basename(p.folder), p]));
  const shownName = (name: string) => displayPath(path.join(pluginDir, name));
  const shown = (p: DiscoveredPlugin) => displayPath(p.folder);
  const claims = new Map<string, DiscoveredPlugin[]>();
  for (const plugin of plugins) {
    if (plugin.id === null) continue;
    const key = plugin.id.toLowerCase();
    claims.set(key, [...(claims.get(key) ?? []), plugin]);
  }

  const usedBy = (plugin: DiscoveredPlugin, owner: DiscoveredPlugin): string => {
    const caseNote = owner.id === plugin.id ? "" : ` (as ${JSON.stringify(owner.id)}: ids that differ only in case are the same id)`;
    return (
      `${shown(plugin)}: id ${JSON.stringify(plugin.id)} is already used by ${shown(owner)}${caseNote}, the folder that had it first; ` +
      `${shown(plugin)} is not loaded and gets none of that plugin's settings, secrets or data: ` +
      `give it another id in its manifest.json, or remove one of the two folders`
    );
  };

  for (const [key, claimants] of claims) {
    const owner = owners.get(key);
    const ownerFolder = owner ? byName.get(owner.folder) : undefined;
    if (owner && ownerFolder && (ownerFolder.id === null || ownerFolder.id.toLowerCase() === key)) {
      for (const plugin of claimants) {
        if (plugin === ownerFolder) continue;
        settled.refused.set(
          plugin,
          ownerFolder.id === null
            ? `${shown(plugin)}: id ${JSON.stringify(plugin.id)} belongs to ${shown(ownerFolder)}, whose manifest.json cannot be read now; ` +
                `${shown(plugin)} is not loaded: give it another id in its manifest.json, or remove one of the two folders`
            : usedBy(plugin, ownerFolder),
        );
      }
      const pluginId = ownerFolder.id ?? owner.plugin_id;
      if (owner.held_folder !== null || owner.plugin_id !== pluginId) settled.writes.push({ ...owner, plugin_id: pluginId, held_folder: null });
      continue;
    }
    if (!owner) {
      const [first, ...others] = claimants;
      settled.writes.push({ id_key: key, plugin_id: first!.id!, folder: path.basename(first!.folder), held_folder: null });
      for (const plugin of others) settled.refused.set(plugin, usedBy(plugin, first!));
      continue;
    }
    const left = ownerFolder
      ? `${shownName(owner.folder)}, whose manifest.json now names another id`
      : `${shownName(owner.folder)}, which is no longer in the plugin folder`;
    if (claimants.length > 1) {
      for (const plugin of claimants) {
        const others = claimants.filter((p) => p !== plugin).map(shown).join(", ");
        settled.refused.set(
          plugin,
          `${shown(plugin)}: id ${JSON.stringify(plugin.id)} belonged to ${left}; ${others} also claim${claimants.length > 2 ? "" : "s"} it, ` +
            `so none of them is loaded: give all but one another id in its manifest.json, or remove the others`,
        );
      }
      if (owner.held_folder !== null) settled.writes.push({ ...owner, held_folder: null });
      continue;
    }
    const claimant = claimants[0]!;
    const name = path.basename(claimant.folder);
    if (owner.held_folder !== name) settled.writes.push({ ...owner, held_folder: name });
    settled.held.set(
      claimant,
      HELD(JSON.stringify(claimant.id), left, shown(claimant), claimant.id!),
    );
  }
  refuseLookalikeIds(settled, plugins, owners, shown);
  return settled;
}

/**
 * Ids that differ only in - against _ (`narrator-lookup`, `narrator_lookup`) are two ids to the store and
 * the file system, but one to a reader: `plugins list`, a grant (`plugins grant narrator_lookup KEY`) or an
 * enable typed for the plugin the user knows would go to the other, a folder dropped in to pass for it.
 * The one that had its id first keeps it and the other is refused, as for ids that differ in case; two that
 * both ran before are left running (taking one away now would stop a plugin that worked).
 */
function refuseLookalikeIds(
  settled: SettledClaims,
  plugins: readonly DiscoveredPlugin[],
  owners: ReadonlyMap<string, PluginOwnerRow>,
  shown: (p: DiscoveredPlugin) => string,
): void {
  const groups = new Map<string, DiscoveredPlugin[]>();
  for (const plugin of plugins) {
    if (plugin.id === null || settled.refused.has(plugin)) continue;
    const key = lookalikeKey(plugin.id);
    groups.set(key, [...(groups.get(key) ?? []), plugin]);
  }
  for (const group of groups.values()) {
    if (new Set(group.map((p) => p.id!.toLowerCase())).size < 2) continue;
    const owned = group.filter((p) => owners.get(p.id!.toLowerCase())?.folder === path.basename(p.folder));
    if (owned.length > 1) continue;
    const keeper = owned[0] ?? group[0]!;
    for (const plugin of group) {
      const key = plugin.id!.toLowerCase();
      if (key === keeper.id!.toLowerCase()) continue;
      settled.refused.set(
        plugin,
        `${shown(plugin)}: id ${JSON.stringify(plugin.id)} reads as ${JSON.stringify(keeper.id)} of ${shown(keeper)}, the folder that had it first ` +
          `(ids are told apart without case, and - as _); ${shown(plugin)} is not loaded: give it another id in its manifest.json, or remove one of the two folders`,
      );
      settled.held.delete(plugin);
      settled.writes = settled.writes.filter((row) => !(row.id_key === key && !owners.has(key)));
    }
  }
}

/** Marks the refused folders invalid (they never run); the held ones are the plugin manager's to show. */
export function applyRefusals(settled: SettledClaims): void {
  for (const [plugin, reason] of settled.refused) invalid(plugin, [reason]);
}
