# SPDX-License-Identifier: GPL-2.0
"""sriovd's side of Type=notify and WatchdogSec= (sd_notify(3)): a
datagram socket plays the service manager (NOTIFY_SOCKET, WATCHDOG_USEC).
READY=1 comes once the control socket accepts connections, WATCHDOG=1 at
half the watchdog interval from the io loop, STOPPING=1 at the clean stop;
without NOTIFY_SOCKET sriovd sends nothing and runs as before."""

import signal
import socket
import time

from conftest import Daemon


class Manager:
    """The service manager's end: what sriovd sent, with arrival times."""

    def __init__(self, path):
        self.path = str(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.msgs = []

    def collect(self, until, timeout):
        """Read messages until one contains `until` (or timeout); returns it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.sock.recv(4096).decode()
            except socket.timeout:
                break
            self.msgs.append((time.monotonic(), data))
            if until in data.split("\n"):
                return data
        return None

    def count(self, line):
        return sum(1 for _, m in self.msgs if line in m.split("\n"))


def connects(path):
    with socket.socket(socket.AF_UNIX) as s:
        try:
            s.connect(str(path))
            return True
        except OSError:
            return False


def test_ready_watchdog_stopping(workdir):
    mgr = Manager(workdir / "notify.sock")
    d = Daemon(workdir)
    # 400 ms: keep-alives every 200 ms
    d.env = {"NOTIFY_SOCKET": mgr.path, "WATCHDOG_USEC": "400000"}
    d.start()
    try:
        ready = mgr.collect("READY=1", 10)
        assert ready is not None, "no READY=1: %s" % d.log.read_text()
        # readiness only once the socket listens (and recovery is done)
        assert connects(d.sock)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 1.5:
            mgr.collect("never", 0.2)
        pings = [t for t, m in mgr.msgs if "WATCHDOG=1" in m.split("\n")]
        # 1.5 s at one per 200 ms: about 7; a loop that stopped sends none
        assert len(pings) >= 4, "keep-alives: %d in 1.5 s" % len(pings)
        gaps = [b - a for a, b in zip(pings, pings[1:])]
        assert max(gaps) < 0.4, "a keep-alive gap of %.3f s reaches WatchdogSec" % max(gaps)
        assert d.ctl("status").returncode == 0
    finally:
        rc = d.stop(signal.SIGTERM)
    assert rc == 0
    mgr.collect("STOPPING=1", 2)
    assert mgr.count("STOPPING=1") == 1, mgr.msgs
    assert mgr.count("READY=1") == 1, mgr.msgs


def test_no_watchdog_without_watchdog_usec(workdir):
    mgr = Manager(workdir / "notify.sock")
    d = Daemon(workdir)
    d.env = {"NOTIFY_SOCKET": mgr.path}
    d.start()
    try:
        assert mgr.collect("READY=1", 10) is not None
        mgr.collect("never", 1.0)
        assert mgr.count("WATCHDOG=1") == 0, mgr.msgs
    finally:
        assert d.stop(signal.SIGTERM) == 0


def test_no_notify_socket(workdir, monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    d = Daemon(workdir)
    d.start()
    try:
        assert d.ctl("status").returncode == 0
    finally:
        assert d.stop(signal.SIGTERM) == 0
    assert "sd_notify" not in d.log.read_text()
    assert "sd_watchdog" not in d.log.read_text()
