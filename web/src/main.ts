// The web app: a hash router, the navigation and the live status line.
import { counted } from "../../src/domain/plural.js";
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { html, timeOfDay, windowTitle } from "./ui.js";
import { connectEvents, store, useStore } from "./state.js";
import { Dashboard } from "./pages/dashboard.js";
import { Books } from "./pages/books.js";
import { Book } from "./pages/book.js";
import { Review } from "./pages/review.js";
import { Pipeline } from "./pages/pipeline.js";
import { Plugins, Plugin } from "./pages/plugins.js";
import { Health, HealthDetail } from "./pages/health.js";
import { Settings } from "./pages/settings.js";

export interface Route {
  parts: string[];
  params: URLSearchParams;
}

/**
 * A part of the address as written: a `%` that does not start an escape (`#/books/%`, a hand-made or hostile
 * link) is kept as it is. decodeURIComponent throws on it, and the throw left the page that was open before on
 * screen under the new address (or a blank page on a fresh load).
 */
function decodedPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path = "", search = ""] = hash.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodedPart), params: new URLSearchParams(search) };
}

const NAV = [
  ["", "Dashboard"],
  ["books", "Books"],
  ["review", "Review"],
  ["pipeline", "Pipeline"],
  ["plugins", "Plugins"],
  ["health", "Health"],
  ["settings", "Settings"],
] as const;

function page(route: Route) {
  const [first, second, third] = route.parts;
  switch (first) {
    case undefined:
      return html`<${Dashboard} />`;
    case "books":
      return second ? html`<${Book} id=${second} />` : html`<${Books} params=${route.params} />`;
    case "review":
      return html`<${Review} params=${route.params} />`;
    case "pipeline":
      return html`<${Pipeline} />`;
    case "plugins":
      return second ? html`<${Plugin} id=${second} />` : html`<${Plugins} />`;
    case "health":
      // #/health/source/ID: an HTTP source (a plugin may be called "source": its page is #/health/source).
      if (second === "source" && third) return html`<${HealthDetail} id=${third} kind="source" />`;
      return second ? html`<${HealthDetail} id=${second} />` : html`<${Health} />`;
    case "settings":
      return html`<${Settings} />`;
    default:
      // A heading as every page has: the window's title and the focus follow it (the last page's stayed).
      return html`<h1>No such page</h1><p>Nothing is at this address. <a href="#/">Back to the dashboard</a></p>`;
  }
}

function JobLine() {
  const { status, connected, sessionEnded } = useStore();
  const job = status?.job;
  if (sessionEnded) return html`<span class="live off" role="status">signed out</span>`;
  // Not live: a region that appears with its words is not reliably read; ConnectionAnnouncer's region, there from
  // the start, says it.
  if (!connected) return html`<span class="live off">offline: reconnecting…</span>`;
  // Not live either: it came back as a status region saying "idle" at the end of every job, after the announcer's
  // "Job done". Going offline or signed out is said (it is what the user must know of this line).
  if (!job) return html`<span class="live">idle</span>`;
  const detail = job.layer ? `${job.layer}: ${job.done}/${job.pending}` : job.kind === "scan" ? `${counted(job.done, "book")} found` : job.pending > 0 ? `${job.done}/${job.pending}` : "";
  // Not live while a job runs: redrawn on every progress tick, it had screen readers say "process 3/10" over and
  // over. JobAnnouncer says when the job starts and ends.
  return html`<span class="live busy">${job.label} ${detail}</span>`;
}

/** The steps of a job's count said while it runs: a screen reader hears a quarter's end, not every move. */
const SAID_STEPS = 4;

/**
 * The quarter of its count a running job has reached (0 to 3; a whole count is its end, said as the end): only a
 * job with one count for the whole run has one (apply, undo). A process counts each layer afresh and a scan counts
 * what it finds, so theirs would go back to 0 or have no end to measure by.
 */
function reachedStep(job: { kind: string; layer?: string | null; done: number; pending: number }): number {
  if (job.layer || job.pending <= 0 || (job.kind !== "apply" && job.kind !== "undo")) return 0;
  return Math.min(SAID_STEPS - 1, Math.floor((Math.min(job.done, job.pending) * SAID_STEPS) / job.pending));
}

/**
 * The one live region for jobs, visually hidden: it changes only when a job starts, at each quarter of a move's
 * count (apply, undo: "apply: 50% done"), and when it ends, fails or is stopped, with what it says of its end
 * ("Job stopped: apply (stopped: 90 not started)"). The visible progress, in the header, on the dashboard and
 * the Review page, is redrawn on every tick and is not live. An end is said only for a job that ran or ended
 * while this page was open, not for the last job of before.
 */
