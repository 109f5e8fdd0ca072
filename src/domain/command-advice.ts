/**
 * Advice naming a shelfwise command, in the two voices it is read in: the
 * command line's words, and a page's (a page has buttons, not commands). The
 * CLI builds its words from here; the server rewrites each piece found in
 * what it sends with `forPages`, which also covers words stored by an older
 * shelfwise (a plugin's reason is kept in the database as it was said).
 */

import { shellWord } from "./shell-word.js";

interface Advice {
  /** The command line's words, as stored and printed. */
  cli: (...args: string[]) => string;
  /** The same words as found in text (arguments captured in order). */
  found: RegExp;
  /** A page's words, given the captured arguments. */
  page: (...args: string[]) => string;
  /** Words that name no command (no "`shelfwise "): looked for in any text forPages is given. */
  plain?: boolean;
}

const ARG = "([^`\\s]+)";
const ARGS = "([^`]+?)";

export const ADVICE = {
  pluginEnable: {
    cli: () => "`shelfwise plugins enable` turns it on",
    found: /`shelfwise plugins enable(?: [^`]*)?` turns it on/g,
    page: () => "Enable on the Plugins page turns it on",
  },
  sourceEnable: {
    cli: () => "`shelfwise sources enable` turns it on",
    found: /`shelfwise sources enable(?: [^`]*)?` turns it on/g,
    page: () => "Enable under HTTP sources on the Plugins page turns it on",
  },
  pluginGrantRun: {
    cli: (id: string, names: string, verb: string) => `run \`shelfwise plugins grant ${id} ${names}\` to ${verb}`,
    found: new RegExp(`run \`shelfwise plugins grant ${ARG} ${ARGS}\` to ((?:share|give) (?:it|them)(?: back)?)`, "g"),
    page: (id: string, names: string, verb: string) => `Grant ${names.split(" ").join(", ")} on the page of plugin ${id} (Plugins) to ${verb}`,
  },
  pluginGrantShares: {
    cli: (id: string, name: string, does: string) => `\`shelfwise plugins grant ${id} ${name}\` ${does}`,
    found: new RegExp(`\`shelfwise plugins grant ${ARG} ${ARG}\` (shares it|gives it back)`, "g"),
    page: (id: string, name: string, does: string) => `Grant ${name} on the page of plugin ${id} (Plugins) ${does}`,
  },
  addLibrary: {
    cli: () => "add one with `shelfwise library add /path/to/audiobooks` (or give it to `shelfwise scan /path/to/audiobooks`)",
    found: /add one with `shelfwise library add [^`]*` \(or give it to `shelfwise scan [^`]*`\)/g,
    page: () => "add one under Library folders on the Settings page",
  },
  /**
   * output_path unset, as config.json and `config set` say it (null); a page edits it in a field, emptied to unset
   * it (the Settings page's save, and a scan's error shown on the dashboard, which names the field).
   */
  outputUnset: {
    cli: () => "or null to keep each book in its library folder",
    found: /\bor null to keep each book in its library folder/g,
    page: () => "or empty the field (output_path under Configuration on the Settings page) to keep each book in its library folder",
    plain: true,
  },
  /**
   * The example of a folder for output_path: a command line's words in backticks, a page's as plain text (a page
   * showed the backticks themselves, a command-line style, in a sentence about a field).
   */
  outputExample: {
    cli: () => "(`~/Audiobooks/Sorted`)",
    found: /\(`~\/Audiobooks\/Sorted`\)/g,
    page: () => "(such as ~/Audiobooks/Sorted)",
    plain: true,
  },
  /**
   * Why plan and apply hold a book (organize's hold reasons), named as the CLI's `plan` prints it; a page says the
   * reason in plain text.
   */
  heldAs: {
    cli: (reason: string) => `(\`${reason}\`)`,
    found: /\(`(read_only|permission_denied)`\)/g,
    page: (reason: string) => `(${reason})`,
    plain: true,
  },
  /**
   * Where an HTTP source's definition is shown (a key in its URL would be too): the CLI's command in backticks, a
   * page's words plain.
   */
  sourceShown: {
    cli: () => "it is shown in `sources list` and the pages",
    found: /\bit is shown in `sources list` and the pages/g,
    page: () => "it is shown on the pages and by the command line's sources list",
    plain: true,
  },
  /**
   * A folder book with files the last scan did not see (organize/folder-check.ts): on a page the two steps are the
   * dashboard's two actions, in order, and the move is the Review page's Apply (the CLI's words say `apply`).
   */
  scanAddedFirst: {
    cli: () => "run `shelfwise scan` and `shelfwise process` first, then apply moves",
    found: /run `shelfwise scan` and `shelfwise process` first, then apply moves/g,
    page: () => "use Scan library and then Process on the dashboard first, then Apply on the Review page moves",
  },
  reenable: {
    cli: (kind: string, id: string) => `\`shelfwise ${kind} reset ${id}\` to re-enable it`,
    found: new RegExp(`\`shelfwise (plugins|sources) reset ${ARG}\` to re-enable it`, "g"),
    page: (kind: string, id: string) => `use Re-enable (${kind === "plugins" ? "plugin" : "source"} ${id}) on the Health page`,
  },
} satisfies Record<string, Advice>;

