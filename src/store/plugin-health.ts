import type { Db } from "./database.js";
import { nowIso } from "./database.js";
import { statement } from "./statement-cache.js";
import { adoptHeldPluginId } from "./plugin-owners.js";

/** States a user or shelfwise sets; the others (active, invalid, skipped, failed) are computed at load. */
export type StoredPluginState = "enabled" | "disabled" | "auto-disabled";

export interface PluginStateRow {
  plugin_id: string;
  state: StoredPluginState;
  reason: string | null;
  consecutive_failures: number;
  total_processed: number;
  total_resolved: number;
  /** Calls the plugin declined (can_process false), ever. */
  total_skipped: number;
  /** Books a give-up left without a call (`not_run`), ever: not failures. */
  total_not_run: number;
  /** Most calls in flight at once in any run (concurrency). */
  peak_in_flight: number;
  updated_at: string;
}

export interface CallRow {
  plugin_id: string;
  book_id: number | null;
  at: string;
  outcome: string;
  duration_ms: number;
  resolved: boolean;
  error: string | null;
}

/** Newest calls kept per plugin; older rows are pruned so the table stays bounded. */
export const CALLS_KEPT_PER_PLUGIN = 2000;

export function getPluginState(db: Db, pluginId: string): PluginStateRow | undefined {
  return db.prepare("SELECT * FROM plugin_state WHERE plugin_id = ?").get(pluginId) as PluginStateRow | undefined;
}

