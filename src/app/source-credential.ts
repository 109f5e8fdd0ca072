/**
 * Whether an HTTP source's credential would be sent: the one check loading a source makes, for everything that
 * reports on a source without loading it (`status`, the edit form) and for test and save. Kept apart from
 * attach-http-sources.ts so that `status` does not load the HTTP machinery.
 */
import type { Session } from "./session.js";
import type { HttpSourceDefinition } from "../config/http-source-schema.js";
import { discoverPlugins } from "../plugins/manifest/discovery.js";
import { credentialOf } from "../pipeline/sources/http-request.js";
import { resolveSource } from "../pipeline/sources/presets.js";

/**
 * Each name a plugin in the plugin folder asks for (requires_secrets), to the plugin's id, read from the
 * manifests without starting anything: a source may not name one (domain/credential-scope.ts). A plugin folder
 * that cannot be read gives none; `plugin_configs.*` names are refused by their spelling anyway.
 */
export function pluginSecretOwners(session: Session): Map<string, string> {
  const owners = new Map<string, string>();
  try {
    for (const plugin of discoverPlugins(session.pluginDir, { pluginConfigs: {}, secretNames: new Set() }).plugins) {
      if (plugin.id === null || !plugin.manifest) continue;
      for (const name of plugin.manifest.requires_secrets) if (!owners.has(name)) owners.set(name, plugin.id);
    }
  } catch {
    // no plugin folder: no plugin's names
  }
  return owners;
}

/** Whose secrets are not a source's to send, beyond what their spelling says: plugins' declared names. */
export interface CredentialScope {
  pluginSecrets: ReadonlyMap<string, string>;
}

/** The scope every check of a source's credential uses (load, test, save, status, the edit form), read from `definitions`. */
export function credentialScope(
  session: Session,
  definitions: readonly HttpSourceDefinition[] = session.config.http_sources,
  /** Whether any credential will be checked (reading the plugin folder's manifests is then needed). */
  withPlugins = definitions.some((definition) => definition.auth.type !== "none"),
): CredentialScope {
  return { pluginSecrets: withPlugins ? pluginSecretOwners(session) : new Map() };
}

/**
 * Why `definition`'s credential would not be sent, or null: the one validation loading a source makes (not its
 * own to use, missing or blank in secrets.json, unfit for a header), for whatever reports on it without loading
 * it (`status`, the edit form's `secret_set`).
 */
export function credentialProblem(definition: HttpSourceDefinition, secrets: Readonly<Record<string, string>>, scope: CredentialScope): string | null {
  try {
    credentialOf(resolveSource(definition), secrets, scope.pluginSecrets);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

