/**
 * `status` says when a plugin layer has not run on the books yet (dropped in since the last `process`, or
 * changed since it last ran), without starting the plugin, and names `shelfwise process` as the next step.
 * Everything in-process: one data folder, the pipeline run through the app's functions.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachPlugins } from "../../src/app/attach-plugins.js";
import { libraryStatusView } from "../../src/app/library-status.js";
import { scanAndRecord } from "../../src/app/scan-library.js";
import { openSession, pipelineSettings } from "../../src/app/session.js";
import { LibraryStatusView } from "../../src/app/views/library-status.js";
import { statusLines } from "../../src/cli/commands/status.js";
import { runPipeline } from "../../src/pipeline/orchestrator.js";
import { createHome, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

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
});
