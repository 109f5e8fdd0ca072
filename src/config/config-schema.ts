/**
 * config.json: one zod schema is the TypeScript type, the validation, and the
 * documented defaults. Unknown keys are kept (a newer shelfwise or a plugin
 * layer may own them) and only produce a warning.
 */
import { z } from "zod";
import { FOLDER_PATH, noNul, unmeant } from "./text-rules.js";
import { TemplateError, validateTemplate } from "../domain/naming-template.js";
import { httpSourcesSchema, type HttpSourceDefinition } from "./http-source-schema.js";

export const DEFAULT_NAMING_TEMPLATE = "{author}/{series}/{series_num} - {title}";

const pluginConfig = z.record(z.string(), z.unknown());

/**
 * The keys of plugin_configs.<id> that shelfwise itself reads, with their
 * ranges and defaults: the one place they are defined. A value out of range
 * or of the wrong type still runs (clamped to the range, or the default) with
 * a warning, so one typo never stops a library run.
 */
/** secrets.json's key for the web server's access token: shelfwise's own secret. */
export const WEB_TOKEN_SECRET = "web_token";
/** Secrets shelfwise keeps for itself in secrets.json: never handed to a plugin, whatever its manifest asks. */
export const RESERVED_SECRET_NAMES: ReadonlySet<string> = new Set([WEB_TOKEN_SECRET]);

export const PLUGIN_RUNTIME_SETTINGS = {
  /** Weight of the plugin's claims against other sources. */
  source_weight: { min: 0, max: 100, default: 60, integer: false },
  /** Seconds one process() call may take. */
  timeout: { min: 1, max: 600, default: 30, integer: false },
  /** Seconds loading and setup() may take. */
  setup_timeout: { min: 1, max: 600, default: 30, integer: false },
  /** Memory limit of the plugin process. */
  memory_mb: { min: 32, max: 16_384, default: 256, integer: true },
  /** Largest file the plugin may write (RLIMIT_FSIZE), in its data folder or its /tmp: a bound on each file, not on all. */
  max_file_mb: { min: 1, max: 1_000_000, default: 1024, integer: true },
  /** Most disk space its data folder may take, all files together (measured every few seconds while it runs). */
  max_data_mb: { min: 1, max: 100_000_000, default: 10_240, integer: true },
  /** process() calls in flight at once (the manifest may set its own default). */
  concurrency: { min: 1, max: 32, default: 1, integer: true },
  /** Calls started per minute at most; null: no limit (the manifest may set its own default). */
  rate_limit_per_minute: { min: 1, max: 1_000_000, default: null, integer: true },
} as const;

export type PluginRuntimeKey = keyof typeof PLUGIN_RUNTIME_SETTINGS;

/** The schema of those keys (documentation and strict checking; resolvePluginRuntime clamps instead). */
export const PluginRuntimeSettingsSchema = z.object(
  Object.fromEntries(
    Object.entries(PLUGIN_RUNTIME_SETTINGS).map(([key, r]) => {
      const number = (r.integer ? z.number().int() : z.number()).min(r.min).max(r.max);
      return [key, r.default === null ? number.nullable().default(null) : number.default(r.default)];
    }),
  ) as { [K in PluginRuntimeKey]: z.ZodDefault<z.ZodNumber> },
);

export interface PluginRuntime {
  source_weight: number;
  timeout: number;
  setup_timeout: number;
  memory_mb: number;
  max_file_mb: number;
  max_data_mb: number;
  concurrency: number;
  rate_limit_per_minute: number | null;
}

/**
 * The runtime settings a plugin runs with: plugin_configs.<id> over the
 * manifest's defaults over shelfwise's; warnings name what was clamped.
 */
export function resolvePluginRuntime(
  id: string,
  config: Record<string, unknown>,
  manifestDefaults: Partial<Record<PluginRuntimeKey, number | undefined>> = {},
): { settings: PluginRuntime; warnings: string[] } {
  const warnings: string[] = [];
  const settings = {} as Record<PluginRuntimeKey, number | null>;
  for (const key of Object.keys(PLUGIN_RUNTIME_SETTINGS) as PluginRuntimeKey[]) {
    const range = PLUGIN_RUNTIME_SETTINGS[key];
    const fallback = manifestDefaults[key] ?? range.default;
    const value = config[key];
    if (value === undefined || (value === null && range.default === null)) {
      settings[key] = fallback;
      continue;
    }
    let used: number | null = fallback;
    if (typeof value === "number" && Number.isFinite(value)) {
      used = Math.min(range.max, Math.max(range.min, range.integer ? Math.round(value) : value));
    }
    if (used !== value) {
      warnings.push(
        `plugin_configs.${id}.${key}: must be ${range.integer ? "a whole number" : "a number"} from ${range.min} to ${range.max} (got ${JSON.stringify(value)}); using ${used ?? "no limit"}`,
      );
    }
    settings[key] = used;
  }
  return { settings: settings as unknown as PluginRuntime, warnings };
}

/**
 * The wall's per-plugin allowances in plugin_configs.<id> (docs/plugins.md, the wall): the one place
 * they are defined. Like the runtime settings, a mistyped value never stops a run: it allows nothing
 * extra, with a warning.
 */
export const PluginSandboxSettingsSchema = z.object({
  /** The egress proxy may reach loopback and private addresses for this plugin. */
  allow_private_network: z.boolean().default(false),
  /** More folders the plugin may read (relative paths: relative to the data folder). */
  extra_read_paths: z.array(z.string().superRefine(noNul(FOLDER_PATH))).default([]),
});
export type PluginSandboxAllowances = z.infer<typeof PluginSandboxSettingsSchema>;

