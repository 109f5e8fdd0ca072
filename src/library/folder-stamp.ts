/**
 * A folder book's folder stamp: its device, inode and ctime to the nanosecond
 * ("dev:ino:ctime_ns"), taken by the scan right before it lists the folder.
 * Adding, removing or renaming a name in a folder (a hard link, a file renamed
 * over another, a part copied in) sets its ctime to the time of the change, and
 * nothing sets a ctime back (`touch -d` and `rsync -a` set the mtime, and that
 * sets the ctime to now). So while the stamp still holds, the folder holds the
 * names the scan listed, and apply's look for files added since the scan
 * (organize/folder-check.ts) stats the folder instead of listing it
 * (native/fs-batch.c stamp_holds).
 *
 * No stamp (null: the folder is listed, as without one) when it cannot be
 * trusted:
 * - the racy-git rule: a change within the same clock tick as the stamp (or the
 *   same second, on a file system that keeps whole seconds) could leave the
 *   ctime as it was; a ctime that close to the moment the stamp was taken is not
 *   recorded;
 * - a file system whose ctimes this rule cannot vouch for (network and FUSE
 *   file systems cache attributes or keep the server's clock; FAT has no
 *   ctime): only the local ones below.
 */
import fs from "node:fs";

/** ext2/3/4, XFS, Btrfs, tmpfs, F2FS, bcachefs, ZFS, JFS, ReiserFS (statfs f_type). */
const LOCAL_TYPES = new Set([0xef53, 0x58465342, 0x9123683e, 0x01021994, 0xf2f52010, 0xca451a4e, 0x2fc12fc2, 0x3153464a, 0x52654973]);

/** A ctime closer than this to the stamp's moment may share its clock tick with a later change (a tick is 1-10 ms). */
const FINE_MARGIN_MS = 100;
/** The same with whole-second ctimes (no nanoseconds: an ext4 with 128-byte inodes keeps seconds only). */
const COARSE_MARGIN_MS = 2000;

/**
 * Whether a ctime (ns) read at `takenAtMs` (the wall clock read before the stat) is old enough that any later
 * change of the folder gets another one.
 */
export function stampTrusted(ctimeNs: bigint, takenAtMs: number): boolean {
  const margin = ctimeNs % 1_000_000_000n === 0n ? COARSE_MARGIN_MS : FINE_MARGIN_MS;
  return ctimeNs < BigInt(Math.floor(takenAtMs - margin)) * 1_000_000n;
}

/**
 * The stamp of `folder`, taken before the caller lists it, or null (not trusted, see above). `local` caches each
 * device's verdict for one scan (anonymous device numbers are reused by later mounts of other kinds).
 */
export function takeFolderStamp(folder: string, local: Map<bigint, boolean>): string | null {
  const takenAt = Date.now();
  let st: fs.BigIntStats;
  try {
    st = fs.statSync(folder, { bigint: true });
  } catch {
    return null;
  }
  if (!stampTrusted(st.ctimeNs, takenAt)) return null;
  let ok = local.get(st.dev);
  if (ok === undefined) {
    try {
      ok = LOCAL_TYPES.has(Number(fs.statfsSync(folder).type));
    } catch {
      ok = false;
    }
    local.set(st.dev, ok);
  }
  return ok ? `${st.dev}:${st.ino}:${st.ctimeNs}` : null;
}

/** Whether `folder` is as its stamp says (native/fs-batch.c stamp_holds does the same on the addon's thread). */
export function stampHolds(folder: string, stamp: string | null | undefined): boolean {
  if (!stamp) return false;
  let st: fs.BigIntStats | undefined;
  try {
    st = fs.statSync(folder, { bigint: true, throwIfNoEntry: false });
  } catch {
    return false;
  }
  return st !== undefined && st.isDirectory() && `${st.dev}:${st.ino}:${st.ctimeNs}` === stamp;
}
