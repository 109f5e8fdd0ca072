/**
 * The one place HTTP sources touch the plugin health store (plugin_state and
 * plugin_calls, keyed by id: source ids never collide with plugin ids), so a
 * change of that store's API is one file's change here.
 */
import type { Db } from "../store/database.js";
import {
  callStats,
  clearFailedRuns,
  getPluginState,
  recentCalls,
  recentDurations,
  recentErrors,
  recordCalls,
  setPluginState,
  type CallStats,
} from "../store/plugin-health.js";
import type { WebCallRecord } from "../pipeline/web-source.js";

export type StoredSourceState = "enabled" | "disabled" | "auto-disabled";

const FAILURES: ReadonlySet<string> = new Set(["error", "timeout"]);

export function isFailureOutcome(outcome: string): boolean {
  return FAILURES.has(outcome);
}

export interface StoredSourceHealth {
  state: StoredSourceState;
  reason: string | null;
  consecutive_failures: number;
  total_processed: number;
  total_resolved: number;
  total_skipped: number;
  /** Most requests in flight at once in any run. */
  peak_in_flight: number;
}

export function storedHealth(db: Db, id: string): StoredSourceHealth | null {
  const row = getPluginState(db, id);
  return row
    ? {
        state: row.state,
        reason: row.reason,
        consecutive_failures: row.consecutive_failures,
        total_processed: row.total_processed,
        total_resolved: row.total_resolved,
        total_skipped: row.total_skipped,
        peak_in_flight: row.peak_in_flight,
      }
    : null;
}

/** Records calls with the layer's peak of requests in flight (kept as the highest ever, as a plugin's). */
export function recordSourceCalls(db: Db, id: string, calls: WebCallRecord[], peakInFlight = 0): void {
  if (calls.length === 0) return;
  recordCalls(
    db,
    id,
    calls.map((call) => ({ plugin_id: id, ...call })),
    isFailureOutcome,
    peakInFlight,
  );
}

export function setSourceState(db: Db, id: string, state: StoredSourceState, reason: string | null, resetFailures = false): void {
  setPluginState(db, id, state, reason, { resetFailures });
}

/** Clears the failure count and lets the books the source failed be retried; returns how many. */
export function resetSource(db: Db, id: string): number {
  setPluginState(db, id, "enabled", null, { resetFailures: true });
  return clearFailedRuns(db, id);
}

export function sourceStats(db: Db, id: string): CallStats {
  return callStats(db, id);
}

/** The p95 duration over the same calls as the success rate (nearest rank, rounded to 0.1), as plugins' health computes it. */
export function sourceP95(db: Db, id: string): number | null {
  const durations = recentDurations(db, id);
  if (durations.length === 0) return null;
  return Math.round(durations[Math.min(durations.length - 1, Math.ceil(durations.length * 0.95) - 1)]! * 10) / 10;
}

export function sourceErrors(db: Db, id: string, limit = 5): { message: string; timestamp: string; outcome: string }[] {
  return recentErrors(db, id, limit);
}

export function sourceCalls(db: Db, id: string, limit: number) {
  return recentCalls(db, id, limit);
}
