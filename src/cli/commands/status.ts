import { duplicatesWords, libraryStatusView } from "../../app/library-status.js";
import type { LibraryStatusView } from "../../app/views/library-status.js";
import { counted, noun } from "../../domain/plural.js";
import { shownTime } from "../../domain/time-text.js";
import { cutShortRunWords } from "../../app/cut-short-run.js";
import { libraryPathsProblem, outputFolderProblem } from "../../config/library-folders.js";
import { printJson, printLines, shown, warnLine } from "../output.js";
import { openCommandSession } from "../session.js";
import { handWrittenSecretAdvice, handWrittenSecretSettings } from "../secret-settings-in-config.js";
import { readConfigObject } from "../../config/config-file.js";

export async function statusCommand(dataDir: string, options: { json?: boolean }): Promise<void> {
  const session = await openCommandSession(dataDir, { warnIfCopy: true });
  try {
    const status = await libraryStatusView(session);
    // `scan` and `plan` stop on these (exit 2): status still counts what the database holds, and says why they will stop.
    const refused = libraryPathsProblem(session.config, session.layout.root) ?? outputFolderProblem(session.config, session.layout.root);
    if (refused !== null) warnLine(`config.json: ${refused} (\`shelfwise scan\` and \`shelfwise plan\` stop on it: fix it first)`);
    for (const found of handWrittenSecretSettings(session.layout.root, session.pluginDir, readConfigObject(session.layout.root).plugin_configs)) warnLine(handWrittenSecretAdvice(found));
    if (options.json) return printJson(status);
    printLines(...statusLines(status));
  } finally {
    await session.close();
  }
}

const ids = (shownIds: number[], total: number) => `${shownIds.join(", ")}${total > shownIds.length ? ", …" : ""}`;

export function statusLines(s: LibraryStatusView): string[] {
  const lines: string[] = [];
  const absent = s.library_folders.filter((f) => !f.present);
  // With books recorded, the folders were there once and removed (`library remove`): "none yet" read as a new data folder.
  if (s.library_folders.length === 0 && s.books > 0) {
    lines.push("library folders: none (every one was removed from library_paths; the books recorded under them are kept, and held out of plans: `shelfwise library add PATH` brings a folder back)");
  } else if (s.library_folders.length === 0) lines.push("library folders: none yet (`shelfwise scan LIBRARY` adds one)");
  else {
    lines.push(`library ${noun(s.library_folders.length, "folder", "folders")}: ${s.library_folders.map((f) => shown(f.path)).join(", ")}`);
    for (const f of absent) lines.push(`  ${shown(f.path)} is not there, not readable or empty (an unmounted drive?): \`shelfwise scan\` leaves its books as they were`);
  }
  const b = s.by_status;
  lines.push(
    `${counted(s.books, "book")}: ${b.identified} identified, ${b.needs_attention} needs_attention, ${b.new} new, ${b.pending} pending, ${b.missing - s.joined} missing${s.joined > 0 ? `, ${s.joined} joined into another book` : ""}; ` +
      `${s.locked} locked, ${s.with_layer_errors} with a layer error`,
  );
  for (const j of s.joined_books) lines.push(joinedLine(j));
  if (s.joined > s.joined_books.length) lines.push(`… and ${s.joined - s.joined_books.length} more joined (\`shelfwise books --status missing\` lists them with the reason)`);
  // What the database says is only as true as the last scan: the disk is asked too.
  if (s.gone > 0) {
    lines.push(`${counted(s.gone, "book")} ${noun(s.gone, "is", "are")} not where shelfwise recorded ${noun(s.gone, "it", "them")} (${ids(s.gone_book_ids, s.gone)}): moved or deleted outside shelfwise, or on a drive not mounted`);
  }
  if (s.duplicates > 0) {
    lines.push(duplicatesWords(s.duplicates, ids(s.duplicate_book_ids, s.duplicates)));
  }
  if (s.writing) lines.push(writingLine(s.writing));
  if (s.last_run_cut_short) lines.push(shown(cutShortRunWords(s.last_run_cut_short)));
  if (s.back > 0) lines.push(`${counted(s.back, "missing book")} ${noun(s.back, "is", "are")} there again (${ids(s.back_book_ids, s.back)})`);
  for (const w of s.plugin_layers_waiting) lines.push(waitingLine(w));
  for (const w of s.layers_waiting) lines.push(layerWaitingLine(w));
  lines.push(...nextSteps(s).map((step) => `next: ${step}`));
  return lines;
}

/** A retired part's kept record: its files are another book's now, its corrections still its own. */
function joinedLine(j: LibraryStatusView["joined_books"][number]): string {
  const into = j.into_book_id === null ? "another book" : `book ${j.into_book_id}${j.into_title === null ? "" : ` (${shown(JSON.stringify(j.into_title))})`}`;
  return `book ${j.book_id} is joined into ${into}: its files are part of that book now; your corrections are kept on book ${j.book_id} (\`shelfwise book ${j.book_id}\`): put what you want of them on ${into === "another book" ? "that book" : into} with \`--set\``;
}

