#!/usr/bin/env python3
"""Runs the ft_malloc benchmark suite and writes its report.

Every workload program (build/bench/*) runs under every allocator, chosen by
LD_PRELOAD (glibc: no preload), interleaved: for each round, for each workload,
ft_malloc, glibc, jemalloc, mimalloc, tcmalloc one after the other. Each program
prints one line `BENCH workload=... seconds=... key=value ...`; this script keeps
the median of the rounds, the ratio to glibc, the geometric mean, the peak RSS,
and writes OUT/NAME.md (tables), OUT/NAME.csv (every run) and OUT/NAME.png (the
chart, drawn by gnuplot).

Usage (bench/bench.sh passes all of it):
  run.py --mode full|quick --bindir build/bench --out bench/results \
         --alloc ft_malloc=/path/libft_malloc.so --alloc glibc= --alloc jemalloc=/path ...
  run.py --mode full|quick --out bench/results --regenerate   (report again, no measuring)
Environment: BENCH_ROUNDS overrides the number of rounds (full: 5, quick: 3);
BENCH_ONLY=name,name runs only those workloads.
"""
import argparse
import csv
import datetime
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

# (name, program and arguments, scale of the full run's size in quick mode or
#  None to leave it out of the quick run, what the table shows)
# The last argument of each command is its SCALE.
WORKLOADS = [
    ("pair-8",        ["pair", "8"],          0.1,   "ns/pair"),
    ("pair-32",       ["pair", "32"],         0.1,   "ns/pair"),
    ("pair-128",      ["pair", "128"],        0.1,   "ns/pair"),
    ("pair-1024",     ["pair", "1024"],       0.1,   "ns/pair"),
    ("pair-16384",    ["pair", "16384"],      0.1,   "ns/pair"),
    ("batch",         ["batch"],              0.1,   "s"),
    ("mix",           ["mix", "1"],           0.15,  "s"),
    ("mix-2t",        ["mix", "2"],           0.15,  "s"),
    ("mix-4t",        ["mix", "4"],           0.1,   "s"),
    ("server",        ["server", "0"],        0.15,  "s"),
    ("prodcons",      ["prodcons"],           0.2,   "s"),
    ("large-churn",   ["large", "churn"],     0.15,  "s"),
    ("large-realloc", ["large", "realloc"],   0.25,  "s"),
    ("footprint",     ["footprint"],          0.125, "s"),
]
ROUNDS = {"full": 5, "quick": 3}
TIMEOUT = {"full": 300, "quick": 60}
GLIBC = "glibc"
FT = "ft_malloc"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except Exception:
        return ""


def machine_info(root):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = "%.1f GiB" % (kib / 1048576)
    except (OSError, ValueError, IndexError):
        pass
    commit = sh("git -C %s rev-parse --short=12 HEAD" % root) or "?"
    try:
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--", "src",
                                "include", "Makefile"], capture_output=True, text=True,
                               timeout=30).stdout
    except Exception:
        dirty = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": os.uname().release,
        "memory": mem,
        "os": sh(". /etc/os-release && echo $PRETTY_NAME") or "?",
        "compiler": sh("cc --version | head -n1"),
        "commit": commit,
        "dirty": dirty,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_start": loadavg(),
    }


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def package_version(pkg):
    return sh("dpkg-query -W -f='${Version}' %s" % pkg) or "?"


def parse(out):
    for line in out.splitlines():
        if line.startswith("BENCH "):
            fields = {}
            for kv in line.split()[1:]:
                k, _, v = kv.partition("=")
                fields[k] = v
            return fields
    return None


def run_one(bindir, argv, lib, timeout):
    env = {k: v for k, v in os.environ.items()
           if k != "LD_PRELOAD" and not k.startswith(("MALLOC_", "FT_MALLOC_", "MIMALLOC_",
                                                      "TCMALLOC_", "JEMALLOC_", "GLIBC_TUNABLES"))}
    if lib:
        env["LD_PRELOAD"] = lib
    cmd = [os.path.join(bindir, argv[0])] + argv[1:]
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout after %d s" % timeout
    fields = parse(p.stdout)
    if p.returncode != 0 or fields is None:
        err = (p.stderr.strip().splitlines() or ["no output"])[-1][:160]
        sig = " (signal %d)" % -p.returncode if p.returncode < 0 else ""
        return None, "exit %d%s: %s" % (p.returncode, sig, err)
    served = fields.get("malloc_lib", "?")
    if lib:
        if os.path.realpath(served) != os.path.realpath(lib):
            return None, "malloc served by %s, not %s" % (served, lib)
    elif "libc.so" not in served:
        return None, "malloc served by %s, not glibc" % served
    return fields, None


