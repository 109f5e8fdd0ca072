// A plugin's settings form, drawn from its config_schema: a field per setting
// (nested objects as groups of fields), each with its label, help and the
// server's verdict on it. The server validates (the browser's own checks are
// off, so every problem shows as text beside its field, the same way).
import { useEffect, useRef, useState } from "preact/hooks";
import { html, act, useRefusal, useSending } from "../ui.js";
import { del, put } from "../api.js";
import { changed, notify } from "../state.js";

/**
 * The settings a form was drawn from, kept while the user edits: a save sends
 * them as `base`, so only the fields changed here are saved over what another
 * tab (or a command) stored meanwhile. Settings changed elsewhere replace an
 * untouched form; a form being edited keeps what was typed (redrawing it would
 * throw that away) and says that they changed.
 *
 * Only a newly loaded `config` (one this form has not seen yet) is news. The
 * page's loaded copy is still the one from before a save until the reload
 * after it answers: compared with the saved settings it "differs", and the
 * form was drawn again from it, showing the old values ("(not set)") for as
 * long as the reload took (seen under load).
 */
function useDrawnFrom(config: Record<string, unknown> | undefined): {
  base: Record<string, unknown>;
  generation: number;
  changedElsewhere: boolean;
  edited: () => void;
  saved: (config: Record<string, unknown>) => void;
} {
  const current = config ?? {};
  const currentJson = JSON.stringify(current);
  const [state, setState] = useState({ base: current, seen: currentJson, generation: 0, elsewhere: false });
  const dirty = useRef(false);
  let shown = state;
  if (currentJson !== state.seen) {
    const news = currentJson !== JSON.stringify(state.base);
    shown = !news
      ? { ...state, seen: currentJson, elsewhere: false }
      : dirty.current
        ? { ...state, seen: currentJson, elsewhere: true }
        : { base: current, seen: currentJson, generation: state.generation + 1, elsewhere: false };
    setState(shown);
  }
  return {
    base: shown.base,
    generation: shown.generation,
    changedElsewhere: shown.elsewhere,
    edited: () => void (dirty.current = true),
    saved: (config) => {
      dirty.current = false;
      setState((now) => ({ base: config, seen: now.seen, generation: now.generation + 1, elsewhere: false }));
    },
  };
}

const CHANGED_ELSEWHERE = "These settings were changed elsewhere (another tab or a command) while you edited them: saving keeps those changes, except in a field you changed too (then nothing is saved and that field is named).";

export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  enum?: unknown[];
  enumNames?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  const?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  items?: Schema;
  required?: string[];
  format?: string;
};

interface Choice {
  value: unknown;
  label: string;
}

type Kind = "secret" | "boolean" | "choice" | "number" | "list" | "json" | "text";

interface Field {
  path: string[];
  schema: Schema;
  kind: Kind;
  type: string | undefined;
  required: boolean;
  choices: Choice[];
  secretSet?: boolean;
}

function typeOf(schema: Schema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
}

/** enum (labelled by enumNames when given), or oneOf/anyOf of consts with titles. */
function choicesOf(schema: Schema): Choice[] {
  if (Array.isArray(schema.enum)) {
    return schema.enum.map((value, i) => ({ value, label: String(Array.isArray(schema.enumNames) && schema.enumNames[i] !== undefined ? schema.enumNames[i] : value) }));
  }
  const options = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(options) && options.length > 0 && options.every((o) => o && typeof o === "object" && "const" in o)) {
    return options.map((o) => ({ value: o.const, label: String(o.title ?? o.const) }));
  }
  return [];
}

function at(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!current || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    current = current[key] = next && typeof next === "object" && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete current[last];
  else current[last] = value;
}

interface Group {
  path: string[];
  schema: Schema;
  children: (Field | Group)[];
}

function isGroup(node: Field | Group): node is Group {
  return "children" in node;
}

