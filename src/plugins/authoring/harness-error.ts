/** Why the test harness could not run a plugin (shelfwise/testing); its own file so the public types need nothing else. */
export class HarnessError extends Error {
  /**
   * Set when the plugin was skipped for want of required config or secrets: the keys missing from
   * `options.config` (its plugin_configs entry) and `options.secrets` (secrets.json).
   */
  readonly missing?: { config: string[]; secrets: string[] };
  /**
   * When the plugin failed to start (load, class, setup): what it printed meanwhile, the traceback or stack with
   * its file and line included, its last 20 lines; the harness's own log folder is temporary.
   */
  readonly output: string[] = [];

  constructor(message: string, missing?: { config: string[]; secrets: string[] }, output?: string[]) {
    super(message);
    this.name = "HarnessError";
    if (missing) this.missing = missing;
    if (output) this.output = output;
  }
}
