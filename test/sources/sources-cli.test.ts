import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SourceListSchema, SourceTestSchema } from "../../src/app/views/sources.js";
import { startJsonApi, type JsonApiServer, type RecordedRequest, type Reply } from "../../fixtures/json-api-server.js";
import { spawnCli } from "../support/cli.js";
// The commands run in this process (test/support/cli-in-process.ts) but for the Ctrl-C test, which signals a real CLI.
import { runCliIn as runCli, runCliJsonIn as runCliJson, runCliOkIn as runCliOk } from "../support/cli-in-process.js";
import { audioBytes } from "../../fixtures/audio.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const SECRET = "cli-secret-value-8675309";
let api: JsonApiServer;
let dir: string;
// Beside the data folder, not in it: a library folder inside shelfwise's data folder is refused.
let libraryDir: string;
const handler = (r: RecordedRequest): Reply => ({
  json: { results: [{ name: "Dune", writer: "Frank Herbert", year: 1965, note: `echo ${r.headers["x-key"]}` }] },
});

beforeAll(async () => {
  api = await startJsonApi(handler);
  dir = makeTempDir("sources-cli");
  libraryDir = makeTempDir("sources-cli-library");
  fs.writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({
      http_sources: [
        {
          id: "catalogue",
          url_template: `${api.url}/find?t={{title}}&a={{author}}`,
          auth: { type: "header", header: "X-Key", credential: "cat" },
          result_path: "$.results",
          response_mapping: { title: "$.name", author: "$.writer", year: "$.year" },
          allow_private: true,
        },
      ],
    }),
  );
  fs.writeFileSync(path.join(dir, "secrets.json"), JSON.stringify({ cat: SECRET }), { mode: 0o600 });
});
afterAll(async () => {
  await api.close();
  removeTempDir(dir);
  removeTempDir(libraryDir);
});