/** The form's tree: a group per object with properties, a field per other setting. */
function build(schema: Schema, path: string[], secrets: { name: string; set: boolean }[]): Group {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const children: (Field | Group)[] = [];
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const sub: Schema = raw && typeof raw === "object" ? raw : {};
    const here = [...path, key];
    const type = typeOf(sub);
    const secret = path.length === 0 ? secrets.find((s) => s.name === key) : undefined;
    if (!secret && type === "object" && sub.properties && typeof sub.properties === "object") {
      children.push(build(sub, here, secrets));
      continue;
    }
    const choices = choicesOf(sub);
    const kind: Kind = secret
      ? "secret"
      : choices.length
        ? "choice"
        : type === "boolean"
          ? "boolean"
          : type === "integer" || type === "number"
            ? "number"
            : type === "array" && typeOf(sub.items ?? {}) !== "object" && typeOf(sub.items ?? {}) !== "array"
              ? "list"
              : type === "object" || type === "array"
                ? "json"
                : "text";
    children.push({ path: here, schema: sub, kind, type, required: required.has(key), choices, secretSet: secret?.set });
  }
  return { path, schema, children };
}

function leaves(group: Group): Field[] {
  return group.children.flatMap((c) => (isGroup(c) ? leaves(c) : [c]));
}

const fieldId = (path: string[]) => `setting-${path.map((p) => encodeURIComponent(p).replace(/[^A-Za-z0-9_-]/g, "_")).join("--")}`;

/** The value a field's control holds, as the schema's type; throws with what to fix. */
function valueOf(field: Field, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): unknown {
  if (field.kind === "boolean") return (control as HTMLInputElement).checked;
  const raw = control.value;
  if (field.kind === "choice") return raw === "" ? undefined : field.choices[Number(raw)]?.value;
  if (raw.trim() === "") return undefined;
  if (field.kind === "number") {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error("must be a number");
    return n;
  }
  if (field.kind === "list") {
    const itemType = typeOf(field.schema.items ?? {});
    const items = raw.split("\n").map((s) => s.trim()).filter(Boolean);
    if (itemType === "integer" || itemType === "number") {
      return items.map((item) => {
        const n = Number(item);
        if (!Number.isFinite(n)) throw new Error(`"${item}" is not a number (one number a line)`);
        return n;
      });
    }
    return items;
  }
  if (field.kind === "json") {
    try {
      return JSON.parse(raw);
    } catch (error) {
      throw new Error(`not valid JSON: ${(error as Error).message}`);
    }
  }
  return raw;
}

