/**
 * A book as the scanner found it. The file list is kept as the book's
 * fingerprint text, one string per book, and turned into objects only when
 * asked: a rescan of an unchanged library never looks at a book's files, and
 * keeping ~100,000 file objects alive through a walk cost a third of the
 * rescan in garbage collection.
 */
import path from "node:path";
import { parseFingerprintText } from "./fingerprint.js";

export interface ScannedFile {
  path: string;
  size: number;
  mtime_ms: number;
}

export class ScannedBook {
  readonly path: string;
  readonly kind: "folder" | "file";
  readonly library_root: string;
  readonly fingerprint: string;
  /**
   * The latest ctime among the book's files: a file rewritten in place with
   * its size and mtime kept (a tag editor that preserves timestamps) leaves
   * the fingerprint as it was but moves this (see store/books.ts applyScan).
   */
  readonly ctime_ms: number;
  /** The folder's stamp taken at the scan (folder-stamp.ts), or null: a folder book's folder is then listed by apply. */
  readonly folder_stamp: string | null;
  readonly #listing: string;
  readonly #audioCount: number;
  #files?: ScannedFile[];
  #sidecars?: ScannedFile[];

  /**
   * @param listing the fingerprint text: the book's audio files, then its sidecars
   * @param audioCount how many of its lines are audio files
   * @param ctimeMs the latest ctime among its files
   * @param folderStamp its folder's stamp (folder books only)
   */
  constructor(bookPath: string, kind: "folder" | "file", libraryRoot: string, fingerprint: string, listing: string, audioCount: number, ctimeMs = 0, folderStamp: string | null = null) {
    this.path = bookPath;
    this.kind = kind;
    this.library_root = libraryRoot;
    this.fingerprint = fingerprint;
    this.#listing = listing;
    this.#audioCount = audioCount;
    this.ctime_ms = ctimeMs;
    this.folder_stamp = folderStamp;
  }

  /** The audio files in playback order (CD2 before CD10, 9 before 10). */
  get files(): ScannedFile[] {
    if (!this.#files) this.#split();
    return this.#files!;
  }

  /**
   * Sidecar files directly in a folder book (metadata.json, metadata.abs,
   * *.opf, desc.txt, reader.txt) and the companions of its audio files (see
   * scan.ts); for a single-file book, its companions.
   */
  get sidecars(): ScannedFile[] {
    if (!this.#sidecars) this.#split();
    return this.#sidecars!;
  }

  /** The fingerprint text itself (each file's name relative to the book, size and mtime): kept with the book, see store/books.ts. */
  get listing(): string {
    return this.#listing;
  }

  toJSON(): object {
    const { path: bookPath, kind, library_root, files, sidecars, fingerprint, ctime_ms } = this;
    return { path: bookPath, kind, library_root, files, sidecars, fingerprint, ctime_ms };
  }

  #split(): void {
    // A single-file book's lines name files beside it: the audio file (the book path itself), then its companions.
    const prefix = this.kind === "file" ? this.path.slice(0, this.path.lastIndexOf(path.sep) + 1) : this.path + path.sep;
    const pathOf = (rel: string): string => prefix + rel;
    const all = parseFingerprintText(this.#listing).map((f) => ({ path: pathOf(f.rel), size: f.size, mtime_ms: f.mtime_ms }));
    this.#files = all.slice(0, this.#audioCount);
    this.#sidecars = all.slice(this.#audioCount);
  }
}
