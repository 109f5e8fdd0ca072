// Every call to the JSON API goes through here: JSON in and out, and an error
// that carries the server's message (which says what to fix).
import { sessionEnded, store } from "./state.js";
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Per-field problems of a form's values, when the server names them. */
    readonly fields: { field: string; message: string }[] = [],
    /**
     * No answer to a request that changes nothing (a read, a dry run, a test call): once the server is back the
     * page reloads and nothing is left to check, so its notice goes then (state.ts). A change's notice stays: it
     * asks the user to check whether the change was made.
     */
    readonly goneWhenBack = false,
  ) {
    super(message);
  }
}

const SIGNED_OUT = "not done: signed out; sign in again with the link at the top of the page";

/** Whether a request asks for a change: not a read, a dry run (`dry_run: true`) or one its caller says changes nothing (a test call). */
function asksForChange(method: string, body: unknown, changesNothing: boolean): boolean {
  if (method === "GET" || changesNothing) return false;
  return !(body !== null && typeof body === "object" && (body as { dry_run?: unknown }).dry_run === true);
}

export async function api<T = any>(method: string, url: string, body?: unknown, signal?: AbortSignal, changesNothing = false): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: "application/json" }, credentials: "same-origin", signal };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  // Once the login no longer holds, nothing is sent until the user signs in again (a page load): every request
  // with the old cookie counted as a wrong token, and a few pages looked at meanwhile reached the limit of 10 a
  // minute, so the login form itself answered 429 and the user could not sign in again for a minute.
  if (store.sessionEnded) throw new ApiFailure(401, SIGNED_OUT);
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    // An aborted request (the page moved on) is no failure to show; anything else is no answer at all. The
    // browser's own words ("Failed to fetch", "NetworkError when attempting to fetch resource") say neither what
    // happened nor what to do.
    if ((error as Error)?.name === "AbortError") throw error;
    // The words match what was asked: "check whether this change was made" after a dry run (which changes
    // nothing) sent the user looking for a change that could not have happened.
    const change = asksForChange(method, body, changesNothing);
    const sent = !change ? (method === "GET" ? "" : " Nothing was changed by it (it only looks): ask again once the server is back.") : " Once it is back, check whether this change was made (the answer was lost, not necessarily the request).";
    throw new ApiFailure(0, `no answer from the shelfwise server: it was stopped, or the connection dropped. Start it again (the shelfwise serve command, in a terminal); this page reloads its data when it is back.${sent}`, [], !change);
  }
  if (response.status === 401) {
    sessionEnded();
    // Said once, by the notice at the top (main.ts SessionEnded); an action refused here says only that it was not done.
    throw new ApiFailure(401, SIGNED_OUT);
  }
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    if (!response.ok) throw new ApiFailure(response.status, notShelfwiseWords(response.status, response.statusText, asksForChange(method, body, changesNothing)));
    throw new ApiFailure(response.status, "the server's answer was not JSON: is this address a shelfwise server, and is a proxy in front of it changing the answers?");
  }
  if (!response.ok) {
    const said = typeof data?.error === "string" && data.error.trim() ? data.error : notShelfwiseWords(response.status, response.statusText, asksForChange(method, body, changesNothing));
    throw new ApiFailure(response.status, said, Array.isArray(data?.fields) ? data.fields : []);
  }
  return data as T;
}

/**
 * A refusal without shelfwise's words: a reverse proxy's error page (its HTML was shown whole as the notice) or
 * a bare status. Said in words, with the code at the end for whoever looks further.
 */
function notShelfwiseWords(status: number, statusText: string, change: boolean): string {
  const code = `(HTTP ${status}${statusText ? ` ${statusText}` : ""})`;
  const check = change ? " Once it answers again, check whether this change was made." : "";
  if (status === 502 || status === 503 || status === 504)
    return `no answer from the shelfwise server behind the proxy ${code}: it may be stopped or still starting; start it again (the shelfwise serve command) and try again.${check}`;
  if (status === 413) return `the request was too large for the server or the proxy in front of it ${code}: send less at once (select fewer books).`;
  if (status === 429) return `too many requests for now ${code}: wait a minute and try again.`;
  return `the server refused the request without saying why ${code}; a proxy in front of shelfwise may have answered. Try again, or reload the page.${check}`;
}

export const get = <T = any>(url: string, signal?: AbortSignal) => api<T>("GET", url, undefined, signal);
/** `changesNothing`: a POST only to look (a test call), said so when no answer comes. */
export const post = <T = any>(url: string, body: unknown = {}, changesNothing = false) => api<T>("POST", url, body, undefined, changesNothing);
export const put = <T = any>(url: string, body: unknown) => api<T>("PUT", url, body);
export const del = <T = any>(url: string, body: unknown) => api<T>("DELETE", url, body);

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
