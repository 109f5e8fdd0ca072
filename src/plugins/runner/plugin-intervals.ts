/**
 * The plugin's repeating timers (`setInterval` without `unref()`): at teardown the runner waits for a plugin's
 * pending work to finish, but an interval never finishes, so a plugin polling or refreshing on one held every
 * run's end for the whole wait (4 s) and then read as "work pending". Tracked here, they are let go at
 * teardown (unref'd: the rest of the plugin's work is still waited for) and named once, with the fix. The same
 * function imported from node:timers, and node:timers/promises' async-iterator setInterval, are tracked alike: a
 * plugin importing it held the end of the run as the global one did.
 */
import timers from "node:timers";
import timersPromises from "node:timers/promises";
import { syncBuiltinESMExports } from "node:module";

type Timer = ReturnType<typeof setInterval>;

const live = new Set<Timer>();

export function trackIntervals(): void {
  const original = globalThis.setInterval;
  const originalClear = globalThis.clearInterval;
  const tracked = function (this: unknown, ...args: Parameters<typeof setInterval>) {
    const timer = original.apply(this, args as never) as Timer;
    live.add(timer);
    return timer;
  } as typeof setInterval;
  Object.defineProperty(tracked, "name", { value: "setInterval" });
  const trackedClear = function (this: unknown, timer?: Parameters<typeof clearInterval>[0]) {
    if (timer !== undefined && timer !== null) live.delete(timer as Timer);
    return originalClear.call(this, timer as never);
  } as typeof clearInterval;
  globalThis.setInterval = tracked;
  globalThis.clearInterval = trackedClear;
  timers.setInterval = tracked;
  timers.clearInterval = trackedClear;
  timersPromises.setInterval = iteratorTracked(timersPromises.setInterval, tracked, trackedClear);
  // `import { setInterval } from "node:timers"` reads the ESM bindings, which follow the module object only when told.
  syncBuiltinESMExports();
}

/** Longest delay a timer takes (a longer one fires after 1 ms). */
const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * timers/promises' setInterval holds the loop by a timer of its own that nothing outside can unref: it runs unref'd
 * here, and a tracked interval that never fires holds the loop for it until the iteration ends or teardown lets go.
 */
function iteratorTracked(original: typeof timersPromises.setInterval, track: typeof setInterval, clear: typeof clearInterval): typeof timersPromises.setInterval {
  const wrapped = async function* (delay?: number, value?: unknown, options?: { signal?: AbortSignal; ref?: boolean }) {
    // Not an object, or already unref'd: the original's own checks and behaviour.
    if (options !== undefined && (typeof options !== "object" || options === null || options.ref === false)) return yield* original(delay, value, options as never);
    const inner = original(delay, value, { ...options, ref: false });
    const hold = track(() => {}, TIMEOUT_MAX);
    try {
      return yield* inner;
    } finally {
      clear(hold);
    }
  };
  Object.defineProperty(wrapped, "name", { value: "setInterval" });
  return wrapped as unknown as typeof timersPromises.setInterval;
}

/** Unrefs the plugin's intervals still holding the event loop; returns how many there were. */
export function releaseIntervals(): number {
  let held = 0;
  for (const timer of live) {
    try {
      const t = timer as unknown as { hasRef?: () => boolean; unref?: () => void; _destroyed?: boolean };
      if (t._destroyed === true || t.hasRef?.() !== true) continue;
      t.unref?.();
      held++;
    } catch {
      // a timer object the plugin replaced: nothing to let go
    }
  }
  live.clear();
  return held;
}
