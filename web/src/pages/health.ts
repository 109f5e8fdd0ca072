import { useEffect, useRef, useState } from "preact/hooks";
import { counted } from "../../../src/domain/plural.js";
import uPlot from "uplot";
import { html, act, useLoad, useSending, Loading, StateBadge, pct, When } from "../ui.js";
import { get, post, query } from "../api.js";
import { changed, useLiveReload } from "../state.js";
import { LastStart } from "./last-start.js";

const enc = encodeURIComponent;
const FAIL = new Set(["error", "crash", "invalid_output"]);
/** Calls shown at once in a layer's call log (the books list shows 50 books). */
const CALLS = 100;

const RAN = (o: string) => o !== "skipped" && o !== "interrupted" && o !== "not_run";

function Chart({ calls: all }: { calls: { at: string; outcome: string; duration_ms: number }[] }) {
  const box = useRef<HTMLDivElement>(null);
  // Only calls that ran have a duration to draw; uPlot needs its x values in order (calls in flight at
  // once are recorded in the order they end).
  const calls = all.filter((c) => RAN(c.outcome) && Number.isFinite(Date.parse(c.at))).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  useEffect(() => {
    if (!box.current || calls.length === 0) return;
    const x = calls.map((c) => Date.parse(c.at) / 1000);
    const pick = (test: (o: string) => boolean) => calls.map((c) => (test(c.outcome) ? c.duration_ms : null));
    const dark = matchMedia("(prefers-color-scheme: dark)").matches;
    const axis = { stroke: dark ? "#bbb" : "#444", grid: { stroke: dark ? "#333" : "#e5e5e5" } };
    const points = (color: string) => ({ show: true, size: 6, fill: color, stroke: color });
    const plot = new uPlot(
      {
        width: Math.min(box.current.clientWidth || 600, 900),
        height: 220,
        axes: [axis, { ...axis, label: "ms" }],
        series: [
          {},
          { label: "success", stroke: "#2e8b57", width: 0, points: points("#2e8b57") },
          { label: "failure", stroke: "#c0392b", width: 0, points: points("#c0392b") },
          { label: "timeout", stroke: "#d68910", width: 0, points: points("#d68910") },
        ],
      },
      [x, pick((o) => o === "ok" || o === "no_result"), pick((o) => FAIL.has(o)), pick((o) => o === "timeout")],
      box.current,
    );
    return () => plot.destroy();
  }, [JSON.stringify(calls)]);
  if (calls.length === 0) return html`<p class="muted chart-empty">${all.length ? `No call that ran yet (${all.length} skipped).` : "No calls yet."}</p>`;
  const ok = calls.filter((c) => c.outcome === "ok" || c.outcome === "no_result").length;
  return html`<figure>
    <div ref=${box} class="chart" role="img" aria-label=${`Last ${counted(calls.length, "call")}: ${ok} succeeded, ${calls.length - ok} did not`}></div>
    <figcaption class="muted">Last ${counted(calls.length, "call")} over time: duration of each, by outcome.</figcaption>
  </figure>`;
}

/**
 * Plugins and HTTP sources are the layers that call out; both are shown here with the same metrics. A source's row
 * comes from /api/sources (its `health`), flattened to a plugin row's shape; `kind` says which API re-enables it.
 */
type Kind = "plugin" | "source";

function sourceRow(s: any) {
  return { ...s.health, plugin_id: s.id, name: s.name, state: s.state, reason: s.reason, concurrency: s.concurrency, recent: s.recent ?? [] };
}

const WORD: Record<Kind, string> = { plugin: "plugin", source: "HTTP source" };
const detailLink = (kind: Kind, id: string) => (kind === "plugin" ? `#/health/${enc(id)}` : `#/health/source/${enc(id)}`);

function Reenable({ row, kind = "plugin" }: { row: any; kind?: Kind }) {
  const { sending, once } = useSending();
  if (row.state !== "auto-disabled") return null;
  const url = kind === "plugin" ? `/api/plugins/${enc(row.plugin_id)}/reset` : `/api/sources/${enc(row.plugin_id)}/reset`;
  return html`<button class="small" aria-label=${`Re-enable ${WORD[kind]} ${row.plugin_id}`} disabled=${sending} onClick=${() => once(() => act(() => post(url))).then((r) => r && changed())}>Re-enable</button>`;
}

/** Whether a layer that still runs has books whose last run failed or was interrupted to ask again (Retry). */
const retryable = (row: any) => row.state !== "disabled" && row.state !== "auto-disabled" && row.state !== "invalid" && row.failed_books > 0;

/**
 * What a reset said, in the place of the button that asked for it, holding the keyboard: the button is gone once
 * the layer is enabled again (or has nothing left to retry), and the focus it had went to the page's heading (it
 * was disabled while its request was on its way) or to nothing. Taken only from there, never from where the user
 * has moved on to. `away` is where the keyboard goes when this message goes too (the last errors of a plugin that
 * has none left).
 */