const ALL: Advice[] = Object.values(ADVICE);
const PLAIN: Advice[] = ALL.filter((advice) => advice.plain);

/** Whether `text` may hold advice with a page's words (a command, or plain advice): most text holds none. */
function advises(text: string): boolean {
  return text.includes("`shelfwise ") || PLAIN.some((advice) => text.search(advice.found) >= 0);
}

/**
 * Every other command a sentence of shelfwise names, as the control on a page
 * that does the same (the whole class, not a list of sentences: a reason
 * stored by a plugin run, a move's error, a job's message, a scan problem).
 * `words` is the command line after `shelfwise `; the answer names a control
 * that exists (web/src/pages), or the page that shows what the command shows.
 * Checked in order: the first whose pattern matches the whole command line.
 */
const CONTROLS: [RegExp, (...args: string[]) => string][] = [
  [/^scan(?: .*)?$/, () => "Scan library on the dashboard"],
  [/^process --layer (\S+) --rerun$/, (layer) => `Rerun for all books (layer ${layer}) on the Pipeline page`],
  [/^process(?: .*)?$/, () => "Process on the dashboard"],
  [/^plugins reset (\S+)$/, (id) => `Retry (plugin ${id}) on the Health page`],
  [/^plugins reset$/, () => "Retry on the Health page"],
  [/^plugins health(?: \S+)?$/, () => "the Health page"],
  [/^plugins enable(?: \S+)?$/, () => "Enable on the Plugins page"],
  [/^plugins disable(?: \S+)?$/, () => "Disable on the Plugins page"],
  [/^plugins grant (\S+) (.+)$/, (id, names) => `Grant ${names.split(" ").join(", ")} on the page of plugin ${id} (Plugins)`],
  [/^plugins (?:list|show|config|secrets?)(?: .*)?$/, () => "the Plugins page"],
  // A secret plugin setting is given and cleared in its plugin's form; a declared secret's grant is on the same page.
  [/^secrets (?:set|unset) plugin_configs\.([^.\s]+)\..+$/, (id) => `the settings of plugin ${id} on the Plugins page`],
  // An HTTP source's own key (sources.<id>.<key>) is typed into that source's form.
  [/^secrets (?:set|unset) sources\.([^.\s]+)\..+$/, (id) => `the key field of HTTP source ${id}'s form, under HTTP sources on the Plugins page`],
  [/^secrets(?: .*)?$/, () => "the Plugins page"],
  [/^sources reset(?: \S+)?$/, () => "Re-enable under HTTP sources on the Plugins page"],
  [/^sources(?: .*)?$/, () => "HTTP sources on the Plugins page"],
  [/^layers(?: .*)?$/, () => "the Pipeline page"],
  [/^library remove(?: (.+))?$/, (folder) => `Remove${folder ? ` (${folder})` : ""} under Library folders on the Settings page`],
  [/^library add(?: (.+))?$/, (folder) => `Add${folder ? ` (${folder})` : ""} under Library folders on the Settings page`],
  // The Settings page sets output_path with `config set`'s checks (server/routes/settings.ts): "no page sets it" sent
  // the user to edit config.json by hand. FOLDER is the command's placeholder, not a folder to name.
  [/^config (?:set|unset) output_path(?: (.+))?$/, (folder) => `${folder && folder !== "FOLDER" ? `output_path set to ${folder}` : "output_path"} under Configuration on the Settings page`],
  [/^config (?:set|unset) (\S+)(?: .*)?$/, (key) => `${key} under Configuration on the Settings page (a key it does not list: in the data folder's config.json)`],
  [/^book (\d+) --unlock$/, (id) => `Unlock book on the page of book #${id}`],
  [/^book (\d+)(?: .*)?$/, (id) => `Correct on the page of book #${id}`],
  [/^book(?: .*)?$/, () => "Correct on the book's page"],
  [/^books(?: .*)?$/, () => "the Books page"],
  [/^history(?: .*)?$/, () => "History on the Review page"],
  [/^undo(?: (\d+))?(?: .*)?$/, (id) => `Undo${id ? ` move ${id}` : ""} under History on the Review page`],
  [/^apply(?: .*)?$/, () => "Apply on the Review page"],
  [/^plan(?: .*)?$/, () => "the Review page"],
  [/^(?:status|doctor)(?: .*)?$/, () => "the dashboard"],
  [/^serve(?: .*)?$/, () => "the shelfwise server"],
];