describe("shelfwise sources", () => {
  it("test: prints the URL, status, time, mapped fields and the raw answer, never the credential", async () => {
    const result = await runCliOk(["sources", "test", "catalogue", "--title", "Dune", "--author", "Frank Herbert"], { dataDir: dir });
    expect(result.stdout).toContain(`GET ${api.url}/find?t=Dune&a=Frank%20Herbert`);
    expect(result.stdout).toMatch(/status: 200 {2}time: \d+ ms/);
    expect(result.stdout).toContain("chosen candidate:\n  title: Dune\n  author: Frank Herbert\n  year: 1965");
    expect(result.stdout).toContain('raw response:\n{"results":[{"name":"Dune"');
    expect(result.stdout).toContain("echo ***");
    expect(api.requests.at(-1)!.headers["x-key"]).toBe(SECRET);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it("test --json follows the documented schema", async () => {
    const result = SourceTestSchema.parse(await runCliJson(["sources", "test", "catalogue", "--title", "Dune"], { dataDir: dir }));
    expect(result).toMatchObject({ id: "catalogue", ok: true, status: 200, candidate_count: 1, chosen: { title: "Dune", year: "1965" } });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it("test shows the note of an answer whose charset header lies or is unknown (read as UTF-8), as the call log keeps it", async () => {
    const body = JSON.stringify({ results: [{ name: "Dune", writer: "Frank Herbert", year: 1965 }] });
    try {
      for (const [charset, words] of [
        ["utf-16", /note: catalogue's answer declares charset "utf-16", but its bytes cannot be JSON in it .*read as UTF-8/],
        ["utf8mb4", /note: catalogue's answer declares charset "utf8mb4", which is no charset shelfwise knows: read as UTF-8/],
      ] as const) {
        api.setHandler(() => ({ text: body, headers: { "Content-Type": `application/json; charset=${charset}` } }));
        const text = await runCliOk(["sources", "test", "catalogue", "--title", "Dune"], { dataDir: dir });
        expect(text.stdout).toMatch(words);
        expect(text.stdout).toContain("chosen candidate:\n  title: Dune");
        const json = SourceTestSchema.parse(await runCliJson(["sources", "test", "catalogue", "--title", "Dune"], { dataDir: dir }));
        expect(json.answer_note).toMatch(words);
      }
      api.setHandler(handler);
      const json = SourceTestSchema.parse(await runCliJson(["sources", "test", "catalogue", "--title", "Dune"], { dataDir: dir }));
      expect(json.answer_note).toBeNull();
    } finally {
      api.setHandler(handler);
    }
  });

  it("test exits 1 when the call fails, with and without --json (as `plugins test`), and says so on stderr", async () => {
    api.setHandler(() => ({ status: 503, json: { error: "down" } }));
    try {
      const json = await runCli(["sources", "test", "catalogue", "--title", "Dune", "--json"], { dataDir: dir });
      expect(json.code).toBe(1);
      expect(SourceTestSchema.parse(JSON.parse(json.stdout))).toMatchObject({ id: "catalogue", ok: false, status: 503, error_kind: "error" });
      expect(json.stderr).toMatch(/^shelfwise: source catalogue failed: error: .*503/);
      const text = await runCli(["sources", "test", "catalogue", "--title", "Dune"], { dataDir: dir });
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/status: 503/);
      expect(text.stderr).toBe(json.stderr);
    } finally {
      api.setHandler(handler);
    }
  });

  it("test stopped by Ctrl-C says what was stopped and that a test records nothing (exit 130)", async () => {
    // It said "run the command again to continue", as if work were left half done.
    let called!: () => void;
    const reached = new Promise<void>((resolve) => (called = resolve));
    api.setHandler(() => {
      called();
      return { hang: true };
    });
    try {
      const child = spawnCli(["sources", "test", "catalogue", "--title", "Dune"], { dataDir: dir });
      let stderr = "";
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      await reached;
      child.kill("SIGINT");
      expect(await exited).toBe(130);
      expect(stderr).toBe("shelfwise: interrupted (SIGINT): the test call to source catalogue was stopped; a test records nothing (no evidence, no health), so nothing was lost\n");
    } finally {
      api.setHandler(handler);
    }
  });

  it("list, disable, enable and reset", async () => {
    let rows = SourceListSchema.parse(await runCliJson(["sources", "list"], { dataDir: dir }));
    expect(rows.map((r) => [r.id, r.state, r.auth.credential])).toEqual([["catalogue", "active", "cat"]]);
    expect((await runCliOk(["sources", "disable", "catalogue"], { dataDir: dir })).stdout).toBe("source catalogue disabled\n");
    // It said "source catalogue disabled" again: two changes, as `plugins disable` twice once did.
    expect((await runCliOk(["sources", "disable", "catalogue"], { dataDir: dir })).stdout).toBe("source catalogue was already disabled\n");
    rows = SourceListSchema.parse(await runCliJson(["sources", "list"], { dataDir: dir }));
    expect(rows[0]!.state).toBe("disabled");
    expect((await runCliOk(["sources", "enable", "catalogue"], { dataDir: dir })).stdout).toBe("source catalogue enabled\n");
    expect((await runCliOk(["sources", "enable", "catalogue"], { dataDir: dir })).stdout).toBe("source catalogue was already enabled\n");
    expect((await runCliOk(["sources", "reset", "catalogue"], { dataDir: dir })).stdout).toMatch(/^source catalogue reset: enabled, failure count cleared, 0 failed books will be retried\n$/);
    const layers = await runCliJson<{ layer_id: string; kind: string }[]>(["layers"], { dataDir: dir });
    expect(layers.find((l) => l.layer_id === "catalogue")).toMatchObject({ kind: "http" });
  });

  it("process runs the source as a layer: its claims land as evidence of http:<id>", async () => {
    const library = libraryDir;
    const folder = path.join(library, "Frank Herbert", "Dune");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "01.mp3"), audioBytes("mp3", { title: "Chapter 1" }));
    await runCliOk(["scan", library], { dataDir: dir });
    const before = api.requests.length;
    await runCliOk(["process", "--json"], { dataDir: dir });
    expect(api.requests.length - before).toBe(1);
    const detail = JSON.parse((await runCliOk(["book", "1", "--json"], { dataDir: dir })).stdout) as {
      profile: Record<string, { evidence: { source: string; value: string; weight: number }[] }>;
      layers?: unknown;
    };
    expect(detail.profile.year!.evidence).toEqual([{ source: "http:catalogue", value: "1965", weight: 55 }]);
    expect(detail.profile.title!.evidence.map((e) => e.source)).toContain("http:catalogue");
    const log = fs.readFileSync(path.join(dir, "logs", "shelfwise.log"), "utf8");
    expect(log).not.toContain(SECRET);
  });

  it("a single-value field whose JSONPath matches several values says so: in `sources test` and in the evidence", async () => {
    // year [1965, 1966] was silently read as 1965.
    api.setHandler(() => ({ json: { results: [{ name: "Dune", writer: "Frank Herbert", year: [1965, 1966] }] } }));
    try {
      const note = "the source's JSONPath matched 2 different values (1965, 1966); the first was taken";
      const text = await runCliOk(["sources", "test", "catalogue", "--title", "Dune"], { dataDir: dir });
      expect(text.stdout).toContain(`  year: 1965  (note: ${note})`);
      const json = SourceTestSchema.parse(await runCliJson(["sources", "test", "catalogue", "--title", "Dune"], { dataDir: dir }));
      expect(json.claims.find((c) => c.field === "year")).toMatchObject({ value: "1965", accepted: true, note });
      expect(json.claims.find((c) => c.field === "title")!.note).toBeNull();
      // The book the test before scans, scanned here too so this test stands alone (an incremental rescan otherwise).
      const folder = path.join(libraryDir, "Frank Herbert", "Dune");
      fs.mkdirSync(folder, { recursive: true });
      if (!fs.existsSync(path.join(folder, "01.mp3"))) fs.writeFileSync(path.join(folder, "01.mp3"), audioBytes("mp3", { title: "Chapter 1" }));
      await runCliOk(["scan", libraryDir], { dataDir: dir });
      await runCliOk(["process"], { dataDir: dir });
      await runCliOk(["process", "--rerun", "--layer", "catalogue"], { dataDir: dir });
      const detail = JSON.parse((await runCliOk(["book", "1", "--json"], { dataDir: dir })).stdout) as {
        profile: Record<string, { evidence: { source: string; value: string; basis?: string }[] }>;
      };
      expect(detail.profile.year!.evidence).toContainEqual(expect.objectContaining({ source: "http:catalogue", value: "1965", basis: note }));
    } finally {
      api.setHandler(handler);
    }
  });

  it("`plugins enable|disable|reset` refuse a source's id and name the `sources` command", async () => {
    const results = await Promise.all((["enable", "disable", "reset"] as const).map((action) => runCli(["plugins", action, "catalogue"], { dataDir: dir })));
    results.forEach((result, i) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`catalogue is an HTTP source, not a plugin: use \`shelfwise sources ${["enable", "disable", "reset"][i]} catalogue\``);
    });
  });

  it("an unknown id is bad input (exit 2) and names the known ones", async () => {
    const result = await runCli(["sources", "test", "nope", "--title", "Dune"], { dataDir: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('shelfwise: no HTTP source with id "nope"; known: catalogue\n');
    expect(result.stdout).toBe("");
  });
});
