// Shared page state: the live status from the server's event stream, a
// notice line, and a "data changed" counter pages reload on.
import { useEffect, useState } from "preact/hooks";
import { timeOfDay } from "./ui.js";

type Listener = () => void;

export interface Notice {
  kind: "ok" | "note" | "error";
  text: string;
  /** Said while the server gave no answer, about a request that changed nothing: gone once the server is back. */
  goneWhenBack?: boolean;
  /**
   * Counts the notices given: the same words given again (a second save) are a notice of their own, drawn with
   * its number, where an unchanged line showed nothing to tell them apart.
   */
  seq: number;
}

class Store {
  status: any = null;
  notice: Notice | null = null;
  /** Bumped when something other pages show may have changed (a job ended, a plugin changed state). */
  version = 0;
  connected = false;
  /** When the stream was lost (ISO): what an open page shows is as of then. */
  offlineSince: string | null = null;
  /** The server refused this browser's login (the access token changed, or a logout): nothing works until it signs in again. */
  sessionEnded = false;
  /** Counts emits, so a component can tell whether it missed one between its render and its subscription. */
  emits = 0;
  /** Counts status events: something on the server moved (a book done, a call recorded, a CLI write seen). */
  statuses = 0;
  private listeners = new Set<Listener>();
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(): void {
    this.emits++;
    for (const listener of this.listeners) listener();
  }
}

export const store = new Store();

export function useStore(): Store {
  const [, setTick] = useState(0);
  const rendered = store.emits;
  useEffect(() => {
    const unsubscribe = store.subscribe(() => setTick((n) => n + 1));
    // Effects run after the browser paints: a status event that arrived in between found no listener here, and
    // the page would show the stale status until the next event (a dismissed problem stayed on the dashboard).
    if (store.emits !== rendered) setTick((n) => n + 1);
    return unsubscribe;
  }, []);
  return store;
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
let noticesGiven = 0;

export function notify(kind: Notice["kind"], text: string, options: { goneWhenBack?: boolean } = {}): void {
  const notice: Notice = { kind, text, seq: ++noticesGiven, ...(options.goneWhenBack ? { goneWhenBack: true } : {}) };
  store.notice = notice;
  store.emit();
  clearTimeout(noticeTimer);
  // Confirmations fade after a while; errors stay until dismissed or the page changes.
  if (kind === "ok") {
    noticeTimer = setTimeout(() => {
      if (store.notice === notice) (store.notice = null), store.emit();
    }, 6000);
  }
}

/**
 * A 401: the login cookie no longer holds (the server's access token changed, or
 * this browser logged out in another tab). Said once for the whole page, with how
 * to sign in again; not a redirect, so what the user typed on the page stays on
 * screen until they leave it.
 */
export function sessionEnded(): void {
  if (store.sessionEnded) return;
  store.sessionEnded = true;
  store.connected = false;
  store.emit();
}

export function changed(): void {
  store.version++;
  store.emit();
}

/**
 * An apply or undo the page saw running when it lost the server, which the server back knows nothing of: the server
 * was stopped or killed mid-run. The page only said "reconnecting", then dropped the run's section without a word,
 * as if it had ended well. Said once, with where to look: the moves made are journaled (a move under way is settled
 * when the server starts), the books not started are where they were. Nothing is sent again.
 */
function cutShortMove(before: any, now: any): string | null {
  const job = before?.job;
  if (!job || (job.kind !== "apply" && job.kind !== "undo")) return null;
  if (now.job?.started_at === job.started_at || now.last_job?.started_at === job.started_at) return null;
  const what = job.kind === "apply" ? "moving books (the apply" : "moving books back (the undo";
  return `The server stopped while it was ${what} started at ${timeOfDay(job.started_at)}): the moves it made are kept and listed in the History on the Review page, a move under way was settled when the server started again, and the books it had not started are where they were. Look there before you ${job.kind === "apply" ? "apply" : "undo"} again.`;
}

/** Whether a stream ever delivered a status (a later first status is a reconnection). */
let everConnected = false;
/** Streams refused in a row (not dropped: the browser retries those itself), for the page's retry's back-off. */
let refusedStreams = 0;

export function connectEvents(): void {
  const source = new EventSource("/api/events");
  source.addEventListener("status", (event) => {
    const next = JSON.parse((event as MessageEvent).data);
    const jobEnded = store.status?.job && !next.job;
    // Back after a lost connection (the server restarted, the network dropped): anything may have changed
    // meanwhile (a command run while no server ran), and no event said so. Every page loads afresh.
    const reconnected = everConnected && !store.connected;
    const seen = store.status;
    store.status = next;
    store.statuses++;
    store.connected = true;
    everConnected = true;
    refusedStreams = 0;
    if (jobEnded || reconnected) store.version++;
    // "No answer" to a read or a dry run is over once the server is back (the page reloads): it stayed on screen,
    // saying the server was down, beside a page that worked again.
    if (reconnected && store.notice?.goneWhenBack) store.notice = null;
    const cut = reconnected ? cutShortMove(seen, next) : null;
    if (cut) store.notice = { kind: "error", text: cut };
    store.emit();
  });
  // `data`: something was written outside a job (a correction or a lock in another tab, a CLI command).
  for (const name of ["job", "plugin", "plugins", "data"]) {
    source.addEventListener(name, () => changed());
  }
  source.onerror = () => {
    if (store.connected) store.offlineSince = new Date().toISOString();
    store.connected = false;
    store.emit();
    // The browser retries a dropped stream itself, but gives up for good on an answer that is not a stream
    // (a 503 from a server shutting down, a proxy's error page): the page would say "reconnecting" forever.
    if (source.readyState === EventSource.CLOSED) {
      source.close();
      // An event stream tells no status: one refused for a login that no longer holds (401) would be retried
      // forever, saying "reconnecting", and every retry would count as a wrong token towards the login limit.
      // Half a second as the stream's own retry (src/server/events.ts RECONNECT_MS), doubling up to 8 s while it
      // is refused (a server shutting down for a while, a proxy's error page), back to half a second once connected.
      const retry = () => setTimeout(connectEvents, Math.min(500 * 2 ** refusedStreams++, 8_000));
      fetch("/api/status", { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
        (response) => (response.status === 401 ? sessionEnded() : retry()),
        retry,
      );
    }
  };
}

/**
 * Calls `reload` when the server's status moves (a run records calls, a CLI
 * command wrote), at most once per `ms`: pages whose numbers change during a
 * run (the health dashboard) follow it live, not only when the job ends.
 */
export function useLiveReload(reload: () => void, ms = 1000): void {
  useEffect(() => {
    let seen = store.statuses;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const unsubscribe = store.subscribe(() => {
      if (store.statuses === seen || timer) return;
      seen = store.statuses;
      const wait = Math.max(0, last + ms - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        seen = store.statuses;
        reload();
      }, wait);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, []);
}
