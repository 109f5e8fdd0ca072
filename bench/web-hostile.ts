/**
 * The web app at scale against hostile names, in chromium: N books (default 20,000) whose folders, tags and
 * evidence hold markup (`<script>`, `"><img onerror>`, `<svg onload>`), bidi overrides, zero-width joiners, 255-byte
 * names, names that are valid JSON or HTML entities, `%2e%2e/`, emoji ZWJ sequences and control characters (no NUL),
 * real folders on disk. Every page (dashboard, books list with search and sort, a book's page and its correct form,
 * review with its history, plugins, health, settings) is opened: nothing may run (a `window.__pwned` set, an
 * element made from a value), every direction control is confined, and a search for each hostile value finds its
 * books. Times the books list's first paint (navigation to the first row drawn) and a search (typed and submitted
 * to the rows drawn), p50/p95 of `--runs` each. Exits 1 on any finding.
 *
 *   npx tsx bench/web-hostile.ts [--books N] [--runs N]   (needs `npm run build`: the pages are dist's)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { openDatabase } from "../src/store/database.js";
import { syncBookSearch } from "../src/store/book-queries.js";
import { writeProfile } from "../src/store/book-profiles.js";
import { ShelfService } from "../src/server/service.js";
import { buildServer } from "../src/server/server.js";
import { unconfinedControls } from "../test/browser/bidi-controls.js";
// The browser the page tests drive, with their flags: the timings are of those pages, not of chromium's omnibox
// renderer and background services.
import { CHROMIUM, CHROMIUM_ARGS } from "../test/browser/chromium-start.js";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const BOOKS = arg("books", 20_000);
const RUNS = arg("runs", 10);
/** Each a name a user's folder or a tag may hold; `n` tells which ran, should one run. */
const MARKUP = (n: number) => [`<script>window.__pwned=${n}</script>`, `"><img src=x onerror=window.__pwned=${n + 100}>`, `<svg onload=window.__pwned=${n + 200}>`];
const HOSTILE = [
  ...MARKUP(1),
  "\u202Egnp.exe",
  "Zero\u200DWidth\u200CJoiner",
  '{"author":"json","n":[1,2]}',
  "&lt;b&gt;Entity&amp;amp;&#x3C;i&#x3E;",
  "%2e%2e%2f%2e%2e%2fetc",
  "Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466} Emoji",
  "Bell\u0007Esc\u001b[31mRed\u007fDel\u0085Nel",
  "javascript:window.__pwned=9",
  "100% _under_ \\back 'q' \"dq\"",
];
/** A folder name of exactly 255 bytes (the most a Linux file system takes), ending in two-byte letters. */
const LONG = "L".repeat(241) + "é".repeat(7);

const root = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-hostile-"));
const dataDir = path.join(root, "data");
const library = path.join(root, "library");

/** A folder name may hold no `/`: the tag keeps it. */
const folderName = (value: string) => value.replaceAll("/", "\u2215");