/** "run `shelfwise scan`", "`shelfwise book 4 --set title=...`": one command, with the verb that asks to type it. */
const COMMAND = /(\b(?:run|use|try) )?`shelfwise ([^`\n]+)`/g;

/** The control for one command line, or null when no page does what it does (creating a plugin, say). */
function control(words: string): string | null {
  const line = words.trim().replace(/\s+/g, " ");
  for (const [pattern, page] of CONTROLS) {
    const match = pattern.exec(line);
    if (match) return page(...match.slice(1).map((arg) => arg ?? ""));
  }
  return null;
}

/**
 * A sentence of shelfwise's that gives command advice and holds values (a path, a title, a folder name, an error):
 * `` const GONE = sentence`${0} is gone; run \`shelfwise scan\``; `` then `GONE(from)` is the command line's
 * words, the same text as a template literal gave. The sentence's parts are known, so a page's words are made from
 * its own words only: a value is put back as it was, whatever it holds (a folder named `` `shelfwise scan` `` stays
 * that name on a page, where rewriting the whole text made it "Scan library on the dashboard"). Each `${n}` is the
 * n-th argument (one may be used twice). Defined at a module's top level, so a text stored by another process (a
 * move's error written by a CLI `apply`) is recognised too.
 */
export function sentence(parts: TemplateStringsArray, ...slots: number[]): (...values: (string | number)[]) => string {
  const literals = [...parts];
  // The longest part first: the one least likely to be in a text that is not this sentence.
  SENTENCES.push({ literals, slots, probe: [...literals].sort((a, b) => b.length - a.length), pattern: null });
  return (...values) => {
    let out = literals[0]!;
    for (let i = 0; i < slots.length; i++) out += String(values[slots[i]!]) + literals[i + 1]!;
    return out;
  };
}

interface Sentence {
  literals: string[];
  slots: number[];
  probe: string[];
  pattern: RegExp | null;
}

const SENTENCES: Sentence[] = [];

