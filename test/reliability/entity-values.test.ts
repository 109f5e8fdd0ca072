/** Entity references and markup are never values, from any source; plain escapes are decoded once. */
import { describe, expect, it } from "vitest";
import { checkClaim } from "../../src/domain/garbage.js";

describe("entity references and markup", () => {
  it.each([
    ["title", "XXE &xxe; Title", /unexpanded entity reference &xxe;/],
    ["author", "&xxe;", /unexpanded entity reference/],
    ["narrator", "&amp;xxe;", /unexpanded entity reference &xxe;/],
    ["title", "<b>Dune</b>", /markup/],
    ["title", "&lt;i&gt;Dune&lt;/i&gt;", /markup/],
    ["narrator", "Scott Brick<br/>", /markup/],
    ["author", 'A <span class="x">B', /markup/],
    ["title", "<![CDATA[Dune]]>", /markup/],
    ["title", "Dune <!-- a comment -->", /markup/],
    ["series", "<!ENTITY x 'y'>", /markup/],
  ] as const)("%s %j is refused", (field, raw, reason) => {
    const verdict = checkClaim(field, raw);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok === false && verdict.reason).toMatch(reason);
  });

  it.each([
    ["series", "Tom &amp; Jerry", "Tom & Jerry"],
    ["title", "Caf&#233; Stories", "Café Stories"],
    ["title", "Rock &#x26; Roll", "Rock & Roll"],
    ["title", "I <3 NY", "I <3 NY"],
    ["author", "Simon & Schuster; Jr", "Simon & Schuster; Jr"],
    ["title", "The <Unknown> Door", "The <Unknown> Door"],
  ] as const)("%s %j is kept as %j", (field, raw, value) => {
    expect(checkClaim(field, raw)).toEqual({ ok: true, value });
  });

  it("a decoded control character is dropped like any other, a terminal escape sequence whole", () => {
    expect(checkClaim("title", "Dune&#27;[31m")).toEqual({ ok: true, value: "Dune" });
    expect(checkClaim("title", "Dune&#7;")).toEqual({ ok: true, value: "Dune" });
  });
});