/** The allowances a plugin runs with; warnings name what was ignored. Paths are returned as written. */
export function resolvePluginSandbox(id: string, config: Record<string, unknown>): { settings: PluginSandboxAllowances; warnings: string[] } {
  const warnings: string[] = [];
  const allow = config.allow_private_network;
  if (allow !== undefined && typeof allow !== "boolean") {
    warnings.push(`plugin_configs.${id}.allow_private_network: must be true or false (got ${JSON.stringify(allow)}); private addresses stay refused`);
  }
  const extra = config.extra_read_paths;
  if (extra !== undefined && (!Array.isArray(extra) || extra.some((p) => typeof p !== "string"))) {
    warnings.push(
      `plugin_configs.${id}.extra_read_paths: must be a list of folder paths (got ${JSON.stringify(extra)}); entries that are not strings are ignored`,
    );
  }
  // A NUL no path can hold: the entry is no folder, and read as one it would be cut at the NUL (another folder).
  if (Array.isArray(extra) && extra.some((p) => typeof p === "string" && p.includes("\u0000"))) {
    warnings.push(`plugin_configs.${id}.extra_read_paths: an entry holds a NUL (U+0000), which no folder path can hold; that entry is ignored`);
  }
  return {
    settings: {
      allow_private_network: allow === true,
      extra_read_paths: Array.isArray(extra) ? extra.filter((p): p is string => typeof p === "string" && p.trim() !== "" && !p.includes("\u0000")) : [],
    },
    warnings,
  };
}

export const ConfigSchema = z.looseObject({
  library_paths: z.array(z.string().min(1).superRefine(noNul(FOLDER_PATH))).default([]),
  /** null: `<data-dir>/plugins`. A relative path is relative to the data dir. */
  plugin_dir: z.string().min(1).superRefine(noNul(`${FOLDER_PATH} (or null: <data-dir>/plugins)`)).nullable().default(null),
  plugin_configs: z.record(z.string(), pluginConfig).default({}),
  // Checked on load, so that a bad template is a config error naming the key (exit 2), not a crash of the first plan.
  naming_template: z
    .string()
    .min(1)
    .superRefine(unmeant("a naming template such as {author}/{series}/{series_num} - {title}"))
    .superRefine((template, ctx) => {
      try {
        validateTemplate(template);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        ctx.addIssue({ code: "custom", message: error.message });
      }
    })
    .default(DEFAULT_NAMING_TEMPLATE),
  /** Digits `{series_num}` is zero-padded to ("02", "02.5"). */
  series_num_padding: z.number().int().min(0).max(10).default(2),
  /** null: books are organized inside their own library folder. A relative path is relative to the data dir. */
  output_path: z.string().min(1).superRefine(noNul(`${FOLDER_PATH} (or null: each library folder)`)).nullable().default(null),
  confidence_threshold: z.number().min(0).max(100).default(60),
  batch_size: z.number().int().min(1).max(10_000).default(50),
  pipeline_order: z.array(z.string().superRefine(unmeant("a layer or plugin id (`shelfwise layers` lists them)"))).default([]),
  auto_disable_after: z.number().int().min(1).max(1000).default(5),
  python_path: z.string().min(1).superRefine(unmeant("the Python 3 plugins run with: a command on PATH (python3) or a path to it")).default("python3"),
  // http(s) only, as the layer needs: `file:///etc/passwd` passed here and then stopped `process` and `layers` with an unexpected error.
  openlibrary_url: z
    .string()
    .superRefine(unmeant("a URL (https://...)"))
    .url()
    .refine((url) => /^https?:\/\//i.test(url), "must be an http:// or https:// URL (https://openlibrary.org)")
    .default("https://openlibrary.org"),
  openlibrary_timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
  openlibrary_rate_per_sec: z.number().positive().max(100).default(1),
  openlibrary_breaker_failures: z.number().int().min(1).max(1000).default(5),
  openlibrary_breaker_cooldown_s: z.number().min(0).max(86_400).default(60),
  path_enabled: z.boolean().default(true),
  embedded_tags_enabled: z.boolean().default(true),
  sidecar_enabled: z.boolean().default(true),
  openlibrary_enabled: z.boolean().default(false),
  /** Refuse to run a plugin without the full wall (namespaces and Landlock); see docs/plugins.md. */
  sandbox_required: z.boolean().default(false),
  /** Wall mechanisms not to use (debugging; the level shown by `plugins list` says what is left). */
  sandbox_disable: z.array(z.enum(["namespace", "landlock", "seccomp", "permission", "all"])).default([]),
  /** How long a writing command waits for another one on the same data folder before it gives up. */
  lock_wait_seconds: z.number().min(0).max(3600).default(5),
  /**
   * No-code metadata APIs, each a pipeline layer (see http-source-schema.ts). Their schemas are built only
   * when config.json has the key: this field stands for them (an object schema reads every field's
   * optionality on its first parse, so a field holding them, even behind z.lazy, would build them at
   * every start). Their issues keep their paths below `http_sources`.
   */
  http_sources: z.unknown().default([]).transform((value, ctx): HttpSourceDefinition[] => {
    if (Array.isArray(value) && value.length === 0) return [];
    const parsed = httpSourcesSchema().safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: value } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  }),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Keys the schema knows; anything else in config.json is reported as unknown. */
export const KNOWN_CONFIG_KEYS = new Set(Object.keys(ConfigSchema.shape));

export function defaultConfig(): Config {
  return ConfigSchema.parse({});
}

/** A layer is enabled unless its enable key is explicitly false. */
export function isEnabled(config: Config, key: string): boolean {
  return (config as Record<string, unknown>)[key] !== false;
}
