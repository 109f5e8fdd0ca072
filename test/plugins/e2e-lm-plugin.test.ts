/**
 * A plugin written for Library Manager, as its README teaches (manifest with
 * `type`, `class_name`, `permissions.database`; a layer.py whose setup keeps a
 * secret without calling super, logs through `logging`, reads the profile with
 * `json.loads`, asks a web API, and returns extra keys besides the fields),
 * with a numeric version and its API's URL in permissions.network,
 * dropped into the plugin directory unchanged: `plugins validate`, `process`,
 * the book's evidence, `plugins health` and the plugin log.
 */
import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HarnessError, makeBook, runPlugin, validatePlugin } from "../../src/plugins/authoring/plugin-harness.js";
import { createHome, layerSummary, leftoverRunners, requireBuilt, type BookDetail, type PluginHealthRow, type ProcessJson, type TestHome } from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

const MANIFEST = {
  id: "narrator-lookup",
  name: "Narrator Lookup",
  version: "1.0.0",
  description: "Looks narrators up in a web API",
  type: "layer",
  entry_point: "layer.py",
  class_name: "NarratorLookupPlugin",
  default_order: 35,
  requires_config: [],
  requires_secrets: ["narrator_api_key"],
  permissions: { network: ["127.0.0.1"], database: "read" },
};

const LAYER_PY = `"""Narrator lookup for Library Manager."""

import json
import logging
import time
import urllib.parse
import urllib.request

from library_manager.plugin_loader import BasePlugin

logger = logging.getLogger(__name__)


class NarratorLookupPlugin(BasePlugin):
    name = "Narrator Lookup"
    description = "Looks narrators up"
    version = "1.0.0"

    def setup(self, config, secrets):
        self.api_key = secrets.get('narrator_api_key')
        self.base_url = config.get('base_url', 'https://api.example.com')
        self.books_seen = 0
        logger.info(f"[NarratorLookup] Setup complete (v{self.version!r}, {type(self.version).__name__})")

    def can_process(self, book_data):
        profile = json.loads(book_data['profile']) if book_data.get('profile') else {}
        narrator = profile.get('narrator', {}).get('value')
        return not narrator and bool(book_data.get('current_title'))

    def process(self, book_data):
        self.books_seen += 1
        title = book_data.get('current_title', 'Unknown')
        author = book_data.get('current_author', 'Unknown')
        logger.info(f"[NarratorLookup] Book #{self.books_seen}: '{title}' by {author}")
        query = urllib.parse.urlencode({'title': title, 'author': author or ''})
        request = urllib.request.Request(f"{self.base_url}/lookup?{query}", headers={'Authorization': f'Bearer {self.api_key}'})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                data = json.loads(response.read().decode('utf-8'))
        except urllib.error.HTTPError as e:
            logger.warning(f"[NarratorLookup] HTTP {e.code}")
            return {}
        return {
            'narrator': data.get('narrator'),
            'year': data.get('year'),
            'source_url': request.full_url,
            'fetched_at': time.time(),
        }

    def teardown(self):
        logger.info(f"[NarratorLookup] Shutting down. Saw {self.books_seen} books total.")
`;

let home: TestHome;
let server: http.Server;
const seenKeys = new Set<string>();

