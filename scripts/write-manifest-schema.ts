/**
 * Writes schemas/manifest.schema.json from the zod manifest schema (the single
 * source). `--check` only compares, exiting 1 when the file is stale.
 *
 *   npx tsx scripts/write-manifest-schema.ts [--check]
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { manifestJsonSchema } from "../src/plugins/manifest/manifest-schema.js";

const target = fileURLToPath(new URL("../schemas/manifest.schema.json", import.meta.url));

/** The exact file content, so a test can compare it with what is on disk. */
export function manifestSchemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}

function main(): void {
  const text = manifestSchemaText();
  const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null;
  if (process.argv.includes("--check")) {
    if (current !== text) {
      console.error(`${target} is stale; run: npx tsx scripts/write-manifest-schema.ts`);
      process.exit(1);
    }
    return;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (current !== text) fs.writeFileSync(target, text);
  console.log(`${path.relative(process.cwd(), target)} ${current === text ? "unchanged" : "written"}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
