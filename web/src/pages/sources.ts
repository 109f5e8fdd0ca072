// HTTP sources (config http_sources): the list with enable/disable/re-enable,
// and a form to add or edit one, with the Audiobookshelf preset and a live
// test before saving. A credential is typed into a password field and sent
// once; the server stores it in secrets.json and only ever says whether it is set.
import { counted } from "../../../src/domain/plural.js";
import { useEffect, useRef, useState } from "preact/hooks";
import { html, act, useLoad, useRefusal, useSending, Loading, StateBadge } from "../ui.js";
import { api, del, get, post } from "../api.js";
import { changed, notify } from "../state.js";

const enc = encodeURIComponent;

/** The API's names for the form's fields, in the form's words (a problem with no field of its own is listed by these). */
const LABELS: Record<string, string> = {
  "definition.id": "Id",
  "definition.name": "Name",
  "definition.url": "Base URL",
  "definition.url_template": "URL template",
  "definition.result_path": "Result path",
  "definition.response_mapping": "Response mapping",
  "definition.auth": "Authentication",
  "definition.auth.header": "Header",
  "definition.auth.param": "Parameter",
  "definition.auth.credential": "Secret name",
  secret: "API key",
  "book.title": "Book title",
  "book.author": "Author",
};
/** The fields with a control on the form as it is now (the preset's or the custom one's, by its auth type). */
function shownFields(form: Form): string[] {
  const shown = ["definition.id", "definition.name", "book.title", "book.author"];
  if (form.preset) shown.push("definition.url");
  else shown.push("definition.url_template", "definition.result_path", "definition.response_mapping");
  if (!form.preset && form.auth_type === "header") shown.push("definition.auth.header");
  if (!form.preset && form.auth_type === "query") shown.push("definition.auth.param");
  if (form.preset || form.auth_type !== "none") shown.push("definition.auth.credential", "secret");
  return shown;
}

interface Form {
  preset: "audiobookshelf" | "";
  id: string;
  name: string;
  url: string;
  url_template: string;
  result_path: string;
  mapping: string;
  auth_type: "none" | "bearer" | "header" | "query";
  auth_header: string;
  auth_param: string;
  credential: string;
  secret: string;
  allow_private: boolean;
  enabled: boolean;
}

const EMPTY: Form = {
  preset: "audiobookshelf",
  id: "",
  name: "",
  url: "",
  url_template: "",
  result_path: "",
  mapping: '{\n  "title": "$.title",\n  "author": "$.author"\n}',
  auth_type: "header",
  auth_header: "Authorization",
  auth_param: "",
  credential: "",
  secret: "",
  allow_private: false,
  enabled: true,
};

function formOf(definition: any): Form {
  const auth = definition.auth ?? { type: "none" };
  return {
    ...EMPTY,
    preset: definition.preset ?? "",
    id: definition.id ?? "",
    name: definition.name ?? "",
    url: definition.url ?? "",
    url_template: definition.url_template ?? "",
    result_path: definition.result_path ?? "",
    mapping: definition.response_mapping ? JSON.stringify(definition.response_mapping, null, 2) : EMPTY.mapping,
    auth_type: auth.type,
    auth_header: auth.header ?? "Authorization",
    auth_param: auth.param ?? "",
    credential: auth.credential ?? "",
    allow_private: Boolean(definition.allow_private),
    enabled: definition.enabled !== false,
  };
}

/** The definition the form describes, on top of what the stored one had (an edit keeps keys the form does not show). */
function definitionOf(form: Form, base: Record<string, unknown>): Record<string, unknown> {
  const d: Record<string, unknown> = { ...base, id: form.id.trim(), allow_private: form.allow_private, enabled: form.enabled };
  if (form.name.trim()) d.name = form.name.trim();
  else delete d.name;
  const credential = form.credential.trim() || `${form.id.trim()}_key`;
  if (form.preset) {
    d.preset = form.preset;
    d.url = form.url.trim();
    d.auth = { type: "header", header: "Authorization", credential };
    if (!base.preset) for (const key of ["url_template", "result_path", "response_mapping", "method"]) delete d[key];
  } else {
    delete d.preset;
    delete d.url;
    d.url_template = form.url_template.trim();
    if (form.result_path.trim()) d.result_path = form.result_path.trim();
    else delete d.result_path;
    try {
      d.response_mapping = JSON.parse(form.mapping);
    } catch {
      throw new Error("response mapping: write a JSON object, field → JSONPath, e.g. {\"title\": \"$.title\"}");
    }
    d.auth =
      form.auth_type === "none"
        ? { type: "none" }
        : form.auth_type === "header"
          ? { type: "header", header: form.auth_header.trim(), credential }
          : form.auth_type === "query"
            ? { type: "query", param: form.auth_param.trim(), credential }
            : { type: "bearer", credential };
  }
  return d;
}

