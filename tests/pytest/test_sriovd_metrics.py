# SPDX-License-Identifier: GPL-2.0
"""sriovd's metrics endpoint (--metrics-listen) on the fake backend: off by
default, the Prometheus text format over HTTP, exactly the expected
counters and histograms move with a known sequence of operations, the VF
pool gauges follow the pool, autonomous failovers and surprise removals
are counted, and a bad or busy address is refused with a clear error."""

import json
import os
import re
import socket
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import PF0, PF1, Daemon

MAC1 = "02:00:00:00:04:01"
MAC2 = "02:00:00:00:04:02"

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse(text):
    """Prometheus text format 0.0.4 -> {(name, ((label, value), ...)): float},
    checking what a scraper relies on: every sample belongs to a family
    declared by a TYPE line before it, no sample twice, histograms with
    cumulative buckets whose +Inf bucket is the count."""
    types = {}
    samples = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert name not in types, f"TYPE of {name} twice"
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped"), line
            types[name] = kind
            continue
        if line.startswith("#") or not line:
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        name, labels, value = m.groups()
        pairs = []
        if labels:
            pos = 0
            for lm in LABEL.finditer(labels):
                assert lm.start() == pos, f"bad labels in {line!r}"
                pairs.append((lm.group(1), lm.group(2)))
                pos = lm.end()
            assert pos == len(labels), f"bad labels in {line!r}"
        family = name
        if name not in types:
            for suffix in ("_bucket", "_sum", "_count"):
                if name.endswith(suffix) and types.get(name[: -len(suffix)]) == "histogram":
                    family = name[: -len(suffix)]
        assert family in types, f"sample {name} before (or without) its TYPE line"
        key = (name, tuple(sorted(pairs)))
        assert key not in samples, f"sample twice: {line!r}"
        samples[key] = float(value)
    for fam, kind in types.items():
        if kind != "histogram":
            continue
        series = {}
        for (name, labels), v in samples.items():
            if name == fam + "_bucket":
                d = dict(labels)
                le = d.pop("le")
                series.setdefault(tuple(sorted(d.items())), []).append(
                    (float("inf") if le == "+Inf" else float(le), v))
        for labels, buckets in series.items():
            buckets.sort()
            counts = [v for _, v in buckets]
            assert counts == sorted(counts), f"{fam}{labels}: buckets not cumulative"
            assert buckets[-1][0] == float("inf")
            assert samples[(fam + "_count", labels)] == counts[-1]
            assert (fam + "_sum", labels) in samples
    return samples


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        return parse(r.read().decode())


def delta(before, after):
    """Series whose value changed (or appeared), with the change."""
    out = {}
    for k, v in after.items():
        d = v - before.get(k, 0.0)
        if d != 0:
            out[k] = d
    for k in before:
        assert k in after, f"series {k} disappeared"
    return out


def key(name, **labels):
    return (name, tuple(sorted(labels.items())))


@pytest.fixture
def mdaemon(workdir):
    port = free_port()
    d = Daemon(workdir, extra=["--metrics-listen", f"127.0.0.1:{port}"])
    d.port = port
    d.start()
    yield d
    if d.proc and d.proc.poll() is None:
        d.kill()


def counted(d, seqs):
    """The counter and histogram changes the finished sequence events
    @seqs must make, by kind and by step."""
    want = {}

    def inc(k):
        want[k] = want.get(k, 0) + 1

    for ev in seqs:
        kind = ev["kind"]
        inc(key("sriovd_sequences_total", kind=kind, result=ev["result"]))
        inc(key("sriovd_sequence_duration_seconds_count", kind=kind))
        inc(key("sriovd_sequence_duration_seconds_bucket", kind=kind, le="+Inf"))
        for ph in ev["phases"]:
            res = "failed" if ph["result"].startswith("failed") else ph["result"]
            inc(key("sriovd_steps_total", kind=kind, step=ph["step"], result=res))
            inc(key("sriovd_step_duration_seconds_count", kind=kind, step=ph["step"]))
            inc(key("sriovd_step_duration_seconds_bucket", kind=kind, step=ph["step"], le="+Inf"))
    return want


