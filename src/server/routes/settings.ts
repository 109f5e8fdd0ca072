import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { ConfigError } from "../../config/config-file.js";
import { changeConfig } from "../../app/settings-writes.js";
import type { ShelfService } from "../service.js";
import { ErrorBody, FieldErrorBody, LibraryRequest, LibraryView, SettingsRequest, SettingsView } from "../schemas.js";
import { folderState, settingsChange, settingsView } from "../settings.js";
import { ApiError } from "../zod-routes.js";
import { defaultConfig } from "../../config/config-schema.js";

function saveConfig(service: ShelfService, change: (raw: Record<string, unknown>) => void): void {
  try {
    service.withDataLock("settings", () => changeConfig(service.dataDir, change));
  } catch (error) {
    if (error instanceof ConfigError) throw new ApiError(400, error.message);
    throw error;
  }
  service.reloadConfig();
}

export function settingsRoutes(app: FastifyInstance, service: ShelfService): void {
  const view = () => ({ settings: settingsView(service.session), config_file: service.session.loaded.file });
  const library = () => ({ folders: service.session.config.library_paths.map((p) => folderState(service.session.layout.root, p)) });

  app.get("/api/settings", { schema: { response: { 200: SettingsView } }, config: { summary: "The config keys with their documentation, values and defaults" } }, async () => view());

  app.put(
    "/api/settings",
    { schema: { body: SettingsRequest, response: { 200: SettingsView, 400: FieldErrorBody, 409: ErrorBody } }, config: { summary: "Change config keys (validated before saving; each problem named with its key in `fields`)" } },
    async (request) => {
      const { values, base } = request.body as { values: Record<string, unknown>; base?: Record<string, unknown> };
      const { set, errors } = settingsChange(values);
      if (errors.length) throw new ApiError(400, errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
      saveConfig(service, (raw) => {
        if (base) {
          // Read under the lock the write holds: each key as the page shows it (a default when config.json has none).
          const defaults = defaultConfig() as Record<string, unknown>;
          const now = (key: string) => JSON.stringify(raw[key] ?? defaults[key] ?? null);
          const changedElsewhere = Object.keys(set).filter(
            (key) => Object.hasOwn(base, key) && now(key) !== JSON.stringify(base[key] ?? null) && now(key) !== JSON.stringify(set[key] ?? defaults[key] ?? null),
          );
          if (changedElsewhere.length > 0) {
            throw new ApiError(409, `changed elsewhere (another tab or a command) since this page loaded them: ${changedElsewhere.join(", ")}; reload the page to see them (nothing was saved)`);
          }
        }
        Object.assign(raw, set);
      });
      service.note("info", `settings saved: ${Object.keys(set).join(", ")}`);
      return view();
    },
  );

  app.get("/api/library", { schema: { response: { 200: LibraryView } }, config: { summary: "Library folders, each checked to exist and be readable" } }, async () => library());

  app.post(
    "/api/library",
    { schema: { body: LibraryRequest, response: { 200: LibraryView, 400: ErrorBody, 409: ErrorBody } }, config: { summary: "Add a library folder (it must exist and be readable)" } },
    async (request) => {
      const given = (request.body as { path: string }).path.trim();
      if (!path.isAbsolute(given)) throw new ApiError(400, `path: give an absolute folder path (got "${given}")`);
      const folder = path.resolve(given);
      const state = folderState(service.session.layout.root, folder);
      if (!state.exists) throw new ApiError(400, `path: ${folder} is not an existing folder`);
      if (!state.readable) throw new ApiError(400, `path: ${folder} cannot be read by shelfwise (check its permissions)`);
      if (!fs.readdirSync(folder).length) throw new ApiError(400, `path: ${folder} is empty (an unmounted drive?)`);
      saveConfig(service, (raw) => {
        const list = Array.isArray(raw.library_paths) ? (raw.library_paths as string[]) : [];
        if (!list.includes(folder)) list.push(folder);
        raw.library_paths = list;
      });
      service.note("info", `library folder added: ${folder}`);
      return library();
    },
  );

  app.delete(
    "/api/library",
    { schema: { body: LibraryRequest, response: { 200: LibraryView, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Remove a library folder (its books stay in the database)" } },
    async (request) => {
      const given = (request.body as { path: string }).path;
      if (!service.session.config.library_paths.includes(given)) throw new ApiError(404, `path: ${given} is not a library folder`);
      saveConfig(service, (raw) => {
        raw.library_paths = (raw.library_paths as string[]).filter((p) => p !== given);
      });
      service.note("info", `library folder removed: ${given}`);
      return library();
    },
  );
}
