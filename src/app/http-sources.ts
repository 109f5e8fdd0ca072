/**
 * HTTP sources for the entry points (CLI `sources`, the web app's form and
 * health views): list with state, test a definition (saved or not) against a
 * book, add/update/delete definitions in config.json, enable/disable/reset.
 * Secret values go only to secrets.json (saveSecret) and never into
 * config.json, output or logs.
 */
import { quotedInput } from "../domain/quoted-input.js";
import { didYouMean } from "../domain/closest-name.js";
import { loadSecrets, loadSharedSecrets, ownSecretProblem, ConfigError } from "../config/config-file.js";
import { fieldProblems } from "../config/issue-words.js";
import { changeConfig, changeSecrets } from "./settings-writes.js";
import {
  httpSourceSchema,
  type HttpSourceDefinition,
  type HttpSourceInput,
} from "../config/http-source-schema.js";
import { checkClaim } from "../domain/garbage.js";
import { discoverPlugins } from "../plugins/manifest/discovery.js";
import { lookalikeNote, readAs } from "../plugins/manager/read-as.js";
import { BUILTIN_LAYER_IDS } from "../domain/plugin-id.js";
import { ownServerPorts } from "../config/own-server.js";
import { cleanQueryValue, type WebQuery } from "../pipeline/web-source.js";
import { createHttpSourceLayer } from "../pipeline/sources/http-source-layer.js";
import { AUDIOBOOKSHELF_PRESET, PRESET_AUTH, resolveSource } from "../pipeline/sources/presets.js";
import type { MappedCandidate } from "../pipeline/sources/response-mapping.js";
import { idCollision, loadHttpSources } from "./attach-http-sources.js";
import { credentialScope } from "./source-credential.js";
import { credentialScopeProblem } from "../domain/credential-scope.js";
import { resetSource, setSourceState, sourceErrors, sourceP95, sourceStats, storedHealth } from "./http-source-health.js";
import type { Session } from "./session.js";
import { failedBookCount } from "../store/layer-runs.js";
import { mergeSettings } from "../domain/merge-settings.js";
import type { SourceListEntry, SourceTest } from "./views/sources.js";

export { SourceListEntrySchema, SourceListSchema, SourceTestSchema } from "./views/sources.js";
export type { SourceListEntry, SourceTest } from "./views/sources.js";

/** The book a test looks up; only title is required. */
export interface TestBook {
  title: string;
  author?: string | null;
  narrator?: string | null;
  series?: string | null;
  year?: string | null;
  isbn?: string | null;
  asin?: string | null;
}

const RAW_LIMIT = 4000;

/** The presets the form offers, with what each fills in. */
export const HTTP_SOURCE_PRESET_INFO = {
  audiobookshelf: {
    name: "Audiobookshelf custom metadata provider",
    needs: ["url", "auth.credential"],
    auth: PRESET_AUTH.audiobookshelf,
    fills: AUDIOBOOKSHELF_PRESET,
  },
} as const;

/** Ids of the plugins in the plugin folder (a source may not take one), without starting anything. */
export function pluginIds(session: Session): string[] {
  return pluginNames(session).map((plugin) => plugin.id);
}

/** The plugins' ids and names (a plugin folder that cannot be read: none). */
function pluginNames(session: Session): { id: string; name: string | null }[] {
  try {
    const found = discoverPlugins(session.pluginDir, { pluginConfigs: {}, secretNames: new Set() });
    return found.plugins.filter((plugin) => plugin.id !== null).map((plugin) => ({ id: plugin.id!, name: plugin.name ?? null }));
  } catch {
    return [];
  }
}

/**
 * A source's name that reads as a built-in layer's id, a plugin's id or name, or another source's (`Path`, `Pаth`
 * with a Cyrillic а): the pages show the name first, so a switch or a health page picked by name would be this
 * source's. Said as a warning naming its own id, as plugins get (plugins/manager/plugin-states.ts); nothing refused.
 */
function sourceNameWarnings(plugins: { id: string; name: string | null }[], sources: { id: string; name: string }[]): Map<string, string[]> {
  const taken: [string, string][] = [...BUILTIN_LAYER_IDS].map((id) => [readAs(id), `the built-in layer ${id}`]);
  for (const plugin of plugins) {
    taken.push([readAs(plugin.id), `plugin ${plugin.id}`]);
    if (plugin.name) taken.push([readAs(plugin.name), `plugin ${plugin.id}`]);
  }
  for (const source of sources) {
    taken.push([readAs(source.id), `HTTP source ${source.id}`]);
    if (source.name !== source.id) taken.push([readAs(source.name), `HTTP source ${source.id}`]);
  }
  const out = new Map<string, string[]>();
  for (const source of sources) {
    if (source.name === source.id) continue;
    const key = readAs(source.name);
    const whose = [...new Set(taken.filter(([k, who]) => k === key && who !== `HTTP source ${source.id}`).map(([, who]) => who))];
    if (whose.length === 0) continue;
    const note = lookalikeNote(source.name);
    out.set(source.id, [`name "${source.name}" reads as ${whose.join(", ")}${note ? ` (${note})` : ""}; this source's id is ${source.id} (the id is what switches, health and logs name)`]);
  }
  return out;
}