function seed(): void {
  const started = performance.now();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, "config.json"), JSON.stringify({ library_paths: [library] }));
  const db = openDatabase(path.join(dataDir, "shelfwise.db"));
  const now = new Date().toISOString();
  const insert = db.prepare(
    `INSERT INTO books (path, kind, library_root, status, author, title, narrator, series, series_num, year, language, confidence, fingerprint, files, created_at, updated_at, scanned_at)
     VALUES (?, 'folder', ?, 'identified', ?, ?, ?, ?, ?, NULL, 'en', 80, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < BOOKS; i++) {
      const h = HOSTILE[i % HOSTILE.length]!;
      const author = `${HOSTILE[(i + 3) % HOSTILE.length]} ${i % 500}`;
      const title = i % 97 === 0 ? LONG : `${h} ${i}`;
      const series = i % 3 === 0 ? `${HOSTILE[(i + 5) % HOSTILE.length]} Saga` : null;
      const folder = path.join(library, folderName(author), folderName(title));
      fs.mkdirSync(folder, { recursive: true });
      const profile = {
        version: 1,
        evidence: {
          author: [{ source: "path", value: author, weight: 60, basis: `folder ${h}` }],
          title: [{ source: "embedded_tags", value: title, weight: 80 }],
          ...(series ? { series: [{ source: "sidecar", value: series, weight: 70 }], series_num: [{ source: "sidecar", value: String(1 + (i % 9)), weight: 70 }] } : {}),
          narrator: [{ source: "embedded_tags", value: `${HOSTILE[(i + 7) % HOSTILE.length]} reads`, weight: 60 }],
        },
        rejected: [{ source: "sidecar", field: "year", value: h, reason: "not a year" }],
      };
      const { lastInsertRowid } = insert.run(folder, library, author, title, null, series, series ? String(1 + (i % 9)) : null, `fp${i}`, JSON.stringify([{ path: path.join(folder, "01.mp3"), size: 1000 }]), now, now, now);
      writeProfile(db, Number(lastInsertRowid), JSON.stringify(profile));
    }
  })();
  syncBookSearch(db);
  db.close();
  console.log(`seeded ${BOOKS} books (folders on disk) in ${Math.round(performance.now() - started)} ms`);
}

const findings: string[] = [];

async function checkPage(page: Page, where: string): Promise<void> {
  const pwned = await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);
  if (pwned !== undefined) findings.push(`${where}: markup ran (__pwned=${pwned})`);
  const made = await page.locator("main img, main script, main svg:not([aria-hidden]), main iframe, main object").count();
  if (made > 0) findings.push(`${where}: ${made} element(s) made from a value`);
  const badLinks = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")!).filter((h) => /^\s*javascript:/i.test(h)));
  if (badLinks.length > 0) findings.push(`${where}: javascript: links ${badLinks.join(", ")}`);
  const unconfined = await unconfinedControls(page);
  if (unconfined.length > 0) findings.push(`${where}: unconfined direction controls: ${unconfined.slice(0, 3).join("; ")}`);
  const title = await page.title();
  if (/[\u202A-\u202E\u2066-\u2069]/.test(title)) findings.push(`${where}: a direction control in the window's title`);
}

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length - 1) * p))]!;

