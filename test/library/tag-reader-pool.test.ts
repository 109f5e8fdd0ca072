/**
 * The tag-reader threads: the same tags as an inline read, and a file that
 * would spin a parser for minutes or eat the heap is stopped on its own,
 * while the rest of the process runs on.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { audioBytes } from "../../fixtures/audio.js";
import { readFileTags } from "../../src/library/file-tags.js";
import { defaultWorkerSource, TagReaderPool, type WorkerSource } from "../../src/library/tag-reader-pool.js";
import { readBookTags } from "../../src/library/tags.js";
import { createEmbeddedTagsLayer } from "../../src/pipeline/layers/embedded-tags-layer.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let dir: string;
let seq = 0;
const pools: TagReaderPool[] = [];
beforeAll(() => {
  dir = makeTempDir("tag-pool");
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(() => removeTempDir(dir));

function pool(options: Partial<ConstructorParameters<typeof TagReaderPool>[0]> = {}): TagReaderPool {
  const made = new TagReaderPool({ size: 2, ...options });
  pools.push(made);
  return made;
}

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, `${++seq}-${name}`);
  fs.writeFileSync(file, bytes);
  return file;
}

/**
 * The time limit for a file in these tests: far below the minutes a crafted file takes, and above what a
 * good file's read takes (1.5 s of wall time stopped a fresh thread's first read at a load average of 70,
 * when the limit was of wall time; it is of the thread's CPU time now, and a good file's read takes a few
 * ms of it; its time awake, three limits, is what a loaded machine stretches). Each crafted file spins a
 * thread this long, then twice as long on its second try. 200 ms rather than a round second (or the 500 ms
 * before): each crafted file's spin is CPU taken from the files beside this one (the suite is CPU-bound),
 * and a good file stopped once on a loaded machine is read again alone with the longer limit. This file
 * runs in a process of its own (not among vitest.config.ts's SHARED): another file's synchronous work there
 * held the event loop past the limit, and the pool's timer then fired before the thread's answer was read (the pool now reads waiting answers first: the "main thread is busy" test).
 */
const LIMIT_MS = 200;
/** The second try's limit: a good file wrongly stopped once (a loaded machine) still has its tags read. */
const RETRY_MS = 2 * LIMIT_MS;

/**
 * How a stop at a limit of `ms` reads (in whole seconds, tenths under one, as the pool words it): of processor time (Linux), of time (elsewhere), or, when the thread
 * was awake three limits without that much CPU (on a loaded machine its reads wait on libuv's thread pool),
 * of time awake. Every form is a stop at that limit; which one depends on the load.
 */
function stop(ms: number): string {
  const s = (at: number) => String(at < 1000 ? Math.round(at / 100) / 10 : Math.round(at / 1000)).replace(".", "\\.");
  return `over (${s(ms)} s( of processor time)?|${s(3 * ms)} s \\(most of it waiting to read the file, not parsing\\))`;
}

const TAGS = { title: "Chapter 1", album: "Piranesi", artist: "Susanna Clarke", narrator: "Chiwetel Ejiofor", year: "2020" };

function flacHead(): Buffer[] {
  const info = Buffer.alloc(34);
  info.writeUInt16BE(4096, 0);
  info.writeUInt16BE(4096, 2);
  info.writeBigUInt64BE((44_100n << 44n) | (15n << 36n) | 4096n, 10);
  return [Buffer.from("fLaC"), blockHeader(0, false, 34), info];
}

function blockHeader(type: number, last: boolean, length: number): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(length);
  head[0] = (last ? 0x80 : 0) | type;
  return head;
}

/** A 4 MB FLAC of a million empty padding blocks: music-metadata reads them one by one (minutes). */
function flacOfEmptyBlocks(): Buffer {
  const blocks = Buffer.alloc(4 * 1_000_000);
  for (let at = 0; at < blocks.length; at += 4) blocks[at] = 1; // PADDING, length 0
  return Buffer.concat([...flacHead(), blocks, blockHeader(1, true, 0)]);
}

