import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { ADVICE, forPages, knownSentences } from "../../src/domain/command-advice.js";
// Every module that defines sentences with values (a path, a name, an error): loaded, they are all known.
import "../../src/organize/plan.js";
import { addedSinceScanError } from "../../src/organize/folder-check.js";
import "../../src/organize/undo.js";
import "../../src/organize/recovery.js";
import "../../src/organize/disk.js";
import "../../src/organize/companions.js";
import "../../src/organize/companion-check.js";
import "../../src/organize/move-error.js";
import "../../src/app/library-paths.js";
import "../../src/app/scan-library.js";
import "../../src/server/service.js";
import "../../src/server/routes/settings.js";
import "../../src/plugins/manager/plugin-manager.js";
import "../../src/app/attach-http-sources.js";
import "../../src/app/environment-words.js";
import "../../src/pipeline/orchestrator.js";
import "../../src/plugins/manifest/id-claims.js";

describe("command advice on pages", () => {
  it("says each piece of CLI advice in a page's words, with its names kept", () => {
    expect(forPages(`disabled by the user (${ADVICE.pluginEnable.cli()})`)).toBe("disabled by the user (Enable on the Plugins page turns it on)");
    expect(forPages(`enabled: false in config.json (${ADVICE.sourceEnable.cli()})`)).toBe("enabled: false in config.json (Enable under HTTP sources on the Plugins page turns it on)");
    expect(forPages(`needs secret a, which is granted to plugin p; needs secret b, revoked from it: ${ADVICE.pluginGrantRun.cli("q", "a b", "share them")}`)).toBe(
      "needs secret a, which is granted to plugin p; needs secret b, revoked from it: Grant a, b on the page of plugin q (Plugins) to share them",
    );
    expect(forPages(`revoked: ${ADVICE.pluginGrantShares.cli("q", "token", "gives it back")}`)).toBe("revoked: Grant token on the page of plugin q (Plugins) gives it back");
  });

  it("leaves no CLI command in any advice a page shows, and other text as it is", () => {
    const samples: Record<keyof typeof ADVICE, string[]> = {
      pluginEnable: [],
      sourceEnable: [],
      pluginGrantRun: ["id_1", "name_1 name-2", "give them back"],
      pluginGrantShares: ["id_1", "name_1", "shares it"],
      addLibrary: [],
      scanAddedFirst: [],
      reenable: ["plugins", "id_1"],
      outputUnset: [],
      outputExample: [],
      heldAs: ["permission_denied"],
      sourceShown: [],
    };
    for (const [key, advice] of Object.entries(ADVICE) as [string, { cli: (...args: string[]) => string }][]) expect(forPages(`why: ${advice.cli(...samples[key as keyof typeof ADVICE])}.`)).not.toMatch(/`shelfwise /);
    // Words an older shelfwise stored (the plugin named in the command), and text that only looks alike.
    expect(forPages("disabled by the user (`shelfwise plugins enable p` turns it on)")).toBe("disabled by the user (Enable on the Plugins page turns it on)");
    // The Settings page sets output_path: its advice names the field there, not config.json.
    expect(forPages("write it on one line (`shelfwise config set output_path FOLDER`), or empty it")).toBe("write it on one line (output_path under Configuration on the Settings page), or empty it");
    expect(forPages("`shelfwise config set output_path /srv/Sorted` to organize its books there again")).toBe("output_path set to /srv/Sorted under Configuration on the Settings page to organize its books there again");
    // output_path's null is config.json's word; a page empties the field.
    expect(forPages(`output_path / is the root of the file system; give it a folder of its own, ${ADVICE.outputUnset.cli()}`)).toBe("output_path / is the root of the file system; give it a folder of its own, or empty the field (output_path under Configuration on the Settings page) to keep each book in its library folder");
    // The example folder is plain words on a page, even beside a value that is a piece of it (output_path `/`, `Sorted`).
    for (const value of ["/", "Sorted", "/home/u"]) {
      expect(forPages(`output_path ${value} is refused; give it a folder of its own ${ADVICE.outputExample.cli()}, ${ADVICE.outputUnset.cli()}`, [value])).toBe(
        `output_path ${value} is refused; give it a folder of its own (such as ~/Audiobooks/Sorted), or empty the field (output_path under Configuration on the Settings page) to keep each book in its library folder`,
      );
    }
    // A hold's reason, in the CLI's backticks, is plain text on a page; a folder named with the same words is kept.
    expect(forPages(`output_path /srv/(\`read_only\`) is on a read-only mount: plan and apply hold every book bound there ${ADVICE.heldAs.cli("read_only")} and move none`, ["/srv/(`read_only`)"])).toBe(
      "output_path /srv/(`read_only`) is on a read-only mount: plan and apply hold every book bound there (read_only) and move none",
    );
    // Where a source's definition is shown: the command line's list named without its backticks.
    expect(forPages(`config.json holds no secrets (${ADVICE.sourceShown.cli()}); keep the key in secrets.json (\`shelfwise secrets set sources.x.api_key\`)`)).toBe(
      "config.json holds no secrets (it is shown on the pages and by the command line's sources list); keep the key in secrets.json (the key field of HTTP source x's form, under HTTP sources on the Plugins page)",
    );
    // A value that holds the whole example is a name: kept as it is.
    expect(forPages(`output_path /x/(\`~/Audiobooks/Sorted\`) is refused, ${ADVICE.outputUnset.cli()}`, ["/x/(`~/Audiobooks/Sorted`)"])).toBe(
      "output_path /x/(`~/Audiobooks/Sorted`) is refused, or empty the field (output_path under Configuration on the Settings page) to keep each book in its library folder",
    );
    // Text that names no shelfwise command is left as it is.
    expect(forPages("run `scan` first; a title with `shelfwise` in it")).toBe("run `scan` first; a title with `shelfwise` in it");
  });

  it("says what to do on the page about a book with files added since the last scan: the dashboard's Scan library, then Process, then Apply", () => {
    const cli = addedSinceScanError(["03.mp3", "metadata.opf"]);
    expect(cli).toBe("the book's folder holds 2 files the last scan did not see (03.mp3, metadata.opf): they may change what the book is; run `shelfwise scan` and `shelfwise process` first, then apply moves the book with them");
    expect(forPages(cli)).toBe(
      "the book's folder holds 2 files the last scan did not see (03.mp3, metadata.opf): they may change what the book is; use Scan library and then Process on the dashboard first, then Apply on the Review page moves the book with them",
    );
    // A file named like the advice stays its name.
    const named = addedSinceScanError(["run `shelfwise scan` and `shelfwise process` first, then apply moves.mp3"]);
    expect(forPages(named)).toContain("(run `shelfwise scan` and `shelfwise process` first, then apply moves.mp3)");
  });

  it("says every other command shelfwise's sentences name as the control on a page that does it", () => {
    const cases: [string, string][] = [
      ["interrupted: run `shelfwise process` again to continue", "interrupted: use Process on the dashboard again to continue"],
      ["so that no call is made twice (`shelfwise plugins reset p-1` retries it)", "so that no call is made twice (Retry (plugin p-1) on the Health page retries it)"],
      ["(`shelfwise process --layer openlibrary --rerun` retries it)", "(Rerun for all books (layer openlibrary) on the Pipeline page retries it)"],
      ["`shelfwise plugins health x` shows why; fix it, `shelfwise plugins reset x` to re-enable it, then run `shelfwise process` again", "the Health page shows why; fix it, use Re-enable (plugin x) on the Health page, then use Process on the dashboard again"],
      ["`shelfwise layers` shows its state (`shelfwise plugins health` a plugin's errors)", "the Pipeline page shows its state (the Health page a plugin's errors)"],
      ["take it out of library_paths: `shelfwise library remove '/a b'`", "take it out of library_paths: Remove ('/a b') under Library folders on the Settings page"],
      [`no library folder: ${ADVICE.addLibrary.cli()}`, "no library folder: add one under Library folders on the Settings page"],
      ["locked by the user (`shelfwise book 12 --unlock`)", "locked by the user (Unlock book on the page of book #12)"],
      ["set them with `shelfwise book 3 --set author=... --set title=...`", "set them with Correct on the page of book #3"],
      ["no move with id 9; `shelfwise history` lists them", "no move with id 9; History on the Review page lists them"],
      ["then run `shelfwise undo 4` to move it back further", "then use Undo move 4 under History on the Review page to move it back further"],
      ["run `shelfwise scan` and `shelfwise process` first", "use Scan library on the dashboard and Process on the dashboard first"],
      ["restart `shelfwise serve` with another --data-dir", "restart the shelfwise server with another --data-dir"],
      ["`shelfwise apply` proposes the book again once unlocked", "Apply on the Review page proposes the book again once unlocked"],
      ["if it is meant to replace the old plugin, run `shelfwise plugins enable new-one`; if not", "if it is meant to replace the old plugin, use Enable on the Plugins page; if not"],
      ["so that `shelfwise secrets set plugin_configs.ID.KEY` can name it", "so that the settings of plugin ID on the Plugins page can name it"],
      ["run `shelfwise secrets set plugin_configs.geo.api_key`", "see the settings of plugin geo on the Plugins page"],
    ];
    for (const [cli, page] of cases) expect(forPages(cli)).toBe(page);
  });

  it("has page words for every command a sentence outside the CLI names (the pages show those sentences)", () => {
    // Not: the CLI's own output and exit codes, a plugin author's scaffold, comments and API docs (describe, summary).
    const src = path.resolve(import.meta.dirname, "../../src");
    const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts") && !/^(cli|plugins\/authoring)\//.test(f) && !["domain/command-advice.ts", "app/exit-codes.ts"].includes(f));
    const left: string[] = [];
    let found = 0;
    for (const file of files) {
      for (const line of fs.readFileSync(path.join(src, file), "utf8").split("\n")) {
        if (/^\s*(\*|\/\/|\/\*)/.test(line) || /\.describe\(|summary:|description:/.test(line)) continue;
        for (const match of line.matchAll(/(\\?)`shelfwise ((?:[^`\\$]|\$\{[^}]*\})+)\\?`/g)) {
          // In a template literal a quoted command is escaped (\`); else it is in a "..." string (an odd number of quotes before it).
          if (!match[1] && (line.slice(0, match.index).match(/"/g)?.length ?? 0) % 2 === 0) continue;
          found++;
          const words = match[2]!.replace(/\$\{[^}]*\}/g, "1");
          if (forPages(`(\`shelfwise ${words}\`)`).includes("`shelfwise ")) left.push(`${file}: shelfwise ${words}`);
        }
      }
    }
    expect(found).toBeGreaterThan(40);
    expect(left).toEqual([]);
  });
});

