import { openCommandSession } from "../session.js";
import { buildPlan } from "../../organize/index.js";
import { printJson, printTable } from "../output.js";
import { organizeContext, parseMinConfidence, parseStatuses, shortPath, withCompanions } from "./organize-common.js";

export interface PlanCommandOptions {
  json?: boolean;
  minConfidence?: string;
  status?: string;
  all?: boolean;
  wide?: boolean;
}

export async function planCommand(dataDir: string, options: PlanCommandOptions): Promise<void> {
  const minConfidence = parseMinConfidence(options.minConfidence);
  const statuses = parseStatuses(options.status);
  const session = openCommandSession(dataDir);
  try {
    const plan = buildPlan(organizeContext(session), { minConfidence, statuses });
    if (options.json) return printJson(plan);
    const shown = plan.entries.filter((e) => options.all || e.action !== "ok");
    await printTable(
      ["ID", "ACTION", "CONF", "FROM", "TO", "CHANGES / REASON"],
      shown.map((e) => [
        e.book_id,
        e.action === "held" ? `held:${e.conflict!.kind}` : e.action,
        e.confidence,
        shortPath(e.from, e.target_root),
        shortPath(e.to, e.target_root),
        [e.conflict ? e.conflict.reason : e.changes.map((c) => `${c.field}: ${c.from ?? "-"} → ${c.to ?? "-"}`).join("; "), withCompanions(e.companions)].filter(Boolean).join("; "),
      ]),
      { maxColumn: options.wide ? Infinity : undefined, cut: ["FROM", "TO"] },
    );
    const { move, ok, held } = plan.counts;
    process.stdout.write(`${move} to move, ${ok} already in place, ${held} held back${move > 0 ? "; `shelfwise apply --dry-run` shows exactly what apply would do" : ""}\n`);
  } finally {
    await session.close();
  }
}
