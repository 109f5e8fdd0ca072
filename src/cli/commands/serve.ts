/**
 * `shelfwise serve`: the web app. The server is its own entry point; the CLI
 * reaches it through the package's public `shelfwise/server` export, so the
 * two never import each other.
 */
import { decimalNumber, wholeNumber } from "../numbers.js";
import { UserError } from "../errors.js";
import { requireDataFolder } from "../session.js";
import { EXIT } from "../../app/exit-codes.js";
import { isQuiet } from "../output.js";
import { quotedInput } from "../../domain/quoted-input.js";

interface ServerEntry {
  serve(options: { dataDir: string; host?: string; port?: number; scanEveryMinutes?: number; quiet?: boolean }): Promise<void>;
}

export async function serveCommand(dataDir: string, options: { host?: string; port?: string; scanEvery?: string }): Promise<void> {
  const port = options.port === undefined ? undefined : wholeNumber(options.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new UserError(`--port must be a whole number from 0 to 65535 (got ${quotedInput(options.port!)})`, 2);
  }
  const scanEveryMinutes = options.scanEvery === undefined ? undefined : decimalNumber(options.scanEvery);
  if (scanEveryMinutes !== undefined && (!Number.isFinite(scanEveryMinutes) || scanEveryMinutes < 1 || scanEveryMinutes > 7 * 24 * 60)) {
    throw new UserError(`--scan-every must be a number of minutes from 1 to 10080 (got ${quotedInput(options.scanEvery!)})`, 2);
  }
  // The web app works on an existing data folder; only init and scan LIBRARY create one.
  requireDataFolder(dataDir);
  const specifier = "shelfwise/server";
  const entry = (await import(specifier)) as ServerEntry;
  try {
    await entry.serve({ dataDir, host: options.host, port, scanEveryMinutes, quiet: isQuiet() });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UserError(`port ${port ?? 8790} is already in use: choose another with --port`);
    if (code === "EADDRNOTAVAIL") throw new UserError(`cannot bind ${options.host}: not an address of this computer`);
    // A mistyped --host (a name no resolver knows): it read "getaddrinfo ENOTFOUND x; the command stopped there...".
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
      throw new UserError(`cannot bind --host ${quotedInput(options.host ?? "")}: no such name or address; give an address of this computer (127.0.0.1, 0.0.0.0, ::) or a name that resolves to one`, EXIT.badInput);
    }
    throw error;
  }
}
