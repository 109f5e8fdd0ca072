/**
 * A fault of the machine met by the web server is told in the web app's words
 * (a request's 503: test/reliability/settings-files.test.ts; a job's failure here): nobody at a page has a
 * command to run again, and the data folder was chosen when `shelfwise serve`
 * started. The CLI keeps its own words.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { ShelfService } from "../../src/server/service.js";
import { describeEnvironmentError } from "../../src/app/environment-words.js";
import { inPageWords } from "../../src/server/page-words.js";

let home: TestHome;
let service: ShelfService;

/** Words only a command line can act on. */
const CLI_ONLY = /run the command again|use (another|a writable) --data-dir|run `shelfwise scan`/;

beforeAll(async () => {
  home = createHome({ books: 1 });
  service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
});

afterAll(async () => {
  await service?.close();
  home?.cleanup();
});

describe("the server's words for a fault of the machine", () => {
  it("a job that fails on a full disk says so in the same words", async () => {
    service.startJob("scan", "scan", async () => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", path: path.join(home.dataDir, "shelfwise.db-wal") });
    });
    await service.idle();
    const job = service.status().last_job!;
    expect(job.state).toBe("failed");
    expect(job.message).toBe(`the disk is full (writing ${path.join(home.dataDir, "shelfwise.db-wal")}); everything saved before this point is kept and the step in progress was rolled back; free some space on that disk and try again`);
  });

  it.each([
    ["ENOSPC", {}],
    ["EROFS", {}],
    ["EACCES", {}],
    ["EIO", {}],
    ["SQLITE_BUSY", {}],
    ["SQLITE_READONLY", {}],
    ["SQLITE_CORRUPT", {}],
  ])("%s: no command-line words from the server, the CLI's unchanged", (code) => {
    const error = Object.assign(new Error(code), { code });
    const server = describeEnvironmentError(error, home.dataDir, "server")!;
    const cli = describeEnvironmentError(error, home.dataDir)!;
    expect(server).not.toMatch(CLI_ONLY);
    expect(cli).toMatch(CLI_ONLY);
    expect(server).not.toBe(cli);
  });

  it.each(["ENOSPC", "EROFS", "EACCES", "EIO", "SQLITE_BUSY", "SQLITE_CORRUPT", "SQLITE_CANTOPEN"])(
    "%s: a data folder named like a command keeps its name on a page; only the advice is a page's",
    (code) => {
      const dataDir = path.join(home.dataDir, "run `shelfwise scan` now", "`shelfwise plugins enable x` turns it on");
      const error = Object.assign(new Error(code), { code });
      const words = describeEnvironmentError(error, dataDir, "server")!;
      expect(words).toContain(dataDir);
      // What the server sends (its 503's error): the same words, the folder's name untouched.
      expect(inPageWords({ error: words }).error).toBe(words);
      expect(words.split(dataDir).join("")).not.toContain("`shelfwise ");
    },
  );
});
