// A list that may be long (a book's files: 2,000 MP3 chapters made a page of 2,000 lines), shown a part at a time.
import { useEffect, useState } from "preact/hooks";
import { counted } from "../../src/domain/plural.js";
import { html } from "./ui.js";

/** Items shown before "Show all": a book of 50 chapters still shows whole. */
export const SHOWN_FIRST = 50;

let lists = 0;

/**
 * The first `first` items of a list, and a button that shows them all ("Show all 2,000 files") and back. The
 * button keeps the keyboard's focus as it changes its words (it is the same button), tells its state by
 * aria-expanded, and names the list it controls.
 *
 * A list the server sends only the start of (`items` of `total`, a book of 20,000 files) gets the rest from
 * `more` (the items from an offset on, a page of them) once the user asks for all; the page says it is loading
 * them, and what went wrong if they did not come.
 */
export function ShownPart<T>({ items, total = items.length, more, noun, className, item, first = SHOWN_FIRST, of }: { items: T[]; total?: number; more?: (offset: number, signal: AbortSignal) => Promise<T[]>; noun: string; className: string; item: (value: T) => unknown; first?: number; of?: string }) {
  const [all, setAll] = useState(false);
  const [id] = useState(() => `shown-part-${++lists}`);
  const [rest, setRest] = useState<{ from: T[]; items: T[] } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const fetches = more !== undefined && total > items.length;
  useEffect(() => {
    setFailed(null);
    if (!all || !fetches) return;
    const controller = new AbortController();
    void (async () => {
      const got: T[] = [];
      try {
        while (items.length + got.length < total) {
          const page = await more(items.length + got.length, controller.signal);
          if (page.length === 0) break; // fewer than said (the book changed meanwhile): what there is
          got.push(...page);
        }
        setRest({ from: items, items: got });
      } catch (error) {
        if ((error as Error)?.name !== "AbortError") setFailed((error as Error)?.message ?? String(error));
      }
    })();
    return () => controller.abort();
  }, [all, items, total]);
  // The rest loaded for an older start (the page loaded afresh since) is not shown with the new one.
  const whole = !fetches ? items : rest?.from === items ? [...items, ...rest.items] : null;
  const long = total > first;
  const shown = long && !all ? items.slice(0, first) : (whole ?? items);
  return html`<ul id=${id} class=${className} aria-busy=${all && whole === null && !failed ? "true" : undefined}>${shown.map(item)}</ul>
    ${long
      ? // `of` names whose list it is (" of narrator"), so the buttons of a table's rows are told apart by a screen reader.
        html`<p><button type="button" class="secondary small" aria-expanded=${all ? "true" : "false"} aria-controls=${id} data-show-all=${noun} onClick=${() => setAll(!all)}>${all
          ? `Show the first ${first} ${noun}s${of ?? ""} only`
          : `Show all ${counted(total, noun)}${of ?? ""}`}</button>${all
          ? failed
            ? html` <span class="error" role="alert">the other ${noun}s did not load: ${failed}</span>`
            : whole === null
              ? html` <span class="muted" role="status">loading the other ${counted(total - items.length, noun)}…</span>`
              : null
          : html` <span class="muted">(${first} shown)</span>`}</p>`
      : null}`;
}
