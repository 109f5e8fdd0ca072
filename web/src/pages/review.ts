import { useEffect, useRef, useState } from "preact/hooks";
import { counted } from "../../../src/domain/plural.js";
import { bookPlaceOf } from "../../../src/domain/book-place.js";
import { html, act, useLoad, useSending, fieldProblems, problemsOf, Loading, StateBadge, When } from "../ui.js";
import { get, post, query } from "../api.js";
import { changed, notify, useStore } from "../state.js";
import { AskFirst } from "../ask-first.js";

function setParams(params: URLSearchParams, change: Record<string, string | undefined>): void {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(change)) (v ? next.set(k, v) : next.delete(k));
  location.hash = `#/review?${next.toString()}`;
}

function rel(p: string | null, root: string): string {
  if (!p) return "";
  return p.startsWith(root + "/") ? p.slice(root.length + 1) : p;
}

/** Proposals (moves and held ones) per page: a large library plans thousands. */
const PAGE = 200;
/** Moves per page of the history: it grows with every apply and undo. */
const HISTORY_PAGE = 100;

/**
 * The locked books the plan left out: a book the user expects that is not proposed is often one that undo
 * moved back (undo locks it). Its first ids link to their pages, where Unlock plans them again.
 */
function LockedNote({ locked }: { locked?: { count: number; book_ids: number[] } }) {
  if (!locked || locked.count === 0) return null;
  return html`<p class="muted" data-locked=${locked.count}>${counted(locked.count, "book")} ${locked.count === 1 ? "is" : "are"} locked (undo locks what it moves back): unlock a book on its page to plan it again
    (${locked.book_ids.map((id, i) => html`${i ? ", " : ""}<a href=${`#/books/${id}`}>book ${id}</a>`)}${locked.count > locked.book_ids.length ? ", …" : ""}).</p>`;
}

/**
 * The records of parts joined into another book (a library folder that was one book's folder, taken out and its
 * parent scanned): in no plan (their files move with that book), yet holding corrections of the user's. Said here,
 * where the user looks for what apply will do with each book, in the dashboard's words, each record linked.
 */
function JoinedNote() {
  const { status } = useStore();
  const joined = status?.problems?.find((p: any) => p.kind === "joined");
  if (!joined) return null;
  return html`<p class="muted" data-joined=${joined.book_ids?.length ?? 0}>${joined.message}
    (${(joined.book_ids ?? []).map((id: number, i: number) => html`${i ? ", " : ""}<a href=${`#/books/${id}`}>book ${id}</a>`)}${joined.more_books ? ", …" : ""}).</p>`;
}

/**
 * What to do about a held book in this web app, where the reason names the CLI command (the plan's reason is the
 * CLI's and `plan --json`'s too): a library folder taken out of the settings is added back on the Settings page.
 */
function HeldHere({ kind }: { kind: string }) {
  if (kind !== "library_removed") return null;
  return html` <span class="muted">Here: add the folder back under Library folders in <a href="#/settings">Settings</a>, then scan from the dashboard; or leave it out, and its books stay where they are.</span>`;
}

/** Report entries per page: a report holds every book an apply or undo touched (20,000 is ~7 MB whole). */
const REPORT_PAGE = 200;
/** What the page shows of the last apply and undo: what went wrong, and moves that left files behind. */
const LAST_OUTCOMES = "failed,refused,left_behind,settled,set_aside";

/**
 * A paged report and the pages after its first, loaded one at a time by "Show more": the first page came
 * with the report (its counts whole); the next ones name its report_id, so a newer report is never mixed in.
 */
function useMorePages(first: any, next: (report: any, offset: number) => string) {
  const [extra, setExtra] = useState<{ id: number; pages: any[] } | null>(null);
  const [loading, setLoading] = useState(false);
  const pages = first ? [first, ...(extra && extra.id === first.report_id ? extra.pages : [])] : [];
  const lastPage = pages[pages.length - 1];
  const entries = (key: string): any[] => pages.flatMap((p) => p[key] ?? []);
  const more =
    lastPage && lastPage.next_offset !== null && !loading
      ? async () => {
          setLoading(true);
          try {
            const page = await act(() => get(next(first, lastPage.next_offset)));
            if (page) setExtra((now) => ({ id: first.report_id, pages: [...(now && now.id === first.report_id ? now.pages : []), page] }));
            // A 409 (a newer apply or undo since): its first page comes with the reload the change triggers.
            else changed();
          } finally {
            setLoading(false);
          }
        }
      : null;
  const shown = lastPage ? (lastPage.next_offset ?? lastPage.total) : 0;
  return { entries, more, left: lastPage ? lastPage.total - shown : 0, loading };
}

