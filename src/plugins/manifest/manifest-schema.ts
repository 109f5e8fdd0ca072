/**
 * The plugin manifest (manifest.json): one zod schema is the TypeScript type,
 * the runtime check, the error messages and the published JSON Schema
 * (schemas/manifest.schema.json, written by scripts/write-manifest-schema.ts).
 * Library Manager's plugin manifest format, extended.
 *
 * Pure: no file system here. discovery.ts reads the file and checks the entry
 * point on disk.
 */
import { counted } from "../../domain/plural.js";
import { PLUGIN_RUNTIME_SETTINGS, RESERVED_SECRET_NAMES } from "../../config/config-schema.js";
import { OWN_SETTING_KEYS, ownSettingRefused, splitOwnSettings } from "./own-settings.js";
import { withoutOwnRequirements } from "./own-requirements.js";
import { builtinIdProblem, PLUGIN_ID_PATTERN, PLUGIN_ID_RULE, pluginIdProblem, RESERVED_PLUGIN_IDS, reservedIdProblem } from "../../domain/plugin-id.js";
import { shownTextProblem } from "../../domain/user-value.js";
import { SOURCE_SECRET_PREFIX } from "../../domain/credential-scope.js";
import { SECRET_SETTING_PREFIX } from "./secret-settings.js";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import type { Ajv, ValidateFunction } from "ajv";
import { danglingDynamicRef, withStaticDynamicRefs } from "./schema-refs.js";
import type { Ajv2019 } from "ajv/dist/2019.js";
import type { Ajv2020 } from "ajv/dist/2020.js";
import { z } from "zod";
import type { PluginRuntime } from "../plugin-types.js";
import { readNetworkEntry } from "./network-entry.js";
import { MAX_SECRET_SETTING_KEY, secretSettingKeyProblem, secretSettingNames } from "./secret-settings.js";

/** The plugin API this shelfwise implements (manifest `api_version`). */
export const PLUGIN_API_VERSION = 1;
export const DEFAULT_ORDER = 35;
export const MAX_MANIFEST_BYTES = 1024 * 1024;

const NODE_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts"];
const PYTHON_EXTENSIONS = [".py"];
const ENTRY_EXTENSIONS_TEXT = ".js, .mjs, .cjs, .ts, .mts or .py";

/** Which runtime runs an entry point, by its extension; null when none does. */
export function runtimeForEntry(file: string): PluginRuntime | null {
  const ext = path.extname(file); // case-sensitive, as Node's loader is
  if (NODE_EXTENSIONS.includes(ext)) return "node";
  if (PYTHON_EXTENSIONS.includes(ext)) return "python";
  return null;
}

/** zod error callback: "is required" when the key is absent, `message` otherwise. */
function required(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message);
}

function entryPointProblem(value: string): string | null {
  if (value === "") return null; // reported by min(1)
  if (value.includes("\0")) return "must not contain a NUL character";
  if (path.posix.isAbsolute(value) || path.win32.isAbsolute(value) || /^[A-Za-z]:/.test(value)) {
    return "must be a path relative to the plugin folder, not an absolute path";
  }
  if (value.split(/[\\/]/).includes("..")) return 'must stay inside the plugin folder (no "..")';
  if (runtimeForEntry(value) === null) return `must end in ${ENTRY_EXTENSIONS_TEXT}`;
  return null;
}

// ---- config_schema: a JSON Schema checked with ajv ---------------------------

type AjvInstance = Ajv | Ajv2019 | Ajv2020;
const ajvByDraft = new Map<string, AjvInstance>();

/**
 * ajv is loaded when a manifest first declares a config_schema, not at start:
 * few plugins have one, and every command that reads manifests paid ~200 KB of
 * code for it. The CLI bundle ships it as its own file (scripts/build-cli.mjs
 * defines __SHELFWISE_AJV__); elsewhere it comes from node_modules.
 */
declare const __SHELFWISE_AJV__: string | undefined;
interface AjvClasses {
  Ajv: typeof Ajv;
  Ajv2019: typeof Ajv2019;
  Ajv2020: typeof Ajv2020;
}
let ajvClasses: AjvClasses | undefined;
function loadAjv(): AjvClasses {
  if (ajvClasses) return ajvClasses;
  const load = createRequire(import.meta.url);
  ajvClasses =
    typeof __SHELFWISE_AJV__ === "string"
      ? (load(__SHELFWISE_AJV__) as AjvClasses)
      : { Ajv: (load("ajv") as AjvClasses).Ajv, Ajv2019: (load("ajv/dist/2019.js") as AjvClasses).Ajv2019, Ajv2020: (load("ajv/dist/2020.js") as AjvClasses).Ajv2020 };
  return ajvClasses;
}

function ajvFor(schema: Record<string, unknown>): AjvInstance {
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  const draft = declared.includes("2020-12") ? "2020" : declared.includes("2019-09") ? "2019" : "07";
  if (declared !== "" && draft === "07" && !/draft-0[67]/.test(declared)) {
    throw new Error(`unsupported $schema ${JSON.stringify(declared)} (use draft-07, 2019-09 or 2020-12)`);
  }
  let ajv = ajvByDraft.get(draft);
  if (!ajv) {
    // strict off: authors may use annotation keywords and formats ajv does not
    // know; addUsedSchema off: two plugins may reuse the same $id.
    const options = { allErrors: true, strict: false, logger: false as const, addUsedSchema: false };
    const classes = loadAjv();
    ajv = draft === "2020" ? new classes.Ajv2020(options) : draft === "2019" ? new classes.Ajv2019(options) : new classes.Ajv(options);
    ajvByDraft.set(draft, ajv);
  }
  return ajv;
}

