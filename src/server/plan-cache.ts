/**
 * The plans the Review page shows, kept while nothing they were read from
 * changed (a large library's plan takes seconds to build), and built in
 * slices on a connection of their own so the server answers other requests
 * meanwhile.
 */
import { EventEmitter } from "node:events";
import { buildPlan, buildPlanInSlices } from "../organize/index.js";
import { holdRefusedByPermissions, holdRefusedByPermissionsInSlices } from "../organize/plan-permissions.js";
import { contentMark, holdReadSnapshot, openReader, type Db } from "../store/database.js";
import { elapsedNow } from "./monotonic-clock.js";
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
 * Books this user may not move are held as `permission_denied`, as the CLI's
 * `plan` holds them (organize/plan-permissions.ts).
 *
 * A plan is built by buildPlanInSlices on a read-only connection of its own,
 * inside one read snapshot: built on the request path in one piece, a first
 * load at 20,000 books held every other request (the dashboard's status, a
 * book's page, the event stream) for 0.7-1.5 s. Requests for the plan being
 * built wait for that build; builds run one at a time (one reader).
 * Emits "start" and "end" (with the filter key) around each build.
 */
export class PlanCache extends EventEmitter {
  private readonly kept = new Map<string, { mark: string; config: unknown; at: number; plan: Plan }>();
  private readonly pending = new Map<string, Promise<Plan>>();
  /** Builds one after another: they share one reader connection. */
  private queue: Promise<unknown> = Promise.resolve();
  private reader: Db | null = null;
  private closed = false;
  builds = 0;
  /** Builds under way now. */
  building = 0;
  /** Main-thread time a build takes before it lets other requests run (tests make it shorter). */
  sliceMs = 10;

  constructor(private readonly service: ShelfService) {
    super();
  }

  get(statuses: string[] | undefined, minConfidence: number | undefined): Promise<Plan> {
    const key = JSON.stringify([statuses ?? null, minConfidence ?? null]);
    const found = this.kept.get(key);
    if (found && found.mark === contentMark(this.service.session.db) && found.config === this.service.session.config && elapsedNow() - found.at < PLAN_KEPT_MS) {
      // Most recently used last, so the oldest is the one dropped.
      this.kept.delete(key);
      this.kept.set(key, found);
      return Promise.resolve(found.plan);
    }
    let plan = this.pending.get(key);
    if (!plan) {
      const queued = this.queue.then(() => this.build(key, statuses, minConfidence));
      this.queue = queued.catch(() => {});
      plan = queued.finally(() => this.pending.delete(key));
      this.pending.set(key, plan);
    }
    return plan;
  }

  /**
   * Drops the kept plans: apply looked at the disk and held books back for what changed there since (files added
   * to a folder), which no database write marks; the Review page's next plan shows them held, with the reason.
   */
  forget(): void {
    this.kept.clear();
  }

  private async build(key: string, statuses: string[] | undefined, minConfidence: number | undefined): Promise<Plan> {
    if (this.closed) throw new Error("the server is stopping");
    this.building++;
    this.emit("start", key);
    try {
      // A write during a build (a job's) may leave a plan that mixes the database before it with the disk after
      // it: built once more then; a second one is shown as it is (not kept: the mark moved).
      for (let attempt = 1; ; attempt++) {
        const db = this.service.session.db;
        const config = this.service.session.config;
        const mark = contentMark(db);
        const plan = await this.buildOnce(config, statuses, minConfidence);
        this.builds++;
        const unchanged = contentMark(db) === mark && this.service.session.config === config;
        if (unchanged) {
          this.kept.delete(key);
          this.kept.set(key, { mark, config, at: elapsedNow(), plan });
          while (this.kept.size > PLANS_KEPT) this.kept.delete(this.kept.keys().next().value!);
        }
        if (unchanged || attempt === 2 || this.closed) return plan;
      }
    } finally {
      this.building--;
      this.emit("end", key);
    }
  }

  private async buildOnce(config: ShelfService["session"]["config"], statuses: string[] | undefined, minConfidence: number | undefined): Promise<Plan> {
    const session = this.service.session;
    const options = { minConfidence, statuses };
    let reader: Db;
    try {
      reader = this.reader ??= openReader(session.db);
    } catch {
      // No second connection to be had (a database that cannot be opened twice): planned in one piece, as before.
      return holdRefusedByPermissions(buildPlan({ db: session.db, config, dataDir: this.service.dataDir, savedSettings: true }, options));
    }
    const release = holdReadSnapshot(reader);
    let plan: Plan;
    try {
      plan = await buildPlanInSlices({ db: reader, config, dataDir: this.service.dataDir, savedSettings: true }, options, this.sliceMs);
    } finally {
      release();
    }
    // As the CLI's `plan`: books this user may not move are held (permission_denied) with the words apply refuses
    // them with, rather than proposed as moves that only apply says will fail.
    return holdRefusedByPermissionsInSlices(plan, this.sliceMs);
  }

  /** Waits for the build under way, then closes the reader. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    this.reader?.close();
    this.reader = null;
  }
}
