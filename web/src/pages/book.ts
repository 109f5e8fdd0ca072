import { useEffect, useRef, useState } from "preact/hooks";
import { html, act, useLoad, useSending, Loading, StateBadge, bytes } from "../ui.js";
import { get, post, api, ApiFailure } from "../api.js";
import { changed } from "../state.js";
import { ShownPart } from "../shown-part.js";

// A field the user set carries the source "user"; removing it lets the layers' evidence decide again.
// Each save says which value of the user's it was made from (`shown`): another tab's or a command's correction of
// the same field since is refused by name (409) rather than overwritten unseen; what was typed stays in the form, the
// page loads afresh, and Save again then replaces the value now shown.
function Correct({ book, field, current, mine }: { book: number; field: string; current: string | null; mine: string | null }) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(current ?? "");
  /** The user's value when the form opened; null once a save was refused as stale (the value now shown counts). */
  const [base, setBase] = useState<{ value: string | null } | null>(null);
  // The form takes the place of the Correct button: its field gets the focus, and once it closes (saved or
  // cancelled) the focus is back on the button, not lost to the top of the document.
  const button = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const wasOpen = useRef(false);
  const { sending, once } = useSending();
  // A value the server refused (too long, only white space): said beside the field, which is marked and keeps the
  // keyboard; the notice alone did not say which field of the page was wrong.
  const [problem, setProblem] = useState<string | null>(null);
  const errorId = `correct-${field}-error`;
  useEffect(() => {
    if (!open) setProblem(null);
  }, [open]);
  useEffect(() => {
    if (open) input.current?.focus();
    else if (wasOpen.current) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  /** Sends a correction; a refusal as stale (409) loads the page afresh and says so. */
  const send = async (body: Record<string, unknown>, okText: string | ((result: any) => string)) => {
    let stale = false;
    const done = await once(() =>
      act(async () => {
        try {
          return await api("PATCH", `/api/books/${book}/fields`, body);
        } catch (error) {
          stale = error instanceof ApiFailure && error.status === 409 && error.fields.length > 0;
          if (error instanceof ApiFailure && error.status === 400 && error.fields.length > 0) {
            setProblem(error.fields.map((f) => f.message).join("; "));
            setTimeout(() => input.current?.focus(), 0);
          }
          throw error;
        }
      }, okText, { [`set.${field}`]: `New ${field}`, [`unset`]: `Remove your ${field}` }),
    );
    if (done) setProblem(null);
    if (stale) (setBase(null), changed());
    return done;
  };
  const unset = async () => {
    if (await send({ unset: [field], shown: { [field]: mine } }, `your ${field} removed`)) changed();
  };
  if (!open)
    return html`<button ref=${button} class="small secondary" aria-label=${`Correct ${field}`} onClick=${() => (setValue(current ?? ""), setBase({ value: mine }), setOpen(true))}>Correct</button>
      ${mine !== null ? html` <button class="small secondary" aria-label=${`Remove your ${field}`} disabled=${sending} onClick=${unset}>Remove mine</button>` : null}`;
  // The form opens where Correct was: the second click of a double-click on Correct landed on Save, and saved
  // the value shown as the user's own (weight 100, winning from then on) without a thing typed.
  const notSecondClick = (e: MouseEvent) => e.detail > 1 && e.preventDefault();
  const save = async (e: Event) => {
    e.preventDefault();
    const shown = { [field]: base ? base.value : mine };
    const body = value.trim() === "" ? { unset: [field], shown } : { set: { [field]: value }, shown };
    // What was kept with a note (a language shelfwise does not know) is said as `book --set` says it, and stays.
    const said = (result: any) => (result?.notes?.length ? `${field} saved; ${result.notes.join("; ")}` : `${field} saved`);
    if (await send(body, value.trim() === "" ? `your ${field} removed` : said)) (setOpen(false), changed());
  };
  // Escape from any of its controls (its field, Save, Cancel) closes it as Cancel does: from Save it did nothing.
  return html`<form class="inline" onSubmit=${save} onKeyDown=${(e: KeyboardEvent) => e.key === "Escape" && setOpen(false)}>
    <input ref=${input} name=${`set.${field}`} aria-label=${`New ${field}`} aria-invalid=${problem ? "true" : undefined} aria-describedby=${problem ? errorId : undefined} value=${value} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} />
    <button type="submit" class="small" aria-label=${`Save ${field}`} disabled=${sending} onClick=${notSecondClick}>Save</button>
    <button type="button" class="small secondary" aria-label=${`Cancel ${field}`} onClick=${() => setOpen(false)}>Cancel</button>
    ${problem ? html`<small id=${errorId} class="field-error error" role="alert">${problem}</small>` : null}
  </form>`;
}

export function Book({ id }: { id: string }) {
  const { data: b, error } = useLoad((signal) => get(`/api/books/${encodeURIComponent(id)}`, signal), [id]);
  const { sending, once } = useSending();
  // The way back is there while it loads and when it cannot (a book that does not exist): not only once it is in.
  // A book that cannot be shown still gets a heading: the window's title and the focus follow it (the page before's stayed).
  if (!b) return html`<p><a href="#/books">← Books</a></p>${error ? html`<h1>Book ${id}</h1>` : null}<${Loading} error=${error} />`;
  const errors = b.layers.filter((l: any) => l.status === "error");
  // Long lists a part at a time (ShownPart): a book's files (2,000 MP3 chapters), and a field's evidence, since a
  // plugin may claim any number of values for one field (and have as many rejected).
  return html`
    <p><a href="#/books">← Books</a></p>
    <h1>${b.title ?? "(unknown title)"} <span class="muted">by ${b.author ?? "?"}</span></h1>
    <p class="path">${b.path}</p>
    <p><${StateBadge} state=${b.status} /> confidence <strong>${b.confidence}</strong>${b.status_reason ? html` <span class="muted">(${b.status_reason})</span>` : null}
      ${b.flags.map((f: string) => html` <span class="badge">${f}</span>`)}</p>
    <p>Proposed path: ${b.proposed_path ? html`<code>${b.proposed_path}</code>` : html`<span class="muted">none yet</span>`}</p>
    <div class="actions">
      <button disabled=${sending} onClick=${async () => (await once(() => act(() => post(`/api/books/${b.id}/lock`, { locked: !b.locked })))) && changed()}>${b.locked ? "Unlock" : "Lock"} book</button>
      <button class="secondary" disabled=${sending} onClick=${() => once(() => act(() => post(`/api/books/${b.id}/rerun`, {}), "layers run again for this book"))}>Rerun all layers</button>
      ${errors.length ? html`<button class="secondary" disabled=${sending} onClick=${() => once(() => act(() => post(`/api/books/${b.id}/rerun`, { layers: errors.map((l: any) => l.layer_id) }), "failed layers run again"))}>Rerun failed layers</button>` : null}
    </div>
    <h2>Fields and evidence</h2>
    <div class="scroll"><table class="evidence">
      <thead><tr><th scope="col">Field</th><th scope="col">Value</th><th scope="col" class="num">Conf.</th><th scope="col">Evidence (source, weight, value)</th><th scope="col" aria-label="Correct"></th></tr></thead>
      <tbody>
        ${Object.entries(b.profile).map(([field, f]: [string, any]) => ({ field, ...f })).map(
          (f: any) => html`<tr>
            <th scope="row">${f.field}</th>
            <td>${f.value ?? html`<span class="muted">unknown</span>`}</td>
            <td class="num">${f.confidence}</td>
            <td><${ShownPart} className="plain" noun="value" of=${` of ${f.field}`} first=${10}
              items=${[...f.evidence.map((e: any) => ({ e })), ...b.rejected.filter((r: any) => r.field === f.field).map((r: any) => ({ r }))]}
              item=${({ e, r }: { e?: any; r?: any }) =>
                e
                  ? html`<li class=${f.value !== null && e.value.toLowerCase() === f.value.toLowerCase() ? "wins" : "loses"}><span class="source">${e.source}</span> <span class="muted">${e.weight}</span> ${e.value}</li>`
                  : html`<li class="rejected"><span class="source">${r.source}</span> <s>${r.value}</s> <span class="muted">rejected: ${r.reason}</span></li>`} /></td>
            <td><${Correct} book=${b.id} field=${f.field} current=${f.value} mine=${f.evidence.find((e: any) => e.source === "user")?.value ?? null} /></td>
          </tr>`,
        )}
      </tbody>
    </table></div>
    <h2>Layers</h2>
    ${b.layers.length
      ? html`<ul class="plain">${b.layers.map((l: any) => html`<li><${StateBadge} state=${l.status} /> ${l.layer_id}${l.error ? html` <span class="error">${l.error}</span>` : null}${(l.warnings ?? []).length ? html`<${ShownPart} items=${l.warnings} noun="warning" className="plain warnings" first=${10} item=${(w: string) => html`<li class="warn">warning: ${w}</li>`} />` : null}</li>`)}</ul>`
      : html`<p class="muted">No layer has run for this book yet.</p>`}
    <h2>Files</h2>
    <${ShownPart} items=${b.files} total=${b.files_total} source=${`${b.id}:${b.files_total}`} more=${(offset: number, limit: number, signal: AbortSignal) => get(`/api/books/${b.id}/files?offset=${offset}&limit=${Math.min(limit, 5000)}`, signal).then((p: any) => p.files)} noun="file" className="plain files" item=${(f: any) => html`<li><code>${f.path}</code> <span class="muted">${bytes(f.size)}</span></li>`} />
    ${b.sidecars_total ? html`<h3>Sidecars</h3><${ShownPart} items=${b.sidecars} total=${b.sidecars_total} source=${`${b.id}:${b.sidecars_total}`} more=${(offset: number, limit: number, signal: AbortSignal) => get(`/api/books/${b.id}/sidecars?offset=${offset}&limit=${Math.min(limit, 5000)}`, signal).then((p: any) => p.sidecars)} noun="sidecar" className="plain files" item=${(s: string) => html`<li><code>${s}</code></li>`} />` : null}
  `;
}