function Done({ text, away }: { text: string; away?: () => HTMLElement | null }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const here = ref.current;
    const now = document.activeElement;
    if (here && (now === null || now === document.body || now.matches("main, main h1"))) here.focus();
    return () => {
      if (here && document.activeElement === here) away?.()?.focus();
    };
  }, []);
  return html`<p class="muted" tabindex="-1" ref=${ref} data-reset-done>${text}</p>`;
}

/**
 * Re-enable (of an auto-disabled layer) and Retry, where no table row holds them (a layer's own page, its last
 * errors on the dashboard): a group of their own after the state or the heading, never inside a paragraph or a
 * heading, which a screen reader read as one with them. Retry is what "Retry on the Health page" in an error's
 * advice (an interrupted call, a failed one) points at: it clears the failed and interrupted runs of a layer that
 * still runs (the API's reset, as `plugins reset`), so the next Process asks again for those books only. Not for a
 * disabled one (reset would turn it on) nor an auto-disabled one (Re-enable does that, and retries too).
 */
function ResetActions({ row, kind = "plugin", retryOnly = false, away }: { row: any; kind?: Kind; retryOnly?: boolean; away?: () => HTMLElement | null }) {
  const { sending, once } = useSending();
  const [done, setDone] = useState<{ text: string; row: any } | null>(null);
  const reenable = !retryOnly && row.state === "auto-disabled";
  const retry = retryable(row);
  // Said until the page shows the layer as it is now; the buttons again only if it needs them again.
  if (done && (done.row === row || (!reenable && !retry))) return html`<div class="actions"><${Done} text=${done.text} away=${away} /></div>`;
  if (!reenable && !retry) return null;
  const url = kind === "plugin" ? `/api/plugins/${enc(row.plugin_id)}/reset` : `/api/sources/${enc(row.plugin_id)}/reset`;
  const press = () =>
    once(() => act(() => post(url))).then((answer: any) => {
      if (!answer) return;
      setDone({ text: answer.message ?? `${WORD[kind]} ${row.plugin_id} reset`, row });
      changed();
    });
  return html`<div class="actions">${reenable
    ? html`<button class="small" aria-label=${`Re-enable ${WORD[kind]} ${row.plugin_id}`} disabled=${sending} onClick=${press}>Re-enable</button>`
    : html`<button class="small" aria-label=${`Retry the failed books of ${WORD[kind]} ${row.plugin_id}`} disabled=${sending} onClick=${press}>Retry</button>`}</div>`;
}

/** The layer's name in the dashboard's table: where the keyboard goes when what it was on in "Last errors" is gone. */
const rowLink = (kind: Kind, id: string) => () => document.querySelector<HTMLElement>(`table.health[data-kind="${kind}"] tr[data-${kind}="${CSS.escape(id)}"] a`);

function HealthTable({ rows, kind }: { rows: any[]; kind: Kind }) {
  const label = kind === "plugin" ? "Plugin" : "Source";
  return html`<div class="scroll"><table class="health" data-kind=${kind}>
      <thead><tr><th scope="col">${label}</th><th scope="col">State</th><th scope="col" class="num">Success <small class="muted">last 50</small></th><th scope="col" class="num">Avg ms <small class="muted">last 50</small></th><th scope="col" class="num">p95 ms <small class="muted">last 50</small></th>
        <th scope="col" class="num">Calls <small class="muted">all</small></th><th scope="col" class="num">Resolved</th><th scope="col" class="num">Skipped</th>${kind === "plugin" ? html`<th scope="col" class="num" title="books that never reached the plugin: a batch gave up on its lost processes (not failures: the losses are)">Not run</th>` : null}<th scope="col" class="num">Failures in a row</th><th scope="col">Last run</th>${kind === "plugin" ? html`<th scope="col">Last start</th>` : null}<th scope="col" aria-label="Re-enable"></th></tr></thead>
      <tbody>${rows.map((r: any) => html`<tr data-plugin=${kind === "plugin" ? r.plugin_id : undefined} data-source=${kind === "source" ? r.plugin_id : undefined}>
        <td><a href=${detailLink(kind, r.plugin_id)}>${r.name ?? r.plugin_id}</a></td>
        <td><${StateBadge} state=${r.state} />${r.reason ? html`<div class="reason muted" data-field="reason">${r.reason}</div>` : null}</td>
        <td class="num" data-field="success_rate">${pct(r.success_rate)}</td><td class="num" data-field="avg_duration_ms">${r.avg_duration_ms ?? "–"}</td><td class="num" data-field="p95_duration_ms">${r.p95_duration_ms ?? "–"}</td>
        <td class="num" data-field="total_processed">${r.total_processed}</td><td class="num" data-field="total_resolved">${r.total_resolved}</td><td class="num" data-field="total_skipped">${r.total_skipped}</td>${kind === "plugin" ? html`<td class="num" data-field="total_not_run">${r.total_not_run ?? 0}</td>` : null}
        <td class="num" data-field="consecutive_failures">${r.consecutive_failures}</td>
        <td data-field="last_run"><${When} iso=${r.last_run} /></td>${kind === "plugin" ? html`<td data-field="last_start"><${LastStart} p=${r} /></td>` : null}<td><${Reenable} row=${r} kind=${kind} /></td>
      </tr>`)}</tbody>
    </table></div>`;
}

