import { describe, expect, it } from "vitest";
import { audioExtension, isDiscFolderName, isSidecarName, isSkippedName, looksLikeOneBook } from "../../src/library/book-detect.js";

describe("audioExtension", () => {
  it.each([
    ["01.mp3", "mp3"],
    ["Book.M4B", "m4b"],
    ["a.m4a", "m4a"],
    ["a.AAC", "aac"],
    ["a.flac", "flac"],
    ["a.Ogg", "ogg"],
    ["a.opus", "opus"],
    ["a.WMA", "wma"],
    ["a.wav", "wav"],
    ["cover.jpg", undefined],
    ["book.cue", undefined],
    ["mp3", undefined],
    [".mp3", undefined],
    ["notes.mp3.txt", undefined],
    ["a.mp3x", undefined],
  ])("%j -> %j", (name, ext) => {
    expect(audioExtension(name)).toBe(ext);
  });
});

describe("isSidecarName", () => {
  it.each([
    ["metadata.json", true],
    ["Metadata.JSON", true],
    ["book.json", true],
    ["info.txt", true],
    ["INFO.TXT", true],
    ["reader.txt", true],
    ["Dune.opf", true],
    ["release.nfo", true],
    ["notes.txt", false],
    ["chapters.json", false],
  ])("%s: %s", (name, sidecar) => {
    expect(isSidecarName(name)).toBe(sidecar);
  });
});

describe("isDiscFolderName", () => {
  it.each([
    ["CD1", true],
    ["cd 2", true],
    ["CD_03", true],
    ["Disc 2", true],
    ["Disk 3", true],
    ["DISC-04", true],
    ["Part 3", true],
    ["Part II", true],
    ["Pt 1", true],
    ["Pt. 2", true],
    ["Side A", true],
    ["side b", true],
    ["Disc 1 of 2", true],
    ["(Disc 3)", true],
    ["The Hobbit - CD1", true],
    ["The Hobbit (Disc 2)", true],
    ["Vol 1", false],
    ["Volume 2", false],
    ["Discovery 1", false],
    ["Side Effects", false],
    ["Partners 2", false],
    ["ABCD1", false],
    ["The Hobbit - Part 1", false],
    ["Book 2", false],
    ["CD", false],
    ["ディスク1", true],
    ["射雕英雄传 光盘2", true],
    ["디스크 3", true],
    ["射雕英雄传 第一卷", false],
    // Other languages, totals, zero-padding, roman numerals, sides and tapes.
    ["Teil 1", true],
    ["Teil 2 von 3", true],
    ["Parte 1", true],
    ["Partie 2", true],
    ["Partie II", true],
    ["Disque 1", true],
    ["Disque 2 sur 3", true],
    ["Disco 2", true],
    ["Disco 1 de 3", true],
    ["Schijf 1", true],
    ["Schijf 1 van 2", true],
    ["Skiva 2", true],
    ["CD 1 von 3", true],
    ["Disc 1 of 12", true],
    ["Part 01", true],
    ["Part II", true],
    ["(Teil 3)", true],
    ["Side B", true],
    ["Seite B", true],
    ["Face A", true],
    ["Tape 1", true],
    ["Cassette 2", true],
    ["Kassette 3", true],
    ["Le Hobbit - Disque 1", true],
    ["De Hobbit (Schijf 2)", true],
    // A title before a part word, or a part word with a title after it, is a book of its own.
    ["Part 1 - The Gathering Storm", false],
    ["Teil 1 - Die Rückkehr", false],
    ["Die Therapie - Teil 1", false],
    ["Saturday Night Disco 2", false],
    ["Mixtape 1", false],
    ["Facebook 2", false],
    ["Teilchen 1", false],
    // Words of a series position, not of a piece: a book each.
    ["Deel 1", false],
    ["Band 2", false],
    ["Kapitel 1", false],
  ])("%j -> %s", (name, expected) => {
    expect(isDiscFolderName(name)).toBe(expected);
  });
});

describe("isSkippedName", () => {
  it.each([
    [".hidden", true],
    [".Trash-1000", true],
    ["._01.mp3", true],
    ["@eaDir", true],
    ["#recycle", true],
    ["__MACOSX", true],
    ["$RECYCLE.BIN", true],
    ["$Recycle.Bin", true],
    ["System Volume Information", true],
    ["lost+found", true],
    ["Author", false],
    ["eaDir", false],
    ["recycle", false],
  ])("%j -> %s", (name, expected) => {
    expect(isSkippedName(name)).toBe(expected);
  });
});

describe("looksLikeOneBook", () => {
  it.each<[string, string[], boolean]>([
    ["one file", ["Dune.m4b"], true],
    ["numbered tracks", ["01.mp3", "02.mp3", "03.mp3"], true],
    ["numbered chapter titles", ["01 - Intro.mp3", "02 - The Road.mp3", "03 - Home.mp3"], true],
    ["title then track", ["Dune 01.mp3", "Dune 02.mp3"], true],
    ["chapter words", ["Chapter One 1.mp3", "Chapter 2 - Away.mp3", "Epilogue.mp3"], true],
    ["m4b parts of one title", ["Dune Part 1.m4b", "Dune Part 2.m4b"], true],
    ["distinct m4b books", ["Dune.m4b", "Emma.m4b"], false],
    ["numbered distinct m4b books", ["1 - Dune.m4b", "2 - Dune Messiah.m4b"], false],
    ["distinct unnumbered mp3 books", ["Dune.mp3", "Emma.mp3", "Ulysses.mp3"], false],
    ["years are not tracks", ["Dune (1965).mp3", "Emma (1815).mp3"], false],
    ["mostly unnumbered", ["Dune.mp3", "Emma.mp3", "Ulysses 2.mp3"], false],
    ["Chinese episodes with their names", ["第001集 风雪惊变.mp3", "第002集 江南七怪.mp3", "第003集 黄沙莽莽.mp3"], true],
    ["Japanese chapters with their names", ["第一章 僕.mp3", "第二章 直子.mp3"], true],
    ["Korean episodes", ["제1화 시작.mp3", "제2화 만남.mp3"], true],
    ["Chinese books of one writer", ["射雕英雄传.mp3", "天龙八部.mp3", "笑傲江湖.mp3"], false],
  ])("%s", (_label, names, expected) => {
    expect(looksLikeOneBook(names)).toBe(expected);
  });
});
