import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { CALLS_KEPT_PER_PLUGIN, callStats, recentCalls, recentErrors, recordCalls, getPluginState, type CallRow } from "../../src/store/plugin-health.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-health-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const call = (book: number, outcome: string): CallRow => ({
  plugin_id: "p",
  book_id: book,
  at: new Date(1_700_000_000_000 + book * 1000).toISOString(),
  outcome,
  duration_ms: 2,
  resolved: outcome === "ok",
  error: outcome === "error" ? `failed on ${book}` : outcome === "interrupted" ? "shelfwise stopped during this call" : null,
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

  it("log a call shelfwise interrupted without counting it in any health figure", () => {
    const db = openDatabase(path.join(tmp, "interrupted.db"));
    recordCalls(db, "p", [call(1, "ok"), call(2, "error")], isFailure);
    const before = { state: getPluginState(db, "p"), stats: callStats(db, "p"), errors: recentErrors(db, "p") };
    // A kill of shelfwise left three books with the plugin; the next run records them as interrupted.
    expect(recordCalls(db, "p", [call(3, "interrupted"), call(4, "interrupted"), call(5, "interrupted")], isFailure)).toBe(1);
    expect(getPluginState(db, "p")).toMatchObject({ total_processed: 2, total_resolved: 1, total_skipped: 0, consecutive_failures: 1 });
    expect(callStats(db, "p")).toEqual(before.stats);
    expect(recentErrors(db, "p")).toEqual(before.errors);
    expect(recentCalls(db, "p", 3).map((c) => c.outcome)).toEqual(["interrupted", "interrupted", "interrupted"]);
    expect(before.state).toMatchObject({ total_processed: 2 });
    db.close();
  });

  it("log an answer taken without some of its values with its note, which is no error of the plugin's", () => {
    const db = openDatabase(path.join(tmp, "noted.db"));
    recordCalls(db, "p", [call(1, "error")], isFailure);
    const note = 'ignored field "title": it is not valid Unicode (a lone surrogate, e.g. from bytes that are not UTF-8)';
    expect(recordCalls(db, "p", [{ ...call(2, "ok"), error: note }, { ...call(3, "no_result"), error: note }], isFailure)).toBe(0);
    expect(recentCalls(db, "p", 2).map((c) => c.error)).toEqual([note, note]);
    expect(recentErrors(db, "p")).toEqual([{ message: "failed on 1", timestamp: call(1, "error").at, outcome: "error" }]);
    db.close();
  });
});
