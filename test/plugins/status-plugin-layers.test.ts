/**
 * `status` says when a plugin layer has not run on the books yet (dropped in since the last `process`, or
 * changed since it last ran), without starting the plugin, and names `shelfwise process` as the next step.
 * Everything in-process: one data folder, the pipeline run through the app's functions. Status is run often and
 * promises never to wait on another command: it spawns no process (no sandbox or Python probe) and writes nothing.
 */
import Database from "better-sqlite3";
import childProcess from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachPlugins } from "../../src/app/attach-plugins.js";
import { libraryStatusView } from "../../src/app/library-status.js";
import { scanAndRecord } from "../../src/app/scan-library.js";
import { openSession } from "../../src/app/open-session.js";
import { pipelineSettings } from "../../src/app/session.js";
import { LibraryStatusView } from "../../src/app/views/library-status.js";
import { statusLines } from "../../src/cli/commands/status.js";
import { runPipeline } from "../../src/pipeline/orchestrator.js";
import { createHome, nodePlugin, pythonPlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

let home: TestHome;
const PLUGIN = nodePlugin(`process() { return { edition: "late edition" }; }`);

async function status(): Promise<LibraryStatusView> {
  const session = openSession(home.dataDir);
  try {
    return LibraryStatusView.parse(await libraryStatusView(session));
  } finally {
    await session.close();
  }
}

const STARTING = ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"] as const;

/**
 * `work` run with every child_process function that starts a process watched (still starting it): what was
 * started. The ES module bindings the code under test imported follow the patched module (syncBuiltinESMExports).
 */
async function processesStartedBy<T>(work: () => Promise<T>): Promise<{ result: T; started: string[] }> {
  const started: string[] = [];
  const exported = childProcess as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = STARTING.map((name) => [name, exported[name]!] as const);
  for (const [name, original] of originals) {
    exported[name] = (...args: unknown[]) => {
      started.push(`${name} ${String(args[0])}`);
      return original(...args);
    };
  }
  syncBuiltinESMExports();
  try {
    return { result: await work(), started };
  } finally {
    for (const [name, original] of originals) exported[name] = original;
    syncBuiltinESMExports();
  }
}

/** `shelfwise process`, in-process: every enabled layer, plugins started. */
async function processAll(): Promise<void> {
  const session = openSession(home.dataDir);
  try {
    await attachPlugins(session);
    await runPipeline({ ...pipelineSettings(session), layers: session.enabledLayers().layers });
  } finally {
    await session.close();
  }
}

beforeAll(async () => {
  requireBuilt();
  home = createHome({ books: 2 });
  const session = openSession(home.dataDir);
  try {
    await scanAndRecord(session, [home.library]);
  } finally {
    await session.close();
  }
  await processAll();
});
afterAll(() => home?.cleanup());

describe("status and plugin layers not run yet", () => {
  it("names an HTTP source added or edited since the last process, and a built-in layer whose logic changed, from config.json and the database", async () => {
    const server = http.createServer((_req, res) => res.end(JSON.stringify({ title: "Dune" })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const source = {
      id: "cat",
      url_template: `http://127.0.0.1:${(server.address() as AddressInfo).port}/s?q={{title}}`,
      response_mapping: { title: "$.title" },
      allow_private: true,
    };
    try {
      home.writeConfig({ http_sources: [source] });
      const added = await status();
      expect(added.layers_waiting).toEqual([{ layer_id: "cat", kind: "http", why: "new", books: 2 }]);
      const text = statusLines(added).join("\n");
      expect(text).toContain("HTTP source cat has not run yet: it waits on 2 books (added to http_sources or enabled since the last `shelfwise process`)");
      expect(text).toContain("next: `shelfwise process` runs HTTP source cat on the books already processed");

      await processAll();
      expect((await status()).layers_waiting).toEqual([]);
      // Its pacing is no part of its answers: nothing to run again.
      home.writeConfig({ http_sources: [{ ...source, timeout: 20, concurrency: 2 }] });
      expect((await status()).layers_waiting).toEqual([]);
      home.writeConfig({ http_sources: [{ ...source, response_mapping: { title: "$.name" } }] });
      const edited = await status();
      expect(edited.layers_waiting).toEqual([{ layer_id: "cat", kind: "http", why: "changed", books: 2 }]);
      expect(statusLines(edited).join("\n")).toContain("HTTP source cat changed (its definition in config.json) since it last ran: the next `shelfwise process` runs it again on 2 books");
      // Switched off, or its credential missing, it will not run: nothing to say about it.
      home.writeConfig({ http_sources: [{ ...source, response_mapping: { title: "$.name" }, enabled: false }] });
      expect((await status()).layers_waiting).toEqual([]);
      home.writeConfig({ http_sources: [{ ...source, auth: { type: "bearer", credential: "CAT_KEY" } }] });
      expect((await status()).layers_waiting).toEqual([]);
      // Refused as loading refuses it: another source's key, a plugin's setting, one a header cannot carry.
      home.writeSecrets({ "sources.cat.key": "cat-key-1234", "plugin_configs.late.key": "plugin-key-1234", DOG_KEY: "dog-key\n5678" });
      home.writeConfig({
        http_sources: [
          { ...source, auth: { type: "bearer", credential: "sources.cat.key" } },
          { ...source, id: "thief", auth: { type: "bearer", credential: "sources.cat.key" } },
          { ...source, id: "plug", auth: { type: "bearer", credential: "plugin_configs.late.key" } },
          { ...source, id: "dog", auth: { type: "bearer", credential: "DOG_KEY" } },
        ],
      });
      expect((await status()).layers_waiting).toEqual([{ layer_id: "cat", kind: "http", why: "changed", books: 2 }]);
    } finally {
      home.writeConfig({});
      server.close();
    }

    // A newer shelfwise whose path layer reads names better (its revision bumped), as the database sees it.
    const db = new Database(path.join(home.dataDir, "shelfwise.db"));
    const identity = () => db.prepare("SELECT identity FROM layer_identities WHERE layer_id = 'path'").pluck().get() as string;
    const before = identity();
    try {
      db.prepare("UPDATE layer_identities SET identity = 'path-0:0' WHERE layer_id = 'path'").run();
      home.writeConfig({ openlibrary_enabled: true });
      const older = await status();
      expect(older.layers_waiting).toEqual([
        { layer_id: "path", kind: "builtin", why: "changed", books: 2 },
        { layer_id: "openlibrary", kind: "builtin", why: "new", books: 2 },
      ]);
      expect(statusLines(older).join("\n")).toContain("layer path changed (a newer shelfwise reads books better) since it last ran: the next `shelfwise process` runs it again on 2 books");
      expect(statusLines(older).join("\n")).toContain("next: `shelfwise process` runs layers path, openlibrary on the books already processed");
      // Books not processed yet wait for every layer and are counted as such: a layer only they wait for is not named.
      const statuses = db.prepare("SELECT id, status FROM books").all() as { id: number; status: string }[];
      db.prepare("UPDATE books SET status = 'new'").run();
      try {
        expect((await status()).layers_waiting).toEqual([{ layer_id: "path", kind: "builtin", why: "changed", books: 2 }]);
      } finally {
        for (const { id, status: was } of statuses) db.prepare("UPDATE books SET status = ? WHERE id = ?").run(was, id);
      }
    } finally {
      db.prepare("UPDATE layer_identities SET identity = ? WHERE layer_id = 'path'").run(before);
      db.close();
      home.writeConfig({});
    }
    expect((await status()).layers_waiting).toEqual([]);
  });

  it("names a plugin dropped in since the last process, then nothing once it ran, then an edited one", async () => {
    const settled = await status();
    expect(settled.by_status.new + settled.by_status.pending).toBe(0);
    expect(settled.plugin_layers_waiting).toEqual([]);

    const folder = home.plugin("late", { code: PLUGIN });
    const added = await status();
    expect(added.plugin_layers_waiting).toEqual([{ plugin_id: "late", why: "new", books: 2 }]);
    const text = statusLines(added).join("\n");
    expect(text).toContain("plugin late has not run yet: it waits on 2 books (added or enabled since the last `shelfwise process`, or it did not start then)");
    expect(text).toContain("next: `shelfwise process` runs plugin late on the books already processed");

    await processAll();
    expect((await status()).plugin_layers_waiting).toEqual([]);

    // Its code changed: the pipeline runs it again on every book (plugin-identity.ts), and status knows before.
    fs.appendFileSync(path.join(folder, "index.mjs"), "// a fix\n");
    const changed = await status();
    expect(changed.plugin_layers_waiting).toEqual([{ plugin_id: "late", why: "changed", books: 2 }]);
    expect(statusLines(changed).join("\n")).toContain("plugin late changed (its code or plugin_configs.late) since it last ran: the next `shelfwise process` runs it again on 2 books");

    // Switched off, it will not run: nothing to say about it.
    home.writeConfig({ plugin_late_enabled: false });
    expect((await status()).plugin_layers_waiting).toEqual([]);
  });

  it("spawns no process: a Python plugin dropped in is named without asking the interpreter (it may not start)", async () => {
    home.plugin("late-py", { entry: "late.py", code: pythonPlugin("    def process(self, book):\n        return {}") });
    const { result, started } = await processesStartedBy(status);
    expect(started).toEqual([]);
    expect(result.plugin_layers_waiting).toEqual([{ plugin_id: "late-py", why: "new", books: 2 }]);
  });

  it("answers while another command holds the database's write lock, well under its 5 s busy timeout, and records nothing", async () => {
    home.plugin("late-busy", { code: PLUGIN });
    const other = new Database(path.join(home.dataDir, "shelfwise.db"));
    const owners = () => other.prepare("SELECT plugin_id FROM plugin_owners ORDER BY plugin_id").pluck().all();
    try {
      const before = owners();
      // A `process` batch or an `apply` chunk mid-transaction: the write lock is taken until it commits.
      other.exec("BEGIN IMMEDIATE");
      const started = performance.now();
      const answer = await status();
      // Under the 5 s busy timeout a status that wrote would wait out (2.5 s was near its time at a load of 40).
      expect(performance.now() - started).toBeLessThan(4_500);
      expect(answer.plugin_layers_waiting).toContainEqual({ plugin_id: "late-busy", why: "new", books: 2 });
      other.exec("ROLLBACK");
      // Its id claim is the next writing command's to record (loadPlugins), not status's.
      expect(owners()).toEqual(before);
      expect(before).not.toContain("late-busy");
    } finally {
      other.close();
    }
  });
});
