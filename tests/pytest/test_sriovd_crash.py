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

from conftest import PF0, SRIOVCTL, Daemon, kernel_leaks

MAC = "02:00:00:00:02:01"
ROUNDS = 16


def recoveries(log_text):
    return log_text.count("recovery: ")


def check(d):
    st = d.wait_idle(timeout=60)
    rc, audit = d.ctl_json("audit")
    assert rc == 0 and audit["result"]["consistent"], audit
    problems = kernel_leaks(d.kernel(), st["partitions"])
    assert problems == [], problems
    return st


def test_sigkill_mid_sequence_then_restart(workdir):
    d = Daemon(workdir)
    d.start()
    rng = random.Random(7)
    try:
        d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC, check=0)
        d.ctl("fake", json.dumps({"delay_ms": 15}), check=0)
        # measure one attach and one detach to aim the kills
        t0 = time.monotonic()
        d.ctl("attach", "vm1", check=0)
        t_attach = time.monotonic() - t0
        t0 = time.monotonic()
        d.ctl("detach", "vm1", check=0)
        t_detach = time.monotonic() - t0
        mid = 0
        for i in range(ROUNDS):
            st = check(d)
            attached = st["partitions"][0]["vf"] is not None
            cmd, span = ("detach", t_detach) if attached else ("attach", t_attach)
            before = recoveries(d.log.read_text())
            client = subprocess.Popen([str(SRIOVCTL), "--socket", str(d.sock), cmd, "vm1"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