/** The writer as a lock holder is named everywhere (`process` (pid 4242, since ...)). */
function writerWords(w: NonNullable<LibraryStatusView["writing"]>): string {
  const details = [w.pid !== null ? `pid ${w.pid}` : null, w.since !== null ? `since ${shownTime(w.since)}` : null].filter(Boolean).join(", ");
  return `${w.command !== null ? `\`${shown(w.command)}\`` : "another shelfwise command"}${details ? ` (${details})` : ""}`;
}

function writingLine(w: NonNullable<LibraryStatusView["writing"]>): string {
  return `${writerWords(w)} is writing to this data folder now: these counts are of this moment and change while it runs`;
}

function waitingLine(w: LibraryStatusView["plugin_layers_waiting"][number]): string {
  const id = shown(w.plugin_id);
  if (w.why === "new") return `plugin ${id} has not run yet: it waits on ${counted(w.books, "book")} (added or enabled since the last \`shelfwise process\`, or it did not start then)`;
  if (w.why === "changed") return `plugin ${id} changed (its code or plugin_configs.${id}) since it last ran: the next \`shelfwise process\` runs it again on ${counted(w.books, "book")}`;
  return `plugin ${id} has not run on ${counted(w.books, "book")} yet`;
}

function layerWaitingLine(w: LibraryStatusView["layers_waiting"][number]): string {
  const what = w.kind === "http" ? `HTTP source ${shown(w.layer_id)}` : `layer ${shown(w.layer_id)}`;
  if (w.why === "new") return `${what} has not run yet: it waits on ${counted(w.books, "book")} (${w.kind === "http" ? "added to http_sources or enabled" : "enabled"} since the last \`shelfwise process\`)`;
  if (w.why === "changed") {
    const how = w.kind === "http" ? `its definition in config.json` : w.layer_id === "openlibrary" ? "a newer shelfwise, or openlibrary_url or confidence_threshold" : "a newer shelfwise reads books better";
    return `${what} changed (${how}) since it last ran: the next \`shelfwise process\` runs it again on ${counted(w.books, "book")}`;
  }
  return `${what} has not run on ${counted(w.books, "book")} yet`;
}

/** The layers `process` would run on books already processed, named as a person reads them: "plugin a, b and HTTP source c". */
function waitingLayers(s: LibraryStatusView): string {
  const group = (one: string, many: string, ids: string[]) => (ids.length ? `${ids.length === 1 ? one : many} ${ids.map(shown).join(", ")}` : "");
  return [
    group("plugin", "plugins", s.plugin_layers_waiting.map((w) => w.plugin_id)),
    group("layer", "layers", s.layers_waiting.filter((w) => w.kind === "builtin").map((w) => w.layer_id)),
    group("HTTP source", "HTTP sources", s.layers_waiting.filter((w) => w.kind === "http").map((w) => w.layer_id)),
  ]
    .filter(Boolean)
    .join(" and ");
}

/** What to do next, most pressing first: at most two steps. */
function nextSteps(s: LibraryStatusView): string[] {
  const b = s.by_status;
  // A command started now would only wait for it (or fail on its lock), and the counts are not final.
  if (s.writing) return [`wait for ${s.writing.command !== null ? `\`${shown(s.writing.command)}\`` : "it"}${s.writing.pid !== null ? ` (pid ${s.writing.pid})` : ""} to end, then \`shelfwise status\` again`];
  if (s.books === 0) return [s.library_folders.length === 0 ? "`shelfwise scan LIBRARY` finds your books" : "`shelfwise scan` finds your books"];
  const steps: string[] = [];
  // A scan leaves the books of a library folder it cannot read as they were: it records nothing there until it is back.
  if (s.library_folders.some((f) => !f.present)) steps.push("mount or restore the library folder that is not there, then `shelfwise scan`");
  else if (s.gone > 0 || s.back > 0) steps.push("`shelfwise scan` records what changed on disk (it changes no file)");
  const waiting = b.new + b.pending;
  const layers = waitingLayers(s);
  if (waiting > 0) steps.push(`\`shelfwise process\` identifies the ${counted(waiting, "book")} waiting for it${layers ? ` and runs ${layers}` : ""}`);
  else if (layers) steps.push(`\`shelfwise process\` runs ${layers} on the books already processed`);
  if (b.needs_attention > 0) steps.push(`\`shelfwise books --status needs_attention\` lists the ${counted(b.needs_attention, "book")} to check (\`shelfwise book ID --set\` corrects one)`);
  // Not when every identified book is locked or at its place: `plan` would list nothing.
  if (b.identified > 0 && s.to_plan !== 0) {
    steps.push(s.to_plan === null ? "`shelfwise plan` lists the identified books not at their proposed place yet" : `\`shelfwise plan\` lists the ${counted(s.to_plan, "identified book")} not at ${s.to_plan === 1 ? "its" : "their"} proposed place yet`);
  }
  return steps.slice(0, 2);
}
