#!/usr/bin/env python3
"""Which processes the given test files start, and the CPU each one used, counted by the kernel.

    python3 scripts/process-census.py OUT_DIR test/a.test.ts test/b.test.ts ...   (as root, from the repo root)

Runs `vitest run FILES` once with BSD process accounting (acct(2)) switched on and switches it off after
(in a finally): the kernel writes one record per process that ends, with its parent, its user and system CPU
and its name, so every process counts, also those no test reaps: a walled plugin dying inside bwrap's PID
namespace, and chromium's zygote and renderers, which chromium's double fork leaves to init (no earlier
measure counted them: `/usr/bin/time` and /proc/self/stat's children fields add only what a parent reaps).
Root only (CAP_SYS_PACCT); accounting is system-wide while it runs, so records are kept only for the
process tree under this run's vitest (chromium's re-parented processes joined to it by their process group,
sampled with ps every half second).

Each process is put down to a test file: the worker that ran the file (test/support/cpu-log.ts's lines name
a worker's files), and in a shared worker the file whose run (vitest's JSON report) had not ended when the
process started. Writes OUT_DIR/census.txt (per file: the worker's own CPU, then each kind of child process,
how many and their CPU) and OUT_DIR/census.json. Kinds: a node process the worker started (the CLI, a
scaffold's `node --test`, an unwalled plugin), one under such a process, a walled plugin (under bwrap or
sandbox-exec), the wall's own links (the guard, bwrap, the helper before it execs the runtime), the
sandbox probe's runs, chromium by process type, the rest by name. docs/performance-log.md, atests40.
"""
import collections
import ctypes
import json
import os
import struct
import subprocess
import sys
import threading
import time


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, files = os.path.abspath(sys.argv[1]), sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    acct_file = os.path.join(out, "acct.bin")
    open(acct_file, "wb").close()
    chromium: dict[int, str] = {}
    parents: dict[int, int] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            listing = subprocess.run(["ps", "-eo", "pid=,ppid=,pgid=,args="], capture_output=True, text=True).stdout
            for line in listing.splitlines():
                pid, ppid, pgid, args = (line.split(None, 3) + ["", "", ""])[:4]
                if "chrom" not in args:
                    continue
                kind = "browser"
                for arg in args.split():
                    if arg.startswith("--type="):
                        kind = arg[7:]
                    elif arg.startswith("--utility-sub-type="):
                        kind += ":" + arg.split(".")[-1]
                chromium[int(pid)] = kind
                # A zygote runs re-parented to init (chromium's double fork), in the browser's process group.
                parents[int(pid)] = int(ppid) if int(ppid) != 1 else int(pgid)
            stop.wait(0.5)

    libc = ctypes.CDLL(None, use_errno=True)
    sampler = threading.Thread(target=sample)
    sampler.start()
    load = [open("/proc/loadavg").read().split()[0]]
    if libc.acct(acct_file.encode()) != 0:
        stop.set()
        sampler.join()
        sys.exit(f"acct(2) refused ({os.strerror(ctypes.get_errno())}): run as root, on a kernel with BSD process accounting")
    try:
        env = dict(os.environ, SHELFWISE_TEST_CPU_LOG=os.path.join(out, "cpu.tsv"))
        started = time.time()
        vitest = subprocess.Popen(
            ["node", "node_modules/vitest/vitest.mjs", "run", "--reporter=json", "--outputFile=" + os.path.join(out, "report.json"), *files],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(out, "stderr.txt"), "w"),
        )
        code = vitest.wait()
        wall = time.time() - started
        # What the workers' ends leave behind (chromium, its renderers) ends within seconds; its record is
        # written only if accounting is still on then (a run at load 17 lost a whole chromium to a fixed 4 s).
        until = time.time() + 60
        time.sleep(2)
        while time.time() < until and any(os.path.exists(f"/proc/{pid}") for pid in list(chromium)):
            time.sleep(0.5)
    finally:
        libc.acct(None)
        stop.set()
        sampler.join()
    load.append(open("/proc/loadavg").read().split()[0])
    json.dump({"chromium": chromium, "parents": parents}, open(os.path.join(out, "samples.json"), "w"))
    report(out, vitest.pid, chromium, parents, f"vitest exit {code}, {wall:.0f} s, load {load[0]} -> {load[1]}")


def comp(value: int) -> float:
    """comp_t: 13-bit mantissa, 3-bit base-8 exponent, in AHZ (100) ticks."""
    return ((value & 0x1FFF) << (3 * ((value >> 13) & 7))) / 100


