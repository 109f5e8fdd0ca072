/** One table row of a path reading: the fields named in the expected value are compared, the others ignored. */
import { expect } from "vitest";
import { readPath, type PathHints } from "../../src/domain/path-analysis.js";

export type Row = [path: string, expected: PathHints & { doubtful?: string[] }];

export function check(path: string, expected: Row[1]): void {
  const { hints, doubtful } = readPath(path, { isFile: /\.(?:mp3|m4b|m4a|flac|ogg|opus)$/i.test(path) });
  const got = hints as Record<string, string | undefined>;
  const picked: Record<string, unknown> = Object.fromEntries(Object.keys(expected).filter((k) => k !== "doubtful").map((k) => [k, got[k]]));
  if (expected.doubtful !== undefined) picked.doubtful = [...doubtful];
  expect(picked).toEqual(expected);
}
