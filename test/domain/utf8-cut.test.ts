import { expect, it } from "vitest";
import { textHead, utf8Head, utf8Tail } from "../../src/domain/utf8-cut.js";

const text = "aé€😀".repeat(50);
const bytes = Buffer.from(text, "utf8");

it("cuts UTF-8 bytes only where a character starts, from either end, never leaving U+FFFD", () => {
  for (let max = 0; max <= bytes.length + 1; max++) {
    const head = utf8Head(bytes, max).toString("utf8");
    const tail = utf8Tail(bytes, max).toString("utf8");
    expect(head).not.toContain("\ufffd");
    expect(tail).not.toContain("\ufffd");
    expect(text.startsWith(head) && text.endsWith(tail)).toBe(true);
    expect(Buffer.byteLength(head)).toBeLessThanOrEqual(max);
    // At most a character short of the bound (4 bytes: the longest).
    expect(Buffer.byteLength(head)).toBeGreaterThan(Math.min(max, bytes.length) - 4);
    expect(Buffer.byteLength(tail)).toBeGreaterThan(Math.min(max, bytes.length) - 4);
  }
});

it("cuts text only between surrogate pairs", () => {
  for (let max = 0; max <= text.length; max++) expect(textHead(text, max)).not.toMatch(/[\ud800-\udbff]$/);
});
