#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The end of `make check`: every skipped check with its reason, every VM
rerun, and a verdict.

Reads what this run left in the build tree (`make check` removes the
previous run's files first):

  build/ctest-junit.xml       ctest --output-junit: tests skipped as a whole
  build/ktap/NAME.tap         each VM test's KTAP output (tools/vm/run)
  build/cmake/junit-*.xml     each pytest file's JUnit report
  build/vm/reruns.txt         guests the VM harness ran a second time

Fails (exit 1) when a skip is not on the allow-list (tests/skip-allow.txt)
or when any check reports an expected failure (KTAP "# XFAIL", pytest
xfail): the rules are in tests/README.rst.
"""

import argparse
import fnmatch
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALLOW = os.path.join(TOP, "tests", "skip-allow.txt")

# "ok 3 desc # SKIP reason", "1..0 # SKIP reason", "ok 4 desc # XFAIL why"
KTAP_DIRECTIVE = re.compile(r"^\s*(?:ok\s+\d+\s*(?P<desc>.*?)|1\.\.0)\s*#\s*(?P<kind>SKIP|XFAIL)\b\s*(?P<why>.*)$",
                            re.IGNORECASE)


def load_allow(path):
    """[(test glob, reason regex, justification)]; a malformed line is an
    error, not silently ignored."""
    rules = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split(" | ")]
            if len(parts) != 3 or not all(parts):
                raise SystemExit("%s:%d: want 'TEST-GLOB | REASON-REGEX | WHY A USER MAY LACK IT'"
                                 % (path, n))
            rules.append((parts[0], re.compile(parts[1]), parts[2]))
    return rules


def ktap_items(build):
    """(test, check, kind, reason) from every VM test's KTAP output."""
    for tap in sorted(glob.glob(os.path.join(build, "ktap", "*.tap"))):
        test = "vm." + os.path.splitext(os.path.basename(tap))[0]
        with open(tap, errors="replace") as f:
            for line in f:
                m = KTAP_DIRECTIVE.match(line.rstrip("\n"))
                if m:
                    yield (test, m.group("desc") or "(whole test)", m.group("kind").upper(),
                           m.group("why").strip())


def junit_cases(path):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        raise SystemExit("%s: unreadable JUnit report: %s" % (path, e))
    return root.iter("testcase")


def pytest_items(build):
    """(test, check, kind, reason) from the pytest files' JUnit reports."""
    for xml in sorted(glob.glob(os.path.join(build, "cmake", "junit-*.xml"))):
        stem = os.path.basename(xml)[len("junit-"):-len(".xml")]
        test = ("asan.pytest." + stem[len("asan-"):]) if stem.startswith("asan-") \
            else "pytest." + stem
        for tc in junit_cases(xml):
            sk = tc.find("skipped")
            if sk is None:
                continue
            kind = "XFAIL" if "xfail" in (sk.get("type") or "") else "SKIP"
            yield (test, tc.get("name", "?"), kind, (sk.get("message") or "").strip())


def ctest_skipped(build):
    """Tests that ctest itself counted as skipped or not run."""
    path = os.path.join(build, "ctest-junit.xml")
    if not os.path.exists(path):
        return []
    out = []
    for tc in junit_cases(path):
        if tc.find("skipped") is not None or tc.get("status") in ("notrun", "disabled"):
            out.append(tc.get("name", "?"))
    return out


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.path.join(TOP, "build"))
    p.add_argument("--allow", default=ALLOW)
    a = p.parse_args(argv)

    rules = load_allow(a.allow)
    items = list(ktap_items(a.build)) + list(pytest_items(a.build))
    # a test ctest skipped as a whole says why in its KTAP plan line; one
    # that left no output at all is reported with that
    detailed = {t for t, _, _, _ in items}
    for t in ctest_skipped(a.build):
        if t not in detailed:
            items.append((t, "(whole test)", "SKIP", "skipped by ctest, no reason recorded"))

    bad = 0
    skips = [i for i in items if i[2] == "SKIP"]
    xfails = [i for i in items if i[2] == "XFAIL"]
    print("== skipped checks: %d" % len(skips))
    for test, check, _, why in skips:
        rule = next((r for r in rules if fnmatch.fnmatchcase(test, r[0]) and r[1].search(why)),
                    None)
        if rule:
            print("  %s: %s: %s  [allowed: %s]" % (test, check, why, rule[2]))
        else:
            bad += 1
            print("  %s: %s: %s  [NOT ALLOWED: not on %s]"
                  % (test, check, why, os.path.relpath(a.allow, TOP)))
    if xfails:
        print("== expected failures: %d (none are allowed: a check passes or fails)" % len(xfails))
        for test, check, _, why in xfails:
            bad += 1
            print("  %s: %s: %s" % (test, check, why))

    reruns = os.path.join(a.build, "vm", "reruns.txt")
    lines = []
    if os.path.exists(reruns):
        with open(reruns, errors="replace") as f:
            lines = [ln.rstrip("\n") for ln in f if ln.strip()]
    print("== VM guests run a second time: %d" % len(lines))
    for ln in lines:
        print("  " + ln.replace("\t", " | "))

    if bad:
        print("test-summary: FAIL: %d skip(s) not on the allow-list or expected failure(s)" % bad)
        return 1
    print("test-summary: every skip is on the allow-list")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