function LastErrors({ rows, kind }: { rows: any[]; kind: Kind }) {
  return rows
    .filter((r: any) => r.recent_errors.length || r.failed_books)
    .map(
      (r: any) => html`<div data-errors=${`${kind}:${r.plugin_id}`} key=${`${kind}:${r.plugin_id}`}><h3>${kind === "source" ? `source ${r.plugin_id}` : r.plugin_id}: last errors</h3><${ResetActions} row=${r} kind=${kind} retryOnly away=${rowLink(kind, r.plugin_id)} />${r.failed_books ? html`<p class="muted" data-field="failed_books">${counted(r.failed_books, "book")} whose last run failed or was interrupted: Retry asks again at the next Process.</p>` : null}<ul class="plain">${r.recent_errors.map(
        (e: any) => html`<li><span class="muted"><${When} iso=${e.timestamp} /></span> <${StateBadge} state=${e.outcome} /> ${e.message}</li>`,
      )}</ul></div>`,
    );
}

export function Health() {
  const { data, error, reload } = useLoad((signal) => Promise.all([get("/api/health", signal), get("/api/sources", signal)]), []);
  useLiveReload(reload);
  if (!data) return html`<${Loading} error=${error} />`;
  const [health, sources] = data as [any, any[]];
  const sourceRows = sources.map(sourceRow);
  return html`
    <h1>Health: plugins and HTTP sources</h1>
    <p class="muted">Every layer that calls out: plugins and HTTP sources. Success, average and p95 are over each one's last 50 calls that ran (skipped ones left out); calls, resolved and skipped count every call since it was last reset.</p>
    <h2>Plugins</h2>
    ${health.plugins.length === 0 ? html`<p class="muted">No plugins: drop one into the plugin folder (see the Plugins page).</p>` : html`<${HealthTable} rows=${health.plugins} kind="plugin" />`}
    <h2>HTTP sources</h2>
    ${sourceRows.length === 0 ? html`<p class="muted">No HTTP sources: add one on the Plugins page.</p>` : html`<${HealthTable} rows=${sourceRows} kind="source" />`}
    ${[...health.plugins, ...sourceRows].some((r: any) => r.recent_errors.length || r.failed_books)
      ? html`<section><h2>Last errors</h2><${LastErrors} rows=${health.plugins} kind="plugin" /><${LastErrors} rows=${sourceRows} kind="source" /></section>`
      : null}`;
}

