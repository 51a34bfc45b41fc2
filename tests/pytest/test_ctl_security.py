# SPDX-License-Identifier: GPL-2.0
"""sriovd's control socket against a local user who is not trusted: socket
mode and owner, per-uid connection limit (root is never locked out), idle
timeout, the cap on a client's queued output, admin-only reads."""

import grp
import json
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import time

import pytest

from conftest import PF0, SRIOVCTL, TOP, Daemon

NOBODY = "nobody"
# nobody's primary group on Debian; the socket group that lets nobody in
NOGROUP = "nogroup"
# a local user flooding the socket (shared with tests/vm/sec_partition.sh)
FLOOD = TOP / "tests" / "lib" / "ctl_flood.py"


def need_setpriv():
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv not installed")


def as_nobody(argv):
    pw = pwd.getpwnam(NOBODY)
    return ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups"] + argv


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for pid %d" % pid)


def started(workdir, *extra):
    d = Daemon(workdir, extra=list(extra))
    d.start()
    return d


def test_socket_mode_and_owner(workdir):
    need_setpriv()
    d = started(workdir)
    try:
        st = os.stat(d.sock)
        assert stat.S_ISSOCK(st.st_mode)
        assert stat.S_IMODE(st.st_mode) == 0o660, oct(st.st_mode)
        assert st.st_uid == 0
        try:
            want_gid = grp.getgrnam("sriov").gr_gid
        except KeyError:
            want_gid = 0
            # the default group is missing here: root:root, said once
            log = d.log.read_text()
            assert log.count("no group sriov") == 1, log
        assert st.st_gid == want_gid
        # nobody is in neither group: it cannot even connect (exit 4)
        r = d.ctl("status", user=NOBODY)
        assert r.returncode == 4, r.stderr
        assert "Permission denied" in r.stderr
        assert d.ctl("status").returncode == 0
    finally:
        d.kill()

    d = started(workdir, "--socket-group", NOGROUP)
    try:
        st = os.stat(d.sock)
        assert stat.S_IMODE(st.st_mode) == 0o660, oct(st.st_mode)
        assert (st.st_uid, st.st_gid) == (0, grp.getgrnam(NOGROUP).gr_gid)
        # a member of the socket group may read, not change state
        r = d.ctl("status", user=NOBODY)
        assert r.returncode == 0, r.stderr
        r = d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", "02:00:00:00:01:01", user=NOBODY)
        assert r.returncode == 4 and "permission_denied" in r.stderr, r.stderr
    finally:
        d.kill()


def test_config_read_needs_privilege(workdir):
    need_setpriv()
    d = started(workdir, "--socket-group", NOGROUP)
    try:
        r = d.ctl("config-space", "read", PF0, "0", "0", "16", user=NOBODY)
        assert r.returncode == 4, r.stdout + r.stderr
        assert "permission_denied" in r.stderr
        assert "86 80" not in r.stdout
        r = d.ctl("config-space", "read", PF0, "0", "0", "16", check=0)
        assert r.stdout.splitlines()[0].startswith("000: 86 80 ca 10")
    finally:
        d.kill()


