/**
 * The Review page's plan (`/api/plan`) holds the books this user may not move
 * as `permission_denied`, in the words the CLI's `plan` holds them with. Tests
 * run as root, whom only a read-only mount or an immutable folder refuses: the
 * folder a book leaves is made immutable (`chattr +i`).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { runCliInProcessJson, runCliInProcessOk } from "../support/cli-in-process.js";
import type { ShelfService } from "../../src/server/service.js";
import type { PlanView } from "../../src/app/views/index.js";
import { PlanPage } from "../../src/server/routes/organize.js";
import { apiClient, closeApi, openApi } from "./inject.js";

let home: TestHome | undefined;
let service: ShelfService | undefined;
let app: FastifyInstance | undefined;
let immutable: string | undefined;
const { ok } = apiClient(() => app!);

afterEach(async () => {
  if (immutable) execFileSync("chattr", ["-i", immutable]);
  immutable = undefined;
  if (home) await closeApi({ app: app!, service: service!, home });
  home = service = app = undefined;
});

describe("the Review page's plan and permissions", () => {
  it("holds a book whose folder this user may not write in (permission_denied), with the CLI plan's words; the others move", async (ctx) => {
    home = createHome({ books: 0, config: { naming_template: "{author}/{title}", confidence_threshold: 10 } });
    const dune = path.join(home.library, "inbox", "Dune");
    const emma = path.join(home.library, "locked", "Emma");
    for (const [folder, artist, album] of [[dune, "Frank Herbert", "Dune"], [emma, "Jane Austen", "Emma"]] as const) {
      fs.mkdirSync(folder, { recursive: true });
      writeMp3(path.join(folder, "01.mp3"), { artist, album, title: "Chapter 1", track: "1" });
    }
    await runCliInProcessOk(["scan"], { dataDir: home.dataDir });
    await runCliInProcessOk(["process"], { dataDir: home.dataDir });
    try {
      execFileSync("chattr", ["+i", path.dirname(emma)], { stdio: "ignore" });
    } catch {
      ctx.skip(); // no immutable flag here (not root, or a file system without it)
    }
    immutable = path.dirname(emma);
    const cli = await runCliInProcessJson<PlanView>(["plan", "--json"], { dataDir: home.dataDir });
    ({ service, app } = await openApi(home, { pages: false }));
    const page = await ok(PlanPage, { method: "GET", url: "/api/plan" });
    const byFrom = new Map(page.entries.map((e) => [e.from, e]));
    expect(byFrom.get(dune)?.action).toBe("move");
    const held = byFrom.get(emma);
    expect(held?.action).toBe("held");
    expect(held?.conflict?.kind).toBe("permission_denied");
    expect(held?.conflict?.reason).toContain(path.dirname(emma));
    expect(page.counts).toEqual({ move: 1, ok: 0, held: 1 });
    // The same words as the CLI's plan, entry for entry.
    expect(page.entries).toEqual(cli.entries);
    expect(page.counts).toEqual(cli.counts);
  });
});