export function listHttpSources(session: Session): SourceListEntry[] {
  const plugins = pluginNames(session);
  const entries = loadHttpSources(
    session,
    plugins.map((plugin) => plugin.id),
  );
  const warnings = sourceNameWarnings(
    plugins,
    entries.map((entry) => resolveSource(entry.definition)),
  );
  try {
    return entries.map((entry) => {
      const source = resolveSource(entry.definition);
      const stored = storedHealth(session.db, source.id);
      const stats = sourceStats(session.db, source.id);
      const auth = source.auth;
      return {
        id: source.id,
        name: source.name,
        description: source.description,
        kind: "http" as const,
        preset: source.preset ?? null,
        method: source.method,
        url_template: source.url_template,
        auth: {
          type: auth.type,
          credential: auth.type === "none" ? null : auth.credential,
          header: auth.type === "header" ? auth.header : null,
          param: auth.type === "query" ? auth.param : null,
        },
        enabled: source.enabled,
        state: entry.state,
        reason: entry.reason,
        warnings: warnings.get(source.id) ?? [],
        order: source.order,
        source_weight: source.source_weight,
        concurrency: source.concurrency,
        max_requests_per_minute: source.max_requests_per_minute ?? null,
        allow_private: source.allow_private,
        health: {
          consecutive_failures: stored?.consecutive_failures ?? 0,
          total_processed: stored?.total_processed ?? 0,
          total_resolved: stored?.total_resolved ?? 0,
          total_skipped: stored?.total_skipped ?? 0,
          peak_in_flight: stored?.peak_in_flight ?? 0,
          success_rate: stats.success_rate,
          avg_duration_ms: stats.avg_duration_ms,
          p95_duration_ms: sourceP95(session.db, source.id),
          // As plugins' health says it: the newest call, a skip too (a source that skipped every book has run).
          last_run: stats.last_call,
          recent_errors: sourceErrors(session.db, source.id, 5),
          failed_books: failedBookCount(session.db, source.id),
        },
      };
    });
  } finally {
    for (const entry of entries) void entry.layer?.close?.();
  }
}

/** A definition checked by the config schema; a ConfigError naming each problem otherwise. */
/** A definition refused, with each problem by its key (`url_template`, `auth.header`): a form shows each beside its field. */
export class DefinitionError extends ConfigError {
  constructor(
    message: string,
    readonly fields: { field: string; message: string }[],
  ) {
    super(message);
  }
}

export function parseDefinition(input: unknown): HttpSourceDefinition {
  const parsed = httpSourceSchema().safeParse(input);
  if (parsed.success) return parsed.data;
  const id = typeof (input as { id?: unknown })?.id === "string" ? (input as { id: string }).id : "(new source)";
  // In the words config.json's loading says them (fieldProblems), each key once: the form, the CLI and the file agree.
  const problems = fieldProblems(parsed.error, input);
  throw new DefinitionError(
    `http source ${id}: ${problems.map((p) => (p.field === "" ? `definition: ${p.message}` : `"${p.field}"${p.message.startsWith("is not given") ? " " : ": "}${p.message}`)).join("; ")}`,
    problems,
  );
}

export function findDefinition(session: Session, id: string): HttpSourceDefinition {
  const found = session.config.http_sources.find((source) => source.id === id);
  if (found) return found;
  const known = session.config.http_sources.map((source) => source.id);
  throw new ConfigError(`no HTTP source with id ${quotedInput(id)}${didYouMean(id, known)}${known.length ? `; known: ${known.join(", ")}` : " (config http_sources is empty)"}`);
}

/** Tests a configured source by id. */
export function testConfiguredSource(session: Session, id: string, book: TestBook, signal?: AbortSignal): Promise<SourceTest> {
  return testHttpSource(session, findDefinition(session, id), book, signal);
}

/**
 * One real call with a definition, saved or not (the form's live test): the
 * masked URL, status, time, mapped candidates, the choice and the raw body.
 * Health is not recorded and the breaker and rate limit are not involved.
 */
