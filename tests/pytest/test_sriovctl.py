# SPDX-License-Identifier: GPL-2.0
"""sriovctl against sriovd --backend=fake: commands, --json, exit codes,
privilege, garbage on the socket, single instance, clean stop."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

from conftest import PF0, PF1, SRIOVCTL, Daemon, kernel_leaks

MAC1 = "02:00:00:00:01:01"
MAC2 = "02:00:00:00:01:02"
MAC3 = "02:00:00:00:01:03"


def add(d, name, mac, *extra, pf=PF0):
    d.ctl("partition", "add", name, "--pf", pf, "--mac", mac, *extra, check=0)


def assert_consistent(d):
    st = d.wait_idle()
    rc, audit = d.ctl_json("audit")
    assert rc == 0 and audit["result"]["consistent"], audit
    st, k = d.quiet_state()
    assert kernel_leaks(k, st["partitions"]) == []


def test_attach_failover_detach(daemon):
    add(daemon, "vm1", MAC1)
    r = daemon.ctl("attach", "vm1", check=0)
    # human output: the sequence with its phases in order
    steps = [l.split()[0] for l in r.stdout.splitlines()[1:]]
    assert steps == ["vf_allocate", "vport_create", "vf_to_child", "wait_pair",
                     "filters_to_vf", "datapath_vf"]
    rc, lst = daemon.ctl_json("list")
    assert rc == 0
    (p,) = lst["result"]
    assert p["vf"]["datapath"] == "vf" and p["vf"]["pf"] == PF0
    k = daemon.kernel()
    vf = k["pfs"][PF0]["vfs"][p["vf"]["vf"]]
    assert vf["allocated"] and vf["netns"] == "vm1" and vf["mac"] == MAC1
    assert k["adapters"]["vm1"]["datapath"] == "vf"
    assert_consistent(daemon)

    rc, out = daemon.ctl_json("failover", "vm1", "--hold", "3600")
    assert rc == 0, out
    ev = out["result"]
    assert [ph["step"] for ph in ev["phases"]] == [
        "datapath_synthetic", "filters_to_default", "vf_from_child",
        "vport_delete", "vf_flr", "vf_free"]
    assert all(ph["end_ms"] >= ph["start_ms"] for ph in ev["phases"])
    assert ev["duration_ms"] >= 0
    assert_consistent(daemon)

    daemon.ctl("detach", "vm1", check=0)
    daemon.ctl("partition", "remove", "vm1", check=0)
    assert daemon.kernel()["adapters"] == {}
    assert_consistent(daemon)


def test_status_vf_show_config_space_metrics(daemon):
    add(daemon, "vm1", MAC1)
    daemon.ctl("attach", "vm1", check=0)
    r = daemon.ctl("status", check=0)
    assert PF0 in r.stdout and "vm1" in r.stdout
    r = daemon.ctl("vf", "show", PF0, "0", check=0)
    assert "assigned" in r.stdout and "vm1" in r.stdout
    rc, vfs = daemon.ctl_json("vf", "show", PF0)
    assert rc == 0 and len(vfs["result"]) == 7
    r = daemon.ctl("config-space", "read", PF0, "0", "0", "16", check=0)
    assert r.stdout.splitlines()[0].startswith("000: 86 80 ca 10")
    r = daemon.ctl("metrics", check=0)
    assert 'sriovd_sequences_total{kind="attach",result="ok"} 1' in r.stdout
    assert f'sriovd_vfs{{pf="{PF0}",state="assigned"}} 1' in r.stdout
    r = daemon.ctl("events", "--phases", check=0)
    assert "attach vm1: ok" in r.stdout and "wait_pair" in r.stdout
    r = daemon.ctl("list-commands", check=0)
    assert "attach" in r.stdout


def test_exit_codes(daemon, workdir):
    # 2: usage
    assert daemon.ctl("attach").returncode == 2
    assert daemon.ctl("frobnicate").returncode == 2
    assert daemon.ctl("partition", "add", "x", "--pf", PF0).returncode == 2
    # 5: not found, with a hint
    r = daemon.ctl("attach", "ghost")
    assert r.returncode == 5 and "unknown_partition" in r.stderr and "hint:" in r.stderr
    assert daemon.ctl("vf", "show", "0000:99:00.0").returncode == 5
    # 1: the sequence failed and was rolled back
    add(daemon, "vm1", MAC1)
    daemon.ctl("fake", json.dumps({"fail": {"vport_create": {"errno": 28, "count": 1}}}), check=0)
    r = daemon.ctl("attach", "vm1")
    assert r.returncode == 1, r.stderr
    assert "vport_create_failed" in r.stderr and "rollback" in r.stderr
    rc, out = daemon.ctl_json("attach", "ghost")
    assert rc == 5 and out["error"]["code"] == "unknown_partition"
    # 3: no daemon
    r = subprocess.run([str(SRIOVCTL), "--socket", str(workdir / "nope.sock"), "status"],
                       capture_output=True, text=True)
    assert r.returncode == 3 and "is sriovd running" in r.stderr
    assert_consistent(daemon)


def test_more_partitions_than_vfs(workdir):
    d = Daemon(workdir, fake_pfs=f"{PF0}=enp1s0:2,{PF1}=enp2s0:2")
    d.start()
    try:
        add(d, "lo", MAC1, "--weight", "10")
        add(d, "mid", MAC2, "--weight", "50")
        add(d, "hi", MAC3, "--weight", "90")
        d.ctl("attach", "lo", check=0)
        d.ctl("attach", "mid", check=0)
        r = d.ctl("attach", "hi")
        assert r.returncode == 6 and "preempting lo" in r.stdout
        st = d.wait_idle()
        held = {p["name"]: p["vf"] is not None for p in st["partitions"]}
        assert held == {"lo": False, "mid": True, "hi": True}
        # equal weight: queued, exit 6
        d.ctl("weight", "lo", "50", check=0)
        d.wait_idle()
        rc, lst = d.ctl_json("list")
        assert {p["name"]: p["vf"] is not None for p in lst["result"]}["lo"] is False
        assert_consistent(d)
    finally:
        d.kill()


def need_setpriv():
    """A client as another user: setpriv (util-linux) run by root.  Both
    are the user's environment, not the project's: without them the test
    skips; once they are there, a client that does not run fails."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv not installed (util-linux)")
    if os.geteuid() != 0:
        pytest.skip("not root: cannot run a client as another user")


