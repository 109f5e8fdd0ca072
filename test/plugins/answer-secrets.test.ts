/** A plugin's answer on its way in: its own secrets never become evidence, warnings or output. */
import { describe, expect, it } from "vitest";
import { secretMask } from "../../src/domain/secret-mask.js";
import { withoutSecrets } from "../../src/plugins/process/answer-secrets.js";
import { judgeAnswer } from "../../src/plugins/manager/judge.js";

const SECRET = "sk-live-0123456789abcdef";
const mask = secretMask([SECRET]);

describe("withoutSecrets", () => {
  it("drops a field whose name holds the secret, so no later warning names it", () => {
    const answer = withoutSecrets({ outcome: "ok", data: { title: "Dune", [`key ${SECRET}`]: "x" } }, mask);
    expect(answer.data).toEqual({ title: "Dune" });
    const judged = judgeAnswer(answer);
    expect(judged.claims).toEqual([{ field: "title", value: "Dune" }]);
    expect(JSON.stringify(judged)).not.toContain(SECRET);
    expect(judged.warnings).toEqual(['dropped field "key ***": its name or value holds one of the plugin\'s secrets']);
  });

  it("says so in one short warning, however many or long the fields it drops", () => {
    const data: Record<string, unknown> = { narrator: `Bearer ${SECRET}`, title: "Dune", ["k".repeat(1_000_000)]: SECRET };
    for (let i = 0; i < 100_000; i++) data[`f${i}`] = { nested: [SECRET] };
    const answer = withoutSecrets({ outcome: "ok", data }, mask);
    expect(answer.data).toEqual({ title: "Dune" });
    expect(answer.warnings).toHaveLength(1);
    expect(answer.warnings![0]!.length).toBeLessThan(400);
    expect(answer.warnings![0]).toMatch(/^dropped fields "narrator", "k{40}…", "f0", "f1", "f2" and 99997 more: their names or values hold one of the plugin's secrets$/);
  });

  it("masks the secret in an error and leaves an answer without secrets as it is", () => {
    expect(withoutSecrets({ outcome: "error", error: `refused ${SECRET}` }, mask).error).toBe("refused ***");
    const clean = { outcome: "ok" as const, data: { title: "Dune" } };
    expect(withoutSecrets(clean, mask)).toEqual(clean);
  });
});
