/**
 * The wall's own way of logging the egress proxy's refusals (no log of the supervisor's to hand them to) masks
 * a plugin's secret settings' values as its secrets: a key put in a host name is still a key.
 */
import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { wallCommand, type WalledCommand } from "../../src/plugins/sandbox/wall.js";
import { createLayout, pluginSpec, type Layout } from "./sandbox-fixture.js";

const KEY = "k3y-0f-the-plugin-9a8b7c";
const SETTING = "setting-t0ken-5e4d3c2b";

let layout: Layout;
let walled: WalledCommand | null = null;
beforeAll(async () => {
  layout = await createLayout();
});
afterAll(async () => {
  walled?.dispose();
  await layout?.cleanup();
});

/** The proxy's answer to a CONNECT, through the port or socket the wall gave the plugin (the socket as seen outside). */
function connectThrough(command: WalledCommand, target: string): Promise<string> {
  const port = command.env.SHELFWISE_EGRESS_PORT;
  const socket = port ? null : command.args[command.args.indexOf("/run/shelfwise/egress.sock") - 1]!;
  return new Promise((resolve, reject) => {
    const conn = socket ? net.connect(socket) : net.connect(Number(port), "127.0.0.1");
    let answer = "";
    conn.on("data", (chunk) => (answer += chunk.toString("utf8")));
    conn.on("error", reject);
    conn.on("close", () => resolve(answer));
    conn.on("connect", () => conn.end(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
  });
}

it("masks the plugin's secrets and secret settings' values in the refusals it logs", async () => {
  const spec = pluginSpec(layout, "wall-refusals", "node", { "index.mjs": "" }, { allowed_hosts: ["books.example.org"], secrets: { API_KEY: KEY }, maskedValues: [SETTING] });
  walled = await wallCommand(spec, { file: process.execPath, args: ["-e", ""], env: {} });
  await connectThrough(walled, `${SETTING}.example.com:443`);
  await connectThrough(walled, `${KEY}.example.com:443`);
  const log = fs.readFileSync(spec.logFile, "utf8");
  expect(log.match(/network: refused host \*\*\*\.example\.com/g)).toHaveLength(2);
  expect(log).not.toContain(SETTING);
  expect(log).not.toContain(KEY);
});