def moved_counts(moved):
    """The changes of counters and histogram counts (not sums, durations or
    finite buckets, whose values depend on timing; not gauges)."""
    out = {}
    for (name, labels), v in moved.items():
        # the journal's sizes and commits follow from the sequences, but
        # are not what this test is about
        if name.endswith("_sum") or name.startswith("sriovd_journal_") or name == "sriovd_partitions":
            continue
        if name.startswith(("sriovd_vfs", "sriovd_pool_vfs")):
            continue
        if name.endswith("_bucket") and dict(labels)["le"] != "+Inf":
            continue
        out[(name, labels)] = v
    return out


def sequence_events(d, after):
    rc, out = d.ctl_json("events", "--after", str(after))
    assert rc == 0, out
    return [e for e in out["result"]["events"] if e["type"] == "sequence"]


def last_event_id(d):
    rc, out = d.ctl_json("events")
    assert rc == 0, out
    evs = out["result"]["events"]
    return evs[-1]["id"] if evs else 0


def pool(m, pf):
    return (m[key("sriovd_pool_vfs", pf=pf)], m[key("sriovd_pool_vfs_free", pf=pf)],
            m[key("sriovd_pool_vfs_allocated", pf=pf)])


def test_known_sequence_moves_exactly_its_counters(mdaemon):
    d = mdaemon
    m0 = scrape(d.port)
    assert pool(m0, PF0) == (7, 7, 0) and pool(m0, PF1) == (7, 7, 0)
    assert m0[key("sriovd_autonomous_failovers_total")] == 0
    assert m0[key("sriovd_surprise_removals_total")] == 0
    after = last_event_id(d)

    d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC1, check=0)
    d.ctl("attach", "vm1", check=0)
    m1 = scrape(d.port)
    assert pool(m1, PF0) == (7, 6, 1) and pool(m1, PF1) == (7, 7, 0)
    d.ctl("failover", "vm1", "--hold", "3600", check=0)
    d.ctl("partition", "remove", "vm1", check=0)
    d.wait_idle()
    m2 = scrape(d.port)
    assert pool(m2, PF0) == (7, 7, 0)

    seqs = sequence_events(d, after)
    assert [(e["kind"], e["result"]) for e in seqs] == [
        ("adapter_create", "ok"), ("attach", "ok"), ("failover", "ok"), ("teardown", "ok")]
    want = counted(d, seqs)
    moved = moved_counts(delta(m0, m2))
    assert moved == want
    # the histograms' sums grew by what the sequences took (ms resolution)
    for e in seqs:
        k = key("sriovd_sequence_duration_seconds_sum", kind=e["kind"])
        assert m2[k] - m0.get(k, 0) == pytest.approx(e["duration_ms"] / 1000, abs=1e-6)
    # the control socket's metrics command renders the same families
    r = d.ctl("metrics", check=0)
    assert parse(r.stdout).keys() == m2.keys()


def test_autonomous_failover_and_surprise_removal_are_counted(mdaemon):
    d = mdaemon
    d.ctl("partition", "add", "vm1", "--pf", PF0, "--mac", MAC1, check=0)
    d.ctl("attach", "vm1", check=0)
    rc, lst = d.ctl_json("list")
    vf = lst["result"][0]["vf"]["vf"]
    m0 = scrape(d.port)
    after = last_event_id(d)

    d.ctl("fake", json.dumps({"kernel_failover": {"pf": PF0, "vf": vf}}), check=0)
    d.ctl("fake", json.dumps({"vf_back": {"pf": PF0, "vf": vf}}), check=0)
    d.wait_idle()
    m1 = scrape(d.port)
    seqs = sequence_events(d, after)
    assert [(e["kind"], e["result"]) for e in seqs] == [("failback", "ok")]
    want = counted(d, seqs)
    want[key("sriovd_autonomous_failovers_total")] = 1
    assert moved_counts(delta(m0, m1)) == want

    after = last_event_id(d)
    d.ctl("fake", json.dumps({"surprise_remove": {"pf": PF0, "vf": vf}}), check=0)
    d.wait_idle()
    m2 = scrape(d.port)
    seqs = sequence_events(d, after)
    # released as a surprise, then attached to another VF by the arbiter
    assert [e["kind"] for e in seqs] == ["surprise", "attach"]
    want = counted(d, seqs)
    want[key("sriovd_surprise_removals_total")] = 1
    assert moved_counts(delta(m1, m2)) == want
    # the removed VF is quarantined, another one is the partition's
    assert pool(m2, PF0) == (7, 5, 1)
    assert m2[key("sriovd_vfs", pf=PF0, state="quarantined")] == 1


