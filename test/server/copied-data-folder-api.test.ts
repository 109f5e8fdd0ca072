/**
 * A server on a copied data folder (cp -a) says what the CLI's `status`, `plan`, `apply` and `undo` warn: Apply and
 * Undo there move the files of a library the original data folder manages. The dashboard's problems, the Review
 * page's plan and the apply and undo answers carry it, until the copy is pointed at a library of its own.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../support/cli-in-process.js";
import { removeTempDir } from "../support/temp-dir.js";
import { makeCopiedDataFolder } from "../support/copied-data-folder.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import * as S from "../../src/server/schemas.js";
import { ApplyDryRunPage, PlanPage } from "../../src/server/routes/organize.js";
import { apiClient } from "./inject.js";

let tmp: string;
let lib: string;
let data: string;
let copy: string;
let service: ShelfService;
let app: FastifyInstance;
const { ok } = apiClient(() => app);

beforeAll(async () => {
  ({ tmp, lib, data, copy } = await makeCopiedDataFolder("api-copied-data"));
  service = await ShelfService.open(copy, { autoRun: false, watch: false });
  app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
});

afterAll(async () => {
  await app?.close();
  await service?.close();
  removeTempDir(tmp);
});

// The CLI's warning in the pages' words: the original named, and the shared library.
const SAYS = (text: string) => {
  expect(text).toContain(`this data folder is a copy of ${data}, which manages the same library (${lib})`);
  expect(text).toContain("Apply and Undo here move that library's files");
};

describe("a server on a copied data folder", () => {
  it("says so on the dashboard, on the Review page's plan, and in the dry run's, apply's and undo's answers, as the CLI does", async () => {
    const cli = await runCliInProcess(["status"], { dataDir: copy });
    expect(cli.stderr).toMatch(/warning: this data folder is a copy of /);

    const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    const problem = status.problems.find((p) => p.kind === "copied_data_folder");
    SAYS(problem!.message);
    expect(problem!.link).toBe("#/settings");
    const plan = await ok(PlanPage, { method: "GET", url: "/api/plan" });
    expect(plan.counts.move).toBe(1);
    SAYS(plan.copy_of!.message);
    expect(plan.copy_of).toMatchObject({ original: data, shared: [lib] });
    const dry = await ok(ApplyDryRunPage, { method: "POST", url: "/api/apply", json: { dry_run: true } });
    SAYS(dry.copy_of!.message);

    const applied = await ok(S.MoveJobView, { method: "POST", url: "/api/apply", json: {} }, 202);
    SAYS(applied.copy_of!.message);
    await service.idle();
    expect(fs.existsSync(path.join(lib, "Dean Koontz - Watchers", "01.mp3"))).toBe(true);
    const undone = await ok(S.MoveJobView, { method: "POST", url: "/api/undo", json: { last: 1 } }, 202);
    SAYS(undone.copy_of!.message);
    await service.idle();
    expect(fs.existsSync(path.join(lib, "Dean Koontz", "Watchers", "01.mp3"))).toBe(true);
    const after = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(after.activity.filter((a) => a.level === "warn" && a.message.includes("is a copy of"))).toHaveLength(2);
  });

  it("stops saying it once the copy is pointed at a library of its own on the Settings page", async () => {
    await ok(S.LibraryView, { method: "POST", url: "/api/library", json: { path: path.join(tmp, "library-copy") } });
    await ok(S.LibraryView, { method: "DELETE", url: "/api/library", json: { path: lib } });
    const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(status.problems.map((p) => p.kind)).not.toContain("copied_data_folder");
    expect((await ok(PlanPage, { method: "GET", url: "/api/plan" })).copy_of).toBeNull();
    const cli = await runCliInProcess(["status"], { dataDir: copy });
    expect(cli.stderr).not.toMatch(/is a copy of/);
  });
});