def test_unprivileged_client_refused(workdir):
    """A member of the socket's group (nobody: primary group nogroup) may
    connect and read, not change state."""
    need_setpriv()
    d = Daemon(workdir, extra=["--socket-group", "nogroup"])
    d.start()
    try:
        add(d, "vm1", MAC1)
        r = d.ctl("status", user="nobody")
        assert r.returncode == 0, r.stderr
        r = d.ctl("attach", "vm1", user="nobody")
        assert r.returncode == 4, r.stderr
        assert "permission_denied" in r.stderr
        rc, lst = d.ctl_json("list")
        assert lst["result"][0]["vf"] is None
    finally:
        d.kill()


def test_configured_group_may_mutate(workdir):
    need_setpriv()
    d = Daemon(workdir, extra=["--group", "nogroup"])
    d.start()
    try:
        add(d, "vm1", MAC1)
        # nobody's primary group is nogroup
        r = d.ctl("attach", "vm1", user="nobody")
        assert r.returncode == 0, r.stderr
    finally:
        d.kill()


def test_garbage_answered_daemon_stays_up(daemon):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(daemon.sock))
        f = s.makefile("rwb")
        for junk in (b"garbage\n", b"[1,2,3]\n", b'{"cmd": 5}\n', b"\xff\xfe\x00\n",
                     b'{"cmd": "attach", "args": {"partition": 7}}\n', b'{"cmd": "nope"}\n'):
            f.write(junk)
            f.flush()
            resp = json.loads(f.readline())
            assert resp["ok"] is False and resp["error"]["code"] in (
                "bad_request", "unknown_command"), (junk, resp)
        # the same connection still works
        f.write(b'{"id": 9, "cmd": "status"}\n')
        f.flush()
        resp = json.loads(f.readline())
        assert resp["ok"] and resp["id"] == 9
    # oversized request: error, connection closed, daemon up
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(daemon.sock))
        try:
            s.sendall(b"{" + b" " * (100 * 1024))
        except BrokenPipeError:
            pass
        f = s.makefile("r")
        resp = json.loads(f.readline())
        assert resp["error"]["code"] == "request_too_large"
    # a client that connects and vanishes
    for _ in range(20):
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(daemon.sock))
            s.sendall(b'{"cmd": "status"')
    assert daemon.proc.poll() is None
    assert daemon.request("status")["ok"]


def test_second_instance_refused(daemon):
    r = subprocess.run(daemon.argv(), capture_output=True, text=True, timeout=10)
    assert r.returncode == 3
    assert "another instance" in r.stderr and str(daemon.proc.pid) in r.stderr
    assert daemon.request("status")["ok"]