/**
 * Holds the main thread without using a CPU (the other test files run beside this one): no timer, no
 * message is handled meanwhile, as during a long synchronous step or a GC pause.
 */
function blockMainThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The real tag-reader thread, which first adds a line to `starts` (the threads started can be counted); when
 * `tellsTid` is false, its ready message leaves out its kernel id, as on a platform without /proc, so the
 * pool counts wall time. With `hold`, its answer for a FLAC file waits until the file `hold.release` exists
 * (its read is the real one), and the file `hold.answered` is written once that answer is sent: the test decides
 * when the answer comes, whatever the load makes of the read's time.
 */
async function countedWorker(starts: string, tellsTid: boolean, hold?: { release: string; answered: string }): Promise<WorkerSource> {
  const real = await defaultWorkerSource();
  const code = `
    const fs = require("node:fs");
    const { parentPort } = require("node:worker_threads");
    fs.appendFileSync(${JSON.stringify(starts)}, "started\\n");
    const hold = ${JSON.stringify(hold ?? null)};
    const post = parentPort.postMessage.bind(parentPort);
    // With hold, a file's "started" goes out with the thread's next answer sent at once, stamped then: the held
    // file's clock starts when the other file's answer leaves, not while that file is read (at a load average of
    // 25 the good file's read alone outlasted a 750 ms limit of wall time, and the held file was rightly blamed).
    const unsent = [];
    parentPort.postMessage = (message, ...rest) => {
      if (message && message.ready && !${tellsTid}) {
        const { tid, ...told } = message;
        return post(told, ...rest);
      }
      if (hold && message && typeof message.started === "number") {
        unsent.push(message);
        return;
      }
      if (hold && message && message.tags && message.tags.meta.format.container === "FLAC") {
        // Polled, not waited for: the thread's other reads answer meanwhile. (No listener of its own: one
        // added before the real code's would take the jobs sent before that code is loaded.)
        const poll = setInterval(() => {
          if (!fs.existsSync(hold.release)) return;
          clearInterval(poll);
          post(message, ...rest);
          fs.writeFileSync(hold.answered, "");
        }, 5);
        return;
      }
      if (message && message.id !== undefined) {
        for (const started of unsent.splice(0)) post({ ...started, at: performance.timeOrigin + performance.now() });
      }
      return post(message, ...rest);
    };
    import(${JSON.stringify(String(real.code))});`;
  return { code, eval: true };
}

/**
 * A FLAC whose comment block holds `n` entries, read in one piece and parsed in memory: half a million (4.5 MB)
 * make hundreds of MB of tag objects; 20,000 take about 0.2 s of CPU to parse, nearly all of it the reading
 * thread's own (a padded file's thousands of 4-byte reads run on libuv's threads instead).
 */
/**
 * An MP3 whose ID3v2.3 tag holds `n` TXXX frames, each of its own description: the parser reads every one (~0.5 s of
 * CPU for 20,000, ~5 s and over 50 MB of heap for 500,000). (A FLAC of one comment repeated was this file's hungry
 * file until the comment list was bounded before the parse, vorbis-comments.ts.)
 */
function mp3OfManyFrames(n = 500_000): Buffer {
  const frames: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const data = Buffer.from(`\0K${i}\0abc`, "latin1");
    const head = Buffer.alloc(10);
    head.write("TXXX", 0, "latin1");
    head.writeUInt32BE(data.length, 4);
    frames.push(head, data);
  }
  const body = Buffer.concat(frames);
  const size = body.length;
  const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, (size >>> 21) & 0x7f, (size >>> 14) & 0x7f, (size >>> 7) & 0x7f, size & 0x7f]);
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat([header, body, frame, frame, frame]);
}