export async function testHttpSource(
  session: Session,
  input: unknown,
  book: TestBook,
  signal?: AbortSignal,
  /** Secrets typed into a form and not saved yet (they win over secrets.json for this test only). */
  unsavedSecrets: Record<string, string> = {},
): Promise<SourceTest> {
  const definition = parseDefinition(input);
  if (typeof book.title !== "string" || book.title.trim() === "") throw new ConfigError("a test needs a book title (--title)");
  let layer;
  const scope = credentialScope(session, session.config.http_sources, definition.auth.type !== "none");
  try {
    layer = createHttpSourceLayer(definition, {
      secrets: { ...loadSharedSecrets(session.layout.root), ...unsavedSecrets },
      pluginSecrets: scope.pluginSecrets,
      confidenceThreshold: 100,
      ownServerPorts: () => ownServerPorts(session.layout.root),
    });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  try {
    const trace = await layer.trace(queryOfBook(book), signal);
    const raw = trace.body;
    return {
      id: definition.id,
      ok: trace.error === null,
      request: trace.request,
      status: trace.status,
      duration_ms: trace.duration_ms,
      error: trace.error,
      error_kind: trace.error_kind,
      candidates: trace.candidates.slice(0, 10).map((candidate) => maskValues(candidate, layer.redact)),
      candidate_count: trace.candidates.length,
      chosen: trace.chosen === null ? null : maskValues(trace.chosen, layer.redact),
      chosen_as_sent: Object.fromEntries(Object.entries(trace.chosen?.sent ?? {}).map(([field, sent]) => [field, { text: layer.redact(sent!.text), length: sent!.length }])),
      note: trace.note,
      answer_note: trace.call_note ?? null,
      claims: [
        ...trace.claims.map((claim) => {
          const verdict = checkClaim(claim.field, claim.value);
          return { field: claim.field, value: layer.redact(claim.value), accepted: verdict.ok, reason: verdict.ok ? null : verdict.reason, note: claim.basis === undefined ? null : layer.redact(claim.basis) };
        }),
        // A name field the mapping found only a number in: never claimed, shown refused with why.
        ...Object.entries(trace.chosen?.refused ?? {}).map(([field, refused]) => ({ field, value: layer.redact(refused!.value), accepted: false, reason: refused!.reason, note: null })),
      ],
      raw_response: raw === null ? null : raw.slice(0, RAW_LIMIT),
      raw_truncated: raw !== null && (trace.body_length ?? 0) > RAW_LIMIT,
    };
  } finally {
    await layer.close();
  }
}

/**
 * The values as `process` sends a book's (cleaned, each cut to its first 200 characters): a test asks what a run
 * would ask. A 10 KB title typed or pasted into the form went into the URL whole, and a line break as %0A.
 */
function queryOfBook(book: TestBook): WebQuery {
  const value = (v: string | null | undefined) => cleanQueryValue(v);
  return {
    title: value(book.title),
    author: value(book.author),
    narrator: value(book.narrator),
    series: value(book.series),
    year: value(book.year),
    isbn: value(book.isbn),
    asin: value(book.asin),
  };
}

function maskValues(candidate: MappedCandidate, redact: (text: string) => string): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(candidate.values).map(([field, value]) => [field, Array.isArray(value) ? value.map(redact) : redact(value as string)]),
  );
}

/**
 * Adds a definition, or replaces the one with id `replaceId` (an edit may
 * rename). Refuses ids of built-in layers and plugins, duplicates, and any
 * value of secrets.json found in the definition (name the key instead).
 */
/** An edit made on a stale form changed a field someone else changed too: nothing saved. */
export class SourceEditConflict extends Error {}

/**
 * Adds a source, or replaces `replaceId`'s definition. With `base` (the
 * definition as the form that edits it loaded it), only the fields changed
 * on the form are laid over the stored definition: another tab's edit or a
 * switch made since (disabled, renamed) stays; a field changed in both is a
 * SourceEditConflict.
 */