/** Compiles a manifest's config_schema; throws with ajv's message when the schema is invalid. */
export function compileConfigSchema(schema: Record<string, unknown>): ValidateFunction {
  const ajv = ajvFor(schema);
  if (!ajv.validateSchema(schema)) {
    // The meta-schema's anyOf branches add noise; the first error is the useful one.
    throw new Error(ajv.errorsText(ajv.errors?.slice(0, 1), { dataVar: "config_schema" }));
  }
  let prepared = staticCache.get(schema);
  // Once per schema object, and one rewritten object for it: ajv caches what it compiled by the object.
  if (!prepared) {
    const dangling = danglingDynamicRef(schema);
    staticCache.set(schema, (prepared = dangling === null ? withStaticDynamicRefs(schema) : new Error(dangling)));
  }
  if (prepared instanceof Error) throw new Error(prepared.message);
  return ajv.compile(prepared);
}

const staticCache = new WeakMap<Record<string, unknown>, Record<string, unknown> | Error>();

/**
 * What ajv said before about a config_schema (it compiles) and about a plugin's config against it (it
 * conforms), so that a command reading the plugin folder need not load ajv (~40 ms of a start) to be told
 * the same again: `status` reads the folder at every run, and a plugin with a config_schema made it load
 * ajv although nothing had changed. Only a yes is remembered, under a hash of everything the answer
 * depends on (ajv's major version and our options, the schema, the config): another schema or config is
 * another key, so it is asked again; a no is asked every time, to say what is wrong. The file they are
 * kept in is schema-verdicts.ts's.
 */
export interface SchemaVerdicts {
  /** Keys read from the data folder's cache. */
  known: ReadonlySet<string>;
  /** Keys ajv said yes to in this process, not known before: the command that may write saves them. */
  learned: Set<string>;
}

/** Bumped when what a verdict depends on changes (ajv's major version, the options of ajvFor). */
const VERDICT_FORMAT = "ajv8 allErrors strict:false addUsedSchema:false; bounded check 1; own keys apart through any reference; static $dynamicRef";

let verdicts: SchemaVerdicts | null = null;

/** Runs `read` (a discovery) with the verdicts known; what it learns is added to `v.learned`. */
export function withSchemaVerdicts<T>(v: SchemaVerdicts | null, read: () => T): T {
  const before = verdicts;
  verdicts = v;
  try {
    return read();
  } finally {
    verdicts = before;
  }
}

function verdictKey(kind: "compiles" | "conforms", schema: unknown, config?: unknown): string {
  return createHash("sha256").update(JSON.stringify([VERDICT_FORMAT, kind, schema, config ?? null])).digest("base64url");
}

/** Whether a verdict says yes already; else runs `ask` and, when it says yes (returns true), remembers it. */
function rememberedYes(kind: "compiles" | "conforms", schema: unknown, config: unknown, ask: () => boolean): boolean {
  const v = verdicts;
  const key = v ? verdictKey(kind, schema, config) : null;
  if (key !== null && (v!.known.has(key) || v!.learned.has(key))) return true;
  const yes = ask();
  if (yes && key !== null && v) v.learned.add(key);
  return yes;
}

/** How long checking one plugin's config against its config_schema may take. */
export const CONFIG_CHECK_LIMIT_MS = 1000;

/** One context for every bounded check: vm's timeout is the only way to stop a running regular expression. */
let checkContext: vm.Context | null = null;
const checkScript = new vm.Script("check(config)");

/**
 * plugin_configs[id] against the manifest's config_schema: one message per
 * problem, none when it conforms. The schema comes from a plugin, so it is
 * run with a time bound: a `pattern` with nested quantifiers ("^([a-z]+)*$")
 * backtracks for hours on an unlucky value (an API key with a trailing "-"),
 * and shelfwise would hang in every command that reads the plugin folder.
 */
export function checkPluginConfig(pluginId: string, schema: Record<string, unknown>, config: unknown): string[] {
  let problems: string[] = [];
  rememberedYes("conforms", schema, config, () => (problems = checkPluginConfigFields(pluginId, schema, config).problems).length === 0);
  return problems;
}

/**
 * checkPluginConfig with each problem also by setting, for a form (a timeout names no setting).
 *
 * The manifest's schema judges the plugin's own keys only: shelfwise's own keys (memory_mb, timeout,
 * allow_private_network, ...) are the user's grants and limits, judged by shelfwise's schema, so they are
 * taken out before it looks. Else `additionalProperties: false` made a user's memory_mb disable the plugin,
 * and `required` or `const` on allow_private_network kept it disabled until the user granted what it asked.
 * One exception, because the plugin gets those keys in its config too: a value shelfwise itself refuses
 * (wrong type, out of range) is also held against the property the schema declares for that key, on its own.
 */
export function checkPluginConfigFields(
  pluginId: string,
  schema: Record<string, unknown>,
  config: unknown,
): { problems: string[]; fields: ConfigFieldError[] } {
  if (config === null || typeof config !== "object" || Array.isArray(config)) return boundedCheck(pluginId, schema, config);
  const { plugin, own } = splitOwnSettings(config as Record<string, unknown>);
  const result = boundedCheck(pluginId, withoutOwnRequirementsCached(schema), plugin);
  for (const [key, value] of Object.entries(own)) {
    const declared = declaredOwnProperty(schema, key);
    if (declared === null || !ownSettingRefused(key, value)) continue;
    const checked = boundedCheck(pluginId, declared, { [key]: value });
    result.problems.push(...checked.problems);
    result.fields.push(...checked.fields);
  }
  return result;
}

const withoutOwnCache = new WeakMap<Record<string, unknown>, Record<string, unknown>>();