export function HealthDetail({ id, kind = "plugin" }: { id: string; kind?: Kind }) {
  const base = kind === "plugin" ? `/api/health/${enc(id)}` : `/api/sources/${enc(id)}`;
  const { data, error, reload } = useLoad((signal) => get(kind === "plugin" ? base : `${base}/health`, signal), [id, kind]);
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const outcome = params.get("outcome") ?? "";
  // Paged by the id of the last call shown (the API's `before`), in the address as the books' pages are: a plugin
  // with 100,000 calls opens on its newest ones, the browser's Back returns to the newer page, and new calls
  // recorded meanwhile do not shift the page being read. One more than shown says whether there are older ones.
  const before = params.get("before") ?? "";
  const loaded = useLoad((signal) => get(`${base}/calls${query({ outcome, before, limit: CALLS + 1 })}`, signal), [id, kind, outcome, before], { outcome: "Outcome", before: "Older calls", limit: "Calls shown" });
  const log = { ...loaded, data: loaded.data ?? loaded.last };
  const busy = loaded.data === null && loaded.error === null;
  const calls: any[] = log.data ? log.data.calls.slice(0, CALLS) : [];
  const older = log.data !== null && log.data.calls.length > CALLS;
  useLiveReload(() => (reload(), loaded.reload()));
  if (!data) return html`<p><a href="#/health">← Health</a></p>${error ? html`<h1>Health of ${id}</h1>` : null}<${Loading} error=${error} />`;
  const r = kind === "plugin" ? data : sourceRow(data);
  return html`
    <p><a href="#/health">← Health</a></p>
    <h1>${r.name ?? r.plugin_id}${kind === "source" ? html` <small class="muted">HTTP source</small>` : null}</h1>
    <p><${StateBadge} state=${r.state} /> ${r.reason ?? ""}</p>
    <${ResetActions} row=${r} kind=${kind} />
    <dl class="grid">
      <dt>Success rate <small class="muted">(last 50 calls that ran)</small></dt><dd data-field="success_rate">${pct(r.success_rate)}</dd>
      <dt>Average <small class="muted">(last 50)</small></dt><dd data-field="avg_duration_ms">${r.avg_duration_ms ?? "–"} ms</dd>
      <dt>p95 <small class="muted">(last 50)</small></dt><dd data-field="p95_duration_ms">${r.p95_duration_ms ?? "–"} ms</dd>
      <dt>Calls</dt><dd data-field="total_processed">${r.total_processed}</dd>
      <dt>Resolved</dt><dd data-field="total_resolved">${r.total_resolved}</dd>
      <dt>Skipped</dt><dd data-field="total_skipped">${r.total_skipped}</dd>
      ${kind === "plugin" ? html`<dt>Not run</dt><dd><span data-field="total_not_run">${r.total_not_run ?? 0}</span> <small class="muted">books a batch gave up on after lost processes (not failures)</small></dd>` : null}
      <dt>Failures in a row</dt><dd data-field="consecutive_failures">${r.consecutive_failures}</dd>
      <dt>Concurrency</dt><dd data-field="concurrency">${r.concurrency}${r.peak_in_flight === undefined ? "" : ` (peak ${r.peak_in_flight})`}</dd>
      <dt>Last run</dt><dd data-field="last_run"><${When} iso=${r.last_run} /></dd>
      ${kind === "plugin" ? html`<dt>Last start</dt><dd data-field="last_start"><${LastStart} p=${r} /></dd>` : null}
    </dl>
    ${r.failed_books ? html`<p data-field="failed_books">${counted(r.failed_books, "book")} whose last run failed or was interrupted: Retry asks again at the next Process.</p>` : null}
    ${r.recent_errors.length
      ? html`<h2>Last errors</h2><ul class="plain">${r.recent_errors.map((e: any) => html`<li><span class="muted"><${When} iso=${e.timestamp} /></span> <${StateBadge} state=${e.outcome} /> ${e.message}</li>`)}</ul>`
      : null}
    ${r.end_warnings?.length
      ? html`<h2>At its last run's end</h2><ul class="plain" data-field="end_warnings">${r.end_warnings.map((w: string) => html`<li>${w}</li>`)}</ul>`
      : null}
    <h2>Recent calls</h2>
    <${Chart} calls=${r.recent} />
    <h2>Call log</h2>
    <label>Outcome <select value=${outcome} onChange=${(e: Event) => (location.hash = `${detailLink(kind, id)}${query({ outcome: (e.target as HTMLSelectElement).value })}`)}>
      <option value="">all</option>${["ok", "no_result", "error", "timeout", "crash", "invalid_output", "skipped", "interrupted", "not_run"].map((o) => html`<option value=${o}>${o}</option>`)}
    </select></label>
    ${!log.data
      ? html`<${Loading} error=${log.error} />`
      : html`${log.error && !loaded.data ? html`<${Loading} error=${log.error} />` : null}
        <p class="muted" aria-live="polite" data-field="calls_shown">${calls.length === 0
          ? before ? "No older calls." : outcome ? `No ${outcome} calls.` : "No calls yet."
          : `${before ? "Older calls" : "Newest calls"}${outcome ? ` (${outcome})` : ""}: ${counted(calls.length, "call")} shown, newest first${older ? "; Older calls shows the next ones" : before ? "; the oldest recorded is the last here" : ""}.`}</p>
        ${calls.length
          ? html`<div class="scroll"><table class="calls" aria-busy=${busy ? "true" : "false"}><thead><tr><th scope="col">Time</th><th scope="col">Book</th><th scope="col">Outcome</th><th scope="col" class="num">ms</th><th scope="col">Error or note</th></tr></thead>
        <tbody>${calls.map((c: any) => html`<tr key=${c.id} data-call=${c.id}><td><${When} iso=${c.at} /></td><td>${c.book_id ? html`<a href=${`#/books/${c.book_id}`}>${c.book_id}</a>` : "–"}</td>
          <td><${StateBadge} state=${c.outcome} /></td><td class="num">${c.duration_ms.toFixed(1)}</td><td>${c.error ?? ""}</td></tr>`)}</tbody></table></div>`
          : null}
        ${before || older
          ? html`<nav class="pager" aria-label="Pages of calls">
          <button disabled=${!before} onClick=${() => (location.hash = `${detailLink(kind, id)}${query({ outcome })}`)}>Newest</button>
          <button disabled=${!older} onClick=${() => (location.hash = `${detailLink(kind, id)}${query({ outcome, before: calls[calls.length - 1].id })}`)}>Older calls</button>
        </nav>`
          : null}`}
  `;
}