function JobAnnouncer() {
  const { status } = useStore();
  const seen = useRef<number | null>(null);
  const before = useRef<number | null | undefined>(undefined);
  // The furthest step said for the running job: a count that grows meanwhile (planning, then checking) never
  // has the region say a smaller percentage after a larger one.
  const step = useRef<{ job: number; step: number }>({ job: -1, step: 0 });
  let text = "";
  if (status) {
    const job = status.job;
    const last = status.last_job;
    if (before.current === undefined) before.current = job ? null : (last?.id ?? null);
    if (job) {
      seen.current = job.id;
      if (step.current.job !== job.id) step.current = { job: job.id, step: 0 };
      step.current.step = Math.max(step.current.step, reachedStep(job));
      text = step.current.step === 0 ? `Job started: ${job.label}` : `${job.label}: ${(step.current.step * 100) / SAID_STEPS}% done`;
    } else if (last && (last.id === seen.current || last.id !== before.current)) {
      text = `Job ${last.state}: ${last.label}${last.message ? ` (${last.message})` : ""}`;
    }
  }
  return html`<p class="sr" role="status" data-job-announce>${text}</p>`;
}

/**
 * The server lost and back, said by a live region there from the page's start (the header's "offline" line and the
 * notice above the page appear with their words, which a screen reader need not read): once lost, and once back.
 */
function ConnectionAnnouncer() {
  const { connected, sessionEnded, status } = useStore();
  const lost = useRef(false);
  let text = "";
  if (!sessionEnded && status !== null) {
    if (!connected) lost.current = true;
    if (!connected) text = "The shelfwise server is not answering: this page may be out of date until it is back.";
    else if (lost.current) text = "The shelfwise server is back: this page is loaded afresh.";
  }
  return html`<p class="sr" role="status" data-connection-announce>${text}</p>`;
}

/** Where signing in again leads back to: this page, as it is now. */
function SessionEnded() {
  const { sessionEnded } = useStore();
  if (!sessionEnded) return null;
  const login = `/login?next=${encodeURIComponent(location.pathname + location.hash)}`;
  return html`<div class="notice error" role="alert" data-session-ended>
    <span>Your session ended: this server's access token changed, or this browser was logged out.
      <a href=${login}>Sign in again</a> with the access token (printed when the server first started; <code>web_token</code> in the data folder's secrets.json).
      Anything you typed here stays on screen until you leave the page.</span>
  </div>`;
}

/**
 * The server gone while a page is open (stopped with Ctrl-C, the connection dropped): the header's "offline" is easy
 * to miss beside a page that still shows its lists, whose numbers and states read as current. Said above the page,
 * with the time it was lost; not live (ConnectionAnnouncer says it), and gone
 * when the stream is back, where every page loads afresh (state.ts connectEvents).
 */
function Offline() {
  const { connected, sessionEnded, status, offlineSince } = useStore();
  if (connected || sessionEnded || status === null) return null;
  return html`<div class="notice offline" data-offline>
    <span>The shelfwise server is not answering (it was stopped, or the connection dropped)${offlineSince ? ` since ${timeOfDay(offlineSince)}` : ""}: this page shows what it had then, which may be out of date, and nothing on it can be done now. Start the server again (the shelfwise serve command, in a terminal): this page reloads by itself when it is back.</span>
  </div>`;
}

function Notice() {
  const { notice } = useStore();
  if (!notice) return null;
  return html`<div class=${`notice ${notice.kind}`} role=${notice.kind === "error" ? "alert" : "status"} data-notice=${notice.seq}>
    <span>${notice.text}</span>
    <button class="link" aria-label="Dismiss" onClick=${() => ((store.notice = null), store.emit())}>×</button>
  </div>`;
}

/**
 * Where a page change leaves the keyboard and the screen reader: on the new
 * page's heading (focusable only by script), named in the window's title, as
 * a browser's own page load would. The heading of a page still loading is
 * waited for with the focus on <main>; it is moved there only if the user has
 * not moved on meanwhile. `move` false: the title only (the first load, where
 * the browser puts the focus itself). Returns the cleanup.
 */
