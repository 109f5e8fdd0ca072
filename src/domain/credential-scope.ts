/**
 * Which secrets of secrets.json an HTTP source's `auth.credential` may name. A source sends its credential to a
 * URL anyone who can write a source (config.json, the web form, the form's live test) chooses, so a name that
 * is someone else's secret would hand it to that URL: a plugin's (`plugin_configs.<id>.<key>`, or a name its
 * manifest lists in `requires_secrets`), the web app's access token, or another source's own
 * (`sources.<other id>.<key>`). A plugin gets only the secrets it declares; a source gets only its own. A plain
 * name (outside those) two sources name is both sources' on purpose (one key of one service for two endpoints).
 */

/** The namespace a source's own keys are kept under: `sources.<id>.<key>`. */
export const SOURCE_SECRET_PREFIX = "sources.";
/** As plugins/manifest/secret-settings.ts and config/config-schema.ts name them (domain imports nothing of ours). */
const PLUGIN_SETTING_PREFIX = "plugin_configs.";
const WEB_TOKEN = "web_token";

/** The name suggested for a source's key: `sources.<id>.key`. */
export function sourceSecretName(sourceId: string): string {
  return `${SOURCE_SECRET_PREFIX}${sourceId}.key`;
}

/**
 * Why source `sourceId` may not use the secret `name`, or null. `pluginSecrets` maps each name a plugin's
 * manifest asks for (requires_secrets) to that plugin's id. The words say where to keep the key instead.
 */
export function credentialScopeProblem(
  sourceId: string,
  name: string,
  pluginSecrets: ReadonlyMap<string, string> = new Map(),
): string | null {
  let whose: string | null = null;
  if (name === WEB_TOKEN) whose = "the web app's access token";
  else if (name.startsWith(PLUGIN_SETTING_PREFIX)) whose = "a plugin's secret setting";
  else if (pluginSecrets.has(name)) whose = `a secret plugin "${pluginSecrets.get(name)}" declares (requires_secrets)`;
  else if (name.startsWith(SOURCE_SECRET_PREFIX) && !name.startsWith(`${SOURCE_SECRET_PREFIX}${sourceId}.`)) whose = "another source's key (sources.<id>.<key> is source <id>'s only)";
  if (whose === null) return null;
  const own = sourceSecretName(sourceId);
  return (
    `http source "${sourceId}": auth.credential names "${name}", ${whose}; a source may use only its own keys, ` +
    `so it is not sent: keep this source's key in secrets.json as "${own}" (\`shelfwise secrets set ${own}\`) and set auth.credential to "${own}"`
  );
}

