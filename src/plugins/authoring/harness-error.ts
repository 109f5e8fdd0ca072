/** Why the test harness could not run a plugin (shelfwise/testing); its own file so the public types need nothing else. */
export class HarnessError extends Error {
  /**
   * Set when the plugin was skipped for want of required config or secrets: the keys missing from
   * `options.config` (its plugin_configs entry) and `options.secrets` (secrets.json).
   */
  readonly missing?: { config: string[]; secrets: string[] };

  constructor(message: string, missing?: { config: string[]; secrets: string[] }) {
    super(message);
    this.name = "HarnessError";
    if (missing) this.missing = missing;
  }
}
