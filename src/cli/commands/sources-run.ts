/**
 * What `sources list|test|enable|disable|reset` do (registered in sources.ts);
 * loaded when one of them runs, so other commands do not load the pipeline.
 */
import { counted } from "../../domain/plural.js";
import type { Session } from "../../app/session.js";
import type { SourceTest } from "../../app/views/sources.js";
import { withWriteLock } from "../write-lock.js";
import { printJson, terminalSafe, terminalSafeLines, printTable } from "../output.js";
import { UserError } from "../errors.js";
import { shownTime } from "../../domain/time-text.js";
import { EXIT } from "../../app/exit-codes.js";
import type { SourcesOpts as Opts, SourcesTestOpts as TestOpts } from "./sources.js";
import { recordsNothing } from "../interrupt.js";

const app = () => import("../../app/http-sources.js");

async function withSession(dataDir: string, run: (session: Session) => Promise<void> | void): Promise<void> {
  const { openCommandSession } = await import("../session.js");
  const session = await openCommandSession(dataDir);
  try {
    await run(session);
  } finally {
    await session.close();
  }
}

export function sourcesList(dataDir: string, opts: Opts): Promise<void> {
  return withSession(dataDir, (session) => listCommand(session, opts));
}

export function sourcesTest(dataDir: string, id: string, opts: TestOpts): Promise<void> {
  const restore = recordsNothing(`the test call to source ${terminalSafe(id)} was stopped; a test records nothing (no evidence, no health), so nothing was lost`);
  return withSession(dataDir, (session) => testCommand(session, id, opts)).finally(restore);
}

export async function sourcesSwitch(dataDir: string, id: string, action: "enable" | "disable" | "reset", wait: string | undefined): Promise<void> {
  // Before the lock, which would make the folder.
  (await import("../session.js")).requireDataFolder(dataDir);
  // A typo in the id is bad input (exit 2) at once, not "the lock is busy" (exit 1) after the wait.
  await withSession(dataDir, async (session) => void (await app()).findDefinition(session, id));
  return withWriteLock(dataDir, `sources ${action}`, wait, () => withSession(dataDir, (session) => switchCommand(session, id, action)));
}

async function listCommand(session: Session, opts: Opts): Promise<void> {
  const rows = (await app()).listHttpSources(session);
  if (opts.json) return printJson(rows);
  if (rows.length === 0) {
    process.stdout.write("no HTTP sources (add them to http_sources in config.json; see the README)\n");
    return;
  }
  await printTable(
    ["ID", "STATE", "ORDER", "METHOD", "SUCCESS", "AVG MS", "FAILS", "URL"],
    rows.map((r) => [
      r.id,
      r.state,
      r.order,
      r.method,
      r.health.success_rate === null ? "-" : `${Math.round(r.health.success_rate * 100)}%`,
      r.health.avg_duration_ms ?? "-",
      r.health.consecutive_failures,
      r.url_template,
    ]),
    { cut: ["URL"] },
  );
  for (const r of rows) {
    // One line per value: a remote error message's line break must not start a line of its own.
    if (r.reason) process.stdout.write(`  ${terminalSafe(r.id)}: ${terminalSafe(r.reason)}\n`);
    // As plugins list prints a plugin's: a name that reads as another layer's.
    for (const w of r.warnings) process.stdout.write(`  ${terminalSafe(r.id)} warning: ${terminalSafe(w)}\n`);
    for (const e of r.health.recent_errors) process.stdout.write(`  ${terminalSafe(r.id)} ${terminalSafe(shownTime(e.timestamp))} ${terminalSafe(e.outcome)}: ${terminalSafe(e.message)}\n`);
  }
}

async function testCommand(session: Session, id: string, opts: TestOpts): Promise<void> {
  const result = await (await app()).testConfiguredSource(session, id, opts);
  if (opts.json) printJson(result);
  else printTest(result);
  // As `plugins test`: a failed call is a failed test (exit 1), with or without --json, said on stderr too.
  if (!result.ok) throw new UserError(`source ${id} failed: ${result.error_kind ?? "error"}${result.error ? `: ${terminalSafe(result.error)}` : ""}`, EXIT.failure);
}

function printTest(r: SourceTest): void {
  // The answer is the remote side's text: no escape sequence of it reaches the terminal.
  const out = (line: string) => process.stdout.write(terminalSafeLines(line) + "\n");
  if (r.request) out(`${r.request.method} ${r.request.url}`);
  if (r.request?.body) out(`body: ${r.request.body}`);
  out(`status: ${r.status ?? "no answer"}  time: ${Math.round(r.duration_ms)} ms`);
  if (r.answer_note) out(r.answer_note);
  if (r.error) out(`error: ${r.error}`);
  out(`candidates: ${r.candidate_count}`);
  if (r.chosen) {
    out("chosen candidate:");
    for (const [field, value] of Object.entries(r.chosen)) out(`  ${field}: ${Array.isArray(value) ? value.join("; ") : oneLine(value)}`);
  } else if (r.note) {
    out(`no candidate taken: ${r.note}`);
  }
  if (r.claims.length > 0) {
    out("claims:");
    for (const c of r.claims) out(`  ${c.field}: ${c.value}${c.accepted ? "" : `  (refused: ${c.reason})`}${c.note === null ? "" : `  (note: ${c.note})`}`);
  }
  if (r.raw_response !== null) {
    out("raw response" + (r.raw_truncated ? " (first 4000 characters):" : ":"));
    out(r.raw_response);
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 200 ? flat.slice(0, 199) + "…" : flat;
}

async function switchCommand(session: Session, id: string, action: "enable" | "disable" | "reset"): Promise<void> {
  if (action === "reset") {
    const retried = (await app()).resetHttpSource(session, id);
    process.stdout.write(`source ${terminalSafe(id)} reset: enabled, failure count cleared, ${counted(retried, "failed book")} will be retried\n`);
    return;
  }
  // "disabled" twice read as two changes: a no-op is said, on stdout as any outcome (README, output conventions).
  const changed = (await app()).setHttpSourceEnabled(session, id, action === "enable");
  process.stdout.write(`source ${terminalSafe(id)} ${changed ? "" : "was already "}${action}d\n`);
}
