#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""sriovd scale benchmark on the fake kernel backend.

For each partition count N: start a fresh sriovd --backend=fake (2 PFs x 7
VFs by default, like the lab: VFs are the scarce resource, most partitions
stay on their synthetic path), create N partitions, then time a sample of
operations at that size:

  add       partition-add of a new partition (the (N+1)th)
  attach    attach a VF (planned, the partition waits for nothing else)
  failover  planned failover to synthetic (with a hold, so no re-attach)
  detach    stop wanting a VF (no VF held: bookkeeping only)
  remove    partition-remove (adapter teardown)

Per operation: wall time seen by the client and sriovd's CPU time (the
sum of its threads' /proc/PID/task/*/schedstat run time, ns), median and
p99.  Per operation: journal commits, bytes written and write time from
sriovd's metrics (sriovd_journal_*); the journal's snapshot and log size
at the end.  sriovd's VmRSS after the sample, the time to
create the N partitions, and utime+stime for the whole run.

Writes build/bench/scale.json and prints a table.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOP = Path(__file__).resolve().parents[3]
PF0 = "0000:01:00.0"
PF1 = "0000:02:00.0"
OPS = ("add", "attach", "failover", "detach", "remove")


class Client:
    """One persistent control-socket connection (newline-delimited JSON)."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.f = self.s.makefile("r")
        self.next_id = 1

    def req(self, cmd, **args):
        rid = self.next_id
        self.next_id += 1
        self.s.sendall((json.dumps({"id": rid, "cmd": cmd, "args": args}) + "\n").encode())
        while True:
            line = self.f.readline()
            if not line:
                raise RuntimeError(f"sriovd closed the connection during {cmd}")
            r = json.loads(line)
            if r.get("id") == rid:
                return r

    def ok(self, cmd, **args):
        r = self.req(cmd, **args)
        if not r.get("ok"):
            raise RuntimeError(f"{cmd} {args}: {json.dumps(r)[:400]}")
        return r.get("result")

    def close(self):
        self.f.close()
        self.s.close()


def cpu_ns(pid):
    """Run time of every thread of @pid, ns (schedstat field 1)."""
    total = 0
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def metrics(c):
    out = {}
    for line in c.ok("metrics")["text"].splitlines():
        if line.startswith("sriovd_journal_"):
            k, v = line.rsplit(" ", 1)
            out[k] = float(v)
    return out


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(samples):
    wall = [s[0] for s in samples]
    cpu = [s[1] for s in samples]
    return {"count": len(samples),
            "wall_ms_median": round(statistics.median(wall) * 1e3, 3),
            "wall_ms_p99": round(pct(wall, 99) * 1e3, 3),
            "cpu_ms_median": round(statistics.median(cpu) / 1e6, 3),
            "cpu_ms_p99": round(pct(cpu, 99) / 1e6, 3)}


def mac_of(i):
    return "02:5c:%02x:%02x:%02x:%02x" % ((i >> 24) & 0xff, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)


def part_args(i):
    pf = PF0 if i % 2 == 0 else PF1
    return {"name": f"p{i}", "netns": f"ns{i}", "pf": pf, "mac": mac_of(i + 1), "wait": True}


def run_size(sriovd, n, sample, workdir, fake_pfs, budget_s):
    root = Path(tempfile.mkdtemp(prefix=f"scale-{n}-", dir=workdir))
    state = root / "state"
    sock = root / "sriovd.sock"
    log = open(root / "sriovd.log", "wb")
    proc = subprocess.Popen([str(sriovd), "--backend=fake", "--state-dir", str(state), "--socket", str(sock),
                             "--fake-pfs", fake_pfs], stdout=log, stderr=log)
    log.close()
    try:
        deadline = time.monotonic() + 30
        while not sock.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("sriovd did not start: " + (root / "sriovd.log").read_text()[-2000:])
            time.sleep(0.02)
        time.sleep(0.05)
        c = Client(str(sock))
        pid = proc.pid
        ticks0 = ticks(pid)

        # create N partitions
        t0 = time.monotonic()
        c0 = cpu_ns(pid)
        m0 = metrics(c)
        checkpoints = {}
        for i in range(n):
            c.ok("partition-add", **part_args(i))
            if (i + 1) % max(1, n // 10) == 0 and n >= 100:
                checkpoints[i + 1] = round(time.monotonic() - t0, 3)
            if time.monotonic() - t0 > budget_s:
                # creation alone ran out of its time budget: report how far
                # it got (the curve), not a sample at a size never reached
                last = 0.0
                per_add = {}
                for k, v in checkpoints.items():
                    per_add[k] = round((v - last) * 1e3 / max(1, n // 10), 2)
                    last = v
                return {"partitions": n, "incomplete": True, "created": i + 1,
                        "create_s": round(time.monotonic() - t0, 3),
                        "create_checkpoints_s": checkpoints,
                        "create_ms_per_add_by_size": per_add,
                        "rss_kb": rss_kb(pid), "budget_s": budget_s}
        create_s = time.monotonic() - t0
        create_cpu = (cpu_ns(pid) - c0) / 1e9
        m1 = metrics(c)
        st = c.ok("status")
        if len(st["partitions"]) != n:
            raise RuntimeError(f"{len(st['partitions'])} partitions after creating {n}")

        res = {op: [] for op in OPS}
        commits = {op: 0.0 for op in OPS}
        jsec = {op: 0.0 for op in OPS}
        jbytes = {op: 0.0 for op in OPS}

        def timed(op, cmd, **args):
            mb = metrics(c)
            cb = cpu_ns(pid)
            tb = time.perf_counter()
            c.ok(cmd, **args)
            te = time.perf_counter()
            ce = cpu_ns(pid)
            ma = metrics(c)
            res[op].append((te - tb, ce - cb))
            commits[op] += ma.get("sriovd_journal_commits_total", 0) - mb.get("sriovd_journal_commits_total", 0)
            jsec[op] += (ma.get("sriovd_journal_write_seconds_sum", 0) -
                         mb.get("sriovd_journal_write_seconds_sum", 0))
            jbytes[op] += (ma.get("sriovd_journal_written_bytes_total", 0) -
                           mb.get("sriovd_journal_written_bytes_total", 0))

        # spread the sample over the partitions
        step = max(1, n // sample)
        picks = [(k * step) % n for k in range(sample)]
        extra = n
        for i in picks:
            name = f"p{i}"
            timed("attach", "attach", partition=name, wait=True)
            timed("failover", "failover", partition=name, hold_ms=3600 * 1000, wait=True)
            timed("detach", "detach", partition=name, wait=True)
            timed("remove", "partition-remove", partition=name, wait=True)
            args = part_args(i)
            timed("add", "partition-add", **args)
            extra += 1
        m2 = metrics(c)
        audit = c.ok("audit")
        out = {
            "partitions": n,
            "create_s": round(create_s, 3),
            "create_cpu_s": round(create_cpu, 3),
            "create_ms_per_partition": round(create_s * 1e3 / n, 3),
            "create_checkpoints_s": checkpoints,
            "create_journal_commits": m1.get("sriovd_journal_commits_total", 0) - m0.get(
                "sriovd_journal_commits_total", 0),
            "ops": {op: summary(res[op]) for op in OPS},
            "journal": {
                "snapshot_bytes": int(m2.get("sriovd_journal_snapshot_bytes", 0)),
                "log_bytes": int(m2.get("sriovd_journal_log_bytes", 0)),
                "snapshots": int(m2.get("sriovd_journal_snapshots_total", 0)),
                "bytes_per_commit": {op: round(jbytes[op] / commits[op]) if commits[op] else None for op in OPS},
                "commits_per_op": {op: round(commits[op] / max(1, len(res[op])), 2) for op in OPS},
                "write_ms_per_commit": {op: round(jsec[op] * 1e3 / commits[op], 3) if commits[op] else None
                                        for op in OPS},
                "write_ms_mean": round(m2.get("sriovd_journal_write_seconds_sum", 0) * 1e3 /
                                       max(1, m2.get("sriovd_journal_commits_total", 0)), 3),
                "write_ms_max": round(m2.get("sriovd_journal_write_seconds_max", 0) * 1e3, 3),
            },
            "rss_kb": rss_kb(pid),
            "cpu_ticks_total": ticks(pid) - ticks0,
            "audit_consistent": bool(audit.get("consistent")),
        }
        c.close()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)


def table(doc):
    lines = []
    lines.append(f"sriovd scale benchmark, fake backend ({doc['fake_pfs']}), sample {doc['sample']} per op")
    lines.append(f"date {doc['date']}  commit {doc['commit']}  load {doc['load_before']}")
    hdr = f"{'N':>6} {'create s':>9} {'rss MB':>7} {'snapshot KB':>11} {'B/commit':>8} {'commit ms':>9}"
    for op in OPS:
        hdr += f" | {op + ' med/p99 ms':>22}"
    lines.append(hdr)
    for r in doc["results"]:
        if r.get("incomplete"):
            lines.append(f"{r['partitions']:>6} not reached: {r['created']} partitions created in "
                         f"{r['create_s']:.0f} s (budget {r['budget_s']} s); ms per add by size: "
                         f"{r['create_ms_per_add_by_size']}")
            continue
        bpc = [b for b in r["journal"]["bytes_per_commit"].values() if b is not None]
        row = (f"{r['partitions']:>6} {r['create_s']:>9.2f} {r['rss_kb'] / 1024:>7.1f} "
               f"{r['journal']['snapshot_bytes'] / 1024:>11.1f} {statistics.median(bpc) if bpc else 0:>8.0f} "
               f"{r['journal']['write_ms_mean']:>9.3f}")
        for op in OPS:
            o = r["ops"][op]
            row += f" | {o['wall_ms_median']:>8.2f}/{o['wall_ms_p99']:<6.2f} c{o['cpu_ms_median']:>5.2f}"
        lines.append(row)
    lines.append("(per op: wall median/p99 ms, c = sriovd CPU ms median)")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=os.environ.get("SCALE_N", "10,100,1000,10000"))
    ap.add_argument("--sample", type=int, default=int(os.environ.get("SCALE_SAMPLE", "200")))
    ap.add_argument("--build", default=os.environ.get("SRIOV_BUILD", str(TOP / "build" / "cmake")))
    ap.add_argument("--out", default=str(TOP / "build" / "bench" / "scale.json"))
    ap.add_argument("--create-budget-s", type=float, default=float(os.environ.get("SCALE_CREATE_BUDGET_S", "1200")),
                    help="give up on a size whose creation takes longer (reported as not reached)")
    ap.add_argument("--fake-pfs", default=f"{PF0}=enp1s0:7,{PF1}=enp2s0:7")
    ap.add_argument("--workdir", default=str(TOP / "build" / "bench" / "scale-tmp"),
                    help="state directories (a real disk: the journal is fsync'd)")
    a = ap.parse_args()
    sriovd = Path(a.build) / "daemon" / "sriovd"
    if not sriovd.exists():
        sys.exit(f"bench-scale: {sriovd} not built (make userspace)")
    Path(a.workdir).mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "-C", str(TOP), "describe", "--always", "--dirty"], capture_output=True,
                            text=True).stdout.strip()
    doc = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "commit": commit,
           "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs",
           "load_before": os.getloadavg(),
           "fake_pfs": a.fake_pfs,
           "sample": a.sample,
           "results": []}
    for n in [int(x) for x in a.sizes.split(",") if x]:
        t = time.monotonic()
        r = run_size(sriovd, n, a.sample, a.workdir, a.fake_pfs, a.create_budget_s)
        r["load_after"] = os.getloadavg()
        r["run_s"] = round(time.monotonic() - t, 1)
        doc["results"].append(r)
        print(f"N={n}: {'NOT REACHED, ' if r.get('incomplete') else ''}creation {r['create_s']} s, "
              f"run {r['run_s']} s", flush=True)
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.out).write_text(json.dumps(doc, indent=1) + "\n")
    doc["load_after"] = os.getloadavg()
    doc["flatness"] = flatness(doc["results"])
    Path(a.out).write_text(json.dumps(doc, indent=1) + "\n")
    print(table(doc))
    print(json.dumps(doc["flatness"]))
    print(f"wrote {a.out}")
    bad = [r["partitions"] for r in doc["results"] if not r.get("incomplete") and not r["audit_consistent"]]
    if bad:
        sys.exit(f"bench-scale: audit not consistent at N={bad}")
    missed = [r["partitions"] for r in doc["results"] if r.get("incomplete")]
    if missed:
        sys.exit(f"bench-scale: creating N={missed} partitions exceeded {a.create_budget_s} s")


def flatness(results):
    """Per op: wall median at the largest N over the smallest N."""
    results = [r for r in results if not r.get("incomplete")]
    if len(results) < 2:
        return {}
    lo, hi = results[0], results[-1]
    out = {}
    for op in OPS:
        a = lo["ops"][op]["wall_ms_median"]
        b = hi["ops"][op]["wall_ms_median"]
        out[op] = round(b / a, 2) if a else None
    out["range"] = f"{lo['partitions']}..{hi['partitions']}"
    return out


if __name__ == "__main__":
    main()
