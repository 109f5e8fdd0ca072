/** `sources list|test|enable|disable|reset`: HTTP sources from config `http_sources`. */
import type { Command } from "commander";
import { command, dataDirOf, WAIT_OPTION } from "../command-options.js";
import { readsOnly } from "../interrupt.js";

export type SourcesOpts = { dataDir?: string; json?: boolean; wait?: string };
export type SourcesTestOpts = SourcesOpts & { title: string; author?: string; narrator?: string; series?: string; year?: string; isbn?: string; asin?: string };
type Opts = SourcesOpts;
type TestOpts = SourcesTestOpts;

// The commands' code (sources-run.ts) loads when one runs, so `--help` and other commands do not load it.
const run = () => import("./sources-run.js");

export function registerSourcesCommands(program: Command): void {
  const group = program.command("sources").description("no-code HTTP metadata sources (config http_sources): list, test, enable, reset");
  command(group, "list", "every HTTP source with its state and health")
    .option("--json", "print as JSON")
    .action((opts: Opts) => readsOnly("sources list", async () => (await run()).sourcesList(dataDirOf(opts), opts)));
  command(group, "test <id>", "call a source for one book: URL (credentials masked), status, time, mapped fields, raw answer")
    .requiredOption("--title <title>", "the book's title")
    .option("--author <author>", "the book's author")
    .option("--narrator <narrator>", "the book's narrator")
    .option("--series <series>", "the book's series")
    .option("--year <year>", "the book's year")
    .option("--isbn <isbn>", "the book's ISBN")
    .option("--asin <asin>", "the book's ASIN (Audible)")
    .option("--json", "print as JSON")
    .action(async (id: string, opts: TestOpts) => (await run()).sourcesTest(dataDirOf(opts), id, opts));
  for (const [action, text] of [
    ["enable", "switch a source on (also lifts an auto-disable)"],
    ["disable", "switch a source off (enabled: false in config.json; its evidence stays)"],
    ["reset", "re-enable an auto-disabled source, clear its failure count and retry the books it failed"],
  ] as const) {
    // State changes (config.json, the health store): they hold the data-folder lock.
    command(group, `${action} <id>`, text)
      .option(...WAIT_OPTION)
      .action(async (id: string, opts: Opts) => (await run()).sourcesSwitch(dataDirOf(opts), id, action, opts.wait));
  }
}