def median(xs):
    return statistics.median(xs) if xs else None


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fnum(x, digits=3):
    if x is None:
        return "—"
    if x == 0:
        return "0"
    mag = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - mag)
    return "%.*f" % (decimals, x)


def fratio(r):
    return "—" if r is None else "%.2f×" % r


class Results:
    def __init__(self, allocs, workloads):
        self.allocs = allocs
        self.workloads = workloads
        self.runs = {}      # (workload, alloc) -> [fields]
        self.errors = {}    # (workload, alloc) -> [messages]

    def add(self, w, a, fields, err):
        if fields is not None:
            self.runs.setdefault((w, a), []).append(fields)
        else:
            self.errors.setdefault((w, a), []).append(err)

    def values(self, w, a, key):
        out = []
        for f in self.runs.get((w, a), []):
            try:
                out.append(float(f[key]))
            except (KeyError, ValueError):
                pass
        return out

    def med(self, w, a, key="seconds"):
        return median(self.values(w, a, key))

    def ok(self, w, a):
        """A cell counts only when no round of it failed."""
        return (w, a) in self.runs and (w, a) not in self.errors

    def time_ratio(self, w, a):
        if not (self.ok(w, a) and self.ok(w, GLIBC)):
            return None
        return self.med(w, a) / self.med(w, GLIBC)

    def cpu_ratio(self, w, a):
        if not (self.ok(w, a) and self.ok(w, GLIBC)):
            return None
        c, g = self.med(w, a, "cpu_seconds"), self.med(w, GLIBC, "cpu_seconds")
        return c / g if c is not None and g else None

    def rss_ratio(self, w, a):
        if not (self.ok(w, a) and self.ok(w, GLIBC)):
            return None
        return self.med(w, a, "maxrss_kib") / self.med(w, GLIBC, "maxrss_kib")

    def spread(self, w, a):
        xs = self.values(w, a, "seconds")
        if len(xs) < 2:
            return None
        return (max(xs) - min(xs)) / statistics.median(xs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["full", "quick"], default="full")
    ap.add_argument("--bindir", default="build/bench")
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--alloc", action="append", default=[],
                    help="NAME=PATH of the shared object (empty: no preload)")
    ap.add_argument("--regenerate", action="store_true",
                    help="rebuild the report and chart of the last run of this mode from its "
                         ".csv and .json, without measuring")
    args = ap.parse_args()
    if args.regenerate:
        regenerate(args.out, "latest" if args.mode == "full" else "quick")
        return

    allocs = []
    libs = {}
    for spec in args.alloc:
        name, _, path = spec.partition("=")
        allocs.append(name)
        libs[name] = path
    if GLIBC not in allocs or FT not in allocs:
        sys.exit("run.py: need at least --alloc ft_malloc=PATH and --alloc glibc=")
    rounds = int(os.environ.get("BENCH_ROUNDS", ROUNDS[args.mode]))
    timeout = TIMEOUT[args.mode]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    only = [x for x in os.environ.get("BENCH_ONLY", "").split(",") if x]

    plan = []
    for name, argv, qscale, unit in WORKLOADS:
        if only and name not in only:
            continue
        if args.mode == "quick":
            if qscale is None:
                continue
            argv = argv + [str(qscale)]
        plan.append((name, argv, unit))

    info = machine_info(root)
    info["mode"] = args.mode
    info["rounds"] = rounds
    info["ft_sha256"] = sh("sha256sum '%s'" % libs[FT]).split(" ")[0][:16]
    info["versions"] = {
        FT: "commit " + info["commit"],
        GLIBC: package_version("libc6"),
        "jemalloc": package_version("libjemalloc2"),
        "mimalloc": package_version("libmimalloc2.0"),
        "tcmalloc": package_version("libtcmalloc-minimal4"),
    }
    print("bench: %s run, %d rounds, %d workloads x %d allocators (%s); load average %s"
          % (args.mode, rounds, len(plan), len(allocs), ", ".join(allocs), info["load_start"]),
          flush=True)

    spin = {1: [], 2: []}
    spin_scale = "1" if args.mode == "full" else "0.5"

    def measure_spin():
        for t in (1, 2):
            f, _ = run_one(args.bindir, ["spin", str(t), spin_scale], "", timeout)
            if f:
                spin[t].append(float(f["per_thread_ops_per_sec"]))

    res = Results(allocs, [p[0] for p in plan])
    t_start = time.monotonic()
    measure_spin()
    for r in range(1, rounds + 1):
        for name, argv, unit in plan:
            cells = []
            for a in allocs:
                fields, err = run_one(args.bindir, argv, libs[a], timeout)
                res.add(name, a, fields, err)
                if fields is None:
                    cells.append("%s FAIL" % a)
                    print("  %s under %s: %s" % (name, a, err), flush=True)
                elif unit == "ns/pair":
                    cells.append("%s %s" % (a, fnum(float(fields["ns_per_op"]))))
                else:
                    cells.append("%s %s" % (a, fnum(float(fields["seconds"]))))
            print("round %d/%d %-14s %s" % (r, rounds, name, "  ".join(cells)), flush=True)
        measure_spin()
    info["elapsed"] = time.monotonic() - t_start
    info["load_end"] = loadavg()
    info["spin"] = spin

    stem = "latest" if args.mode == "full" else "quick"
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, stem + ".csv"), res)
    with open(os.path.join(args.out, stem + ".json"), "w") as f:
        json.dump({"info": info, "plan": plan, "allocs": allocs}, f, indent=1)
    write_outputs(res, plan, info, args.out, stem)


