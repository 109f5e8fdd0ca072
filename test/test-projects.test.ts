/**
 * Every test file is classified (test/support/test-projects.ts): shared with other files in a worker process,
 * or isolated in a process of its own for a named reason. Vitest's default for a file in neither list is a
 * process of its own, ~0.75 CPU-s of start and module loading more than sharing: ten files had drifted there
 * unnoticed, for no reason of their own.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { CHILD_PROCESSES_ONLY, ISOLATED, SHARED } from "./support/test-projects.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function testFiles(folder: string): string[] {
  const dir = path.join(ROOT, folder);
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((name) => `${folder}/${name.split(path.sep).join("/")}`)
    .filter((name) => name.endsWith(".test.ts") && !name.includes("/node_modules/"));
}

/** The lists' patterns: a `*` stands for any characters of one path segment. */
function matcher(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}$`);
}

const shared = [...SHARED, ...CHILD_PROCESSES_ONLY].map(matcher);
const files = [...testFiles("test"), ...testFiles("examples/plugins")];

it("puts every test file in exactly one list: shared, or isolated with its reason", () => {
  expect(files.length).toBeGreaterThan(200);
  const unclassified = files.filter((file) => !shared.some((re) => re.test(file)) && !(file in ISOLATED));
  const both = files.filter((file) => shared.some((re) => re.test(file)) && file in ISOLATED);
  expect({ unclassified, both }).toEqual({ unclassified: [], both: [] });
});

it("names only files that exist, each isolated one with a reason", () => {
  const missing = [...SHARED, ...CHILD_PROCESSES_ONLY, ...Object.keys(ISOLATED)].filter((pattern) => {
    const re = matcher(pattern);
    return !files.some((file) => re.test(file));
  });
  expect(missing).toEqual([]);
  expect(Object.entries(ISOLATED).filter(([, reason]) => reason.trim() === "")).toEqual([]);
});
