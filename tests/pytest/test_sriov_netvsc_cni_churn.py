# SPDX-License-Identifier: GPL-2.0
"""Churn of the CNI plugin sriov-netvsc against sriovd on its fake backend:
CYCLES container ADDs, each DELeted later, up to LIVE containers at once,
with sriovd SIGKILLed at random (between invocations, and while one runs)
and restarted each time, as a node whose daemon crashes under a busy
runtime.  The runtime's side is the spec's: an ADD that failed is followed
by DEL, a DEL that failed is retried until it succeeds; some containers'
namespaces are gone before their DEL (the container died first).

The failure classes of sriov-cni #219/#349 and device-plugin #685: at
every check, no two partitions (and no two adapters in the kernel) with
one MAC, no VF allocated that no partition holds, no partition of a
container the runtime deleted; at the end nothing left (partitions, VFs,
VPorts, filters, adapters, leases) and sriovd's audit consistent.  The
seed is printed; SRIOV_CHURN_SEED replays a run.  make check runs this
file a second time against the ASan+UBSan build (tests/CMakeLists.txt),
where every process start costs a few tenths of a second: that run does
SANITIZED_CYCLES (the same paths, under the sanitizers), the plain build's
run the 200.  sriovd's state is on a
tmpfs when there is one (/dev/shm): a SIGKILL is a process crash, not a
power loss, and the journal's fsyncs would be most of the run's time."""

import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import Daemon, kernel_leaks
from test_sriov_netvsc_cni import PLUGIN, Cni, allocated, state, valid_error, valid_result

CYCLES = 200
SANITIZED_CYCLES = 40
LIVE = 5
KILL_BETWEEN = 0.12  # chance of a SIGKILL of sriovd before an invocation
KILL_DURING = 0.08   # chance of one while an invocation runs


@pytest.fixture
def cni():
    shm = Path("/dev/shm")
    work = Path(tempfile.mkdtemp(prefix="sriovd-churn-", dir=shm if shm.is_dir() else None))
    os.chmod(work, 0o755)
    d = Daemon(work)
    c = Cni(d, work)
    try:
        d.start()
        yield c
    finally:
        c.cleanup()
        if d.proc and d.proc.poll() is None:
            d.kill()
        shutil.rmtree(work, ignore_errors=True)


def unique_macs(st, k):
    macs = [p["mac"] for p in st["partitions"]]
    assert len(macs) == len(set(macs)), f"duplicate MACs among partitions: {sorted(macs)}"
    amacs = [a["mac"] for a in k["adapters"].values()]
    assert len(amacs) == len(set(amacs)), f"duplicate MACs among adapters: {sorted(amacs)}"


def sanitized():
    """Whether the plugin under test is the sanitizer build's."""
    return b"__asan_init" in PLUGIN.read_bytes()


