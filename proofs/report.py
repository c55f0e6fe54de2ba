#!/usr/bin/env python3
"""Turns the Frama-C WP runs of proofs/prove.sh (one per file) into the gate's verdict.

Inputs, per run: the frama-c log (function -> file from `-metrics -metrics-by-function`),
its exit status, WP's cumulative JSON report (`-wp-report-json` of the last
stage), the report plug-in's classification (`-report-classify`) and its CSV
(`-report-csv -report-untried`). Prints one PASS/FAIL line per file, the
unproved goals under each FAIL, the totals and the share of src/ lines that are
in src/core/. Exit status: 0 only if every goal is valid and nothing failed.
"""
import argparse
import collections
import json
import os
import re
import sys

WP_KEYS = ("wp:main", "wp:section", "qed")


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def frama_c_errors(log_lines):
    """Error and warning messages of a failed frama-c run, with their continuation
    lines, and the preprocessor's own output (lines that are not frama-c messages)."""
    blocks, cur = [], None
    for line in log_lines:
        if line.startswith("#"):  # prove.sh's own header lines
            continue
        if line[:1].isspace() and cur is not None:
            cur.append(line)
        elif line.strip():
            cur = [line]
            blocks.append(cur)
        else:
            cur = None
    pat = re.compile(r"Warning|User Error|[Ee]rror|aborted|Failure|[Ff]atal|"
                     r"^\[[\w:.-]+\] \S+:\d+:")
    out = []
    for blk in blocks:
        head = blk[0]
        if not head.startswith("[") or pat.search(head):
            out.extend(blk)
    return out


def warnings_of(log_lines):
    """Distinct warning messages of the log (first line + continuation)."""
    seen, out, cur = set(), [], None
    for line in log_lines + [""]:
        m = re.match(r"^\[([\w:.-]+)\] (?:(\S+:\d+): )?Warning: ?(.*)$", line)
        if m:
            if cur:
                out.append(cur)
            cur = [m.group(1), m.group(2) or "", m.group(3).strip()]
        elif cur and line.startswith("  "):
            cur[2] = (cur[2] + " " + line.strip()).strip()
        else:
            if cur:
                out.append(cur)
            cur = None
    res = []
    for key, loc, msg in out:
        if (key, loc, msg) not in seen:
            seen.add((key, loc, msg))
            res.append((key, loc, msg))
    return res


STRIP_RE = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                      re.S)


def code_lines(path):
    """Lines that are neither blank nor only comment (ACSL annotations are comments)."""
    with open(path, errors="replace") as f:
        text = f.read().replace("\\\n", " \n")  # keep line numbers across splices

    def repl(m):
        s = m.group(0)
        if s.startswith("/") :
            return re.sub(r"[^\n]", " ", s)  # comment: blank it, keep the newlines
        return "S" * len(s)                  # string/char literal: code
    stripped = STRIP_RE.sub(repl, text)
    return sum(1 for line in stripped.split("\n") if line.strip())


def src_share(root):
    core = total = 0
    src = os.path.join(root, "src")
    for d, _, names in os.walk(src):
        for n in names:
            if n.endswith((".c", ".h")):
                p = os.path.join(d, n)
                k = code_lines(p)
                total += k
                if os.path.relpath(p, src).split(os.sep)[0] == "core":
                    core += k
    return core, total


def print_share():
    core, total = src_share(".")
    pct = (100.0 * core / total) if total else 0.0
    print("proved share: %.0f%% of the allocator's C lines are in src/core/ "
          "(%d of %d non-blank, non-comment lines in src/)" % (pct, core, total))


def find_decl(kind, name, paths):
    """First (file, line) where `kind name` (lemma, axiom) is declared in paths."""
    pat = re.compile(r"\b%s\s+%s\s*[:{<]" % (kind, re.escape(name)))
    for p in paths:
        try:
            with open(p, errors="replace") as f:
                for i, line in enumerate(f, 1):
                    if pat.search(line):
                        return p, i
        except OSError:
            pass
    return None, None