/**
 * A value the mapping changed, as the source sent it: the user debugging a source sees the real answer. Its direction
 * controls are marked (as all text on the pages), and a long one is shown to 2000 characters, saying how long it was.
 */
function AsSent({ sent }: { sent: { text: string; length: number } }) {
  const cut = sent.length > sent.text.length;
  return html`<div class="as-sent"><span class="muted">taken cleaned; as sent${cut ? ` (${sent.length.toLocaleString("en")} characters, the first ${sent.text.length.toLocaleString("en")} shown)` : ""}:</span> <q>${sent.text}</q></div>`;
}

/**
 * Not live: a screen reader read it out whole (the request, every mapped field, values as sent) at every test; the
 * notice says its summary ("test call answered", "test failed: …").
 */
function TestResult({ result }: { result: any }) {
  const chosen = result.chosen ? Object.entries(result.chosen) : [];
  return html`<section class="job test-result" aria-label="Test result">
    <h3>Test: <${StateBadge} state=${result.ok ? "ok" : "error"} /></h3>
    <dl class="facts">
      <dt>Request</dt><dd class="path">${result.request ? `${result.request.method} ${result.request.url}` : "none made"}</dd>
      <dt>Status</dt><dd>${result.status ?? "no answer"}</dd>
      <dt>Time</dt><dd>${Math.round(result.duration_ms)} ms</dd>
      ${result.answer_note ? html`<dt>Note</dt><dd>${result.answer_note}</dd>` : null}
      ${result.error ? html`<dt>Error</dt><dd class="error">${result.error}</dd>` : null}
      <dt>Candidates</dt><dd>${result.candidate_count}${result.note ? html` <span class="muted">(${result.note})</span>` : null}</dd>
    </dl>
    ${chosen.length
      ? html`<h4>Mapped fields of the match</h4><table class="mapped"><tbody>${chosen.map(
          ([field, value]) => html`<tr><th scope="row">${field}</th><td>${Array.isArray(value) ? value.join(", ") : value}${result.chosen_as_sent?.[field]
            ? html`<${AsSent} sent=${result.chosen_as_sent[field]} />`
            : null}</td></tr>`,
        )}</tbody></table>`
      : null}
    ${result.claims.filter((c: any) => !c.accepted).length
      ? html`<p>Refused: ${result.claims.filter((c: any) => !c.accepted).map((c: any) => html`<span><strong>${c.field}</strong> ${c.value} (${c.reason}) </span>`)}</p>`
      : null}
    ${result.claims.filter((c: any) => c.note).length
      ? html`<p>Note: ${result.claims.filter((c: any) => c.note).map((c: any) => html`<span><strong>${c.field}</strong> ${c.value}: ${c.note} </span>`)}</p>`
      : null}
  </section>`;
}