def test_add_del_churn_with_sriovd_killed(cni):
    d = cni.d
    cycles = SANITIZED_CYCLES if sanitized() else CYCLES
    seed = int(os.environ.get("SRIOV_CHURN_SEED", random.randrange(1 << 30)))
    print(f"seed {seed}")
    rnd = random.Random(seed)
    tag = os.urandom(3).hex()
    conf = cni.conf(ipam={"type": "host-local", "ranges": [[{"subnet": "10.78.0.0/24"}]],
                          "dataDir": str(cni.data)})
    stats = {"add_ok": 0, "add_failed": 0, "del_retried": 0, "kills_between": 0, "kills_during": 0,
             "ns_gone_first": 0, "checks": 0}
    live = {}  # container id -> (netns name, the ADD's result)

    def restart():
        if d.proc.poll() is None:
            d.kill()
        d.start()

    def invoke(command, cid, ns):
        """The plugin once; sometimes sriovd is killed before or while it
        runs (then restarted).  (rc, document)."""
        if rnd.random() < KILL_BETWEEN:
            stats["kills_between"] += 1
            restart()
        if rnd.random() >= KILL_DURING:
            rc, out, err = cni.run(command, conf, cid=cid, netns="/run/netns/" + ns)
            return rc, out
        env = {k: v for k, v in os.environ.items() if not k.startswith("CNI_")}
        env.update({"CNI_COMMAND": command, "CNI_CONTAINERID": cid, "CNI_NETNS": "/run/netns/" + ns,
                    "CNI_IFNAME": "eth0", "CNI_PATH": "/usr/lib/cni"})
        p = subprocess.Popen([str(PLUGIN)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
        p.stdin.write(json.dumps(conf))
        p.stdin.close()
        time.sleep(rnd.uniform(0, 0.03))
        stats["kills_during"] += 1
        d.kill()
        out = p.stdout.read()
        p.wait(timeout=120)
        d.start()
        return p.returncode, json.loads(out) if out.strip() else None

    def delete(cid):
        ns, _ = live.pop(cid)
        if ns in cni.real and rnd.random() < 0.15:
            stats["ns_gone_first"] += 1
            cni.remove_container(ns)
        for attempt in range(20):
            rc, out = invoke("DEL", cid, ns)
            if rc == 0:
                assert out is None, out
                break
            valid_error(out, 11)  # only sriovd being away may fail a DEL
            stats["del_retried"] += 1
            if d.proc.poll() is not None:
                d.start()
        else:
            raise AssertionError(f"DEL of {cid} never succeeded")
        if ns in cni.real:
            cni.remove_container(ns)
        # the runtime deleted it: sriovd must not hold it
        lst = d.request("list")
        assert lst["ok"] and not [p for p in lst["result"] if p["container_id"] == cid], lst

    def check():
        stats["checks"] += 1
        st, k = state(d)
        unique_macs(st, k)
        held = {p["container_id"] for p in st["partitions"]}
        assert held == set(live), (held, set(live))
        assert allocated(k) == sum(1 for p in st["partitions"] if p["vf"]), (st, k)
        assert kernel_leaks(k, st["partitions"]) == []
        assert len(cni.leases()) == len(live), (cni.leases(), live)

    t0 = time.monotonic()
    adds = ops = 0
    while adds < cycles or live:
        ops += 1
        if adds < cycles and (not live or (len(live) < LIVE and rnd.random() < 0.6)):
            adds += 1
            cid = f"churn{adds:03d}{tag}"
            ns = f"cni-churn{adds:03d}-{tag}"
            cni.container(ns, cid=cid)
            rc, out = invoke("ADD", cid, ns)
            live[cid] = (ns, out if rc == 0 else None)
            if rc == 0:
                valid_result(out)
                stats["add_ok"] += 1
                mac = out["interfaces"][0]["mac"]
                others = [r["interfaces"][0]["mac"] for c, (_, r) in live.items() if c != cid and r]
                assert mac not in others, f"{cid}: MAC {mac} is another live container's"
            else:
                # sriovd killed under it: the spec's answer, then the
                # runtime's DEL (below)
                valid_error(out, 11)
                stats["add_failed"] += 1
                delete(cid)
        else:
            delete(rnd.choice(sorted(live)))
        if ops % 10 == 0:
            check()
    check()
    st, k = state(d)
    assert st["partitions"] == [] and allocated(k) == 0 and k["adapters"] == {}, (st, k)
    assert all(not pf["filters"] for pf in k["pfs"].values()), k
    assert all(vp["vf"] is None for pf in k["pfs"].values() for vp in pf["vports"]), k
    assert cni.leases() == []
    a = d.request("audit")
    assert a["ok"] and a["result"]["consistent"], a
    print(f"{cycles} cycles in {time.monotonic() - t0:.1f} s: {stats}")
    assert stats["add_ok"] >= cycles // 2, stats
    assert stats["kills_between"] + stats["kills_during"] >= cycles // 10, stats