export function ConfigForm({ plugin }: { plugin: any }) {
  const schema: Schema = plugin.config_schema;
  const tree = build(schema, [], plugin.secret_settings ?? []);
  const fields = leaves(tree);
  const refused = useRefusal("plugin-config", {}, "settings not saved");
  const drawn = useDrawnFrom(plugin.config);
  const known = fields.map((f) => f.path.join("."));
  const { sending, once } = useSending();

  const save = (e: Event) => {
    e.preventDefault();
    void once(() => saveNow(e.target as HTMLFormElement));
  };
  // A save draws the form afresh (its key): the control the keyboard was on is gone with the old form, and the
  // focus fell to the page's body. It goes back to the same field (by id), or to Save, in the new form.
  const formRef = useRef<HTMLFormElement>(null);
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    const target = refocus.current;
    if (sending || target === null) return;
    refocus.current = null;
    const now = document.activeElement;
    if (now !== null && now !== document.body) return;
    const form = formRef.current;
    const same = target === "" ? null : form?.querySelector<HTMLElement>(`#${CSS.escape(target)}`);
    (same ?? form?.querySelector<HTMLElement>("button[type=submit]"))?.focus();
  }, [drawn.generation, sending]);
  const saveNow = async (form: HTMLFormElement): Promise<null> => {
    const active = document.activeElement;
    const focusedHere = active instanceof HTMLElement && form.contains(active) ? active.id : null;
    const config: Record<string, unknown> = JSON.parse(JSON.stringify(drawn.base));
    const local: { field: string; message: string }[] = [];
    for (const field of fields) {
      const control = form.querySelector(`#${fieldId(field.path)}`) as HTMLInputElement | null;
      if (!control) continue;
      try {
        setAt(config, field.path, valueOf(field, control));
      } catch (error) {
        local.push({ field: field.path.join("."), message: (error as Error).message });
      }
    }
    if (local.length) return (refused.refuse(null, form, local), null);
    try {
      // With what the page was drawn from: only the fields changed here are saved (another tab's changes stay).
      const view = await put(`/api/plugins/${encodeURIComponent(plugin.id)}/config`, { config, base: drawn.base });
      refocus.current = focusedHere;
      drawn.saved(view.config ?? {});
    } catch (error) {
      refused.refuse(error, form);
      return null;
    }
    refused.clear();
    notify("ok", "settings saved");
    changed();
    return null;
  };

  const control = (field: Field) => {
    const id = fieldId(field.path);
    const key = field.path[field.path.length - 1]!;
    const value = at(drawn.base, field.path) ?? field.schema.default;
    const name = field.path.join(".");
    const helpId = `${id}-help`;
    const common = { id, name, ...refused.control(name, field.schema.description || field.kind === "list" || field.kind === "json" ? helpId : undefined), "aria-required": field.required ? "true" : undefined };
    const title = field.schema.title ?? key;
    const label = html`<label for=${id} id=${`${id}-label`}>${title}${field.required ? html`<span aria-hidden="true"> *</span>` : null}</label>`;
    const hint = field.kind === "list" ? "one a line" : field.kind === "json" ? "JSON" : "";
    const help =
      field.schema.description || hint
        ? html`<small id=${helpId} class="muted">${field.schema.description ?? ""}${field.schema.description && hint ? " · " : ""}${hint}</small>`
        : null;
    const error = refused.message(name);
    let input;
    switch (field.kind) {
      case "secret":
        // Write-only: the server never sends the value; left empty, the saved one stays. Clear removes it.
        input = html`<input type="password" autocomplete="off" ...${common} defaultValue="" placeholder=${field.secretSet ? "set (type to replace)" : "not set"} />${field.secretSet
          ? html`<${ClearSecret} plugin=${plugin.id} setting=${key} title=${title} labelId=${`${id}-label`} required=${field.required} />`
          : null}`;
        break;
      case "boolean":
        return html`<div class="field check">
          <input type="checkbox" ...${common} defaultChecked=${value === true} />${label}${help}${error}</div>`;
      case "choice": {
        const index = field.choices.findIndex((c) => JSON.stringify(c.value) === JSON.stringify(value));
        input = html`<select ...${common}>
          ${index < 0 || !field.required ? html`<option value="" selected=${index < 0}>${field.required ? "choose…" : "(not set)"}</option>` : null}
          ${field.choices.map((c, i) => html`<option value=${String(i)} selected=${i === index}>${c.label}</option>`)}</select>`;
        break;
      }
      case "number":
        input = html`<input type="number" ...${common} step=${field.type === "integer" ? 1 : "any"} min=${field.schema.minimum} max=${field.schema.maximum} defaultValue=${typeof value === "number" ? String(value) : ""} />`;
        break;
      case "list":
        input = html`<textarea ...${common} rows="3" defaultValue=${Array.isArray(value) ? value.map(String).join("\n") : ""}></textarea>`;
        break;
      case "json":
        input = html`<textarea ...${common} rows="4" defaultValue=${value === undefined ? "" : JSON.stringify(value, null, 2)}></textarea>`;
        break;
      default:
        input = html`<input ...${common} defaultValue=${typeof value === "string" ? value : value === undefined ? "" : String(value)} />`;
    }
    return html`<div class="field">${label}${input}${help}${error}</div>`;
  };

  const group = (g: Group): unknown =>
    g.children.map((c) =>
      isGroup(c)
        ? html`<fieldset class="group"><legend>${c.schema.title ?? c.path[c.path.length - 1]}</legend>
            ${c.schema.description ? html`<small class="muted">${c.schema.description}</small>` : null}${group(c)}</fieldset>`
        : control(c),
    );

  // Keyed by what it was drawn from: new settings from elsewhere (the form untouched) or a save draw it afresh.
  return html`<form ref=${formRef} class="config" noValidate onSubmit=${save} onInput=${drawn.edited} onChange=${drawn.edited} aria-label="Plugin settings" key=${drawn.generation}>
    ${drawn.changedElsewhere ? html`<p class="warn" role="status">${CHANGED_ELSEWHERE}</p>` : null}
    ${refused.others(known)}
    ${group(tree)}
    <button type="submit" disabled=${sending}>Save settings</button>
  </form>`;
}

