/**
 * Advice naming a shelfwise command, in the two voices it is read in: the
 * command line's words, and a page's (a page has buttons, not commands). The
 * CLI builds its words from here; the server rewrites each piece found in
 * what it sends with `forPages`, which also covers words stored by an older
 * shelfwise (a plugin's reason is kept in the database as it was said).
 */

interface Advice {
  /** The command line's words, as stored and printed. */
  cli: (...args: string[]) => string;
  /** The same words as found in text (arguments captured in order). */
  found: RegExp;
  /** A page's words, given the captured arguments. */
  page: (...args: string[]) => string;
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
} satisfies Record<string, Advice>;

const ALL: Advice[] = Object.values(ADVICE);

/** `text` with each piece of command-line advice in it said as a page says it; other text is left as it is. */
export function forPages(text: string): string {
  if (!text.includes("`shelfwise ")) return text;
  let out = text;
  for (const advice of ALL) out = out.replace(advice.found, (...match: string[]) => advice.page(...match.slice(1, -2)));
  return out;
}
