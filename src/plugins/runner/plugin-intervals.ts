/**
 * The plugin's repeating timers (`setInterval` without `unref()`): at teardown the runner waits for a plugin's
 * pending work to finish, but an interval never finishes, so a plugin polling or refreshing on one held every
 * run's end for the whole wait (4 s) and then read as "work pending". Tracked here, they are let go at
 * teardown (unref'd: the rest of the plugin's work is still waited for) and named once, with the fix.
 */
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
  globalThis.setInterval = tracked;
  globalThis.clearInterval = function (this: unknown, timer?: Parameters<typeof clearInterval>[0]) {
    if (timer !== undefined && timer !== null) live.delete(timer as Timer);
    return originalClear.call(this, timer as never);
  } as typeof clearInterval;
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
