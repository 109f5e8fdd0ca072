/**
 * `plugins reset` after a crash: `process` is killed (SIGKILL) while a plugin
 * has a book, which leaves that book's in-flight mark (at-most-once: it is
 * never sent again by itself). The user's one `plugins reset` is the request
 * to send it again, so the next `process` calls the plugin for it. Before,
 * the reset left the mark, the next `process` turned it into an
 * `interrupted` error, and only a second reset retried the book.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnCli } from "../support/cli.js";
import { inProcess } from "../support/cli-in-process.js";
import { createHome, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

let home: TestHome;
beforeAll(() => {
  requireBuilt();
  // Its commands run in this process; only the `process` that is killed is a process of its own.
  home = inProcess(createHome({ books: 3 }));
});
afterAll(() => home?.cleanup());

// Writes each book it gets to seen.txt; while a `block` file exists in its home it holds the book it has.
const PLUGIN = nodePlugin(`
  async process(book) {
    const fs = await import("node:fs");
    fs.appendFileSync(process.env.HOME + "/seen.txt", book.book_id + "\\n");
    const until = Date.now() + 20000;
    while (fs.existsSync(process.env.HOME + "/block") && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    return { language: "en" };
  }`);

function seen(): number[] {
  const file = path.join(home.dataDir, "plugin-data", "holder", "seen.txt");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map(Number) : [];
}

describe("plugins reset after a crash", () => {
  it("the first reset retries the book the crash left with the plugin", async () => {
    home.plugin("holder", { code: PLUGIN });
    home.writeConfig({ batch_size: 1 });
    expect((await home.cli(["scan"])).code).toBe(0);
    const pluginHome = path.join(home.dataDir, "plugin-data", "holder");
    fs.mkdirSync(pluginHome, { recursive: true });
    fs.writeFileSync(path.join(pluginHome, "block"), "");
    const child = spawnCli(["process"], { dataDir: home.dataDir });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // The plugin has its first book (it wrote it down and now holds it): kill shelfwise mid-call.
    await expect.poll(() => seen().length, { timeout: 30_000, interval: 20 }).toBe(1);
    child.kill("SIGKILL");
    await exited;
    fs.rmSync(path.join(pluginHome, "block"));
    const held = seen()[0]!;

    const reset = await home.cli(["plugins", "reset", "holder"]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/plugin holder reset: enabled, failure count cleared, 1 failed book will be retried/);
    const rerun = await home.cli(["process"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    // Sent again once, on the user's request; the others once each.
    expect(seen().sort()).toEqual([held, ...[1, 2, 3]].sort());
    const detail = await home.json<{ layers: { layer_id: string; status: string; error: string | null }[] }>(["book", String(held)]);
    expect(detail.layers.find((l) => l.layer_id === "holder")).toMatchObject({ status: "ok", error: null });
  });
});
