import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { CALLS_KEPT_PER_PLUGIN, callStats, recentCalls, recordCalls, getPluginState, type CallRow } from "../../src/store/plugin-health.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-health-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const call = (book: number, outcome: string): CallRow => ({
  plugin_id: "p",
  book_id: book,
  at: new Date(1_700_000_000_000 + book * 1000).toISOString(),
  outcome,
  duration_ms: 2,
  resolved: outcome === "ok",
  error: outcome === "error" ? `failed on ${book}` : null,
});
const isFailure = (outcome: string) => ["error", "timeout", "crash", "invalid_output"].includes(outcome);

describe("plugin call metrics", () => {
  it("keep only the newest calls per plugin, while the totals count every call", () => {
    const db = openDatabase(path.join(tmp, "bounded.db"));
    const total = CALLS_KEPT_PER_PLUGIN * 2 + 123;
    for (let start = 1; start <= total; start += 50) {
      const batch = Array.from({ length: Math.min(50, total - start + 1) }, (_, i) => call(start + i, "ok"));
      recordCalls(db, "p", batch, isFailure);
    }
    const stored = (db.prepare("SELECT count(*) AS n, min(book_id) AS oldest FROM plugin_calls WHERE plugin_id = 'p'").get() as { n: number; oldest: number });
    expect(stored.n).toBeGreaterThanOrEqual(CALLS_KEPT_PER_PLUGIN);
    expect(stored.n).toBeLessThanOrEqual(CALLS_KEPT_PER_PLUGIN * 1.1 + 50);
    expect(stored.oldest).toBeGreaterThan(total - stored.n);
    expect(recentCalls(db, "p", 1)[0]!.book_id).toBe(total);
    expect(getPluginState(db, "p")).toMatchObject({ total_processed: total, total_resolved: total, consecutive_failures: 0 });
    db.close();
  });

  it("count consecutive failures across batches, reset by a success; skips change nothing", () => {
    const db = openDatabase(path.join(tmp, "failures.db"));
    expect(recordCalls(db, "p", [call(1, "error"), call(2, "timeout")], isFailure)).toBe(2);
    expect(recordCalls(db, "p", [call(3, "skipped"), call(4, "crash")], isFailure)).toBe(3);
    expect(recordCalls(db, "p", [call(5, "no_result")], isFailure)).toBe(0);
    expect(callStats(db, "p")).toMatchObject({ success_rate: 1 / 4 });
    db.close();
  });
});
