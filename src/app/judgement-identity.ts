/**
 * What the stored judgements were made with, compared at every open: cheap, and loading none of the profile
 * resolution or name parsing (app/rejudge.ts, which does the work, is loaded only when they differ).
 */
import { JUDGEMENT_RULES_REVISION } from "../domain/judgement-rules.js";
import type { Config } from "../config/config-schema.js";
import { settingsIdentity } from "../pipeline/layer-identity.js";
import type { Db } from "../store/database.js";
import { judgementIdentity } from "../store/judgements.js";
import { counted } from "../domain/plural.js";
import type { RejudgeSummary } from "./rejudge.js";

export type JudgementConfig = Pick<Config, "confidence_threshold" | "naming_template" | "series_num_padding">;

export function judgementIdentityOf(config: JudgementConfig): string {
  return settingsIdentity(JUDGEMENT_RULES_REVISION, {
    confidence_threshold: config.confidence_threshold,
    naming_template: config.naming_template,
    series_num_padding: config.series_num_padding,
  });
}

/** Whether the books were last judged by this shelfwise's rules and config's settings (false: app/rejudge.ts has work). */
export function judgementsCurrent(db: Db, config: JudgementConfig): boolean {
  return judgementIdentity(db) === judgementIdentityOf(config);
}

/**
 * Said once, by whatever judged the books again (a command at open, or `serve` when the settings changed while it
 * ran): what it shows may differ from the last run's for no act of the user's. The CLI and the pages say the same.
 */
export function rejudgedNote(r: RejudgeSummary): string {
  const why =
    r.why === "rules"
      ? "this shelfwise judges confidence and status by newer rules than the ones your books were judged by"
      : "confidence_threshold, naming_template or series_num_padding changed in config.json";
  const statuses = r.statusChanged > 0 ? `, ${r.statusChanged} of them to another status` : "";
  return `${why}: ${counted(r.books, "book")} judged again from the evidence stored (evidence, your corrections and files untouched); the confidence, status or proposed path of ${counted(r.changed, "book")} changed${statuses}`;
}
