/**
 * What the stored judgements were made with, compared at every open: cheap, and loading none of the profile
 * resolution or name parsing (app/rejudge.ts, which does the work, is loaded only when they differ).
 */
import { JUDGEMENT_RULES_REVISION } from "../domain/judgement-rules.js";
import type { Config } from "../config/config-schema.js";
import { settingsIdentity } from "../pipeline/layer-identity.js";
import type { Db } from "../store/database.js";
import { judgementIdentity } from "../store/judgements.js";

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
