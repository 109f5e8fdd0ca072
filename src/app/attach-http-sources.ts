/**
 * Every enabled HTTP source of config `http_sources` becomes a registered
 * layer, next to the plugins, with the plugins' health rules: calls recorded
 * per batch, auto-disabled after `auto_disable_after` consecutive failures
 * (stored, so it holds across runs), state per source.
 */
import type { Session } from "./session.js";
import { loadSharedSecrets } from "../config/config-file.js";
import { ownServerPorts } from "../config/own-server.js";
import type { HttpSourceDefinition } from "../config/http-source-schema.js";
import type { Layer } from "../pipeline/layer.js";
import type { WebCallRecord } from "../pipeline/web-source.js";
import { builtinIdProblem } from "../domain/plugin-id.js";
import { createHttpSourceLayer } from "../pipeline/sources/http-source-layer.js";
import { isFailureOutcome, recordSourceCalls, setSourceState, storedHealth } from "./http-source-health.js";
import { ADVICE, sentence } from "../domain/command-advice.js";
import { credentialScope, type CredentialScope } from "./source-credential.js";

// The call's own words (a plugin's error, a service's answer) are put back as they were on a page, whatever they hold.
const AUTO_DISABLED = sentence`auto-disabled after ${0} consecutive failures (last: ${1}`;


export type SourceState = "active" | "disabled" | "auto-disabled" | "invalid";

export interface SourceEntry {
  definition: HttpSourceDefinition;
  state: SourceState;
  reason: string | null;
  layer: Layer | null;
}

type LogLine = (line: string) => void;

/** Why this id cannot be a source's, or null. */
export function idCollision(id: string, pluginIds: Iterable<string | null>): string | null {
  const builtin = builtinIdProblem(id);
  if (builtin !== null) return builtin;
  // Told apart as plugin ids are from each other (without case): "OpenLib" beside "openlib" reads as one layer.
  for (const pluginId of pluginIds) {
    if (pluginId !== null && pluginId.toLowerCase() === id.toLowerCase()) {
      return pluginId === id ? `id "${id}" is already the id of a plugin; rename the source (or the plugin)` : `id "${id}" is already the id of plugin "${pluginId}" (ids are told apart without case); rename the source (or the plugin)`;
    }
  }
  return null;
}

/** Each source's state, and for the active ones a layer with health recording (not yet registered). */
export function loadHttpSources(session: Session, pluginIds: Iterable<string | null>, log?: LogLine): SourceEntry[] {
  const definitions = session.config.http_sources;
  if (definitions.length === 0) return [];
  const secrets = loadSharedSecrets(session.layout.root);
  const scope = credentialScope(session, definitions);
  const ids = [...pluginIds];
  return definitions.map((definition) => {
    const entry: SourceEntry = { definition, state: "active", reason: null, layer: null };
    const collision = idCollision(definition.id, ids);
    const stored = storedHealth(session.db, definition.id);
    if (collision !== null) {
      entry.state = "invalid";
      entry.reason = collision;
    } else if (!definition.enabled) {
      entry.state = "disabled";
      entry.reason = `enabled: false in config.json (${ADVICE.sourceEnable.cli()})`;
    } else if (stored?.state === "auto-disabled" || stored?.state === "disabled") {
      entry.state = stored.state;
      entry.reason = stored.reason;
    } else {
      try {
        entry.layer = managedLayer(session, entry, secrets, scope, stored?.consecutive_failures ?? 0);
      } catch (error) {
        entry.state = "invalid";
        entry.reason = (error as Error).message;
      }
    }
    if (entry.state === "invalid" || entry.state === "auto-disabled") {
      log?.(`http source ${definition.id}: ${entry.state}: ${entry.reason}`);
      session.log.warn({ event: "http_source_not_loaded", source: definition.id, state: entry.state }, entry.reason ?? "");
    }
    return entry;
  });
}

function managedLayer(session: Session, entry: SourceEntry, secrets: Record<string, string>, scope: CredentialScope, storedFailures: number): Layer {
  const id = entry.definition.id;
  const limit = session.config.auto_disable_after;
  let failures = storedFailures;
  let buffer: WebCallRecord[] = [];
  const flush = () => {
    const calls = buffer;
    buffer = [];
    recordSourceCalls(session.db, id, calls, inner.peakInFlight());
  };
  const inner = createHttpSourceLayer(entry.definition, {
    secrets,
    pluginSecrets: scope.pluginSecrets,
    ownServerPorts: () => ownServerPorts(session.layout.root),
    confidenceThreshold: session.config.confidence_threshold,
    onCall(record) {
      // A paused call (breaker open: no request; or the service's quota, HTTP 429) says nothing about the API's health.
      if (record.outcome === "paused") return undefined;
      buffer.push(record);
      if (record.outcome === "skipped") return undefined;
      failures = isFailureOutcome(record.outcome) ? failures + 1 : 0;
      if (failures < limit || entry.state !== "active") return undefined;
      flush();
      const reason = AUTO_DISABLED(failures, `${record.outcome}${record.error ? `: ${record.error}` : ""})`);
      setSourceState(session.db, id, "auto-disabled", reason.slice(0, 1000));
      entry.state = "auto-disabled";
      entry.reason = reason;
      session.log.warn({ event: "http_source_auto_disabled", source: id }, reason);
      return "stop";
    },
  });
  return {
    info: inner.info,
    sourceId: inner.sourceId,
    weight: inner.weight,
    identity: inner.identity,
    wants: inner.wants,
    takeRunNotes: () => inner.takeRunNotes(),
    async processBatch(books, ctx) {
      if (entry.state !== "active") return [];
      try {
        return await inner.processBatch(books, ctx);
      } finally {
        flush();
      }
    },
    async close() {
      flush();
      await inner.close();
    },
  };
}

const attached = new WeakMap<Session, SourceEntry[]>();

/** Registers the active sources' layers; called where plugins are attached, after them. */
export function attachHttpSources(session: Session, pluginIds: Iterable<string | null>, log?: LogLine): SourceEntry[] {
  const entries = loadHttpSources(session, pluginIds, log);
  for (const entry of entries) if (entry.layer !== null) session.registry.register(entry.layer);
  attached.set(session, entries);
  return entries;
}

/** The sources the last attach of this session found, registered or not (for the layers view). */
export function attachedSources(session: Session): readonly SourceEntry[] {
  return attached.get(session) ?? [];
}

/**
 * After a definition changed (the web form saved, enabled or reset a source):
 * the old source layers are unregistered and closed, the current ones attached.
 */
export async function reattachHttpSources(session: Session, pluginIds: Iterable<string | null>, log?: LogLine): Promise<SourceEntry[]> {
  const old = attached.get(session) ?? [];
  for (const entry of old) {
    if (entry.layer === null) continue;
    if (session.registry.get(entry.definition.id) === entry.layer) session.registry.unregister(entry.definition.id);
    await entry.layer.close?.();
  }
  return attachHttpSources(session, pluginIds, log);
}
