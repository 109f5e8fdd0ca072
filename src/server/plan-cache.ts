/**
 * The plans the Review page shows, kept while nothing they were read from
 * changed (a large library's plan takes seconds to build).
 */
import { buildPlan } from "../organize/index.js";
import { contentMark } from "../store/database.js";
import type { ShelfService } from "./service.js";

/**
 * A plan looks at the disk too (conflicts, books already in place), which no
 * mark sees change: one kept longer than this is built again.
 */
export const PLAN_KEPT_MS = 60_000;
/** Plans kept (one per filter set: status and min confidence; the action filter and the page need none). */
const PLANS_KEPT = 4;

type Plan = ReturnType<typeof buildPlan>;

/**
 * The last plans the Review page asked for. A large library's plan takes
 * seconds to build, and the page asks for it again on every page of
 * proposals and every change of the action filter: a plan is reused while the
 * database is unchanged (no row written by this server or any other process),
 * the configuration is the same object (a reload replaces it) and it is
 * younger than PLAN_KEPT_MS. For showing only: apply plans afresh itself.
 */
export class PlanCache {
  private readonly kept = new Map<string, { mark: string; config: unknown; at: number; plan: Plan }>();
  builds = 0;

  constructor(private readonly service: ShelfService) {}

  get(statuses: string[] | undefined, minConfidence: number | undefined): Plan {
    const key = JSON.stringify([statuses ?? null, minConfidence ?? null]);
    const mark = contentMark(this.service.session.db);
    const config = this.service.session.config;
    const found = this.kept.get(key);
    if (found && found.mark === mark && found.config === config && Date.now() - found.at < PLAN_KEPT_MS) {
      // Most recently used last, so the oldest is the one dropped.
      this.kept.delete(key);
      this.kept.set(key, found);
      return found.plan;
    }
    const plan = buildPlan({ db: this.service.session.db, config: this.service.session.config, dataDir: this.service.dataDir }, { minConfidence, statuses });
    this.builds++;
    this.kept.delete(key);
    // Read after the build: a plan built while nothing was written is kept under the mark it was built for.
    if (contentMark(this.service.session.db) === mark) this.kept.set(key, { mark, config, at: Date.now(), plan });
    while (this.kept.size > PLANS_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return plan;
  }
}

