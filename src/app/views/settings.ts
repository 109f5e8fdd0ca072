/**
 * `config list|get|set|unset --json` and `secrets list|set|unset --json`: config.json's keys as the config schema
 * reads them, and secrets.json's names with who uses each. A secret's value is in none of them.
 */
import { z } from "zod";
import { viewDoc } from "./view.js";

export const ConfigEntryView = z.object({
  key: z.string().describe("the config.json key"),
  value: z.unknown().describe("the value shelfwise uses: config.json's, else the default; a plugin's secret settings (see `secret_settings`) are left out of `plugin_configs`, never printed"),
  default: z.unknown().describe("the default (`null` for a key the schema does not know)"),
  set: z.boolean().describe("true: config.json holds the key; false: the default is used"),
  known: z.boolean().describe("false: a key the config schema does not know, kept in config.json as it is (a newer shelfwise's, a typo, or a `plugin_<id>_enabled` switch)"),
  secret_settings: z
    .array(z.object({ name: z.string(), set: z.boolean().describe("secrets.json holds a value for it (`plugin_configs.ID.KEY`), or config.json does (written there by hand); not null, not empty") }))
    .optional()
    .describe("`config get plugin_configs.ID` only: the plugin's settings that hold a secret (marked `writeOnly`, `format: \"password\"` or `secret: true` in its config_schema, or named like a key, token or password), left out of `value`: whether each is set, never its value"),
  secret_setting: z
    .object({
      set: z.boolean().describe("a value is kept for it (secrets.json's, else one written into config.json by hand); not null, not empty"),
      kept_in: z.enum(["secrets.json", "config.json"]).nullable().describe("where the value used is kept: `secrets.json` (as `plugin_configs.ID.KEY`, where `secrets set` and the web app keep it), `config.json` (written there by hand: move it with `shelfwise secrets set plugin_configs.ID.KEY`, which removes config.json's copy), `null` when not set"),
      also_in_config: z.boolean().describe("secrets.json holds it and config.json holds a copy too, which is not used (`shelfwise config unset plugin_configs.ID.KEY` removes it)"),
    })
    .optional()
    .describe("`config get plugin_configs.ID.KEY` of a setting that holds a secret (as in `secret_settings`) only: `value` is then `null`, whatever is kept; its value is never printed"),
  value_not_shown: z
    .literal("plugin_not_installed")
    .optional()
    .describe("`config get plugin_configs.ID.KEY` of a setting config.json holds for a plugin that is not installed: no manifest says whether it holds a secret, so `value` is `null`; `--show-value` prints it. shelfwise's own settings (timeout, the sandbox's) are always shown"),
  unshown_settings: z
    .array(z.string())
    .optional()
    .describe("`config get plugin_configs.ID` of a plugin that is not installed: the settings left out of `value` because no manifest says whether they hold a secret (`config get plugin_configs.ID.KEY --show-value` prints one). `config list` and `config get plugin_configs` leave them out too"),
});
export type ConfigEntryView = z.infer<typeof ConfigEntryView>;

export const ConfigListView = z.array(ConfigEntryView).describe("Every key of the config schema, in its order, then the other keys config.json holds");
export type ConfigListView = z.infer<typeof ConfigListView>;

export const ConfigChangeView = z
  .object({
    action: z.enum(["set", "unset"]),
    key: z.string().describe("the key changed (`plugin_configs.ID.KEY` for a plugin's setting)"),
    value: z.unknown().describe("the value used after the change (the default after `unset`; `null` for a key that has none)"),
    previous: z.unknown().describe("the value config.json held before, `null` when it did not hold the key; for a plugin's secret setting (marked so by its config_schema, or named like a key, token or password) written there by hand, `\"(a secret setting: its value is not shown)\"`, never the value"),
    changed: z.boolean().describe("false: config.json already said so, and was not written"),
    config_file: z.string().describe("the config.json written"),
  })
  .describe("What `config set` or `config unset` did");
export type ConfigChangeView = z.infer<typeof ConfigChangeView>;

