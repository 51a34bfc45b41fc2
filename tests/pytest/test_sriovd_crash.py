# SPDX-License-Identifier: GPL-2.0
"""SIGKILL sriovd in the middle of attach and detach sequences, restart
it, and check that the (file-backed) fake kernel and the daemon agree with
nothing leaked or duplicated.  The fake backend sleeps in every mutating
call so that the kills land inside sequences; the test counts how many did
and fails if too few, so it cannot pass vacuously."""

import json
import random
import subprocess
import time

from conftest import PF0, SRIOVCTL, Daemon, journal_replay, kernel_leaks

MAC = "02:00:00:00:02:01"
ROUNDS = 16


def recoveries(log_text):
    return log_text.count("recovery: ")


def started(d):
    """sequences the daemon has logged as started (engine: "... started")"""
    return d.log.read_text().count(" started (cause ")


def run_client(d, cmd):
    """sriovctl CMD vm1 in the background, returned once the daemon has
    logged the sequence's start (the client's own start and connect are
    not part of the sequence: under the sanitizers and a loaded host they
    vary more than the sequence does)"""
    n = started(d)
    client = subprocess.Popen([str(SRIOVCTL), "--socket", str(d.sock), cmd, "vm1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while started(d) == n:
        assert client.poll() is None, f"{cmd}: sriovctl exited {client.returncode} before a sequence started"
        assert time.monotonic() < deadline, f"{cmd}: no sequence started within 30 s"
        time.sleep(0.002)
    return client


def sequence_span(d, cmd):
    """seconds from the sequence's start to the client's return"""
    client = run_client(d, cmd)
    t0 = time.monotonic()
    assert client.wait(timeout=60) == 0, f"{cmd} failed"
    return time.monotonic() - t0


def check(d):
    st = d.wait_idle(timeout=60)
    rc, audit = d.ctl_json("audit")
    assert rc == 0 and audit["result"]["consistent"], audit
    st, k = d.quiet_state(timeout=60)
    problems = kernel_leaks(k, st["partitions"])
    assert problems == [], problems
    # the fake's state file, replayed independently, holds what it holds
    f = d.kernel_file()
    assert f["adapters"] == k["adapters"]
    for name, pf in k["pfs"].items():
        assert (f["pfs"][name]["vfs"], f["pfs"][name]["vports"]) == (pf["vfs"], pf["vports"]), name
        assert [f["filters"][name][i] for i in sorted(f["filters"][name], key=int)] == pf["filters"], name
    # and sriovd's journal, replayed, has nothing in flight
    j = journal_replay(d.state_dir / "state.json")
    assert j["sequences"] == {}, j["sequences"]
    assert sorted(j["model"]["partitions"]) == sorted(p["name"] for p in st["partitions"])
    return st


def test_sigkill_mid_sequence_then_restart(workdir):
    d = Daemon(workdir)
    d.start()
    rng = random.Random(7)
    try:
        d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC, check=0)
        d.ctl("fake", json.dumps({"delay_ms": 15}), check=0)
        # measure one attach and one detach, from their start, to aim the kills
        t_attach = sequence_span(d, "attach")
        t_detach = sequence_span(d, "detach")
        mid = 0
        for i in range(ROUNDS):
            st = check(d)
            attached = st["partitions"][0]["vf"] is not None
            cmd, span = ("detach", t_detach) if attached else ("attach", t_attach)
            before = recoveries(d.log.read_text())
            client = run_client(d, cmd)
            time.sleep(rng.uniform(0.05, 0.95) * span)
            d.kill()
            client.wait(timeout=10)
            d.start()
            st = check(d)
            if recoveries(d.log.read_text()) > before:
                mid += 1
            # the outcome is one of the two consistent states, never half
            p = st["partitions"][0]
            if p["vf"] is not None:
                assert p["vf"]["datapath"] == "vf" and p["vf"]["filters_on_vf"]
            k = d.kernel()
            assert sum(v["allocated"] for v in k["pfs"][PF0]["vfs"]) == (1 if p["vf"] else 0)
            assert sum(1 for vp in k["pfs"][PF0]["vports"] if vp["vf"] is not None) == (1 if p["vf"] else 0)
            if cmd == "detach" and p["vf"] is None:
                # want_vf cleared by the detach that was interrupted
                pass
        print(f"{mid} of {ROUNDS} SIGKILLs landed inside a sequence")
        assert mid >= ROUNDS // 2, f"only {mid} of {ROUNDS} kills landed inside a sequence"
    finally:
        if d.proc and d.proc.poll() is None:
            d.kill()


ATTACH_STEPS = ["vf_allocate", "vport_create", "vf_to_child", "wait_pair", "filters_to_vf", "datapath_vf"]
RELEASE_STEPS = ["filters_to_default", "datapath_synthetic", "vf_from_child", "vport_delete", "vf_flr",
                 "vf_free"]


def test_sigkill_at_every_step_boundary(workdir):
    """The test hook SRIOVD_CRASH_AT=<kind>:<step>:<before|after> makes sriovd
    SIGKILL itself at one step boundary.  Every boundary of attach and of
    failover, in turn: the daemon must die there (exit by SIGKILL, the hook's
    log line), and after a restart without the hook the daemon's model and
    the fake kernel agree with nothing leaked or duplicated."""
    d = Daemon(workdir)
    d.start()
    d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC, check=0)
    points = [("attach", s, w) for s in ATTACH_STEPS for w in ("before", "after")] + \
             [("failover", s, w) for s in RELEASE_STEPS for w in ("before", "after")]
    try:
        for kind, step, when in points:
            st = check(d)
            attached = st["partitions"][0]["vf"] is not None
            if kind == "attach" and attached:
                d.ctl("detach", "vm1", check=0)
            elif kind == "failover" and not attached:
                d.ctl("attach", "vm1", check=0)
            check(d)
            d.kill()  # idle: a kill here loses nothing (a SIGTERM would release the VF)
            spec = f"{kind}:{step}:{when}"
            d.env = {"SRIOVD_CRASH_AT": spec}
            d.start()
            d.env = None
            d.ctl(kind, "vm1", *(["--hold", "3600"] if kind == "failover" else []))
            rc = d.proc.wait(timeout=30)
            assert rc == -9, f"{spec}: sriovd exited {rc}, not by SIGKILL"
            assert f"SRIOVD_CRASH_AT={spec}: SIGKILL now" in d.log.read_text(), spec
            d.start()
            st = check(d)
            p = st["partitions"][0]
            k = d.kernel()
            n_vf = sum(v["allocated"] for v in k["pfs"][PF0]["vfs"])
            n_vp = sum(1 for vp in k["pfs"][PF0]["vports"] if vp["vf"] is not None)
            assert (n_vf, n_vp) == ((1, 1) if p["vf"] else (0, 0)), (spec, k["pfs"][PF0])
            if p["vf"]:
                assert p["vf"]["datapath"] == "vf" and p["vf"]["filters_on_vf"], (spec, p)
            # a second restart changes nothing
            d.kill()
            d.start()
            assert check(d)["partitions"][0]["vf"] == p["vf"], spec
    finally:
        if d.proc and d.proc.poll() is None:
            d.kill()
