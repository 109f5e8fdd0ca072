import { expect, it } from "vitest";
import { z } from "zod";
import { plainIssueMessage } from "../../src/domain/plain-issue.js";

// zod's core schema type, not z.ZodType: relating z.number()'s class to z.ZodType costs tsc ~1 s (atests36).
const worded = (schema: z.core.$ZodType, value: unknown) => plainIssueMessage(z.safeParse(schema, value).error!.issues[0]!);

it("words zod's bounds as a person reads them; other problems keep their message", () => {
  expect(worded(z.number().max(100), 200)).toBe("must be at most 100");
  expect(worded(z.number().int().min(1), 0)).toBe("must be at least 1");
  expect(worded(z.number().gt(0), 0)).toBe("must be more than 0");
  expect(worded(z.number().lt(5), 5)).toBe("must be less than 5");
  expect(worded(z.coerce.number().max(100), "101")).toBe("must be at most 100");
  expect(worded(z.string().max(5), "abcdefg")).toBe("must be at most 5 characters");
  expect(worded(z.string().min(1), "")).toBe("must not be empty");
  expect(worded(z.string().min(3), "ab")).toBe("must be at least 3 characters");
  expect(worded(z.array(z.string()).max(1), ["a", "b"])).toBe("must be at most 1 item");
  // A schema's own words stay.
  expect(worded(z.string().min(1, { error: "a test needs a book title" }), "")).toBe("a test needs a book title");
  expect(worded(z.number(), "x")).toBe(z.number().safeParse("x").error!.issues[0]!.message);
});

it("a mistyped word of an enumeration, given with its value, gets the CLI's \"did you mean\"", () => {
  const sort = z.enum(["path", "confidence", "title"]);
  const issue = (value: unknown) => sort.safeParse(value).error!.issues[0]!;
  expect(plainIssueMessage(issue("confidance"), "confidance")).toBe('unknown value "confidance" (did you mean "confidence"?); use one of: path, confidence, title');
  expect(plainIssueMessage(issue("xyz"), "xyz")).toBe('unknown value "xyz"; use one of: path, confidence, title');
  // A schema's own words stay, the hint after them; without the value, zod's message as it was.
  expect(plainIssueMessage(z.enum(["title"], { error: "a field is one of: title" }).safeParse("titel").error!.issues[0]!, "titel")).toBe('a field is one of: title (did you mean "title"?)');
  expect(plainIssueMessage(issue("confidance"))).toBe(issue("confidance").message);
});

it("a schema's words that already name the word meant get no second \"did you mean\" (CLI, API and page alike)", () => {
  const method = z.enum(["GET", "POST"], { error: (issue) => (issue.input === "get" ? 'is "get": write "GET" (in this letter case)' : 'must be "GET" or "POST"') });
  const issue = (value: unknown) => method.safeParse(value).error!.issues[0]!;
  expect(plainIssueMessage(issue("get"), "get")).toBe('is "get": write "GET" (in this letter case)');
  const hinted = z.enum(["title"], { error: 'unknown field (did you mean "title"?)' }).safeParse("titel").error!.issues[0]!;
  expect(plainIssueMessage(hinted, "titel")).toBe('unknown field (did you mean "title"?)');
  // Words that only list the options still get the hint to the near one.
  expect(plainIssueMessage(issue("GTE"), "GTE")).toBe('must be "GET" or "POST" (did you mean "GET"?)');
});