/** withoutOwnRequirements (own-requirements.ts), once per schema object. */
function withoutOwnRequirementsCached(schema: Record<string, unknown>): Record<string, unknown> {
  let done = withoutOwnCache.get(schema);
  if (!done) withoutOwnCache.set(schema, (done = withoutOwnRequirements(schema)));
  return done;
}

/** The schema's top-level property for one of shelfwise's keys, alone (with the definitions it may refer to), or null. */
function declaredOwnProperty(schema: Record<string, unknown>, key: string): Record<string, unknown> | null {
  const properties = schema.properties;
  if (!properties || typeof properties !== "object" || Array.isArray(properties) || !Object.hasOwn(properties, key)) return null;
  const alone: Record<string, unknown> = { type: "object", properties: { [key]: (properties as Record<string, unknown>)[key] } };
  for (const name of ["$schema", "$id", "$defs", "definitions"]) if (Object.hasOwn(schema, name)) alone[name] = schema[name];
  return alone;
}

function boundedCheck(pluginId: string, schema: Record<string, unknown>, config: unknown): { problems: string[]; fields: ConfigFieldError[] } {
  const validate = compileConfigSchema(schema);
  checkContext ??= vm.createContext({});
  checkContext.check = validate;
  checkContext.config = config;
  let valid: boolean;
  try {
    valid = checkScript.runInContext(checkContext, { timeout: CONFIG_CHECK_LIMIT_MS }) === true;
  } catch (error) {
    if ((error as { code?: unknown })?.code !== "ERR_SCRIPT_EXECUTION_TIMEOUT") throw error;
    const problem =
      `plugin_configs.${pluginId}: checking it against config_schema took longer than ${CONFIG_CHECK_LIMIT_MS / 1000} s ` +
      `(a "pattern" in manifest.json's config_schema that backtracks without end, such as nested repetition "([a-z]+)*"; the plugin author must fix it)`;
    return { problems: [problem], fields: [] };
  } finally {
    checkContext.check = undefined;
    checkContext.config = undefined;
  }
  return valid ? { problems: [], fields: [] } : { problems: formatConfigErrors(pluginId, validate), fields: configFieldErrors(validate) };
}

/** ajv errors for plugin_configs[id], each naming the config path. */
export function formatConfigErrors(pluginId: string, validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((error) => {
    const segments = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const where = [`plugin_configs.${pluginId}`, ...segments].join(".");
    return `${where}: ${error.message ?? "is invalid"}`;
  });
}

export interface ConfigFieldError {
  /** The setting's path in plugin_configs[id], dot-separated ("" for the whole object). */
  field: string;
  message: string;
}

/**
 * ajv errors per setting, for a form that shows each next to its field: a
 * missing required setting and an unknown one are named by their own path
 * (ajv puts them on the object that holds them), and an enum says what it allows.
 */
export function configFieldErrors(validate: ValidateFunction): ConfigFieldError[] {
  const seen = new Set<string>();
  const out: ConfigFieldError[] = [];
  for (const error of validate.errors ?? []) {
    const segments = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const params = error.params as Record<string, unknown>;
    let message = error.message ?? "is invalid";
    if (error.keyword === "required" && typeof params.missingProperty === "string") {
      segments.push(params.missingProperty);
      message = "is required";
    } else if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
      segments.push(params.additionalProperty);
      message = "is not a setting of this plugin";
    } else if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
      message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    const field = segments.join(".");
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message });
  }
  return out;
}

// ---- the schema ----------------------------------------------------------------

const ORDER_MESSAGE = `must be an integer from 1 to 999`;
const STRING_LIST = "must be an array of strings";

/**
 * Bounds on what a manifest may say, so that a hostile or careless one cannot
 * flood `plugins list`, the web page or the logs. Generous against real
 * manifests: Library Manager's example is named in 21 characters, versioned in
 * 5 and described in 130.
 */
export const MANIFEST_LIMITS = {
  name: 200,
  version: 100,
  description: 4000,
  class_name: 200,
  entry_point: 1024,
  /** Each key of requires_config and requires_secrets. */
  key: 200,
  /** Entries of requires_config, requires_secrets and permissions.network. */
  list: 100,
  /** config_schema, as JSON text: a settings form's titles and help, not a document. */
  config_schema_bytes: 64 * 1024,
  /**
   * config_schema's nesting of objects and arrays: a settings form with fields
   * in groups in lists is a dozen levels. Checked without recursion before
   * anything walks the schema: a few thousand levels (within the size bound)
   * overflowed the stack of JSON.stringify and ajv.
   */
  config_schema_depth: 32,
} as const;

/**
 * Whether `value` nests objects and arrays more than `limit` levels deep
 * (a plain object is one level), found with a stack of its own, never recursion.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** The message for a maximum length (describeIssue adds how long the value is). */
/**
 * A manifest's text is shown in `plugins list`, `layers`, the pages, reasons and logs: a control character in
 * it (an escape, a carriage return, a line break in a name) is refused, naming it, rather than trusted to every
 * place that shows it. Direction controls pass: a right-to-left name may need them, and the pages isolate them.
 */
function shownText(lines = false) {
  return (value: string, ctx: z.core.$RefinementCtx<string>) => {
    const problem = shownTextProblem(value, { lines, controlsOnly: true });
    if (problem) ctx.addIssue({ code: "custom", message: `${problem}; remove it`, input: value });
  };
}

function tooLong(limit: number, unit = "characters"): string {
  return `must be at most ${limit} ${unit}`;
}

/**
 * The manifest's schema, built on first use rather than at import: `status`, `layers` and `process` load this
 * module to read the plugins' states, and with no plugin (or every manifest's verdict known) building these
 * ~60 zod schemas was ~10 ms of each start for nothing (docs/performance-log.md, acli18).
 */
