/**
 * A plugin that prints its declared secret re-encoded (other case, base64 at each byte offset, hex, percent or
 * JSON escapes, reversed, spaced out, split across writes and lines) to its log, throws it in an error and
 * returns it as values: none of it reaches the log, health, evidence, `--json` output or any file shelfwise keeps.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createHome, filesUnder, layerSummary, nodePlugin, requireBuilt, type CliResult, type ProcessJson, type TestHome } from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

// Mixed case and bytes that give "+" and "/" in base64, so every spelling differs from the others.
const SECRET = "Sk-Live-7d41C9e0?>~aaQz";

// Shared by the plugin (as source) and the test: each kind of copy a plugin could print.
const ENCODERS_JS = `const b = (s) => Buffer.from(s, "utf8");
const ENC = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  base64: (s) => b(s).toString("base64"),
  base64_offset1_unpadded: (s) => b("x" + s).toString("base64").replace(/=+$/, ""),
  base64_offset2: (s) => b("xy" + s).toString("base64"),
  base64url: (s) => b(s).toString("base64url"),
  base64url_offset1: (s) => b("x" + s + "!").toString("base64url"),
  base64url_offset2_padded: (s) => b("xy" + s).toString("base64").replace(/\\+/g, "-").replace(/\\//g, "_"),
  hex: (s) => b(s).toString("hex"),
  hex_upper: (s) => b(s).toString("hex").toUpperCase(),
  percent: (s) => [...b(s)].map((x) => "%" + x.toString(16).padStart(2, "0")).join(""),
  json_escaped: (s) => [...s].map((c) => "\\\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join(""),
  reversed: (s) => [...s].reverse().join(""),
  spaced: (s) => [...s].join(" "),
  one_char_a_line: (s) => [...s].join("\\n"),
  zero_width: (s) => [...s].join("\\u200b"),
};`;
const ENC = new Function(`${ENCODERS_JS}; return ENC;`)() as Record<string, (s: string) => string>;
const KINDS = Object.keys(ENC);

const LEAKER = `${ENCODERS_JS}
${nodePlugin(`
  setup(config, secrets) { this.key = secrets.API_KEY; }
  async process(book) {
    const key = this.key;
    for (const [kind, encode] of Object.entries(ENC)) console.log(kind + ": " + encode(key));
    console.error("stderr hex " + ENC.hex(key));
    // Split across two writes, and across two log lines.
    process.stdout.write("two writes: " + key.slice(0, 9));
    await new Promise((resolve) => setTimeout(resolve, 30));
    process.stdout.write(key.slice(9) + " done\\n");
    console.log("two lines: " + key.slice(0, 11));
    await new Promise((resolve) => setTimeout(resolve, 30));
    console.log(key.slice(11));
    if (book.book_id === 2) throw new Error("refused: " + Object.values(ENC).map((encode) => encode(key)).join(" | "));
    return { narrator: ENC.base64(key), series: ENC.hex(key), edition: ENC.reversed(key), title: "Kept Title" };
  }`)}`;

/** Whitespace and invisible characters dropped, letters in one case: a copy split or re-cased still shows. */
const flat = (text: string) => text.replace(/[\s\u200b-\u200f\u2060\ufeff]|\\n|\\x0a/g, "").toLowerCase();
/** The middle of a copy: what masking must remove (a character or two at its ends may stay). */
const core = (copy: string) => flat(copy).slice(3, -3);

beforeAll(requireBuilt);

