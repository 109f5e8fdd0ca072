/**
 * A data folder and its `cp -a` copy sharing one library (the copied data folder the CLI and the web app warn
 * about), with one book scanned and identified and a naming template it is not filed by yet: apply has a move to
 * make. The user's copy of the library is made beside it (`library-copy`), for the copy to be pointed at.
 */
import fs from "node:fs";
import path from "node:path";
import { writeMp3 } from "../../fixtures/audio.js";
import { runCliInProcessOk as runCliOk } from "./cli-in-process.js";
import { makeTempDir } from "./temp-dir.js";

export interface CopiedDataFolder {
  tmp: string;
  lib: string;
  data: string;
  copy: string;
}

export async function makeCopiedDataFolder(prefix: string): Promise<CopiedDataFolder> {
  const tmp = makeTempDir(prefix);
  const lib = path.join(tmp, "library");
  const data = path.join(tmp, "data");
  const copy = path.join(tmp, "data-copy");
  fs.mkdirSync(path.join(lib, "Dean Koontz", "Watchers"), { recursive: true });
  writeMp3(path.join(lib, "Dean Koontz", "Watchers", "01.mp3"), { artist: "Dean Koontz", album: "Watchers" });
  await runCliOk(["init", lib], { dataDir: data });
  const config = path.join(data, "config.json");
  fs.writeFileSync(config, JSON.stringify({ ...JSON.parse(fs.readFileSync(config, "utf8")), naming_template: "{author} - {title}" }));
  await runCliOk(["scan"], { dataDir: data });
  await runCliOk(["process"], { dataDir: data });
  fs.cpSync(data, copy, { recursive: true });
  fs.cpSync(lib, path.join(tmp, "library-copy"), { recursive: true });
  return { tmp, lib, data, copy };
}