function landOnPage(move: boolean): () => void {
  const main = document.getElementById("main");
  if (!main) return () => {};
  // The heading's text as the window's title, its direction controls marked as on the page (a raw U+202E
  // would reorder the tab's and the window list's text), cut to a tab's length.
  const title = (heading: HTMLElement) => `${windowTitle(heading.textContent ?? "") || "shelfwise"} · shelfwise`;
  const land = (heading: HTMLElement) => {
    document.title = title(heading);
    if (!move) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  };
  const heading = main.querySelector("h1");
  if (heading) {
    land(heading);
    return () => {};
  }
  if (move) main.focus({ preventScroll: true });
  const observer = new MutationObserver(() => {
    const found = main.querySelector("h1");
    if (!found) return;
    observer.disconnect();
    if (!move || document.activeElement === main) land(found);
    else document.title = title(found);
  });
  observer.observe(main, { childList: true, subtree: true });
  return () => observer.disconnect();
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onHash = () => {
      setRoute(currentRoute());
      store.notice = null;
      window.scrollTo(0, 0);
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  // Another page: the focus goes to it (it stayed on the link that led there, or on nothing once that link was
  // gone). The same page with other filters, sort or page number keeps the focus where the user is, unless the
  // control that had it is gone (a "Clear" link): then it goes to the heading, not back to the top of the document.
  const shown = useRef<string | null>(null);
  useEffect(() => {
    const key = route.parts.join("/");
    const first = shown.current === null;
    const samePage = shown.current === key;
    shown.current = key;
    if (samePage) {
      // After keepFocusOnDisable has had its turn (a pager button disabled by this change keeps the focus in the pager).
      let cleanup: (() => void) | undefined;
      const timer = setTimeout(() => {
        const lost = document.activeElement === null || document.activeElement === document.body;
        if (lost && !disabledUnderFocus()) cleanup = landOnPage(true);
      });
      return () => {
        clearTimeout(timer);
        cleanup?.();
      };
    }
    return landOnPage(!first);
  }, [route]);
  const section = route.parts[0] ?? "";
  return html`
    <a class="skip" href="#main" onClick=${(e: Event) => (e.preventDefault(), document.getElementById("main")?.focus())}>Skip to content</a>
    <header>
      <a class="brand" href="#/">shelfwise</a>
      <nav aria-label="Pages">
        ${NAV.map(([href, label]) => html`<a href=${`#/${href}`} aria-current=${section === href ? "page" : undefined}>${label}</a>`)}
      </nav>
      <${JobLine} />
      <${JobAnnouncer} />
      <${ConnectionAnnouncer} />
    </header>
    <${SessionEnded} />
    <${Offline} />
    <${Notice} />
    <main id="main" tabindex="-1">${page(route)}</main>
  `;
}

/**
 * A control disabled under the keyboard's focus (a pager's Next on the last page, Apply once nothing is
 * selected) drops the focus to the top of the document. It goes to the nearest control still usable in the
 * same group (the pager's other button) or table row (usableNearInRows), else to the page's heading.
 */
/** The control the focus last left when it went nowhere (null once handled). */
let leftForNothing: HTMLElement | null = null;

/** Whether keepFocusOnDisable will place the focus (the control the user was on was disabled, not removed). */
function disabledUnderFocus(): boolean {
  const left = leftForNothing as (HTMLElement & { disabled?: boolean }) | null;
  return left !== null && left.isConnected && left.disabled === true;
}

// A held control (aria-disabled: its request on its way, a job running) is no place to land either: the fallback
// after one held button went on to the next held one (a layer's Run to another layer's Run while a job ran).
const USABLE = ["button", "input", "select", "textarea"].map((tag) => `${tag}:not([disabled]):not([aria-disabled=true])`).join(", ") + ", a[href]";

/**
 * Where the keyboard goes when `left`, in table row `row`, is disabled (or removed: `left` is then its cell): the
 * next usable control in the row, else
 * one before it in the row (the row's link), else the first in the rows after, else in the rows before; null when
 * the table has none.
 */
function usableNearInRows(row: HTMLTableRowElement, left: Element): HTMLElement | null {
  const mine = [...row.querySelectorAll<HTMLElement>(USABLE)];
  const after = mine.find((el) => (left.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);
  if (after) return after;
  const before = mine.filter((el) => (left.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING) !== 0).at(-1);
  if (before) return before;
  for (let next = row.nextElementSibling; next; next = next.nextElementSibling) {
    const found = next.querySelector<HTMLElement>(USABLE);
    if (found) return found;
  }
  for (let previous = row.previousElementSibling; previous; previous = previous.previousElementSibling) {
    const found = [...previous.querySelectorAll<HTMLElement>(USABLE)].at(-1);
    if (found) return found;
  }
  return null;
}

function keepFocusOnDisable(): void {
  document.addEventListener("focusout", (event) => {
    const left = event.target;
    leftForNothing = event.relatedTarget === null && left instanceof HTMLElement ? left : null;
    if (!(left instanceof HTMLButtonElement || left instanceof HTMLInputElement || left instanceof HTMLSelectElement) || event.relatedTarget !== null) return;
    // Taken now: a control removed from its row (Re-enable, once its plugin is enabled again) is out of it by then.
    const cell = left.closest("td, th");
    const leftRow = left.closest("tr");
    setTimeout(() => {
      const now = document.activeElement;
      if (now !== null && now !== document.body) return;
      if (!left.isConnected) {
        // Removed under the focus from a row still shown: the keyboard stays in that row rather than at the
        // top of the document.
        if (leftRow?.isConnected && cell?.isConnected) usableNearInRows(leftRow, cell)?.focus();
        return;
      }
      if (!left.disabled) return;
      const group = left.closest("nav, .actions, form, fieldset");
      // A table row is the nearer group when it is inside one (or in none): the Health page's Re-enable sent the
      // keyboard to the page's heading, away from the plugin it was on.
      const row = left.closest("tr");
      const usable = row && (!group || group.contains(row)) ? (usableNearInRows(row, left) ?? group?.querySelector<HTMLElement>(USABLE)) : group?.querySelector<HTMLElement>(USABLE);
      const heading = document.querySelector<HTMLElement>("main h1");
      const placed = usable ?? heading;
      if (!placed) return;
      if (placed === heading) heading.tabIndex = -1;
      placed.focus();
      // A control disabled only while its request is on its way (Lock, Save, Enable...): once usable again, the
      // keyboard is back on it, unless the user has moved on meanwhile (Enter on "Lock book" left the focus on
      // the heading, and the next Tab started from the top of the page).
      const back = new MutationObserver(() => {
        if (left.disabled) return;
        back.disconnect();
        if (left.isConnected && document.activeElement === placed) left.focus();
      });
      back.observe(left, { attributes: true, attributeFilter: ["disabled"] });
      placed.addEventListener("blur", () => back.disconnect(), { once: true });
    });
  });
}

/**
 * A double-click is one press: the second click of a double-click (its `detail` 2 or more) never reaches a
 * button, a switch or a form's submit. A person's second click comes 100-500 ms after the first, by when a
 * local server has answered the first one's request and the page has drawn the answer: the request guard
 * (ui.ts useSending) was free again, and the click sent the same write twice (Rerun all layers, Save settings),
 * or the opposite one from the control drawn in its place (Lock book, then Unlock book). Keyboard presses
 * (detail 0) and separate clicks (detail 1 each) are not touched.
 */
function oneActionPerDoubleClick(): void {
  const CONTROL = 'button, input[type="checkbox"], input[type="radio"], input[type="submit"], input[type="button"], input[type="reset"]';
  window.addEventListener(
    "click",
    (e) => {
      if (e.detail < 2) return;
      const target = e.target instanceof Element ? e.target : null;
      const label = target?.closest("label");
      if (!target?.closest(CONTROL) && !(label?.control && label.control.matches(CONTROL))) return;
      e.preventDefault();
      e.stopImmediatePropagation();
    },
    true,
  );
}

/**
 * A control the keyboard lands on in a table scrolled sideways (`.scroll`, a wide table on a phone) is brought
 * wholly into view: chromium scrolls a focused element only when none of it shows, and the history's Undo on a
 * 360 px screen showed 18 of its 54 px at the screen's edge, the rest cut off.
 */
function revealFocusedInScroller(): void {
  document.addEventListener("focusin", (event) => {
    const el = event.target;
    if (!(el instanceof HTMLElement)) return;
    const scroller = el.closest<HTMLElement>(".scroll");
    if (!scroller || scroller.scrollWidth <= scroller.clientWidth) return;
    const box = el.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    if (box.left >= view.left && box.right <= view.right) return;
    el.scrollIntoView({ block: "nearest", inline: "nearest" });
  });
}

keepFocusOnDisable();
revealFocusedInScroller();
oneActionPerDoubleClick();
connectEvents();
const root = document.getElementById("app")!;
root.textContent = "";
render(html`<${App} />`, root);