def test_events_follow(daemon):
    add(daemon, "vm1", MAC1)
    p = subprocess.Popen([str(SRIOVCTL), "--socket", str(daemon.sock), "--json", "events",
                          "--follow", "--after", "1000000"],
                         stdout=subprocess.PIPE, text=True)
    try:
        first = p.stdout.readline()  # the response to the events request
        assert json.loads(first)
        time.sleep(0.1)
        daemon.ctl("attach", "vm1", check=0)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            line = p.stdout.readline()
            if not line.strip():
                continue
            ev = json.loads(line)
            if ev.get("type") == "sequence":
                assert ev["kind"] == "attach" and ev["result"] == "ok"
                assert len(ev["phases"]) == 6
                break
        else:
            pytest.fail("no sequence event followed")
    finally:
        p.kill()
        p.wait()


def test_migrate(daemon):
    add(daemon, "vm1", MAC1)
    daemon.ctl("attach", "vm1", check=0)
    daemon.ctl("migrate", "vm1", "--to", PF1, check=0)
    rc, lst = daemon.ctl_json("list")
    p = lst["result"][0]
    assert p["vf"] is None and p["reservation"]["pf"] == PF1 and p["migrating_to"] == PF1
    assert_consistent(daemon)
    daemon.ctl("migrate", "vm1", "--complete", check=0)
    rc, lst = daemon.ctl_json("list")
    p = lst["result"][0]
    assert p["pf"] == PF1 and p["vf"]["pf"] == PF1 and p["vf"]["datapath"] == "vf"
    k = daemon.kernel()
    assert k["adapters"]["vm1"]["pf"] == PF1
    assert k["pfs"][PF0]["filters"] == []
    assert_consistent(daemon)
    assert daemon.ctl("migrate", "vm1", "--complete").returncode == 1  # nothing prepared


def test_surprise_removal_quarantines(daemon):
    add(daemon, "vm1", MAC1)
    daemon.ctl("attach", "vm1", check=0)
    rc, lst = daemon.ctl_json("list")
    vf = lst["result"][0]["vf"]["vf"]
    daemon.ctl("fake", json.dumps({"surprise_remove": {"pf": PF0, "vf": vf}}), check=0)
    st = daemon.wait_idle()
    rc, vfs = daemon.ctl_json("vf", "show", PF0, str(vf))
    assert vfs["result"][0]["state"] == "quarantined"
    assert vfs["result"][0]["reason"] == "flr_failed"
    rc, evs = daemon.ctl_json("events")
    kinds = [e["kind"] for e in evs["result"]["events"] if e["type"] == "sequence"]
    assert "surprise" in kinds
    # re-attached on another VF at once
    p = st["partitions"][0]
    assert p["vf"] is not None and p["vf"]["vf"] != vf
    assert_consistent(daemon)


def test_clean_stop_releases_vfs_and_restart_reattaches(daemon):
    add(daemon, "vm1", MAC1)
    add(daemon, "vm2", MAC2)
    daemon.ctl("attach", "vm1", check=0)
    daemon.ctl("attach", "vm2", check=0)
    assert daemon.stop() == 0
    k = daemon.kernel()
    assert not any(v["allocated"] for v in k["pfs"][PF0]["vfs"])
    assert set(k["adapters"]) == {"vm1", "vm2"}  # children keep the synthetic path
    assert not daemon.sock.exists()
    daemon.start()
    st = daemon.wait_idle()
    assert all(p["vf"] is not None for p in st["partitions"])
    assert_consistent(daemon)


def test_teardown_all(daemon):
    add(daemon, "vm1", MAC1)
    add(daemon, "vm2", MAC2)
    daemon.ctl("attach", "vm1", check=0)
    r = daemon.ctl("partition", "remove", "--all", check=0)
    assert "2 partition(s)" in r.stdout
    st = daemon.wait_idle()
    assert st["partitions"] == []
    k = daemon.kernel()
    assert k["adapters"] == {} and k["pfs"][PF0]["filters"] == []
    assert not any(v["allocated"] for v in k["pfs"][PF0]["vfs"])
    assert_consistent(daemon)


def test_bash_completion_loads():
    from conftest import TOP
    comp = TOP / "tools" / "sriovctl" / "sriovctl.bash-completion"
    r = subprocess.run(["bash", "-c", f"_init_completion() {{ :; }}; source {comp} && complete -p sriovctl"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "_sriovctl" in r.stdout, r.stderr
