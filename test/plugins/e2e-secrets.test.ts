/**
 * secrets.json holds keys for several plugins; each plugin gets only the ones
 * its manifest declares, and no secret value ever shows up in shelfwise's
 * output, logs, config or database. Missing requirements are named, never
 * their values.
 */
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
} from "../support/plugin-fixtures.js";

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

describe("secret grants: a plugin gets a secret of secrets.json only once the user gave it that plugin", () => {
  let home: TestHome;
  beforeAll(async () => {
    home = createHome({ books: 1 });
    home.writeSecrets({ API_A: VALUE_A });
    // Reports which secrets it got; dropped in later than the plugin the user added API_A for, declaring its name.
    home.plugin("wanted", { code: nodePlugin(`setup(c, s) { this.got = Object.keys(s).join(",") || "none"; } process() { return { edition: this.got }; }`), manifest: { requires_secrets: ["API_A"] } });
    home.plugin("spy", { code: nodePlugin(`setup(c, s) { this.got = Object.keys(s).join(",") || "none"; } process() { return { variant: this.got }; }`), manifest: { requires_secrets: ["API_A"] } });
    expect((await home.cli(["scan"])).code).toBe(0);
  });
  afterAll(() => home?.cleanup());

  test("not granted: skipped with the command that grants it; granted: it runs with it; revoked: skipped again", async () => {
    const grant = await home.cli(["plugins", "grant", "wanted", "API_A"]);
    expect(grant.stdout).toBe("granted API_A to plugin wanted\n");
    let list = JSON.parse((await home.cli(["plugins", "list", "--json"])).stdout) as (ListedPlugin & { requires_secrets: string[]; granted_secrets: string[] })[];
    expect(listedPlugin(list, "wanted")).toMatchObject({ state: "active", requires_secrets: ["API_A"], granted_secrets: ["API_A"] });
    expect(listedPlugin(list, "spy")).toMatchObject({
      state: "skipped",
      reason: "needs secret API_A, not granted to it: run `shelfwise plugins grant spy API_A` to give it that secret of secrets.json",
      requires_secrets: ["API_A"],
      granted_secrets: [],
    });
    const text = await home.cli(["plugins", "list"]);
    expect(text.stdout).toContain("  spy secrets: API_A (not granted)\n");
    expect(text.stdout).toContain("  wanted secrets: API_A (granted)\n");
    const run = await home.cli(["process", "--json"]);
    expect(run.code).toBe(3);
    const summary = JSON.parse(run.stdout) as ProcessJson;
    expect(summary.plugin_problems.map((p) => [p.plugin_id, p.state])).toEqual([["spy", "skipped"]]);
    const book = JSON.parse((await home.cli(["book", "1", "--json"])).stdout) as BookDetail;
    expect(book.profile.edition!.evidence.map((e) => e.value)).toEqual(["API_A"]);
    expect(book.profile.variant?.evidence ?? []).toEqual([]);

    // A name it does not declare cannot be granted; nor shelfwise's own token.
    const undeclared = await home.cli(["plugins", "grant", "spy", "API_B"]);
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr).toContain('plugin spy does not declare "API_B" in requires_secrets (it declares: API_A)');
    expect((await home.cli(["plugins", "grant", "spy", "web_token"])).code).toBe(2);

    expect((await home.cli(["plugins", "revoke", "wanted", "API_A"])).stdout).toBe("revoked API_A from plugin wanted: it is skipped until granted again\n");
    list = JSON.parse((await home.cli(["plugins", "list", "--json"])).stdout) as (ListedPlugin & { granted_secrets: string[] })[];
    expect(listedPlugin(list, "wanted")).toMatchObject({ state: "skipped", granted_secrets: [] });
  });

  test("grant and revoke say a no-op on stdout, as any outcome; a granted secret not set in secrets.json yet is a warning on stderr", async () => {
    home.plugin("later", { code: nodePlugin(`process() { return {}; }`), manifest: { requires_secrets: ["API_Z"] } });
    const note = `shelfwise: note: API_Z not set in ${path.join(home.dataDir, "secrets.json")} yet: add it there (a flat object of names to strings)\n`;
    const first = await home.cli(["plugins", "grant", "later", "API_Z"]);
    // The note was on stdout, beside the outcome, while config.json's switch's note was on stderr.
    expect([first.code, first.stdout, first.stderr]).toEqual([0, "granted API_Z to plugin later\n", note]);
    const again = await home.cli(["plugins", "grant", "later", "API_Z"]);
    expect([again.code, again.stdout, again.stderr]).toEqual([0, "API_Z was already granted to plugin later\n", note]);
    expect((await home.cli(["plugins", "revoke", "later", "API_Z"])).stdout).toBe("revoked API_Z from plugin later: it is skipped until granted again\n");
    const none = await home.cli(["plugins", "revoke", "later", "API_Z"]);
    expect([none.code, none.stdout, none.stderr]).toEqual([0, "API_Z was not granted to plugin later\n", ""]);
  });

  test("`plugins validate` hands a granted secret only to the folder that owns the id, not to a copy elsewhere claiming it", async () => {
    expect((await home.cli(["plugins", "grant", "wanted", "API_A"])).code).toBe(0);
    const copy = path.join(home.root, "downloaded", "wanted");
    fs.cpSync(path.join(home.pluginDir, "wanted"), copy, { recursive: true });
    const refused = await home.cli(["plugins", "validate", copy]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`secrets not handed to this folder: API_A; secrets of secrets.json go only to the folder in ${home.pluginDir} that owns the id wanted`);
    const owner = await home.cli(["plugins", "validate", path.join(home.pluginDir, "wanted")]);
    expect(owner.code, owner.stderr).toBe(0);
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
    home = createHome({ books: 3, config: { plugin_configs: { "needs-more": { unrelated: 1 } } } });
    home.writeSecrets({ API_A: VALUE_A, API_B: VALUE_B });
    home.plugin("snoop", { code: NODE_SNOOP, manifest: { requires_secrets: ["API_A"] } });
    home.plugin("py-snoop", { entry: "plugin.py", code: PY_SNOOP, manifest: { requires_secrets: ["API_A"] } });
    home.plugin("leaky", { entry: "plugin.py", code: PY_LEAKY, manifest: { requires_secrets: ["API_A"] } });
    home.plugin("needs-more", {
      code: nodePlugin(`process() { return null; }`),
      manifest: { requires_secrets: ["API_A", "API_C"], requires_config: ["endpoint"] },
    });
    await cli(["scan"]);
    // A fresh data folder: each plugin gets a secret of secrets.json once the user grants it.
    for (const id of ["snoop", "py-snoop", "leaky"]) expect((await cli(["plugins", "grant", id, "API_A"])).code).toBe(0);
    expect((await cli(["plugins", "grant", "needs-more", "API_A", "API_C"])).code).toBe(0);
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
    expect(plugin.reason).toBe("missing config plugin_configs.needs-more: endpoint; missing secrets: API_C");
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