def acsl_sources(files):
    """Where lemmas and axioms of the proof can be: the given files, the headers
    next to them and the public headers."""
    paths = [os.path.normpath(f) for f in files]
    dirs = sorted({os.path.dirname(p) or "." for p in paths} | {"include"})
    for d in dirs:
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for n in names:
            p = os.path.normpath(os.path.join(d, n))
            if n.endswith(".h") and p not in paths:
                paths.append(p)
    return paths


def read_csv(path):
    """Rows of `-report-csv` (tab separated; a property may span several lines)."""
    try:
        with open(path, errors="replace") as f:
            lines = f.read().split("\n")
    except OSError:
        return None
    rows = []
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) >= 7:
            d, fname, lineno, fn, kind, status = parts[:6]
            rows.append({"path": os.path.normpath(os.path.join(d, fname)), "line": lineno,
                         "function": fn, "kind": kind, "status": status,
                         "property": "\t".join(parts[6:])})
        elif rows and line.strip():
            rows[-1]["property"] += " " + line.strip()
    return rows


def expected_kind(func, name, funcs):
    """Kind of property, as the report plug-in names it, of a WP property name."""
    rest = name[len(func) + 1:] if name.startswith(func + "_") else None
    if rest is None:
        callee = next((f for f in sorted(funcs, key=len, reverse=True)
                       if name.startswith(f + "_requires")), None)
        return "precondition of %s" % callee if callee else None
    m = re.match(r"assert_rte_([a-z_]+?)(?:_\d+)?$", rest)
    if m:
        return m.group(1)
    for prefix, kind in (("loop_invariant", "loop invariant"), ("loop_assigns", "assigns clause"),
                         ("loop_variant", "loop variant"), ("ensures", "postcondition"),
                         ("assigns", "assigns clause"), ("assert", "assertion"),
                         ("check", "check"), ("complete", "complete behaviors"),
                         ("disjoint", "disjoint behaviors"), ("exits", "exit clause"),
                         ("terminates", "termination clause")):
        if rest.startswith(prefix):
            return kind
    return None


def prover_summary(entry):
    """Outcome per prover. Note: z3 answers `timeout` when its own -T limit fires,
    which Why3 1.5.1's z3 driver does not recognise: z3 timeouts show as "failed"."""
    parts = []
    for k, v in sorted(entry.items()):
        if k in WP_KEYS:
            continue
        res = [r for r in ("valid", "unknown", "timeout", "interrupted", "failed", "invalid")
               if v.get(r)]
        parts.append("%s %s" % (k.split(":")[0], "/".join(res) or "?"))
    return ", ".join(parts)