describe("a plugin's secret re-encoded is masked wherever its text is kept or shown", () => {
  let home: TestHome;
  const outputs: CliResult[] = [];
  let kept = "";

  beforeAll(async () => {
    home = inProcess(createHome({ books: 2 }));
    home.writeSecrets({ API_KEY: SECRET });
    home.plugin("leaker", { code: LEAKER, manifest: { requires_secrets: ["API_KEY"] } });
    expect((await home.cli(["scan"])).code).toBe(0);
    for (const args of [["process", "--json"], ["plugins", "health", "--json"], ["plugins", "health", "leaker", "--json"], ["plugins", "logs", "leaker"], ["book", "1", "--json"], ["book", "2", "--json"], ["layers", "--json"]]) {
      outputs.push(await home.cli(args));
    }
    const files = filesUnder(home.dataDir).filter((f) => !f.endsWith("secrets.json"));
    kept = outputs.map((o) => o.stdout + o.stderr).join("\n") + files.map((f) => fs.readFileSync(f, "latin1")).join("\n");
  });
  afterAll(() => home?.cleanup());

  test("the plugin ran, printed, threw and answered", () => {
    const log = outputs[3]!.stdout;
    expect(log).toContain("upper: ***");
    expect(log).toContain("two writes: *** done");
    expect(layerSummary(JSON.parse(outputs[0]!.stdout) as ProcessJson, "leaker")).toMatchObject({ processed: 2, errors: 1 });
    expect(outputs[4]!.stdout).toContain("Kept Title");
  });

  test.each(KINDS)("%s", (kind) => {
    const copy = ENC[kind]!(SECRET);
    expect(flat(kept)).not.toContain(core(copy));
  });

  test("split across two writes: masked whole, the line kept", () => {
    const log = outputs[3]!.stdout;
    expect(log).toContain("two writes: *** done");
    expect(flat(kept)).not.toContain(flat(SECRET.slice(9)));
  });

  test("split across two log lines: masked whole, neither part shown", () => {
    const log = outputs[3]!.stdout;
    expect(log).toMatch(/two lines: \*\*\*\n/);
    expect(flat(kept)).not.toContain(flat(SECRET.slice(0, 11)));
    expect(flat(kept)).not.toContain(flat(SECRET.slice(11)));
  });
});

// Cut halves at a process's end: nothing follows to complete them, so each half is what must not show.
const CUTTER = nodePlugin(`
  setup(config, secrets) { this.key = secrets.API_KEY; }
  async process() {
    const key = this.key;
    // A line's end that starts the secret, then the process ends: the log flushes it at the exit note.
    process.stdout.write("cut at exit: " + key.slice(0, 9));
    // Split across two stderr lines, the second one last: the exit message quotes the last line.
    process.stderr.write("split on stderr: " + key.slice(0, 11) + "\\n" + key.slice(11) + "\\n");
    process.exit(3);
  }`);

describe("a plugin ending with a secret cut in its output", () => {
  let home: TestHome;
  const outputs: CliResult[] = [];
  let kept = "";

  beforeAll(async () => {
    home = inProcess(createHome({ books: 1 }));
    home.writeSecrets({ API_KEY: SECRET });
    home.plugin("cutter", { code: CUTTER, manifest: { requires_secrets: ["API_KEY"] } });
    expect((await home.cli(["scan"])).code).toBe(0);
    for (const args of [["process", "--json"], ["plugins", "health", "cutter", "--json"], ["plugins", "logs", "cutter"]]) outputs.push(await home.cli(args));
    const files = filesUnder(home.dataDir).filter((f) => !f.endsWith("secrets.json"));
    kept = outputs.map((o) => o.stdout + o.stderr).join("\n") + files.map((f) => fs.readFileSync(f, "latin1")).join("\n");
  });
  afterAll(() => home?.cleanup());

  test("the exit message quotes the last stderr line of the tail masked whole", () => {
    expect(outputs[0]!.stdout).toContain("exited with code 3: split on stderr: ***");
    expect(flat(kept)).not.toContain(flat(SECRET.slice(11)));
  });

  test("a line's end held as a secret's start is masked when the log flushes it at the end", () => {
    expect(outputs[2]!.stdout).toContain("cut at exit: ***");
    expect(flat(kept)).not.toContain(flat(SECRET.slice(0, 9)));
  });
});
