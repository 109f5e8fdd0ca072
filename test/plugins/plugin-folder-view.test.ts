/**
 * Which folder a plugin was loaded from: a drop-in linked into the plugin directory runs the files of the folder
 * the link leads to, and its author debugging it is told both (`plugins list --json`, `GET /api/plugins`).
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createHome, listedPlugin, nodePlugin, requireBuilt, type ListedPlugin, type TestHome } from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";
import type { ShelfService } from "../../src/server/service.js";
import { apiClient, closeApi, openApi } from "../server/inject.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let work: string;
const { call } = apiClient(() => app);

beforeAll(async () => {
  requireBuilt();
  home = inProcess(createHome());
  home.plugin("in-place", { code: nodePlugin(`process() { return null; }`) });
  // The author's working copy, elsewhere, linked in.
  const written = home.plugin("linked", { code: nodePlugin(`process() { return null; }`) });
  work = path.join(home.root, "work", "linked-plugin");
  fs.mkdirSync(path.dirname(work), { recursive: true });
  fs.renameSync(written, work);
  fs.symlinkSync(work, path.join(home.pluginDir, "linked"));
  fs.symlinkSync(path.join(home.root, "gone"), path.join(home.pluginDir, "broken"));
  ({ service, app } = await openApi(home));
});

afterAll(() => closeApi({ app, service, home }));

it("plugins list --json and /api/plugins give each plugin's folder as found and the folder its files are loaded from", async () => {
  const listed = await home.json<ListedPlugin[]>(["plugins", "list"]);
  const response = await call({ method: "GET", url: "/api/plugins" });
  expect(response.statusCode, response.body).toBe(200);
  const api = response.json() as Array<Record<string, unknown>>;
  const expected = {
    "in-place": { folder: path.join(home.pluginDir, "in-place"), real_folder: path.join(home.pluginDir, "in-place") },
    linked: { folder: path.join(home.pluginDir, "linked"), real_folder: work },
  };
  for (const [id, folders] of Object.entries(expected)) {
    expect(listedPlugin(listed, id)).toMatchObject(folders);
    expect(api.find((p) => p.id === id)).toMatchObject(folders);
  }
  const broken = listed.find((p) => p.folder === path.join(home.pluginDir, "broken"));
  expect(broken).toMatchObject({ state: "invalid", real_folder: null });
});