/** The sentences defined so far, each as its template's parts (for a test that fills them with hostile values). */
export function knownSentences(): { literals: readonly string[]; slots: readonly number[] }[] {
  return SENTENCES.map(({ literals, slots }) => ({ literals, slots }));
}

/** A value that cannot make or break a command's words (an id, a number): left in place, so a control can name it. */
const INERT = /^[\w.#-]*$/;
const HOLE = /\u0001(\d+)\u0002/g;

/** `text` in a page's words when it is one of the sentences above, its values untouched; null when it is none. */
function sentenceForPages(text: string): string | null {
  for (const known of SENTENCES) {
    if (!known.probe.every((literal) => text.includes(literal))) continue;
    // Greedy: a value holding the words that follow it is taken whole (the sentence's own words are the last ones).
    known.pattern ??= new RegExp(`^${known.literals.map((literal) => literal.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")).join("([\\s\\S]*)")}$`);
    const match = known.pattern.exec(text);
    if (!match) continue;
    const values = match.slice(1);
    let masked = known.literals[0]!;
    values.forEach((value, i) => (masked += (INERT.test(value) ? value : `\u0001${i}\u0002`) + known.literals[i + 1]!));
    // A folder quoted for the shell in the command (`library add '/srv/my books'`) is named on a page as it is.
    const shown = values.map((value) => values.find((raw) => raw !== value && shellWord(raw) === value) ?? value);
    return rewrite(masked).replace(HOLE, (_hole, i: string) => shown[Number(i)]!);
  }
  return null;
}

/**
 * What a plugin or a web service said (its error, its warnings), perhaps inside a sentence of shelfwise's (an
 * interruption's note): only such a sentence's own words are a page's; any other text is shown as it was said,
 * whatever it holds (a plugin's "run `shelfwise scan`" is its words, not shelfwise's advice).
 */
export function othersWordsForPages(text: string): string {
  if (!text.includes("`shelfwise ")) return text;
  return sentenceForPages(text) ?? text;
}

/**
 * `text` with each piece of command-line advice in it said as a page says it; other text is left as it is. A
 * sentence made by `sentence` has only its own words rewritten; any other text is taken as shelfwise's words whole
 * (a reason or message that holds no value a user or a file named).
 */
export function forPages(text: string, values: readonly string[] = []): string {
  if (!advises(text)) return text;
  const known = sentenceForPages(text);
  if (known !== null) return known;
  // Any other text: the values given (what the same answer holds beside it: the book's path, its title) are kept.
  const kept = values.filter((value) => value !== "" && text.includes(value) && !withinPlainWords(value)).sort((a, b) => b.length - a.length);
  if (kept.length === 0) return rewrite(text);
  let masked = text;
  kept.forEach((value, i) => (masked = masked.split(value).join(`\u0001${i}\u0002`)));
  return rewrite(masked).replace(HOLE, (_hole, i: string) => kept[Number(i)]!);
}

/**
 * A value that is a piece of plain advice's own words (output_path `/` or `Sorted`, in "(`~/Audiobooks/Sorted`)"):
 * kept in place, it cut those words apart and they were shown as the command line's. Unkept, it is only ever
 * rewritten as part of those whole words; one with a backtick is kept (it might complete a command's words).
 */
function withinPlainWords(value: string): boolean {
  return !value.includes("`") && PLAIN.some((advice) => advice.cli.length === 0 && advice.cli().length > value.length && advice.cli().includes(value));
}

function rewrite(text: string): string {
  let out = text;
  for (const advice of ALL) out = out.replace(advice.found, (...match: string[]) => advice.page(...match.slice(1, -2)));
  if (!out.includes("`shelfwise ")) return out;
  return out.replace(COMMAND, (whole, verb: string | undefined, words: string) => {
    const page = control(words);
    if (page === null) return whole;
    // "restart `shelfwise serve`" reads "restart the shelfwise server"; "run" a button reads "use" it.
    if (!verb) return page;
    return /^(?:the |History )/.test(page) ? `see ${page}` : `use ${page}`;
  });
}