/** "Show more" for a paged report: how many are left, and the next page on press. */
function More({ paged, what, of }: { paged: ReturnType<typeof useMorePages>; what: string; of: string }) {
  if (!paged.more && !paged.loading) return null;
  return html`<button class="secondary small" data-more=${of} disabled=${paged.loading} onClick=${() => paged.more?.()}>Show ${Math.min(paged.left, REPORT_PAGE)} more ${of} (${counted(paged.left, what, what === "entry" ? "entries" : undefined)} left)</button>`;
}

/**
 * The held books' reasons, brought into view (and the keyboard's focus) by "see why": the plan's held proposals,
 * else the last apply's own (its checks hold books a plan page may not list: another page, another filter).
 */
function showHeld(): void {
  const list = document.getElementById("held-back") ?? document.getElementById("last-held");
  list?.scrollIntoView({ block: "start" });
  list?.focus();
}

const SeeWhy = () => html`<button class="link" data-see-why onClick=${showHeld}>see why</button>`;

/**
 * What an apply's plan and checks left (its `checked`), in place of the selection's count: the checks hold back
 * books (files added since the scan, a proposal changed since shown), and "moving 3 books…" moved 2, or none.
 */
function CheckedWords({ checked }: { checked: { to_move: number; held: number; refused: number } }) {
  const refused = checked.refused > 0 ? `, ${checked.refused} refused` : "";
  if (checked.to_move === 0) return html`<span data-nothing-to-move>nothing to move: ${checked.held} held${refused}, <${SeeWhy} /></span>`;
  return checked.held > 0 || checked.refused > 0 ? html` (${checked.held} held${refused}, <${SeeWhy} />)` : null;
}

/**
 * An apply or undo running (from this tab, another, or the dashboard): how far it is, and Stop, here where it was
 * pressed; 1,000 moves take a while, and the page said nothing but "moving 1,000 books…" until the end. Stop
 * ends it at its next chunk: the moves made are kept, the books not started stay where they are. Nothing here is
 * live: it is redrawn on every tick, and a screen reader read out each number. The header's announcer (main.ts
 * JobAnnouncer) says the start, each quarter of the count and the end.
 */
function Running() {
  const { status } = useStore();
  const { sending, once } = useSending();
  const job = status?.job;
  const last = status?.last_job;
  // Stop pressed here: once the run has ended the keyboard goes to what says how it ended, drawn in the place of
  // the section that held Stop (the focus was left on the page's heading while Stop's request was on its way, then
  // stayed there). Only from there or from nothing, never from where the user has moved on to.
  const stopPressed = useRef(false);
  const ended = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (job || !stopPressed.current) return;
    stopPressed.current = false;
    const now = document.activeElement;
    if (ended.current && (now === null || now === document.body || now.matches("main, main h1"))) ended.current.focus();
  });
  const stop = () => ((stopPressed.current = true), once(() => act(() => post("/api/stop"))));
  if (!job && last?.kind === "apply" && last.state === "done" && last.checked?.to_move === 0) {
    // An apply the checks left nothing to move: said so, not "moved 0, failed 0, held 3".
    return html`<p class="muted" tabindex="-1" ref=${ended} data-last-job=${last.state}>Last apply: <${CheckedWords} checked=${last.checked} /></p>`;
  }
  if (!job && last && (last.kind === "apply" || last.kind === "undo") && last.message) {
    // Its end said here, where Stop was pressed: "stopped: N not started" was on the dashboard only, and the
    // section with the progress just went away. Not live: the header's announcer says the same end once (a
    // region drawn anew here is not reliably read, and both would be read when it is).
    return html`<p class=${last.state === "failed" ? "error" : "muted"} tabindex="-1" ref=${ended} data-last-job=${last.state}>Last ${last.kind}: ${last.state} (${last.message})</p>`;
  }
  if (!job || (job.kind !== "apply" && job.kind !== "undo")) return null;
  const what = job.kind === "apply" ? "Moving books" : "Moving books back";
  if (job.kind === "undo" && job.checked) {
    // What the undo's checks left: the true count, and each refusal's reason while it runs (the CLI's words).
    const { to_move: toMove, refused, refusals = [] } = job.checked;
    return html`<section class="job" aria-label=${what} data-running=${job.kind}>
      <h2>${what}</h2>
      <p data-undo-checked>${toMove === 0
        ? `nothing to move back: ${refused} refused`
        : html`${job.done} of ${counted(toMove, "book")}${refused > 0 ? ` (${refused} refused)` : ""}`}</p>
      ${toMove > 0 ? html`<progress aria-label=${`${what}: progress`} max=${toMove} value=${job.done}></progress>` : null}
      ${refusals.length
        ? html`<ul class="plain lines" data-undo-refusals>${refusals.map((r: any) => html`<li key=${r.move_id}>undo of move #${r.move_id}: <span class="error">${r.reason}</span></li>`)}</ul>${refused > refusals.length ? html`<p class="muted">the first ${refusals.length} of ${refused}</p>` : null}`
        : null}
      <div class="actions"><button class="secondary" disabled=${sending} onClick=${stop}>Stop</button></div>
    </section>`;
  }
  return html`<section class="job" aria-label=${what} data-running=${job.kind}>
    <h2>${what}</h2>
    <p data-progress>${
      job.checked && job.checked.to_move === 0
        ? html`<${CheckedWords} checked=${job.checked} />`
        : job.pending > 0
          ? html`${job.done} of ${counted(job.pending, "book")}${job.checked ? html`<${CheckedWords} checked=${job.checked} />` : null}`
          : job.kind === "apply"
            ? "planning and checking…"
            : "planning…"
    }</p>
    ${job.pending > 0 ? html`<progress aria-label=${`${what}: progress`} max=${job.pending} value=${job.done}></progress>` : null}
    <div class="actions"><button class="secondary" disabled=${sending} onClick=${stop}>Stop</button></div>
  </section>`;
}