async function main(): Promise<void> {
  seed();
  const opened = performance.now();
  const service = await ShelfService.open(dataDir, { autoRun: false, watch: false });
  console.log(`server opened (books judged at open) in ${Math.round(performance.now() - opened)} ms`);
  const app = await buildServer(service, { host: "127.0.0.1", token: null });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  // A settings change while the server runs: every book judged again, a page of 1,000 at a time; the books list
  // asked meanwhile, one request after another, as an open page would.
  {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const saved = await fetch(`${base}/api/settings`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ values: { confidence_threshold: 70 } }) });
    if (saved.status !== 200) findings.push(`settings save: ${saved.status} ${await saved.text()}`);
    let done = false;
    const judged = service.judged().then(() => (done = true));
    const waits: number[] = [];
    while (!done) {
      const asked = performance.now();
      await fetch(`${base}/api/books?limit=50&sort=title`);
      waits.push(performance.now() - asked);
    }
    await judged;
    const used = process.cpuUsage(cpu);
    console.log(`confidence_threshold changed: ${BOOKS} books judged again in ${Math.round(performance.now() - t0)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU (this process: server and client); ${waits.length} list requests answered meanwhile, p50 ${Math.round(pct(waits, 0.5))} ms, max ${Math.round(Math.max(...waits))} ms`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on("dialog", (dialog) => {
    findings.push(`a dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => findings.push(`page error: ${error.message}`));
  try {
    const go = async (hash: string) => {
      await page.goto(`${base}/${hash}`);
      await page.locator("main h1").first().waitFor();
    };
    for (const hash of ["#/", "#/plugins", "#/health", "#/settings", "#/pipeline", "#/review"]) {
      await go(hash);
      await page.waitForLoadState("networkidle");
      await checkPage(page, hash);
    }
    // The books list: first paint, each sort, a search for every hostile value.
    const firstPaint: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto("about:blank");
      const t0 = performance.now();
      await page.goto(`${base}/#/books`);
      await page.locator("table.books tbody tr").first().waitFor();
      firstPaint.push(performance.now() - t0);
    }
    await checkPage(page, "#/books");
    for (const sort of ["status", "confidence", "author", "title", "series", "narrator", "year", "language", "path"]) {
      for (const order of ["", "&order=desc"]) {
        await go(`#/books?sort=${sort}${order}`);
        await page.locator("table.books tbody tr").first().waitFor();
        await checkPage(page, `#/books?sort=${sort}${order}`);
      }
    }
    const searches: number[] = [];
    const terms = [...HOSTILE, LONG.slice(0, 120), "\u{1F468}\u200D\u{1F469}", "%2e%2e", "&lt;b&gt;", '"n":[1,2]', "\u200D"];
    for (let run = 0; run < Math.max(1, Math.ceil(RUNS / terms.length)); run++) {
      for (const term of terms) {
        await go("#/books");
        await page.locator("table.books tbody tr").first().waitFor();
        const box = page.getByRole("searchbox", { name: "Search" });
        await box.fill(term.slice(0, 200));
        const t0 = performance.now();
        await box.press("Enter");
        await page.waitForFunction((text) => location.hash.includes("text=") && !document.querySelector("table.books[aria-busy=true]") && (document.querySelector("table.books tbody tr") !== null || document.querySelector("[data-empty]") !== null) && new URLSearchParams(location.hash.split("?")[1]).get("text") === text, term.slice(0, 200), { timeout: 20_000 }).catch(async () => {
          findings.push(`search ${JSON.stringify(term)}: no answer drawn in 20 s (address ${await page.evaluate(() => location.hash)}; ${await page.locator("main").innerText().then((t) => t.slice(0, 300))})`);
        });
        searches.push(performance.now() - t0);
        const rows = await page.locator("table.books tbody tr").count();
        if (rows === 0) findings.push(`search ${JSON.stringify(term)}: no book found`);
        await checkPage(page, `search ${JSON.stringify(term)}`);
      }
    }
    // A book's page of each kind of name, then its correct form open.
    for (let i = 0; i < HOSTILE.length; i++) {
      await go(`#/books/${i + 1}`);
      await page.locator("main h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      await checkPage(page, `#/books/${i + 1}`);
    }
    await go("#/books/1");
    // The correct form of the title, prefilled with the hostile value.
    await page.getByRole("button", { name: "Correct title" }).click();
    await page.locator("main form").first().waitFor();
    await checkPage(page, "#/books/1 form");
    console.log(`books list first paint at ${BOOKS} books: p50 ${Math.round(pct(firstPaint, 0.5))} ms, p95 ${Math.round(pct(firstPaint, 0.95))} ms (${firstPaint.length} runs)`);
    console.log(`search (Enter to the rows drawn): p50 ${Math.round(pct(searches, 0.5))} ms, p95 ${Math.round(pct(searches, 0.95))} ms (${searches.length} searches)`);
    // The Review page with proposals of hostile names (their statuses as judged at open), and an apply's failures
    // listed (the seeded folders hold no audio: an apply refuses them, naming each path).
    const ids = Array.from({ length: HOSTILE.length * 2 }, (_, i) => i + 1);
    const applied = await fetch(`${base}/api/apply`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids }) });
    if (applied.status !== 202) findings.push(`apply of ${ids.length} books: ${applied.status} ${await applied.text()}`);
    await service.idle();
    await go("#/review?status=needs_attention");
    await page.locator("table.plan tbody tr").first().waitFor({ timeout: 120_000 });
    await page.waitForLoadState("networkidle");
    await checkPage(page, "#/review with proposals and an apply's failures");
  } finally {
    await browser.close();
    await app.close();
    await service.close();
    if (!process.argv.includes("--keep")) fs.rmSync(root, { recursive: true, force: true });
  }
  if (findings.length > 0) {
    console.log(`FINDINGS (${findings.length}):\n${[...new Set(findings)].join("\n")}`);
    process.exitCode = 1;
  } else console.log("no findings: every value shown as text");
}

await main();
