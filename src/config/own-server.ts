/**
 * shelfwise's own web server, as a destination no plugin or HTTP source may reach. On a
 * loopback address it asks for no token (local clients are trusted), and its
 * API changes python_path, plugin settings and the rest of config.json: a
 * plugin allowed private addresses (allow_private_network, meant for a server
 * on the local network) could otherwise set python_path to a file in its own
 * data folder, which shelfwise then runs outside every wall. `serve` notes its
 * port here (in this process) and in <data-dir>/server.json (for plugin runs
 * of other shelfwise processes on the same data folder); the egress proxy
 * refuses that port on every address of this machine.
 */
import fs from "node:fs";
import path from "node:path";
import { dataDirLayout } from "./data-dir.js";

const inProcess = new Set<number>();

export function noteOwnServer(dataDir: string, port: number): void {
  inProcess.add(port);
  try {
    fs.writeFileSync(dataDirLayout(dataDir).server, JSON.stringify({ pid: process.pid, port }) + "\n", { mode: 0o600 });
  } catch {
    // Plugins started by this process are still covered; others would be by a writable data folder.
  }
}

export function forgetOwnServer(dataDir: string, port: number): void {
  inProcess.delete(port);
  try {
    const file = dataDirLayout(dataDir).server;
    if ((JSON.parse(fs.readFileSync(file, "utf8")) as { port?: unknown }).port === port) fs.rmSync(file, { force: true });
  } catch {
    // Gone or not ours.
  }
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
    try {
      const noted = (JSON.parse(fs.readFileSync(dataDirLayout(dataDir).server, "utf8")) as { port?: unknown }).port;
      if (typeof noted === "number" && Number.isInteger(noted)) ports.push(noted);
    } catch {
      // No server noted.
    }
  }
  return ports;
}
