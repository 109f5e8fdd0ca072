/**
 * secrets.json holds keys for several plugins; each plugin gets only the ones
 * its manifest declares, and no secret value ever shows up in shelfwise's
 * output, logs, config or database. Missing requirements are named, never
 * their values.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createHome,
  filesUnder,
  layerSummary,
  listedPlugin,
  nodePlugin,
  pythonPlugin,
  requireBuilt,
  type BookDetail,
  type CliResult,
  type ListedPlugin,
  type ProcessJson,
  type TestHome,
  writePlugin,
} from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

const VALUE_A = "a-value-7d41c9e0aa";
const VALUE_B = "b-value-f00dfacecafe";

// Reports the secret names it got, prints everything it got to its log, and
// tries to read secrets.json itself (its data dir is <data>/plugin-data/<id>).
const NODE_SNOOP = `import fs from "node:fs";
${nodePlugin(`
  setup(config, secrets) {
    this.secrets = secrets;
    console.log("received secrets", JSON.stringify(secrets));
  }
  process(book) {
    let file;
    try {
      fs.readFileSync(process.cwd() + "/../../secrets.json", "utf8");
      file = "read secrets.json";
    } catch (error) {
      file = "denied: " + error.code;
    }
    return { narrator: Object.keys(this.secrets).sort().join(","), edition: file, variant: Object.keys(process.env).sort().join(",") };
  }`)}`;

// Slips a careful plugin still makes: its key printed in two writes, in an error, and as a value.
const PY_LEAKY = pythonPlugin(`
    def process(self, book_data):
        key = self.secrets["API_A"]
        sys.stdout.write("calling with " + key[:6])
        sys.stdout.flush()
        sys.stdout.write(key[6:] + " ok\\n")
        if book_data["book_id"] == 2:
            raise RuntimeError("the API refused key " + key)
        return {"title": "Leaky Title", "narrator": "key=" + key}
`).replace("from library_manager", "import sys\nfrom library_manager");

const PY_SNOOP = pythonPlugin(`
    def setup(self, config, secrets):
        super().setup(config, secrets)
        print("received secrets", secrets)
        return True

    def process(self, book_data):
        return {"narrator": ",".join(sorted(self.secrets))}
`);

beforeAll(requireBuilt);

describe("secret grants: a secret name is the plugins' that first ask for it; a later plugin needs the user's grant", () => {
  let home: TestHome;
  type Listed = ListedPlugin & { requires_secrets: string[]; granted_secrets: string[]; revoked_secrets: string[] };
  const list = async () => JSON.parse((await home.cli(["plugins", "list", "--json"])).stdout) as Listed[];
  // Reports which secrets it got, in the field named.
  const reporter = (field: string) => nodePlugin(`setup(c, s) { this.got = Object.keys(s).join(",") || "none"; } process() { return { ${field}: this.got }; }`);

  beforeAll(async () => {
    home = inProcess(createHome({ books: 1 }));
    home.writeSecrets({ API_A: VALUE_A, API_B: VALUE_B, API_C: "c-value-0b5e55ed" });
    home.plugin("wanted", { code: reporter("edition"), manifest: { requires_secrets: ["API_A"] } });
    expect((await home.cli(["scan"])).code).toBe(0);
  });
  afterAll(() => home?.cleanup());

  test("a plugin dropped into a fresh data folder, its key in secrets.json, runs with it: no grant step", async () => {
    const run = await home.cli(["process", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(layerSummary(JSON.parse(run.stdout) as ProcessJson, "wanted")).toMatchObject({ processed: 1, errors: 0 });
    const book = JSON.parse((await home.cli(["book", "1", "--json"])).stdout) as BookDetail;
    expect(book.profile.edition!.evidence.map((e) => e.value)).toEqual(["API_A"]);
  });

  test("a plugin dropped in later asking for the same name is skipped naming the holder; a grant shares it, a revoke stops it", async () => {
    // Named as the plugin whose key it wants: the list says whose name it reads as, and its own id.
    home.plugin("spy", { code: reporter("variant"), manifest: { name: "Wanted", requires_secrets: ["API_A"] } });
    const listed = await list();
    expect(listedPlugin(listed, "wanted")).toMatchObject({ state: "active", requires_secrets: ["API_A"], granted_secrets: ["API_A"] });
    expect(listedPlugin(listed, "spy")).toMatchObject({
      state: "skipped",
      reason: "needs secret API_A, which is granted to plugin wanted: run `shelfwise plugins grant spy API_A` to share it",
      requires_secrets: ["API_A"],
      granted_secrets: [],
      revoked_secrets: [],
      held_secrets: [{ name: "API_A", holders: ["wanted"], revoked_from_holders: false }],
    });
    const text = await home.cli(["plugins", "list"]);
    // Whose it is and how to share it: the value stays out of the list.
    expect(text.stdout).toContain("  spy secrets: API_A (not granted: held by plugin wanted; `shelfwise plugins grant spy API_A` shares it)\n");
    expect(text.stdout).not.toContain(VALUE_A);
    expect(text.stdout).toContain('  spy warning: name "Wanted" reads as plugin wanted; this plugin\'s id is spy (the id is what grants, switches and logs name)\n');
    expect(text.stdout).toContain("  wanted secrets: API_A (granted)\n");
    const run = await home.cli(["process", "--json"]);
    expect(run.code).toBe(3);
    expect((JSON.parse(run.stdout) as ProcessJson).plugin_problems.map((p) => [p.plugin_id, p.state])).toEqual([["spy", "skipped"]]);

    // A name it does not declare cannot be granted; nor shelfwise's own token.
    const undeclared = await home.cli(["plugins", "grant", "spy", "API_B"]);
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr).toContain('plugin spy does not declare "API_B" in requires_secrets (it declares: API_A)');
    expect((await home.cli(["plugins", "grant", "spy", "web_token"])).code).toBe(2);

    expect((await home.cli(["plugins", "grant", "spy", "API_A"])).stdout).toBe("granted API_A to plugin spy\n");
    expect(listedPlugin(await list(), "spy")).toMatchObject({ state: "active", granted_secrets: ["API_A"] });
    expect((await home.cli(["plugins", "revoke", "spy", "API_A"])).stdout).toBe("revoked API_A from plugin spy: it is skipped until granted again\n");
    expect(listedPlugin(await list(), "spy")).toMatchObject({
      state: "skipped",
      reason: "needs secret API_A, revoked from it: run `shelfwise plugins grant spy API_A` to give it back",
      granted_secrets: [],
      revoked_secrets: ["API_A"],
    });
    // Said as what the user did, not as a name nobody granted yet.
    expect((await home.cli(["plugins", "list"])).stdout).toContain("  spy secrets: API_A (revoked: `shelfwise plugins grant spy API_A` gives it back)\n");
  });

  test("grant and revoke say a no-op on stdout, as any outcome; a granted secret not set in secrets.json yet is a warning on stderr", async () => {
    home.plugin("later", { code: nodePlugin(`process() { return {}; }`), manifest: { requires_secrets: ["API_Z"] } });
    const note = `shelfwise: note: API_Z not set in ${path.join(home.dataDir, "secrets.json")} yet: add it there (a flat object of names to strings)\n`;
    // Asked for by nobody else, the name was granted on first use: a grant now is a no-op, said on stdout.
    const first = await home.cli(["plugins", "grant", "later", "API_Z"]);
    // The note was on stdout, beside the outcome, while config.json's switch's note was on stderr.
    expect([first.code, first.stdout, first.stderr]).toEqual([0, "API_Z was already granted to plugin later\n", note]);
    expect((await home.cli(["plugins", "revoke", "later", "API_Z"])).stdout).toBe("revoked API_Z from plugin later: it is skipped until granted again\n");
    const none = await home.cli(["plugins", "revoke", "later", "API_Z"]);
    expect([none.code, none.stdout, none.stderr]).toEqual([0, "API_Z was not granted to plugin later\n", ""]);
    const back = await home.cli(["plugins", "grant", "later", "API_Z"]);
    expect([back.code, back.stdout, back.stderr]).toEqual([0, "granted API_Z to plugin later\n", note]);
  });

  test("`plugins validate` of a folder elsewhere: a name an installed plugin has is not handed to it (a copy of that plugin included); a name nobody has is", async () => {
    const copy = path.join(home.root, "downloaded", "wanted");
    fs.cpSync(path.join(home.pluginDir, "wanted"), copy, { recursive: true });
    const refused = await home.cli(["plugins", "validate", copy]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`secrets not handed to this folder: API_A; a folder outside ${home.pluginDir} gets a secret of secrets.json only when no installed plugin has it`);
    expect((await home.cli(["plugins", "validate", path.join(home.pluginDir, "wanted")])).code).toBe(0);
    const fresh = writePlugin(path.join(home.root, "downloaded"), "fresh", { code: reporter("edition"), manifest: { requires_secrets: ["API_C"] } });
    const ok = await home.cli(["plugins", "validate", fresh]);
    expect(ok.code, ok.stderr).toBe(0);
    // Trying a folder out records nothing: API_C is still nobody's.
    const db = new Database(path.join(home.dataDir, "shelfwise.db"), { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM plugin_secret_grants WHERE secret_name = 'API_C'").get()).toEqual({ n: 0 });
    db.close();
  });

  test("a revoke sticks: the first plugin is not granted the name again at the next load; two plugins dropped in together both get a new name", async () => {
    expect((await home.cli(["plugins", "revoke", "wanted", "API_A"])).code).toBe(0);
    home.plugin("pair-b", { code: reporter("variant"), manifest: { requires_secrets: ["API_B"] } });
    home.plugin("pair-a", { code: reporter("variant"), manifest: { requires_secrets: ["API_B"] } });
    for (let load = 0; load < 2; load++) {
      const listed = await list();
      expect(listedPlugin(listed, "wanted")).toMatchObject({ state: "skipped", granted_secrets: [] });
      expect(listedPlugin(listed, "pair-a")).toMatchObject({ state: "active", granted_secrets: ["API_B"] });
      expect(listedPlugin(listed, "pair-b")).toMatchObject({ state: "active", granted_secrets: ["API_B"] });
    }
  });
});

describe("secret scoping", () => {
  let home: TestHome;
  const outputs: CliResult[] = [];
  const cli = async (args: string[]) => {
    const result = await home.cli(args);
    outputs.push(result);
    return result;
  };

  beforeAll(async () => {
    home = inProcess(createHome({ books: 3, config: { plugin_configs: { "needs-more": { unrelated: 1 } } } }));
    home.writeSecrets({ API_A: VALUE_A, API_B: VALUE_B });
    home.plugin("snoop", { code: NODE_SNOOP, manifest: { requires_secrets: ["API_A"] } });
    home.plugin("py-snoop", { entry: "plugin.py", code: PY_SNOOP, manifest: { requires_secrets: ["API_A"] } });
    home.plugin("leaky", { entry: "plugin.py", code: PY_LEAKY, manifest: { requires_secrets: ["API_A"] } });
    home.plugin("needs-more", {
      code: nodePlugin(`process() { return null; }`),
      manifest: { requires_secrets: ["API_A", "API_C"], requires_config: ["endpoint"] },
    });
    await cli(["scan"]);
  });
  afterAll(() => home?.cleanup());

  test("a plugin receives only the secrets it declares", async () => {
    const run = await cli(["process", "--json"]);
    // Finished; exit 3 because "needs-more" is skipped (missing config and secrets).
    expect(run.code).toBe(3);
    const summary = JSON.parse(run.stdout) as ProcessJson;
    expect(summary.plugin_problems.map((p) => [p.plugin_id, p.state])).toEqual([["needs-more", "skipped"]]);
    expect(layerSummary(summary, "snoop")).toMatchObject({ processed: 3, errors: 0 });
    expect(layerSummary(summary, "py-snoop")).toMatchObject({ processed: 3, errors: 0 });
    // The plugin's own key, in its error: masked.
    expect(layerSummary(summary, "leaky")).toMatchObject({ processed: 3, errors: 1 });
    expect(JSON.stringify(layerSummary(summary, "leaky"))).toContain("the API refused key ***");
    const book = JSON.parse((await cli(["book", "1", "--json"])).stdout) as BookDetail;
    const narrators = Object.fromEntries(book.profile.narrator!.evidence.map((e) => [e.source, e.value]));
    // leaky's narrator held its key: dropped, and its title kept.
    expect(narrators).toEqual({ "plugin:snoop": "API_A", "plugin:py-snoop": "API_A" });
    expect(book.profile.title!.evidence.some((e) => e.source === "plugin:leaky" && e.value === "Leaky Title")).toBe(true);
    // Nor can it read secrets.json, nor does it inherit the host's environment.
    expect(book.profile.edition!.evidence[0]!.value).toBe("denied: ERR_ACCESS_DENIED");
    expect(book.profile.variant!.evidence[0]!.value).toBe("HOME,LANG,SHELFWISE_PLUGIN_ID,TZ");
  });

  test("missing required config and secrets: skipped, with the key names only", async () => {
    const result = await cli(["plugins", "list", "--json"]);
    const plugin = listedPlugin(JSON.parse(result.stdout) as ListedPlugin[], "needs-more");
    expect(plugin.state).toBe("skipped");
    expect(plugin.reason).toBe('missing config plugin_configs.needs-more: endpoint (write "plugin_configs": { "needs-more": { "endpoint": ... } } in config.json); missing secrets: API_C');
    await cli(["plugins", "list"]);
    await cli(["plugins", "health", "--json"]);
    await cli(["layers", "--json"]);
    expect((await cli(["plugins", "logs", "leaky"])).stdout).toContain("RuntimeError: the API refused key ***");
    await cli(["plugins", "health", "leaky", "--json"]);
  });

  test("no secret value appears anywhere, declared ones included: CLI output, plugin logs, config, database", () => {
    expect(outputs.length).toBeGreaterThan(4);
    for (const { stdout, stderr } of outputs) {
      expect(stdout + stderr).not.toContain(VALUE_B);
      expect(stdout + stderr).not.toContain(VALUE_A);
    }
    const files = filesUnder(home.dataDir).filter((f) => !f.endsWith("secrets.json"));
    expect(files.some((f) => f.endsWith("snoop.log"))).toBe(true);
    for (const file of files) {
      expect(fs.readFileSync(file).includes(VALUE_B), file).toBe(false);
      expect(fs.readFileSync(file).includes(VALUE_A), file).toBe(false);
    }
    // The plugins printed their own secret to their own logs: masked there.
    expect(fs.readFileSync(files.find((f) => f.endsWith("/snoop.log"))!, "utf8")).toContain('{"API_A":"***"}');
    // Also when printed in two writes.
    expect(fs.readFileSync(files.find((f) => f.endsWith("/leaky.log"))!, "utf8")).toContain("calling with *** ok");
  });
});