function buildManifestSchema() {
  const PermissionsSchema = z
    .looseObject({
      network: z
        .array(
          // A URL or host:port (what Library Manager manifests often hold) is read as its host; the note is a warning.
          z.string({ error: "must be a host name" }).transform((value, ctx) => {
            const entry = readNetworkEntry(value);
            if ("host" in entry) return entry.host;
            ctx.addIssue({ code: "custom", message: entry.problem, input: value });
            return z.NEVER;
          }),
          { error: "must be an array of host names" },
        )
        .max(MANIFEST_LIMITS.list, { error: tooLong(MANIFEST_LIMITS.list, "host names") })
        .default([])
        .describe("Hosts the plugin may connect to: host names or IP addresses, *.example.com for a domain's subdomains; a URL is read as its host."),
      filesystem: z
        .enum(["read", "none"], { error: 'must be "read" or "none"' })
        .default("none")
        .describe('"read": the plugin may read the library folders; "none": only its own folder.'),
      database: z.unknown().optional().describe("Accepted for compatibility and ignored: plugins never get database access."),
    }, { error: "must be an object" })
    .default({ network: [], filesystem: "none" });

  const CONCURRENCY_MESSAGE = `must be a whole number from 1 to ${PLUGIN_RUNTIME_SETTINGS.concurrency.max}`;

  return z
    .looseObject({
      id: z
        .string({ error: required("must be a string") })
        .regex(PLUGIN_ID_PATTERN, { error: PLUGIN_ID_RULE })
        .superRefine((id, ctx) => {
          const problem = reservedIdProblem(id);
          if (problem !== null) ctx.addIssue({ code: "custom", message: problem, input: id });
        })
        .meta({ description: "Unique plugin id: 1 to 64 letters, digits, _ or -, not starting with - (a command line would read it as an option).", not: { enum: [...RESERVED_PLUGIN_IDS] } }),
      name: z
        .string({ error: required("must be a non-empty string") })
        .trim()
        .min(1, { error: "must be a non-empty string" })
        .max(MANIFEST_LIMITS.name, { error: tooLong(MANIFEST_LIMITS.name) })
        .superRefine(shownText())
        .describe("Display name."),
      // Library Manager manifests may say "version": 1.2 (its loader keeps any JSON value): read as the text "1.2", with a note.
      version: z
        .union([z.string(), z.number()], { error: 'must be a string such as "1.2.0"' })
        .transform((value) => (typeof value === "number" ? String(value) : value))
        .pipe(z.string().max(MANIFEST_LIMITS.version, { error: tooLong(MANIFEST_LIMITS.version) }).superRefine(shownText()))
        .optional()
        .describe("Plugin version, shown by `plugins list` (a number is read as its text)."),
      description: z
        .string({ error: "must be a string" })
        .max(MANIFEST_LIMITS.description, { error: tooLong(MANIFEST_LIMITS.description) })
        .superRefine(shownText(true))
        .optional()
        .describe("One line about what the plugin does."),
      type: z.literal("layer", { error: 'must be "layer"' }).default("layer").describe('Plugin kind; only "layer".'),
      entry_point: z
        .string({ error: required("must be a string") })
        .min(1, { error: "must not be empty" })
        .max(MANIFEST_LIMITS.entry_point, { error: tooLong(MANIFEST_LIMITS.entry_point) })
        .superRefine((value, ctx) => {
          const problem = entryPointProblem(value);
          if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
        })
        .meta({
          description: `Module to load, relative to the plugin folder: ${ENTRY_EXTENSIONS_TEXT}.`,
          pattern: "^(?![/\\\\]|[A-Za-z]:)(?!(.*[/\\\\])?\\.\\.([/\\\\]|$)).*\\.(js|mjs|cjs|ts|mts|py)$",
        }),
      class_name: z
        .string({ error: "must be a string" })
        .max(MANIFEST_LIMITS.class_name, { error: tooLong(MANIFEST_LIMITS.class_name) })
        .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, { error: "must be a class or export name (letters, digits, _ or $)" })
        .optional()
        .describe("Export (node) or class (python) to use; by default the runtime picks the plugin class."),
      default_order: z
        .int({ error: ORDER_MESSAGE })
        .min(1, { error: ORDER_MESSAGE })
        .max(999, { error: ORDER_MESSAGE })
        .default(DEFAULT_ORDER)
        .describe("Position in the identification pipeline (1 to 999; lower runs earlier)."),
      concurrency: z
        .int({ error: CONCURRENCY_MESSAGE })
        .min(1, { error: CONCURRENCY_MESSAGE })
        .max(PLUGIN_RUNTIME_SETTINGS.concurrency.max, { error: CONCURRENCY_MESSAGE })
        .optional()
        .describe(
          "process() calls the plugin handles at once (1 to 32; default 1). Above 1 the plugin must be safe to call concurrently; plugin_configs.<id>.concurrency overrides it.",
        ),
      rate_limit_per_minute: z
        .int({ error: "must be a positive whole number" })
        .min(1, { error: "must be a positive whole number" })
        .optional()
        .describe("Most process() calls started per minute (an API quota); plugin_configs.<id>.rate_limit_per_minute overrides it."),
      requires_config: z
        .array(
          z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).max(MANIFEST_LIMITS.key, { error: tooLong(MANIFEST_LIMITS.key) }).superRefine(shownText()),
          { error: STRING_LIST },
        )
        .max(MANIFEST_LIMITS.list, { error: tooLong(MANIFEST_LIMITS.list, "keys") })
        .default([])
        .describe("Keys that must be present in plugin_configs[id]; otherwise the plugin is skipped."),
      requires_secrets: z
        .array(
          z
            .string({ error: "must be a string" })
            .min(1, { error: "must not be empty" })
            .max(MANIFEST_LIMITS.key, { error: tooLong(MANIFEST_LIMITS.key) })
            .superRefine(shownText())
            .refine((name) => !RESERVED_SECRET_NAMES.has(name), { error: "is shelfwise's own secret (the web server's access token); a plugin cannot ask for it" })
            // sources.<id>.<key> is an HTTP source's own key (domain/credential-scope.ts): first use would hand it over.
            .refine((name) => !name.startsWith(SOURCE_SECRET_PREFIX), {
              error: `is an HTTP source's own key (${SOURCE_SECRET_PREFIX}<id>.<key> names only sources' keys); a plugin cannot ask for it: name the plugin's secret after the plugin (e.g. my_plugin_api_key)`,
            })
            // plugin_configs.<id>.<key> is a plugin's secret setting (secret-settings.ts), given in that plugin's config only:
            // first use would hand another plugin's key to the one that names it first.
            .refine((name) => !name.startsWith(SECRET_SETTING_PREFIX), {
              error: `is a plugin's secret setting (${SECRET_SETTING_PREFIX}<id>.<key> is given in that plugin's config only); a plugin cannot ask for it: mark your own secret settings in config_schema (writeOnly), or name the secret after the plugin (e.g. my_plugin_api_key)`,
            }),
          { error: STRING_LIST },
        )
        .max(MANIFEST_LIMITS.list, { error: tooLong(MANIFEST_LIMITS.list, "keys") })
        .default([])
        .describe("Keys that must be present in secrets.json; otherwise the plugin is skipped."),
      config_schema: z
        .record(z.string(), z.unknown(), { error: "must be a JSON Schema object" })
        .superRefine((schema, ctx) => {
          if (nestedDeeperThan(schema, MANIFEST_LIMITS.config_schema_depth)) {
            ctx.addIssue({
              code: "custom",
              message: `must nest objects and arrays at most ${MANIFEST_LIMITS.config_schema_depth} levels deep (a settings form needs a dozen at most); flatten it`,
              input: schema,
              params: { says_value: true },
            });
            return;
          }
          const size = Buffer.byteLength(JSON.stringify(schema));
          if (size > MANIFEST_LIMITS.config_schema_bytes) {
            ctx.addIssue({
              code: "custom",
              message: `must be at most ${MANIFEST_LIMITS.config_schema_bytes} bytes as JSON (got ${size})`,
              input: schema,
              params: { says_value: true },
            });
            return;
          }
          // Each setting it marks secret is kept in secrets.json as plugin_configs.<id>.<key>: a name
          // `secrets set` cannot address would be a setting no one can give from the command line.
          for (const key of secretSettingNames(schema)) {
            const problem = secretSettingKeyProblem(key);
            if (problem === null) continue;
            const shown = JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key);
            ctx.addIssue({
              code: "custom",
              message: `properties[${shown}] is marked secret, and a secret setting's name ${problem}: rename it (1 to ${MAX_SECRET_SETTING_KEY} characters, no control character or line break), so that \`shelfwise secrets set plugin_configs.ID.KEY\` can name it`,
              input: schema,
              params: { says_value: true },
            });
            return;
          }
          // The compiler names each key in a URI and stopped at a lone surrogate with "URI malformed", naming nothing.
          const broken = brokenKeyPath(schema);
          if (broken !== null) {
            ctx.addIssue({
              code: "custom",
              message: `${broken} is a key that is not valid Unicode (a lone surrogate, such as a \\ud800 escape with no pair, or bytes that were not UTF-8): write the key as plain text`,
              input: schema,
              params: { says_value: true },
            });
            return;
          }
          try {
            rememberedYes("compiles", schema, undefined, () => (compileConfigSchema(schema), true));
          } catch (error) {
            // The compiler follows a $ref that leads back to itself with nothing in between until the stack ends.
            const loop = error instanceof RangeError && /call stack/i.test(error.message) ? `its $ref references lead back to themselves with no schema between ({"$ref": "#/definitions/a"} inside "a"): point each $ref at a schema that judges something` : null;
            // shelfwise never fetches a schema: a reference outside the manifest cannot be followed.
            const unresolved = /can't resolve reference/.test((error as Error).message)
              ? ` (a reference is followed only inside config_schema, never fetched: copy another document's schema into "$defs" and point at it with "#/$defs/NAME"; an "$anchor" or "$id" is matched exactly as the reference spells it)`
              : "";
            ctx.addIssue({
              code: "custom",
              message: `is not a valid JSON Schema: ${loop ?? (error as Error).message}${unresolved}`,
              input: schema,
              params: { says_value: true },
            });
          }
        })
        .optional()
        .describe(`JSON Schema that plugin_configs[id] must satisfy: at most ${MANIFEST_LIMITS.config_schema_bytes} bytes as JSON, objects and arrays nested at most ${MANIFEST_LIMITS.config_schema_depth} levels deep.`),
      permissions: PermissionsSchema,
      api_version: z
        .int({ error: "must be a positive integer" })
        .min(1, { error: "must be a positive integer" })
        .superRefine((value, ctx) => {
          if (value > PLUGIN_API_VERSION) {
            ctx.addIssue({
              code: "custom",
              message: `plugin needs shelfwise plugin API ${value}; this shelfwise supports API ${PLUGIN_API_VERSION}`,
              input: value,
              params: { says_value: true },
            });
          }
        })
        .default(PLUGIN_API_VERSION)
        .meta({ description: "Plugin API version the plugin was written for.", maximum: PLUGIN_API_VERSION }),
    })
    .describe("shelfwise plugin manifest (manifest.json)");
}

