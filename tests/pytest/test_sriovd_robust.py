# SPDX-License-Identifier: GPL-2.0
"""sriovd's robustness on the fake backend: a journal write failure fails
the command, an unusable journal stops the daemon (exit 4) and
`sriovd --check-state` says why, the crash-loop breaker parks a sequence
that crashes the daemon at every start, a simulated reboot (the fake
kernel's state wiped, a new boot id) brings the partitions back, and
namespaces are never shared."""

import json
import subprocess
import time
import zlib

from conftest import PF0, PF1, SRIOVD, Daemon, kernel_leaks

MAC1 = "02:00:00:00:03:01"
MAC2 = "02:00:00:00:03:02"
EXIT_JOURNAL = 4


def consistent(d):
    d.wait_idle(timeout=60)
    rc, audit = d.ctl_json("audit")
    assert rc == 0 and audit["result"]["consistent"], audit
    st, k = d.quiet_state(timeout=60)
    assert kernel_leaks(k, st["partitions"]) == []
    return st


def check_state(d):
    return subprocess.run([str(SRIOVD), "--check-state", str(d.state_dir)], capture_output=True, text=True,
                          timeout=30)


def test_journal_write_failure_fails_the_command(daemon):
    d = daemon
    d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC1, check=0)
    d.ctl("fake", json.dumps({"journal_fail": {"errno": 28}}), check=0)  # ENOSPC
    r = d.ctl("attach", "vm1")
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "journal_write_failed" in r.stderr + r.stdout, r.stderr
    r = d.ctl("weight", "vm1", "50")
    assert r.returncode == 1 and "journal_write_failed" in r.stderr, (r.stdout, r.stderr)
    d.ctl("fake", json.dumps({"journal_fail": {"errno": 0}}), check=0)
    st = consistent(d)
    p = st["partitions"][0]
    assert p["vf"] is None and p["weight"] == 100, p
    assert sum(v["allocated"] for v in d.kernel()["pfs"][PF0]["vfs"]) == 0
    d.ctl("attach", "vm1", check=0)
    consistent(d)


