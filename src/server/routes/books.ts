import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { bookDetailView } from "../../app/views/index.js";
import { getBook } from "../../store/books.js";
import { clearBookRuns, queryBooks, setBookStatusPending, type BookListRow } from "../../store/book-queries.js";
import { runsForBook } from "../../store/layer-runs.js";
import { joinedReasonNow } from "../../store/given-up-parts.js";
import type { ShelfService } from "../service.js";
import { statusesOf, BOOK_PARTS_FIRST, BookDetailView, BookFilesPage, BookListQuery, BookPage, BookPartsQuery, BookSidecarsPage, ErrorBody, IdParam, JobView, RerunRequest } from "../schemas.js";
import { ApiError } from "../zod-routes.js";

function rowView(row: BookListRow) {
  return {
    id: row.id,
    path: row.path,
    status: row.status as z.infer<typeof BookPage>["books"][number]["status"],
    confidence: Math.round(row.confidence),
    author: row.author,
    title: row.title,
    series: row.series,
    series_num: row.series_num,
    narrator: row.narrator,
    year: row.year,
    language: row.language,
    proposed_path: row.proposed_path,
    locked: row.locked !== 0,
    layer_errors: row.layer_errors === 1,
  };
}

function parseJsonArray<T>(text: string): T[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

const fileOf = (f: { path: string; size: number }) => ({ path: String(f?.path), size: Number(f?.size) || 0 });

function bookRow(service: ShelfService, id: number) {
  const row = getBook(service.session.db, id);
  if (!row) throw new ApiError(404, `no book with id ${id}`);
  return row;
}

export function bookDetail(service: ShelfService, id: number): z.infer<typeof BookDetailView> {
  const db = service.session.db;
  const row = bookRow(service, id);
  const runs = runsForBook(db, id);
  const files = parseJsonArray<{ path: string; size: number }>(row.files);
  const sidecars = parseJsonArray<string>(row.sidecars);
  return {
    ...bookDetailView({ ...row, status_reason: joinedReasonNow(db, row) }, runs),
    locked: row.locked !== 0,
    layer_errors: runs.some((r) => r.status === "error"),
    files_total: files.length,
    files: files.slice(0, BOOK_PARTS_FIRST).map(fileOf),
    sidecars_total: sidecars.length,
    sidecars: sidecars.slice(0, BOOK_PARTS_FIRST).map(String),
  };
}

function partsPage(request: { query: unknown }) {
  const q = request.query as z.infer<typeof BookPartsQuery>;
  return { offset: q.offset ?? 0, limit: q.limit ?? 500 };
}

export function bookRoutes(app: FastifyInstance, service: ShelfService): void {
  app.get(
    "/api/books",
    { schema: { querystring: BookListQuery, response: { 200: BookPage, 400: ErrorBody, 503: ErrorBody } }, config: { summary: "Books, paged, searched, filtered and sorted" } },
    async (request) => {
      const q = request.query as z.infer<typeof BookListQuery>;
      const limit = q.limit ?? 50;
      const offset = q.offset ?? 0;
      const ids = q.problem ? await service.diskProblemIds(q.problem) : undefined;
      if (ids === null) throw new ApiError(503, "the disk check did not finish (the books changed meanwhile, or the server is stopping): try again");
      const page = queryBooks(service.session.db, {
        text: q.text,
        statuses: statusesOf(q.status),
        author: q.author,
        series: q.series,
        minConfidence: q.min_confidence,
        maxConfidence: q.max_confidence,
        layerErrors: q.layer_errors,
        ids,
        sort: q.sort,
        descending: q.order === "desc",
        offset,
        limit,
      });
      return { total: page.total, offset, limit, books: page.rows.map(rowView) };
    },
  );

  app.get(
    "/api/books/:id",
    { schema: { params: IdParam, response: { 200: BookDetailView, 400: ErrorBody, 404: ErrorBody } }, config: { summary: "One book: every field with its evidence, rejected values, layers, files" } },
    async (request) => bookDetail(service, (request.params as { id: number }).id),
  );

  app.get(
    "/api/books/:id/files",
    { schema: { params: IdParam, querystring: BookPartsQuery, response: { 200: BookFilesPage, 400: ErrorBody, 404: ErrorBody } }, config: { summary: "One book's files, paged (its page's answer has the first 50)" } },
    async (request) => {
      const files = parseJsonArray<{ path: string; size: number }>(bookRow(service, (request.params as { id: number }).id).files);
      const { offset, limit } = partsPage(request);
      return { total: files.length, offset, limit, files: files.slice(offset, offset + limit).map(fileOf) };
    },
  );

  app.get(
    "/api/books/:id/sidecars",
    { schema: { params: IdParam, querystring: BookPartsQuery, response: { 200: BookSidecarsPage, 400: ErrorBody, 404: ErrorBody } }, config: { summary: "One book's sidecars, paged (its page's answer has the first 50)" } },
    async (request) => {
      const sidecars = parseJsonArray<string>(bookRow(service, (request.params as { id: number }).id).sidecars);
      const { offset, limit } = partsPage(request);
      return { total: sidecars.length, offset, limit, sidecars: sidecars.slice(offset, offset + limit).map(String) };
    },
  );

  app.post(
    "/api/books/:id/rerun",
    { schema: { params: IdParam, body: RerunRequest, response: { 202: JobView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Run layers again for one book (all, or the ones given)" } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const { layers } = request.body as { layers?: string[] };
      if (!getBook(service.session.db, id)) throw new ApiError(404, `no book with id ${id}`);
      if (layers) {
        const known = service.layerRows().rows.map((l) => l.layer_id);
        const unknown = layers.filter((layer) => !known.includes(layer));
        if (unknown.length) throw new ApiError(400, `layers: unknown layer${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; known: ${known.join(", ")}`);
      }
      const before = () => {
        clearBookRuns(service.session.db, id, layers);
        setBookStatusPending(service.session.db, id);
      };
      return reply.code(202).send(service.startProcess({ before }));
    },
  );
}