def write_outputs(res, plan, info, out, stem):
    md = report(res, plan, info, stem)
    with open(os.path.join(out, stem + ".md"), "w") as f:
        f.write(md)
    chart(res, plan, info, os.path.join(out, stem + ".png"))
    print(md)
    print("bench: wrote %s/%s.md, .png, .csv and .json (%.0f s of measuring)"
          % (out, stem, info["elapsed"]))


def regenerate(out, stem):
    """Rebuilds the .md and .png from a run's .csv and .json (no measuring)."""
    with open(os.path.join(out, stem + ".json")) as f:
        saved = json.load(f)
    info = saved["info"]
    info["spin"] = {int(k): v for k, v in info["spin"].items()}
    plan = [tuple(p) for p in saved["plan"]]
    res = Results(saved["allocs"], [p[0] for p in plan])
    with open(os.path.join(out, stem + ".csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] == "ok":
                res.add(row["workload"], row["allocator"],
                        {k: row[k] for k in CSV_KEYS if row[k] != ""}, None)
            else:
                res.add(row["workload"], row["allocator"], None, row["status"][6:])
    write_outputs(res, plan, info, out, stem)


CSV_KEYS = ["seconds", "cpu_seconds", "ops", "ns_per_op", "ops_per_sec", "per_thread_ops_per_sec", "threads",
            "maxrss_kib", "rss_start_kib", "rss_full_kib", "rss_after90_kib", "rss_end_kib"]


def write_csv(path, res):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["workload", "allocator", "run", "status"] + CSV_KEYS)
        for wl in res.workloads:
            for a in res.allocs:
                for i, fields in enumerate(res.runs.get((wl, a), [])):
                    w.writerow([wl, a, i + 1, "ok"] + [fields.get(k, "") for k in CSV_KEYS])
                for err in res.errors.get((wl, a), []):
                    w.writerow([wl, a, "", "FAIL: " + err] + [""] * len(CSV_KEYS))


def report(res, plan, info, stem):
    A = res.allocs
    peers = [a for a in A if a != FT]
    L = []
    L.append("# ft_malloc benchmarks (%s run)\n" % info["mode"])
    L.append("Generated by `make bench%s` (bench/run.py). Do not edit by hand.\n"
             % ("" if info["mode"] == "full" else "-quick"))
    L.append("| machine | |")
    L.append("|---|---|")
    L.append("| CPU | %s |" % info["cpu"])
    L.append("| cores | %s |" % info["cores"])
    L.append("| memory | %s |" % info["memory"])
    L.append("| kernel | Linux %s (%s) |" % (info["kernel"], info["os"]))
    L.append("| compiler | %s |" % info["compiler"])
    L.append("| date | %s |" % info["date"])
    dirty = info["dirty"]
    L.append("| ft_malloc measured | commit `%s`%s; library sha256 `%s…` |"
             % (info["commit"], " **plus uncommitted changes** in: " +
                ", ".join(sorted({l[3:] for l in dirty.splitlines() if len(l) > 3}))
                if dirty else "", info.get("ft_sha256", "?")))
    L.append("| peers | glibc %s, jemalloc %s, mimalloc %s, tcmalloc %s (Debian packages) |"
             % tuple(info["versions"][k] for k in (GLIBC, "jemalloc", "mimalloc", "tcmalloc")))
    L.append("| rounds | %d, interleaved (%s, then again); medians below |"
             % (info["rounds"], " ".join(A)))
    L.append("| load average | %s at the start, %s at the end (1, 5, 15 min) |"
             % (info["load_start"], info["load_end"]))
    s1, s2 = median(info["spin"][1]), median(info["spin"][2])
    if s1 and s2:
        L.append("| thread parallelism | a pure-CPU loop on 2 threads runs at %.0f%% of its "
                 "1-thread speed per thread (100%% = two real cores) |" % (100 * s2 / s1))
    L.append("| duration | %.0f s |" % info["elapsed"])
    L.append("")
    L.append("![ratio to glibc per workload](%s.png)\n" % stem)

    # --- time
    L.append("## Time: median, and ratio to glibc (lower is better)\n")
    L.append("`ns/pair` is one malloc+free; `s` is the wall time of the workload's measured "
             "part. The ratio is the allocator's time over glibc's time on the same workload.\n")
    L.append("| workload | unit | " + " | ".join(A) + " |")
    L.append("|---|---|" + "---|" * len(A))
    for name, _, unit in plan:
        cells = []
        for a in A:
            if not res.ok(name, a):
                cells.append("**FAIL**" if (name, a) in res.errors else "—")
                continue
            v = res.med(name, a, "ns_per_op" if unit == "ns/pair" else "seconds")
            r = res.time_ratio(name, a)
            cells.append("%s (%s)" % (fnum(v), fratio(r)))
        L.append("| %s | %s | %s |" % (name, unit, " | ".join(cells)))
    gm = {}
    for a in A:
        rs = [res.time_ratio(n, a) for n, _, _ in plan]
        have = [r for r in rs if r is not None]
        gm[a] = (geomean(have), len(have), len(rs))
    L.append("| **geometric mean** | ratio | " + " | ".join(
        "**%s**%s" % (fratio(gm[a][0]), "" if gm[a][1] == gm[a][2] else
                      " (%d of %d)" % (gm[a][1], gm[a][2])) for a in A) + " |")
    L.append("")

    # --- CPU time
    L.append("## CPU time: ratio to glibc\n")
    L.append("The CPU time (all threads) of the same measured part, over glibc's. On an idle "
             "machine it tells the same story as the wall time for one thread; on a busy one "
             "it is much less disturbed by other processes. For threaded workloads it also "
             "counts time spent spinning (prodcons) and is not a measure of scaling.\n")
    L.append("| workload | " + " | ".join(A) + " |")
    L.append("|---|" + "---|" * len(A))
    for name, _, _ in plan:
        L.append("| %s | %s |" % (name, " | ".join(
            ("**FAIL**" if (name, a) in res.errors else "—") if not res.ok(name, a)
            else fratio(res.cpu_ratio(name, a)) for a in A)))
    L.append("| **geometric mean** | %s |" % " | ".join(
        "**%s**" % fratio(geomean([res.cpu_ratio(n, a) for n, _, _ in plan
                                   if res.cpu_ratio(n, a)])) for a in A))
    L.append("")

    # --- failures
    fails = [(k, v) for k, v in res.errors.items()]
    if fails:
        L.append("Failures (a failed cell is left out of the ratios and the geometric mean):\n")
        for (w, a), errs in sorted(fails):
            L.append("- %s under %s: %d of %d rounds failed: `%s`"
                     % (w, a, len(errs), len(errs) + len(res.runs.get((w, a), [])), errs[0]))
        L.append("")

    # --- peak RSS
    L.append("## Peak RSS: median in MiB, and ratio to glibc\n")
    L.append("| workload | " + " | ".join(A) + " |")
    L.append("|---|" + "---|" * len(A))
    for name, _, _ in plan:
        cells = []
        for a in A:
            if not res.ok(name, a):
                cells.append("**FAIL**" if (name, a) in res.errors else "—")
                continue
            cells.append("%s (%s)" % (fnum(res.med(name, a, "maxrss_kib") / 1024),
                                      fratio(res.rss_ratio(name, a))))
        L.append("| %s | %s |" % (name, " | ".join(cells)))
    L.append("")

    # --- footprint
    if "footprint" in res.workloads:
        L.append("## Footprint: resident memory (MiB, medians)\n")
        L.append("`start` is before the first allocation (the workload's own bookkeeping, the "
                 "same for all); `full` after allocating and writing every block; `after 90%` "
                 "after freeing 90% of the blocks at random; `end` after freeing all; "
                 "`kept` = end − start, what was not given back to the system.\n")
        L.append("| allocator | start | full | after 90% | end | kept | peak | peak / glibc |")
        L.append("|---|---|---|---|---|---|---|---|")
        for a in A:
            if not res.ok("footprint", a):
                L.append("| %s | **FAIL** | | | | | | |" % a)
                continue
            m = lambda k: res.med("footprint", a, k) / 1024
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                a, fnum(m("rss_start_kib")), fnum(m("rss_full_kib")), fnum(m("rss_after90_kib")),
                fnum(m("rss_end_kib")), fnum(m("rss_end_kib") - m("rss_start_kib")),
                fnum(m("maxrss_kib")), fratio(res.rss_ratio("footprint", a))))
        L.append("")

    # --- scaling
    sc = [n for n in ("mix", "mix-2t", "mix-4t") if n in res.workloads]
    if "mix" in sc and len(sc) > 1:
        L.append("## Scaling: the mix at 1, 2 and 4 threads\n")
        L.append("Per-thread throughput (million mix steps per second per thread, medians) and "
                 "its ratio to 1 thread: 100%% means each added thread runs as fast as a lone "
                 "one. On %s cores, 4 threads can reach at most %.0f%%.\n"
                 % (info["cores"], 100.0 * min(1.0, (info["cores"] or 1) / 4)))
        hdr = ["1 thread", "2 threads", "4 threads"][:len(sc)]
        L.append("| allocator | " + " | ".join(hdr) + " | " +
                 " | ".join("%s / 1 thread" % h for h in hdr[1:]) + " |")
        L.append("|---|" + "---|" * (2 * len(sc) - 1))
        for a in A:
            v = [res.med(n, a, "per_thread_ops_per_sec") if res.ok(n, a) else None for n in sc]
            cells = [fnum(x / 1e6) if x else "**FAIL**" for x in v]
            cells += ["%.0f%%" % (100 * x / v[0]) if x and v[0] else "—" for x in v[1:]]
            L.append("| %s | %s |" % (a, " | ".join(cells)))
        if s1 and s2:
            L.append("| (no allocation: pure-CPU loop) | %s | %s | | %.0f%% | |"
                     % (fnum(s1 / 1e6), fnum(s2 / 1e6), 100 * s2 / s1))
        L.append("")

    # --- targets
    L.append("## Targets of issue 5, for ft_malloc (informative: nothing fails on them)\n")
    L += targets(res, plan, gm, info)
    L.append("")

    # --- noise
    L.append("## Spread: (max − min) / median of the rounds' times\n")
    L.append("High values mean a noisy measurement (a busy machine); compare medians only "
             "where the spread is well below the difference.\n")
    L.append("| workload | " + " | ".join(A) + " |")
    L.append("|---|" + "---|" * len(A))
    for name, _, _ in plan:
        L.append("| %s | %s |" % (name, " | ".join(
            ("%.0f%%" % (100 * s)) if (s := res.spread(name, a)) is not None else "—"
            for a in A)))
    L.append("")
    return "\n".join(L) + "\n"


