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