/**
 * An MP3 whose ID3v2.3 tag holds 1,100 TXXX frames of 16 KB of text each (~18 MB): the bounds before the parse
 * (id3-value-bound.ts) keep its first 16 MB, which the parser makes strings of. (500,000 small frames were this
 * file's hungry file until their count was bounded too.) Past the bound by a little, not by 48 MB: the 64 MB this file
 * was cost ~1 CPU-s more to build and write and twice the case's wall, for the same 16 MB parsed
 * (docs/performance-log.md, atests44).
 */
function mp3OfLongFrames(): Buffer {
  const value = "y".repeat(16 * 1024);
  const frames = Array.from({ length: 1100 }, (_, i) => `TXXX${String.fromCharCode(0, 0, (Buffer.byteLength(`K${i}`) + 2 + value.length) >>> 8, (Buffer.byteLength(`K${i}`) + 2 + value.length) & 0xff, 0, 0)}\0K${i}\0${value}`);
  const body = Buffer.from(frames.join(""), "latin1");
  const size = body.length;
  const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, (size >>> 21) & 0x7f, (size >>> 14) & 0x7f, (size >>> 7) & 0x7f, size & 0x7f]);
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat([header, body, frame, frame, frame]);
}

describe("TagReaderPool", () => {
  // One pool for the three formats (a thread's start is ~0.2 CPU-s): each file is read by a thread as it is inline.
  let formats: TagReaderPool | undefined;
  afterAll(() => formats?.close());
  it.each(["mp3", "m4b", "flac"] as const)("reads a %s file's tags as an inline read does", async (format) => {
    const file = write(`book.${format}`, audioBytes(format, TAGS));
    const readers = (formats ??= new TagReaderPool({ size: 2 }));
    const inThread = await readers.read(file);
    const inline = await readFileTags(file);
    expect(inThread.meta.common).toEqual(inline.meta.common);
    expect(inThread.meta.native).toEqual(inline.meta.native);
    expect(await readBookTags([file], undefined, (f, s) => readers.read(f, s))).toEqual(await readBookTags([file]));
  });

  it("an error in a file comes back as that file's error, and the thread goes on", async () => {
    const readers = pool({ size: 1 });
    await expect(readers.read(path.join(dir, "nope.mp3"))).rejects.toThrow(/cannot read tags of .*nope\.mp3/);
    const file = write("ok.mp3", audioBytes("mp3", TAGS));
    expect((await readers.read(file)).meta.common.album).toBe("Piranesi");
  });

  it("a run of a file or two starts one thread; more files in flight than a thread holds start the others", async () => {
    // The real thread's code, started through a stand-in that first notes each start in a file.
    const starts = path.join(dir, `${++seq}-starts`);
    const real = await defaultWorkerSource();
    const code = `require("node:fs").appendFileSync(${JSON.stringify(starts)}, "x"); import(${JSON.stringify(String(real.code))});`;
    const file = write("book.mp3", audioBytes("mp3", TAGS));
    const threads = () => (fs.existsSync(starts) ? fs.readFileSync(starts, "utf8").length : 0);

    const small = pool({ size: 2, workerSource: { code, eval: true } });
    await Promise.all([small.read(file), small.read(file)]);
    expect(threads()).toBe(1);
    await small.close();

    fs.rmSync(starts, { force: true });
    const big = pool({ size: 2, workerSource: { code, eval: true } });
    const tags = await Promise.all(Array.from({ length: 6 }, () => big.read(file)));
    expect(tags.every((t) => t.meta.common.album === "Piranesi")).toBe(true);
    expect(threads()).toBe(2);
  });

  it("a file that would keep the parser busy for minutes is stopped at the time limit, and again, alone, at the longer one; the process stays responsive and the pool goes on", async () => {
    const readers = pool({ size: 1, fileTimeoutMs: LIMIT_MS });
    const good = write("good.mp3", audioBytes("mp3", TAGS));
    await readers.read(good); // the thread is up: the limit below measures the file alone
    const slow = write("slow.flac", flacOfEmptyBlocks());
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const started = performance.now();
    try {
      // The limits are of processor time where the kernel tells a thread's (Linux), else of time.
      await expect(readers.read(slow)).rejects.toThrow(
        new RegExp(`^cannot read tags of ${slow}: reading was stopped twice: after ${stop(LIMIT_MS)}, then, read alone, after ${stop(2 * LIMIT_MS)} \\(a damaged or crafted file\\?\\)$`),
      );
    } finally {
      clearInterval(ticker);
    }
    // Unbounded, the parse runs for minutes; the error above names the limits (0.2 s, then 0.4 s, of
    // the thread's CPU time). Room for a loaded machine, where the thread gets a share of a CPU.
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(ticks).toBeGreaterThan(5);
    expect((await readers.read(good)).meta.common.album).toBe("Piranesi");
  });

  // The thread's answer must wait, unread, while the main thread is held past the file's limit. Where the kernel
  // tells a thread's CPU time (Linux), a file is only blamed once its thread has been awake AWAKE_LIMITS (3)
  // limits (a thread idle after answering is awake, not waiting for a CPU), so the main thread is held past
  // that; elsewhere the limit is of wall time. Both paths run on Linux: a thread that tells no kernel id (as
  // where /proc is missing) puts the pool on wall time. A wrongly blamed file is read again alone, with the
  // longer limit, and its tags still come back: what shows the blame is the second thread started for it.
  // The second file's answer is held in the thread until the main thread is held, and the main thread is held
  // until that answer is sent, then past the limit: events, not the read's speed (a padded file's read, timed
  // to land in the hold, passed a 500 ms limit of wall time at a load average of 20 and was rightly blamed).
  const paths = [
    // Wall time: the held file's clock starts as the first file's answer leaves (countedWorker), so what the limit
    // must cover is that answer's way to the main thread and the hold's start, not the first file's read.
    { clock: "wall time (no /proc)", tellsTid: false, holdLimits: 1, limit: 750 },
    { clock: "the thread's CPU time", tellsTid: true, holdLimits: 3, limit: 500 },
  ];
  for (const { clock, tellsTid, holdLimits, limit } of paths) {
    it.runIf(!tellsTid || fs.existsSync("/proc/thread-self/schedstat"))(
      `a healthy file is not blamed when the main thread is busy past its time limit while the thread reads it (limit on ${clock})`,
      async () => {
        const starts = path.join(dir, `${++seq}-starts`);
        const hold = { release: path.join(dir, `${seq}-release`), answered: path.join(dir, `${seq}-answered`) };
        const readers = pool({ size: 1, fileTimeoutMs: limit, workerSource: await countedWorker(starts, tellsTid, hold) });
        const good = write("good.mp3", audioBytes("mp3", TAGS));
        await readers.read(good); // the thread is up
        // Both files go to the one thread, which starts both at once. The first answers at once; the second's
        // answer comes while the main thread is held, from outside a message handler (as a scan step or a
        // database write is): the event loop then runs its due timers before it reads the messages that came
        // in meanwhile.
        const other = write("other.flac", audioBytes("flac", TAGS));
        const first = readers.read(good).then(
          (tags) =>
            new Promise<typeof tags>((resolve) =>
              setImmediate(() => {
                fs.writeFileSync(hold.release, "");
                // Bounded: a thread that never answers fails the checks below instead of hanging the file.
                const until = performance.now() + 120_000;
                while (!fs.existsSync(hold.answered) && performance.now() < until) blockMainThread(5);
                blockMainThread(holdLimits * limit + 500);
                resolve(tags);
              }),
            ),
        );
        const second = readers.read(other);
        expect((await first).meta.common.album).toBe("Piranesi");
        const tags = await second;
        expect(tags.meta.format.container).toBe("FLAC");
        expect(tags.meta.common.album).toBe("Piranesi");
        // Before, the waiting answer was not read: the file was blamed, its thread stopped, and the file read
        // again, alone, by a new thread (whose answer hid the blame).
        expect(readers.inline).toBe(false);
        expect(fs.readFileSync(starts, "utf8")).toBe("started\n");
      },
    );
  }

  // Linux: the pool reads a thread's CPU time from /proc. The starving is this process's own: a CPU cgroup
  // allows it a tenth of one CPU (CFS bandwidth), so the thread waits most of its wall time, as on a busy
  // machine, without busy loops that would starve the other test files running beside this one.
  const canStarve = fs.existsSync("/proc/thread-self/schedstat") && cpuCgroupV1() !== null;
  it.runIf(canStarve)("a healthy file is not blamed when its thread is starved of CPU past the limit", async () => {
    const limit = 1000;
    // A third of the limit in CPU: at a tenth of a CPU, about three limits of wall time. The CPU is the reading
    // thread's own: a padded file was flaky at a high load, as each of its ten thousand 4-byte reads waited on
    // libuv's threads, which are starved too, and the thread's time asleep meanwhile counted as time awake, so the
    // read was stopped at three limits awake as if waiting on a dead disk (the next test's case), not a starved CPU.
    const commented = write("commented.mp3", mp3OfManyFrames(20_000));
    const readers = pool({ size: 1, fileTimeoutMs: limit, retryTimeoutMs: limit });
    await readers.read(write("good.mp3", audioBytes("mp3", TAGS))); // the thread is up (loading it starved takes long)
    const release = starveSelf(10);
    try {
      const started = performance.now();
      const tags = await readers.read(commented); // before, this failed: "reading took over 2 s and was stopped"
      expect(tags.meta.format.container).toBe("MPEG");
      // The read was starved past the limit (else this test proves nothing).
      expect(performance.now() - started).toBeGreaterThan(limit);
    } finally {
      release();
    }
  });

  it.runIf(canStarve)("a read that waits without using the CPU (a dead network mount) is still stopped, at three limits", async () => {
    // A stand-in thread that tells its kernel id, as tag-worker.ts does, and never answers, idle (no CPU).
    const code = `
      const fs = require("node:fs");
      const { parentPort } = require("node:worker_threads");
      parentPort.postMessage({ ready: true, tid: Number(fs.readlinkSync("/proc/thread-self").split("/").pop()) });
      parentPort.on("message", (job) => parentPort.postMessage({ started: job.id, at: performance.timeOrigin + performance.now() }));
      setInterval(() => parentPort.postMessage({ alive: true, at: performance.timeOrigin + performance.now() }), 200);`;
    // Idle, the stand-in costs no CPU; the limits only cost wall time: 3 × 200 ms, twice.
    const readers = pool({ size: 1, fileTimeoutMs: 200, retryTimeoutMs: 200, workerSource: { code, eval: true } });
    const started = performance.now();
    await expect(readers.read("hung")).rejects.toThrow(
      "cannot read tags of hung: reading was stopped twice: after over 0.6 s (most of it waiting to read the file, not parsing), then, read alone, after over 0.6 s (most of it waiting to read the file, not parsing) (a damaged or crafted file?)",
    );
    expect(performance.now() - started).toBeGreaterThan(1200);
  });

  it("a file stopped once at the limit is read again, alone, with the longer limit, and its tags are taken", async () => {
    // A stand-in thread: the first read of "slow" is held past the first limit (as a thread starved of CPU
    // would take long); any later read answers at once. It tells no kernel id, so the limit is of time, and
    // the thread is held asleep (Atomics.wait), not spinning: the second of CPU a spin took was the files'
    // beside this one.
    const marker = path.join(dir, `${++seq}-tried`);
    const code = `
      const fs = require("node:fs");
      const { parentPort } = require("node:worker_threads");
      parentPort.postMessage({ ready: true });
      parentPort.on("message", (job) => {
        parentPort.postMessage({ started: job.id });
        if (!fs.existsSync(${JSON.stringify(marker)})) {
          fs.writeFileSync(${JSON.stringify(marker)}, "");
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
        }
        parentPort.postMessage({ id: job.id, tags: { meta: { common: { album: job.file } }, notes: [] } });
      });`;
    const readers = pool({ size: 1, fileTimeoutMs: 250, retryTimeoutMs: 20_000, workerSource: { code, eval: true } });
    expect(await readers.read("slow")).toMatchObject({ meta: { common: { album: "slow" } } });
    expect(fs.existsSync(marker)).toBe(true);
  });

  it("files queued behind a stopped one are read by the next thread, each once", async () => {
    const readers = pool({ size: 1, fileTimeoutMs: LIMIT_MS, retryTimeoutMs: RETRY_MS });
    const good = write("good.mp3", audioBytes("mp3", TAGS));
    await readers.read(good);
    const slow = write("slow.flac", flacOfEmptyBlocks());
    const results = await Promise.allSettled([readers.read(slow), readers.read(good), readers.read(good), readers.read(good)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect((results[0] as PromiseRejectedResult).reason.message).toMatch(new RegExp(`slow\\.flac: reading was stopped twice: after ${stop(LIMIT_MS)}, then, read alone, after ${stop(RETRY_MS)} \\(`));
  });

  it("when a thread is stuck with two files started, neither is blamed until each is read alone", async () => {
    // A stand-in thread: "spin" hangs for ever once started; any other file answers after 200 ms (while nothing hangs).
    // It tells no kernel id, so its limits are of time: it hangs asleep (Atomics.wait, which a stop ends as it
    // ends a spin), not spinning, which cost the files beside this one its limits in CPU (2 s).
    const code = `
      const { parentPort } = require("node:worker_threads");
      parentPort.postMessage({ ready: true });
      parentPort.on("message", (job) => {
        parentPort.postMessage({ started: job.id });
        if (job.file.endsWith("spin")) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
        setTimeout(() => parentPort.postMessage({ id: job.id, tags: { meta: { common: { album: job.file } }, notes: [] } }), 200);
      });`;
    // The hanging file costs its limits in time (0.5 s, 0.5 s alone, 1 s alone again), hence short ones; a
    // thread silent for half the limit is stuck.
    const readers = pool({ size: 1, fileTimeoutMs: 500, workerSource: { code, eval: true }, stuckAfterMs: 250 });
    const started = performance.now();
    const [good, spin] = await Promise.allSettled([readers.read("good"), readers.read("spin")]);
    // The good file was started first, so its clock ran out first: it was suspected, then read alone, and is
    // fine. The hanging one, read alone, was stopped, read alone again with the longer limit, and blamed.
    expect(good).toMatchObject({ status: "fulfilled", value: { meta: { common: { album: "good" } } } });
    expect(spin).toMatchObject({ status: "rejected", reason: { message: "cannot read tags of spin: reading was stopped twice: after over 0.5 s, then, read alone, after over 1 s (a damaged or crafted file?)" } });
    // Unstopped, the hanging thread never ends. Room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(40_000);
  });

  it("a file that would take the heap is stopped at the memory limit; the pool goes on", async () => {
    // Only the memory limit may stop it: at a load average of 70 the default 30 s time limit came first
    // (a heap near its limit spends its time collecting garbage).
    const readers = pool({ size: 1, memoryMb: 16, fileTimeoutMs: 170_000 });
    const hungry = write("hungry.mp3", mp3OfLongFrames());
    await expect(readers.read(hungry)).rejects.toThrow(`cannot read tags of ${hungry}: reading it needed over 16 MB of memory and was stopped (a damaged or crafted file?)`);
    const good = write("good.flac", audioBytes("flac", TAGS));
    expect((await readers.read(good)).meta.common.album).toBe("Piranesi");
  });

  it("a file whose threads keep dying before they say they started it fails after a few, instead of killing threads for ever", async () => {
    const code = `const { parentPort } = require("node:worker_threads"); parentPort.postMessage({ ready: true }); parentPort.on("message", () => process.exit(3));`;
    const readers = pool({ size: 1, workerSource: { code, eval: true } });
    const file = write("any.mp3", audioBytes("mp3", TAGS));
    await expect(readers.read(file)).rejects.toThrow(`cannot read tags of ${file}: the tag reader stopped (the tag reader thread exited (code 3))`);
    expect(readers.inline).toBe(false);
  });

  it("when no thread can start, files are read inline", async () => {
    const readers = pool({ workerSource: { code: "throw new Error('no thread today')", eval: true } });
    const file = write("ok.m4b", audioBytes("m4b", TAGS));
    expect((await readers.read(file)).meta.common.album).toBe("Piranesi");
    expect(readers.inline).toBe(true);
    expect((await readers.read(file)).meta.common.album).toBe("Piranesi");
  });
});

describe("the embedded_tags layer", () => {
  it("a crafted file fails its own book only, in bounded time; the batch's other books get their tags", async () => {
    const slow = write("slow.flac", flacOfEmptyBlocks());
    const good = write("good.mp3", audioBytes("mp3", TAGS));
    const readers = pool({ size: 2, fileTimeoutMs: LIMIT_MS, retryTimeoutMs: RETRY_MS });
    const layer = createEmbeddedTagsLayer({ pool: readers });
    const book = (id: number, file: string) => ({ book_id: id, path: path.dirname(file), kind: "folder" as const, library_root: dir, status: "new", confidence: 0, current: {} as never, profile: {} as never, files: [{ path: file, size: fs.statSync(file).size }], tags: null });
    const started = performance.now();
    const outcomes = await layer.processBatch([book(1, slow), book(2, good)], { signal: new AbortController().signal });
    // Unbounded, the crafted file's parse runs for minutes (here 0.2 s, then 0.4 s). Room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(outcomes[0]).toEqual({ book_id: 1, error: expect.stringMatching(new RegExp(`slow\\.flac: reading was stopped twice: after ${stop(LIMIT_MS)}, then, read alone, after ${stop(RETRY_MS)} \\(`)) });
    expect(outcomes[1]).toMatchObject({ book_id: 2, claims: expect.arrayContaining([{ field: "title", value: "Piranesi" }]) });
  });
});

/** The cgroup v1 cpu controller's mount and this process's place in it, where this process may move itself (root). */
function cpuCgroupV1(): { base: string; own: string } | null {
  const base = "/sys/fs/cgroup/cpu";
  if (process.getuid?.() !== 0 || !fs.existsSync(path.join(base, "cpu.cfs_quota_us"))) return null;
  const line = fs.readFileSync("/proc/self/cgroup", "utf8").split("\n").find((l) => l.split(":")[1]?.split(",").includes("cpu"));
  return line ? { base, own: path.join(base, line.split(":")[2] ?? "/") } : null;
}

/** Moves this process (every thread) into a cgroup allowed `percent`% of one CPU; returns the way back. */
function starveSelf(percent: number): () => void {
  const { own } = cpuCgroupV1()!;
  const group = path.join(own, `shelfwise-starve-${process.pid}`);
  fs.mkdirSync(group, { recursive: true });
  fs.writeFileSync(path.join(group, "cpu.cfs_period_us"), "100000");
  fs.writeFileSync(path.join(group, "cpu.cfs_quota_us"), String(percent * 1000));
  fs.writeFileSync(path.join(group, "cgroup.procs"), String(process.pid));
  return () => {
    fs.writeFileSync(path.join(own, "cgroup.procs"), String(process.pid));
    fs.rmdirSync(group);
  };
}
