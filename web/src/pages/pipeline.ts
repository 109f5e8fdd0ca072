import { useEffect, useRef, useState } from "preact/hooks";
import { counted } from "../../../src/domain/plural.js";
import { html, act, useLoad, Loading, StateBadge } from "../ui.js";
import { get, post, put } from "../api.js";
import { changed, useStore } from "../state.js";
import { AskFirst } from "../ask-first.js";

/** The guard key of the order's save (a layer id is never empty). */
const ORDER = "";

export function Pipeline() {
  const { data, error, set } = useLoad((signal) => get("/api/layers", signal), []);
  // While a job runs the server refuses another (409): every layer's Run and Rerun are held, and say why, rather
  // than answering each press with a "busy" notice. The switches and the order are saved meanwhile.
  const job = useStore().status?.job ?? null;
  // After a move, focus stays on the moved layer (its button in the same direction, or the other one at an end).
  const focus = useRef<{ id: string; up: boolean } | null>(null);
  // A guard per layer (its switch, Run, Rerun) and one for the order (every move button: a move sends the whole
  // order): one layer's save no longer holds every other layer's controls. What is held is aria-disabled, not
  // disabled, so the keyboard stays on the control the user pressed (a disabled one dropped it to the heading).
  const [held, setHeld] = useState<ReadonlySet<string>>(new Set());
  const inFlight = useRef(new Set<string>());
  const onceFor = async <T,>(key: string, work: () => Promise<T | null>): Promise<T | null> => {
    if (inFlight.current.has(key)) return null;
    inFlight.current.add(key);
    setHeld(new Set(inFlight.current));
    try {
      return await work();
    } finally {
      inFlight.current.delete(key);
      setHeld(new Set(inFlight.current));
    }
  };
  useEffect(() => {
    const want = focus.current;
    if (!want) return;
    focus.current = null;
    const same = document.getElementById(`move-${want.id}-${want.up ? "up" : "down"}`) as HTMLButtonElement | null;
    const other = document.getElementById(`move-${want.id}-${want.up ? "down" : "up"}`) as HTMLButtonElement | null;
    (same && !same.disabled ? same : other)?.focus();
  }, [data]);
  if (!data) return html`<${Loading} error=${error} />`;
  const ordering = held.has(ORDER);
  const ids: string[] = data.layers.map((l: any) => l.layer_id);
  const move = async (index: number, by: number) => {
    const order = [...ids];
    const [item] = order.splice(index, 1);
    order.splice(index + by, 0, item!);
    const saved = await onceFor(ORDER, () => act(() => put("/api/pipeline/order", { order }), "order saved"));
    if (saved) {
      focus.current = { id: item!, up: by < 0 };
      set(saved);
    }
  };
  return html`
    <h1>Pipeline</h1>
    <p class="muted">Layers run top to bottom. The order is saved as <code>pipeline_order</code> in config.json.</p>
    ${data.warnings.map((w: string) => html`<p class="warn">${w}</p>`)}
    <p id="layers-wait" class="muted" data-layers-wait hidden=${!job}>${job ? html`Run and Rerun wait while ${job.label} runs: wait for it to finish, or stop it (Stop on the <a href="#/">Dashboard</a>).` : null}</p>
    <ol class="layers">
      ${data.layers.map(
        (l: any, i: number) => html`<li key=${l.layer_id} data-layer=${l.layer_id}>
          <div class="layer-head">
            <strong>${l.layer_name}</strong> <span class="muted">${l.layer_id} · ${l.kind}${l.source_weight === null ? "" : ` · weight ${l.source_weight}`}</span>
            <${StateBadge} state=${l.state} />
          </div>
          ${l.reason ? html`<p class="muted">${l.reason}</p>` : null}
          <p class="muted">${l.description}</p>
          <p>${l.ok} passed, ${counted(l.error, "error")}, ${l.skipped} skipped</p>
          <div class="actions">
            <button id=${`move-${l.layer_id}-up`} class="small secondary" disabled=${i === 0} aria-disabled=${ordering ? "true" : undefined} aria-label=${`Move ${l.layer_id} up`} onClick=${() => !ordering && move(i, -1)}>↑ Up</button>
            <button id=${`move-${l.layer_id}-down`} class="small secondary" disabled=${i === data.layers.length - 1} aria-disabled=${ordering ? "true" : undefined} aria-label=${`Move ${l.layer_id} down`} onClick=${() => !ordering && move(i, 1)}>↓ Down</button>
            <label class="switch"><input type="checkbox" aria-label=${`Layer ${l.layer_id} enabled`} disabled=${["invalid", "failed", "skipped"].includes(l.state)} aria-disabled=${held.has(l.layer_id) ? "true" : undefined} checked=${l.enabled}
              onClick=${(e: Event) => held.has(l.layer_id) && e.preventDefault()}
              onChange=${async (e: Event) => (await onceFor(l.layer_id, () => act(() => post(`/api/layers/${encodeURIComponent(l.layer_id)}/enabled`, { enabled: (e.target as HTMLInputElement).checked }), `${l.layer_id} ${(e.target as HTMLInputElement).checked ? "enabled" : "disabled"}: saved`))) && changed()} /> enabled</label>
            <button class="small" aria-label=${`Run this layer: ${l.layer_id}`} disabled=${!l.enabled || l.position === null} aria-disabled=${held.has(l.layer_id) || job ? "true" : undefined} aria-describedby=${job ? "layers-wait" : undefined} onClick=${() => !held.has(l.layer_id) && !job && onceFor(l.layer_id, () => act(() => post(`/api/layers/${encodeURIComponent(l.layer_id)}/run`), `${l.layer_id} started`))}>Run this layer</button>
            <${AskFirst} ask="Rerun for all books" askLabel=${`Rerun for all books: ${l.layer_id}`} askClass="small secondary" disabled=${!l.enabled || l.position === null || held.has(l.layer_id)} held=${Boolean(job)} describedBy="layers-wait"
              groupLabel=${`Confirm rerunning ${l.layer_id} for every book`} answer="Rerun all"
              question=${`Drop the earlier results of ${l.layer_name} and run it again for every book (${l.ok + l.error + l.skipped} runs; a layer that calls out makes that many calls)?`}
              onAnswer=${() => onceFor(l.layer_id, () => act(() => post(`/api/layers/${encodeURIComponent(l.layer_id)}/rerun`), `${l.layer_id} runs again for every book`))} />
          </div>
        </li>`,
      )}
    </ol>
  `;
}