def test_connection_flood_does_not_lock_out_root(workdir):
    need_setpriv()
    per_uid = 16
    # nobody fills the per-uid limit and the limit of all non-root users:
    # root's room is not part of either
    d = started(workdir, "--socket-group", NOGROUP, "--max-connections-per-uid", str(per_uid),
                "--max-connections", str(per_uid))
    flood = subprocess.Popen(as_nobody([sys.executable, str(FLOOD), str(d.sock), "200"]),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = flood.stdout.readline()
        assert line.strip() == "connected 200", line
        # root answers within 1 s, every time, while 200 connections of
        # nobody are open or pending
        for _ in range(5):
            t = time.monotonic()
            r = d.ctl("status")
            took = time.monotonic() - t
            assert r.returncode == 0, r.stderr
            assert PF0 in r.stdout
            assert took < 1.0, f"root's status took {took:.2f} s"
        # the limit is what held them: exactly per_uid were admitted
        flood.stdin.write("\n")
        flood.stdin.flush()
        line = flood.stdout.readline()
        assert line.strip() == f"refused {200 - per_uid}", line
        # and nobody's next connection is refused too, while root's is not
        r = d.ctl("status", user=NOBODY)
        assert r.returncode == 6 and "too_many_connections" in r.stderr, r.stdout + r.stderr
        assert d.ctl("status").returncode == 0
        log = d.log.read_text()
        assert log.count("is at its connection limit") == 1, log
    finally:
        flood.kill()
        flood.wait()
        d.kill()
    assert d.proc.returncode is not None


def test_idle_connection_closed(workdir):
    idle_ms = 500
    d = started(workdir, "--idle-timeout-ms", str(idle_ms))
    try:
        # a connection that never sends anything
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(str(d.sock))
            t = time.monotonic()
            assert s.recv(4096) == b""
            took = time.monotonic() - t
            assert 0.4 <= took < 3.0, took
        # one that asked once and then went quiet
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(str(d.sock))
            s.sendall(b'{"id": 1, "cmd": "status"}\n')
            f = s.makefile("rb")
            assert json.loads(f.readline())["ok"]
            t = time.monotonic()
            assert f.readline() == b""
            assert 0.4 <= time.monotonic() - t < 3.0
        # an events follower sends nothing either, and stays
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(d.sock))
            s.sendall(b'{"id": 1, "cmd": "events", "args": {"follow": true}}\n')
            f = s.makefile("rb")
            assert json.loads(f.readline())["result"]["following"]
            s.settimeout(4 * idle_ms / 1000)
            with pytest.raises(socket.timeout):
                s.recv(4096)
        assert d.ctl("status").returncode == 0
    finally:
        d.kill()


def test_stalled_follower_dropped(workdir):
    """A follower that does not read is dropped when its queue passes the
    cap.  Events on the fake backend come at a few per second (every
    sequence commits its journal), so the follower's own pipelined requests
    fill the queue: replies and events share it and its cap."""
    cap = 64 * 1024
    d = Daemon(workdir, extra=["--max-output-bytes", str(cap)])
    if "ASAN_OPTIONS" in os.environ:
        # AddressSanitizer keeps freed memory in a quarantine (256 MiB by
        # default) that RSS counts; keep it small so that RSS measures
        # what sriovd holds, not what it freed
        d.env = {"ASAN_OPTIONS": os.environ["ASAN_OPTIONS"] + ":quarantine_size_mb=1"}
    d.start()
    try:
        status_len = len(json.dumps(d.request("status")))
        n = 80 * 1024 * 1024 // status_len  # 80 MiB of replies if nothing bounded them
        unbounded = n * status_len
        rss0 = rss_kib(d.proc.pid)
        s = socket.socket(socket.AF_UNIX)
        s.connect(str(d.sock))
        s.sendall(b'{"id": 0, "cmd": "events", "args": {"follow": true}}\n')
        reqs = b"".join(b'{"id": %d, "cmd": "status"}\n' % i for i in range(1, n + 1))
        try:
            s.sendall(reqs)
        except (BrokenPipeError, ConnectionResetError):
            pass  # dropped while we were still writing
        deadline = time.monotonic() + 30
        while "dropping connection of uid 0" not in d.log.read_text():
            assert time.monotonic() < deadline, d.log.read_text()
            time.sleep(0.05)
        rss1 = rss_kib(d.proc.pid)
        # what was left for the client is bounded: the kernel's socket
        # buffer plus the cap, not the replies to every request
        got = 0
        s.settimeout(10)
        while True:
            try:
                chunk = s.recv(1 << 16)
            except ConnectionResetError:
                break
            if not chunk:
                break
            got += len(chunk)
        s.close()
        assert got < 4 * 1024 * 1024 < unbounded, (got, unbounded)
        growth_kib = rss1 - rss0
        print(f"status reply {status_len} B, unbounded queue would be {unbounded >> 20} MiB, "
              f"client drained {got} B, RSS {rss0} -> {rss1} KiB")
        # bound: 16 MiB over the idle daemon (the unbounded queue is ~4x that)
        assert unbounded > 4 * 16 * 1024 * 1024
        assert growth_kib < 16 * 1024, (rss0, rss1)
        # the daemon is fine and serves others
        assert d.ctl("status").returncode == 0
        assert d.proc.poll() is None
    finally:
        d.kill()