/**
 * Why Apply or Undo does nothing now: a job runs (this page's own apply or undo, or a scan or processing from the
 * dashboard or another tab). Always on the page, hidden when no job runs, so the buttons' description is there.
 */
function JobWait({ job, id, what }: { job: any; id: string; what: string }) {
  const running = !job ? "" : job.kind === "apply" ? "books are being moved" : job.kind === "undo" ? "books are being moved back" : `${job.label} runs`;
  const stop = job && (job.kind === "apply" || job.kind === "undo") ? "Stop, above" : html`Stop on the <a href="#/">Dashboard</a>`;
  return html`<p id=${id} class="muted" data-job-wait hidden=${!job}>${job ? html`${what} waits while ${running}: wait for it to finish, or stop it (${stop}).` : null}</p>`;
}

/** The plan's parameters by the words the page shows for them (a refused address is shown by these). */
const PLAN_LABELS: Record<string, string> = { status: "Status", min_confidence: "Min confidence", offset: "Page", limit: "Page size", action: "Action" };

export function Review({ params }: { params: URLSearchParams }) {
  const status = params.get("status") ?? "identified";
  const min = params.get("min_confidence") ?? "";
  const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);
  const plan = useLoad((signal) => get(`/api/plan${query({ status, min_confidence: min, action: "move,held", limit: PAGE, offset })}`, signal), [status, min, offset], PLAN_LABELS);
  const historyOffset = Math.max(0, Number(params.get("history_offset") ?? 0) || 0);
  const history = useLoad((signal) => get(`/api/history${query({ limit: HISTORY_PAGE, offset: historyOffset })}`, signal), [historyOffset], { offset: "History page", limit: "History page size" });
  const last = useLoad((signal) => get(`/api/moves/last${query({ outcome: LAST_OUTCOMES, limit: REPORT_PAGE })}`, signal), []);
  const lastApply = useMorePages(last.data?.apply, (r, offset) => `/api/moves/last/apply${query({ report_id: r.report_id, outcome: "failed,left_behind", limit: REPORT_PAGE, offset })}`);
  const lastUndo = useMorePages(last.data?.undo, (r, offset) => `/api/moves/last/undo${query({ report_id: r.report_id, outcome: "refused,failed,left_behind,settled,set_aside", limit: REPORT_PAGE, offset })}`);
  const recovered = useLoad((signal) => get("/api/moves/recovered", signal), []);
  // What the last apply held back, with why: "see why" leads here from this page and the dashboard (#/review?why=held).
  const lastHeld = useLoad((signal) => get(`/api/moves/last${query({ outcome: "held", limit: REPORT_PAGE })}`, signal), []);
  const heldByApply: any[] = lastHeld.data?.apply?.held ?? [];
  const wantsWhy = params.get("why") === "held";
  useEffect(() => {
    if (wantsWhy && heldByApply.length > 0) showHeld();
  }, [wantsWhy, heldByApply.length]);
  // A refused address (typed or pasted) marks its filter, beside it.
  const filters = fieldProblems(problemsOf(plan.failure), "review", PLAN_LABELS, false);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const moves = plan.data?.entries.filter((e: any) => e.action === "move") ?? [];
  const held = plan.data?.entries.filter((e: any) => e.action === "held") ?? [];
  const selected = moves.filter((e: any) => picked.has(e.book_id)).map((e: any) => e.book_id);
  // A dry run answers for the filters, page and selection it was asked with: shown only while they are the
  // ones on screen, and dropped if they changed before it came back (it would report on other proposals).
  const dryFor = JSON.stringify([status, min, offset, selected]);
  const dryForNow = useRef(dryFor);
  dryForNow.current = dryFor;
  const [dryAnswer, setDry] = useState<{ for: string; result: any } | null>(null);
  const dry = dryAnswer?.for === dryFor ? dryAnswer.result : null;
  // Of a dry run only its summary is live, and that paragraph is always on the page (a region drawn anew with its
  // words is not reliably read): its list of failures is not read out whole, nor again when "Show more" adds to it.
  const dryFailed = useMorePages(dry, (r, offset) => `/api/apply/dry-run/${r.report_id}${query({ outcome: "failed", limit: REPORT_PAGE, offset })}`);
  // Forgotten, not only hidden: back on the same filters later, the proposals may have changed meanwhile.
  useEffect(() => {
    if (dryAnswer && dryAnswer.for !== dryFor) setDry(null);
  }, [dryFor]);
  // Apply and Undo are held (aria-disabled, as the dashboard's Scan) while a job runs, from this tab or another, or the
  // dashboard: the server refuses a second one (busy), and a page reloaded or opened mid-run offered them as usable.
  const job = useStore().status?.job ?? null;
  const { sending, once } = useSending();
  const toggle = (id: number) => {
    const next = new Set(picked);
    next.has(id) ? next.delete(id) : next.add(id);
    setPicked(next);
  };
  const apply = async (dryRun: boolean) => {
    // With the targets shown: a proposal changed since (a correction or another tab's apply) is not moved elsewhere unseen.
    const body = { ids: selected, ...(dryRun ? { dry_run: true, outcome: "failed", limit: REPORT_PAGE } : {}), shown_targets: moves.filter((e: any) => picked.has(e.book_id)).map((e: any) => ({ book_id: e.book_id, to: e.to })) };
    const asked = dryFor;
    // The checks that follow may hold some back: the count that moves is the job's, shown by Running once known.
    const result = await once(() => act(() => post("/api/apply", body), dryRun ? undefined : `apply started: checking ${counted(selected.length, "selected book")} before moving them…`));
    if (!result) return;
    if (dryRun) {
      if (asked === dryForNow.current) setDry({ for: asked, result });
      else notify("ok", "The dry run answered for the filters or selection you had before: run it again for these.");
      return;
    }
    setDry(null);
    setPicked(new Set());
  };
  // Every proposal of the filters, on every page (1,000 proposals are 5 pages): asked to confirm first, since most
  // were never on screen; sent as the filters (`apply --status S --min-confidence N`), not as ids. The question
  // is AskFirst's, keyed by the filters: one asked for other filters is dropped when they change.
  const applyAll = async () => {
    const count = plan.data?.counts.move ?? 0;
    const body = { status, ...(min !== "" ? { min_confidence: Number(min) } : {}) };
    const result = await once(() => act(() => post("/api/apply", body), `apply started: checking ${counted(count, "proposed book")} before moving them…`));
    if (result) (setDry(null), setPicked(new Set()));
    return result;
  };
  // After a confirmed Undo the keyboard goes on down the history: to the next row's Undo (the one above when it
  // was the last), else to the History heading; not to the page's heading at the top, which the disabled answer
  // had left it on. Placed once the page is drawn with the buttons usable again (disabled while it was sent).
  const focusAfterUndo = useRef<{ candidates: string[] } | null>(null);
  const undoOne = async (moveId: number) => {
    const rows = [...document.querySelectorAll<HTMLElement>("table.history tr[data-move]")];
    const ids = rows.filter((row) => row.querySelector("[data-undo-move], [data-confirm]")).map((row) => row.dataset.move!);
    const at = ids.indexOf(String(moveId));
    const candidates = at < 0 ? [] : [...ids.slice(at + 1), ...ids.slice(0, at).reverse()];
    const result = await once(() => act(() => post("/api/undo", { ids: [moveId] }), `move ${moveId}: moving the book back…`));
    if (!result) return result;
    focusAfterUndo.current = { candidates };
    changed();
    return result;
  };
  useEffect(() => {
    const wanted = focusAfterUndo.current;
    if (!wanted || sending) return;
    focusAfterUndo.current = null;
    const next = wanted.candidates.map((id) => document.querySelector<HTMLButtonElement>(`[data-undo-move="${id}"]`)).find((b) => b && !b.disabled);
    const heading = document.getElementById("history");
    (next ?? heading)?.focus();
  });
  // The section and its button go once the list is dismissed: the keyboard goes on to the History heading after it,
  // once the section is gone (it was left on nothing), unless the user has moved on meanwhile.
  const recoveredDismissed = useRef(false);
  const recoveredShown = Boolean(recovered.data?.recovered.length);
  useEffect(() => {
    if (recoveredShown || !recoveredDismissed.current) return;
    recoveredDismissed.current = false;
    const now = document.activeElement;
    if (now === null || now === document.body || now.matches("main, main h1")) document.getElementById("history")?.focus();
  }, [recoveredShown]);
  const checkedRecovered = () =>
    once(() => act(() => post("/api/moves/recovered/dismiss"))).then((r) => {
      if (!r) return;
      recoveredDismissed.current = true;
      changed();
    });
  // From the server, not from the page shown: the whole last apply, whichever page of the history is open.
  const lastBatch = history.data?.last_apply?.batch_id ?? null;
  const batchMoves: number = history.data?.last_apply?.moves ?? 0;
  // Paged by the server (outcome=): the moves that went well are counted, not sent.
  // Each keyed by what it is, so a reload with one more entry adds one item rather than rewriting every line.
  const keyed = (of: string) => (f: any) => ({ ...f, key: `${of}-${f.move_id ?? `book-${f.book_id}`}` });
  const failures = [...lastApply.entries("failed").map(keyed("apply")), ...lastUndo.entries("failed").map(keyed("undo"))];
  const refusals = lastUndo.entries("refused");
  // Moves whose book the user had moved back by hand: journaled as undone once, not an error.
  const settled = lastUndo.entries("settled");
  // Moves that happened but left files at the old place (a copy whose source the system would not fully remove).
  const leftBehind = [...lastApply.entries("moved").map(keyed("apply")), ...lastUndo.entries("moved").map(keyed("undo"))].filter((m: any) => m.left_behind);
  // Moves whose book the user had moved away: said once, passed over by later "undo the last" runs.
  const setAside = lastUndo.entries("set_aside");
  return html`
    <h1>Review</h1>
    <${Running} />
    ${plan.data?.copy_of
      ? // As the CLI's plan and apply warn: Apply here moves the files of a library another data folder manages.
        html`<p class="warn" role="note" data-copy-of>Careful: ${plan.data.copy_of.message}</p>`
      : null}
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()}>
      <label>Status<select name="status" ...${filters.control("status")} value=${status} onChange=${(e: Event) => setParams(params, { status: (e.target as HTMLSelectElement).value, offset: undefined })}>
        ${["identified", "needs_attention", "new", "pending"].map((s) => html`<option value=${s}>${s.replace("_", " ")}</option>`)}
      </select>${filters.message("status")}</label>
      <label>Min confidence<input type="number" name="min_confidence" ...${filters.control("min_confidence")} min="0" max="100" key=${`min=${min}`} defaultValue=${min} onChange=${(e: Event) => setParams(params, { min_confidence: (e.target as HTMLInputElement).value, offset: undefined })} />${filters.message("min_confidence")}</label>
    </form>
    ${!plan.data
      ? plan.error
        ? html`<${Loading} error=${plan.error} />`
        : // The server plans every book of the filters before it answers: seconds on a large library.
          html`<p class="muted" role="status" aria-busy="true" data-plan-building>Building the plan: where each book would go, and what holds any back (a few seconds on a large library)…</p>`
      : html`
        <p>${plan.data.counts.move} to move, ${plan.data.counts.ok} already in place, ${plan.data.counts.held} held back by a conflict.</p>
        <${LockedNote} locked=${plan.data.locked} />
        <${JoinedNote} />
        <div class="actions">
          <button class="secondary" onClick=${() => setPicked(new Set(moves.map((e: any) => e.book_id)))}>Select all${plan.data.total > PAGE ? " on this page" : ""}</button>
          <button class="secondary" onClick=${() => setPicked(new Set())}>Select none</button>
          <button class="secondary" disabled=${selected.length === 0 || sending} onClick=${() => apply(true)}>Dry run (${selected.length})</button>
          <${AskFirst} ask=${`Apply ${counted(selected.length, "move")}…`} disabled=${selected.length === 0 || sending} held=${Boolean(job)} describedBy="apply-wait" gone=${selected.length === 0} data=${{ "data-apply-selected": "" }}
            groupLabel=${`Confirm applying ${counted(selected.length, "move")}`} answer=${`Move ${selected.length}`} onAnswer=${() => apply(false)}
            question=${html`<${MovesAsked} moves=${moves.filter((e: any) => picked.has(e.book_id))} />`} />
          ${plan.data.total > PAGE && plan.data.counts.move > 0
            ? html`<${AskFirst} key=${`${status}|${min}`} ask=${`Apply all ${counted(plan.data.counts.move, "move")} (every page)…`} askClass="secondary" disabled=${sending} held=${Boolean(job)} describedBy="apply-wait"
                groupLabel="Confirm applying every page" answer=${`Move all ${plan.data.counts.move}`} onAnswer=${applyAll} data=${{ "data-apply-all": "" }}
                question=${`Move all ${counted(plan.data.counts.move, "book")} of these filters, every page?`} />`
            : null}
        </section>
        <${JobWait} job=${job} id="apply-wait" what="Apply" />
        <section class=${dry ? "job" : undefined} data-dry-run>
          ${dry ? html`<h2>Dry run</h2>` : null}
          <p role="status" data-dry-summary>${dry ? `Would move ${dry.counts.moved}; ${dry.counts.failed} would fail; ${dry.counts.held} held. Nothing was moved.` : ""}</p>
          ${dry?.counts.failed
            ? html`<ul class="plain lines">${dryFailed.entries("failed").map((f: any) => html`<li key=${f.book_id}><a href=${`#/books/${f.book_id}`} class="path">${rel(f.from, "")}</a> <span class="error">${f.error}</span></li>`)}</ul>
              <${More} paged=${dryFailed} what="failure" of="of the dry run" />`
            : null}
        </section>
        ${moves.length
          ? html`<div class="scroll"><table class="plan"><thead><tr><th scope="col" aria-label="Select"></th><th scope="col">Now</th><th scope="col">Proposed</th><th scope="col">What changes</th><th scope="col" class="num">Conf.</th></tr></thead>
            <tbody>${moves.map((e: any) => html`<tr key=${e.book_id}>
              <td><input type="checkbox" aria-label=${`Select book ${e.book_id}`} checked=${picked.has(e.book_id)} onChange=${() => toggle(e.book_id)} /></td>
              <td class="path"><div class="clamp"><a href=${`#/books/${e.book_id}`}>${rel(e.from, e.target_root)}</a></div></td>
              <td class="path"><div class="clamp">${rel(bookPlaceOf(e), e.target_root)}</div><${Companions} names=${e.companions} /></td>
              <td>${e.changes.map((c: any) => html`<div class="clamp"><strong>${c.field}</strong>: <s class="muted">${c.from ?? "–"}</s> → ${c.to ?? "–"}</div>`)}</td>
              <td class="num">${e.confidence}</td></tr>`)}</tbody></table></div>`
          : html`<p class="muted">No proposals to move with these filters.</p>`}
        ${held.length
          ? html`<h2 id="held-back" tabindex="-1">Held back</h2><ul class="plain lines">${held.map((e: any) => html`<li data-held=${e.conflict.kind}><a href=${`#/books/${e.book_id}`} class="path">${rel(e.from, e.target_root)}</a> <${StateBadge} state=${e.conflict.kind} /> ${e.conflict.reason}<${HeldHere} kind=${e.conflict.kind} /></li>`)}</ul>`
          : null}
        ${plan.data.total > PAGE
          ? html`<nav class="pager" aria-label="Pages of proposals">
              <span class="muted">proposals ${offset + 1}–${Math.min(offset + PAGE, plan.data.total)} of ${plan.data.total}</span>
              <button class="secondary" disabled=${offset === 0} onClick=${() => (setPicked(new Set()), setParams(params, { offset: String(Math.max(0, offset - PAGE)) }))}>Previous</button>
              <button class="secondary" disabled=${offset + PAGE >= plan.data.total} onClick=${() => (setPicked(new Set()), setParams(params, { offset: String(offset + PAGE) }))}>Next</button>
            </nav>`
          : null}`}
    ${last.data?.apply
      ? // What the last apply of this server did, counted: a selection another tab or a CLI apply had moved meanwhile is "already at their place".
        html`<p class="muted" data-last-apply>Last apply here: ${last.data.apply.counts.moved} moved, ${last.data.apply.counts.failed} failed, ${last.data.apply.counts.held} held back, ${last.data.apply.ok} already at their place.</p>`
      : null}
    ${heldByApply.length
      ? html`<section class="job"><h2 id="last-held" tabindex="-1">Held back by the last apply</h2><ul class="plain lines">
          ${heldByApply.map((e: any) => html`<li data-held=${e.conflict.kind}><a href=${`#/books/${e.book_id}`} class="path">${rel(e.from, e.target_root)}</a> <${StateBadge} state=${e.conflict.kind} /> ${e.conflict.reason}<${HeldHere} kind=${e.conflict.kind} /></li>`)}
        </ul>${lastHeld.data.apply.counts.held > heldByApply.length ? html`<p class="muted">the first ${heldByApply.length} of ${lastHeld.data.apply.counts.held}</p>` : null}</section>`
      : null}
    ${failures.length || refusals.length
      ? // Not live, as the lists below: the job's end was said once by the header's announcer, with its counts; these
        // lists are drawn again at every change and a screen reader read them out whole each time.
        html`<section class="job"><h2>Not moved last time</h2><ul class="plain lines">
          ${failures.map((f: any) => html`<li key=${f.key}><a href=${`#/books/${f.book_id}`} class="path">${f.from}</a> <span class="error">${f.error}</span></li>`)}
          ${refusals.map((r: any) => html`<li key=${`r-${r.move_id}`}>undo of move #${r.move_id}: <span class="error">${r.reason}</span></li>`)}
        </ul></section>`
      : null}
    ${leftBehind.length
      ? html`<section class="job"><h2>Moved, with files left at the old place</h2><ul class="plain lines">
          ${leftBehind.map((m: any) => html`<li key=${m.key}><a href=${`#/books/${m.book_id}`}>move #${m.move_id}</a>: <span class="error">${m.left_behind}</span></li>`)}
        </ul></section>`
      : null}
    ${settled.length
      ? html`<section class="job"><h2>Already moved back by hand</h2><ul class="plain lines">
          ${settled.map((s: any) => html`<li key=${s.move_id}><a href=${`#/books/${s.book_id}`}>move #${s.move_id}</a>: ${s.note}</li>`)}
        </ul></section>`
      : null}
    ${setAside.length
      ? html`<section class="job"><h2>Moved away by hand: set aside</h2><ul class="plain lines">
          ${setAside.map((a: any) => html`<li key=${a.move_id}><a href=${`#/books/${a.book_id}`}>move #${a.move_id}</a>: ${a.reason}</li>`)}
        </ul></section>`
      : null}
    ${lastApply.more || lastUndo.more || lastApply.loading || lastUndo.loading
      ? html`<div class="actions"><${More} paged=${lastApply} what="entry" of="of the last apply" /><${More} paged=${lastUndo} what="entry" of="of the last undo" /></div>`
      : null}
    ${history.data?.cut_short
      ? // The history's moves alone read as a run that ended: said while it is the newest run, as `status` says it.
        html`<section class="job" data-cut-short=${history.data.cut_short.batch_id}><h2>Last ${history.data.cut_short.kind} cut short</h2>
          <p>${history.data.cut_short.message}</p></section>`
      : null}
    ${recovered.data?.recovered.length
      ? html`<section class="job"><h2>Interrupted moves recovered</h2>
          <p>A crash interrupted these moves; shelfwise settled them from what was on disk. Check the books.</p>
          <ul class="plain lines">${recovered.data.recovered.map((m: any) => html`<li><a href=${`#/books/${m.book_id}`}>book ${m.book_id}</a> (${m.kind} #${m.move_id}): <${StateBadge} state=${m.outcome} /> <span class="path">${m.path}</span>${m.error ? html` <span class="error">${m.error}</span>` : null}</li>`)}</ul>
          <button class="secondary" disabled=${sending} onClick=${checkedRecovered}>I have checked them</button>
        </section>`
      : null}
    <h2 id="history" tabindex="-1">History</h2>
    <p class="muted">Undo moves a book back to where it was and locks it, so it is not proposed again; unlock it on its page to have it planned again.</p>
    <${JobWait} job=${job} id="undo-wait" what="Undo" />
    ${lastBatch !== null
      ? html`<${UndoLast} batch=${lastBatch} moves=${batchMoves} key=${lastBatch} held=${Boolean(job)} />`
      : null}
    ${!history.data
      ? html`<${Loading} error=${history.error} />`
      : history.data.total === 0
        ? html`<p class="muted">Nothing moved yet.</p>`
        : html`<div class="scroll"><table class="history"><thead><tr><th scope="col">When</th><th scope="col">Move</th><th scope="col">From</th><th scope="col">To</th><th scope="col">State</th><th scope="col" aria-label="Undo"></th></tr></thead>
          <tbody>${history.data.entries.map((m: any) => html`<tr key=${`${m.kind}-${m.move_id}`} data-move=${m.move_id}>
            <td><${When} iso=${m.at} /></td><td>${m.kind} #${m.move_id}</td><td class="path"><div class="clamp">${m.from}</div></td><td class="path"><div class="clamp">${m.to}</div><${Companions} names=${m.companions} /></td>
            <td><${StateBadge} state=${m.undone_by ? "undone" : m.state} />${m.error ? html` <span class="error">${m.error}</span>` : null}</td>
            <td>${m.kind === "apply" && m.state === "done" && !m.undone_by
              ? html`<${AskFirst} ask="Undo" askLabel=${`Undo move ${m.move_id}`} askClass="small secondary" disabled=${sending} held=${Boolean(job)} describedBy="undo-wait" groupLabel=${`Confirm undoing move ${m.move_id}`} answer="Move back"
                  question=${html`Move this book back to <span class="path">${m.from}</span>?`} data=${{ "data-undo-move": String(m.move_id) }}
                  onAnswer=${() => undoOne(m.move_id)} />`
              : null}</td></tr>`)}</tbody></table></div>
          ${history.data.total > HISTORY_PAGE || historyOffset > 0
            ? html`<nav class="pager" aria-label="Pages of history">
                <span class="muted">moves ${Math.min(historyOffset + 1, history.data.total)}–${Math.min(historyOffset + HISTORY_PAGE, history.data.total)} of ${history.data.total}</span>
                <button class="secondary" disabled=${historyOffset === 0} onClick=${() => setParams(params, { history_offset: String(Math.max(0, historyOffset - HISTORY_PAGE)) })}>Newer</button>
                <button class="secondary" disabled=${historyOffset + HISTORY_PAGE >= history.data.total} onClick=${() => setParams(params, { history_offset: String(historyOffset + HISTORY_PAGE) })}>Older</button>
              </nav>`
            : null}`}
  `;
}

/** Proposals named in a question before they move. */
const ASKED_SHOWN = 5;

/**
 * What "Apply N moves" will move, asked before it moves it: how many, and the first few from → to (the rest
 * counted), so a selection made pages of scrolling ago is seen before its files move.
 */
function MovesAsked({ moves }: { moves: any[] }) {
  const n = moves.length;
  return html`Move ${counted(n, "selected book")} to ${n === 1 ? "its" : "their"} proposed folder?
    <ul class="plain lines asked">${moves.slice(0, ASKED_SHOWN).map((e: any) => html`<li class="path"><div class="clamp">${rel(e.from, e.target_root)} → ${rel(bookPlaceOf(e), e.target_root)}</div></li>`)}${n > ASKED_SHOWN ? html`<li class="muted">and ${counted(n - ASKED_SHOWN, "more book")}</li>` : null}</ul>`;
}

/** A loose book's companions (its cover, OPF, cue sheet beside it) that move with it: named as text, never as markup. */
function Companions({ names }: { names: string[] | undefined }) {
  if (!names?.length) return null;
  return html`<div class="companions muted">with ${names.join(", ")}</div>`;
}

/**
 * Undo of the whole last apply: every book it moved goes back, most of them not on screen (the history shows a
 * page), so it asks first, as "Apply all" does: the question takes the button's place with the focus on its answer;
 * Cancel or Escape gives the focus back to the button. What happened is then shown by Running and "Last undo".
 */
function UndoLast({ batch, moves, held }: { batch: number; moves: number; held: boolean }) {
  const { sending, once } = useSending();
  // The apply is named, not its moves: the history no longer lists every id of an apply of 100,000 books (an undo
  // takes at most 100,000 ids besides).
  const undo = () => once(() => act(() => post("/api/undo", { batch_id: batch }), `moving ${counted(moves, "book")} back…`)).then((r) => r && changed());
  return html`<div class="actions"><${AskFirst} ask=${`Undo the last apply (${counted(moves, "move")})…`} askClass="secondary" disabled=${sending} held=${held} describedBy="undo-wait"
    groupLabel="Confirm undoing the last apply" groupData=${{ "data-confirm-undo": "" }} answer=${`Move ${moves} back`} onAnswer=${undo}
    question=${`Move ${counted(moves, "book")} of the last apply back to where ${moves === 1 ? "it was" : "they were"}?`} /></div>`;
}
