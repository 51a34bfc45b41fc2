#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of compose.py (pytest tools/bench/test_compose.py)."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compose  # noqa: E402

METRICS = [{"name": "tput", "unit": "Mbit/s", "better": "higher"},
           {"name": "gap", "unit": "ms", "better": "lower"},
           {"name": "lost", "unit": "packets", "better": "lower"},
           {"name": "none", "unit": "ms", "better": "lower"}]


def rec(metric, side, value, unit, setup, reason=None):
    r = {"metric": metric, "side": side, "value": value, "unit": unit, "setup": setup}
    if reason:
        r["reason"] = reason
    return r


def test_best_per_side_and_ratio():
    res = compose.compose(METRICS, [
        rec("tput", "anchor", 100.0, "Mbit/s", "a1"),
        rec("tput", "anchor", 150.0, "Mbit/s", "a2"),
        rec("tput", "project", 300.0, "Mbit/s", "p1"),
        rec("gap", "anchor", 30.0, "ms", "bond"),
        rec("gap", "anchor", 20.0, "ms", "nf"),
        rec("gap", "project", 10.0, "ms", "p")])
    assert res["tput"]["anchor"] == 150.0 and res["tput"]["anchor_setup"] == "a2"
    assert res["tput"]["ratio"] == 2.0
    assert res["gap"]["anchor"] == 20.0 and res["gap"]["anchor_setup"] == "nf"
    assert res["gap"]["ratio"] == 0.5
    assert res["gap"]["anchor_all"] == {"bond": 30.0, "nf": 20.0}


def test_missing_and_failed_stay_null():
    res = compose.compose(METRICS, [
        rec("lost", "anchor", None, "packets", "bond", "stream failed"),
        rec("lost", "anchor", 0, "packets", "nf"),
        rec("lost", "project", 5, "packets", "p"),
        rec("gap", "anchor", 12.0, "s", "wrong unit")])
    assert res["none"]["anchor"] is None and res["none"]["project"] is None
    assert res["none"]["ratio"] is None
    assert res["lost"]["anchor"] == 0 and res["lost"]["ratio"] is None  # 5 / 0
    assert res["lost"]["ratio_note"] == "anchor 0: project 5"
    assert compose.ratio_cell(res["lost"]) == "n/a (anchor 0)"
    assert res["lost"]["anchor_failed"] == ["bond: stream failed"]
    assert res["gap"]["anchor"] is None and "anchor_failed" in res["gap"]


def test_main_writes_json(tmp_path):
    m = tmp_path / "m.json"
    m.write_text(json.dumps(METRICS))
    r = tmp_path / "r.jsonl"
    r.write_text(json.dumps(rec("tput", "anchor", 1.5, "Mbit/s", "x")) + "\nnot json\n")
    out = tmp_path / "out.json"
    sys.argv = ["compose", "--metrics", str(m), "--records", str(r), "--out", str(out)]
    assert compose.main() == 0
    got = json.loads(out.read_text())
    assert list(got) == ["tput", "gap", "lost", "none"]
    assert got["tput"]["anchor"] == 1.5


def test_cases_summary(tmp_path):
    c = tmp_path / "cases.jsonl"
    c.write_text(json.dumps({"case": "30-x", "side": "project", "exit": 0, "seconds": 5}) + "\n" +
                 json.dumps({"case": "55-y", "side": "project", "exit": 1, "seconds": 7,
                             "reason": "no PF"}) + "\n")
    cases = compose.load_cases(str(c))
    lines = compose.case_lines(cases)
    assert "ok" in lines[0] and "FAILED (exit 1): no PF" in lines[1]
    assert compose.load_cases(str(tmp_path / "absent")) == []


def test_fixed_anchor_only_when_not_measured():
    m = [{"name": "fm", "unit": "packets", "better": "lower",
          "anchor_fixed": {"value": 0, "source": "issue #4: target 0"}}]
    res = compose.compose(m, [rec("fm", "project", 0, "packets", "p")])
    assert res["fm"]["anchor"] == 0 and res["fm"]["anchor_fixed"] is True
    assert res["fm"]["anchor_setup"] == "fixed: issue #4: target 0"
    res = compose.compose(m, [rec("fm", "anchor", 3, "packets", "igb")])
    assert res["fm"]["anchor"] == 3 and "anchor_fixed" not in res["fm"]


def test_rounds_give_median_min_max():
    recs = [rec("tput", "anchor", v, "Mbit/s", "igb") for v in (100.0, 140.0, 120.0, 90.0, 130.0)]
    recs += [rec("tput", "project", v, "Mbit/s", "p") for v in (110.0, 125.0, 118.0, 300.0, 95.0)]
    # a second anchor setup with a better single value but a worse median
    recs += [rec("tput", "anchor", v, "Mbit/s", "other") for v in (200.0, 10.0, 20.0)]
    res = compose.compose(METRICS, recs)
    a, p = res["tput"]["anchor_runs"], res["tput"]["project_runs"]
    assert res["tput"]["anchor"] == 120.0 and res["tput"]["anchor_setup"] == "igb"
    assert (a["min"], a["max"], a["n"]) == (90.0, 140.0, 5)
    assert res["tput"]["project"] == 118.0 and (p["min"], p["max"]) == (95.0, 300.0)
    assert res["tput"]["ratio"] == round(118.0 / 120.0, 3)
    assert res["tput"]["anchor_all"] == {"igb": 120.0, "other": 20.0}
    assert compose.value_cell(res["tput"], "anchor") == "120.0 [90.0..140.0] x5"


def test_single_run_has_no_runs_entry():
    res = compose.compose(METRICS, [rec("lost", "project", 0, "packets", "p"),
                                    rec("lost", "project", 2, "packets", "q")])
    assert res["lost"]["project"] == 0 and "project_runs" not in res["lost"]
    assert compose.value_cell(res["lost"], "project") == "0"
