import { useEffect, useRef, useState } from "preact/hooks";
import { html, act, useLoad, useRefusal, useSending, Loading } from "../ui.js";
import { get, put, post, del } from "../api.js";
import { changed, notify } from "../state.js";

function Library() {
  const { data, error } = useLoad((signal) => get("/api/library", signal), []);
  const [path, setPath] = useState("");
  const refused = useRefusal("library", { path: "Folder" }, "folder not added");
  // What is waiting for the server is said beside Add (as Settings' save): an unmounted drive's checks are slow.
  const { sending, doing, waiting } = useSending();
  // A folder removed takes its Remove button with it: the keyboard goes on to the next folder's Remove (the one
  // above when it was the last), else to the Add folder field, not to the page's heading at the top.
  const focusAfterRemove = useRef<string[] | null>(null);
  const remove = async (folder: string) => {
    const paths: string[] = data.folders.map((f: any) => f.path);
    const at = paths.indexOf(folder);
    const removed = await waiting("removing", () => act(() => del("/api/library", { path: folder }), `folder ${folder} removed (its books stay)`));
    if (!removed) return;
    focusAfterRemove.current = [...paths.slice(at + 1), ...paths.slice(0, at).reverse()];
    changed();
  };
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    const wanted = focusAfterRemove.current;
    if (!wanted || sending || !data || data.folders.some((f: any) => !wanted.includes(f.path))) return;
    focusAfterRemove.current = null;
    const buttons = [...(section.current?.querySelectorAll<HTMLButtonElement>("button[data-remove-folder]") ?? [])];
    const next = wanted.map((p) => buttons.find((b) => b.dataset.removeFolder === p)).find((b) => b && !b.disabled);
    (next ?? section.current?.querySelector<HTMLInputElement>('input[name="path"]'))?.focus();
  });
  if (!data) return html`<${Loading} error=${error} />`;
  return html`<section ref=${section}><h2>Library folders</h2>
    ${data.folders.length === 0 ? html`<p class="muted">No library folder yet.</p>` : null}
    <ul class="plain">${data.folders.map(
      (f: any) => html`<li><code>${f.path}</code> ${f.readable ? html`<span class="badge s-ok">readable</span>` : html`<span class="badge s-error">${f.exists ? "not readable" : "missing"}</span>`}
        <button class="small secondary" aria-label=${`Remove ${f.path}`} data-remove-folder=${f.path} disabled=${sending} onClick=${() => remove(f.path)}>Remove</button></li>`,
    )}</ul>
    <form class="inline" onSubmit=${(e: Event) => {
      e.preventDefault();
      const form = e.currentTarget as HTMLFormElement;
      void waiting("adding", async () => {
        let answer: { path: string; changed: boolean };
        try {
          answer = await post("/api/library", { path });
        } catch (failure) {
          refused.refuse(failure, form);
          return null;
        }
        refused.clear();
        // As `library add` says it: a folder listed already (another spelling of it too) is no change.
        notify("ok", answer.changed ? "folder added" : `${answer.path} is a library folder already; nothing changed`);
        setPath("");
        changed();
        return null;
      });
    }}>
      <label>Add folder <input name="path" ...${refused.control("path")} value=${path} placeholder="/srv/audiobooks" onInput=${(e: Event) => setPath((e.target as HTMLInputElement).value)} required />${refused.message("path")}</label>
      ${refused.others(["path"])}
      <button type="submit" class="small" disabled=${sending}>Add</button>
      <span class="muted" role="status" data-library-waiting>${doing ? `${doing}… (waiting for the server)` : ""}</span>
    </form></section>`;
}

export function Settings() {
  const { data, error } = useLoad((signal) => get("/api/settings", signal), []);
  // Each refused key's problem, shown beside its field (as a plugin's settings form does); what was typed stays.
  const refused = useRefusal("settings", {}, "settings not saved");
  const { sending, once } = useSending();
  if (!data) return html`<${Loading} error=${error} />`;
  const save = (e: Event) => {
    e.preventDefault();
    void once(() => saveNow(e.target as HTMLFormElement));
  };
  const saveNow = async (form: HTMLFormElement): Promise<null> => {
    const values: Record<string, unknown> = {};
    // Each changed key's value as shown: the server refuses a key someone else changed meanwhile.
    const base: Record<string, unknown> = {};
    for (const s of data.settings) {
      const input = form.elements.namedItem(s.key) as HTMLInputElement;
      const value = s.type === "boolean" ? input.checked : s.type === "integer" || s.type === "number" ? Number(input.value) : input.value;
      if (JSON.stringify(value) !== JSON.stringify(s.value ?? (s.type === "string" ? "" : s.value))) (values[s.key] = value), (base[s.key] = s.value);
    }
    if (Object.keys(values).length === 0) return (refused.clear(), notify("ok", "nothing changed"), null);
    let saved: { notes?: string[] };
    try {
      saved = await put("/api/settings", { values, base });
    } catch (failure) {
      refused.refuse(failure, form);
      return null;
    }
    refused.clear();
    // What `config set` warns of a value taken (an output_path not made yet, not writable, on another device)
    // stays until dismissed, as a note does.
    const notes = saved?.notes ?? [];
    notify(notes.length ? "note" : "ok", notes.length ? `settings saved; ${notes.join("; ")}` : "settings saved");
    changed();
    return null;
  };
  // On a slow server the page says it is waiting for the save (the button only greyed out), in a status region
  // always on the page, so it is read out when it changes.
  return html`
    <h1>Settings</h1>
    <${Library} />
    <section><h2>Configuration</h2>
    <p class="muted">Saved to <code>${data.config_file}</code>.</p>
    <form class="settings" onSubmit=${save}>
      ${refused.others(data.settings.map((s: any) => s.key))}
      ${data.settings.map((s: any) => {
        // Default values, not values: a redraw (a run's status events) would put back the saved value over what is
        // being typed; the saved value still shows in a field not typed into.
        const label = html`<span><code>${s.key}</code>${s.restart ? html` <small class="muted">(after a restart)</small>` : null}</span>`;
        // No default (plugin_dir: the description says what an empty value means) is not "default null".
        const help = html`<small class="muted" id=${`${s.key}-help`}>${s.description}${s.default === null ? "" : `; default ${JSON.stringify(s.default)}`}</small>`;
        const aria = refused.control(s.key, `${s.key}-help`);
        const shown = refused.message(s.key);
        if (s.type === "boolean") return html`<label class="check"><input type="checkbox" name=${s.key} defaultChecked=${s.value === true} ...${aria} /> ${label} ${help}${shown}</label>`;
        if (s.type === "integer" || s.type === "number") return html`<label>${label}<input type="number" step=${s.type === "integer" ? 1 : "any"} name=${s.key} defaultValue=${s.value} required ...${aria} />${shown}${help}</label>`;
        return html`<label>${label}<input name=${s.key} defaultValue=${s.value ?? ""} ...${aria} />${shown}${help}</label>`;
      })}
      <button type="submit" disabled=${sending}>Save settings</button>
      <span class="muted" role="status" data-saving>${sending ? "saving… (waiting for the server)" : ""}</span>
    </form></section>`;
}
