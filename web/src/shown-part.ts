// A list that may be long (a book's files: 2,000 MP3 chapters made a page of 2,000 lines), shown a part at a time.
import { useState } from "preact/hooks";
import { counted } from "../../src/domain/plural.js";
import { html } from "./ui.js";

/** Items shown before "Show all": a book of 50 chapters still shows whole. */
export const SHOWN_FIRST = 50;

let lists = 0;

/**
 * The first `first` items of a list, and a button that shows them all ("Show all 2,000 files") and back. The
 * button keeps the keyboard's focus as it changes its words (it is the same button), tells its state by
 * aria-expanded, and names the list it controls.
 */
export function ShownPart<T>({ items, noun, className, item, first = SHOWN_FIRST, of }: { items: T[]; noun: string; className: string; item: (value: T) => unknown; first?: number; of?: string }) {
  const [all, setAll] = useState(false);
  const [id] = useState(() => `shown-part-${++lists}`);
  const long = items.length > first;
  const shown = long && !all ? items.slice(0, first) : items;
  return html`<ul id=${id} class=${className}>${shown.map(item)}</ul>
    ${long
      ? // `of` names whose list it is (" of narrator"), so the buttons of a table's rows are told apart by a screen reader.
        html`<p><button type="button" class="secondary small" aria-expanded=${all ? "true" : "false"} aria-controls=${id} data-show-all=${noun} onClick=${() => setAll(!all)}>${all
          ? `Show the first ${first} ${noun}s${of ?? ""} only`
          : `Show all ${counted(items.length, noun)}${of ?? ""}`}</button>${all ? null : html` <span class="muted">(${first} shown)</span>`}</p>`
      : null}`;
}
