import type { FastifyInstance } from "fastify";
import { counted } from "../../domain/plural.js";
import type { z } from "zod";
import { loadConfig, loadSecrets, ownSecretProblem } from "../../config/config-file.js";
import { ownSettingProblem } from "../../config/own-setting-check.js";
import { changeConfig, changeSecrets } from "../../app/settings-writes.js";
import { checkPluginConfigFields } from "../../plugins/manifest/manifest-schema.js";
import type { PluginEntry } from "../../plugins/manager/plugin-manager.js";
import { clearFailedRuns, getPluginState, setPluginState } from "../../store/plugin-health.js";
import { pluginCallLog } from "../../store/book-queries.js";
import { callLogEntryView } from "../../app/views/index.js";
import type { ShelfService } from "../service.js";
import { startRecords } from "../plugin-start-view.js";
import { healthRow, logTail, pluginKey, pluginView, pluginViews, safeSecrets } from "../plugin-views.js";
import { secretSettingName, secretSettingNames } from "../../plugins/manifest/secret-settings.js";
import {
  CallLogQuery,
  CallLogView,
  ErrorBody,
  FieldErrorBody,
  HealthRow,
  HealthView,
  Ok,
  PluginConfigRequest,
  PluginDetailView,
  PluginIdParam,
  PluginSettingParam,
  PluginView,
  SecretGrantRequest,
  SecretRequest,
} from "../schemas.js";
import { grantSecrets, revokeSecrets } from "../../store/plugin-grants.js";
import { mergeSettings } from "../../domain/merge-settings.js";
import { ApiError } from "../zod-routes.js";
import { didYouMean } from "../../domain/closest-name.js";
import { ADVICE } from "../../domain/command-advice.js";

function findEntry(service: ShelfService, key: string): PluginEntry {
  // A folder refused an id is listed under it too: the id's settings and switches are its owner's.
  const matches = service.live.entries().filter((e) => pluginKey(e) === key);
  const entry = matches.find((e) => e.id_claim !== "refused") ?? matches[0];
  if (!entry) throw new ApiError(404, `no plugin "${key}"${didYouMean(key, service.live.entries().map(pluginKey))} in ${service.session.pluginDir}`);
  return entry;
}

function withId(entry: PluginEntry): string {
  if (!entry.id) throw new ApiError(409, `plugin folder ${entry.folder} has no valid id: fix its manifest first (${entry.reason ?? "invalid"})`);
  return entry.id;
}

