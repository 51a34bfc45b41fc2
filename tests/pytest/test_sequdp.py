# SPDX-License-Identifier: GPL-2.0
"""sriov-sequdp's receiver joins an IPv4 multicast group (--group): the
count of a multicast stream, duplicates included, is what the isolation
and failover suites judge "delivered once" by.  Runs in a network
namespace of its own (loopback only), so it needs root, as make check does.
"""

import json
import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

TOP = Path(os.environ.get("SRIOV_TOP", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("SRIOV_BUILD", TOP / "build" / "cmake"))
SEQ = BUILD / "tools" / "traffic" / "sriov-sequdp"


@pytest.fixture
def netns():
    name = f"seq-{uuid.uuid4().hex[:8]}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        for cmd in (["link", "set", "lo", "up"], ["link", "set", "lo", "multicast", "on"],
                    ["route", "add", "224.0.0.0/4", "dev", "lo"]):
            subprocess.run(["ip", "-n", name, *cmd], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=True)


def in_ns(ns, *args, **kw):
    return subprocess.run(["ip", "netns", "exec", ns, str(SEQ), *args],
                          capture_output=True, text=True, timeout=60, **kw)


def receive(ns, tmp_path, group, port, idle_ms, timeout_s, send_args):
    """A receiver joined to GROUP in NS, then one sender run; returns the
    receiver's report."""
    ready, out = tmp_path / "ready", tmp_path / "recv.json"
    recv = subprocess.Popen(["ip", "netns", "exec", ns, str(SEQ), "recv", "--group", group,
                             "--port", str(port), "--idle-ms", str(idle_ms),
                             "--timeout", str(timeout_s), "--ready", str(ready), "--out", str(out)],
                            stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not ready.exists():
            assert time.monotonic() < deadline, "receiver not ready"
            time.sleep(0.05)
        s = in_ns(ns, "send", "--port", str(port), *send_args)
        assert s.returncode == 0, s.stderr
        assert recv.wait(timeout=30) == 0
    finally:
        recv.kill()
    return json.loads(s.stdout), json.loads(out.read_text())


def test_multicast_stream_counted(netns, tmp_path):
    sent, r = receive(netns, tmp_path, "239.1.2.3", 9100, 1000, 30,
                      ["--dst", "239.1.2.3", "--rate", "2000", "--count", "1000"])
    assert sent["sent"] == 1000
    assert (r["expected"], r["unique"], r["duplicated"]) == (1000, 1000, 0), r


def test_a_receiver_outside_the_group_gets_nothing(netns, tmp_path):
    sent, r = receive(netns, tmp_path, "239.1.2.4", 9101, 500, 3,
                      ["--dst", "239.1.2.3", "--count", "200"])
    assert sent["sent"] == 200
    assert r["received"] == 0


@pytest.mark.parametrize("group", ["10.0.0.1", "239.1.2", "ff02::1", ""])
def test_group_must_be_ipv4_multicast(group):
    r = subprocess.run([str(SEQ), "recv", "--group", group, "--timeout", "1"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert "--group wants an IPv4 multicast address" in r.stderr
