/**
 * A FUSE file system that loses a folder's contents when the folder is
 * renamed: fusefat (the FUSE vfat driver, mounted rw+) does, the folder under
 * its new name empty and the files gone for good (after a remount too). Every
 * move of a folder book there is such a rename, and so is the last step of a
 * copy into it (the checked copy renamed into place, after which the source
 * is removed): a whole book lost. Kernel file systems are trusted; a FUSE
 * mount a run moves books into is asked first, once per run, by a probe: a
 * hidden folder holding one small file, renamed, the file looked for under
 * the new name. A probe that loses it refuses every move into that file
 * system, before anything of a book is touched. A probe that cannot be made
 * (a read-only or full mount) refuses nothing: the move fails there anyway,
 * with its own words.
 */
import fs from "node:fs";
import path from "node:path";

/** A mount of /proc/self/mountinfo: where, its type (`fuse.fusefat`, `fuseblk`, `ext4`), and whether mounted read-write. */
interface Mount {
  at: string;
  type: string;
  writable: boolean;
}

/**
 * FUSE drivers known to lose a renamed folder's contents (the probe lost it
 * every time): what a dry run, which writes no probe, judges by.
 */
const KNOWN_LOSING = new Set(["fuse.fusefat"]);

/** A library folder on a FUSE mount, as a dry run judges it without writing anything. */
export interface FuseJudgement {
  /** The mount's type (`fuse.sshfs`) and where it is mounted. */
  type: string;
  at: string;
  /** Its driver is known to lose a renamed folder's contents, and it is mounted read-write: apply's probe would refuse it. */
  losing: boolean;
}

/**
 * Read-only: the paths of `paths` (a library folder, a target; the nearest
 * folder that exists decides) that lie on a FUSE mount, each with the
 * mount's judgement. Reads /proc/self/mountinfo and nothing else: a dry run
 * tells what apply's probe would find by the driver's name, and that a
 * driver it does not know is probed then.
 */
export function fuseJudgements(paths: Iterable<string>): Map<string, FuseJudgement> {
  const judged = new Map<string, FuseJudgement>();
  let mounts: Mount[] | null | undefined;
  for (const at of new Set(paths)) {
    mounts ??= readMounts();
    if (mounts === null) break;
    const real = realNearest(at);
    const mount = real === null ? undefined : mountOf(mounts, real);
    if (!mount || !mount.type.startsWith("fuse")) continue;
    judged.set(at, { type: mount.type, at: mount.at, losing: mount.writable && KNOWN_LOSING.has(mount.type) });
  }
  return judged;
}

/** What a dry run says of a folder book bound for a folder whose FUSE driver is known to lose renamed folders' contents. */
export function knownLosingWords(root: string, judgement: FuseJudgement): string {
  return (
    `${root} is on a ${judgement.type} file system (FUSE, mounted at ${judgement.at}), whose driver loses a folder's contents when the folder is renamed; ` +
    "apply tests that first with a hidden folder and moves no folder book there when the test loses it: mount it with the kernel's driver (mount -t vfat or exfat) and run the command again"
  );
}

/** The real path of `at`, or of its nearest folder that exists; null when none can be resolved. */
function realNearest(at: string): string | null {
  for (let dir = at; ; dir = path.dirname(dir)) {
    try {
      return fs.realpathSync(dir);
    } catch {
      if (path.dirname(dir) === dir) return null;
    }
  }
}

const PROBE_TEXT = "shelfwise rename probe\n";

/**
 * The library folders of `roots` that lie on a FUSE file system losing a
 * renamed folder's contents, each with the words a refused move says. Empty
 * (and no probe) where no root is on FUSE, or off Linux.
 */
export function foldersLosingRenames(roots: Iterable<string>): Map<string, string> {
  const losing = new Map<string, string>();
  let mounts: Mount[] | null | undefined;
  const probed = new Map<string, boolean>();
  for (const root of new Set(roots)) {
    mounts ??= readMounts();
    if (mounts === null) break;
    let real: string;
    try {
      real = fs.realpathSync(root);
    } catch {
      continue;
    }
    const mount = mountOf(mounts, real);
    if (!mount || !mount.type.startsWith("fuse")) continue;
    let keeps = probed.get(mount.at);
    if (keeps === undefined) probed.set(mount.at, (keeps = renameKeepsContents(real)));
    if (!keeps) {
      losing.set(
        root,
        `${root} is on a ${mount.type} file system (FUSE, mounted at ${mount.at}) that lost a folder's contents when shelfwise renamed a test folder there; ` +
          "moving a book there would lose its files, so nothing is moved there: mount it with the kernel's driver (mount -t vfat or exfat) and run the command again",
      );
    }
  }
  return losing;
}

function readMounts(): Mount[] | null {
  let text: string;
  try {
    text = fs.readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return null;
  }
  const mounts: Mount[] = [];
  for (const line of text.split("\n")) {
    // ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER_OPTIONS
    const fields = line.split(" ");
    const dash = fields.indexOf("-", 6);
    if (fields.length < 7 || dash < 0) continue;
    mounts.push({ at: unescapeMountPath(fields[4]!), type: fields[dash + 1] ?? "", writable: (fields[5] ?? "").split(",").includes("rw") });
  }
  return mounts;
}

/** mountinfo writes a space, tab, newline and backslash in a path as octal escapes (`\040`). */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The mount holding `real` (a path with no link in it): the last mounted of those at the longest prefix. */
function mountOf(mounts: Mount[], real: string): Mount | undefined {
  let best: Mount | undefined;
  for (const mount of mounts) {
    const inside = mount.at === "/" || real === mount.at || real.startsWith(mount.at + path.sep);
    if (inside && (!best || mount.at.length >= best.at.length)) best = mount;
  }
  return best;
}

/** Whether a folder renamed in `dir` keeps its file; true when the probe cannot be made there at all. */
function renameKeepsContents(dir: string): boolean {
  const before = path.join(dir, `.shelfwise-probe-${process.pid}`);
  const after = `${before}-renamed`;
  try {
    fs.mkdirSync(before);
  } catch {
    return true;
  }
  try {
    fs.writeFileSync(path.join(before, "probe"), PROBE_TEXT);
    fs.renameSync(before, after);
    let kept = false;
    try {
      kept = fs.readFileSync(path.join(after, "probe"), "utf8") === PROBE_TEXT;
    } catch {
      kept = false;
    }
    return kept;
  } catch {
    // Could not write or rename at all: the moves will say why.
    return true;
  } finally {
    for (const at of [before, after]) {
      try {
        fs.rmSync(at, { recursive: true, force: true });
      } catch {
        // A probe folder left behind is ours, hidden, and holds nothing of the user's.
      }
    }
  }
}

/**
 * A look-up of the file system type (`ext4`, `vfat`, `fuseblk`) holding a path or its nearest folder that exists,
 * mountinfo read once on first use; null off Linux or where it cannot be told.
 */
export function fileSystemTypes(): (at: string) => string | null {
  let mounts: Mount[] | null | undefined;
  const known = new Map<string, string | null>();
  return (at) => {
    let type = known.get(at);
    if (type === undefined) {
      mounts ??= readMounts();
      const real = mounts === null ? null : realNearest(at);
      type = real === null || mounts === null ? null : (mountOf(mounts, real)?.type ?? null);
      known.set(at, type);
    }
    return type;
  };
}