export function saveHttpSource(session: Session, input: HttpSourceInput | unknown, replaceId?: string, base?: Record<string, unknown>): HttpSourceDefinition {
  let definition = parseDefinition(input);
  const collision = idCollision(definition.id, pluginIds(session));
  if (collision !== null) throw new DefinitionError(`http source: ${collision}`, [{ field: "id", message: collision }]);
  refuseForeignCredential(session, definition);
  refuseSecretValues(session, input);
  let saved: HttpSourceDefinition | undefined;
  const config = changeConfig(session.layout.root, (raw) => {
    const list = Array.isArray(raw.http_sources) ? [...(raw.http_sources as { id?: unknown }[])] : [];
    const at = replaceId === undefined ? -1 : list.findIndex((item) => item?.id === replaceId);
    if (replaceId !== undefined && at < 0) throw new ConfigError(`no HTTP source with id "${replaceId}" to update`);
    if (list.some((item, i) => item?.id === definition.id && i !== at)) {
      throw new DefinitionError(`an HTTP source with id "${definition.id}" already exists`, [{ field: "id", message: "another HTTP source has this id" }]);
    }
    // The input as given (defaults stay implicit in config.json, as the user would write it).
    let stored = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
    const current = at >= 0 ? list[at] : undefined;
    if (base && current && typeof current === "object" && !Array.isArray(current)) {
      // As the form's base was read (defaults filled in), so a default left implicit in config.json is no change.
      const theirs = JSON.parse(JSON.stringify(parseDefinition(current))) as Record<string, unknown>;
      const { merged, conflicts } = mergeSettings(base, stored, theirs);
      if (conflicts.length > 0) {
        throw new SourceEditConflict(
          `HTTP source ${replaceId} was changed elsewhere (another tab or a command) since this form loaded it: ${conflicts.join(", ")}; open it again to see the change (nothing was saved)`,
        );
      }
      definition = parseDefinition(merged);
      refuseForeignCredential(session, definition);
      if (list.some((item, i) => item?.id === definition.id && i !== at)) throw new DefinitionError(`an HTTP source with id "${definition.id}" already exists`, [{ field: "id", message: "another HTTP source has this id" }]);
      stored = merged;
    }
    if (at >= 0) list[at] = stored;
    else list.push(stored);
    raw.http_sources = list;
  });
  saved = config.http_sources.find((source) => source.id === definition.id);
  session.config.http_sources = config.http_sources;
  return saved ?? definition;
}

export function deleteHttpSource(session: Session, id: string): void {
  findDefinition(session, id);
  const config = changeConfig(session.layout.root, (raw) => {
    raw.http_sources = (Array.isArray(raw.http_sources) ? raw.http_sources : []).filter((item: { id?: unknown }) => item?.id !== id);
  });
  session.config.http_sources = config.http_sources;
}

/** Switches the definition's `enabled`; enabling also lifts a stored disable or auto-disable. */
/** Switches a source in config.json; returns whether anything changed (false: it was already so, as `sources` says). */
export function setHttpSourceEnabled(session: Session, id: string, enabled: boolean): boolean {
  const definition = findDefinition(session, id);
  const stored = storedHealth(session.db, id)?.state;
  // Enabling also lifts an auto-disable (the stored state), so "already enabled" needs both switches on.
  const already = enabled ? definition.enabled && stored !== "auto-disabled" && stored !== "disabled" : !definition.enabled;
  const config = changeConfig(session.layout.root, (raw) => {
    for (const item of Array.isArray(raw.http_sources) ? raw.http_sources : []) {
      if ((item as { id?: unknown })?.id === id) (item as Record<string, unknown>).enabled = enabled;
    }
  });
  session.config.http_sources = config.http_sources;
  if (enabled && storedHealth(session.db, id)) setSourceState(session.db, id, "enabled", null, true);
  return !already;
}

/** Re-enables an auto-disabled source, clears its failure count; returns how many failed books will be retried. */
export function resetHttpSource(session: Session, id: string): number {
  findDefinition(session, id);
  return resetSource(session.db, id);
}

/** Stores a credential in secrets.json (mode 0600); config.json only ever names it. */
export function saveSecret(session: Session, name: string, value: string): void {
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(name)) throw new ConfigError("a secret name is 1 to 128 letters, digits, _ . or -");
  if (value === "") throw new ConfigError(`secret "${name}": the value is empty`);
  const own = ownSecretProblem(name);
  if (own) throw new ConfigError(own);
  changeSecrets(session.layout.root, (secrets) => {
    secrets[name] = value;
  });
}

/** A credential that is not this source's to use (domain/credential-scope.ts): nothing saved. */
function refuseForeignCredential(session: Session, definition: HttpSourceDefinition): void {
  if (definition.auth.type === "none") return;
  const problem = credentialScopeProblem(definition.id, definition.auth.credential, credentialScope(session, [], true).pluginSecrets);
  if (problem !== null) throw new DefinitionError(`${problem} (nothing was saved)`, [{ field: "auth.credential", message: problem }]);
}

function refuseSecretValues(session: Session, input: unknown): void {
  const text = JSON.stringify(input);
  for (const [name, value] of Object.entries(loadSecrets(session.layout.root))) {
    if (value.length >= 6 && text.includes(value)) {
      throw new ConfigError(`the definition contains the value of secret "${name}"; name the key in auth.credential instead (config.json never holds secrets)`);
    }
  }
}
