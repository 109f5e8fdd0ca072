/**
 * The Node versions shelfwise promises (package.json engines, README) are ones every installed package
 * accepts: a runtime dependency must accept the oldest Node of `engines`, a development one (tests, build)
 * the oldest Node the README names for development. Read from package-lock.json: no npm call.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// npm's own range rules, from the copy fastify depends on (no types are installed for it).
const semver = createRequire(import.meta.url)("semver") as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};
const root = new URL("../", import.meta.url);
const pkg = JSON.parse(fs.readFileSync(new URL("package.json", root), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(new URL("package-lock.json", root), "utf8")) as {
  packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; engines?: { node?: string } | string[] }>;
};
const readme = fs.readFileSync(new URL("README.md", root), "utf8");
/** The oldest Node for development (vitest and vite ask for 20.19): README, Development. */
const DEV_NODE = "20.19.0";

describe("Node versions", () => {
  const runtimeFloor = semver.minVersion(pkg.engines.node)!.version;

  it("the README names the engines' floor for users and the development floor", () => {
    expect(readme).toContain(`Node ${runtimeFloor.replace(/\.0$/, "")} or newer`);
    expect(readme).toContain(`Node ${DEV_NODE.replace(/\.0$/, "")} or newer`);
  });

  it("every installed package accepts them: runtime ones the engines' floor, development ones the development floor", () => {
    const refused: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!where || !range) continue;
      const floor = entry.dev ? DEV_NODE : runtimeFloor;
      if (!semver.satisfies(floor, range)) refused.push(`${where}@${entry.version}: node ${range} refuses ${floor}${entry.dev ? " (development)" : ""}`);
    }
    expect(refused).toEqual([]);
  });
});