def load_run(d):
    """One frama-c process of prove.sh: its directory holds log, rc, files,
    stage3.json (WP), classify.json and properties.csv (report plug-in)."""
    def read(name, default=""):
        try:
            with open(os.path.join(d, name), errors="replace") as f:
                return f.read()
        except OSError:
            return default
    log_lines = read("log").split("\n")
    rc = read("rc", "1").strip()
    return {"dir": d, "log": log_lines, "rc": int(rc) if rc.lstrip("-").isdigit() else 1,
            "files": [l for l in read("files").split("\n") if l.strip()],
            "wp": load_json(os.path.join(d, "stage3.json")),
            "classify": load_json(os.path.join(d, "classify.json")),
            "csv": os.path.join(d, "properties.csv"),
            "classified_errors": any("Classified errors found" in l for l in log_lines)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", action="append", required=True,
                    help="directory of one frama-c process (repeat for each)")
    a = ap.parse_args()

    runs = [load_run(d) for d in a.run]
    files = [f for r in runs for f in r["files"]]
    log_lines = [l for r in runs for l in r["log"]]

    # --- frama-c itself failed: parse error, annotation error, plug-in crash...
    broken = [r for r in runs if (r["rc"] != 0 and not r["classified_errors"])
              or r["classify"] is None or r["wp"] is None]
    if broken:
        for r in broken:
            print("frama-c failed on %s (exit status %d) before the proofs could be judged:"
                  % (" ".join(r["files"]), r["rc"]))
            errs = frama_c_errors(r["log"]) or [l for l in r["log"] if l.strip()][-25:]
            for l in errs[:60]:
                print("    " + l)
            if len(errs) > 60:
                print("    ... (%d more lines in the log)" % (len(errs) - 60))
            for f in r["files"]:
                print("FAIL prove %s: 0/0 goals (frama-c failed: nothing was proved)" % f)
        print("proofs: frama-c failed on %d of %d files; nothing of those was proved"
              % (sum(len(r["files"]) for r in broken), len(files)))
        print_share()
        return 1

    # --- function -> file, from the metrics plug-in
    # A function's body is proved in the run of its own file; the other runs
    # only use its contract (from the header).
    func_file = {}
    for r in runs:
        r["bodies"] = set()
        for l in r["log"]:
            m = re.search(r"Stats for function <(.*)/([^/<>]+)>", l)
            if m:
                func_file.setdefault(m.group(2), os.path.normpath(m.group(1)))
                r["bodies"].add(m.group(2))

    # --- classification: locations of unknown properties, other errors
    class_err = [c for r in runs for c in (r["classify"] or []) if c.get("action") == "ERROR"]
    class_by_title = {c.get("title"): c for c in class_err}

    # --- WP goals
    Prop = collections.namedtuple("Prop", "file func name total valid entry")
    props = []
    for r in runs:
        for func, section in (r["wp"].get("wp:functions") or {}).items():
            for name, entry in section.items():
                if name in WP_KEYS:
                    continue
                main = entry.get("wp:main", {})
                props.append(Prop(func_file.get(func, "(unknown file)"), func, name,
                                  main.get("total", 0), main.get("valid", 0), entry))
    sources = acsl_sources(files)
    # A lemma in a header is proved by every run that includes it: count it
    # once, as proved only if it is proved in every run.
    lemmas = collections.OrderedDict()
    for r in runs:
        for axiomatic, section in (r["wp"].get("wp:axiomatics") or {}).items():
            for name, entry in section.items():
                if name in WP_KEYS:
                    continue
                prev = lemmas.get((axiomatic, name))
                main = entry.get("wp:main", {})
                if prev is None or main.get("valid", 0) < prev.get("wp:main", {}).get("valid", 0):
                    lemmas[(axiomatic, name)] = entry
    for (axiomatic, name), entry in lemmas.items():
        lemma = name[len("lemma_"):] if name.startswith("lemma_") else name
        path, _ = find_decl("lemma", lemma, sources)
        main = entry.get("wp:main", {})
        props.append(Prop(os.path.normpath(path) if path else "(lemmas)",
                          "lemma" if not axiomatic else "axiomatic " + axiomatic,
                          name, main.get("total", 0), main.get("valid", 0), entry))

    per_file = collections.OrderedDict((os.path.normpath(f), [0, 0, []]) for f in files)

    def bucket(path):
        return per_file.setdefault(path, [0, 0, []])

    matched_titles = set()
    for p in props:
        b = bucket(p.file)
        b[0] += p.valid
        b[1] += p.total
        if p.valid < p.total:
            c = class_by_title.get(p.name)
            matched_titles.add(p.name)
            where = "%s:%s" % (c["file"], c["line"]) if c else "line ?"
            b[2].append("%s: %s (%s) %d/%d goals valid; %s" % (
                p.func, p.name, where, p.valid, p.total, prover_summary(p.entry)))

    # Property statuses from the kernel (report plug-in CSV).
    rows = []
    for r in runs:
        got = read_csv(r["csv"])
        if got is None:
            print("warning: no property CSV (%s)" % r["csv"])
            got = []
        for row in got:
            row["bodies"] = r["bodies"]
        rows += got
    unproved = [p for p in props if p.valid < p.total]
    # Locations of unproved goals that the classification did not give.
    for p in unproved:
        if p.name in class_by_title:
            continue
        kind = expected_kind(p.func, p.name, set(func_file) | {r["function"] for r in rows})
        lines = sorted({"%s:%s" % (r["path"], r["line"]) for r in rows
                        if r["function"] == p.func and r["kind"] == kind
                        and r["status"] not in ("Valid", "Partially proven")})
        where = ", ".join(lines) if lines else "line ?"
        b = bucket(p.file)[2]
        for i, l in enumerate(b):
            if l.startswith("%s: %s (line ?)" % (p.func, p.name)):
                b[i] = l.replace("(line ?)", "(%s)" % where, 1)

    def covered(title=None, func=None):
        """Already explained by an unproved goal listed above."""
        for p in unproved:
            if title and (title.startswith(p.name) or p.name.startswith(title)):
                return True
            if func and (p.func == func or p.name.startswith(func + "_requires")):
                return True
        return False

    # Classified errors that WP did not list as unproved goals.
    funcs_by_len = sorted(func_file, key=len, reverse=True)
    for c in class_err:
        title = c.get("title", "?")
        if title in matched_titles or covered(title=title):
            continue
        owner = next((fn for fn in funcs_by_len if title.startswith(fn + "_")), None)
        path = func_file.get(owner) if owner else os.path.normpath(c.get("file", "?"))
        bucket(path)[2].append("%s: %s (%s:%s) %s [%s]" % (
            owner or "-", title, c.get("file", "?"), c.get("line", "?"),
            c.get("descr", ""), c.get("classid", "")))

    # Every property of a function with a body must be valid, except its own
    # preconditions when nobody calls it (and behavior assumptions, which are
    # hypotheses). Contracts of functions without body are trusted: listed.
    trusted_fns = collections.OrderedDict()
    for r in rows:
        status, kind, fn, path = r["status"], r["kind"], r["function"], r["path"]
        if status == "Valid" or kind == "behavior assumption":
            continue
        if status == "Ignored" and kind == "precondition":
            continue
        if fn in func_file and fn not in r["bodies"]:
            continue  # its body is proved in the run of its own file
        if fn not in func_file:  # no body: the contract is assumed
            if status in ("Considered valid", "Ignored") and not path.startswith("FRAMAC_SHARE"):
                trusted_fns.setdefault(fn, "%s (%s:%s)" % (fn, path, r["line"]))
            if status in ("Considered valid", "Ignored") or covered(func=fn):
                continue
        elif status == "Considered valid":  # admitted in a function with a body
            trusted_fns.setdefault((fn, kind, r["line"]), "%s %s (%s:%s)" % (
                fn, kind, path, r["line"]))
            continue
        elif status == "Partially proven" and unproved:
            continue  # proved, under hypotheses that are listed as unproved
        elif covered(func=fn):
            continue
        bucket(func_file.get(fn, path))[2].append("%s: %s at %s:%s is %s: %s" % (
            fn or "-", kind, path, r["line"],
            "never tried" if status == "Ignored" else status, r["property"]))

    # --- verdict per file
    ok = True
    n_valid = n_total = 0
    for path, (valid, total, problems) in per_file.items():
        n_valid += valid
        n_total += total
        bad = valid < total or problems
        ok = ok and not bad
        print("%s prove %s: %d/%d goals" % ("FAIL" if bad else "PASS", path, valid, total))
        for p in problems:
            print("    " + p)
    print("proofs: %d/%d goals valid in %d files" % (n_valid, n_total, len(per_file)))
    if n_total == 0:
        print("proofs: WP generated no goal at all: nothing was proved")
        ok = False
    for r in runs:
        if r["rc"] != 0 and ok:
            print("proofs: frama-c exited with status %d on %s although every goal is valid"
                  % (r["rc"], " ".join(r["files"])))
            ok = False

    print_share()

    axioms = []
    for path in sources:
        try:
            with open(path, errors="replace") as f:
                for i, line in enumerate(f, 1):
                    for m in re.finditer(r"\baxiom\s+(\w+)\s*[:{<]", line):
                        axioms.append("%s (%s:%d)" % (m.group(1), path, i))
        except OSError:
            pass
    if axioms or trusted_fns:
        print("trusted, not proved: %d axiom(s)%s; %d contract(s) of functions without "
              "body or admitted properties%s" % (len(axioms), (": " + ", ".join(axioms)) if axioms else "",
                                 len(trusted_fns),
                                 (": " + ", ".join(trusted_fns.values())) if trusted_fns else ""))
    # "No goal generated": a later prover stage with nothing left to prove.
    warns = [w for w in warnings_of(log_lines) if w[2] != "No goal generated"]
    if warns:
        print("frama-c warnings: %d (see build/prove.log)" % len(warns))
        for key, loc, msg in warns[:12]:
            print("    [%s] %s%s" % (key, (loc + ": ") if loc else "", msg[:160]))
        if len(warns) > 12:
            print("    ...")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
