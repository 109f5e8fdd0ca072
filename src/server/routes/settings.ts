import path from "node:path";
import type { FastifyInstance } from "fastify";
import { ConfigError } from "../../config/config-file.js";
import { changeConfig } from "../../app/settings-writes.js";
import { addLibraryFolder, removeLibraryFolder } from "../../app/library-paths.js";
import { FOLDER_KEYS, folderSettingProblem, outputPathNotes, outputPathProblem } from "../../app/folder-settings.js";
import type { ShelfService } from "../service.js";
import { ErrorBody, FieldErrorBody, LibraryAddView, LibraryRequest, LibraryView, SettingsRequest, SettingsSavedView, SettingsView } from "../schemas.js";
import { folderState, settingsChange, settingsView } from "../settings.js";
import { ApiError } from "../zod-routes.js";
import { defaultConfig } from "../../config/config-schema.js";
import { forPages, sentence } from "../../domain/command-advice.js";
import { userPath } from "../../config/user-path.js";

// A folder's name as it is on a page, whatever it holds (no advice in these: nothing of them is rewritten).
const FOLDER_ADDED = sentence`library folder added: ${0}`;
const FOLDER_REMOVED = sentence`library folder removed: ${0}`;

/** A folder the Add folder form cannot add: named by its field, so the page shows it beside it (and focuses it). */
function pathRefused(message: string): ApiError {
  return new ApiError(400, `path: ${message}`, [{ field: "path", message }]);
}

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
  const library = () => (service.followLibraryFolders(), { folders: service.session.config.library_paths.map((p) => folderState(service.session.layout.root, p)) });

  app.get("/api/settings", { schema: { response: { 200: SettingsView } }, config: { summary: "The config keys with their documentation, values and defaults" } }, async () => view());

  app.put(
    "/api/settings",
    { schema: { body: SettingsRequest, response: { 200: SettingsSavedView, 400: FieldErrorBody, 409: ErrorBody } }, config: { summary: "Change config keys (validated before saving; each problem named with its key in `fields`)" } },
    async (request) => {
      const { values, base } = request.body as { values: Record<string, unknown>; base?: Record<string, unknown> };
      const { set, errors } = settingsChange(values);
      // The checks `config set` makes of a folder it is given (app/folder-settings.ts), beside the field.
      for (const key of Object.keys(set).filter((k) => FOLDER_KEYS.has(k) && !errors.some((e) => e.field === k))) {
        const problem = key === "output_path" ? outputPathProblem(service.dataDir, service.session.config, set[key] as string | null) : folderSettingProblem(service.dataDir, key, set[key]);
        // In the page's words ("empty the field", not config.json's null), the folders it names kept as they are.
        const root = service.session.layout.root;
        const named = typeof set[key] === "string" ? [set[key] as string, userPath(set[key] as string, root)] : [];
        if (problem !== null) errors.push({ field: key, message: forPages(problem, [...named, path.resolve(service.dataDir), ...service.session.config.library_paths.map((p) => userPath(p, root))]) });
      }
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
      // In the page's words too (a hold's reason as plain text, not the CLI's backticks), the folder kept as it is.
      const written = typeof set.output_path === "string" ? [set.output_path, userPath(set.output_path, service.session.layout.root)] : [];
      const notes = Object.hasOwn(set, "output_path") ? outputPathNotes(service.dataDir, service.session.config, set.output_path as string | null).map((note) => forPages(note, written)) : [];
      return { ...view(), notes };
    },
  );

  app.get("/api/library", { schema: { response: { 200: LibraryView } }, config: { summary: "Library folders, each checked to exist and be readable" } }, async () => library());

  app.post(
    "/api/library",
    { schema: { body: LibraryRequest, response: { 200: LibraryAddView, 400: FieldErrorBody, 409: ErrorBody } }, config: { summary: "Add a library folder: the rules of `shelfwise library add` (it exists, is a readable folder holding something, not the root or home folder, not inside the data folder or output_path, not inside or holding another library folder)" } },
    async (request) => {
      const given = (request.body as { path: string }).path.trim();
      // The server's current folder means nothing to the person at the page: a path must say where it is.
      if (!path.isAbsolute(given)) throw pathRefused(`give an absolute folder path (got "${given}")`);
      const folder = path.resolve(given);
      // The rules of `shelfwise library add` (app/library-paths.ts), checked again under the lock by the write.
      let changed = false;
      try {
        changed = service.withDataLock("settings", () => addLibraryFolder(service.dataDir, folder));
      } catch (error) {
        if (error instanceof ConfigError) throw pathRefused(error.message);
        throw error;
      }
      service.reloadConfig();
      // A folder listed already (written another way: a trailing slash, `..`) is no change: the page says so, as `library add` does.
      if (changed) service.note("info", FOLDER_ADDED(folder));
      return { ...library(), path: folder, changed };
    },
  );

  app.delete(
    "/api/library",
    { schema: { body: LibraryRequest, response: { 200: LibraryView, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Remove a library folder (its books stay in the database)" } },
    async (request) => {
      const given = (request.body as { path: string }).path;
      // As the page lists it (the entry as written), or the folder it names.
      let removed = given;
      try {
        service.withDataLock("settings", () => (removed = removeLibraryFolder(service.dataDir, given, path.isAbsolute(given) ? path.resolve(given) : given)));
      } catch (error) {
        if (error instanceof ConfigError) throw new ApiError(404, `path: ${error.message}`);
        throw error;
      }
      service.reloadConfig();
      service.note("info", FOLDER_REMOVED(removed));
      return library();
    },
  );
}
