/**
 * The Node runner's descriptors kept from plugin code: shelfwise's channel (3) and Node's own event loop
 * (epoll, its wake-up eventfds and signal pipes, all opened before the plugin loads). A plugin closing them
 * (a loop over descriptors 3 and up, a daemonizing library) made libuv abort the process on its next poll:
 * the call read "killed by SIGABRT" with no word of what happened, or, a file of the plugin's reusing the
 * number, the answer went into that file and the call timed out. The Python runner says it with
 * CHANNEL_CLOSED_STATUS; this does the same before the descriptor is gone, while the runner can still speak.
 */
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { CHANNEL_CLOSED_ERROR, CHANNEL_CLOSED_STATUS } from "./input-closed.js";
import { descriptorIdentity, UNVERIFIABLE, writeErr } from "./own-io.js";

/** Far above what a fresh Node holds (about 20): its own descriptors are the lowest free numbers at start. */
const SCAN_LIMIT = 256;

/** fd → what it was (device:inode) when the runner took it. A number the plugin got after a close is not ours. */
const owned = new Map<number, string>();

export function identityOf(fd: number): string | null {
  return descriptorIdentity(fd);
}

/** Still the descriptor the runner took: the channel answered on is the host's, not a file of the plugin's. */
export function channelIntact(fd: number): boolean {
  const was = owned.get(fd);
  if (was === undefined) return true;
  const now = identityOf(fd);
  // Not known either way (own-io.ts): a channel taken for closed ended every call; a reused one only times its call out.
  return now === was || now === UNVERIFIABLE;
}

/**
 * Leaves with the channel-closed status, saying why on stderr while it may still be open. Synchronous: the
 * descriptor is still there, so libuv never polls a closed one (that is the abort).
 */
export function channelClosed(exit: (code: number) => never): never {
  // stderr closed too: the exit status says it.
  writeErr(`[shelfwise runner] ${CHANNEL_CLOSED_ERROR}\n`);
  return exit(CHANNEL_CLOSED_STATUS);
}

function isOwned(fd: unknown): boolean {
  if (typeof fd !== "number" || !owned.has(fd)) return false;
  const now = identityOf(fd);
  return now === owned.get(fd) || now === UNVERIFIABLE;
}

/**
 * Takes the descriptors open now (0-2 excepted: stdin has its own rule, input-closed.ts; stdout and stderr
 * are the plugin's to close) and makes fs.close/closeSync of one of them end the process with the status
 * instead. Call before any plugin code runs.
 */
export function guardChannel(exit: (code: number) => never): void {
  for (let fd = 3; fd < SCAN_LIMIT; fd++) {
    const id = identityOf(fd);
    if (id !== null) owned.set(fd, id);
  }
  const target = fs as unknown as { closeSync: typeof fs.closeSync; close: typeof fs.close };
  const closeSync = target.closeSync;
  const close = target.close;
  target.closeSync = function (fd: number) {
    if (isOwned(fd)) channelClosed(exit);
    return closeSync.call(fs, fd);
  } as typeof fs.closeSync;
  target.close = function (fd: number, ...rest: unknown[]) {
    if (isOwned(fd)) channelClosed(exit);
    return (close as (...args: unknown[]) => void).call(fs, fd, ...rest);
  } as typeof fs.close;
  // `import { closeSync } from "node:fs"` in an ES module plugin reads the patched one too.
  syncBuiltinESMExports();
}
