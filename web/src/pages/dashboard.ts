import { useEffect, useRef, useState } from "preact/hooks";
import { html, act, useSending, StateBadge, timeOfDay, when } from "../ui.js";
import { counted } from "../../../src/domain/plural.js";
import { post } from "../api.js";
import { useStore } from "../state.js";
import { LastStart } from "./last-start.js";

const STATUSES = ["new", "pending", "identified", "needs_attention", "missing"];

export function Dashboard() {
  const { status } = useStore();
  const { sending, once } = useSending();
  // The notice dismissed here, gone at once (the status event that says so comes a moment later), and where the
  // keyboard goes then: its button is removed, and a focus left on nothing sent the next Tab to the page's top.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    const target = document.getElementById("needs-you") ?? document.querySelector<HTMLElement>("main h1");
    if (!target) return;
    target.tabIndex = -1;
    target.focus();
  }, [dismissed]);
  // Stop pressed here: it is gone with the job it stopped, and the keyboard had been put on the page's heading
  // while its request was on its way (Scan and Process were disabled too). Once the job has ended it goes on to
  // the first of them usable again, unless the user has moved on meanwhile.
  const stopPressed = useRef(false);
  const running = Boolean(status?.job);
  useEffect(() => {
    if (running || !stopPressed.current) return;
    stopPressed.current = false;
    const now = document.activeElement;
    if (now !== null && now !== document.body && !now.matches("main, main h1")) return;
    document.querySelector<HTMLElement>("main section.actions button:not([disabled]):not([aria-disabled=true])")?.focus();
  }, [running]);
  if (!status) return html`<p class="muted">Connecting…</p>`;
  const problems = status.problems.filter((p: any) => !(p.kind === "job_cut_short" && p.message === dismissed));
  const dismiss = (message: string) =>
    once(() => act(() => post("/api/jobs/cut-short/dismiss"))).then((r) => {
      if (!r) return;
      refocus.current = true;
      setDismissed(message);
    });
  const job = status.job;
  const busy = Boolean(job);
  // Scan and Process are held (aria-disabled), not disabled, while a job runs or their request is on its way: a
  // disabled button drops the keyboard's focus (it went to the page's heading, and the next Tab started from the
  // top). The job's start and end are said by the header's live region. Without a library folder Scan is disabled:
  // nothing on this page would make it usable.
  const noLibrary = status.problems.some((p: any) => p.kind === "no_library");
  return html`
    <h1>Dashboard</h1>
    <section class="cards" aria-label="Books by status">
      <a class="card" href="#/books"><strong>${status.books_total}</strong><span>books</span></a>
      ${STATUSES.map(
        // A part joined into another book is `missing` by status, its files there inside that book: counted apart, as `status` does.
        (s) => html`<a class="card" href=${`#/books?status=${s}`}><strong>${(status.by_status[s] ?? 0) - (s === "missing" ? (status.joined ?? 0) : 0)}</strong><span>${s.replace("_", " ")}</span></a>`,
      )}
      ${status.joined > 0 ? html`<a class="card" href="#/books?status=missing" data-joined-card><strong>${status.joined}</strong><span>joined into another book</span></a>` : null}
      <a class="card" href="#/books?layer_errors=true"><strong>${status.books_with_errors}</strong><span>with layer errors</span></a>
    </section>
    <section class="actions">
      <button disabled=${noLibrary} aria-disabled=${!noLibrary && (busy || sending) ? "true" : undefined} aria-describedby=${noLibrary ? "scan-needs-folder" : undefined}
        onClick=${() => !busy && once(() => act(() => post("/api/scan"), "scan started"))}>Scan library</button>
      <button aria-disabled=${busy || sending ? "true" : undefined} onClick=${() => !busy && once(() => act(() => post("/api/process", {}), "processing started"))}>Process</button>
      ${busy ? html`<button class="secondary" disabled=${sending} onClick=${() => ((stopPressed.current = true), once(() => act(() => post("/api/stop"))))}>Stop</button>` : null}
      ${noLibrary
        ? // Beside the button it disables, and its description: Scan would only fail saying the same.
          html`<p id="scan-needs-folder" class="muted" data-scan-needs-folder>Scan needs a library folder first: add the folder that holds your audiobooks on the <a href="#/settings">Settings page</a>, or type <code>shelfwise library add /path/to/audiobooks</code> in a terminal.</p>`
        : null}
    </section>
    ${job
      ? // Not a live region: redrawn on every progress tick, it had screen readers say "3 of 10 books" over and over;
        // the header's JobAnnouncer (main.ts) says when the job starts and ends.
        html`<section class="job" data-running-job>
          <h2>Running: ${job.label}</h2>
          ${job.layer
            ? html`<p>Layer <strong>${job.layer}</strong>: ${job.done} of ${counted(job.pending, "book")}</p>
                <progress aria-label=${`${job.label}: layer ${job.layer} progress`} max=${Math.max(job.pending, 1)} value=${job.done}></progress>`
            : job.kind === "scan"
              ? html`<p>${counted(job.done, "book")} found so far</p>`
              : job.pending > 0
                ? html`<p>${job.done} of ${counted(job.pending, "book")}</p><progress aria-label=${`${job.label} progress`} max=${job.pending} value=${job.done}></progress>`
                : html`<p>starting…</p>`}
        </section>`
      : status.last_job
        ? html`<p class="muted">Last: ${status.last_job.label} ${status.last_job.state} at ${when(status.last_job.finished_at)}${status.last_job.message ? ` (${status.last_job.message})` : ""}${status.last_job.kind === "apply" && (status.last_job.checked?.held ?? 0) > 0
            ? html` <a href="#/review?why=held" data-see-why>see why ${status.last_job.checked.held === 1 ? "one was" : `${status.last_job.checked.held} were`} held</a>`
            : null}</p>`
        : null}
    ${problems.length
      ? html`<section><h2 id="needs-you">Needs you</h2><ul class="problems">
          ${problems.map(
            (p: any) =>
              html`<li class=${p.kind} data-problem=${p.kind}>${p.last_start
                ? // A plugin whose start failed: when and why in the plugin pages' words (and the time in the reader's zone).
                  html`<a href=${p.link}>plugin ${p.plugin} is failed</a>: <${LastStart} p=${{ start_check: "last_start", last_start: p.last_start, last_start_ok: false, last_start_reason: p.last_start_reason }} />`
                : p.link
                  ? html`<a href=${p.link}>${p.message}</a>`
                  : p.message}${p.book_ids?.length
                ? html` <span class="books">(${p.book_ids.map((id: number, i: number) => html`${i > 0 ? ", " : ""}<a href=${`#/books/${id}`} aria-label=${`book ${id}`}>#${id}</a>`)}${p.more_books ? html`, <a href=${`#/books?problem=${p.kind}`} data-more title="all of them on the Books page" aria-label="all of them on the Books page">…</a>` : ""})</span>`
                : null}${p.kind === "job_cut_short"
                ? html` <button class="secondary" aria-label="Dismiss the notice of the job cut short" disabled=${sending} onClick=${() => dismiss(p.message)}>Dismiss</button>`
                : null}</li>`,
          )}
        </ul></section>`
      : null}
    <section>
      <h2>Pipeline</h2>
      <div class="scroll"><table>
        <thead><tr><th scope="col">Layer</th><th scope="col">State</th><th scope="col" class="num">Passed</th><th scope="col" class="num">Errors</th><th scope="col" class="num">Skipped</th><th scope="col">Progress</th></tr></thead>
        <tbody>
          ${status.layers.map(
            (l: any) => html`<tr class=${job?.layer === l.layer_id ? "current" : ""}>
              <td>${l.name} <span class="muted">${l.layer_id}</span></td>
              <td><${StateBadge} state=${l.state} /></td>
              <td class="num">${l.ok}</td><td class="num">${l.error}</td><td class="num">${l.skipped}</td>
              <td><progress aria-label=${`${l.layer_id} progress`} max=${Math.max(status.books_total, 1)} value=${l.ok + l.error + l.skipped}></progress></td>
            </tr>`,
          )}
        </tbody>
      </table></div>
    </section>
    <section>
      <h2>Recent activity</h2>
      ${status.activity.length
        ? html`<ul class="activity">${status.activity.slice(0, 15).map((a: any) => html`<li class=${a.level}><time datetime=${a.at} title=${a.at}>${timeOfDay(a.at)}</time> ${a.message}</li>`)}</ul>`
        : html`<p class="muted">Nothing yet.</p>`}
    </section>
  `;
}
