/** A problem with a file the user edits; the CLI prints it and exits 2. */
export class ConfigError extends Error {
  readonly exitCode = 2;
}
