import { describe, expect, it } from "vitest";
import { unscannableName, unscannablePath } from "../../src/organize/scan-visible.js";

// unscannablePath passes most rendered paths without splitting them: it must hold every path the names' check holds,
// with the same words, wherever the name sits and however it is spelled.
describe("unscannablePath", () => {
  const names = [
    "Jim Butcher", "Saga 3", "Lost Souls", "$ Money", "_Underscored", "#hashtag", "@home", "Sea Stories", "lost+found",
    "LOST+FOUND", "System Volume Information", "$RECYCLE.BIN", "@eaDir", "#recycle", "#Snapshot", "@Recycle", "__MACOSX",
    "CD 1", "Disc 2", "The Hobbit - Disc 2", "Part 3", "Pt. 1", "Side A", "Chocolate", "Partie 1", "Disque 1", "Диск 1",
    "ディスク 2", "光盘 1", "Voyage 3 of the Sea", "01 - Title", "Ünïcode SStory",
  ];

  it("says what unscannableName says of its names, for every arrangement of one to three names", () => {
    let held = 0;
    const differing: string[] = [];
    const check = (p: string, topLevel: boolean) => {
      const found = unscannablePath(p, topLevel);
      if (found !== unscannableName(p.split("/"), topLevel)) differing.push(`${p} (top level: ${topLevel})`);
      if (found !== null) held++;
    };
    for (const a of names) {
      for (const topLevel of [true, false]) {
        check(a, topLevel);
        for (const b of names) {
          check(`${a}/${b}`, topLevel);
          for (const c of ["Title", "lost+found", "CD 2", "Saga 1"]) check(`${a}/${b}/${c}`, topLevel);
        }
      }
    }
    expect(differing).toEqual([]);
    // Both kinds of refusal were met, not only paths passed.
    expect(held).toBeGreaterThan(1000);
    expect(unscannablePath("Saga 3/lost+found/Title", true)).toMatch(/"lost\+found" is a folder name a scan skips/);
    expect(unscannablePath("Jim Butcher/The Hobbit - Disc 2", true)).toMatch(/"The Hobbit - Disc 2" reads to a scan as a disc or part folder/);
    expect(unscannablePath("Jim Butcher/Saga 3/01 - Title", true)).toBeNull();
  });
});
