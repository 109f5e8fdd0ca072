import { useState } from "preact/hooks";
import { html, act, useLoad, Loading, StateBadge } from "../ui.js";
import { get, post, put } from "../api.js";
import { changed } from "../state.js";
import { Sources } from "./sources.js";

const enc = encodeURIComponent;

export function Plugins() {
  const { data, error } = useLoad(() => get("/api/plugins"), []);
  if (!data) return html`<${Loading} error=${error} />`;
  return html`
    <h1>Plugins</h1>
    <${Sources} />
    ${data.length === 0 ? html`<p class="muted">No plugins. Drop a plugin folder into the plugin directory, or run <code>shelfwise plugins new my-plugin</code>: it loads without a restart.</p>` : null}
    <div class="scroll"><table>
      <thead><tr><th scope="col">Plugin</th><th scope="col">State</th><th scope="col">Runtime</th><th scope="col">Reason</th><th scope="col">Actions</th></tr></thead>
      <tbody>${data.map((p: any) => html`<tr>
        <td><a href=${`#/plugins/${enc(p.key)}`}>${p.name ?? p.key}</a> <span class="muted">${p.key}${p.version ? ` ${p.version}` : ""}</span></td>
        <td><${StateBadge} state=${p.state} /></td>
        <td>${p.runtime ?? "–"}</td>
        <td class="reason">${p.reason ?? ""}</td>
        <td><${Switch} plugin=${p} /></td>
      </tr>`)}</tbody>
    </table></div>`;
}

function Switch({ plugin }: { plugin: any }) {
  if (!plugin.id || plugin.state === "invalid") return html`<span class="muted">fix the manifest</span>`;
  const run = (action: string) => act(() => post(`/api/plugins/${enc(plugin.id)}/${action}`)).then((r) => r && changed());
  if (plugin.state === "auto-disabled") return html`<button class="small" onClick=${() => run("reset")}>Re-enable</button>`;
  if (plugin.state === "disabled") return html`<button class="small" onClick=${() => run("enable")}>Enable</button>`;
  return html`<button class="small secondary" onClick=${() => run("disable")}>Disable</button>`;
}

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; enum?: unknown[]; description?: string; title?: string; minimum?: number; maximum?: number; default?: unknown; items?: Schema; required?: string[] };

function fieldValue(schema: Schema, raw: string, checked: boolean): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "boolean") return checked;
  if (raw === "") return undefined;
  if (type === "integer" || type === "number") return Number(raw);
  if (type === "array") return raw.split(",").map((s) => s.trim()).filter(Boolean);
  if (type === "object") return JSON.parse(raw);
  return raw;
}

function ConfigForm({ plugin }: { plugin: any }) {
  const schema: Schema | null = plugin.config_schema;
  const props = schema?.type === "object" || schema?.properties ? schema!.properties ?? {} : null;
  const [json, setJson] = useState(JSON.stringify(plugin.config, null, 2));
  const save = async (e: Event) => {
    e.preventDefault();
    let config: Record<string, unknown>;
    try {
      if (props) {
        const form = e.target as HTMLFormElement;
        config = { ...plugin.config };
        for (const [key, sub] of Object.entries(props)) {
          const input = form.elements.namedItem(key) as HTMLInputElement | null;
          if (!input) continue;
          const value = fieldValue(sub, input.value, input.checked);
          if (value === undefined) delete config[key];
          else config[key] = value;
        }
      } else {
        config = JSON.parse(json || "{}");
      }
    } catch (error) {
      return void act(() => Promise.reject(new Error(`not valid JSON: ${(error as Error).message}`)));
    }
    if (await act(() => put(`/api/plugins/${enc(plugin.id)}/config`, { config }), "settings saved")) changed();
  };
  return html`<form class="config" onSubmit=${save}>
    ${props
      ? Object.entries(props).map(([key, sub]) => {
          const type = Array.isArray(sub.type) ? sub.type[0] : sub.type;
          const value = plugin.config[key] ?? sub.default;
          const required = schema!.required?.includes(key);
          const label = html`<span>${sub.title ?? key}${required ? " *" : ""}</span>`;
          const help = sub.description ? html`<small class="muted">${sub.description}</small>` : null;
          const secret = (plugin.secret_settings ?? []).find((s: { name: string; set: boolean }) => s.name === key);
          // Write-only: the server never sends the value; left empty, the saved one stays.
          if (secret)
            return html`<label>${label}<input type="password" name=${key} autocomplete="off" value="" placeholder=${secret.set ? "set (type to replace)" : "not set"} />${help}</label>`;
          if (type === "boolean") return html`<label class="check"><input type="checkbox" name=${key} checked=${value === true} /> ${label} ${help}</label>`;
          if (sub.enum) return html`<label>${label}<select name=${key} value=${value ?? ""}>${sub.enum.map((v) => html`<option value=${String(v)}>${String(v)}</option>`)}</select>${help}</label>`;
          if (type === "integer" || type === "number")
            return html`<label>${label}<input type="number" name=${key} step=${type === "integer" ? 1 : "any"} min=${sub.minimum} max=${sub.maximum} required=${required} value=${value ?? ""} />${help}</label>`;
          if (type === "array") return html`<label>${label}<input name=${key} value=${Array.isArray(value) ? value.join(", ") : ""} />${help}<small class="muted">comma-separated</small></label>`;
          if (type === "object") return html`<label>${label}<textarea name=${key} rows="4">${value === undefined ? "" : JSON.stringify(value, null, 2)}</textarea>${help}</label>`;
          return html`<label>${label}<input name=${key} required=${required} value=${value ?? ""} />${help}</label>`;
        })
      : html`<label>Settings (JSON object; this plugin has no config_schema)<textarea rows="6" value=${json} onInput=${(e: Event) => setJson((e.target as HTMLTextAreaElement).value)}></textarea></label>`}
    <button type="submit">Save settings</button>
  </form>`;
}