def report(out: str, main_pid: int, chromium: dict[int, str], parents: dict[int, int], header: str) -> None:
    records: dict[int, dict] = {}
    data = open(os.path.join(out, "acct.bin"), "rb").read()
    for at in range(0, len(data) - 63, 64):  # struct acct_v3
        f = struct.unpack("<BBHIIIIIIf8H16s", data[at : at + 64])
        pid, ppid = f[6], f[7]
        if ppid == 1 and pid in parents:
            ppid = parents[pid]
        records[pid] = dict(pid=pid, ppid=ppid, start=f[8], cpu=comp(f[10]) + comp(f[11]), comm=f[18].split(b"\0")[0].decode(errors="replace"), children=[])
    for record in records.values():
        parent = records.get(record["ppid"])
        if parent is not None and parent is not record:
            parent["children"].append(record)
    files_of = collections.defaultdict(list)
    cpu_log = os.path.join(out, "cpu.tsv")
    for line in open(cpu_log) if os.path.exists(cpu_log) else []:
        fields = line.rstrip("\n").split("\t")
        files_of[int(fields[3])].append(fields[4])
    windows = {}
    report_file = os.path.join(out, "report.json")
    for result in json.load(open(report_file))["testResults"] if os.path.exists(report_file) else []:
        windows[os.path.relpath(result["name"])] = (result["startTime"] / 1000, result["endTime"] / 1000)

    def kind(record: dict, ancestors: list[dict]) -> str:
        name = record["comm"]
        if record["pid"] in chromium or any(a["pid"] in chromium for a in ancestors):
            sampled = chromium.get(record["pid"], "(not sampled)")
            # Below the browser, a process ps saw without --type (a zygote, a renderer it forked, at times the GPU
            # process: chromium rewrites their argv) is put down as one of those.
            if sampled == "browser" and any(a["pid"] in chromium for a in ancestors):
                return "chromium child seen without --type (zygote, renderer, GPU)"
            return "chromium " + sampled
        walled = any(a["comm"] in ("bwrap", "sandbox-exec") for a in ancestors)
        if name.startswith("node"):
            if walled:
                return "node plugin, walled"
            return "node started by the worker (CLI, node --test, unwalled plugin)" if ancestors[0].get("worker") else "node under another process"
        if name.startswith("python"):
            return "python plugin, walled" if walled else "python, unwalled (plugin or check)"
        if name in ("bwrap", "sandbox-exec"):
            if walled or any(c["comm"] == "bwrap" or c["children"] for c in record["children"]):
                return "the wall's links (guard, bwrap, helper)"
            return "sandbox probe run"
        return "other: " + name

    table: dict[str, dict[str, list]] = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0.0]))
    own: dict[str, float] = collections.defaultdict(float)

    def walk(record: dict, ancestors: list[dict], file: str) -> None:
        for child in record["children"]:
            cell = table[file][kind(child, [record] + ancestors)]
            cell[0] += 1
            cell[1] += child["cpu"]
            walk(child, [record] + ancestors, file)

    workers = [r for r in records.values() if r["ppid"] == main_pid]
    for worker in workers:
        worker["worker"] = True
        files = sorted(files_of.get(worker["pid"], []), key=lambda f: windows.get(f, (0, 0))[0])
        if len(files) <= 1:
            file = files[0] if files else "(a worker that ran no file)"
            own[file] += worker["cpu"]
            walk(worker, [], file)
            continue
        own["(shared worker: " + ", ".join(files) + ")"] += worker["cpu"]
        for child in worker["children"]:
            # The first file not ended when the process started: the gap before a file's first test is its
            # collection and its beforeAll. Chromium, started by the worker's first browser file, stays its.
            file = next((f for f in files if child["start"] <= windows.get(f, (0, 0))[1] + 1), "(after the worker's last file)")
            cell = table[file][kind(child, [worker])]
            cell[0] += 1
            cell[1] += child["cpu"]
            walk(child, [worker], file)
    main = records.get(main_pid)
    lines = [header, f"vitest's main process {main['cpu'] if main else 0:.2f} CPU-s, {len(workers)} workers"]
    rows = sorted(set(table) | set(own), key=lambda f: -(own.get(f, 0) + sum(c[1] for c in table[f].values())))
    for file in rows:
        lines.append(f"{file}\tworker {own.get(file, 0):.2f} CPU-s\tchildren {sum(c[1] for c in table[file].values()):.2f} CPU-s")
        for name, (count, cpu) in sorted(table[file].items(), key=lambda item: -item[1][1]):
            lines.append(f"    {name}: {count} processes, {cpu:.2f} CPU-s")
    open(os.path.join(out, "census.txt"), "w").write("\n".join(lines) + "\n")
    json.dump({f: {"worker": own.get(f, 0), "children": table[f]} for f in rows}, open(os.path.join(out, "census.json"), "w"), indent=1)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
