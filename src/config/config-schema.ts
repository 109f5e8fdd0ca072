/**
 * config.json: one zod schema is the TypeScript type, the validation, and the
 * documented defaults. Unknown keys are kept (a newer shelfwise or a plugin
 * layer may own them) and only produce a warning.
 */
import { z } from "zod";

export const DEFAULT_NAMING_TEMPLATE = "{author}/{series}/{series_num} - {title}";

const pluginConfig = z.record(z.string(), z.unknown());

export const ConfigSchema = z.looseObject({
  library_paths: z.array(z.string().min(1)).default([]),
  /** null: `<data-dir>/plugins`. A relative path is relative to the data dir. */
  plugin_dir: z.string().min(1).nullable().default(null),
  plugin_configs: z.record(z.string(), pluginConfig).default({}),
  naming_template: z.string().min(1).default(DEFAULT_NAMING_TEMPLATE),
  confidence_threshold: z.number().min(0).max(100).default(60),
  batch_size: z.number().int().min(1).max(10_000).default(50),
  pipeline_order: z.array(z.string()).default([]),
  auto_disable_after: z.number().int().min(1).max(1000).default(5),
  python_path: z.string().min(1).default("python3"),
  openlibrary_url: z.string().url().default("https://openlibrary.org"),
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
  sandbox_disable: z.array(z.enum(["namespace", "landlock", "permission", "all"])).default([]),
  /** How long a writing command waits for another one on the same data folder before it gives up. */
  lock_wait_seconds: z.number().min(0).max(3600).default(5),
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