def test_http_side(mdaemon):
    assert listening_tcp_ports(mdaemon.proc.pid) == {mdaemon.port}
    base = f"http://127.0.0.1:{mdaemon.port}"
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(base + "/", timeout=10)
    assert e.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(urllib.request.Request(base + "/metrics", data=b"x", method="POST"), timeout=10)
    assert e.value.code == 405 and e.value.headers["Allow"] == "GET"
    # a query string is ignored; two requests on one kept-alive connection
    with socket.create_connection(("127.0.0.1", mdaemon.port), timeout=10) as s:
        req = b"GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n"
        s.sendall(req + req)
        f = s.makefile("rb")
        for _ in range(2):
            status = f.readline()
            assert status.startswith(b"HTTP/1.1 200"), status
            length = None
            while (h := f.readline()) not in (b"\r\n", b""):
                if h.lower().startswith(b"content-length:"):
                    length = int(h.split(b":")[1])
            assert length and b"sriovd_pool_vfs" in f.read(length)
    # garbage is not answered, and the endpoint stays up
    with socket.create_connection(("127.0.0.1", mdaemon.port), timeout=10) as s:
        s.sendall(b"\x00\x01 not http\r\n\r\n")
        s.settimeout(10)
        assert s.recv(100) == b""
    assert scrape(mdaemon.port)[key("sriovd_pool_vfs", pf=PF0)] == 7


def listening_tcp_ports(pid):
    """TCP ports process @pid listens on (its sockets in /proc/net/tcp*)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            t = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if t.startswith("socket:["):
            inodes.add(t[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                cols = line.split()
                if cols[3] == "0A" and cols[9] in inodes:  # LISTEN
                    ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


def test_off_by_default(daemon):
    assert listening_tcp_ports(daemon.proc.pid) == set()


@pytest.mark.parametrize("spec,why", [
    ("localhost:9469", "'localhost' is not a numeric IPv4 address"),
    ("127.0.0.1", "is not ADDRESS:PORT"),
    ("127.0.0.1:0", "port '0' is not a number 1..65535"),
    ("127.0.0.1:65536", "port '65536' is not a number 1..65535"),
    ("127.0.0.1:http", "port 'http' is not a number"),
    ("::1:9469", "(an IPv6 one goes in brackets)"),
    ("[127.0.0.1]:9469", "'127.0.0.1' is not a numeric IPv6 address"),
    ("", "is not ADDRESS:PORT"),
])
def test_bad_metrics_listen_refused(workdir, spec, why):
    d = Daemon(workdir, extra=["--metrics-listen", spec])
    r = subprocess.run(d.argv(), capture_output=True, text=True, timeout=30)
    assert r.returncode == 2, r.stderr
    assert "--metrics-listen" in r.stderr and why in r.stderr, r.stderr
    assert not d.sock.exists()


def test_busy_metrics_address_refused(workdir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        d = Daemon(workdir, extra=["--metrics-listen", f"127.0.0.1:{port}"])
        r = subprocess.run(d.argv(), capture_output=True, text=True, timeout=30)
    assert r.returncode == 1, r.stderr
    assert f"cannot listen for metrics on 127.0.0.1:{port}" in r.stderr, r.stderr
    assert "in use" in r.stderr, r.stderr
    assert not d.sock.exists()


def test_ipv6_loopback(workdir):
    if not socket.has_ipv6 or not os.path.exists("/proc/net/if_inet6"):
        pytest.skip("no IPv6 on this host")
    port = free_port()
    d = Daemon(workdir, extra=["--metrics-listen", f"[::1]:{port}"])
    d.start()
    try:
        with urllib.request.urlopen(f"http://[::1]:{port}/metrics", timeout=10) as r:
            assert b"sriovd_pool_vfs" in r.read()
    finally:
        d.kill()
