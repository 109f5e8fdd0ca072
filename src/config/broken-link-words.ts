/**
 * A folder given as a path that is a symbolic link leading nowhere: "does not exist" (or, making a data folder
 * there, "gone while shelfwise ran") would send the user looking for a typo, when the link is what to fix
 * (a drive not mounted behind it, a link made to itself).
 */
import fs from "node:fs";
import path from "node:path";

/** How `p` fails as a folder because of a link, in words following its path ("X is a symbolic link ..."); null otherwise. */
export function brokenLinkWords(p: string): string | null {
  let code: string;
  try {
    fs.statSync(p);
    return null;
  } catch (error) {
    code = (error as NodeJS.ErrnoException).code ?? "";
  }
  let link: fs.Stats | undefined;
  try {
    link = fs.lstatSync(p);
  } catch {
    // Not there itself: only a loop on the way is about links.
  }
  if (code === "ELOOP") {
    return link?.isSymbolicLink()
      ? "is a symbolic link that leads back to itself (a link loop): make it point at a folder, or give the folder itself"
      : "lies below a symbolic link that leads back to itself (a link loop): make that link point at a folder, or give the folder itself";
  }
  if (code !== "ENOENT") return null;
  if (link?.isSymbolicLink()) {
    const target = linkTarget(p);
    return target === null ? null : `is a symbolic link to ${target}, which does not exist (a drive not mounted? the folder moved?): mount or restore it, or give the folder itself`;
  }
  if (link) return null;
  // Not there: `--data-dir ~/usb/shelfwise` with ~/usb a link to a drive not mounted is the link's fault too.
  for (let above = path.dirname(p); above !== path.dirname(above); above = path.dirname(above)) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(above);
    } catch {
      continue;
    }
    const target = stat.isSymbolicLink() && !fs.existsSync(above) ? linkTarget(above) : null;
    return target === null ? null : `lies below ${above}, a symbolic link to ${target}, which does not exist (a drive not mounted? the folder moved?): mount or restore it, or give another folder`;
  }
  return null;
}

function linkTarget(link: string): string | null {
  try {
    return fs.readlinkSync(link);
  } catch {
    return null;
  }
}
