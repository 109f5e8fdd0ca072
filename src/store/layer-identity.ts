import type { Db } from "./database.js";
import { nowIso } from "./database.js";

/**
 * What a layer's stored identity says about the run about to start:
 * `new`: none was stored (first run, or a database from before identities:
 * recorded, nothing rerun); `same`; `changed`: the layer's earlier runs were
 * cleared, so it runs again on every book.
 */
export type IdentityCheck = "new" | "same" | "changed";

/**
 * Compares `identity` with the one stored for `layerId` and, when it differs,
 * clears the layer's runs and stores the new identity in one transaction: an
 * interrupted rerun simply goes on at the next `process`.
 */
export function checkLayerIdentity(db: Db, layerId: string, identity: string): IdentityCheck {
  return db
    .transaction((): IdentityCheck => {
      const row = db.prepare("SELECT identity FROM layer_identities WHERE layer_id = ?").get(layerId) as { identity: string } | undefined;
      if (row?.identity === identity) return "same";
      db.prepare(
        `INSERT INTO layer_identities (layer_id, identity, recorded_at) VALUES (?, ?, ?)
         ON CONFLICT (layer_id) DO UPDATE SET identity = excluded.identity, recorded_at = excluded.recorded_at`,
      ).run(layerId, identity, nowIso());
      if (!row) return "new";
      db.prepare("DELETE FROM layer_runs WHERE layer_id = ?").run(layerId);
      return "changed";
    })
    .immediate();
}

/**
 * Where a layer stands against the books, read only (for `status`): the identity it last ran with, whether
 * it ran on any book still there, the books a run would give it now (no run yet; not missing, not locked) of
 * which how many are settled (identified or needs_attention, so not counted as waiting by status), and
 * every book a rerun would give it (a changed identity clears its runs).
 */
export interface LayerStanding {
  storedIdentity: string | null;
  hasRuns: boolean;
  pending: number;
  pendingSettled: number;
  eligible: number;
}

export function layerStanding(db: Db, layerId: string): LayerStanding {
  const stored = db.prepare("SELECT identity FROM layer_identities WHERE layer_id = ?").get(layerId) as { identity: string } | undefined;
  const counts = db
    .prepare(
      `SELECT count(*) AS eligible,
              coalesce(sum(NOT EXISTS (SELECT 1 FROM layer_runs r WHERE r.book_id = b.id AND r.layer_id = ?)), 0) AS pending,
              coalesce(sum(b.status IN ('identified', 'needs_attention') AND NOT EXISTS (SELECT 1 FROM layer_runs r WHERE r.book_id = b.id AND r.layer_id = ?)), 0) AS settled
         FROM books b WHERE b.status != 'missing' AND b.locked = 0`,
    )
    .get(layerId, layerId) as { eligible: number; pending: number; settled: number };
  // Ran on a book that is still there: layer_runs has no index by layer alone, so this is not asked of it.
  const hasRuns = counts.pending < counts.eligible;
  return { storedIdentity: stored?.identity ?? null, hasRuns, pending: counts.pending, pendingSettled: counts.settled, eligible: counts.eligible };
}
