import { describe, expect, it } from "vitest";
import { AUDIO_EXTENSIONS, audioExtension, stripAudioExtension } from "../../src/domain/audio-extensions.js";
import { isAtOrInside, isInside } from "../../src/domain/path-inside.js";

describe("audio extensions", () => {
  it("audiobook formats count, video containers and look-alikes do not", () => {
    for (const name of ["a.aax", "a.OPUS", "b.m4b", "c.wv", "d.aiff"]) expect(audioExtension(name)).toBeDefined();
    for (const name of ["film.mp4", "clip.webm", "a.mp3.part", ".m4b", "notes.txt", "a.aiffx"]) expect(audioExtension(name)).toBeUndefined();
  });

  it("stripping removes only a known audio extension", () => {
    expect(stripAudioExtension("The Hobbit.M4B")).toBe("The Hobbit");
    expect(stripAudioExtension("Dr. No")).toBe("Dr. No");
    expect(stripAudioExtension("Vol. 2.mp3")).toBe("Vol. 2");
    for (const ext of AUDIO_EXTENSIONS) expect(stripAudioExtension(`x.${ext}`)).toBe("x");
  });
});

describe("path containment", () => {
  it("tells below, equal and beside apart, including look-alike prefixes", () => {
    expect(isInside("/lib/a/b", "/lib/a")).toBe(true);
    expect(isInside("/lib/a", "/lib/a")).toBe(false);
    expect(isAtOrInside("/lib/a", "/lib/a")).toBe(true);
    expect(isInside("/lib/ab", "/lib/a")).toBe(false);
    expect(isInside("/lib/..a/x", "/lib")).toBe(true);
    expect(isInside("/lib", "/lib/a")).toBe(false);
    expect(isAtOrInside("/other", "/lib")).toBe(false);
  });
});