export const SecretUser = z.object({
  kind: z.enum(["plugin", "http_source", "shelfwise"]).describe("`plugin`: a plugin's manifest lists the name in `requires_secrets`; `http_source`: an HTTP source's `auth.credential` names it; `shelfwise`: shelfwise's own (`web_token`, the web app's access token)"),
  id: z.string().describe("the plugin's or source's id (`web` for shelfwise's own)"),
});

export const SecretRow = z.object({
  name: z.string().describe("the key of secrets.json"),
  state: z.enum(["set", "not_set", "blank"]).describe("`set`: secrets.json holds a value; `not_set`: a plugin or source asks for it and secrets.json has none; `blank`: the value is empty or white space (read as not set)"),
  used_by: z.array(SecretUser).describe("who asks for it; `[]`: nobody does (a left-over, or for a plugin not installed yet)"),
});
export type SecretRow = z.infer<typeof SecretRow>;

export const SecretListView = z.array(SecretRow).describe("Every name secrets.json holds or a plugin or HTTP source asks for, sorted; never a value");
export type SecretListView = z.infer<typeof SecretListView>;

export const SecretChangeView = z
  .object({
    action: z.enum(["set", "unset"]),
    name: z.string(),
    changed: z.boolean().describe("false: nothing to do (`unset` of a name secrets.json does not hold, `set` to the value it already holds); the file was not written"),
    secrets_file: z.string().describe("the secrets.json written (mode 0600)"),
    used_by: z.array(SecretUser).describe("who asks for the name, as in `secrets list`"),
    removed_from_config: z
      .string()
      .optional()
      .describe("`secrets set plugin_configs.ID.KEY` only, when config.json held a copy of that setting written by hand: the config.json it was removed from (secrets.json's value is the one used)"),
  })
  .describe("What `secrets set` or `secrets unset` did; the value is never shown");
export type SecretChangeView = z.infer<typeof SecretChangeView>;

export const configListDoc = viewDoc(
  ConfigListView,
  "`config list --json`, `config get KEY --json`",
  "`config list`: an array of every setting. `config get KEY`: one of its objects (for `plugin_configs.ID.KEY` too: `default` is shelfwise's for the runtime settings it reads, else `null`). A KEY that is neither known nor in config.json: exit 2 with the closest known key.",
  [
    { key: "confidence_threshold", value: 70, default: 60, set: true, known: true },
    { key: "lock_wait_seconds", value: 5, default: 5, set: false, known: true },
    { key: "confidence_treshold", value: 80, default: null, set: true, known: false },
  ],
  "Reads only; exit 0. An invalid config.json: exit 2, naming the problem (`config set` and `config unset` of the key at fault still work).",
);

export const configChangeDoc = viewDoc(
  ConfigChangeView,
  "`config set KEY VALUE --json`, `config unset KEY --json`",
  "One object. A value the key does not accept, an unknown key, a key edited otherwise (`library_paths`: `library add|remove`; `http_sources`: by hand; `plugin_configs` whole: one `plugin_configs.ID.KEY` at a time) or a value that looks like a secret: exit 2, one `shelfwise: ...` line on stderr naming what the key accepts, and config.json is not written.",
  { action: "set", key: "confidence_threshold", value: 70, previous: 60, changed: true, config_file: "…/shelfwise-data/config.json" },
);

export const secretListDoc = viewDoc(
  SecretListView,
  "`secrets list --json`",
  "An array: every name, never a value. Reads only (it starts no plugin: the manifests are read); exit 0.",
  [
    { name: "audible_token", state: "set", used_by: [{ kind: "plugin", id: "audible" }] },
    { name: "isbndb_key", state: "not_set", used_by: [{ kind: "http_source", id: "isbndb" }] },
    { name: "web_token", state: "set", used_by: [{ kind: "shelfwise", id: "web" }] },
  ],
);

export const secretChangeDoc = viewDoc(
  SecretChangeView,
  "`secrets set NAME --json`, `secrets unset NAME --json`",
  "One object; the value is read from stdin (or asked for, not echoed, on a terminal), never from the command line, and is never printed. A bad name, an empty value, or a value given as an argument: exit 2, secrets.json not written.",
  { action: "set", name: "isbndb_key", changed: true, secrets_file: "…/shelfwise-data/secrets.json", used_by: [{ kind: "http_source", id: "isbndb" }] },
);
