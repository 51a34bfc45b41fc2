#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The soak ledger: what a cycle must give back.

  ledger.py snap YNL_DIR SPEC PF_IFINDEX[,PF_IFINDEX...] OUT.json [NETNS...]
  ledger.py compare BEFORE.json AFTER.json SLAB_TOL_B_PER_CYCLE CYCLES
  ledger.py slab                       print the slab figures (noise checks)

snap records, through the "sriov" family and sysfs/procfs (the first
four per PF):
  vfs        state, VPort and MAC of every VF of the PF; a free VF's MAC
             as "random" when it is a locally administered unicast MAC
             that no netdev of the NETNS given carries (sriov_pf gives a
             freed VF a random MAC: its partition's MAC must not stay)
  vports     VPorts (id, pool, owner) and filters (type, VPort)
  slots      free MAC (RAR) and VLAN (VLVF) filter slots
  netdevs    netdev names in the init netns and each NETNS given
  refcnt     /sys/module/<m>/refcnt of sriov_pf, sriov_vf, sriov_netvsc
  slab       the bytes of the allocated objects of the kmalloc-* caches
             (where the drivers' objects live: they have no caches of
             their own), read from /proc/slabinfo after every kmalloc
             cache was shrunk (/sys/kernel/slab/*/shrink: SLUB counts the
             free objects of per-CPU slabs as active until then): the
             least of 5 readings 2 s apart (kfree_rcu() batches frees for
             up to 5 s; a leak is in every reading, a transient object is
             not), with the spread of the readings; Slab and SUnreclaim of
             /proc/meminfo for information (they count pages, and move by
             whole slabs)

compare requires everything but slab to be identical and every free VF's
MAC to be "random", and kmalloc_active_B to grow by at most
SLAB_TOL_B_PER_CYCLE x CYCLES bytes: a leak of a few hundred bytes a cycle
shows after 100 cycles.  Exit 0 if the ledgers match, 1 otherwise, with a
diff.
"""
import json
import os
import glob
import subprocess
import sys
import time


def modules():
    out = {}
    for m in ("sriov_pf", "sriov_vf", "sriov_netvsc"):
        p = f"/sys/module/{m}/refcnt"
        out[m] = int(open(p).read()) if os.path.exists(p) else None
    return out


def kmalloc_caches(name):
    return name.startswith("kmalloc-") and not name.startswith(
        ("kmalloc-rcl", "kmalloc-cg", "kmalloc-rnd"))


def shrink():
    for p in glob.glob("/sys/kernel/slab/kmalloc-*/shrink"):
        if kmalloc_caches(p.split("/")[4]):
            try:
                with open(p, "w") as f:
                    f.write("1")
            except OSError:
                pass


def kmalloc_active():
    n = 0
    for line in open("/proc/slabinfo"):
        f = line.split()
        if f and kmalloc_caches(f[0]):
            n += int(f[1]) * int(f[3])
    return n


def slab():
    mi = {}
    reads = []
    for i in range(5):
        if i:
            time.sleep(2)
        shrink()
        reads.append(kmalloc_active())
    mi["kmalloc_active_B"] = min(reads)
    mi["kmalloc_reads_B"] = reads
    for line in open("/proc/meminfo"):
        k, v = line.split(":")
        if k in ("Slab", "SUnreclaim"):
            mi[k + "_kB"] = int(v.split()[0])
    return mi


def netdevs(ns):
    cmd = ["ip", "-j", "link", "show"]
    if ns:
        cmd = ["ip", "-n", ns, "-j", "link", "show"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        return None
    return sorted(d["ifname"] for d in json.loads(r.stdout))


def macs(ns):
    cmd = ["ip", "-n", ns, "-j", "link", "show"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        return set()
    return {d.get("address", "").lower() for d in json.loads(r.stdout)}


def mac_str(m):
    if isinstance(m, (bytes, bytearray)):
        return ":".join(f"{b:02x}" for b in m)
    return str(m).lower()


def vf_mac(v, taken):
    m = mac_str(v.get("mac", ""))
    if v["vf-state"] != "free":
        return m
    try:
        b0 = int(m.split(":")[0], 16)
    except ValueError:
        return m
    if b0 & 2 and not b0 & 1 and m not in taken:
        return "random"
    return m


def switch(ynl, ifindex, taken):
    pf = {"ifindex": int(ifindex)}
    sw = ynl.do("switch-get", pf)
    return {
        "vfs": sorted((v["vf-id"], v["vf-state"], v.get("vport-id"),
                       vf_mac(v, taken))
                      for v in ynl.dump("vf-get", pf)) if sw["num-vfs"] else [],
        "vports": sorted((v["vport-id"], v["pool"], v.get("vport-owner"))
                         for v in ynl.dump("vport-get", pf)),
        "filters": sorted((f["filter-type"], f["vport-id"],
                           f.get("filter-origin"))
                          for f in ynl.dump("filter-get", pf)),
        "slots": [sw["mac-filters-free"], sw["vlan-filters-free"]],
    }


def snap(ynl_dir, spec, ifindexes, out, nss):
    sys.path.insert(0, ynl_dir)
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "lib"))
    import ynl_libyaml  # noqa: E402,F401  (specs parsed by libyaml)
    from lib import YnlFamily  # noqa: E402
    ynl = YnlFamily(spec, "")
    led = {}
    taken = set()
    for ns in nss:
        taken |= macs(ns)
    for i, ifindex in enumerate(ifindexes.split(",")):
        sfx = f"@{ifindex}" if i else ""
        for k, v in switch(ynl, ifindex, taken).items():
            led[k + sfx] = v
    led.update({
        "netdevs": {ns or "init": netdevs(ns) for ns in [""] + nss},
        "refcnt": modules(),
        "slab": slab(),
    })
    with open(out, "w") as f:
        json.dump(led, f, indent=1, default=list)


def compare(a_path, b_path, tol_b, cycles):
    a = json.load(open(a_path))
    b = json.load(open(b_path))
    ok = True
    for k in a:
        if k == "slab":
            continue
        if a[k] != b[k]:
            ok = False
            print(f"# ledger {k} differs:\n#  before {a[k]}\n#  after  {b[k]}")
    for k in a:
        if not k.startswith("vfs"):
            continue
        for when, led in (("before", a), ("after", b)):
            for v in led[k]:
                if v[1] == "free" and v[3] != "random":
                    ok = False
                    print(f"# {k} {when}: free VF {v[0]} has MAC {v[3]}, "
                          "not a random one")
    for k in ("Slab_kB", "SUnreclaim_kB"):
        d = b["slab"][k] - a["slab"][k]
        print(f"# {k}: {a['slab'][k]} -> {b['slab'][k]} ({d:+d} kB, "
              "for information)")
    k = "kmalloc_active_B"
    d = b["slab"][k] - a["slab"][k]
    allow = tol_b * cycles
    print(f"# {k}: {a['slab'][k]} -> {b['slab'][k]} ({d:+d} B, "
          f"{d / max(cycles, 1):+.1f} B a cycle over {cycles} cycles; "
          f"at most {tol_b} B a cycle, {allow} B)")
    for w, led in (("before", a), ("after", b)):
        r = led["slab"].get("kmalloc_reads_B", [])
        if r:
            print(f"# {k} readings {w}: {r} (spread {max(r) - min(r)} B)")
    if d > allow:
        ok = False
        print(f"# {k} grew by {d} B, more than {allow} B")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(*sys.argv[2:6], sys.argv[6:])
    elif sys.argv[1] == "slab":
        print(json.dumps(slab()))
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3], int(sys.argv[4]),
                         int(sys.argv[5])))
