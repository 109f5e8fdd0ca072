/**
 * An invisible character (a direction override, a zero-width space) between one name's end and the next's capital:
 * every source reads it the same way, as the space the two words need, and inside a word it is dropped whole.
 */
import { describe, expect, it } from "vitest";
import { analyzePath } from "../../src/domain/path-analysis.js";
import { emptyProfile, mergeSource, resolveProfile } from "../../src/domain/profile.js";
import { cleanText } from "../../src/library/claim-values.js";
import { judgeAnswer } from "../../src/plugins/manager/judge.js";

const rows: [string, string][] = [
  // Shown "ScottkcirB": two names run together and reversed. Read as "ScottBrick", a narrator no source names.
  ["Scott\u202eBrick", "Scott Brick"],
  ["Scott\u200bBrick", "Scott Brick"],
  ["Scott\u200eBrick", "Scott Brick"],
  ["Scott\u2067Brick\u2069", "Scott Brick"],
  ["Scott\u202e\u200bBrick\u202c", "Scott Brick"],
  // Beside a space: the space is the break, one of it.
  ["Scott \u202eBrick", "Scott Brick"],
  // Inside a word, and in a script without capitals (Thai writes its word breaks as zero-width spaces): dropped whole.
  ["Bri\u202eck Scott", "Brick Scott"],
  ["Du\u200bne", "Dune"],
  ["\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u200b\u0e04\u0e23\u0e31\u0e1a", "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e04\u0e23\u0e31\u0e1a"],
  // A soft hyphen marks a break inside one word.
  ["Scott\u00adBrick", "ScottBrick"],
];

describe("an invisible character between words, read the same by every source", () => {
  it.each(rows)("%j is %j from a folder name, a tag or sidecar, and a plugin's answer", (raw, expected) => {
    expect(analyzePath(`Andy Weir/${raw}`).title).toBe(expected);
    expect(cleanText(raw)).toBe(expected);
    const judged = judgeAnswer({ outcome: "ok", data: { narrator: raw } });
    const profile = resolveProfile(mergeSource(emptyProfile(), "plugin:lm", 70, judged.claims));
    expect(profile.fields.narrator.value).toBe(expected);
  });
});
