import { useState } from "preact/hooks";
import { counted } from "../../../src/domain/plural.js";
import { html, useLoad, fieldProblems, problemsOf, Loading, StateBadge } from "../ui.js";
import { get, query } from "../api.js";

const COLUMNS: [string, string][] = [
  ["status", "Status"],
  ["confidence", "Conf."],
  ["author", "Author"],
  ["title", "Title"],
  ["series", "Series"],
  ["narrator", "Narrator"],
  ["year", "Year"],
  ["language", "Lang."],
  ["path", "Path"],
];
const PAGE = 50;
/** The statuses a book can have; the list may tick several (the API's `status=identified,new`, as the CLI's --status). */
const STATUSES = ["new", "pending", "identified", "needs_attention", "missing"];

function setParams(params: URLSearchParams, change: Record<string, string | undefined>): void {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined || v === "") next.delete(k);
    else next.set(k, v);
  }
  if (!("offset" in change)) next.delete("offset");
  location.hash = `#/books?${next.toString()}`;
}

/** The address's parameters by the words the page shows for them. */
const LABELS: Record<string, string> = {
  text: "Search",
  status: "Status",
  author: "Author",
  series: "Series",
  min_confidence: "Min conf.",
  max_confidence: "Max conf.",
  layer_errors: "Layer errors",
  problem: "On disk",
  sort: "Sort",
  order: "Order",
  offset: "Page",
  limit: "Page size",
};

/** What the disk check finds (the dashboard's "Needs you"): the API's `problem`, by the words the filter shows. */
const PROBLEMS = [
  ["gone", "gone from their place"],
  ["back", "missing, there again"],
  ["duplicates", "old records of a book recorded again"],
] as const;

/** The filters typed into a field (applied on change or with the form). */
const TYPED = ["author", "series", "min_confidence", "max_confidence"];

