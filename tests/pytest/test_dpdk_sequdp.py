# SPDX-License-Identifier: GPL-2.0
"""sriov-dpdk-sequdp's command line: what it refuses before it starts DPDK.

The traffic itself needs a DPDK port and runs in the lab VM
(tests/vm/dpdk_sequdp.sh); these checks need neither root nor a NIC:
every case here must fail in argument checking, before EAL init.
"""

import os
import subprocess
from pathlib import Path

import pytest

TOP = Path(os.environ.get("SRIOV_TOP", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("SRIOV_BUILD", TOP / "build" / "cmake"))
DSEQ = BUILD / "tools" / "traffic" / "sriov-dpdk-sequdp"



def _libdpdk_installed():
    """pkg-config finds libdpdk: the tool's only external prerequisite."""
    try:
        return subprocess.run(["pkg-config", "--exists", "libdpdk"]).returncode == 0
    except FileNotFoundError:
        return False


@pytest.fixture(scope="module", autouse=True)
def _built():
    """Skip without libdpdk (sriov-dpdk-sequdp builds only with it); with
    libdpdk installed, a missing binary is the project's build failing."""
    if DSEQ.exists():
        return
    if not _libdpdk_installed():
        pytest.skip("libdpdk not installed (pkg-config libdpdk): sriov-dpdk-sequdp is not built")
    pytest.fail(f"libdpdk is installed but sriov-dpdk-sequdp was not built: {DSEQ}")

SEND = ["send", "--iface", "lo", "--dst-mac", "02:00:00:00:00:01",
        "--src", "10.0.0.1", "--dst", "10.0.0.2"]


def run(*args):
    return subprocess.run([str(DSEQ), *args], capture_output=True, text=True, timeout=30)


def test_usage_without_mode():
    r = run()
    assert r.returncode == 1
    assert "usage:" in r.stderr


def test_unknown_mode():
    r = run("flood", "--iface", "lo")
    assert r.returncode == 1
    assert "usage:" in r.stderr


def test_option_without_value():
    r = run("recv", "--iface")
    assert r.returncode == 1
    assert "bad argument" in r.stderr


@pytest.mark.parametrize("extra,msg", [
    (["--rate", "0"], "rate 1..1000000"),
    (["--rate", "2000000"], "rate 1..1000000"),
    (["--size", "1473"], "size <="),
    (["--port", "70000"], "port 1..65535"),
    (["--count", "12x"], "--count wants a number"),
    (["--dst-mac", "02:00:00:00:01"], "bad --dst-mac"),
    (["--src", "10.0.0"], "bad --dst-mac, --src or --dst"),
])
def test_send_refuses_bad_values(extra, msg):
    r = run(*SEND, *extra)
    assert r.returncode == 1
    assert msg in r.stderr
    assert "EAL" not in r.stderr  # refused before DPDK starts


def test_send_needs_addresses():
    r = run("send", "--iface", "lo", "--dst-mac", "02:00:00:00:00:01")
    assert r.returncode == 1
    assert "usage:" in r.stderr


def test_exactly_one_port_option():
    r = run("recv", "--iface", "lo", "--pci", "0000:01:10.0")
    assert r.returncode == 1
    assert "exactly one of --iface and --pci" in r.stderr
    r = run("recv", "--port", "9000")
    assert r.returncode == 1
    assert "exactly one of --iface and --pci" in r.stderr


def test_recv_port_range():
    r = run("recv", "--iface", "lo", "--port", "65536")
    assert r.returncode == 1
    assert "--port 0..65535" in r.stderr