def test_unusable_journal_stops_the_daemon_and_check_state_says_why(workdir):
    d = Daemon(workdir)
    d.start()
    try:
        d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC1, check=0)
        d.ctl("attach", "vm1", check=0)
        consistent(d)
        r = check_state(d)
        assert r.returncode == 0 and "valid, schema version 3" in r.stdout, (r.stdout, r.stderr)
        assert "1 partition(s), 1 with a VF" in r.stdout, r.stdout
    finally:
        d.kill()
    state = d.state_dir / "state.json"
    log = d.state_dir / "state.json.log"
    good, good_log = state.read_text(), log.read_bytes()
    # a well-framed change record that puts a value of the wrong type
    payload = json.dumps({"lsn": 10**9, "put": {"/next_seq": "x"}, "del": []}, separators=(",", ":")).encode()
    bad_record = b"%d %08x %s\n" % (len(payload), zlib.crc32(payload), payload)
    for spoil, spoil_log, why in ((good[: len(good) // 2], good_log, "not valid JSON"),
                                  (json.dumps(dict(json.loads(good), version=99)), good_log,
                                   "unsupported schema version 99"),
                                  (good, good_log + bad_record, "next_seq"),
                                  (good, b"garbage\n" + good_log, "damaged and records follow it")):
        state.write_text(spoil)
        log.write_bytes(spoil_log)
        r = check_state(d)
        assert r.returncode == EXIT_JOURNAL, (why, r.returncode, r.stdout, r.stderr)
        assert why in r.stderr, (why, r.stderr)
        p = subprocess.run(d.argv(), capture_output=True, text=True, timeout=30)
        assert p.returncode == EXIT_JOURNAL, (why, p.returncode, p.stderr)
        assert "journal unusable, not starting" in p.stderr and why in p.stderr, p.stderr
        # the VF sriovd holds was not released
        assert sum(v["allocated"] for v in d.kernel()["pfs"][PF0]["vfs"]) == 1, why
    state.write_text(good)
    log.write_bytes(good_log)
    d.start()
    try:
        st = consistent(d)
        assert st["partitions"][0]["vf"] is not None
    finally:
        d.kill()
    r = subprocess.run([str(SRIOVD), "--check-state", str(workdir / "nowhere")], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode != 0 and "not a directory" in r.stderr


def test_crash_loop_breaker_parks_then_resume(workdir):
    """SRIOVD_CRASH_AT stays set across starts: the failover (a kind that
    resumes at its interrupted step) kills the daemon at every start until
    the third start in a row parks it."""
    d = Daemon(workdir, extra=["--crash-limit", "3"])
    d.start()
    d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC1, check=0)
    d.ctl("attach", "vm1", check=0)
    consistent(d)
    d.kill()
    spec = "failover:vf_flr:before"
    d.env = {"SRIOVD_CRASH_AT": spec}
    try:
        d.start()
        d.ctl("failover", "vm1", "--hold", "3600")
        assert d.proc.wait(timeout=30) == -9
        for start in (2, 3):
            d.start()
            assert d.proc.wait(timeout=30) == -9, f"start {start} did not resume the failover"
        assert d.log.read_text().count(f"SRIOVD_CRASH_AT={spec}: SIGKILL now") == 3
        d.start()  # in flight at this start too: parked, so no crash
        time.sleep(0.5)
        assert d.proc.poll() is None, "the parked sequence still ran"
        seqs = d.request("sequences")
        assert seqs["ok"] and len(seqs["result"]) == 1 and seqs["result"][0]["parked"], seqs
        rc, st = d.ctl_json("status")
        assert rc == 0 and st["result"]["sequences"][0]["parked"], st
        assert "(PARKED)" in d.ctl("status", check=0).stdout
        seq = seqs["result"][0]["id"]
        assert seqs["result"][0]["restarts"] == 3
        r = d.ctl("audit")
        assert r.returncode == 1 and "parked" in r.stdout + r.stderr, (r.stdout, r.stderr)
        rc, ev = d.ctl_json("events")
        assert any(e["type"] == "sequence_parked" and e["seq"] == seq for e in ev["result"]["events"]), ev
        r = d.ctl("attach", "vm1")
        assert r.returncode == 6, (r.returncode, r.stderr)  # busy: the parked sequence holds it
        # the fault fixed (no crash point), resumed by request
        d.kill()
        d.env = None
        d.start()
        seqs = d.request("sequences")
        assert seqs["result"][0]["parked"], "a start resumed a parked sequence"
        d.ctl("sequence", "resume", str(seq), check=0)
        st = consistent(d)
        assert st["partitions"][0]["vf"] is None
        r = d.ctl("sequence", "discard", str(seq))
        assert r.returncode == 1 and "no parked sequence" in r.stderr, (r.returncode, r.stderr)
    finally:
        if d.proc and d.proc.poll() is None:
            d.kill()


def test_reboot_recreates_partitions_and_reattaches(workdir):
    boot_id = workdir / "boot_id"
    boot_id.write_text("11111111-1111-1111-1111-111111111111\n")
    d = Daemon(workdir)
    d.env = {"SRIOVD_BOOT_ID_FILE": str(boot_id)}
    d.start()
    try:
        d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC1, check=0)
        d.ctl("partition", "add", "vm2", "--pf", PF1, "--mac", MAC2, "--vlan", "10", check=0)
        d.ctl("attach", "vm1", check=0)
        d.ctl("attach", "vm2", check=0)
        # a hold-off on the monotonic clock of this boot
        d.ctl("failover", "vm2", "--hold", "36000", check=0)
        st = consistent(d)
        assert [p["vf"] is not None for p in st["partitions"]] == [True, False]
    finally:
        d.kill()  # the power goes
    # what a reboot does to the kernel: nothing of it is left
    for f in (d.fake_state, d.fake_state.with_name(d.fake_state.name + ".log")):
        if f.exists():
            f.unlink()
    boot_id.write_text("22222222-2222-2222-2222-222222222222\n")
    d.start()
    try:
        st = consistent(d)
        k = d.kernel()
        assert sorted(a for a in k["adapters"]) == ["vm1", "vm2"], k["adapters"]
        assert {"vm1", "vm2"} <= set(k["netns"]), k["netns"]
        for p in st["partitions"]:
            assert p["vf"] is not None, p  # re-attached by policy, the old hold-off dropped
        rc, ev = d.ctl_json("events")
        reboots = [e for e in ev["result"]["events"] if e["type"] == "reboot"]
        assert len(reboots) == 1 and reboots[0]["previous_boot_id"].startswith("1111"), reboots
        # a restart in the same boot re-creates nothing
        d.kill()
        d.start()
        consistent(d)
        rc, ev = d.ctl_json("events")
        assert len([e for e in ev["result"]["events"] if e["type"] == "reboot"]) == 1
    finally:
        d.kill()


def test_namespaces_by_path_and_never_shared(daemon):
    d = daemon
    d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC1, check=0)
    for ns in ("vm1", "/var/run/netns/vm1", "/run/netns/vm1"):
        r = d.ctl("partition", "add", "vm2", "--pf", PF0, "--mac", MAC2, "--netns", ns)
        assert r.returncode == 2 and "cannot share" in r.stderr, (ns, r.returncode, r.stderr)
    for ns in ("/proc/self/ns/net", "/tmp/x", "../vm1"):
        r = d.ctl("partition", "add", "vm2", "--pf", PF0, "--mac", MAC2, "--netns", ns)
        assert r.returncode == 2, (ns, r.returncode, r.stderr)
    # a path to a namespace nobody made: refused, nothing created
    r = d.ctl("partition", "add", "vm2", "--pf", PF0, "--mac", MAC2, "--netns", "/proc/999999/ns/net")
    assert r.returncode == 1 and "no network namespace at /proc/999999/ns/net" in r.stderr, r.stderr
    # a namespace that exists, named by path: used
    d.ctl("partition", "remove", "vm1", check=0)
    d.ctl("partition", "add", "vm2", "--pf", PF0, "--mac", MAC2, "--netns", "/var/run/netns/vm1", check=0)
    d.ctl("attach", "vm2", check=0)
    st = consistent(d)
    assert st["partitions"][0]["netns"] == "/var/run/netns/vm1"