beforeAll(async () => {
  requireBuilt();
  server = http.createServer((request, response) => {
    seenKeys.add(String(request.headers.authorization));
    const title = new URL(request.url ?? "/", "http://x").searchParams.get("title");
    if (title !== "Title 2") return void response.writeHead(404).end();
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ narrator: "Scott Brick", year: 2006 }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  home = inProcess(createHome({ books: 3 }));
  home.writeConfig({ plugin_configs: { "narrator-lookup": { base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, allow_private_network: true } } });
});
afterAll(() => {
  server?.close();
  home?.cleanup();
});

describe("a Library Manager plugin dropped in unchanged", () => {
  let folder: string;

  test("`plugins validate` says what it still needs, then that it loads", async () => {
    // Written as Library Manager manifests often are (it reads both keys as information only): a number as
    // version, the API's URL as the host.
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const manifest = { ...MANIFEST, version: 1.2, permissions: { ...MANIFEST.permissions, network: [apiUrl] } };
    // Written `1.20`: Library Manager's self.version is what Python's json reads, the float 1.2.
    const manifestText = JSON.stringify(manifest, null, 2).replace('"version": 1.2,', '"version": 1.20,');
    folder = home.plugin("narrator-lookup", { manifestText, entry: "layer.py", code: LAYER_PY });
    const missing = await home.cli(["plugins", "validate", folder]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`missing secrets: add "narrator_api_key" to ${path.join(home.dataDir, "secrets.json")}`);
    home.writeSecrets({ narrator_api_key: "lm-key-0123456789" });
    // No other step: the first plugin to ask for a name of secrets.json is given it, as Library Manager would.
    const ok = await home.cli(["plugins", "validate", folder]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("ok: narrator-lookup (python) loads and sets up");
    expect(ok.stdout).toContain("permissions.database: ignored; plugins never get database access");
    expect(ok.stdout).toContain('version: a number, shown as "1.2"; write it as text ("version": "1.2")');
    expect(ok.stdout).toContain(
      `permissions.network[0]: read as 127.0.0.1 (scheme http, port ${(server.address() as AddressInfo).port}, path dropped: a plugin may reach the hosts it lists on any port)`,
    );
  });

  test("`process` gives the book its narrator and year, asked with the declared secret", async () => {
    await home.json(["scan"]);
    const result = await home.cli(["process", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as ProcessJson;
    expect(layerSummary(run, "narrator-lookup")).toMatchObject({ processed: 3, evidence_added: 2, errors: 0 });
    expect(seenKeys).toEqual(new Set(["Bearer lm-key-0123456789"]));
    // Library Manager plugins often return extra keys; they are ignored, with a warning.
    expect(layerSummary(run, "narrator-lookup")!.warnings).toEqual(expect.arrayContaining([expect.stringContaining('ignored unknown fields "source_url", "fetched_at"')]));
    const books = await home.json<{ id: number; title: string }[]>(["books"]);
    const dune = books.find((b) => b.title === "Title 2")!;
    const detail = await home.json<BookDetail>(["book", String(dune.id)]);
    expect(detail.profile.narrator!.value).toBe("Scott Brick");
    expect(detail.profile.narrator!.evidence.map((e) => e.source)).toEqual(["plugin:narrator-lookup"]);
    expect(detail.profile.year!.value).toBe("2006");
  });

  test("`plugins health` counts its calls; its logging is in its log; the key never is", async () => {
    const health = await home.json<PluginHealthRow[]>(["plugins", "health"]);
    expect(health.find((h) => h.plugin_id === "narrator-lookup")).toMatchObject({ state: "active", total_processed: 3, total_resolved: 1, consecutive_failures: 0 });
    const log = fs.readFileSync(path.join(home.dataDir, "logs", "plugins", "narrator-lookup.log"), "utf8");
    // self.version as Library Manager gives it: the manifest's JSON number, not the text plugins list shows.
    expect(log).toContain("[NarratorLookup] Setup complete (v1.2, float)");
    expect(log).toMatch(/\[NarratorLookup\] Book #\d: 'Title 2' by Author 2/);
    expect(log).toMatch(/\[NarratorLookup\] Shutting down\. Saw \d books total\./);
    expect(log).not.toContain("lm-key-0123456789");
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });
});

/** Library Manager lets every plugin read the disk, so its plugins read the book's folder without declaring it. */
const DESC_READER_PY = `import os
from library_manager.plugin_loader import BasePlugin


class DescReader(BasePlugin):
    def process(self, book_data):
        with open(os.path.join(book_data['path'], 'desc.txt'), encoding='utf-8', errors='ignore') as fh:
            text = fh.read()
        return {'narrator': text.split('Narrated by ', 1)[1].strip()} if 'Narrated by ' in text else {}
`;

describe("a Library Manager plugin that reads the book's folder", () => {
  test("is told to declare \"filesystem\": \"read\" (not a bare 'No such file'), and reads it once it does", async () => {
    const book = home.books[0]!;
    fs.writeFileSync(path.join(book, "desc.txt"), "Narrated by Kate Reading\n");
    const manifest = { id: "desc-reader", name: "Desc reader", type: "layer", entry_point: "layer.py", permissions: { network: [], database: "read" } };
    const folder = home.plugin("desc-reader", { manifestText: JSON.stringify(manifest), entry: "layer.py", code: DESC_READER_PY });
    const options = { dataDir: home.dataDir, pluginDir: home.pluginDir, libraryPaths: [home.library] };
    const books = [makeBook({ path: book, library_root: home.library })];

    const refused = (await runPlugin(folder, books, options)).calls[0]!;
    expect(refused.outcome).toBe("error");
    expect(refused.error).toContain(`No such file or directory: '${path.join(book, "desc.txt")}'`);
    expect(refused.error).toContain(`is in the library folder ${home.library}, which this plugin may not read; add "permissions": {"filesystem": "read"} to its manifest.json`);

    fs.writeFileSync(path.join(folder, "manifest.json"), JSON.stringify({ ...manifest, permissions: { ...manifest.permissions, filesystem: "read" } }));
    const read = (await runPlugin(folder, books, options)).calls[0]!;
    expect(read).toMatchObject({ outcome: "ok", accepted: [{ field: "narrator", value: "Kate Reading" }] });
  });
});

describe("a Library Manager plugin that reads a secret it does not declare", () => {
  test("is told to declare it in requires_secrets, by name and never by value", async () => {
    // Library Manager hands setup() all of secrets.json; here only what requires_secrets lists reaches it.
    const folder = home.plugin("undeclared-key", {
      manifestText: JSON.stringify({ id: "undeclared-key", name: "Undeclared key", entry_point: "layer.py" }),
      entry: "layer.py",
      code: `from library_manager.plugin_loader import BasePlugin\n\n\nclass P(BasePlugin):\n    def setup(self, config, secrets):\n        self.key = secrets['goodreads_key']\n\n    def process(self, book_data):\n        return {}\n`,
    });
    const error = await validatePlugin(folder, { dataDir: home.dataDir, pluginDir: home.pluginDir, secrets: { goodreads_key: "gr-value-0123456789" } }).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).toContain(
      `KeyError: 'goodreads_key' — goodreads_key is in secrets.json, but a plugin gets only the secrets its manifest.json declares: add "requires_secrets": ["goodreads_key"] to it`,
    );
    expect(error).not.toContain("gr-value-0123456789");
  });

  test("is told so by `plugins validate` too when another plugin holds the name (the folder is handed none of it)", async () => {
    // Another plugin asked for the name first: `plugins validate` left it out of what it handed this folder,
    // and so out of the hint, and the newcomer read a bare KeyError.
    home.writeSecrets({ narrator_api_key: "lm-key-0123456789", shared_api_key: "shared-0123456789" });
    home.plugin("holder", {
      manifestText: JSON.stringify({ id: "holder", name: "Holder", entry_point: "layer.py", requires_secrets: ["shared_api_key"] }),
      entry: "layer.py",
      code: `class P:\n    def process(self, book_data):\n        return {}\n`,
    });
    const folder = home.plugin("borrower", {
      manifestText: JSON.stringify({ id: "borrower", name: "Borrower", entry_point: "layer.py" }),
      entry: "layer.py",
      code: `from library_manager.plugin_loader import BasePlugin\n\n\nclass P(BasePlugin):\n    def setup(self, config, secrets):\n        self.key = secrets['shared_api_key']\n`,
    });
    const result = await home.cli(["plugins", "validate", folder]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `KeyError: 'shared_api_key' — shared_api_key is in secrets.json, but a plugin gets only the secrets its manifest.json declares: add "requires_secrets": ["shared_api_key"] to it`,
    );
    expect(result.stderr + result.stdout).not.toContain("shared-0123456789");
    // The holder's manifest broken: `plugins list` says what to fix, and not that its own key is "not granted".
    const holder = path.join(home.pluginDir, "holder", "manifest.json");
    fs.writeFileSync(holder, JSON.stringify({ id: "holder", name: "Holder", entry_point: "layers.py", requires_secrets: ["shared_api_key"] }));
    const list = await home.cli(["plugins", "list"]);
    expect(list.stdout).toContain('entry_point: file not found: "layers.py" (the folder has "layer.py")');
    expect(list.stdout).not.toContain("holder secrets:");
  });
});

describe("a Library Manager plugin that raises", () => {
  test("its traceback shows its own frames, with file and line, not the runner's (process, setup, a chained cause)", async () => {
    const folder = home.plugin("raiser", {
      manifestText: JSON.stringify({ id: "raiser", name: "Raiser", type: "layer", entry_point: "layer.py", class_name: "Raiser" }),
      entry: "layer.py",
      code:
        `from library_manager.plugin_loader import BasePlugin\n\n\ndef lookup(data):\n    return data["missing"]\n\n\n` +
        `class Raiser(BasePlugin):\n    def process(self, book_data):\n        return lookup({})\n`,
    });
    const file = path.join(fs.realpathSync(folder), "layer.py");
    const options = { dataDir: home.dataDir, pluginDir: home.pluginDir };
    const run = await runPlugin(folder, [makeBook({ title: "Dune" })], options);
    expect(run.calls[0]!.error).toBe("KeyError: 'missing'");
    const shown = run.output.join("\n");
    expect(shown).toContain(`File "${file}", line 10, in process`);
    expect(shown).toContain(`File "${file}", line 5, in lookup`);
    // shelfwise's own Python files (the runner calling process()) were the first frame shown.
    expect(shown).not.toMatch(/File "[^"]*(shelfwise_runner|library_manager[\\/])|frozen importlib/);

    fs.writeFileSync(
      path.join(folder, "layer.py"),
      `from library_manager.plugin_loader import BasePlugin\n\n\nclass Raiser(BasePlugin):\n    def setup(self, config, secrets):\n` +
        `        try:\n            config["api_url"]\n        except KeyError as e:\n            raise ValueError("api_url is not set") from e\n`,
    );
    const failed = await validatePlugin(folder, options).then(() => null, (error: HarnessError) => error);
    expect(failed?.message).toContain("ValueError: api_url is not set");
    const output = failed!.output.join("\n");
    expect(output).toContain(`File "${file}", line 7, in setup`);
    expect(output).toContain(`File "${file}", line 9, in setup`);
    expect(output).not.toMatch(/File "[^"]*(shelfwise_runner|library_manager[\\/])|frozen importlib/);

    fs.writeFileSync(path.join(folder, "layer.py"), `import json\n\nSETTINGS = json.loads("{")\n`);
    const loading = await validatePlugin(folder, options).then(() => null, (error: HarnessError) => error);
    const loadOutput = loading!.output.join("\n");
    expect(loadOutput).toContain(`File "${file}", line 3, in <module>`);
    // The standard library's frames below the plugin's stay: they are on the way to the error.
    expect(loadOutput).toMatch(/json[\\/]decoder\.py/);
    expect(loadOutput).not.toMatch(/File "[^"]*shelfwise_runner|frozen importlib/);
  });
});
