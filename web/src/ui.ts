// Small shared pieces: htm bound to preact, an action runner that shows the
// server's message, and formatting. htm/preact escape every text value, so a
// folder named <script> is shown, never run.
import { h, type ComponentChild } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import htm from "htm";
import { notify, useStore } from "./state.js";
import { ApiFailure } from "./api.js";

/**
 * Invisible direction controls (bidi overrides, embeddings, isolates, marks).
 * A folder named "\u202Egnp.exe" would read as "exe.png", and its override
 * would run on into the text after it (a file size, the next path). In
 * shown text each one is put in an element of its own that isolates it
 * (app.css: unicode-bidi: isolate), so it reorders nothing, and marked
 * visibly with its code point; the text itself (textContent, and every value
 * sent back to the server) keeps the character. Inside an <option>, which
 * holds text only, the character is replaced by the mark (its value keeps
 * it); a <textarea>'s text is a value, left as it is.
 */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const BIDI_ALL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const TEXT_ONLY = new Set(["option", "title"]);
/** A quick test before the exact one: some run of marks at all. */
const STACK_HINT = /\p{M}{5}/u;

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Text for places that hold text only (an option, the window's title): each direction control as its visible mark. */
export function markedControls(text: string): string {
  return text.replace(BIDI_ALL, (c) => `[${codePoint(c)}]`);
}

/** Letters (grapheme clusters) of a page's heading kept in the window's title. */
export const TITLE_KEPT = 80;

/**
 * A page's heading as the window's title (the tab, the window list, a screen reader's "page changed"): a book
 * named in 300 characters filled them whole; a title with line breaks, tabs or other control characters drew
 * them as boxes, and a direction override reordered the tab's text. Control characters and runs of white space
 * become one space, a letter's pile of combining marks is cut as on the page, direction controls are marked,
 * and past TITLE_KEPT letters the rest is an ellipsis. It is set as text (document.title), never as markup.
 */
export function windowTitle(text: string): string {
  const plain = text.replace(/[\p{Cc}\s]+/gu, " ").trim().replace(MARK_RUN, (_all, kept: string, rest: string) => `${kept}[+${[...rest].length} marks]`);
  const letters = [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(plain)].map((s) => s.segment);
  const kept = letters.length > TITLE_KEPT ? `${letters.slice(0, TITLE_KEPT - 1).join("").trimEnd()}…` : plain;
  return markedControls(kept);
}

function isolated(text: string): ComponentChild[] {
  const parts: ComponentChild[] = [];
  let last = 0;
  for (const match of text.matchAll(BIDI_ALL)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const code = codePoint(match[0]);
    parts.push(h("span", { class: "bidi-control", "data-code": code, title: `invisible text-direction control ${code}` }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * Combining marks stacked on one letter ("Zalgo" text: a name with hundreds
 * of accents on a letter) are drawn as a column that runs up and down over
 * the page, over the header and the controls. Past MARKS_KEPT on one letter
 * (no script needs more), the rest are shown as a mark saying how many; the
 * text itself keeps them (their element has no size on screen).
 */
const MARKS_KEPT = 4;
const MARK_RUN = new RegExp(`(\\p{M}{${MARKS_KEPT}})(\\p{M}+)`, "gu");

function withStackedMarks(text: string, textOnly: boolean): unknown {
  if (!text.match(MARK_RUN)) return textOnly ? markedControls(text) : isolatedOrPlain(text);
  if (textOnly) return markedControls(text.replace(MARK_RUN, (_all, kept: string, rest: string) => `${kept}[+${[...rest].length} marks]`));
  const parts: unknown[] = [];
  let last = 0;
  for (const match of text.matchAll(MARK_RUN)) {
    const end = match.index + match[1]!.length;
    parts.push(isolatedOrPlain(text.slice(last, end)));
    const count = [...match[2]!].length;
    parts.push(h("span", { class: "stacked-marks", "data-count": `+${count} marks`, title: `${count} more combining marks on this letter, not drawn` }, match[2]!));
    last = end + match[2]!.length;
  }
  if (last < text.length) parts.push(isolatedOrPlain(text.slice(last)));
  return parts;
}

function isolatedOrPlain(text: string): unknown {
  return BIDI.test(text) ? isolated(text) : text;
}

function shownChild(child: unknown, textOnly: boolean): unknown {
  if (typeof child === "string") {
    if (!BIDI.test(child) && !STACK_HINT.test(child)) return child;
    return withStackedMarks(child, textOnly);
  }
  if (Array.isArray(child)) return child.map((c) => shownChild(c, textOnly));
  return child;
}

function shownH(type: any, props: any, ...children: unknown[]) {
  if (typeof type !== "string" || type === "textarea") return h(type, props, ...(children as ComponentChild[]));
  const textOnly = TEXT_ONLY.has(type);
  return h(type, props, ...(children.map((c) => shownChild(c, textOnly)) as ComponentChild[]));
}

export const html = htm.bind(shownH);

/** A parameter or key's words when a page has none of its own: `min_confidence` as "Min confidence", `book.title` as "Book title". */
export function fieldLabel(field: string, labels: Record<string, string> = {}): string {
  const own = labels[field];
  if (own !== undefined) return own;
  const words = field.replace(/[._]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "";
}

/**
 * What went wrong, in the page's words. The API's message names `query.status` or `body.book.title`, for
 * programs; a refused request also carries `fields` (the parameter by name), shown here by its label (the
 * page's own for it, given in `labels`, else the name in words). Every page shows a request's failure
 * through this, so none shows the raw `query.x:` text.
 */
export function failureText(failure: unknown, labels: Record<string, string> = {}): string {
  if (failure instanceof ApiFailure && failure.fields.length > 0) {
    return failure.fields.map((f) => (f.field ? `${fieldLabel(f.field, labels)}: ${f.message}` : f.message)).join("; ");
  }
  return (failure as Error)?.message ?? String(failure);
}

/** Runs a request, reports its message or error (in the page's words: `labels` as failureText's); resolves with the result or null. */
export async function act<T>(work: () => Promise<T>, okText?: string | ((result: T) => string), labels?: Record<string, string>): Promise<T | null> {
  try {
    const result = await work();
    const text = typeof okText === "function" ? okText(result) : okText ?? (result as any)?.message;
    // A save with a note (a value kept as typed, with what to check) stays until dismissed, as errors do.
    if (text) notify((result as any)?.notes?.length ? "note" : "ok", text);
    return result;
  } catch (error) {
    notify("error", failureText(error, labels), { goneWhenBack: error instanceof ApiFailure && error.goneWhenBack });
    return null;
  }
}

/**
 * One request that changes something at a time, per page part: `once(work)` runs it unless one is on its way
 * (then it does nothing), and `sending` disables the buttons meanwhile. A double-click (or Enter pressed twice) on
 * Apply, Undo or Scan sent the request twice; the second, refused while the first's job ran (409), showed an error
 * over the first's message. The ref, not the state, decides: a second click can come before the page is drawn again.
 */
export function useSending(): {
  sending: boolean;
  once: <T>(work: () => Promise<T | null>) => Promise<T | null>;
  doing: string;
  waiting: <T>(what: string, work: () => Promise<T | null>) => Promise<T | null>;
} {
  const [sending, setSending] = useState(false);
  // What is waiting for the server, for a form to say beside its button: a slow disk or a live check otherwise
  // kept the page silent with only the buttons greyed out.
  const [doing, setDoing] = useState("");
  const now = useRef(false);
  const once = async <T,>(work: () => Promise<T | null>): Promise<T | null> => {
    if (now.current) return null;
    now.current = true;
    setSending(true);
    try {
      return await work();
    } finally {
      now.current = false;
      setSending(false);
    }
  };
  const waiting = <T,>(what: string, work: () => Promise<T | null>) =>
    once(async () => {
      setDoing(what);
      try {
        return await work();
      } finally {
        setDoing("");
      }
    });
  return { sending, once, doing, waiting };
}

/**
 * Data for a page, loaded again when `deps` change, when the page asks
 * (`reload`) and when the server says its data changed. `data` is only ever
 * what was loaded for the current `deps`: while another book, plugin or
 * filter is loading it is null, so no page shows (or acts on) the previous
 * one's data under the new address (nor its error). `last` keeps the previous
 * value for lists that stay on screen, marked busy, while the next sort or page
 * loads. `error` is the failure in the page's words (failureText, with the
 * page's `labels` for its parameters); `failure` is the error itself.
 *
 * Only the newest request's answer is ever applied. A request is outdated as
 * soon as the page renders with other deps, a reload or a data-changed signal
 * (checked against what the page rendered last, not in the effect's cleanup,
 * which runs only after the browser paints: an answer landing in between,
 * read before a save, was applied over it), and it is aborted then (`signal`),
 * so a slow answer for a page left behind neither overwrites the current one
 * nor holds one of the browser's few connections to the server.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  labels?: Record<string, string>,
): { data: T | null; last: T | null; error: string | null; failure: Error | null; reload: () => void; set: (value: T) => void } {
  const key = JSON.stringify(deps);
  const [loaded, setLoaded] = useState<{ key: string; value: T } | null>(null);
  const [failed, setFailed] = useState<{ key: string; message: string; failure: Error } | null>(null);
  const [tick, setTick] = useState(0);
  // Subscribed, so a "data changed" signal re-renders the page and reloads it.
  const { version } = useStore();
  const request = `${key}\u0000${tick}\u0000${version}`;
  const newest = useRef(request);
  newest.current = request;
  const inFlight = useRef<AbortController | null>(null);
  if (inFlight.current && (inFlight.current as AbortController & { request?: string }).request !== request) {
    inFlight.current.abort();
    inFlight.current = null;
  }
  useEffect(() => {
    const controller = Object.assign(new AbortController(), { request });
    inFlight.current = controller;
    const current = () => newest.current === request && !controller.signal.aborted;
    load(controller.signal).then(
      (value) => current() && (setLoaded({ key, value }), setFailed(null)),
      (e: Error) => current() && setFailed({ key, message: failureText(e, labels), failure: e }),
    );
    return () => controller.abort();
  }, [request]);
  const current = loaded !== null && loaded.key === key ? loaded.value : null;
  const error = failed !== null && failed.key === key ? failed.message : null;
  const failure = failed !== null && failed.key === key ? failed.failure : null;
  return { data: current, last: loaded?.value ?? null, error, failure, reload: () => setTick((n) => n + 1), set: (value: T) => setLoaded({ key, value }) };
}

export function pct(rate: number | null): string {
  return rate === null ? "–" : `${Math.round(rate * 100)}%`;
}

export function when(iso: string | null): string {
  if (!iso) return "never";
  const d = new Date(iso);
  // The zone is named: a page read on another computer than the server, or across a clock change, is not misread.
  return d.toLocaleString(undefined, { timeZoneName: "short" });
}

/** The time of day in the reader's locale with its zone, for lines of recent activity. */
export function timeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { timeZoneName: "short" });
}

/** A time shown in the reader's locale, its exact ISO value kept in datetime (and in the tooltip). */
export function When({ iso }: { iso: string | null }) {
  if (!iso) return html`<span>never</span>`;
  return html`<time datetime=${iso} title=${iso}>${when(iso)}</time>`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function Loading({ error }: { error?: string | null }) {
  const { sessionEnded } = useStore();
  // Every part of a page fails alike once the login no longer holds (the Review page has two): the notice at
  // the top says it once, with how to sign in again; repeated by each part it read as several problems.
  if (error && sessionEnded) return html`<p class="muted" data-not-loaded>Not loaded: signed out.</p>`;
  return error ? html`<p class="error" role="alert">${error}</p>` : html`<p class="muted">Loading…</p>`;
}

export function StateBadge({ state }: { state: string }) {
  return html`<span class=${`badge s-${state.replace(/[^a-z_-]/g, "")}`}>${state.replace(/_/g, " ")}</span>`;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** The refused fields a failure names (an API 400's `fields`), else none. */
export function problemsOf(failure: unknown): FieldProblem[] {
  return failure instanceof ApiFailure ? failure.fields : [];
}

const idPart = (text: string) => encodeURIComponent(text).replace(/[^A-Za-z0-9_-]/g, "_");

/**
 * Problems shown beside the controls they are about: a form's refused save
 * or a filter the API refused. A control is the one whose `name` is the
 * field's as the API names it (`min_confidence`, `definition.url_template`,
 * `server.retries`). `control(field)` gives it aria-invalid and points its
 * description at the message, `message(field)` is that message, `others(known)`
 * lists, by label, the problems no control on the form is named for. A
 * filter's problems come from the page's load (`problemsOf(loaded.failure)`),
 * a form's from useRefusal.
 */
export function fieldProblems(problems: FieldProblem[], form: string, labels: Record<string, string> = {}, alert = true) {
  // A problem inside a control's value (`definition.response_mapping.colour`, a list's item) is that control's.
  const within = (problem: FieldProblem, field: string) => problem.field === field || problem.field.startsWith(`${field}.`);
  const of = (field: string) => problems.filter((p) => within(p, field));
  const errorId = (field: string) => `${form}-${idPart(field)}-error`;
  return {
    problems,
    has: (field: string) => of(field).length > 0,
    control: (field: string, helpId?: string) => {
      const wrong = of(field).length > 0;
      const described = [helpId ?? "", wrong ? errorId(field) : ""].filter(Boolean).join(" ");
      return { "aria-invalid": wrong ? "true" : undefined, "aria-describedby": described || undefined };
    },
    message: (field: string) => {
      const wrong = of(field);
      // A filter's refusal is announced once, by the page's message; a form's by each field.
      return wrong.length ? html`<small id=${errorId(field)} class="field-error error" role=${alert ? "alert" : undefined}>${wrong.map((w) => w.message).join("; ")}</small>` : null;
    },
    others: (known: string[]) => {
      const rest = problems.filter((p) => !known.some((field) => within(p, field)));
      return rest.length
        ? html`<ul class="error field-error" role="alert">${rest.map((p) => html`<li>${p.field ? `${fieldLabel(p.field, labels)}: ` : ""}${p.message}</li>`)}</ul>`
        : null;
    },
  };
}

/**
 * A form's refused fields, kept until the next try: `refuse(failure, form)`
 * shows a failure (true when it named fields: each shown beside its control,
 * a notice says how many, and the keyboard lands on the first control to
 * fix; otherwise the notice says what went wrong, in the page's words).
 * Every form the API can refuse goes through this one.
 */
export function useRefusal(form: string, labels: Record<string, string> = {}, what = "not saved") {
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const shown = fieldProblems(problems, form, labels);
  const refuse = (failure: unknown, element: HTMLElement | null, local: FieldProblem[] = []): boolean => {
    const wrong = local.length ? local : problemsOf(failure);
    setProblems(wrong);
    if (wrong.length === 0) {
      notify("error", failureText(failure, labels), { goneWhenBack: failure instanceof ApiFailure && failure.goneWhenBack });
      return false;
    }
    const n = wrong.length;
    notify("error", `${what}: ${n === 1 ? "1 problem" : `${n} problems`} (shown beside ${n === 1 ? "its field" : "their fields"})`);
    // In the form's own order, not the server's: the first control to fix from the top.
    setTimeout(() => {
      const controls = [...(element?.querySelectorAll<HTMLElement>("[name]") ?? [])];
      const first = controls.find((c) => wrong.some((w) => (w.field === c.getAttribute("name") || w.field.startsWith(`${c.getAttribute("name")}.`))) && !(c as HTMLInputElement).disabled);
      first?.focus();
    }, 0);
    return true;
  };
  return { ...shown, refuse, clear: () => setProblems([]) };
}
