import { isAtOrInside } from "../../domain/path-inside.js";

/**
 * What to do about a sandbox refusal. Node's permission model says only
 * which permission refused which resource (`ERR_ACCESS_DENIED`,
 * `FileSystemRead: /home/user/data.csv`); a plugin author needs to know how
 * to get the access, or that there is no way and what to do instead.
 */
const REFUSAL = /\b(FileSystemRead|FileSystemWrite|ChildProcess|WorkerThreads|AddonLoad|WASI)\b(?::\s*([^)\n]*))?/;

/**
 * A walled runtime (Landlock, a mount namespace) or Python refuses with the
 * operating system's words: `EACCES: permission denied, open '/x'`,
 * `[Errno 13] Permission denied: '/x'`, `EROFS`. Those can also be a plain
 * file-permission problem, so the hint says "if". Every repetition is bounded:
 * a plugin's error message of "EACCES EACCES ..." made an unbounded one scan
 * quadratically (100 KB: 2 s of shelfwise's event loop; 1 MiB: minutes).
 */
const OS_REFUSAL = /(?:EACCES|EPERM|EROFS)[^'"\n]{0,200}['"]([^'"\n]{1,1000})['"]|\[Errno (?:13|1|30)\] [^:\n]{1,200}: ['"]([^'"\n]{1,1000})['"]/;

/** A write past RLIMIT_FSIZE (max_file_mb): Node says EFBIG, Python `[Errno 27] File too large`. */
const FILE_TOO_LARGE = /\bEFBIG\b|\[Errno 27\]/;

export function sandboxHint(message: string): string | null {
  if (FILE_TOO_LARGE.test(message)) {
    return (
      "shelfwise's sandbox refused to let a file grow further: a plugin's files (in its working folder or /tmp) may hold " +
      "at most plugin_configs.<id>.max_file_mb MB each (default 1024); keep smaller files, or raise that setting"
    );
  }
  const match = REFUSAL.exec(message);
  if (!match && !message.includes("ERR_ACCESS_DENIED")) {
    const os = OS_REFUSAL.exec(message);
    if (!os) return null;
    const file = os[1] ?? os[2];
    return (
      `if ${file} is outside the plugin's folders, shelfwise's sandbox refused it: a plugin may read its own folder, ` +
      `its working folder (<data-dir>/plugin-data/<id>) and, with "permissions": {"filesystem": "read"} in manifest.json, ` +
      `the library folders, and write only to its working folder; declare that permission for a file in the library, ` +
      `otherwise copy the file into the plugin folder and read it from there`
    );
  }
  const permission = match?.[1] ?? "";
  const resource = match?.[2]?.trim();
  const what = resource ? ` ${resource}` : "";
  switch (permission) {
    case "FileSystemRead":
      return (
        `shelfwise's sandbox refused to read${what}: a plugin may read only its own folder, its working folder ` +
        `(<data-dir>/plugin-data/<id>) and, when manifest.json declares "permissions": {"filesystem": "read"}, ` +
        `the library folders (library_paths). If the file is in the library, declare that permission; ` +
        `otherwise copy the file into the plugin folder (or its working folder) and read it from there`
      );
    case "FileSystemWrite":
      return (
        `shelfwise's sandbox refused to write${what}: a plugin may write only to its working folder ` +
        `(<data-dir>/plugin-data/<id>, also its HOME and current folder); no permission allows writing elsewhere, ` +
        `so write there instead`
      );
    case "ChildProcess":
      return "shelfwise's sandbox refused to start a process: plugins may not run other programs (no permission allows it); do the work in the plugin's own code";
    case "WorkerThreads":
      return "shelfwise's sandbox refused a worker thread: plugins may not start worker threads; use async code (manifest concurrency runs calls at once)";
    default:
      return "shelfwise's sandbox refused this: a plugin may read its own folder, its working folder and (with \"permissions\": {\"filesystem\": \"read\"}) the library folders, and write only to its working folder (see docs/plugins.md, Isolation)";
  }
}

/** The message with its hint appended, once. */
export function withSandboxHint(message: string): string {
  if (message.includes("shelfwise's sandbox refused")) return message;
  const hint = sandboxHint(message);
  return hint ? `${message} — ${hint}` : message;
}

/** Absolute paths quoted in an error message ('/x' or "/x"), the few first. */
const QUOTED_PATH = /['"](\/[^'"\n]{0,1000})['"]/g;
const PATHS_LOOKED_AT = 5;

/**
 * An error about a file in a library folder the plugin may not read, told what to declare. Inside the wall
 * the library is not there at all, so Python says `[Errno 2] No such file or directory: '/books/Dune/desc.txt'`
 * and Node `ENOENT`, for a file the author sees on disk: a plugin written for Library Manager, which lets
 * plugins read anything, fails that way with nothing saying why.
 */
export function withLibraryHint(message: string, unreadLibraryPaths: readonly string[] | undefined): string {
  if (!unreadLibraryPaths || unreadLibraryPaths.length === 0 || message.includes("shelfwise's sandbox refused")) return message;
  let seen = 0;
  for (const match of message.matchAll(QUOTED_PATH)) {
    if (++seen > PATHS_LOOKED_AT) break;
    const file = match[1]!;
    const library = unreadLibraryPaths.find((root) => isAtOrInside(file, root));
    if (library === undefined) continue;
    return (
      `${message} — shelfwise's sandbox refused it: ${file} is in the library folder ${library}, which this plugin may not ` +
      `read; add "permissions": {"filesystem": "read"} to its manifest.json (Library Manager lets every plugin read the ` +
      `library; shelfwise asks a plugin to say so)`
    );
  }
  return message;
}

/** Names shorter than this ("id", "key") are too likely to be any word of a message. */
const MIN_SECRET_NAME_MATCHED = 3;
const SECRET_NAMES_LOOKED_AT = 1000;

/**
 * An error naming a secret of secrets.json the plugin did not declare, told to declare it: Library Manager hands
 * every plugin the whole file, so its plugins read `secrets['api_key']` without listing it, and here get a
 * KeyError (or their own "api_key missing") for a key that is plainly in secrets.json. Only the name, which the
 * message already holds, is said; never a value.
 */
export function withSecretHint(message: string, undeclaredSecretNames: readonly string[] | undefined): string {
  if (!undeclaredSecretNames || undeclaredSecretNames.length === 0) return message;
  for (const name of undeclaredSecretNames.slice(0, SECRET_NAMES_LOOKED_AT)) {
    if (name.length < MIN_SECRET_NAME_MATCHED || name.length > 200) continue;
    const at = message.indexOf(name);
    if (at < 0) continue;
    const before = message[at - 1] ?? "";
    const after = message[at + name.length] ?? "";
    if (/[\w-]/.test(before) || /[\w-]/.test(after)) continue; // part of a longer word
    // A plain word ("token", "password") in a message may mean anything; quoted, it is the key looked up.
    const quoted = (before === "'" || before === '"') && before === after;
    if (/^[a-z]+$/i.test(name) && !quoted) continue;
    return (
      `${message} — ${name} is in secrets.json, but a plugin gets only the secrets its manifest.json declares: add ` +
      `"requires_secrets": [${JSON.stringify(name)}] to it (Library Manager hands every plugin all of secrets.json)`
    );
  }
  return message;
}
