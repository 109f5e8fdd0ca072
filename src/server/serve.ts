/**
 * The server's entry point (`shelfwise serve`, reached by the CLI through the
 * package's `shelfwise/server` export: cli and server never import each
 * other). Opens the service, decides the token rule, listens, and shuts down
 * cleanly on SIGINT/SIGTERM/SIGHUP: the job in flight drops its calls in flight (answers already in are kept), plugins
 * are torn down, the database is closed. A second signal exits at once.
 */
import { loadConfig, loadSecrets } from "../config/config-file.js";
import { changeSecrets } from "../app/settings-writes.js";
import { terminalSafe } from "../domain/terminal-safe.js";
import { acquireDataLock } from "../store/data-lock.js";
import { WEB_TOKEN_SECRET } from "../config/config-schema.js";
import { forgetOwnServer, noteOwnServer } from "../config/own-server.js";
import { STOP_SIGNALS, stoppedBy, type StopSignal } from "../app/exit-codes.js";
import { ShelfService } from "./service.js";
import { cutShortJobWords } from "../app/cut-short-job.js";
import { emptyDatabaseWarning } from "../app/empty-database-words.js";
import { buildServer } from "./server.js";
import { generateToken, isLoopbackHost } from "./security.js";

export interface ServeOptions {
  dataDir: string;
  host?: string;
  port?: number;
  /** Rescan (and process) the library every this many minutes; off when absent. */
  scanEveryMinutes?: number;
  /** Lines for the terminal. */
  print?: (line: string) => void;
  /**
   * `--quiet`: no notes (waiting for the lock, stopping, stopped). The address served and a new access token are
   * the command's output (the token is shown only once), and warnings need the user: those are still printed.
   */
  quiet?: boolean;
}

export const DEFAULT_PORT = 8790;

/**
 * The stored access token, or a new one stored now (printed once by the
 * caller). Stored holding the data folder's lock, waiting for another writer
 * as every writing command does: secrets.json is rewritten whole, and a
 * secret another process saved between our read and our write would be lost.
 * Read again under the lock: a token another `serve` stored meanwhile is kept
 * (its user may already hold it), never replaced by a second one.
 */
export async function ensureWebToken(dataDir: string, print: (line: string) => void = () => {}): Promise<{ token: string; generated: boolean }> {
  const stored = storedToken(dataDir);
  if (stored) return { token: stored, generated: false };
  const seconds = loadConfig(dataDir).config.lock_wait_seconds;
  const lock = await acquireDataLock(dataDir, {
    command: "serve",
    waitMs: Math.round(seconds * 1000),
    onWait: (holder) => {
      const who = holder ? `\`${holder.command}\` (pid ${holder.pid}, since ${holder.since})` : "another shelfwise command";
      print(terminalSafe(`waiting up to ${seconds} s for ${who} to finish writing to this data folder, to store the access token...`));
    },
  });
  try {
    const again = storedToken(dataDir);
    if (again) return { token: again, generated: false };
    const token = generateToken();
    changeSecrets(dataDir, (secrets) => {
      secrets[WEB_TOKEN_SECRET] = token;
    });
    return { token, generated: true };
  } finally {
    lock.release();
  }
}

/** Removes the stored token if it is still `token` (another `serve` may have kept it meanwhile: then it stays). */
async function forgetWebToken(dataDir: string, token: string): Promise<void> {
  const lock = await acquireDataLock(dataDir, { command: "serve", waitMs: 5000 });
  try {
    if (storedToken(dataDir) !== token) return;
    changeSecrets(dataDir, (secrets) => {
      delete secrets[WEB_TOKEN_SECRET];
    });
  } finally {
    lock.release();
  }
}

function storedToken(dataDir: string): string | null {
  const stored = loadSecrets(dataDir)[WEB_TOKEN_SECRET];
  return typeof stored === "string" && stored.length >= 16 ? stored : null;
}

/** Runs until SIGINT, SIGTERM or SIGHUP; resolves after the clean shutdown. */
export async function serve(options: ServeOptions): Promise<void> {
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const note = options.quiet ? () => {} : print;
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? DEFAULT_PORT;
  let token: string | null = null;
  let generated = false;
  if (!isLoopbackHost(host)) {
    const found = await ensureWebToken(options.dataDir, note);
    token = found.token;
    generated = found.generated;
  }
  let service: ShelfService | undefined;
  let app;
  try {
    service = await ShelfService.open(options.dataDir, { tokenRequired: token !== null, log: print });
    app = await buildServer(service, { host, token });
    // Open dashboards follow what CLI commands write between jobs.
    service.followDisk();
    await app.listen({ host, port });
  } catch (error) {
    await app?.close();
    await service?.close();
    // A token is "shown only once": printed before a failed bind (address in use, a host that is not
    // this computer's) it was shown for a server that never ran, and the next start, finding it stored,
    // would show nothing. Taken back, the next start generates and shows one.
    if (generated && token) await forgetWebToken(options.dataDir, token).catch(() => {});
    throw error;
  }
  if (generated) print(`access token (stored as web_token in secrets.json; shown only this once): ${token}`);
  let schedule: NodeJS.Timeout | undefined;
  if (options.scanEveryMinutes) {
    schedule = setInterval(() => {
      // A scheduled scan never queues behind other work: the next tick tries again.
      if (!service.isBusy()) {
        try {
          service.startScan();
        } catch (error) {
          service.note("warn", `scheduled scan skipped: ${(error as Error).message}`);
        }
      }
    }, options.scanEveryMinutes * 60_000);
    schedule.unref();
  }
  const shown = host.includes(":") ? `[${host}]` : host;
  const bound = (app.server.address() as { port: number } | null)?.port ?? port;
  // Before any job can start a plugin: no plugin's proxy may reach this API (see own-server.ts).
  noteOwnServer(options.dataDir, bound);
  // The handlers go in before the address is printed: whoever reads the line may signal at once, and
  // a signal with no listener yet would kill the process with no clean shutdown.
  let stopped = false;
  const stopping = new Promise<void>((resolve) => {
    let signals = 0;
    // A hang-up (the terminal closed, an SSH connection dropped) stops a server the same clean way:
    // unhandled here it killed the server at once, exit 130 as if Ctrl-C had been pressed twice.
    const onSignal = (signal: StopSignal) => {
      // Once "stopped" is printed the stop was clean: a late signal must not turn it into a failure.
      if (stopped) return;
      signals++;
      if (signals > 1) process.exit(stoppedBy(signal));
      note("stopping: dropping the calls in flight (their books stay pending; answers already in are kept), closing plugins and the database (Ctrl-C again to stop now)");
      resolve();
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
  // A warning, printed also with --quiet: the history may be lost, and the dashboard says it too.
  if (service.session.emptyDatabase) print(terminalSafe(`shelfwise: warning: ${emptyDatabaseWarning(service.session.layout.database, "page")}`));
  // Also on the dashboard's problems; printed with --quiet too: the status the user last saw was of a job that never ended.
  if (service.cutShort) print(terminalSafe(`shelfwise: warning: ${cutShortJobWords(service.cutShort)}`));
  // A folder's name may hold a line break or an escape sequence: shown, never obeyed (this line is what people read).
  print(`shelfwise is serving ${terminalSafe(service.session.layout.root)} at http://${shown}:${bound}/ (Ctrl-C stops it)`);
  await stopping;
  clearInterval(schedule);
  await app.close();
  forgetOwnServer(options.dataDir, bound);
  await service.close();
  stopped = true;
  note("stopped");
}
