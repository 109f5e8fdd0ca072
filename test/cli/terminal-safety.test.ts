/**
 * Outside text on stderr (third CLI audit): config.json's keys quoted in its
 * warnings and a book's path in the notice of a recovered move reached the
 * terminal raw, so an escape sequence in them acted on the terminal (set its
 * title, cleared the screen), and so did commander's own errors quoting a
 * word of the command line (which may come from a file name: `shelfwise scan
 * *`). Shown with visible escapes like every value.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoveryNotice } from "../../src/cli/recovery-notice.js";
import { runCliInProcess as runCli, runCliInProcessOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
let tmp: string;
let data: string;

beforeAll(async () => {
  tmp = makeTempDir("terminal-safety");
  data = path.join(tmp, "data");
  await runCliInProcessOk(["init"], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

describe("outside text on stderr", () => {
  it("a config.json key with an escape sequence is warned about with the sequence shown, not sent", async () => {
    const file = path.join(data, "config.json");
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...config, "evil\u001b]0;PWNED\u0007\u009b2J": 1 }));
    const result = await runCli(["books"], { dataDir: data });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('unknown key "evil\\e]0;PWNED\\x07\\x9b2J"');
    expect(result.stderr).not.toMatch(RAW);
  });

  it("the notice of a recovered move shows the book's path and the error safely", () => {
    const lines = [
      recoveryNotice({ move_id: 7, book_id: 3, kind: "apply", outcome: "finished", path: "/lib/A\u001b[2J/B\u202e", error: null }),
      recoveryNotice({ move_id: 8, book_id: 4, kind: "undo", outcome: "failed", path: "/lib/x", error: "EACCES: /lib/\u001b]0;x\u0007" }),
    ];
    expect(lines[0]).toBe("shelfwise: recovered an interrupted move (journal 7): finished: book #3 is at /lib/A\\e[2J/B\\u202e\n");
    expect(lines[1]).toBe("shelfwise: recovered an interrupted undo (journal 8): could not settle book #4: EACCES: /lib/\\e]0;x\\x07\n");
  });

  it("commander's errors quote the word given with its escape sequences shown", async () => {
    const [option, word] = await Promise.all([runCli(["books", "--x\u001b]0;T\u0007", "--data-dir", data]), runCli(["bo\u001b[2Jks"])]);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe("shelfwise: unknown option '--x\\e]0;T\\x07' (books takes --data-dir, --status, --author, --series, --wide, --json, --quiet, --no-color); run with --help for usage\n");
    expect(word.code).toBe(2);
    expect(word.stderr).toMatch(/^shelfwise: unknown command 'bo\\e\[2Jks'[^\n]*; run with --help for usage\n$/);
  });
});
