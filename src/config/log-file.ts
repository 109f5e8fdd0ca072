/**
 * Opening a log file in the data folder for appending, whatever was left at
 * its name: a pipe nobody reads (a plain open would block the command for
 * ever, before it can even be interrupted), a device, a folder, or a symbolic
 * link planted to make shelfwise append to a file elsewhere. Only a regular
 * file of that very name is opened; anything else throws, and every log is
 * best effort, so its lines are then dropped.
 */
import fs from "node:fs";

const { O_WRONLY, O_APPEND, O_CREAT, O_NONBLOCK, O_NOFOLLOW } = fs.constants;

/**
 * An append-only descriptor of `file`, a regular file (created when missing, unless `create` is false: then a
 * missing file throws ENOENT); throws otherwise.
 */
export function openLogForAppend(file: string, create = true): number {
  const fd = fs.openSync(file, O_WRONLY | O_APPEND | (create ? O_CREAT : 0) | O_NONBLOCK | O_NOFOLLOW, 0o666);
  try {
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: "EINVAL", path: file });
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  return fd;
}

/** Appends `text` to the log `file` when it can; false when the line was dropped. */
export function appendToLog(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openLogForAppend(file);
  } catch {
    return false;
  }
  return writeAndClose(fd, text);
}

/** Writes `text` to an open log and closes it; false when the line was dropped (a full disk). */
export function writeAndClose(fd: number, text: string): boolean {
  try {
    fs.writeSync(fd, text);
    return true;
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}