def targets(res, plan, gm, info):
    names = [p[0] for p in plan]
    out = []

    def line(ok, text):
        mark = "—" if ok is None else ("met" if ok else "**missed**")
        out.append("- %s: %s" % (mark, text))

    g, n, total = gm[FT]
    if g is not None:
        gc = geomean([res.cpu_ratio(w, FT) for w in names if res.cpu_ratio(w, FT)])
        line(g <= 0.8 and n == total,
             "geometric mean of time ratios ≤ 0.80: %.2f%s%s" %
             (g, "" if n == total else " over %d of %d workloads (the rest failed)" % (n, total),
              " (CPU time: %.2f)" % gc if gc else ""))
    worst = [(res.time_ratio(w, FT), w) for w in names]
    above = sorted([(r, w) for r, w in worst if r is not None and r > 1.1], reverse=True)
    failed = [w for r, w in worst if r is None and (w, FT) in res.errors]
    line(not above and not failed, "no workload above 1.10× glibc: " +
         (", ".join("%s %.2f×" % (w, r) for r, w in above) or "none above") +
         (("; failed: " + ", ".join(failed)) if failed else ""))
    for w in [x for x in names if x.startswith("pair-")]:
        if not res.ok(w, FT):
            line(False, "%s at or below the fastest peer: ft_malloc failed" % w)
            continue
        best = [(res.med(w, a, "ns_per_op"), a) for a in res.allocs if a != FT and res.ok(w, a)]
        if not best:
            continue
        bv, ba = min(best)
        ft = res.med(w, FT, "ns_per_op")
        line(ft <= bv, "%s at or below the fastest peer: %.1f ns against %s's %.1f ns"
             % (w, ft, ba, bv))
    for w in ("prodcons", "server"):
        if w not in names or "mimalloc" not in res.allocs:
            continue
        if not (res.ok(w, FT) and res.ok(w, "mimalloc")):
            line(False if not res.ok(w, FT) else None, "%s at or below mimalloc: a run failed" % w)
            continue
        ft, mi = res.med(w, FT), res.med(w, "mimalloc")
        line(ft <= mi, "%s at or below mimalloc: %s s against %s s (%.2f×)"
             % (w, fnum(ft), fnum(mi), ft / mi))
    if "footprint" in names:
        if res.ok("footprint", FT) and res.ok("footprint", GLIBC):
            r = res.rss_ratio("footprint", FT)
            line(r <= 1.1, "footprint peak RSS ≤ 1.10× glibc's: %.2f×" % r)
            kept = (res.med("footprint", FT, "rss_end_kib") -
                    res.med("footprint", FT, "rss_start_kib")) / 1024
            line(kept <= 10, "footprint: RSS after freeing everything within 10 MiB of the "
                 "start: %.1f MiB above it" % kept)
        else:
            line(False, "footprint: the run failed")
    if "mix" in names and "mix-2t" in names:
        if res.ok("mix", FT) and res.ok("mix-2t", FT):
            r = (res.med("mix-2t", FT, "per_thread_ops_per_sec") /
                 res.med("mix", FT, "per_thread_ops_per_sec"))
            s1, s2 = median(info["spin"][1]), median(info["spin"][2])
            note = ""
            if s1 and s2:
                note = " (this machine itself: %.0f%% for a loop without allocation" % (
                    100 * s2 / s1)
                best = [res.med("mix-2t", a, "per_thread_ops_per_sec") /
                        res.med("mix", a, "per_thread_ops_per_sec")
                        for a in res.allocs if a != FT and res.ok("mix", a) and res.ok("mix-2t", a)]
                if best:
                    note += "; best peer %.0f%%" % (100 * max(best))
                note += ")"
            line(r >= 0.9, "scaling: per-thread throughput at 2 threads ≥ 90%% of 1 thread: "
                 "%.0f%%%s" % (100 * r, note))
        else:
            line(False, "scaling: the mix failed under ft_malloc")
    return out


