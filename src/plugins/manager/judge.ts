/**
 * Judging a plugin's answer: the one place that turns what came back from a
 * call into an outcome, claims and an error. The pipeline layer, the test
 * harness and the benchmark's in-process runner all go through here.
 */
import type { Claim } from "../../domain/fields.js";
import { checkClaim } from "../../domain/garbage.js";
import type { CallOutcome } from "../plugin-types.js";
import { validatePluginOutput } from "../protocol/output-validation.js";
import { withSandboxHint } from "../process/sandbox-hint.js";
import type { CallResult } from "../process/supervisor.js";

export interface Judgement {
  /** `ok` when at least one claim would land as evidence, `no_result` for an answer with none. */
  outcome: CallOutcome;
  claims: Claim[];
  warnings: string[];
  /** Of `warnings`, what of the answer was left out (not an empty value's "no opinion"): the call log's note. */
  notes: string[];
  error: string | null;
  /** The call produced at least one usable claim. */
  resolved: boolean;
}

export function judgeAnswer(result: Pick<CallResult, "outcome" | "data" | "error" | "warnings">): Judgement {
  if (result.outcome === "skipped") return { outcome: "skipped", claims: [], warnings: [], notes: [], error: null, resolved: false };
  if (result.outcome !== "ok") {
    return { outcome: result.outcome, claims: [], warnings: [], notes: [], error: withSandboxHint(result.error ?? result.outcome), resolved: false };
  }
  const checked = validatePluginOutput(result.data ?? null);
  if (!checked.ok) return { outcome: "invalid_output", claims: [], warnings: [], notes: [], error: checked.error, resolved: false };
  const claims: Claim[] = [];
  for (const field in checked.values) claims.push({ field: field as Claim["field"], value: checked.values[field as Claim["field"]]! });
  // Resolved means evidence will land: an answer made only of garbage ("Unknown") resolves nothing.
  // The claims still go on, so the rejections are recorded.
  const resolved = claims.some((claim) => checkClaim(claim.field, claim.value).ok);
  // The supervisor's warnings are fields dropped for holding a secret: left out too.
  const notes = [...(result.warnings ?? []), ...checked.notes];
  return { outcome: resolved ? "ok" : "no_result", claims, warnings: [...(result.warnings ?? []), ...checked.warnings], notes, error: null, resolved };
}
