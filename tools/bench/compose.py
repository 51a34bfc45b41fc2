#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Compose build/bench/results.json from the records of a bench run.

Input: tools/bench/metrics.json (the metric list: name, unit, better) and
the JSON lines the cases wrote with bench_record/bench_fail
(metric, side, value, unit, setup, case[, round][, reason]).  The values of
one setup (one per round when guest.sh ran the case in rounds) give its
median, with min, max and the values; for each metric and side the setup
with the best median is taken ("better": higher or lower); ratio =
project / anchor of those medians.  A metric nobody measured stays null.
"""

import argparse
import json
import statistics
import sys

SIDES = ("project", "anchor")


def load_records(path):
    recs = []
    try:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    recs.append(json.loads(line))
                except json.JSONDecodeError:
                    print("compose: %s:%d: not JSON, ignored" % (path, n), file=sys.stderr)
    except FileNotFoundError:
        print("compose: no records in %s" % path, file=sys.stderr)
    return recs


def best(setups, better):
    """the setup whose median is best: (setup, runs)"""
    pick = max if better == "higher" else min
    return pick(setups.items(), key=lambda kv: kv[1]["median"])


def runs_of(values):
    """median, min, max and the values of one setup's runs"""
    med = statistics.median(values)
    if all(isinstance(v, int) for v in values) and med == int(med):
        med = int(med)
    return {"median": med, "min": min(values), "max": max(values), "n": len(values),
            "values": values}


def compose(metrics, recs):
    out = {}
    for m in metrics:
        name, unit = m["name"], m["unit"]
        e = {"project": None, "anchor": None, "ratio": None, "unit": unit,
             "better": m["better"], "anchor_setup": None, "project_setup": None}
        for side in SIDES:
            mine = [r for r in recs if r.get("metric") == name and r.get("side") == side]
            ok = [r for r in mine if isinstance(r.get("value"), (int, float))
                  and not isinstance(r.get("value"), bool) and r.get("unit") == unit]
            bad_unit = [r for r in mine if r.get("value") is not None and r.get("unit") != unit]
            notes = ["%s: %s" % (r.get("setup"), r.get("reason", "")) for r in mine
                     if r.get("value") is None]
            notes += ["%s: unit %r is not %r, ignored" % (r.get("setup"), r.get("unit"), unit)
                      for r in bad_unit]
            if ok:
                setups = {}
                for r in ok:
                    setups.setdefault(r["setup"], []).append(r["value"])
                setups = {k: runs_of(v) for k, v in setups.items()}
                setup, runs = best(setups, m["better"])
                e[side] = runs["median"]
                e[side + "_setup"] = setup
                e[side + "_all"] = {k: v["median"] for k, v in setups.items()}
                if runs["n"] > 1:
                    e[side + "_runs"] = runs
            if notes:
                e[side + "_failed"] = notes
        fixed = m.get("anchor_fixed")
        if e["anchor"] is None and fixed is not None:
            # no in-tree setup can measure it: the figure, marked
            e["anchor"] = fixed["value"]
            e["anchor_setup"] = "fixed: " + fixed["source"]
            e["anchor_fixed"] = True
        if e["project"] is not None and e["anchor"]:
            e["ratio"] = round(e["project"] / e["anchor"], 3)
        elif e["project"] is not None and e["anchor"] == 0:
            # a count whose anchor is 0 (no loss): no ratio; say so
            e["ratio_note"] = "anchor 0: project %s" % fmt(e["project"])
        out[name] = e
    unknown = sorted({r.get("metric") for r in recs} - {m["name"] for m in metrics})
    for u in unknown:
        print("compose: record for unknown metric %r ignored" % u, file=sys.stderr)
    return out


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return ("%.3f" % v).rstrip("0").rstrip(".") if abs(v) < 10 else "%.1f" % v
    return str(v)


def value_cell(e, side):
    """the side's value; a median of several runs with its range and count"""
    runs = e.get(side + "_runs")
    if not runs:
        return fmt(e[side])
    return "%s [%s..%s] x%d" % (fmt(runs["median"]), fmt(runs["min"]), fmt(runs["max"]),
                                runs["n"])


def ratio_cell(e):
    if e["ratio"] is not None:
        return fmt(e["ratio"])
    if e.get("ratio_note"):
        return "n/a (anchor 0)"
    return "-"


def load_cases(path):
    """The cases' exit codes and times (guest.sh's cases.jsonl), if any."""
    if not path:
        return []
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except (OSError, json.JSONDecodeError) as err:
        print("compose: cases %s: %s" % (path, err), file=sys.stderr)
        return []


def case_lines(cases):
    lines = []
    for c in cases:
        st = "ok" if c.get("exit") == 0 else ("TIMED OUT" if c.get("exit") == 124
                                              else "FAILED (exit %s)" % c.get("exit"))
        why = ": " + c["reason"] if c.get("reason") and c.get("exit") != 0 else ""
        lines.append("  %-40s %5s s  %s%s" % (c.get("case"), c.get("seconds"), st, why))
    return lines


def table(res):
    rows = [("metric", "unit", "project", "anchor", "ratio", "anchor setup")]
    for name, e in res.items():
        setup = e["anchor_setup"] or "; ".join(e.get("anchor_failed", [])) or "-"
        rows.append((name, e["unit"], value_cell(e, "project"), value_cell(e, "anchor"),
                     ratio_cell(e), setup))
    w = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(r[j].ljust(w[j]) for j in range(5)) + "  " + r[5])
        if i == 0:
            lines.append("  ".join("-" * w[j] for j in range(5)) + "  " + "-" * 12)
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--metrics", required=True)
    p.add_argument("--records", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--cases", help="guest.sh's cases.jsonl (exit code and time per case)")
    a = p.parse_args()
    with open(a.metrics) as f:
        metrics = json.load(f)
    res = compose(metrics, load_records(a.records))
    with open(a.out, "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    print(table(res))
    cases = load_cases(a.cases)
    if cases:
        print("\ncases (%d s in all):" % sum(c.get("seconds", 0) for c in cases))
        print("\n".join(case_lines(cases)))
    missing = ["%s (%s)" % (n, "/".join(s for s in SIDES if e[s] is None))
               for n, e in res.items() if e["project"] is None or e["anchor"] is None]
    if missing:
        print("\nno value: " + ", ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
