import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginHealthListView } from "../../src/app/views/plugin-health.js";
import { openDatabase } from "../../src/store/database.js";
import { setSourceState } from "../../src/app/http-source-health.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { inProcess } from "../support/cli-in-process.js";
import { createHome, nodePlugin, requireBuilt, type CliResult, type TestHome } from "../support/plugin-fixtures.js";

// `plugins health` answers "what that calls out is failing": HTTP sources share the health
// store and the auto-disable, so they are in the same table, and a plugin that does not run
// shows the concurrency it will run with (the user's, not its manifest's).
let home: TestHome;
let rows: PluginHealthListView;
let text: CliResult;

beforeAll(async () => {
  requireBuilt();
  home = inProcess(createHome({
    config: {
      plugin_slow_enabled: false,
      plugin_configs: { slow: { concurrency: 4 } },
      http_sources: [
        {
          id: "catalogue",
          url_template: "http://127.0.0.1:9/find?t={{title}}",
          result_path: "$.results",
          response_mapping: { title: "$.name" },
          allow_private: true,
          concurrency: 3,
        },
      ],
    },
  }));
  home.plugin("slow", { code: nodePlugin("process() { return {}; }"), manifest: { concurrency: 1 } });
  const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
  try {
    setSourceState(db, "catalogue", "auto-disabled", "auto-disabled after 5 consecutive failures (last: error: HTTP 503)");
  } finally {
    db.close();
  }
  // Started once each for both tests.
  const [json, shown] = await Promise.all([home.json<unknown>(["plugins", "health"]), home.cli(["plugins", "health"])]);
  rows = PluginHealthListView.parse(json);
  text = shown;
});
afterAll(() => home?.cleanup());

describe("plugins health", () => {
  it("lists HTTP sources beside plugins (kind column, --json `kind`)", () => {
    expect(rows.map((r) => [r.plugin_id, r.kind, r.state])).toEqual([
      ["slow", "plugin", "disabled"],
      ["catalogue", "http", "auto-disabled"],
    ]);
    expect(rows[1]).toMatchObject({ reason: expect.stringContaining("HTTP 503"), sandbox: null, sandbox_lacks: [] });

    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n");
    expect(lines[0]).toMatch(/^ID\s+KIND\s+STATE\s/);
    // PEAK: the stored peak of requests in flight (these calls were written without one).
    expect(lines.find((l) => l.startsWith("catalogue"))).toMatch(/^catalogue\s+http\s+auto-disabled\s.*\s3\s+0\s+never$/);
    expect(text.stdout).toContain("catalogue auto-disabled: auto-disabled after 5 consecutive failures");
    expect(text.stdout).not.toContain("catalogue sandbox");
  });

  it("shows a disabled plugin's configured concurrency (plugin_configs over the manifest), as when it runs", () => {
    expect(rows.find((r) => r.plugin_id === "slow")!.concurrency).toBe(4);
    expect(text.stdout.split("\n").find((l) => l.startsWith("slow"))).toMatch(/^slow\s+plugin\s+disabled\s.*\s4\s+0\s+never$/);
  });

  it("the web health page's API says the same concurrency", async () => {
    const service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
    try {
      const app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
      try {
        const reply = await app.inject({ method: "GET", url: "/api/health/slow" });
        expect(reply.statusCode).toBe(200);
        expect(reply.json()).toMatchObject({ plugin_id: "slow", kind: "plugin", state: "disabled", concurrency: 4 });
      } finally {
        await app.close();
      }
    } finally {
      await service.close();
    }
  });
});
