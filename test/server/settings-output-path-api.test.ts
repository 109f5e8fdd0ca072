/**
 * The Settings page sets and unsets output_path (it was `config set` only), with the checks `config set` makes,
 * in its words (app/folder-settings.ts), each beside the field, and the server uses the new value at once.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import * as S from "../../src/server/schemas.js";
import { PlanPage } from "../../src/server/routes/organize.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { apiClient, closeApi, openApi } from "./inject.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
const { ok, call } = apiClient(() => app);

const configOn = () => JSON.parse(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")) as Record<string, unknown>;

/** A PUT of output_path refused: 400, its problem named with the field, config.json as it was. */
async function refused(value: string): Promise<string> {
  const before = fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8");
  const response = await call({ method: "PUT", url: "/api/settings", json: { values: { output_path: value } } });
  expect(response.statusCode, response.body).toBe(400);
  const body = S.FieldErrorBody.parse(response.json());
  expect(body.fields!.map((f) => f.field)).toEqual(["output_path"]);
  expect(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).toBe(before);
  return body.fields![0]!.message;
}

beforeAll(async () => {
  home = createHome({ books: 1, config: { naming_template: "{author}/{title}" } });
  ({ service, app } = await openApi(home, { pages: false }));
  service.startScan();
  await service.idle();
  service.startProcess({});
  await service.idle();
});

afterAll(() => closeApi({ app, service, home }));