function Secret({ plugin, secret }: { plugin: any; secret: { name: string; set: boolean } }) {
  const [value, setValue] = useState("");
  const save = async (e: Event) => {
    e.preventDefault();
    if (await act(() => put(`/api/plugins/${enc(plugin.id)}/secrets`, { name: secret.name, value }), `${secret.name} saved`)) (setValue(""), changed());
  };
  return html`<form class="inline" onSubmit=${save}>
    <code>${secret.name}</code> <${StateBadge} state=${secret.set ? "set" : "not_set"} />
    <input type="password" autocomplete="off" aria-label=${`New value for ${secret.name}`} placeholder=${secret.set ? "replace…" : "set…"} value=${value} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} required />
    <button type="submit" class="small">${secret.set ? "Replace" : "Set"}</button>
  </form>`;
}

export function Plugin({ id }: { id: string }) {
  const { data: p, error } = useLoad(() => get(`/api/plugins/${enc(id)}`), [id]);
  if (!p) return html`<${Loading} error=${error} />`;
  return html`
    <p><a href="#/plugins">← Plugins</a></p>
    <h1>${p.name ?? p.key} <span class="muted">${p.version ?? ""}</span></h1>
    <p><${StateBadge} state=${p.state} /> ${p.reason ?? ""}</p>
    ${p.description ? html`<p>${p.description}</p>` : null}
    <div class="actions"><${Switch} plugin=${p} />${p.id ? html` <a class="button secondary" href=${`#/health/${enc(p.id)}`}>Health</a>` : null}</div>
    ${p.errors.length ? html`<h2>Manifest problems</h2><ul class="error">${p.errors.map((e: string) => html`<li>${e}</li>`)}</ul>` : null}
    ${p.warnings.length ? html`<ul class="warn">${p.warnings.map((w: string) => html`<li>${w}</li>`)}</ul>` : null}
    <h2>Manifest</h2>
    <dl class="grid">
      <dt>Id</dt><dd>${p.id ?? "–"}</dd>
      <dt>Folder</dt><dd><code>${p.folder}</code></dd>
      <dt>Runtime</dt><dd>${p.runtime ?? "–"} (${p.sandbox === "permission" ? "Node permission model" : p.sandbox === "process" ? "separate process" : "–"})</dd>
      <dt>Default order</dt><dd>${p.default_order}</dd>
      <dt>Network</dt><dd>${p.permissions.network.length ? p.permissions.network.join(", ") : "none"}</dd>
      <dt>Files</dt><dd>${p.permissions.filesystem === "read" ? "may read the library folders" : "own folder only"}</dd>
      <dt>Required settings</dt><dd>${p.requires_config.length ? p.requires_config.join(", ") : "none"}</dd>
    </dl>
    ${p.id ? html`<h2>Settings</h2><${ConfigForm} plugin=${p} key=${JSON.stringify(p.config)} />` : null}
    ${p.secrets.length ? html`<h2>Secrets</h2><p class="muted">Values are write-only: shelfwise never shows them.</p>${p.secrets.map((s: any) => html`<${Secret} plugin=${p} secret=${s} />`)}` : null}
    <h2>Log</h2>
    ${p.log_tail.length ? html`<pre class="log">${p.log_tail.join("\n")}</pre>` : html`<p class="muted">No output yet.</p>`}
  `;
}
