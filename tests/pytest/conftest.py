# SPDX-License-Identifier: GPL-2.0
"""Fixtures for the sriovd/sriovctl tests: a daemon on the fake kernel
backend in a private temp dir, and a sriovctl runner."""

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

import pytest

TOP = Path(os.environ.get("SRIOV_TOP", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("SRIOV_BUILD", TOP / "build" / "cmake"))
SRIOVD = BUILD / "daemon" / "sriovd"
SRIOVCTL = BUILD / "tools" / "sriovctl" / "sriovctl"

PF0 = "0000:01:00.0"
PF1 = "0000:02:00.0"


def pytest_collection_modifyitems(config, items):
    """sriovd and sriovctl are the project's own: when they are not built,
    the daemon's tests fail (never skip)."""
    missing = [str(p) for p in (SRIOVD, SRIOVCTL) if not p.exists()]
    if not missing:
        return
    for item in items:
        if Path(str(item.fspath)).name.startswith(("test_sriovctl", "test_sriovd")):
            item.add_marker(pytest.mark.usefixtures("_fail_not_built"))


@pytest.fixture
def _fail_not_built():
    pytest.fail("not built: " + ", ".join(str(p) for p in (SRIOVD, SRIOVCTL) if not p.exists()))


class Daemon:
    """One sriovd --backend=fake; restartable, killable."""

    def __init__(self, root: Path, extra=(), fake_pfs=None):
        self.root = root
        self.state_dir = root / "state"
        self.sock = root / "sriovd.sock"
        self.log = root / "sriovd.log"
        self.fake_state = self.state_dir / "fake-kernel.json"
        self.extra = list(extra)
        self.fake_pfs = fake_pfs or f"{PF0}=enp1s0:7,{PF1}=enp2s0:7"
        self.proc = None
        self.env = None  # extra environment for the next start()

    def argv(self):
        return [str(SRIOVD), "--backend=fake", "--state-dir", str(self.state_dir),
                "--socket", str(self.sock), "--fake-pfs", self.fake_pfs,
                "--pair-timeout-ms", "1000", "--release-timeout-ms", "300"] + self.extra

    def start(self, timeout=10.0):
        logf = open(self.log, "ab")
        env = dict(os.environ, **self.env) if self.env else None
        self.proc = subprocess.Popen(self.argv(), stdout=logf, stderr=logf, env=env)
        logf.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                if self.env and "SRIOVD_CRASH_AT" in self.env:
                    return  # the crash hook may fire during recovery
                raise RuntimeError(f"sriovd exited {self.proc.returncode}: {self.log.read_text()}")
            if self.sock.exists():
                try:
                    with socket.socket(socket.AF_UNIX) as s:
                        s.connect(str(self.sock))
                    return
                except OSError:
                    pass
            time.sleep(0.02)
        raise RuntimeError("sriovd did not come up: " + self.log.read_text())

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def ctl(self, *args, user=None, timeout=60, check=None):
        argv = [str(SRIOVCTL), "--socket", str(self.sock)] + [str(a) for a in args]
        if user is not None:
            pw = pwd.getpwnam(user)
            argv = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups"] + argv
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        if check is not None:
            assert r.returncode == check, f"{args}: rc {r.returncode}\n{r.stdout}\n{r.stderr}"
        return r

    def ctl_json(self, *args, **kw):
        r = self.ctl("--json", *args, **kw)
        return r.returncode, json.loads(r.stdout) if r.stdout.strip() else None

    def request(self, cmd, **args):
        """One raw protocol request (no sriovctl)."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(self.sock))
            s.sendall((json.dumps({"id": 1, "cmd": cmd, "args": args}) + "\n").encode())
            f = s.makefile("r")
            return json.loads(f.readline())

    def wait_idle(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.request("status")
            if st["ok"] and not st["result"]["sequences"]:
                return st["result"]
            time.sleep(0.05)
        raise AssertionError("sequences still running: " + json.dumps(st))

    def kernel(self):
        """The fake kernel's state: as the running daemon holds it (its
        "fake" command, which a restart read back from the state file), or,
        with the daemon stopped, its state file replayed here in the same
        shape (without the guard's script)."""
        if self.proc is not None and self.proc.poll() is None:
            r = self.request("fake")
            assert r["ok"], r
            return r["result"]
        f = self.kernel_file()
        for name, pf in f["pfs"].items():
            pf["filters"] = [f["filters"][name][i] for i in sorted(f["filters"].get(name, {}), key=int)]
        f["netns"] = sorted(f["netns"])
        f["guard"]["ports"] = [f["guard"]["ports"][n] for n in sorted(f["guard"]["ports"])]
        return f

    def kernel_file(self):
        """The fake kernel's state file, replayed here (snapshot + change
        records): the same objects as kernel(), keyed by name or id."""
        return journal_replay(self.fake_state)

    def last_event(self):
        ev = self.request("events")
        assert ev["ok"], ev
        return max((e["id"] for e in ev["result"]["events"]), default=0)

    def quiet_state(self, timeout=30):
        """(status, fake kernel state) of one quiet moment: no sequence ran
        and no event was logged between the two reads (the arbiter may
        start a retry at any time, e.g. an attach after a failed one)."""
        deadline = time.monotonic() + timeout
        while True:
            st = self.wait_idle(timeout)
            ev = self.last_event()
            k = self.kernel()
            again = self.request("status")
            if (again["ok"] and not again["result"]["sequences"] and self.last_event() == ev
                    and again["result"]["partitions"] == st["partitions"]):
                return st, k
            if time.monotonic() > deadline:
                raise AssertionError("the daemon did not stay quiet: " + json.dumps(again))
            time.sleep(0.05)


def journal_replay(path):
    """A journal (sriovd's state.json or the fake's state file) read the
    way the daemon reads it, written independently of it: the snapshot,
    then each record of PATH.log whose length and CRC-32 hold and whose
    lsn is past the snapshot's; a bad record counts as torn only if no
    good one follows it."""
    path = Path(path)
    log_path = Path(str(path) + ".log")
    for _ in range(10):
        snap = path.read_text()
        log = log_path.read_bytes() if log_path.exists() else b""
        if path.read_text() == snap:  # no compaction in between
            break
    doc = json.loads(snap)
    snap_lsn = doc.pop("journal_lsn", 0)
    records = []
    bad_at = None
    for line in log.split(b"\n")[:-1] if log.endswith(b"\n") else log.split(b"\n"):
        ok = False
        parts = line.split(b" ", 2)
        if len(parts) == 3 and parts[0].isdigit() and len(parts[1]) == 8:
            payload = parts[2]
            ok = len(payload) == int(parts[0]) and zlib.crc32(payload) == int(parts[1], 16)
        if not ok:
            bad_at = bad_at if bad_at is not None else len(records)
            continue
        assert bad_at is None, f"{log_path}: a damaged record before good ones"
        records.append(json.loads(payload))
    for rec in records:
        if rec["lsn"] <= snap_lsn:
            continue
        for ptr in rec["del"]:
            *parent, key = [unescape(k) for k in ptr.split("/")[1:]]
            node = doc
            for k in parent:
                node = node.get(k, {}) if isinstance(node, dict) else {}
            if isinstance(node, dict):
                node.pop(key, None)
        for ptr, value in rec["put"].items():
            *parent, key = [unescape(k) for k in ptr.split("/")[1:]]
            node = doc
            for k in parent:
                node = node.setdefault(k, {})
            node[key] = value
    return doc


def unescape(key):
    return key.replace("~1", "/").replace("~0", "~")

@pytest.fixture
def workdir():
    # world-traversable so that a dropped-privilege client can reach the socket
    d = Path(tempfile.mkdtemp(prefix="sriovd-pytest-"))
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def daemon(workdir):
    d = Daemon(workdir)
    d.start()
    yield d
    if d.proc and d.proc.poll() is None:
        d.kill()


def kernel_leaks(k, partitions):
    """Independent consistency check of the fake kernel's dump against the
    daemon's partition list: returns a list of problems."""
    problems = []
    holders = {}
    for p in partitions:
        if p["vf"]:
            holders[(p["vf"]["pf"], p["vf"]["vf"])] = p["name"]
        if p["reservation"]:
            holders[(p["reservation"]["pf"], p["reservation"]["vf"])] = p["name"]
    macs = {p["mac"]: p for p in partitions if p["adapter_filter"]}
    for pf_name, pf in k["pfs"].items():
        owned_vports = set()
        for i, vf in enumerate(pf["vfs"]):
            if vf["allocated"] and (pf_name, i) not in holders:
                problems.append(f"{pf_name} VF {i} allocated but not held")
            if not vf["allocated"] and (pf_name, i) in holders:
                problems.append(f"{pf_name} VF {i} held but not allocated")
            if vf["netns"] and not vf["allocated"]:
                problems.append(f"{pf_name} VF {i} netdev left in {vf['netns']}")
        for vp in pf["vports"]:
            if vp["vf"] is None:
                continue
            if (pf_name, vp["vf"]) not in holders:
                problems.append(f"{pf_name} VPort {vp['id']} on unheld VF {vp['vf']}")
            owned_vports.add(vp["vf"])
        vport_ids = {vp["id"] for vp in pf["vports"]}
        for f in pf["filters"]:
            if f["vport"] not in vport_ids:
                problems.append(f"{pf_name} filter {f['mac']} on missing VPort {f['vport']}")
            if f["mac"] not in macs:
                problems.append(f"{pf_name} filter {f['mac']} has no owner")
    seen = {}
    for pf_name, pf in k["pfs"].items():
        for f in pf["filters"]:
            seen[f["mac"]] = seen.get(f["mac"], 0) + 1
    for mac in macs:
        if seen.get(mac, 0) != 1:
            problems.append(f"filter {mac} present {seen.get(mac, 0)} times")
    names = {p["name"] for p in partitions}
    for a in k["adapters"]:
        if a not in names:
            problems.append(f"adapter {a} has no partition")
    return problems