function SourceForm({ editing, onDone }: { editing: { id: string; definition: any; secret_set: boolean; credential_problem?: string | null } | null; onDone: () => void }) {
  const [form, setForm] = useState<Form>(editing ? formOf(editing.definition) : EMPTY);
  const [book, setBook] = useState({ title: "", author: "" });
  const [result, setResult] = useState<any>(null);
  const refused = useRefusal("source-form", LABELS, editing ? "not saved" : "not added");
  const formRef = useRef<HTMLFormElement>(null);
  // What is waiting for the server is said beside Save (as Settings' save): a live test or an address check is slow.
  const { sending, doing, waiting } = useSending();
  const set = (key: keyof Form) => (e: Event) => {
    const target = e.target as HTMLInputElement;
    setForm({ ...form, [key]: target.type === "checkbox" ? target.checked : target.value });
  };
  const build = () => {
    const definition = definitionOf(form, editing ? editing.definition : {});
    return form.secret ? { definition, secret: form.secret } : { definition };
  };
  const test = () => waiting("testing", testNow);
  const testNow = async () => {
    setResult(null);
    // Said here, by the field, rather than as the API's "body.book.title: a test needs a book title".
    if (!book.title.trim()) {
      notify("error", "type a book title to test with: the test looks that book up");
      document.getElementById("source-test-title")?.focus();
      return null;
    }
    const body = built(() => ({ ...build(), book: { title: book.title, ...(book.author.trim() ? { author: book.author } : {}) } }));
    if (!body) return null;
    try {
      const tested = await post("/api/sources/test", body, true);
      refused.clear();
      notify("ok", tested.ok ? "test call answered" : `test failed: ${tested.error ?? tested.note ?? "no result"}`);
      setResult(tested);
    } catch (failure) {
      refused.refuse(failure, formRef.current);
    }
    return null;
  };
  /** The request's body, or null with the form's own problem shown by its field (the mapping is not JSON). */
  const built = <T,>(make: () => T): T | null => {
    try {
      return make();
    } catch (error) {
      refused.refuse(error, formRef.current, [{ field: "definition.response_mapping", message: (error as Error).message }]);
      return null;
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    void waiting("saving", saveNow);
  };
  const saveNow = async () => {
    const body = built(() => build());
    if (!body) return null;
    try {
      // With the definition as this form loaded it: a change made elsewhere since (a switch, another tab) stays.
      const saved = editing ? await api("PUT", `/api/sources/${enc(editing.id)}`, { ...body, base: editing.definition }) : await post("/api/sources", body);
      if (saved?.message) notify("ok", saved.message);
    } catch (failure) {
      refused.refuse(failure, formRef.current);
      return null;
    }
    changed();
    onDone();
    return null;
  };
  const secretSet = editing?.secret_set ?? false;
  // Why the stored key would not be sent (not this source's name to use, missing, unfit for a header), beside the
  // key's field with what to do here, while the form still names what was loaded: it said only "not set" before.
  const loadedCredential = editing ? formOf(editing.definition).credential : "";
  const credentialProblem = editing?.credential_problem && form.secret === "" && form.credential === loadedCredential ? editing.credential_problem : null;
  const problemId = "source-form-credential-problem";
  // Opened in place of (or below) the button that opened it: the keyboard starts in the form.
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  // Each control named as the API names its key, so a refused one is shown beside it.
  const named = (name: string, help?: string) => ({ name, ...refused.control(name, help) });
  // Escape leaves the form as Cancel does (the focus back on the button that opened it), as a dialog would.
  const escape = (e: KeyboardEvent) => {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    e.preventDefault();
    onDone();
  };
  // noValidate, no type="url", no pattern: the browser's own check stopped the save with its generic words
  // ("Please enter a URL" for `abs.example`) before the server's, which say what to write and are the CLI's; and the
  // Id's pattern was not the server's rule (it refused `MyAPI`, which the server takes). The server checks each field.
  return html`<form class="source-form" noValidate ref=${formRef} onSubmit=${save} onKeyDown=${escape} aria-label=${editing ? `Edit source ${editing.id}` : "Add HTTP source"}>
    <h3>${editing ? `Edit ${editing.id}` : "Add an HTTP source"}</h3>
    <label>Kind<select ref=${first} value=${form.preset} onChange=${set("preset")}>
      <option value="audiobookshelf">Audiobookshelf custom metadata provider (preset)</option>
      <option value="">Any JSON API (custom)</option>
    </select></label>
    ${refused.others(shownFields(form))}
    <label>Id<input required value=${form.id} onInput=${set("id")} placeholder="my-provider" autocomplete="off" spellcheck="false" ...${named("definition.id")} />${refused.message("definition.id")}</label>
    <label>Name<input value=${form.name} onInput=${set("name")} placeholder="(the id)" ...${named("definition.name")} />${refused.message("definition.name")}</label>
    ${form.preset
      ? html`<label>Base URL<input required inputmode="url" autocomplete="off" spellcheck="false" value=${form.url} onInput=${set("url")} placeholder="https://provider.example" ...${named("definition.url")} />${refused.message("definition.url")}</label>
          <p class="muted">The preset asks <code>/search?mediaType=book&query={{title}}&author={{author}}</code> and reads <code>$.matches</code>; the API key goes in the Authorization header.</p>`
      : html`<label>URL template<input required value=${form.url_template} onInput=${set("url_template")} placeholder="https://api.example/search?q={{title}}" ...${named("definition.url_template")} />${refused.message("definition.url_template")}</label>
          <label>Result path<input value=${form.result_path} onInput=${set("result_path")} placeholder="$.results" ...${named("definition.result_path")} />${refused.message("definition.result_path")}</label>
          <label>Response mapping (JSON)<textarea rows="4" value=${form.mapping} onInput=${set("mapping")} ...${named("definition.response_mapping")}></textarea>${refused.message("definition.response_mapping")}</label>
          <label>Authentication<select value=${form.auth_type} onChange=${set("auth_type")}>
            <option value="none">none</option><option value="bearer">Bearer token</option><option value="header">header</option><option value="query">query parameter</option>
          </select></label>
          ${form.auth_type === "header" ? html`<label>Header<input value=${form.auth_header} onInput=${set("auth_header")} ...${named("definition.auth.header")} />${refused.message("definition.auth.header")}</label>` : null}
          ${form.auth_type === "query" ? html`<label>Parameter<input value=${form.auth_param} onInput=${set("auth_param")} ...${named("definition.auth.param")} />${refused.message("definition.auth.param")}</label>` : null}`}
    ${form.preset || form.auth_type !== "none"
      ? html`<label>Secret name (a key of secrets.json)<input value=${form.credential} onInput=${set("credential")} placeholder=${`${form.id || "id"}_key`} ...${named("definition.auth.credential")} />${refused.message("definition.auth.credential")}</label>
          <label>API key ${secretSet ? html`<span class="badge s-set">set</span>` : null}
            <input type="password" autocomplete="off" value=${form.secret} onInput=${set("secret")} placeholder=${secretSet ? "leave empty to keep it" : "stored in secrets.json only"} ...${named("secret", credentialProblem ? problemId : undefined)} />${refused.message("secret")}</label>
          ${credentialProblem
            ? html`<p id=${problemId} class="warn field-warn" data-credential-problem>The key is not sent: ${credentialProblem}. To fix it here: type the API key above and save (it is stored in secrets.json only), or give a Secret name that is this source's own (such as <code>${form.id || "id"}_key</code>).</p>`
            : null}`
      : null}
    <label class="check"><input type="checkbox" checked=${form.allow_private} onChange=${set("allow_private")} /> Allow private addresses (a server on this computer or the LAN)</label>
    ${form.allow_private
      ? html`<p class="warn" role="note">This source may then reach any address, on this computer and your network, and follow redirects there: allow it only for a service you run.</p>`
      : null}
    <label class="check"><input type="checkbox" checked=${form.enabled} onChange=${set("enabled")} /> Enabled</label>
    <fieldset><legend>Live test (nothing is saved)</legend>
      <label>Book title<input id="source-test-title" value=${book.title} onInput=${(e: Event) => setBook({ ...book, title: (e.target as HTMLInputElement).value })} ...${named("book.title")} />${refused.message("book.title")}</label>
      <label>Author<input value=${book.author} onInput=${(e: Event) => setBook({ ...book, author: (e.target as HTMLInputElement).value })} ...${named("book.author")} />${refused.message("book.author")}</label>
      <button type="button" class="secondary" disabled=${sending} onClick=${test}>Test</button>
    </fieldset>
    ${result ? html`<${TestResult} result=${result} />` : null}
    <div class="actions">
      <button type="submit" disabled=${sending}>${editing ? "Save changes" : "Save source"}</button>
      <button type="button" class="secondary" onClick=${onDone}>Cancel</button>
      <span class="muted" role="status" data-saving>${doing ? `${doing}… (waiting for the server)` : ""}</span>
    </div>
  </form>`;
}

export function Sources() {
  const { data, error } = useLoad((signal) => get("/api/sources", signal), []);
  const [mode, setMode] = useState<"list" | "add" | { id: string; definition: any; secret_set: boolean; credential_problem?: string | null }>("list");
  const [deleting, setDeleting] = useState<string | null>(null);
  // Where the focus goes back when the form closes: the button that opened it (it was gone while the form was
  // open, so the focus would otherwise be lost to the top of the document).
  const returnTo = useRef<string | null>(null);
  const section = useRef<HTMLElement>(null);
  // Only the last Edit (or Add) clicked opens: a slow answer for an earlier Edit (another source) must not replace its form.
  const editing = useRef(0);
  const { sending, once } = useSending();
  useEffect(() => {
    if (mode !== "list" || returnTo.current === null) return;
    const label = returnTo.current;
    returnTo.current = null;
    const buttons = [...(section.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
    (buttons.find((b) => b.getAttribute("aria-label") === label) ?? buttons.find((b) => b.textContent === "Add HTTP source"))?.focus();
  }, [mode]);
  const open = (next: typeof mode, from: string) => {
    if (next === "add") editing.current++;
    returnTo.current = from;
    setMode(next);
  };
  const run = (id: string, action: string) => once(() => act(() => post(`/api/sources/${enc(id)}/${action}`))).then((r) => r && changed());
  const edit = async (id: string) => {
    const mine = ++editing.current;
    const loaded = await act(() => get(`/api/sources/${enc(id)}/definition`));
    if (loaded && mine === editing.current) open({ id, ...loaded }, `Edit ${id}`);
  };
  // A source deleted takes its row and the keyboard's place with it: once the list is drawn without it, the
  // keyboard goes to the next source's Delete, else the one before's, else Add HTTP source (it was left on nothing).
  const afterDelete = useRef<{ id: string; labels: string[] } | null>(null);
  useEffect(() => {
    const after = afterDelete.current;
    if (!after || !data || data.some((s: any) => s.id === after.id)) return;
    afterDelete.current = null;
    const now = document.activeElement;
    if (now !== null && now !== document.body && !now.matches("main, main h1")) return;
    const buttons = [...(section.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
    (after.labels.map((label) => buttons.find((b) => b.getAttribute("aria-label") === label)).find(Boolean) ?? buttons.find((b) => b.textContent === "Add HTTP source"))?.focus();
  }, [data]);
  const remove = async (id: string, e: MouseEvent) => {
    // "Delete" turns into "Really delete" where it was: the second click of a double-click on Delete lands on
    // it, and deleted what the user had not confirmed. A confirmation is its own click.
    if (e.detail > 1) return;
    const ids = (data ?? []).map((s: any) => s.id as string);
    const at = ids.indexOf(id);
    const labels = [ids[at + 1], ids[at - 1]].filter((x): x is string => x !== undefined).map((other) => `Delete ${other}`);
    if (await once(() => act(() => del(`/api/sources/${enc(id)}`, {})))) {
      afterDelete.current = { id, labels };
      setDeleting(null);
      changed();
    }
  };
  const list = data ?? [];
  return html`<section ref=${section} aria-labelledby="sources-h"><h2 id="sources-h">HTTP sources</h2>
    <p class="muted">Metadata APIs described without code: each becomes a layer of the pipeline.</p>
    ${!data
      ? // Not "No HTTP sources yet" while the list is on its way: that read as an answer (and a slow one showed it).
        html`<${Loading} error=${error} />`
      : list.length
      ? html`<div class="scroll"><table><thead><tr><th scope="col">Source</th><th scope="col">State</th><th scope="col">Request</th><th scope="col">Health</th><th scope="col">Actions</th></tr></thead>
        <tbody>${list.map((s: any) => html`<tr data-source=${s.id}>
          <td>${s.name} <span class="muted">${s.id}${s.preset ? ` · ${s.preset}` : ""}</span>
            ${s.warnings?.length ? html`<ul class="plain warn" data-field="warnings">${s.warnings.map((w: string) => html`<li>warning: ${w}</li>`)}</ul>` : null}</td>
          <td><${StateBadge} state=${s.state} />${s.reason ? html` <span class="reason">${s.reason}</span>` : null}</td>
          <td class="path">${s.method} ${s.url_template}</td>
          <td><a href=${`#/health/source/${enc(s.id)}`} aria-label=${`Health of source ${s.id}: ${counted(s.health.total_processed, "call")}`}>${counted(s.health.total_processed, "call")}</a>${s.health.success_rate === null ? "" : `, ${Math.round(s.health.success_rate * 100)}% ok`}</td>
          <td class="actions">${s.state === "auto-disabled"
            ? html`<button class="small" aria-label=${`Re-enable source ${s.id}`} disabled=${sending} onClick=${() => run(s.id, "reset")}>Re-enable</button>`
            : s.state === "disabled"
              ? html`<button class="small" aria-label=${`Enable source ${s.id}`} disabled=${sending} onClick=${() => run(s.id, "enable")}>Enable</button>`
              : html`<button class="small secondary" aria-label=${`Disable source ${s.id}`} disabled=${sending} onClick=${() => run(s.id, "disable")}>Disable</button>`}
            <button class="small secondary" aria-label=${`Edit ${s.id}`} onClick=${() => edit(s.id)}>Edit</button>
            ${deleting === s.id
              ? html`<button class="small danger" disabled=${sending} onClick=${(e: MouseEvent) => remove(s.id, e)} onBlur=${() => setDeleting(null)}
                  onKeyDown=${(e: KeyboardEvent) => e.key === "Escape" && setDeleting(null)}>Really delete ${s.id}</button>`
              : html`<button class="small secondary" aria-label=${`Delete ${s.id}`} onClick=${() => setDeleting(s.id)}>Delete</button>`}</td>
        </tr>`)}</tbody></table></div>`
      : html`<p class="muted">No HTTP sources yet.</p>`}
    ${mode === "list"
      ? html`<div class="actions"><button onClick=${() => open("add", "Add HTTP source")}>Add HTTP source</button></div>`
      : html`<${SourceForm} key=${mode === "add" ? "add" : mode.id} editing=${mode === "add" ? null : mode} onDone=${() => setMode("list")} />`}
  </section>`;
}