export function setPluginState(
  db: Db,
  pluginId: string,
  state: StoredPluginState,
  reason: string | null,
  options: { resetFailures?: boolean } = {},
): void {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO plugin_state (plugin_id, state, reason, consecutive_failures, updated_at) VALUES (?, ?, ?, 0, ?)
       ON CONFLICT (plugin_id) DO UPDATE SET state = excluded.state, reason = excluded.reason,
         consecutive_failures = CASE WHEN ? THEN 0 ELSE consecutive_failures END, updated_at = excluded.updated_at`,
    ).run(pluginId, state, reason, nowIso(), options.resetFailures ? 1 : 0);
    // Every way of enabling (CLI, web Plugins page, pipeline page) passes here: it is also how a folder
    // waiting for an id whose owner left gets it (plugins/manifest/id-claims.ts).
    if (state === "enabled") adoptHeldPluginId(db, pluginId);
  })();
}

/**
 * The consecutive-failure rule, in one place: a failure adds one, a call that
 * ran without failing resets to zero, a skip, an interrupted call or a book not
 * run (its batch gave up: the losses that made it are counted) leaves the count alone. recordCalls stores it; the plugin manager applies it to calls
 * not stored yet to decide an auto-disable mid-batch.
 */
export function nextFailureCount(count: number, outcome: string, isFailure: (outcome: string) => boolean): number {
  if (outcome === "skipped" || outcome === "interrupted" || outcome === "not_run") return count;
  return isFailure(outcome) ? count + 1 : 0;
}

/**
 * Records a batch of calls and the plugin's running counters (in the
 * caller's transaction when there is one: better-sqlite3 nests it as a
 * savepoint), then prunes old rows. Works for any source with a call log
 * (plugins, HTTP sources). Returns the consecutive failure count.
 */
export function recordCalls(
  db: Db,
  pluginId: string,
  calls: CallRow[],
  isFailure: (outcome: string) => boolean,
  /** Calls in flight at once during these calls, when the source runs several. */
  peakInFlight = 0,
): number {
  // Prepared once per database: this runs after every batch of every plugin.
  const insert = statement(
    db,
    "INSERT INTO plugin_calls (plugin_id, book_id, at, outcome, duration_ms, resolved, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const readState = statement(db, "SELECT consecutive_failures FROM plugin_state WHERE plugin_id = ?");
  const updateState = statement(
    db,
    `INSERT INTO plugin_state (plugin_id, state, reason, consecutive_failures, total_processed, total_resolved, total_skipped, total_not_run, peak_in_flight, updated_at)
     VALUES (?, 'enabled', NULL, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (plugin_id) DO UPDATE SET consecutive_failures = excluded.consecutive_failures,
       total_processed = total_processed + excluded.total_processed,
       total_skipped = total_skipped + excluded.total_skipped,
       total_not_run = total_not_run + excluded.total_not_run,
       total_resolved = total_resolved + excluded.total_resolved,
       peak_in_flight = max(peak_in_flight, excluded.peak_in_flight), updated_at = excluded.updated_at`,
  );
  const oldest = statement(db, "SELECT id FROM plugin_calls WHERE plugin_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?");
  const prune = statement(db, "DELETE FROM plugin_calls WHERE plugin_id = ? AND id <= ?");
  let failures = 0;
  db.transaction(() => {
    failures = (readState.get(pluginId) as { consecutive_failures: number } | undefined)?.consecutive_failures ?? 0;
    let processed = 0;
    let resolved = 0;
    let skipped = 0;
    let notRun = 0;
    for (const call of calls) {
      insert.run(pluginId, call.book_id, call.at, call.outcome, call.duration_ms, call.resolved ? 1 : 0, call.error);
      failures = nextFailureCount(failures, call.outcome, isFailure);
      if (call.outcome === "skipped") {
        skipped++;
        continue;
      }
      // shelfwise stopped during the call: the plugin did nothing wrong and nothing right (logged, not counted).
      if (call.outcome === "interrupted") continue;
      if (call.outcome === "not_run") {
        notRun++;
        continue;
      }
      // No book: not a call but the plugin's process lost (plugin-layer.ts), a failure that processed nothing.
      if (call.book_id === null && call.outcome === "crash") continue;
      processed++;
      if (call.resolved) resolved++;
    }
    updateState.run(pluginId, failures, processed, resolved, skipped, notRun, peakInFlight, nowIso());
    // Pruned in steps of a tenth: the table stays bounded without a delete after every batch.
    const cut = oldest.get(pluginId, CALLS_KEPT_PER_PLUGIN + CALLS_KEPT_PER_PLUGIN / 10) as { id: number } | undefined;
    if (cut) prune.run(pluginId, (oldest.get(pluginId, CALLS_KEPT_PER_PLUGIN) as { id: number }).id);
  })();
  return failures;
}

export function recentCalls(db: Db, pluginId: string, limit: number): CallRow[] {
  const rows = db
    .prepare("SELECT * FROM plugin_calls WHERE plugin_id = ? ORDER BY id DESC LIMIT ?")
    .all(pluginId, limit) as (Omit<CallRow, "resolved"> & { resolved: number })[];
  return rows.map((row) => ({ ...row, resolved: row.resolved === 1 }));
}

export interface CallStats {
  success_rate: number | null;
  avg_duration_ms: number | null;
  last_run: string | null;
  /** Time of the newest call of any outcome (a skip too; not one shelfwise interrupted, nor a book not run). */
  last_call: string | null;
}

/** Success rate and mean duration over the last `window` calls that ran (skips excluded, and the rows of a lost process: a crash that names no book). */
export function callStats(db: Db, pluginId: string, window = 50): CallStats {
  const row = db
    .prepare(
      `SELECT count(*) AS n, sum(outcome IN ('ok', 'no_result')) AS good, avg(duration_ms) AS avg, max(at) AS last
       FROM (SELECT outcome, duration_ms, at FROM plugin_calls
             WHERE plugin_id = ? AND outcome NOT IN ('skipped', 'interrupted', 'not_run') AND NOT (book_id IS NULL AND outcome = 'crash') ORDER BY id DESC LIMIT ?)`,
    )
    .get(pluginId, window) as { n: number; good: number | null; avg: number | null; last: string | null };
  return {
    success_rate: row.n ? (row.good ?? 0) / row.n : null,
    avg_duration_ms: row.avg === null ? null : Math.round(row.avg * 10) / 10,
    last_run: row.last,
    last_call:
      (
        db
          .prepare("SELECT at FROM plugin_calls WHERE plugin_id = ? AND outcome NOT IN ('interrupted', 'not_run') ORDER BY id DESC LIMIT 1")
          .get(pluginId) as { at: string } | undefined
      )?.at ?? null,
  };
}

/** Durations of the last `window` calls that ran (the calls callStats averages), fastest first. */
export function recentDurations(db: Db, pluginId: string, window = 50): number[] {
  const rows = db
    .prepare(
      `SELECT duration_ms FROM (SELECT duration_ms FROM plugin_calls
         WHERE plugin_id = ? AND outcome NOT IN ('skipped', 'interrupted', 'not_run') AND NOT (book_id IS NULL AND outcome = 'crash') ORDER BY id DESC LIMIT ?)
       ORDER BY duration_ms`,
    )
    .all(pluginId, window) as { duration_ms: number }[];
  return rows.map((row) => row.duration_ms);
}

/**
 * The plugin's own errors: a call shelfwise interrupted says so in the call log, not here, as does an answer
 * taken without some of its values (`ok`, `no_result` with a note).
 */
export function recentErrors(db: Db, pluginId: string, limit = 5): { message: string; timestamp: string; outcome: string }[] {
  return db
    .prepare(
      `SELECT error AS message, at AS timestamp, outcome FROM plugin_calls
       WHERE plugin_id = ? AND error IS NOT NULL AND outcome NOT IN ('interrupted', 'not_run', 'ok', 'no_result') ORDER BY id DESC LIMIT ?`,
    )
    .all(pluginId, limit) as { message: string; timestamp: string; outcome: string }[];
}

/**
 * Lets failed books be retried after `plugins reset`; returns how many.
 * With `inFlight`, also the books a crash left with the layer (their in-flight
 * marks, store/layer-runs.ts): the reset is the user's request to send them
 * again, and a mark left in place would turn into an `interrupted` error at
 * the next run, to be reset a second time. Only when no run of the layer is
 * in progress (the CLI holds the data-folder lock; `serve` passes false while
 * its own job runs, whose batch in flight owns its marks).
 */
export function clearFailedRuns(db: Db, layerId: string, options: { inFlight?: boolean } = {}): number {
  return db
    .transaction(() => {
      let retried = 0;
      if (options.inFlight) {
        retried += db
          .prepare(
            `DELETE FROM layer_inflight WHERE layer_id = ?
               AND NOT EXISTS (SELECT 1 FROM layer_runs r WHERE r.book_id = layer_inflight.book_id AND r.layer_id = ? AND r.status = 'error')`,
          )
          .run(layerId, layerId).changes;
        db.prepare("DELETE FROM layer_inflight WHERE layer_id = ?").run(layerId);
      }
      return retried + db.prepare("DELETE FROM layer_runs WHERE layer_id = ? AND status = 'error'").run(layerId).changes;
    })
    .immediate();
}

/** Every stored plugin (and HTTP source) state, for the web app's live plugin list. */
export function allPluginStates(db: Db): PluginStateRow[] {
  return db.prepare("SELECT * FROM plugin_state ORDER BY plugin_id").all() as PluginStateRow[];
}