describe("a sentence's values on pages", () => {
  const HOSTILE = ["/lib/Evil `shelfwise scan` Author", "run `shelfwise process` again", "`shelfwise plugins enable x` turns it on", "`shelfwise book 3 --unlock`"];

  it("keeps each value as it is, whatever it holds, and says only the sentence's own advice in a page's words", async () => {
    const src = path.resolve(import.meta.dirname, "../../src");
    const defined = (fs.readdirSync(src, { recursive: true }) as string[])
      .filter((f) => f.endsWith(".ts"))
      .reduce((n, f) => n + (fs.readFileSync(path.join(src, f), "utf8").match(/^const \w+ = sentence`/gm)?.length ?? 0), 0);
    const sentences = knownSentences();
    expect(sentences.length).toBe(defined);
    for (const { literals, slots } of sentences) {
      for (const hostile of HOSTILE) {
        // A value only ever inside a command's words is its argument, an id (`shelfwise book 12 --unlock`): a page names the control instead.
        const inCommand = (slot: number) => slots.every((s, i) => s !== slot || literals.slice(0, i + 1).join("").split("`").length % 2 === 0);
        const values = slots.map((_, i) => (inCommand(i) ? String(100 + i) : `${hostile} ${i}`));
        let cli = literals[0]!;
        slots.forEach((slot, i) => (cli += values[slot]! + literals[i + 1]!));
        const page = forPages(cli);
        for (const value of values.filter((_, i) => !inCommand(i))) expect(page, cli).toContain(value);
        // Its own advice said as a page says it: no command is left once the values are taken out.
        let rest = page;
        for (const value of values) rest = rest.split(value).join("");
        expect(rest, cli).not.toContain("`shelfwise ");
      }
    }
  });

  it("any other text keeps the values given as they are (what the same answer holds beside it)", () => {
    const to = "/music/Writer/run `shelfwise process` again";
    expect(forPages(`${to} already exists; nothing is ever overwritten`, [to, "identified"])).toBe(`${to} already exists; nothing is ever overwritten`);
    expect(forPages(`${to}: run \`shelfwise scan\` or else`, [to])).toBe(`${to}: use Scan library on the dashboard or else`);
  });

  it("a plugin's own error stays as it said it in the reason of its auto-disable", () => {
    const said = "error: try `shelfwise scan` then `shelfwise plugins enable x` turns it on";
    expect(forPages(`auto-disabled after 3 consecutive failures (last: ${said})`)).toBe(`auto-disabled after 3 consecutive failures (last: ${said})`);
  });

  it("a folder named like a command stays that name where a reason names it", () => {
    const folder = "/music/books/Evil `shelfwise scan` Author/run `shelfwise process` again";
    const reason = `${folder} is not there any more; run \`shelfwise scan\` (it finds where the book went, if it is still in the library)`;
    expect(forPages(reason)).toBe(`${folder} is not there any more; use Scan library on the dashboard (it finds where the book went, if it is still in the library)`);
    // A plugin folder that claims a remembered id: the folders' names kept, the advice a page's.
    const claimant = "/plugins/run `shelfwise scan` now";
    const held = `id "p" belonged to /plugins/old, which is no longer in the plugin folder; ${claimant} now claims it and is not loaded until you enable it, because enabling hands it that id's settings (plugin_configs.p), the secrets it declares, its data folder and its health: if it is meant to replace the old plugin, run \`shelfwise plugins enable p\`; if not, remove ${claimant} or give it another id`;
    expect(forPages(held)).toBe(held.replace("run `shelfwise plugins enable p`", "use Enable on the Plugins page"));
  });
});
