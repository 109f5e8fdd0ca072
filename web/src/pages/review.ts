import { html } from "../ui.js";

export function Review(_props: { params: URLSearchParams }) {
  return html`<h1>Review</h1><p class="muted">Proposals, apply and undo arrive with the organize commands.</p>`;
}
