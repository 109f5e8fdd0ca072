import { useState } from "preact/hooks";
import { html, act, useLoad, useRefusal, useSending, Loading, StateBadge } from "../ui.js";
import { get, post, put } from "../api.js";
import { changed, notify, useStore } from "../state.js";
import { Sources } from "./sources.js";
import { ConfigForm, JsonConfigForm } from "./config-form.js";
import { LastStart } from "./last-start.js";

const enc = encodeURIComponent;

/** The wall's mechanisms (`plugins list`'s SANDBOX column) in words. */
const WALL: Record<string, string> = {
  process: "own process",
  permission: "Node permission model",
  seccomp: "seccomp syscall filter",
  landlock: "Landlock file rules",
  namespace: "namespaces (bubblewrap)",
};

export function Plugins() {
  const { data, error } = useLoad((signal) => get("/api/plugins", signal), []);
  const pluginDir: string | undefined = useStore().status?.plugin_dir;
  if (!data) return html`<${Loading} error=${error} />`;
  // Each plugin's warnings beside its name (a name that reads as another layer's, as `plugins list` prints them):
  // the list is where a switch is clicked by the name the user knows.
  return html`
    <h1>Plugins</h1>
    <${Sources} />
    <section aria-labelledby="plugin-list-h"><h2 id="plugin-list-h">Installed plugins</h2>
    ${data.length === 0
      ? // Read by a library owner too, not only a plugin's author: where the folder is, and that nothing needs restarting.
        html`<div data-no-plugins><p>No plugins yet. A plugin is a folder: copy one (a Library Manager plugin too) into the plugin folder${pluginDir ? html` <code class="path" data-plugin-dir>${pluginDir}</code>` : null} and it appears here within seconds, without restarting shelfwise or reloading this page.</p>
          <p class="muted">To write one of your own, type <code>shelfwise plugins new my-plugin</code> in a terminal: it makes a plugin folder there to start from.</p></div>`
      : // Under a heading of its own: after the HTTP sources' section, a screen reader's list of headings put the
        // plugins under "HTTP sources"; and no empty table of column names when there is none.
        html`<div class="scroll"><table>
      <thead><tr><th scope="col">Plugin</th><th scope="col">State</th><th scope="col">Runtime</th><th scope="col">Reason</th><th scope="col">Last start</th><th scope="col">Actions</th></tr></thead>
      <tbody>${data.map((p: any) => html`<tr>
        <td><a href=${`#/plugins/${enc(p.key)}`}>${p.name ?? p.key}</a> <span class="muted">${p.key}${p.version ? ` ${p.version}` : ""}</span>
          ${p.warnings.length ? html`<ul class="plain warn" data-field="warnings">${p.warnings.map((w: string) => html`<li>warning: ${w}</li>`)}</ul>` : null}</td>
        <td><${StateBadge} state=${p.state} /></td>
        <td>${p.runtime ?? "–"}</td>
        <td class="reason">${p.reason ?? ""}</td>
        <td data-field="last_start"><${LastStart} p=${p} /></td>
        <td><${Switch} plugin=${p} /></td>
      </tr>`)}</tbody>
    </table></div>`}</section>`;
}

function Switch({ plugin }: { plugin: any }) {
  const { sending, once } = useSending();
  if (!plugin.id || plugin.state === "invalid") return html`<span class="muted">fix the manifest</span>`;
  const run = (action: string) => once(() => act(() => post(`/api/plugins/${enc(plugin.id)}/${action}`))).then((r) => r && changed());
  // Named for the plugin: a list of bare "Enable" buttons cannot be told apart by a screen reader.
  if (plugin.state === "auto-disabled") return html`<button class="small" aria-label=${`Re-enable plugin ${plugin.id}`} disabled=${sending} onClick=${() => run("reset")}>Re-enable</button>`;
  if (plugin.state === "disabled") return html`<button class="small" aria-label=${`Enable plugin ${plugin.id}`} disabled=${sending} onClick=${() => run("enable")}>Enable</button>`;
  return html`<button class="small secondary" aria-label=${`Disable plugin ${plugin.id}`} disabled=${sending} onClick=${() => run("disable")}>Disable</button>`;
}

/** Whose a name is that this plugin is not granted (secrets.json is one flat map): names only, never a value. */
function heldNote(plugin: any, secret: { name: string; set: boolean; granted: boolean | null }) {
  const held = secret.granted ? undefined : (plugin.held_secrets ?? []).find((h: { name: string }) => h.name === secret.name);
  if (!held) return null;
  const whose = `plugin${held.holders.length === 1 ? "" : "s"} ${held.holders.join(", ")}`;
  const what = held.revoked_from_holders ? `belongs to ${whose} (revoked from ${held.holders.length === 1 ? "it" : "them"})` : `held by ${whose}`;
  // Setting a value here replaces the one the holders use too: one name, one value.
  const how = secret.set ? "Grant shares it with this plugin" : `setting it here grants it to this plugin and is the value ${whose} ${held.holders.length === 1 ? "gets" : "get"} too`;
  return html` <span class="muted held">${what}: ${how}</span>`;
}

function Secret({ plugin, secret }: { plugin: any; secret: { name: string; set: boolean; granted: boolean | null } }) {
  const [value, setValue] = useState("");
  const { sending, once } = useSending();
  // A value refused (only white space) is shown beside its field, which gets the focus, as every other form's.
  const refused = useRefusal(`secret-${secret.name}`, { value: `New value for ${secret.name}` }, `${secret.name} not saved`);
  const save = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const saved = await once(async () => {
      try {
        return await put(`/api/plugins/${enc(plugin.id)}/secrets`, { name: secret.name, value });
      } catch (failure) {
        refused.refuse(failure, form);
        return null;
      }
    });
    if (saved) (refused.clear(), notify("ok", `${secret.name} saved`), setValue(""), changed());
  };
  const grant = (action: "grant" | "revoke") => once(() => act(() => post(`/api/plugins/${enc(plugin.id)}/${action}`, { name: secret.name }))).then((r) => r && changed());
  // A name another plugin asked for first (or one revoked from this plugin) is not this plugin's until the user grants it.
  return html`<form class="inline" onSubmit=${save}>
    <code>${secret.name}</code> <${StateBadge} state=${secret.set ? "set" : "not_set"} />${
      // An invalid plugin's grants are not looked at (null), as `plugins list` prints none: its reason says what to fix.
      secret.granted === null
        ? html` <span class="muted">its grants are looked at once its manifest is fixed</span>`
        : html` <${StateBadge} state=${secret.granted ? "granted" : plugin.revoked_secrets?.includes(secret.name) ? "revoked" : "not_granted"} />${heldNote(plugin, secret)}`}
    <input type="password" name="value" ...${refused.control("value")} autocomplete="off" aria-label=${`New value for ${secret.name}`} placeholder=${secret.set ? "replace…" : "set…"} value=${value} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} required />${refused.message("value")}${refused.others(["value"])}
    <button type="submit" class="small" disabled=${sending}>${secret.set ? "Replace" : "Set"}</button>
    ${secret.granted === null
      ? null
      : secret.granted
      ? html` <button type="button" class="small secondary" aria-label=${`Revoke ${secret.name} from ${plugin.id}`} disabled=${sending} onClick=${() => grant("revoke")}>Revoke</button>`
      : secret.set
        ? html` <button type="button" class="small" aria-label=${`Grant ${secret.name} to ${plugin.id}`} disabled=${sending} onClick=${() => grant("grant")}>Grant</button>`
        : null}
  </form>`;
}

export function Plugin({ id }: { id: string }) {
  const { data: p, error } = useLoad((signal) => get(`/api/plugins/${enc(id)}`, signal), [id]);
  if (!p) return html`<p><a href="#/plugins">← Plugins</a></p>${error ? html`<h1>Plugin ${id}</h1>` : null}<${Loading} error=${error} />`;
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
      <dt>Last start</dt><dd data-field="last_start"><${LastStart} p=${p} /></dd>
      <dt>Folder</dt><dd><code>${p.folder}</code></dd>
      <dt>Runtime</dt><dd data-field="runtime">${p.runtime ?? "–"}</dd>
      <dt>Isolation</dt><dd data-field="sandbox">${p.sandbox ? p.sandbox.split("+").map((m: string) => WALL[m] ?? m).join(", ") : "–"}
        ${p.sandbox_lacks.length ? html`<ul class="plain warn" data-field="sandbox_lacks">${p.sandbox_lacks.map((line: string) => html`<li>lacks ${line}</li>`)}</ul>` : null}</dd>
      <dt>Default order</dt><dd>${p.default_order}</dd>
      <dt>Network</dt><dd>${p.permissions.network.length ? p.permissions.network.join(", ") : "none"}</dd>
      <dt>Files</dt><dd>${p.permissions.filesystem === "read" ? "may read the library folders" : "own folder only"}</dd>
      <dt>Required settings</dt><dd>${p.requires_config.length ? p.requires_config.join(", ") : "none"}</dd>
    </dl>
    ${p.id
      ? html`<h2>Settings</h2>${p.config_schema?.properties && typeof p.config_schema.properties === "object"
          ? html`<${ConfigForm} plugin=${p} key=${p.id} />`
          : html`<${JsonConfigForm} plugin=${p} key=${p.id} />`}`
      : null}
    ${p.secrets.length ? html`<h2>Secrets</h2><p class="muted">Values are write-only: shelfwise never shows them. A secret name belongs to the plugins that first asked for it; a plugin that asks later for a name another plugin has needs Grant (setting a value here grants it too).</p>${p.secrets.map((s: any) => html`<${Secret} plugin=${p} secret=${s} />`)}` : null}
    <h2>Log</h2>
    ${p.log_tail.length ? html`<pre class="log">${p.log_tail.join("\n")}</pre>` : html`<p class="muted">No output yet.</p>`}
  `;
}
