/**
 * shelfwise's own web server, as a destination no plugin or HTTP source may reach. On a
 * loopback address it asks for no token (local clients are trusted), and its
 * API changes python_path, plugin settings and the rest of config.json: a
 * plugin allowed private addresses (allow_private_network, meant for a server
 * on the local network) could otherwise set python_path to a file in its own
 * data folder, which shelfwise then runs outside every wall. `serve` notes its
 * port here (in this process) and in <data-dir>/server.<pid>.json (for plugin runs
 * of other shelfwise processes on the same data folder); the egress proxy
 * refuses that port on every address of this machine.
 */
import fs from "node:fs";
import path from "node:path";
import { dataDirLayout } from "./data-dir.js";
import { isRunning } from "./process-running.js";

const inProcess = new Set<number>();

/**
 * Notes `port` as this process's server, in a file of its own
 * (`server.<pid>.json`): two servers on one data folder (a second `serve` on
 * another port) each keep their note, where one shared file kept only the
 * last one written and lost it altogether when that server stopped. Notes of
 * servers that are gone (kill -9) are removed here.
 */
export function noteOwnServer(dataDir: string, port: number): void {
  inProcess.add(port);
  const layout = dataDirLayout(dataDir);
  try {
    for (const note of serverNotes(layout.root)) {
      if (note.pid !== null && note.pid !== process.pid && !isRunning(note.pid)) fs.rmSync(note.file, { force: true });
    }
    fs.writeFileSync(ownNote(layout.root), JSON.stringify({ pid: process.pid, port }) + "\n", { mode: 0o600 });
  } catch {
    // Plugins started by this process are still covered; others would be by a writable data folder.
  }
}

export function forgetOwnServer(dataDir: string, port: number): void {
  inProcess.delete(port);
  const root = dataDirLayout(dataDir).root;
  for (const file of [ownNote(root), dataDirLayout(dataDir).server]) {
    try {
      if ((JSON.parse(fs.readFileSync(file, "utf8")) as { port?: unknown }).port === port) fs.rmSync(file, { force: true });
    } catch {
      // Gone or not ours.
    }
  }
}

const ownNote = (root: string) => path.join(root, `server.${process.pid}.json`);
const NOTE_NAME = /^server(?:\.([1-9]\d{0,9}))?\.json$/;

/** The server notes in the data folder: `server.<pid>.json`, and `server.json` as earlier versions wrote it. */
function serverNotes(root: string): { file: string; pid: number | null }[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const match = NOTE_NAME.exec(name);
    return match ? [{ file: path.join(root, name), pid: match[1] ? Number(match[1]) : null }] : [];
  });
}


/**
 * The shelfwise data folder a plugin's data folder belongs to (<data-dir>/plugin-data/<id>), else null.
 */
export function shelfwiseDataDir(pluginDataDir: string): string | null {
  const parent = path.dirname(pluginDataDir);
  return path.basename(parent) === "plugin-data" ? path.dirname(parent) : null;
}

/** Ports of shelfwise servers: this process's and the one noted in the data folder (a stale note only refuses more). */
export function ownServerPorts(dataDir: string | null): number[] {
  const ports = [...inProcess];
  if (dataDir) {
    for (const note of serverNotes(dataDirLayout(dataDir).root)) {
      try {
        const noted = (JSON.parse(fs.readFileSync(note.file, "utf8")) as { port?: unknown }).port;
        if (typeof noted === "number" && Number.isInteger(noted)) ports.push(noted);
      } catch {
        // Half written or not a note.
      }
    }
  }
  return ports;
}
