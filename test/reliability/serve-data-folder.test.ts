/**
 * The data folder removed, renamed or replaced (restored from a backup) while
 * `shelfwise serve` runs. The server keeps the database file it opened; before,
 * its jobs went on writing into that file (deleted, or moved away) and said
 * "done", its lock made an empty data folder again where the old one was, and
 * every scan and run from then on was lost at the server's exit. Now nothing
 * more is written: jobs and settings writes are refused with a 503 saying what
 * happened and to restart the server, and the dashboard shows it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { ApiError } from "../../src/server/zod-routes.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";

const open: { service: ShelfService; home: TestHome }[] = [];
afterEach(async () => {
  for (const { service, home } of open.splice(0)) {
    await service.close();
    home.cleanup();
  }
});

async function scannedServer(): Promise<{ service: ShelfService; home: TestHome }> {
  const home = createHome({ books: 3 });
  const service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
  open.push({ service, home });
  service.startScan();
  await service.idle();
  expect(service.status().books_total).toBe(3);
  return { service, home };
}

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected a refusal");
}

const GONE = /^the data folder \S+ was removed or replaced while `shelfwise serve` ran \(its database is not the one this server opened\), so this server writes nothing more; restart `shelfwise serve`$/;

describe("the data folder removed or replaced while serve runs", () => {
  it("replaced by a copy (a restore from backup): jobs and settings writes are refused, the copy is left as it was", async () => {
    const { service, home } = await scannedServer();
    const moved = `${home.dataDir}.old`;
    fs.renameSync(home.dataDir, moved);
    execFileSync("cp", ["-a", moved, home.dataDir]);
    const restored = fs.readFileSync(path.join(home.dataDir, "shelfwise.db"));
    const config = fs.readFileSync(path.join(home.dataDir, "config.json"));

    for (const run of [() => service.startScan(), () => service.startProcess({}), () => service.withDataLock("settings", () => 1)]) {
      const refused = refusal(run);
      expect(refused.statusCode).toBe(503);
      expect(refused.message).toMatch(GONE);
    }
    await expect(service.withLock("correction", () => 1)).rejects.toThrow(GONE);
    expect(service.status().problems[0]).toMatchObject({ kind: "data_folder_gone" });
    expect(fs.readFileSync(path.join(home.dataDir, "shelfwise.db")).equals(restored)).toBe(true);
    expect(fs.readFileSync(path.join(home.dataDir, "config.json")).equals(config)).toBe(true);
    expect(fs.existsSync(path.join(home.dataDir, "shelfwise.lock.json"))).toBe(false);
  });

  it("removed: refused, and no empty data folder is made where it was", async () => {
    const { service, home } = await scannedServer();
    fs.rmSync(home.dataDir, { recursive: true });
    expect(refusal(() => service.startScan()).message).toMatch(GONE);
    expect(fs.existsSync(home.dataDir)).toBe(false);
  });

  it("removed while a job runs: the job ends failed with the same words, not done", async () => {
    const { service, home } = await scannedServer();
    service.startJob("scan", "scan", async () => {
      fs.renameSync(home.dataDir, `${home.dataDir}.elsewhere`);
      return "books found: 3";
    });
    await service.idle();
    const job = service.status().last_job!;
    expect(job.state).toBe("failed");
    expect(job.message).toMatch(GONE);
  });

  it("left in place: nothing is refused (an edit of config.json or a checkpoint changes no file identity)", async () => {
    const { service, home } = await scannedServer();
    fs.writeFileSync(path.join(home.dataDir, "config.json"), JSON.stringify({ library_paths: [home.library], batch_size: 10 }));
    expect(service.dataFolderProblem()).toBeNull();
    service.startScan();
    await service.idle();
    expect(service.status().last_job!.state).toBe("done");
  });
});

describe("through HTTP, as the web app sends its writes", () => {
  it("removed: a settings save and a scan get the 503 saying what happened, not 'internal error (details in the data folder's logs)'", async () => {
    const { service, home } = await scannedServer();
    const app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    try {
      fs.rmSync(home.dataDir, { recursive: true });
      for (const request of [
        { method: "PUT", url: "/api/settings", payload: { values: { batch_size: 7 } } },
        { method: "POST", url: "/api/scan", payload: {} },
      ] as const) {
        const answer = await app.inject({ ...request, headers: { host: "127.0.0.1" } });
        expect(answer.statusCode, `${request.method} ${request.url}: ${answer.body}`).toBe(503);
        expect((answer.json() as { error: string }).error).toMatch(/^the data folder \S+ was removed or replaced while the shelfwise server ran .*; restart the shelfwise server$/);
      }
      expect(fs.existsSync(home.dataDir)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
