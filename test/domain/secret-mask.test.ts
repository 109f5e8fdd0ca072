/** The one masking rule: encodings of a long secret are found, a short one only as is, ordinary words never. */
import { describe, expect, it } from "vitest";
import { heldTailMasked, secretMask } from "../../src/domain/secret-mask.js";

describe("secretMask", () => {
  it("finds a long secret re-encoded, and leaves ordinary text alone", () => {
    const mask = secretMask(["Zq9-token-Value"]);
    expect(mask.text("a eulaV-nekot-9qZ b")).toBe("a *** b");
    expect(mask.text("Z%71%39-TOKEN-value")).toBe("***");
    expect(mask.text("the token value was fine, see token-Value docs")).toBe("the token value was fine, see token-Value docs");
    expect(mask.holds(Buffer.from("Zq9-token-Value").toString("hex").toUpperCase())).toBe(true);
  });

  it("masks a value of 4 to 7 characters only as is: re-cased, reversed or spaced out it is an ordinary word", () => {
    const mask = secretMask(["token"]);
    expect(mask.text("token TOKEN nekot t o k e n")).toBe("*** TOKEN nekot t o k e n");
    expect(secretMask(["abc"]).text("abc")).toBe("abc");
  });

  it("holds back the end of a text that may start a cut secret (3 characters or more), never an ordinary end", () => {
    const mask = secretMask(["Zq9-token-Value"]);
    expect(mask.heldFrom("calling with Zq9-to")).toBe("calling with ".length);
    expect(mask.heldFrom("calling with Zq")).toBe("calling with Zq".length);
    expect(mask.heldFrom("done\n")).toBe(5);
  });

  it("masks an end that stays cut (nothing follows) from 4 first characters of a secret of 8 or more", () => {
    const mask = secretMask(["Zq9-token-Value", "tokn"]);
    expect(heldTailMasked(mask, "calling with Zq9-to")).toBe("calling with ***");
    expect(heldTailMasked(mask, "calling with zQ9-\n")).toBe("calling with ***\n");
    // 3 characters are too often an ordinary ending; a value under 8 characters is never looked for cut.
    expect(heldTailMasked(mask, "calling with Zq9")).toBe("calling with Zq9");
    expect(heldTailMasked(mask, "calling with tok")).toBe("calling with tok");
    expect(heldTailMasked(mask, "done\n")).toBe("done\n");
  });

  it("masks whole a copy that reaches across the start of a window cut out of longer text, and shows nothing before it", () => {
    const mask = secretMask(["Zq9-token-Value", "tokn"]);
    const text = "before Zq9-token-Value after tokn end";
    expect(mask.maskedFrom(text, "before Zq9-to".length)).toBe("*** after *** end");
    expect(mask.maskedFrom(text, "before".length)).toBe(" *** after *** end");
    // Reversed and hex spellings too, and nothing to mask: the window alone.
    expect(mask.maskedFrom("x eulaV-nekot-9qZ y", 6)).toBe("*** y");
    expect(secretMask([]).maskedFrom("abc def", 4)).toBe("def");
  });
});