/**
 * Clear for a stored secret setting (as `shelfwise secrets unset plugin_configs.ID.KEY`): a first press asks,
 * the confirmation is a press of its own (the second click of a double-click on Clear does not confirm), and
 * Escape or leaving it takes the question back.
 */
function ClearSecret({ plugin, setting, title, labelId, required }: { plugin: string; setting: string; title: string; labelId: string; required: boolean }) {
  const [asking, setAsking] = useState(false);
  const { sending, once } = useSending();
  const confirm = useRef<HTMLButtonElement>(null);
  // Escape or "Keep it" gives the keyboard back to Clear, as a dialog does: the question's buttons are gone, and
  // the focus was left on the page's body, the next Tab starting from the top.
  const ask = useRef<HTMLButtonElement>(null);
  const back = useRef(false);
  useEffect(() => {
    if (asking) confirm.current?.focus();
    else if (back.current) ask.current?.focus();
    back.current = false;
  }, [asking]);
  const keep = () => {
    back.current = true;
    setAsking(false);
  };
  const clear = async (e: MouseEvent) => {
    if (e.detail > 1) return;
    const view = await once(() => act(() => del(`/api/plugins/${encodeURIComponent(plugin)}/config/${encodeURIComponent(setting)}`, {}), `${title} cleared`));
    if (view) (setAsking(false), changed());
  };
  // Named "Clear", described by its field's label: a name holding the label would be a second element labelled so.
  if (!asking) return html` <button type="button" ref=${ask} class="small secondary" aria-describedby=${labelId} onClick=${() => setAsking(true)}>Clear</button>`;
  return html` <span role="group" class="confirm" aria-describedby=${labelId} onKeyDown=${(e: KeyboardEvent) => e.key === "Escape" && (e.preventDefault(), keep())}>
    Remove the stored ${title}?${required ? " The plugin needs it: it will not run until it is set again." : ""}
    <button type="button" ref=${confirm} class="small danger" disabled=${sending} onClick=${clear}>Really clear ${title}</button>
    <button type="button" class="small secondary" onClick=${keep}>Keep it</button></span>`;
}

/** A plugin without a config_schema: its settings as one JSON object. */
export function JsonConfigForm({ plugin }: { plugin: any }) {
  const drawn = useDrawnFrom(plugin.config);
  const [json, setJson] = useState(JSON.stringify(drawn.base, null, 2));
  const [generation, setGeneration] = useState(drawn.generation);
  const { sending, once } = useSending();
  if (generation !== drawn.generation) (setGeneration(drawn.generation), setJson(JSON.stringify(drawn.base, null, 2)));
  const save = async (e: Event) => {
    e.preventDefault();
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(json || "{}");
    } catch (error) {
      return void notify("error", `not valid JSON: ${(error as Error).message}`);
    }
    const view = await once(() => act(() => put(`/api/plugins/${encodeURIComponent(plugin.id)}/config`, { config, base: drawn.base }), "settings saved"));
    if (view) (drawn.saved((view as any).config ?? {}), changed());
  };
  return html`<form class="config" onSubmit=${save}>
    ${drawn.changedElsewhere ? html`<p class="warn" role="status">${CHANGED_ELSEWHERE}</p>` : null}
    <label>Settings (JSON object; this plugin has no config_schema)<textarea rows="6" value=${json} onInput=${(e: Event) => (drawn.edited(), setJson((e.target as HTMLTextAreaElement).value))}></textarea></label>
    <button type="submit" disabled=${sending}>Save settings</button>
  </form>`;
}