export function Books({ params }: { params: URLSearchParams }) {
  // Only the list's own parameters: one it does not know (an old bookmark's `?q=`, a hand-made link) is left out,
  // where the API's 400 left the list empty with "Q: Unrecognized key".
  const p = Object.fromEntries([...params.entries()].filter(([name]) => Object.hasOwn(LABELS, name)));
  const key = new URLSearchParams(p).toString();
  // A refused address (typed or pasted) is shown by the filters' labels (useLoad's error), not as query.<name>.
  const loaded = useLoad((signal) => get(`/api/books${query({ ...p, limit: PAGE })}`, signal), [key], LABELS);
  // The rows on screen stay while the next sort, filter or page loads, marked busy until it is in.
  const data = loaded.data ?? loaded.last;
  const error = loaded.error;
  const busy = loaded.data === null && error === null;
  // A refused address (typed or pasted) marks its filter, beside it.
  const filters = fieldProblems(problemsOf(loaded.failure), "books", LABELS, false);
  const [text, setText] = useState(p.text ?? "");
  const offset = Number(p.offset ?? 0);
  const sort = p.sort ?? "path";
  const desc = p.order === "desc";
  // Anything that narrows the list (not the sort, the order or the page).
  const filtered = [...params.keys()].some((name) => !["sort", "order", "offset"].includes(name));
  const chosen = (p.status ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  // Filters applied on change (Enter, leaving the field) hold what is being typed until then: a default value,
  // not a value, which every redraw (a run's status events come five times a second) would put back. Keyed by
  // the address's value, so a new address (Clear, back) shows its own.
  const field = (name: string, label: string, type = "text", extra: Record<string, unknown> = {}) => html`
    <label>${label}<input type=${type} name=${name} key=${`${name}=${p[name] ?? ""}`} defaultValue=${p[name] ?? ""} ...${extra} ...${filters.control(name)}
      onChange=${(e: Event) => setParams(params, { [name]: (e.target as HTMLInputElement).value })} />${filters.message(name)}</label>`;
  return html`
    <h1>Books</h1>
    <form class="filters" role="search" onSubmit=${(e: Event) => {
      e.preventDefault();
      // Every field as typed, not only the search: Enter in the Author field submits the form too, and a
      // change applied on its own just before would be overwritten from the address as it was.
      const form = e.currentTarget as HTMLFormElement;
      const typed = Object.fromEntries(TYPED.map((name) => [name, (form.elements.namedItem(name) as HTMLInputElement | null)?.value]));
      setParams(params, { ...typed, text });
    }}>
      <label>Search<input type="search" name="text" ...${filters.control("text")} value=${text} placeholder="author, title, series, folder…" onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)} />${filters.message("text")}</label>
      <fieldset class="statuses"><legend>Status <small class="muted">${chosen.length ? "" : "(any)"}</small></legend>
        ${STATUSES.map(
          (s) => html`<label class="check"><input type="checkbox" name="status" ...${filters.control("status")} value=${s} checked=${chosen.includes(s)}
            onChange=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              // In the statuses' own order, whatever the order they were ticked in: one address per choice.
              setParams(params, { status: STATUSES.filter((x) => (x === s ? on : chosen.includes(x))).join(",") });
            }} />${s.replace("_", " ")}</label>`,
        )}
        ${filters.message("status")}
      </fieldset>
      ${field("author", "Author")} ${field("series", "Series")}
      ${field("min_confidence", "Min conf.", "number", { min: 0, max: 100 })} ${field("max_confidence", "Max conf.", "number", { min: 0, max: 100 })}
      <label>Layer errors<select name="layer_errors" ...${filters.control("layer_errors")} value=${p.layer_errors ?? ""} onChange=${(e: Event) => setParams(params, { layer_errors: (e.target as HTMLSelectElement).value })}>
        <option value="">any</option><option value="true">with errors</option><option value="false">without</option>
      </select>${filters.message("layer_errors")}</label>
      <label>On disk<select name="problem" ...${filters.control("problem")} value=${p.problem ?? ""} onChange=${(e: Event) => setParams(params, { problem: (e.target as HTMLSelectElement).value })}>
        <option value="">as recorded</option>${PROBLEMS.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </select>${filters.message("problem")}</label>
      <button type="submit">Search</button>
      ${key ? html`<a href="#/books" class="button secondary">Clear</a>` : null}
    </form>
    ${!data
      ? html`<${Loading} error=${error} />`
      : html`
        ${error && !loaded.data ? html`<${Loading} error=${error} />` : null}
        <p class="muted" aria-live="polite">${counted(data.total, "book")}${data.total ? `, showing ${offset + 1}–${Math.min(offset + PAGE, data.total)}` : ""}</p>
        ${data.total === 0 && offset === 0
          ? // A header with nothing under it, and a pager with nowhere to go, read as a fault: say what is true.
            html`<p class="empty" data-empty=${filtered ? "filtered" : "library"}>${filtered
              ? html`No book matches these filters. <a href="#/books">Clear them</a> to see every book.`
              : html`No books yet: <a href="#/">scan the library</a> from the dashboard (its folders are on the <a href="#/settings">Settings</a> page).`}</p>`
          : html`<div class="scroll"><table class="books" aria-busy=${busy ? "true" : "false"}>
          <thead><tr>
            ${COLUMNS.map(([col, label]) => {
              const active = sort === col;
              return html`<th scope="col" aria-sort=${active ? (desc ? "descending" : "ascending") : "none"}>
                <button class="link sort" onClick=${() => setParams(params, { sort: col, order: active && !desc ? "desc" : undefined })}>${label}${active ? (desc ? " ▼" : " ▲") : ""}</button></th>`;
            })}
          </tr></thead>
          <tbody>
            ${data.books.map(
              (b: any) => html`<tr>
                <td><${StateBadge} state=${b.status} />${b.locked ? html` <span title="locked" aria-label="locked">🔒</span>` : null}${b.layer_errors ? html` <span class="warn" title="a layer failed">!</span>` : null}</td>
                <td class="num">${b.confidence}</td>
                <td><div class="clamp">${b.author ? html`<a href=${`#/books?author=${encodeURIComponent(b.author)}`}>${b.author}</a>` : html`<span class="muted">?</span>`}</div></td>
                <td><div class="clamp"><a href=${`#/books/${b.id}`}>${b.title ?? "(unknown title)"}</a></div></td>
                <td><div class="clamp">${b.series ? html`<a href=${`#/books?series=${encodeURIComponent(b.series)}`}>${b.series}</a>` : ""}${b.series_num ? ` #${b.series_num}` : ""}</div></td>
                <td><div class="clamp">${b.narrator ?? ""}</div></td><td><div class="clamp">${b.year ?? ""}</div></td><td><div class="clamp">${b.language ?? ""}</div></td>
                <td class="path"><div class="clamp">${html`<a href=${`#/books/${b.id}`}>${b.path}</a>`}</div></td>
              </tr>`,
            )}
          </tbody>
        </table></div>
        <nav class="pager" aria-label="Pages of books">
          <button disabled=${offset === 0} onClick=${() => setParams(params, { offset: String(Math.max(0, offset - PAGE)) })}>Previous</button>
          <button disabled=${offset + PAGE >= data.total} onClick=${() => setParams(params, { offset: String(offset + PAGE) })}>Next</button>
        </nav>`}`}
  `;
}
