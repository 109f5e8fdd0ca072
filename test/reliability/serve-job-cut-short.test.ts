/**
 * A `serve` killed outright (kill -9, a power loss) while a job it started runs: the job's marker stays in the
 * database, and the next command that can take the data-folder lock (a CLI command, or the next `serve` on its
 * dashboard) says once that the job was cut short, that nothing saved is lost and what to run again. Before, both
 * said nothing and the user could not tell the last status from a finished one. While the server still runs the
 * job, nothing is said.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../support/cli-in-process.js";
import { CLI, createHome, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

let home: TestHome;
const children: ChildProcess[] = [];
beforeAll(() => {
  requireBuilt();
  home = createHome({ books: 2 });
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
afterAll(() => home.cleanup());

function serve(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--data-dir", home.dataDir], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SHELFWISE_DATA_DIR: "" } });
  children.push(child);
  let text = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /at (http:\/\/\S+?)\/ \(Ctrl-C/.exec(text);
      if (match) resolve({ child, url: match[1]!, output: () => text });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve exited ${code}:\n${text}`)));
  });
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.once("exit", resolve));

/** Starts a run through the API (its plugin never answers) and kills the server with SIGKILL while it runs. */
async function killMidRun(): Promise<void> {
  const server = await serve();
  const started = await fetch(`${server.url}/api/process`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(started.status).toBe(202);
  // The server still holds the lock and may finish the job: nothing to say yet.
  const meanwhile = await runCliInProcess(["status"], { dataDir: home.dataDir });
  expect(meanwhile.stderr).not.toContain("cut short");
  server.child.kill("SIGKILL");
  await exited(server.child);
}

describe("a serve job cut short by kill -9", () => {
  it("is told once by the next CLI command, in its words, then no more", async () => {
    expect((await runCliInProcess(["scan", home.library], { dataDir: home.dataDir })).code).toBe(0);
    home.plugin("stall", { code: nodePlugin(`process(book) { return new Promise(() => {}); }`) });
    await killMidRun();
    const next = await runCliInProcess(["status"], { dataDir: home.dataDir });
    expect(next.stderr).toMatch(/the last process job of the web server \(process.*, started .+\) was cut short/);
    expect(next.stderr).toContain("Nothing it saved is lost");
    expect(next.stderr).toContain("run `shelfwise process` again");
    const after = await runCliInProcess(["status"], { dataDir: home.dataDir });
    expect(after.stderr).not.toContain("cut short");
  });

  it("is told once by the next serve, on the dashboard's problems in a page's words", async () => {
    await killMidRun();
    const server = await serve();
    expect(server.output()).toContain("was cut short");
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as { problems: { kind: string; message: string }[] };
    const problem = status.problems.find((p) => p.kind === "job_cut_short");
    expect(problem?.message).toMatch(/the last process job of the web server .* was cut short/);
    expect(problem?.message).not.toContain("`shelfwise");
    server.child.kill("SIGTERM");
    await exited(server.child);
    const after = await runCliInProcess(["status"], { dataDir: home.dataDir });
    expect(after.stderr).not.toContain("cut short");
  });
});