export function pluginRoutes(app: FastifyInstance, service: ShelfService): void {
  const session = service.session;

  app.get("/api/plugins", { schema: { response: { 200: PluginView.array() } }, config: { summary: "Every plugin folder with its state, manifest, permissions, config and secrets (set or not)" } }, async () =>
    pluginViews(session, service.live.entries()),
  );

  app.get(
    "/api/plugins/:id",
    { schema: { params: PluginIdParam, response: { 200: PluginDetailView, 404: ErrorBody } }, config: { summary: "One plugin with its log tail" } },
    async (request) => {
      const entry = findEntry(service, (request.params as { id: string }).id);
      return { ...pluginView(session, entry, safeSecrets(session)), log_tail: entry.id ? logTail(session, entry.id) : [] };
    },
  );

  for (const action of ["enable", "disable", "reset"] as const) {
    app.post(
      `/api/plugins/:id/${action}`,
      {
        schema: { params: PluginIdParam, response: { 200: Ok, 404: ErrorBody, 409: ErrorBody } },
        config: { summary: action === "reset" ? "Re-enable an auto-disabled plugin, clear its failures and retry the books it failed" : `${action[0]!.toUpperCase()}${action.slice(1)} a plugin` },
      },
      async (request) => {
        const id = withId(findEntry(service, (request.params as { id: string }).id));
        const message = service.withDataLock(`plugins ${action} ${id}`, () => {
          if (action === "disable") {
            setPluginState(session.db, id, "disabled", `disabled by the user in the web app (${ADVICE.pluginEnable.cli()})`);
            return `plugin ${id} disabled`;
          }
          const wasAuto = getPluginState(session.db, id)?.state === "auto-disabled";
          setPluginState(session.db, id, "enabled", null, { resetFailures: true });
          const retried = action === "reset" || wasAuto ? clearFailedRuns(session.db, id, { inFlight: !service.isBusy() }) : 0;
          return `plugin ${id} enabled${retried ? `, ${counted(retried, "failed book")} will be retried` : ""}`;
        });
        service.note("info", message);
        await service.pluginsChanged();
        return { ok: true as const, message };
      },
    );
  }

  app.put(
    "/api/plugins/:id/config",
    { schema: { params: PluginIdParam, body: PluginConfigRequest, response: { 200: PluginView, 400: FieldErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Save a plugin's settings (validated by its config_schema)" } },
    async (request) => {
      const entry = findEntry(service, (request.params as { id: string }).id);
      const id = withId(entry);
      const { config: sent, base } = request.body as { config: Record<string, unknown>; base?: Record<string, unknown> };
      const schema = entry.discovered.manifest?.config_schema as Record<string, unknown> | undefined;
      const hidden = secretSettingNames(schema);
      // Read, merged, checked and written under the lock, from config.json as it is then: a command's change
      // made between a read and the write would otherwise be written over.
      service.withDataLock(`settings of plugin ${id}`, () =>
        changeConfig(service.dataDir, (raw) => {
          const all = (raw.plugin_configs && typeof raw.plugin_configs === "object" ? raw.plugin_configs : {}) as Record<string, unknown>;
          const saved = all[id];
          const stored = (saved && typeof saved === "object" && !Array.isArray(saved) ? saved : {}) as Record<string, unknown>;
          let given = sent;
          if (base) {
            // Against what the page showed (secret settings never reach it): the fields changed on the page only.
            const shown = Object.fromEntries(Object.entries(stored).filter(([key]) => !hidden.includes(key)));
            const { merged, conflicts } = mergeSettings(base, sent, shown);
            if (conflicts.length > 0) {
              throw new ApiError(
                409,
                `the settings of plugin ${id} were changed elsewhere (another tab or a command) since this page loaded them: ${conflicts.join(", ")}; reload the page to see them (nothing was saved)`,
              );
            }
            given = merged;
          }
          // The page never has a secret setting's value: left out (or empty), the stored one stays (secrets.json's,
          // else a copy hand-written into config.json, which moves to secrets.json now).
          const kept = loadSecrets(service.dataDir);
          const config = { ...given };
          for (const name of hidden) {
            const inSecrets = kept[secretSettingName(id, name)];
            const before = inSecrets !== undefined ? inSecrets : stored[name];
            if ((config[name] === undefined || config[name] === "") && before !== undefined) config[name] = before;
          }
          // shelfwise's own keys by shelfwise's one check, as `config set plugin_configs.ID.KEY` does (with or
          // without a config_schema); the schema judges the rest, and a field refused here is not named twice.
          const problems: string[] = [];
          const fields: { field: string; message: string }[] = [];
          for (const [key, value] of Object.entries(config)) {
            // A value already in config.json, not changed by this save, is left to the run (clamped, with a warning),
            // as `config set` judges only the key it sets: a hand-written value must not block saving another field.
            if (Object.hasOwn(stored, key) && JSON.stringify(stored[key]) === JSON.stringify(value)) continue;
            const refused = ownSettingProblem(id, key, value, "page");
            if (refused) (problems.push(refused.message), fields.push({ field: key, message: refused.rule }));
          }
          if (schema) {
            const checked = checkPluginConfigFields(id, schema, config);
            const named = new Set(fields.map((f) => f.field));
            problems.push(...checked.problems.filter((p) => ![...named].some((key) => p.startsWith(`plugin_configs.${id}.${key}:`))));
            fields.push(...checked.fields.filter((f) => !named.has(f.field)));
          }
          if (problems.length > 0) throw new ApiError(400, problems.join("; "), fields);
          // Checked whole (a required key may be a secret one), stored apart: secret settings in secrets.json only.
          const toSecrets: Record<string, string> = {};
          for (const name of hidden) {
            const value = config[name];
            if (value === undefined) continue;
            if (typeof value !== "string") {
              // Not text: secrets.json holds text only. A value hand-written into config.json stays there as it is.
              if (value === stored[name] && !Object.hasOwn(given, name)) continue;
              throw new ApiError(400, `${name}: a secret setting is kept in secrets.json, which holds text only: give it as text (nothing was saved)`, [
                { field: name, message: "must be text" },
              ]);
            }
            if (value !== "") toSecrets[secretSettingName(id, name)] = value;
            delete config[name];
          }
          // secrets.json first: a failure between the two writes leaves a copy in both, never none.
          if (Object.entries(toSecrets).some(([name, value]) => kept[name] !== value)) {
            changeSecrets(service.dataDir, (secrets) => Object.assign(secrets, toSecrets));
          }
          all[id] = config;
          raw.plugin_configs = all;
        }),
      );
      service.reloadConfig();
      service.note("info", `plugin ${id}: settings saved`);
      await service.pluginsChanged();
      return pluginView(session, findEntry(service, id), safeSecrets(session));
    },
  );

  app.delete(
    "/api/plugins/:id/config/:key",
    {
      schema: { params: PluginSettingParam, response: { 200: PluginView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
      config: { summary: "Clear a secret setting of a plugin (as `shelfwise secrets unset plugin_configs.ID.KEY`): the stored value is removed, never sent" },
    },
    async (request) => {
      const { key } = request.params as { id: string; key: string };
      const entry = findEntry(service, (request.params as { id: string }).id);
      const id = withId(entry);
      const hidden = secretSettingNames(entry.discovered.manifest?.config_schema as Record<string, unknown> | undefined);
      if (!hidden.includes(key)) {
        throw new ApiError(400, `${key}: not a secret setting of plugin ${id} (its secret settings: ${hidden.join(", ") || "none"}); a setting shown in the form is cleared there, emptied and saved`);
      }
      const name = secretSettingName(id, key);
      // secrets.json's value, and a copy hand-written into config.json (the form saves it to secrets.json): after a
      // clear the setting is not set anywhere, as the form then says.
      const cleared = service.withDataLock(`settings of plugin ${id}`, () => {
        let removed = false;
        if (name in loadSecrets(service.dataDir)) {
          changeSecrets(service.dataDir, (secrets) => {
            removed = name in secrets || removed;
            delete secrets[name];
          });
        }
        const stored = (loadConfig(service.dataDir).raw.plugin_configs as Record<string, unknown> | undefined)?.[id];
        if (stored && typeof stored === "object" && Object.hasOwn(stored, key)) {
          changeConfig(service.dataDir, (raw) => {
            const mine = (raw.plugin_configs as Record<string, unknown> | undefined)?.[id];
            if (mine && typeof mine === "object" && !Array.isArray(mine) && Object.hasOwn(mine, key)) {
              delete (mine as Record<string, unknown>)[key];
              removed = true;
            }
          });
        }
        return removed;
      });
      service.reloadConfig();
      service.note("info", cleared ? `plugin ${id}: secret setting ${key} cleared` : `plugin ${id}: secret setting ${key} was not set; nothing changed`);
      await service.pluginsChanged();
      return pluginView(session, findEntry(service, id), safeSecrets(session));
    },
  );

  app.put(
    "/api/plugins/:id/secrets",
    { schema: { params: PluginIdParam, body: SecretRequest, response: { 200: Ok, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Set a secret the plugin declares (write-only: never read back)" } },
    async (request) => {
      const entry = findEntry(service, (request.params as { id: string }).id);
      const id = withId(entry);
      const { name, value } = request.body as z.infer<typeof SecretRequest>;
      // First: shelfwise's own secrets are refused whatever the manifest says (a manifest asking for one is invalid anyway).
      const own = ownSecretProblem(name);
      if (own) throw new ApiError(400, `name: ${own}`);
      const declared = entry.discovered.manifest?.requires_secrets ?? [];
      if (!declared.includes(name)) throw new ApiError(400, `name: plugin ${id} does not declare a secret "${name}" (it declares: ${declared.join(", ") || "none"})`);
      service.withDataLock(`secret of plugin ${id}`, () => {
        changeSecrets(service.dataDir, (secrets) => {
          secrets[name] = value;
        });
        // Typed into this plugin's form: the user's word that this plugin may have it (the value may also be
        // another plugin's, by the same name: secrets.json is flat, as in Library Manager).
        grantSecrets(session.db, id, [name], "user");
      });
      service.note("info", `plugin ${id}: secret ${name} set and granted`);
      await service.pluginsChanged();
      return { ok: true as const, message: `secret ${name} set` };
    },
  );

  for (const action of ["grant", "revoke"] as const) {
    app.post(
      `/api/plugins/:id/${action}`,
      {
        schema: { params: PluginIdParam, body: SecretGrantRequest, response: { 200: Ok, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
        config: {
          summary:
            action === "grant"
              ? "Share with the plugin a secret of secrets.json it declares that another plugin has (or give back a revoked one)"
              : "Take a granted secret back: the plugin is skipped until it is granted again (a revoke sticks)",
        },
      },
      async (request) => {
        const entry = findEntry(service, (request.params as { id: string }).id);
        const id = withId(entry);
        const { name } = request.body as z.infer<typeof SecretGrantRequest>;
        const own = ownSecretProblem(name);
        if (own) throw new ApiError(400, `name: ${own}`);
        const declared = entry.discovered.manifest?.requires_secrets ?? [];
        if (action === "grant" && !declared.includes(name)) {
          throw new ApiError(400, `name: plugin ${id} does not declare a secret "${name}" (it declares: ${declared.join(", ") || "none"})`);
        }
        const changedNames = service.withDataLock(`secrets of plugin ${id}`, () =>
          action === "grant" ? grantSecrets(session.db, id, [name], "user") : revokeSecrets(session.db, id, [name], declared),
        );
        if (changedNames.length > 0) service.note("info", `plugin ${id}: secret ${name} ${action === "grant" ? "granted" : "revoked"}`);
        await service.pluginsChanged();
        const message = action === "grant" ? (changedNames.length ? `${name} granted to ${id}` : `${name} was already granted to ${id}`) : changedNames.length ? `${name} revoked from ${id}` : `${name} was not granted to ${id}`;
        return { ok: true as const, message };
      },
    );
  }

  app.get("/api/health", { schema: { response: { 200: HealthView } }, config: { summary: "Per plugin: success rate, durations, counts, failures, last errors, last start" } }, async () => {
    const starts = startRecords(session.db);
    const secrets = safeSecrets(session);
    return {
      plugins: service.live
        .entries()
        .filter((e) => e.id)
        .map((e) => healthRow(session, e, 0, starts, secrets)),
    };
  });

  app.get(
    "/api/health/:id",
    { schema: { params: PluginIdParam, response: { 200: HealthRow, 404: ErrorBody } }, config: { summary: "One plugin's health with its last 300 calls (the chart)" } },
    async (request) => {
      const entry = findEntry(service, (request.params as { id: string }).id);
      return healthRow(session, { ...entry, id: withId(entry) });
    },
  );

  app.get(
    "/api/health/:id/calls",
    { schema: { params: PluginIdParam, querystring: CallLogQuery, response: { 200: CallLogView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "A plugin's call log, newest first, filterable by outcome" } },
    async (request) => {
      const id = withId(findEntry(service, (request.params as { id: string }).id));
      const q = request.query as z.infer<typeof CallLogQuery>;
      const calls = pluginCallLog(session.db, id, { outcome: q.outcome, beforeId: q.before, limit: q.limit ?? 100 });
      return { calls: calls.map((c) => callLogEntryView({ ...c, plugin_id: id, resolved: c.resolved === 1 })) };
    },
  );
}
