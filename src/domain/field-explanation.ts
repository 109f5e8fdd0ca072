/**
 * Why a field shows its value, in words `book ID --json` can print: who said
 * it, the weights that were summed, what it outvoted. Built from the same
 * grouping and order the profile uses, so it never contradicts the value.
 */
import { agreementBonus, CONFLICT_PENALTY } from "./confidence.js";
import type { FieldName } from "./fields.js";
import { normalizeKey } from "./normalize.js";
import { rankedGroups, USER_SOURCE, type ResolvedField } from "./profile.js";

export function explainField(field: FieldName, resolved: ResolvedField): string | null {
  if (resolved.value === null) return null;
  if (resolved.sources.includes(USER_SOURCE)) return "your value (book --set): it always wins, at confidence 100";
  const groups = rankedGroups(field, resolved.evidence);
  if (groups.length === 0) return field === "authors" ? "the winning author's names" : null;
  const shownKey = normalizeKey(field, resolved.value);
  const winner = groups.find((g) => g.key === shownKey) ?? groups[0];
  const others = groups.filter((g) => g !== winner);
  const weights = winner.sources.map((s) => resolved.evidence.find((e) => e.source === s && normalizeKey(field, e.value) === winner.key)?.weight ?? 0);
  const sum = weights.length > 1 ? `${weights.join(" + ")} = ${winner.weight}` : String(winner.weight);
  const bonus = agreementBonus(winner.sources.length);
  let text = winner.sources.length > 1 ? `${winner.sources.join(", ")} agree (weight ${sum}, +${bonus} for ${winner.sources.length} sources)` : `${winner.sources[0]} alone (weight ${sum})`;
  if (winner !== groups[0]) text += `; "${groups[0].best.value}" weighed more but equals the series, so the runner-up is shown`;
  if (others.length > 0) {
    const list = others.map((g) => `"${g.best.value}" (${g.sources.join(", ")}, ${g.weight})`).join(", ");
    text += `; outvoted ${list}: -${CONFLICT_PENALTY * others.length}`;
  }
  return text;
}