describe("output_path on the Settings page", () => {
  it("is listed with the page's settings, empty when unset", async () => {
    const view = await ok(S.SettingsView, { method: "GET", url: "/api/settings" });
    expect(view.settings.find((s) => s.key === "output_path")).toMatchObject({ type: "string", value: null });
  });

  it("refuses what `config set` refuses, in the same words, beside the field", async () => {
    const file = path.join(home.root, "a-file");
    fs.writeFileSync(file, "x");
    for (const value of [file, "/", home.dataDir, path.dirname(home.library), `${home.root}/Sorted\nBooks`]) {
      const message = await refused(value);
      const cli = await runCliInProcess(["config", "set", "output_path", value], { dataDir: home.dataDir });
      expect(cli.code, cli.stderr).toBe(2);
      // The CLI names the file it did not write first; the reason after it is the page's.
      expect(cli.stderr.replace(/\s+/g, " ")).toContain(message.replace(/\s+/g, " ").slice(0, 60));
    }
    expect(await refused(file)).toMatch(/is a file, not a folder; give a folder/);
    expect(await refused("/")).toMatch(/is the root of the file system/);
  });

  it("says on the page to empty the field where the CLI says null, a folder named with those words kept as it is", async () => {
    const cli = await runCliInProcess(["config", "set", "output_path", "/"], { dataDir: home.dataDir });
    expect(cli.stderr.replace(/\s+/g, " ")).toContain("or null to keep each book in its library folder");
    const root = await refused("/");
    expect(root).toMatch(/or empty the field \(output_path under Configuration on the Settings page\) to keep each book in its library folder/);
    expect(root).not.toMatch(/\bnull\b/);
    const named = path.join(home.dataDir, "Sorted, or null to keep each book in its library folder");
    const inside = await refused(named);
    expect(inside).toContain(named);
    expect(inside).toMatch(/in full \(such as ~\/Audiobooks\/Sorted\), or empty the field .* \(books moved there already: move them out by hand, and Scan library on the dashboard finds them/);
  });

  it("sets a folder not made yet with a note, used at once by the plan; empty unsets it", async () => {
    const sorted = path.join(home.root, "Sorted");
    const saved = await ok(S.SettingsSavedView, { method: "PUT", url: "/api/settings", json: { values: { output_path: sorted }, base: { output_path: null } } });
    expect(saved.settings.find((s) => s.key === "output_path")!.value).toBe(sorted);
    expect(saved.notes).toEqual([expect.stringMatching(/^output_path .*Sorted does not exist yet: apply makes it when it first moves a book there$/)]);
    expect(configOn().output_path).toBe(sorted);
    const plan = await ok(PlanPage, { method: "GET", url: "/api/plan" });
    expect(plan.entries.length).toBeGreaterThan(0);
    expect(plan.entries.every((m) => m.target_root === sorted)).toBe(true);
    // `config set` warns the same of a folder not made yet, and takes it.
    const cli = await runCliInProcess(["config", "set", "output_path", `${sorted}2`], { dataDir: home.dataDir });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr.replace(/\s+/g, " ")).toContain(`warning: output_path ${sorted}2 does not exist yet: apply makes it when it first moves a book there`);
    service.reloadConfig();
    const unset = await ok(S.SettingsSavedView, { method: "PUT", url: "/api/settings", json: { values: { output_path: "" }, base: { output_path: `${sorted}2` } } });
    expect(unset.settings.find((s) => s.key === "output_path")!.value).toBeNull();
    expect(unset.notes).toEqual([]);
    const after = await ok(PlanPage, { method: "GET", url: "/api/plan" });
    expect(after.entries.length > 0 && after.entries.every((m) => m.target_root === home.library)).toBe(true);
  });

  it("notes an output_path on a read-only mount as held there (read_only, plain text on a page), not as a permission to give (root too)", async (ctx) => {
    if (process.getuid?.() !== 0) return ctx.skip(); // mounts a file system
    const ro = path.join(home.root, "read-only-mount");
    fs.mkdirSync(ro);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", ro], { stdio: "ignore" });
    } catch {
      return ctx.skip(); // no mount here (a container without the capability)
    }
    try {
      const saved = await ok(S.SettingsSavedView, { method: "PUT", url: "/api/settings", json: { values: { output_path: ro } } });
      const notes = saved.notes.join("\n");
      expect(notes).toContain(`output_path ${ro} is on a read-only mount: plan and apply hold every book bound there (read_only) and move none of them until it is mounted read-write`);
      expect(notes).not.toMatch(/cannot be written by this user|would fail|`/);
    } finally {
      execFileSync("umount", [ro]);
      await ok(S.SettingsSavedView, { method: "PUT", url: "/api/settings", json: { values: { output_path: "" } } });
    }
  });

  it.skipIf(process.getuid?.() === 0)("notes a folder this user cannot write to", async () => {
    const locked = path.join(home.root, "read-only");
    fs.mkdirSync(locked, { recursive: true });
    fs.chmodSync(locked, 0o555);
    try {
      const saved = await ok(S.SettingsSavedView, { method: "PUT", url: "/api/settings", json: { values: { output_path: locked } } });
      expect(saved.notes.join("\n")).toMatch(/cannot be written by this user: plan and apply hold every book bound there \(permission_denied\) and move none of them until it can/);
    } finally {
      fs.chmodSync(locked, 0o755);
      await ok(S.SettingsSavedView, { method: "PUT", url: "/api/settings", json: { values: { output_path: "" } } });
    }
  });

  it("says on the dashboard what to choose instead when a scan is refused for an output_path set by hand", async () => {
    const before = fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8");
    try {
      const named = path.join(home.root, "Sorted, or null to keep each book in its library folder");
      fs.mkdirSync(path.join(named, "in"), { recursive: true });
      // Root, home folder, data folder, and a folder inside the data folder whose own name holds the CLI's words.
      for (const folder of ["/", os.homedir(), home.dataDir, path.join(home.dataDir, "Sorted, or null to keep each book in its library folder")]) {
        fs.writeFileSync(path.join(home.dataDir, "config.json"), JSON.stringify({ ...JSON.parse(before), output_path: folder }));
        await ok(S.JobView, { method: "POST", url: "/api/scan" }, 202);
        await service.idle();
        const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
        expect(status.last_job!.state).toBe("failed");
        const said = [status.last_job!.message!, status.activity.find((a) => a.level === "error")!.message];
        for (const text of said) {
          expect(text).toContain(`output_path ${folder}`);
          expect(text.replace(folder, "")).not.toMatch(/\bnull\b/);
          expect(text).toMatch(/or empty the field \(output_path under Configuration on the Settings page\) to keep each book in its library folder/);
        }
      }
    } finally {
      fs.writeFileSync(path.join(home.dataDir, "config.json"), before);
    }
  });
});
