/**
 * Secret grants across an upgrade: a data folder from before grants keeps every installed plugin's
 * secrets (they ask first: granted at the first load, recorded), while a plugin dropped in after that
 * declares the same name gets nothing until the user grants it. The same from a database that had grants
 * by the user's step only (schema 17, its upgrade mark still set).
 */
import Database from "better-sqlite3";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createHome, listedPlugin, nodePlugin, requireBuilt, type ListedPlugin, type TestHome } from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";
import { createDatabaseAtVersion } from "../support/old-schema.js";

let home: TestHome;

beforeAll(requireBuilt);
afterAll(() => home?.cleanup());

type Listed = ListedPlugin & { requires_secrets: string[]; granted_secrets: string[] };

test.each([16, 17])("upgrading from schema %i keeps the installed plugins' secrets; a plugin dropped in later does not get them", async (before) => {
  home?.cleanup();
  home = inProcess(createHome());
  home.writeSecrets({ API_A: "a-value-1234" });
  home.plugin("old", { code: nodePlugin(`process() { return null; }`), manifest: { requires_secrets: ["API_A"] } });
  // The database an older shelfwise wrote: schema 16 or 17 (its upgrade mark set), one book, the plugin's folder known as its id's owner.
  const file = path.join(home.dataDir, "shelfwise.db");
  createDatabaseAtVersion(file, before);
  const db = new Database(file);
  db.prepare("INSERT INTO plugin_owners (id_key, plugin_id, folder, held_folder, updated_at) VALUES ('old', 'old', 'old', NULL, 't')").run();
  db.close();

  const first = JSON.parse((await home.cli(["plugins", "list", "--json"])).stdout) as Listed[];
  expect(listedPlugin(first, "old")).toMatchObject({ state: "active", granted_secrets: ["API_A"] });

  home.plugin("newcomer", { code: nodePlugin(`process() { return null; }`), manifest: { requires_secrets: ["API_A"] } });
  const second = JSON.parse((await home.cli(["plugins", "list", "--json"])).stdout) as Listed[];
  expect(listedPlugin(second, "old")).toMatchObject({ state: "active", granted_secrets: ["API_A"] });
  expect(listedPlugin(second, "newcomer")).toMatchObject({ state: "skipped", granted_secrets: [] });
  expect(listedPlugin(second, "newcomer").reason).toContain("`shelfwise plugins grant newcomer API_A`");

  // Recorded once, on first use; the upgrade mark of schema 17 is gone with its table.
  const check = new Database(path.join(home.dataDir, "shelfwise.db"), { readonly: true });
  expect(check.prepare("SELECT id_key, secret_name, granted_by, revoked_at FROM plugin_secret_grants").all()).toEqual([
    { id_key: "old", secret_name: "API_A", granted_by: "first_use", revoked_at: null },
  ]);
  expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'plugin_grant_upgrade'").get()).toEqual({ n: 0 });
  check.close();
});