def chart(res, plan, info, path):
    if not shutil.which("gnuplot"):
        print("bench: gnuplot not found, no chart", file=sys.stderr)
        return
    others = [a for a in res.allocs if a != GLIBC]
    names = [p[0] for p in plan]
    rows = [(n, [res.time_ratio(n, a) for a in others],
             [res.rss_ratio(n, a) for a in others]) for n in names]
    gm_t = [geomean([r[1][i] for r in rows if r[1][i]]) for i in range(len(others))]
    gm_m = [geomean([r[2][i] for r in rows if r[2][i]]) for i in range(len(others))]
    rows.append(("geometric mean", gm_t, gm_m))
    dat = path[:-4] + ".dat"
    with open(dat, "w") as f:
        f.write("# index name " + " ".join("t_" + a for a in others) + " " +
                " ".join("m_" + a for a in others) + "\n")
        for i, (n, t, m) in enumerate(rows):
            f.write("%d \"%s\" %s %s\n" % (i, n, " ".join("%.5f" % x if x else "NaN" for x in t),
                                           " ".join("%.5f" % x if x else "NaN" for x in m)))
    k = len(others)
    width = 0.8 / k
    colors = {FT: "#d62728", "jemalloc": "#1f77b4", "mimalloc": "#2ca02c", "tcmalloc": "#9467bd"}
    fails = [(i, j) for i, (n, _, _) in enumerate(rows[:-1])
             for j, a in enumerate(others) if (n, a) in res.errors]
    fdat = path[:-4] + ".fail.dat"
    with open(fdat, "w") as f:
        for i, j in fails:
            f.write("%.4f 1.0 \"%s failed\"\n" % (i - 0.4 + width * (j + 0.5), others[j]))

    def panel(col0, ylabel, title, labels):
        ps = []
        for j, a in enumerate(others):
            off = -0.4 + width * (j + 0.5)
            c = col0 + j
            ps.append(
                "'%s' using ($1+%.4f):%d:($1+%.4f):($1+%.4f):(column(%d)<1?column(%d):1)"
                ":(column(%d)<1?1:column(%d)) with boxxyerror fs solid 0.85 noborder "
                "lc rgb '%s' title '%s'" % (dat, off, c, off - width / 2 * 0.92,
                                            off + width / 2 * 0.92, c, c, c, c,
                                            colors.get(a, "#7f7f7f"), a))
            if labels and a == FT:
                ps.append("'%s' using ($1+%.4f):(column(%d)>=1?column(%d)*1.12:column(%d)/1.12)"
                          ":(sprintf('%%.2f', column(%d))) with labels font ',8' "
                          "tc rgb '%s' notitle" % (dat, off, c, c, c, c, colors[FT]))
        if fails:
            ps.append("'%s' using 1:2:3 with labels rotate by 90 left offset 0,0.3 "
                      "font ',9' tc rgb '#d62728' notitle" % fdat)
        vals = [x for r in rows for x in (r[1] if col0 == 3 else r[2]) if x]
        lo = min(vals + [1.0]) / 1.35
        hi = max(vals + [1.0]) * 1.45
        return ("set title \"%s\"\nset ylabel \"%s\"\n" % (title, ylabel) +
                "set yrange [%g:%g]\n" % (lo, hi) +
                "plot 1 with lines lw 2 dt 2 lc rgb '#333333' title 'glibc = 1.0', \\\n  " +
                ", \\\n  ".join(ps) + "\n")

    n = len(rows)
    script = """
set encoding utf8
set terminal pngcairo size 1600,1150 font 'DejaVu Sans,11' noenhanced
set output '%(out)s'
set multiplot layout 2,1 title "ft_malloc against glibc, jemalloc, mimalloc, tcmalloc — commit %(commit)s, %(date)s, %(cpu)s, %(cores)s cores\\nEach bar: the allocator's median over %(rounds)s divided by glibc's (log scale): below the dashed line = better than glibc, above = worse" font ',13'
set logscale y 2
set grid ytics lc rgb '#dddddd'
set xrange [-0.6:%(xmax)f]
set xtics rotate by -30 left nomirror
set xtics (%(xtics)s)
set key outside top center horizontal samplen 2
set format y '%%g×'
set style fill solid
set lmargin 12
set bmargin 5
set arrow 1 from %(sep)f, graph 0 to %(sep)f, graph 1 nohead lc rgb '#999999' dt 3
%(p1)s
set logscale y 2
%(p2)s
unset multiplot
""" % {
        "out": path, "commit": info["commit"], "date": info["date"], "cpu": info["cpu"],
        "cores": info["cores"],
        "rounds": "%d round%s" % (info["rounds"], "" if info["rounds"] == 1 else "s"), "xmax": n - 0.4,
        "xtics": ", ".join('"%s" %d' % (r[0], i) for i, r in enumerate(rows)),
        "sep": n - 1.5,
        "p1": panel(3, "time / glibc time  (lower is faster)", "Time", True),
        "p2": panel(3 + k, "peak RSS / glibc peak RSS  (lower is smaller)", "Peak memory (RSS)",
                    False),
    }
    gp = path[:-4] + ".gp"
    with open(gp, "w") as f:
        f.write(script)
    p = subprocess.run(["gnuplot", gp], capture_output=True, text=True)
    if p.returncode != 0:
        print("bench: gnuplot failed:\n" + p.stderr, file=sys.stderr)
    else:
        for x in (gp, dat, fdat):
            os.unlink(x)


if __name__ == "__main__":
    main()
