import { expect, it } from "vitest";
import { z } from "zod";
import { plainIssueMessage } from "../../src/domain/plain-issue.js";

const worded = (schema: z.ZodType, value: unknown) => plainIssueMessage(schema.safeParse(value).error!.issues[0]!);

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
