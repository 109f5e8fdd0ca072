/**
 * Two `serve`s on one data folder (a second one started on another port):
 * each server's port stays noted for the plugins' egress proxies of other
 * processes (config/own-server.ts), whichever started last and whichever
 * stops first. Before, both wrote one `server.json`: the first server's port
 * was lost when the second started, and the note vanished altogether when the
 * second stopped, so a plugin run by a CLI `process` could reach the first
 * server's token-less loopback API (which changes python_path).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ownServerPorts } from "../../src/config/own-server.js";
import { CLI_BIN } from "../support/cli.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  tmp = makeTempDir("second-serve");
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
afterAll(() => removeTempDir(tmp));

function serve(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI_BIN, "serve", "--port", "0", "--data-dir", dir], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SHELFWISE_DATA_DIR: "" } });
  children.push(child);
  let text = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /at http:\/\/127\.0\.0\.1:(\d+)\/ \(Ctrl-C/.exec(text);
      if (match) resolve({ child, port: Number(match[1]) });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve exited ${code}:\n${text}`)));
  });
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.once("exit", resolve));

describe("a second serve on the same data folder", () => {
  it("both servers' ports stay noted; stopping one keeps the other's; a killed one's note is cleared by the next", async () => {
    const dir = path.join(tmp, "data");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "config.json"), "{}");
    const first = await serve(dir);
    const second = await serve(dir);
    expect(ownServerPorts(dir).sort()).toEqual([first.port, second.port].sort());
    second.child.kill("SIGTERM");
    await exited(second.child);
    expect(ownServerPorts(dir)).toEqual([first.port]);
    // A server killed outright leaves its note (it only refuses one more port) until the next server starts.
    first.child.kill("SIGKILL");
    await exited(first.child);
    const third = await serve(dir);
    expect(ownServerPorts(dir)).toEqual([third.port]);
    third.child.kill("SIGTERM");
    await exited(third.child);
    expect(ownServerPorts(dir)).toEqual([]);
  });
});
