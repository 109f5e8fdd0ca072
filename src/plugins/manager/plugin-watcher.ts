/**
 * Watches the plugin folder (for `shelfwise serve`) and says when it has
 * settled after a change, plus the content fingerprint that decides whether a
 * plugin folder really changed. Both skip the same names: node_modules (the
 * SDK link shelfwise itself writes there, and installed dependencies),
 * __pycache__, hidden files and editors' backup and swap files.
 *
 * Editors' atomic saves (write a temp file, rename over) and folders copied
 * in file by file show up as bursts of events: one callback comes only after
 * `debounceMs` without any event, and a half-written folder that is read
 * anyway is simply read again after the writes that follow it.
 */
import fs from "node:fs";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { isIgnoredName, PLUGIN_FOLDER_DEPTH, pluginFolderFingerprint } from "./plugin-fingerprint.js";

export interface PluginWatcherOptions {
  /** Quiet time after the last event before `onSettled`; default 300 ms. */
  debounceMs?: number;
  /** Watch errors (the watcher keeps going, or falls back to polling). */
  onError?: (error: Error) => void;
}

export interface PluginWatcher {
  close(): Promise<void>;
}

/** Depth below a plugin folder that is still watched; deeper files are data, not code. */
const MAX_DEPTH = PLUGIN_FOLDER_DEPTH;
const POLL_INTERVAL_MS = 1000;
/**
 * Files and folders watched below one plugin folder (the first met; a plugin's own files are met first, its
 * subfolders' contents after). A plugin folder linked to a large tree (`/usr`, a home folder, a music archive,
 * or one holding a catalogue of covers or a virtualenv) was watched down to MAX_DEPTH: 94,000 inotify watches
 * and 82 s before `serve` answered, for a link to /usr.
 */
export const MAX_WATCHED_PER_PLUGIN = 1000;

export { isIgnoredName, pluginFolderFingerprint };

/**
 * True when a path under `root` has an ignored segment (the segments of root itself never count), or is a
 * link not watched through; `bounded` is asked between the two, before the link check's file system calls.
 */
function isIgnoredUnder(root: string, file: string, bounded: (top: string) => boolean = () => false): boolean {
  const relative = path.relative(root, file);
  if (relative === "" || relative.startsWith("..")) return false;
  const segments = relative.split(path.sep);
  if (segments.some(isIgnoredName)) return true;
  if (segments.length < 2) return false;
  return bounded(segments[0]!) || (isSymlink(file) && !isLinkWatchedThrough(path.join(root, segments[0]!), file));
}

/**
 * A symlink inside a plugin folder is not watched through: one to a music
 * archive (or to /) made the watch cover thousands of folders outside the
 * plugin, up to the kernel's limit of watches. A plugin folder that is itself
 * a symlink (a work in progress linked in) is watched; a link inside it that
 * stays inside it leads to files watched where they are.
 */
function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * A link inside a plugin folder is watched through when it leads to files of that plugin that are not watched
 * where they are, as discovery and staging follow it: a file (a manifest.json linked to `.shared/manifest.json`),
 * or a folder under a name the watch skips (`lib` linked to `.shared/lib`, staged through the link, changed with
 * no reload before). A link to a folder watched where it is is not (its files would cost a watch twice), nor one
 * to a folder holding the link (a loop).
 */
function isLinkWatchedThrough(pluginFolder: string, file: string): boolean {
  try {
    const real = fs.realpathSync(file);
    const folder = fs.realpathSync(pluginFolder);
    if (!real.startsWith(folder + path.sep)) return false;
    if (fs.statSync(real).isFile()) return true;
    const holder = fs.realpathSync(path.dirname(file));
    if (holder === real || holder.startsWith(real + path.sep)) return false;
    return path.relative(folder, real).split(path.sep).some(isIgnoredName);
  } catch {
    return false;
  }
}

/**
 * Watches `pluginDir` (created when missing, since a folder that does not
 * exist cannot be watched) and calls `onSettled` once the folder has been
 * quiet for `debounceMs` after any change. Resolves once the initial scan is
 * done, so a change made after it is seen.
 */
export async function watchPluginDir(pluginDir: string, onSettled: () => void, options: PluginWatcherOptions = {}): Promise<PluginWatcher> {
  const root = path.resolve(pluginDir);
  fs.mkdirSync(root, { recursive: true });
  const debounceMs = options.debounceMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let watcher: FSWatcher;

  const changed = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!closed) onSettled();
    }, debounceMs);
  };

  // Per plugin folder (its name in the plugin dir): the paths let in, and whether the bound was said.
  const admitted = new Map<string, { paths: Set<string>; told: boolean }>();
  const overBound = (file: string, top: string): boolean => {
    let folder = admitted.get(top);
    if (!folder) admitted.set(top, (folder = { paths: new Set(), told: false }));
    if (folder.paths.has(file)) return false;
    if (folder.paths.size < MAX_WATCHED_PER_PLUGIN) {
      folder.paths.add(file);
      return false;
    }
    if (!folder.told) {
      folder.told = true;
      options.onError?.(
        new Error(`${path.join(root, top)} holds more than ${MAX_WATCHED_PER_PLUGIN} files and folders: only the first ${MAX_WATCHED_PER_PLUGIN} are watched for changes`),
      );
    }
    return true;
  };
  const forget = (file: string) => {
    const top = path.relative(root, file).split(path.sep)[0]!;
    const folder = admitted.get(top);
    if (!folder) return;
    if (path.join(root, top) === file) admitted.delete(top);
    else for (const known of folder.paths) if (known === file || known.startsWith(file + path.sep)) folder.paths.delete(known);
  };

  const open = (usePolling: boolean): Promise<void> => {
    admitted.clear();
    watcher = watch(root, {
      ignoreInitial: true,
      followSymlinks: true,
      depth: MAX_DEPTH,
      atomic: true,
      usePolling,
      interval: POLL_INTERVAL_MS,
      ignorePermissionErrors: true,
      ignored: (file) => isIgnoredUnder(root, file, (top) => overBound(file, top)),
    });
    watcher.on("all", changed);
    watcher.on("unlink", forget);
    watcher.on("unlinkDir", forget);
    watcher.on("error", (error) => onWatchError(error as NodeJS.ErrnoException, usePolling));
    return new Promise((resolve) => watcher.once("ready", resolve));
  };

  // Out of inotify watches (ENOSPC) or file handles: polling is slower but still sees every change.
  const onWatchError = (error: NodeJS.ErrnoException, polling: boolean) => {
    options.onError?.(error);
    if (polling || closed || (error.code !== "ENOSPC" && error.code !== "EMFILE")) return;
    options.onError?.(new Error(`watching ${root} failed (${error.code}); polling it every ${POLL_INTERVAL_MS / 1000} s instead`));
    const failed = watcher;
    void failed.close().then(() => (closed ? undefined : open(true).then(changed)));
  };

  await open(false);
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
