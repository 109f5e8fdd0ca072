// A list that may be long (a book's files: 2,000 MP3 chapters made a page of 2,000 lines), shown a part at a time.
import { useEffect, useRef, useState } from "preact/hooks";
import { counted } from "../../src/domain/plural.js";
import { html } from "./ui.js";
import { useStore } from "./state.js";

/** Items shown before "Show all": a book of 50 chapters still shows whole. */
export const SHOWN_FIRST = 50;

/**
 * Items added by one press: 20,000 list items at once took chromium seconds (and a screen reader's list as long);
 * 500 render at once, and the rest are a few presses away.
 */
export const SHOWN_STEP = 500;

let lists = 0;

/**
 * The first `first` items of a list, and a button that shows SHOWN_STEP more a press ("Show 500 more of 20,000
 * files"), all when that is the rest ("Show all 1,200 files"), and back to the first ones. The button keeps the
 * keyboard's focus as it changes its words (it is the same button) and names the list it controls; a status
 * beside it says how many are shown, so a screen reader hears what the press did.
 *
 * A list the server sends only the start of (`items` of `total`, a book of 20,000 files) gets the others from
 * `more` (`limit` items from an offset on) as the presses need them; the page says it is loading them, and what
 * went wrong if they did not come. What was fetched is kept for `source` (the book's id and its files_total): a
 * page reloaded by any data event gives a new `items` of the same list, which fetches nothing again.
 */
export function ShownPart<T>({ items, total = items.length, more, source = "", noun, className, item, first = SHOWN_FIRST, of }: { items: T[]; total?: number; more?: (offset: number, limit: number, signal: AbortSignal) => Promise<T[]>; source?: string; noun: string; className: string; item: (value: T) => unknown; first?: number; of?: string }) {
  const [id] = useState(() => `shown-part-${++lists}`);
  // How many are asked for, for the list named `source` (another book's list, or this one changed, starts again).
  const [asked, setAsked] = useState({ source, count: first });
  const count = asked.source === source ? Math.min(asked.count, total) : Math.min(first, total);
  // `ended`: the server had fewer than it said (the book changed meanwhile): what there is, not loading forever.
  const fetched = useRef<{ source: string; items: T[]; ended: boolean }>({ source, items: [], ended: false });
  if (fetched.current.source !== source) fetched.current = { source, items: [], ended: false };
  const [, loaded] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);
  // Items that did not come (the server stopped mid-list) are asked for again when the page's data is loaded afresh
  // (the server back, a change seen): the failure stayed beside a page that worked again, the list never completed.
  const { version } = useStore();
  const [retries, setRetries] = useState(0);
  useEffect(() => {
    if (failed !== null) setRetries((n) => n + 1);
  }, [version]);
  const fetches = more !== undefined && total > items.length;
  const have = () => items.length + fetched.current.items.length;
  useEffect(() => {
    setFailed(null);
    if (!fetches || have() >= count || fetched.current.ended) return;
    const controller = new AbortController();
    const kept = fetched.current;
    void (async () => {
      try {
        while (items.length + kept.items.length < count) {
          const page = await more(items.length + kept.items.length, count - items.length - kept.items.length, controller.signal);
          // A press since (or another book) started its own fetch from where this one stood: this answer is not kept twice.
          if (controller.signal.aborted) return;
          if (page.length === 0) {
            kept.ended = true;
            break;
          }
          kept.items.push(...page);
        }
        loaded((n) => n + 1);
      } catch (error) {
        if ((error as Error)?.name !== "AbortError") setFailed((error as Error)?.message ?? String(error));
      }
    })();
    return () => controller.abort();
  }, [count, source, fetches, retries]);
  const whole = fetches ? [...items, ...fetched.current.items] : items;
  const waiting = fetches && have() < count && !fetched.current.ended && failed === null;
  const shown = whole.slice(0, waiting ? Math.min(whole.length, count) : count);
  const long = total > first;
  const all = count >= total;
  const step = Math.min(SHOWN_STEP, total - count);
  const press = () => setAsked({ source, count: all ? first : count + step });
  return html`<ul id=${id} class=${className} aria-busy=${waiting ? "true" : undefined}>${shown.map(item)}</ul>
    ${long
      ? // `of` names whose list it is (" of narrator"), so the buttons of a table's rows are told apart by a screen reader.
        html`<p><button type="button" class="secondary small" aria-expanded=${all ? "true" : "false"} aria-controls=${id} data-show-all=${noun} onClick=${press}>${all
          ? `Show the first ${first} ${noun}s${of ?? ""} only`
          : count + step >= total
            ? `Show all ${counted(total, noun)}${of ?? ""}`
            : `Show ${step} more of ${counted(total, noun)}${of ?? ""}`}</button> <span class="muted" role="status">${waiting
          ? `loading ${counted(count - have(), noun)}…`
          : `(${all ? "all" : count === first ? first : `${count} of ${total}`} shown)`}</span>${failed
          ? html` <span class="error" role="alert">the other ${noun}s did not load: ${failed}</span>`
          : null}</p>`
      : null}`;
}
