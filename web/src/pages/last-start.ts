import { html, When } from "../ui.js";

/**
 * A plugin's last start as `plugins list` says it: when, and whether its start check failed and why (the plugin's
 * words, shown as text). Used by the plugins list, a plugin's page and the health pages alike.
 */
export function LastStart({ p }: { p: any }) {
  if (p.start_check === "not_started")
    return html`<span data-start="not_started">not started ${p.last_start ? html`since its files or settings changed (last start <${When} iso=${p.last_start} />)` : "yet"}</span>`;
  if (p.start_check !== "last_start" || !p.last_start) return html`<span class="muted" data-start="none">–</span>`;
  if (p.last_start_ok) return html`<span data-start="ok">started <${When} iso=${p.last_start} /></span>`;
  return html`<span class="error" data-start="failed">start check failed <${When} iso=${p.last_start} />: <span class="reason" data-field="last_start_reason">${p.last_start_reason ?? ""}</span></span>`;
}