let builtSchema: ReturnType<typeof buildManifestSchema> | null = null;

/** The manifest's zod schema (built once, on first use). */
export function manifestSchema(): ReturnType<typeof buildManifestSchema> {
  return (builtSchema ??= buildManifestSchema());
}

export type Manifest = z.output<ReturnType<typeof buildManifestSchema>>;
export type ManifestInput = z.input<ReturnType<typeof buildManifestSchema>>;

let knownKeys: Set<string> | null = null;
/** The manifest's top-level keys. */
function manifestKeys(): Set<string> {
  return (knownKeys ??= new Set(Object.keys(manifestSchema().shape)));
}
const KNOWN_PERMISSION_KEYS = new Set(["network", "filesystem", "database"]);

// ---- parsing with readable messages -------------------------------------------

export interface ManifestCheck {
  manifest: Manifest | null;
  /** Each "<label>: <key>: <what is wrong>". */
  errors: string[];
  warnings: string[];
}

function formatKeyPath(keys: readonly PropertyKey[]): string {
  return keys.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

function valueAt(raw: unknown, keys: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of keys) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A short, safe rendering of a bad value for messages. */
export function preview(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const value = valueAt(raw, issue.path);
  const saysValue = issue.code === "custom" && issue.params?.says_value === true;
  let got = !saysValue && value !== undefined ? ` (got ${preview(value)})` : "";
  if (issue.code === "too_big" && Array.isArray(value)) got = ` (got ${value.length})`;
  else if (issue.code === "too_big" && typeof value === "string") got = ` (got ${value.length}: ${preview(value)})`;
  else if (got !== "" && issue.code === "invalid_type") got = ` (got ${preview(value)}${typeFix(issue.expected, value, issue.path.at(-1) === "network")})`;
  return `${formatKeyPath(issue.path) || "manifest"}: ${issue.message}${got}`;
}

/**
 * The value as it should have been written, for the slips authors make most: one name where a list is
 * wanted (`"requires_secrets": "api_key"`), a number in quotes (`"default_order": "50"`), a boolean in
 * quotes. Empty when there is no obvious rewrite.
 */
function typeFix(expected: string, value: unknown, hosts = false): string {
  if (typeof value !== "string") return "";
  const trimmed = value.trim();
  if (expected === "array" && hosts) {
    // A URL, as Library Manager's informational key often holds: the host is what the wall lets through.
    let host: string | null = null;
    try {
      host = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? new URL(trimmed).hostname || null : null;
    } catch {
      host = null;
    }
    if (host !== null) return `: write [${preview(host)}], a list of host names`;
  }
  if (expected === "array") return trimmed === "" ? ": write []" : `: write [${preview(value)}], a list`;
  if ((expected === "number" || expected === "int") && /^-?\d+(?:\.\d+)?$/.test(trimmed)) return `: write ${trimmed}, a number without quotes`;
  if (expected === "boolean" && /^(?:true|false)$/i.test(trimmed)) return `: write ${trimmed.toLowerCase()}, without quotes`;
  return "";
}

const RUNTIME_KEY_WARNING = "runtime: not a manifest key, ignored: the entry_point's extension picks the runtime (.py: Python; .js, .mjs, .cjs, .ts, .mts: Node)";

/** Unknown keys named one by one; more are counted. Each shown at most this long. */
const MAX_UNKNOWN_KEYS_NAMED = 10;
const MAX_KEY_SHOWN = 60;

/**
 * A manifest with 100,000 unknown keys (or one a megabyte long) is a warning of a few lines, not a
 * flood on every `process` and `plugins list`.
 */
function unknownKeysWarnings(prefix: string, keys: string[], known: ReadonlySet<string>, present: object, id = "<id>"): string[] {
  const shown = (key: string) => (key.length > MAX_KEY_SHOWN ? `${key.slice(0, MAX_KEY_SHOWN - 3)}...` : key);
  const warnings = keys.slice(0, MAX_UNKNOWN_KEYS_NAMED).map((key) => {
    // Written by authors who expect to choose the runtime: what does choose it is said instead.
    if (prefix === "" && key === "runtime") return RUNTIME_KEY_WARNING;
    const meant = meantKey(key, known, present);
    if (meant) return `${prefix}${shown(key)}: unknown key, ignored (did you mean ${prefix}${meant}?)`;
    // The key meant is there too but empty (a scaffold's "requires_secrets": [] above the "requires_secret"
    // filled in): which of the two counts is what the author needs to hear. Beside a key with a value of its
    // own, the other is taken for a key of the author's.
    const given = meantKey(key, known, {});
    if (given && emptyValue((present as Record<string, unknown>)[given])) return `${prefix}${shown(key)}: unknown key, ignored (did you mean ${prefix}${given}? the manifest has ${prefix}${given} too, and only it counts: merge this one into it)`;
    const own = prefix === "" ? meantOwnSetting(key) : null;
    if (own) {
      return `${shown(key)}: unknown key, ignored (${own} is not the manifest's to set: it is the user's setting plugin_configs.${id}.${own} in config.json${OWN_SETTING_UNITS[own] ?? ""})`;
    }
    return `${prefix}${shown(key)}: unknown key, ignored`;
  });
  const more = keys.length - MAX_UNKNOWN_KEYS_NAMED;
  if (more > 0) warnings.push(`${counted(more, "more unknown key")}${prefix ? ` in ${prefix.slice(0, -1)}` : ""}, ignored`);
  return warnings;
}

function unknownKeyWarnings(raw: Record<string, unknown>): string[] {
  // "$schema" points editors at the published JSON Schema: expected, not unknown.
  // The id as the user writes it in config.json; "<id>" when the manifest's is not one.
  const id = typeof raw.id === "string" && /^[a-z0-9][a-z0-9_-]{0,63}$/i.test(raw.id) ? raw.id : "<id>";
  const warnings = unknownKeysWarnings("", Object.keys(raw).filter((key) => !manifestKeys().has(key) && key !== "$schema"), manifestKeys(), raw, id);
  const permissions = raw.permissions;
  if (permissions && typeof permissions === "object" && !Array.isArray(permissions)) {
    const unknown = Object.keys(permissions).filter((key) => !KNOWN_PERMISSION_KEYS.has(key));
    warnings.push(...unknownKeysWarnings("permissions.", unknown, KNOWN_PERMISSION_KEYS, permissions));
    if ("database" in permissions) {
      warnings.push("permissions.database: ignored; plugins never get database access");
    }
    const network = (permissions as Record<string, unknown>).network;
    if (Array.isArray(network) && network.length <= MANIFEST_LIMITS.list) {
      network.forEach((value, index) => {
        const entry = typeof value === "string" ? readNetworkEntry(value) : null;
        if (entry && "note" in entry && entry.note) warnings.push(`permissions.network[${index}]: ${entry.note}`);
      });
    }
  }
  const schema = raw.config_schema;
  const properties = schema && typeof schema === "object" && !Array.isArray(schema) ? (schema as Record<string, unknown>).properties : undefined;
  if (properties && typeof properties === "object" && !Array.isArray(properties)) {
    for (const key of Object.keys(properties).filter((name) => OWN_SETTING_KEYS.has(name))) {
      warnings.push(
        `config_schema: properties["${key}"] is shelfwise's own setting of plugin_configs.<id> (the user's grant or limit), not the plugin's: ` +
          `the settings page draws it as shelfwise describes it, without this schema's title, help or default; give the plugin's own setting another name`,
      );
    }
  }
  if (Array.isArray(raw.requires_config)) {
    for (const key of raw.requires_config.filter((name): name is string => typeof name === "string" && OWN_SETTING_KEYS.has(name))) {
      warnings.push(
        `requires_config: "${key}" is shelfwise's own setting of plugin_configs.<id> (the user's grant or limit), not the plugin's: ` +
          `a plugin cannot require it, so it is not required; remove it`,
      );
    }
  }
  if (typeof raw.version === "number" && Number.isFinite(raw.version)) {
    const text = String(raw.version);
    warnings.push(`version: a number, shown as "${text}"; write it as text ("version": "${text}") to keep what a number drops, such as the 0 of 1.10`);
  }
  return warnings;
}

function emptyValue(value: unknown): boolean {
  if (value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

const OWN_SETTING_UNITS: Record<string, string> = { timeout: ", in seconds", setup_timeout: ", in seconds", memory_mb: ", in MB", max_file_mb: ", in MB", max_data_mb: ", in MB" };

/**
 * One of shelfwise's own settings of plugin_configs.<id> written into the manifest (`timeout_seconds`,
 * `timout`, `memory_mb`): the author wants a limit the manifest cannot give. A unit after the name is
 * left out of the comparison.
 */
function meantOwnSetting(key: string): string | null {
  if (key.length > MAX_KEY_COMPARED) return null;
  const written = spelling(key);
  const bare = written.replace(/(seconds|secs|sec|ms|s|megabytes|mb)$/, "");
  for (const own of OWN_SETTING_KEYS) {
    if (manifestKeys().has(own)) continue; // concurrency, rate_limit_per_minute: the manifest's too
    const target = spelling(own);
    const limit = target.length >= 8 ? 2 : 1;
    if ([written, bare].some((form) => form.length >= 4 && editsBetween(form, target, limit) <= limit)) return own;
  }
  return null;
}

/** Keys longer than this are nobody's typo of a manifest key, and are not compared (a key may be a megabyte long). */
const MAX_KEY_COMPARED = 64;

function spelling(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, "");
}

/** Edits (a letter added, dropped, changed, or two neighbours swapped) from `a` to `b`, stopping past `limit`. */
function editsBetween(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      row.push(best);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The manifest key an unknown one was meant as, when the manifest lacks that key: the same words in camelCase,
 * with `-` or without `_` (`entryPoint`, `entry-point`, `entrypoint`: what a JavaScript author writes by habit),
 * or a slip of a letter or two (`default_ordr`, `requires_secret`, `entry_piont`). Without it an author sees only
 * "entry_point: is required" beside the entryPoint they wrote.
 */
export function meantKey(key: string, known: ReadonlySet<string>, present: object): string | null {
  if (key.length > MAX_KEY_COMPARED) return null;
  const written = spelling(key);
  let found: string | null = null;
  for (const candidate of known) {
    if (Object.hasOwn(present, candidate)) continue;
    const target = spelling(candidate);
    // A slip of a letter in a word of two or three ("idd", "nam") could as well be a key of the author's own.
    const edits = written === target ? 0 : written.length < 4 ? Infinity : editsBetween(written, target, target.length >= 8 ? 2 : 1);
    if (edits <= (target.length >= 8 ? 2 : 1)) {
      if (found !== null) return null; // two keys as close: no guess
      found = candidate;
    }
  }
  return found;
}

/** "entry_point: is required" with the unknown key that was probably meant as it, when there is one. */
function withMeantKey(raw: Record<string, unknown>, issue: z.core.$ZodIssue, message: string): string {
  if (issue.path.length === 0 || issue.path.length > 2 || issue.message !== "is required") return message;
  const parent = issue.path.length === 2 ? raw[String(issue.path[0])] : raw;
  if (!parent || typeof parent !== "object" || Array.isArray(parent)) return message;
  const wanted = String(issue.path[issue.path.length - 1]);
  const known = issue.path.length === 2 ? KNOWN_PERMISSION_KEYS : manifestKeys();
  const unknown = Object.keys(parent).filter((key) => !known.has(key)).slice(0, 1000);
  const written = unknown.find((key) => meantKey(key, known, parent) === wanted);
  return written === undefined ? message : `${message} (the manifest has ${JSON.stringify(written)}: write it ${wanted})`;
}

/**
 * Checks a parsed manifest.json value. `label` (usually the manifest's path)
 * starts every message: "<label>: default_order: must be an integer from 1 to 999 (got 1.5)".
 */
/**
 * Keys Library Manager reads with `manifest.get(key, default)` and runs with when they hold null (and
 * `class_name` when it is ""): a manifest written with them so (a template's blanks) runs there, so it is read
 * here as if it left them out, with a note. Keys Library Manager fails on when null (`requires_secrets`,
 * `default_order`) stay errors.
 */
const LM_UNSET_KEYS = ["version", "description", "class_name", "requires_config", "permissions"] as const;

function lmUnsetKeys(raw: Record<string, unknown>): { read: Record<string, unknown>; notes: string[] } {
  const notes: string[] = [];
  let read = raw;
  const unset = (key: string, value: unknown, where: Record<string, unknown>, prefix = ""): Record<string, unknown> => {
    notes.push(`${prefix}${key}: ${value === null ? "null" : '""'}, read as not set`);
    const { [key]: _, ...rest } = where;
    return rest;
  };
  for (const key of LM_UNSET_KEYS) {
    const value = read[key];
    if (value === null || (key === "class_name" && value === "")) read = unset(key, value, read);
  }
  const permissions = read.permissions;
  if (permissions && typeof permissions === "object" && !Array.isArray(permissions) && (permissions as Record<string, unknown>).network === null) {
    read = { ...read, permissions: unset("network", null, permissions as Record<string, unknown>, "permissions.") };
  }
  return { read, notes };
}

/**
 * "id: is required" with the id to write: the folder's name, when it is one an id may be (the author named the
 * folder for the plugin; a name that breaks the id rule or is a built-in layer's is not suggested).
 */
function withFolderId(issue: z.core.$ZodIssue, message: string, folderName: string | undefined): string {
  if (folderName === undefined || issue.path.length !== 1 || issue.path[0] !== "id" || issue.message !== "is required") return message;
  if (pluginIdProblem(folderName) !== null || builtinIdProblem(folderName) !== null) return message;
  return `${message}: add "id": ${JSON.stringify(folderName)} (the folder's name) or another id of 1 to 64 letters, digits, _ or -`;
}

/** `folderName`: the name of the plugin's folder, offered as the id when the manifest has none. */
export function checkManifest(raw: unknown, label: string, folderName?: string): ManifestCheck {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { manifest: null, errors: [`${label}: must contain a JSON object (got ${preview(raw)})`], warnings: [] };
  }
  const warnings = unknownKeyWarnings(raw as Record<string, unknown>).map((w) => `${label}: ${w}`);
  const { read, notes } = lmUnsetKeys(raw as Record<string, unknown>);
  warnings.push(...notes.map((note) => `${label}: ${note}`));
  const result = manifestSchema().safeParse(read);
  if (!result.success) {
    // One line per problem: a value that fails two checks the same way (default_order 1e308) was named twice.
    const errors = [...new Set(result.error.issues.map((issue) => `${label}: ${withFolderId(issue, withMeantKey(raw as Record<string, unknown>, issue, describeIssue(raw, issue)), folderName)}`))];
    return { manifest: null, errors, warnings };
  }
  return { manifest: result.data, errors: [], warnings };
}

/**
 * The network entries shelfwise accepts, as a pattern for editors: a URL (read as its host), names of letters,
 * digits and inner hyphens, dot-separated (IPv4 included), with `*.` before them for subdomains and a port or
 * path after them, or an IPv6 address. Accepted by shelfwise with a warning and still flagged by an editor: a Unicode name;
 * refused by shelfwise and passed by the pattern: `*.com` and other public suffixes.
 */
const HOST_NAME_PATTERN = "^\\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s]+.*|(?:\\*\\.)?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?(?::[0-9]{1,5})?(?:/\\S*)?|[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)$";

/** The published JSON Schema (what `shelfwise/manifest.schema.json` serves). */
export function manifestJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(manifestSchema(), { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  // What zod's refinements check, said in JSON Schema, so an editor flags it while the author types.
  const properties = rest.properties as Record<string, { items?: object; properties?: Record<string, { items?: object }> }>;
  const network = properties.permissions!.properties!.network!;
  network.items = {
    ...network.items,
    pattern: HOST_NAME_PATTERN,
    // An address range (10.0.0.0/8) and a top-level wildcard (*.com) would match the pattern as a host and a path.
    not: { anyOf: [{ pattern: "^\\s*[0-9A-Fa-f:.]+/[0-9]{1,3}\\s*$" }, { pattern: "^\\s*\\*\\.[^.]*\\.?\\s*$" }] },
    description: "A host name or IP address, or *.example.com for the subdomains of example.com (a URL is accepted and read as its host, with a warning).",
  };
  properties.requires_secrets!.items = { ...properties.requires_secrets!.items, not: { anyOf: [{ enum: [...RESERVED_SECRET_NAMES] }, { pattern: `^${SOURCE_SECRET_PREFIX.replace(".", "\\.")}` }, { pattern: `^${SECRET_SETTING_PREFIX.replace(".", "\\.")}` }] } };
  return {
    $schema,
    title: "shelfwise plugin manifest",
    ...rest,
  };
}

/** The path to the first key of `value` with a lone surrogate (shown with it escaped), or null; the depth is bounded above. */
function brokenKeyPath(value: unknown, at = ""): string | null {
  if (value === null || typeof value !== "object") return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${at}[${key}]` : `${at}[${JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key)}]`;
    if (!Array.isArray(value) && /\p{Cs}/u.test(key)) return here.replace(/^\[/, "config_schema[");
    const found = brokenKeyPath(inner, here);
    if (found !== null) return found;
  }
  return null;
}
