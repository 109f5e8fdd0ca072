/**
 * A book's page answer carries its first 50 files and sidecars and how many there are; the rest come a page at a
 * time (a book of 20,000 files sent every one of them with each look at its page, which shows 50).
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import * as S from "../../src/server/schemas.js";
import { listBooks } from "../../src/store/books.js";
import { apiClient, closeApi, openApi } from "./inject.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
const { ok, bad, call } = apiClient(() => app);
let id: number;
const FILES = 20_000;

beforeAll(async () => {
  home = createHome({ books: 1 });
  ({ service, app } = await openApi(home, { pages: false }));
  service.startScan();
  await service.idle();
  id = listBooks(service.session.db)[0]!.id;
  // As a scan records a book of 20,000 chapters, without making them on disk.
  const files = Array.from({ length: FILES }, (_, i) => ({ path: `${home.root}/Chapter ${String(i + 1).padStart(5, "0")}.mp3`, size: 1000 + i }));
  const sidecars = Array.from({ length: 120 }, (_, i) => `${home.root}/notes ${i}.txt`);
  service.session.db.prepare("UPDATE books SET files = ?, sidecars = ? WHERE id = ?").run(JSON.stringify(files), JSON.stringify(sidecars), id);
});

afterAll(() => closeApi({ app, service, home }));

describe("a book of 20,000 files", () => {
  it("its page's answer has the first 50 files and sidecars and the totals, not all of them", async () => {
    const response = await call({ method: "GET", url: `/api/books/${id}` });
    expect(response.statusCode).toBe(200);
    expect(response.body.length).toBeLessThan(40_000);
    const book = S.BookDetailView.parse(response.json());
    expect(book.files_total).toBe(FILES);
    expect(book.files).toHaveLength(50);
    expect(book.files[0]!.path).toMatch(/Chapter 00001\.mp3$/);
    expect(book.sidecars_total).toBe(120);
    expect(book.sidecars).toHaveLength(50);
  });

  it("pages the rest with offset and limit, to the end", async () => {
    const page = await ok(S.BookFilesPage, { method: "GET", url: `/api/books/${id}/files?offset=50&limit=5000` });
    expect(page).toMatchObject({ total: FILES, offset: 50, limit: 5000 });
    expect(page.files).toHaveLength(5000);
    expect(page.files[0]).toEqual({ path: expect.stringMatching(/Chapter 00051\.mp3$/), size: 1050 });
    const last = await ok(S.BookFilesPage, { method: "GET", url: `/api/books/${id}/files?offset=19990` });
    expect(last.files.map((f) => f.path.slice(-9))).toEqual(Array.from({ length: 10 }, (_, i) => `${19991 + i}.mp3`));
    const beyond = await ok(S.BookFilesPage, { method: "GET", url: `/api/books/${id}/files?offset=30000` });
    expect(beyond).toMatchObject({ total: FILES, files: [] });
    const sidecars = await ok(S.BookSidecarsPage, { method: "GET", url: `/api/books/${id}/sidecars?offset=100` });
    expect(sidecars.sidecars).toHaveLength(20);
    expect(sidecars.total).toBe(120);
  });

  it("refuses a page too large or a book that is not there, saying what to send", async () => {
    await bad({ method: "GET", url: `/api/books/${id}/files?limit=50000` }, 400, /query\.limit: /);
    await bad({ method: "GET", url: `/api/books/${id}/files?offset=-1` }, 400, /query\.offset: /);
    await bad({ method: "GET", url: `/api/books/${id}/files?page=2` }, 400, /Unrecognized key/);
    await bad({ method: "GET", url: `/api/books/99999/files` }, 404, /no book with id 99999/);
    await bad({ method: "GET", url: `/api/books/99999/sidecars` }, 404, /no book with id 99999/);
  });
});
