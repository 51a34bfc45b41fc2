# SPDX-License-Identifier: GPL-2.0
"""The CNI plugin sriov-netvsc run as a runtime runs it (CNI spec 1.0.0):
CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME and CNI_PATH in the
environment, the network configuration on stdin, against sriovd on its
fake backend.  IPAM is Debian's host-local (containernetworking-plugins,
installed by tools/setup.sh).  Every result and error document is checked
against the spec's structure (a JSON schema written from the spec), and
sriovd's state and the fake kernel's dump against what the plugin said.

The plugin configures its interface inside the container's namespace (up,
the IPAM addresses and routes).  The fake backend's adapter exists only in
sriovd's fake kernel, so each container here also gets a real network
namespace at its CNI_NETNS path in which one end of a veth pair, named
CNI_IFNAME and carrying the partition's MAC, stands in for the adapter:
that is the link the plugin must find and configure (and nothing else)."""

import ipaddress
import json
import os
import subprocess
import uuid
from pathlib import Path

import jsonschema
import pytest

from conftest import BUILD, PF0, kernel_leaks

PLUGIN = BUILD / "tools" / "cni" / "sriov-netvsc"
CNI_PATH = "/usr/lib/cni"
SUBNET = ipaddress.ip_network("10.77.0.0/24")
# real namespaces under /run/netns: unique per run (ctest runs files in parallel)
TAG = uuid.uuid4().hex[:8]
NS1 = f"cni-ctr1-{TAG}"

# CNI spec 1.0.0, "Success" result and "Error" result
RESULT_SCHEMA = {
    "type": "object",
    "required": ["cniVersion"],
    "properties": {
        "cniVersion": {"type": "string"},
        "interfaces": {"type": "array", "items": {
            "type": "object", "required": ["name"],
            "properties": {"name": {"type": "string", "minLength": 1}, "mac": {"type": "string"},
                           "sandbox": {"type": "string"}}}},
        "ips": {"type": "array", "items": {
            "type": "object", "required": ["address"],
            "properties": {"address": {"type": "string"}, "gateway": {"type": "string"},
                           "interface": {"type": "integer", "minimum": 0}}}},
        "routes": {"type": "array", "items": {
            "type": "object", "required": ["dst"],
            "properties": {"dst": {"type": "string"}, "gw": {"type": "string"}}}},
        "dns": {"type": "object", "properties": {
            "nameservers": {"type": "array", "items": {"type": "string"}},
            "domain": {"type": "string"},
            "search": {"type": "array", "items": {"type": "string"}},
            "options": {"type": "array", "items": {"type": "string"}}}},
    },
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["cniVersion", "code", "msg"],
    "properties": {"cniVersion": {"type": "string"}, "code": {"type": "integer", "minimum": 1},
                   "msg": {"type": "string", "minLength": 1}, "details": {"type": "string"}},
}
VERSION_SCHEMA = {
    "type": "object",
    "required": ["cniVersion", "supportedVersions"],
    "properties": {"cniVersion": {"type": "string"},
                   "supportedVersions": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
}


@pytest.fixture(autouse=True)
def _need_plugin():
    if not PLUGIN.exists():
        pytest.fail(f"not built: {PLUGIN}")
    if not Path(CNI_PATH, "host-local").exists():
        pytest.fail(f"{CNI_PATH}/host-local missing: tools/setup.sh installs containernetworking-plugins")


def valid_result(res, version="1.0.0"):
    jsonschema.validate(res, RESULT_SCHEMA)
    assert res["cniVersion"] == version
    for ip in res.get("ips", []):
        ipaddress.ip_interface(ip["address"])  # CIDR notation
        if "gateway" in ip:
            ipaddress.ip_address(ip["gateway"])
        if "interface" in ip:
            assert ip["interface"] < len(res["interfaces"]), res
    for r in res.get("routes", []):
        ipaddress.ip_network(r["dst"])
    return res


def valid_error(doc, code):
    jsonschema.validate(doc, ERROR_SCHEMA)
    assert doc["code"] == code, doc
    return doc


def fnv1a(text):
    h = 14695981039346656037
    for ch in text.encode():
        h = ((h ^ ch) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def derived_mac(cid, ifname, attempt=0):
    """The MAC the plugin derives (Documentation/cni.rst, ADD): locally
    administered, from the container id and the interface name."""
    h = fnv1a(f"{cid}/{ifname}/{attempt}")
    return "02:" + ":".join(f"{(h >> (8 * i)) & 0xFF:02x}" for i in range(5))


def ip(*args, check=True):
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True).stdout


def ip_json(ns, *args):
    return json.loads(ip("-j", "-n", ns, *args) or "[]")


class Cni:
    """The plugin as a runtime calls it."""

    def __init__(self, daemon, workdir):
        self.d = daemon
        self.data = workdir / "ipam"
        self.real = []

    def container(self, name, cid="ctr1", ifname="eth0", mac=None):
        """A container's namespace NAME: in the fake kernel (where sriovd
        makes the adapter) and at /run/netns/NAME, with a stand-in for the
        adapter there (veth end IFNAME with the partition's MAC)."""
        self.netns("netns_add", name)
        ip("netns", "add", name)
        self.real.append(name)
        ip("-n", name, "link", "add", ifname, "address", mac or derived_mac(cid, ifname), "type", "veth",
           "peer", "name", "peer0")
        return "/run/netns/" + name

    def remove_container(self, name):
        self.netns("netns_del", name)
        ip("netns", "del", name)
        self.real.remove(name)

    def cleanup(self):
        for name in self.real:
            ip("netns", "del", name, check=False)

    def conf(self, **over):
        c = {"cniVersion": "1.0.0", "name": "sriovnet", "type": "sriov-netvsc",
             "socket": str(self.d.sock), "pf": PF0,
             "ipam": {"type": "host-local", "ranges": [[{"subnet": str(SUBNET)}]],
                      "routes": [{"dst": "0.0.0.0/0"}], "dataDir": str(self.data)}}
        c.update(over)
        return {k: v for k, v in c.items() if v is not None}

    def run(self, command, conf, cid="ctr1", netns="/run/netns/" + NS1, ifname="eth0", env=None):
        e = {k: v for k, v in os.environ.items() if not k.startswith("CNI_")}
        e.update({"CNI_COMMAND": command, "CNI_CONTAINERID": cid, "CNI_NETNS": netns, "CNI_IFNAME": ifname,
                  "CNI_PATH": CNI_PATH})
        e.update(env or {})
        e = {k: v for k, v in e.items() if v is not None}
        stdin = conf if isinstance(conf, str) else json.dumps(conf)
        r = subprocess.run([str(PLUGIN)], input=stdin, capture_output=True, text=True, env=e, timeout=120)
        out = json.loads(r.stdout) if r.stdout.strip() else None
        return r.returncode, out, r.stderr

    def leases(self):
        """The addresses host-local holds for network "sriovnet"."""
        d = self.data / "sriovnet"
        if not d.exists():
            return []
        return sorted(p.name for p in d.iterdir() if p.name[0].isdigit())

    def netns(self, op, name):
        r = self.d.request("fake", config={op: name})
        assert r["ok"], r


def state(d):
    """sriovd idle, its audit consistent, the fake kernel without leaks."""
    d.wait_idle(timeout=60)
    a = d.request("audit")
    assert a["ok"] and a["result"]["consistent"], a
    st, k = d.quiet_state(timeout=60)
    assert kernel_leaks(k, st["partitions"]) == []
    return st, k


def allocated(k):
    return sum(v["allocated"] for pf in k["pfs"].values() for v in pf["vfs"])


@pytest.fixture
def cni(daemon, workdir):
    c = Cni(daemon, workdir)
    yield c
    c.cleanup()


def test_version(cni):
    rc, out, _ = cni.run("VERSION", {"cniVersion": "1.0.0"}, cid=None, netns=None, ifname=None)
    assert rc == 0
    jsonschema.validate(out, VERSION_SCHEMA)
    assert "1.0.0" in out["supportedVersions"] and out["cniVersion"] == "1.0.0"


def test_add_check_del_del(cni):
    d = cni.d
    cni.container(NS1)
    conf = cni.conf()
    rc, res, err = cni.run("ADD", conf)
    assert rc == 0, (res, err)
    valid_result(res)
    eth0 = res["interfaces"][0]
    assert eth0["name"] == "eth0" and eth0["sandbox"] == "/run/netns/" + NS1, res
    (ip,) = res["ips"]
    addr = ipaddress.ip_interface(ip["address"])
    assert addr.ip in SUBNET and ip["interface"] == 0, res
    assert res["routes"] == [{"dst": "0.0.0.0/0"}], res
    assert cni.leases() == [str(addr.ip)]
    st, k = state(d)
    (p,) = st["partitions"]
    assert p["container_id"] == "ctr1" and p["ifname"] == "eth0" and p["netns"] == "/run/netns/" + NS1, p
    assert p["mac"] == eth0["mac"] and p["ips"] == [str(addr.ip)], p
    assert p["vf"] is not None, "a VF was free: the ADD attached it"
    # the VF, listed as a second interface in the same sandbox
    vf = d.request("vf-show", pf=p["vf"]["pf"], vf=p["vf"]["vf"])["result"][0]
    assert res["interfaces"][1] == {"name": vf["netdev"], "mac": vf["mac"], "sandbox": "/run/netns/" + NS1}, res
    assert k["adapters"][p["name"]]["ifname"] == "eth0"
    assert allocated(k) == 1

    check = dict(conf, prevResult=res)
    rc, out, err = cni.run("CHECK", check)
    assert (rc, out) == (0, None), (out, err)
    # CHECK fails when what the runtime holds is not the partition
    bad = json.loads(json.dumps(res))
    bad["interfaces"][0]["mac"] = "02:00:00:00:99:99"
    rc, out, _ = cni.run("CHECK", dict(conf, prevResult=bad))
    assert rc != 0
    valid_error(out, 100)
    rc, out, _ = cni.run("CHECK", conf)  # no prevResult
    assert rc != 0
    valid_error(out, 7)

    rc, out, err = cni.run("DEL", conf)
    assert (rc, out) == (0, None), (out, err)
    st, k = state(d)
    assert st["partitions"] == [] and allocated(k) == 0 and k["adapters"] == {}, (st, k)
    assert all(not pf["filters"] for pf in k["pfs"].values()), k
    assert cni.leases() == []
    rc, out, err = cni.run("DEL", conf)
    assert (rc, out) == (0, None), (out, err)
    rc, out, _ = cni.run("CHECK", check)
    assert rc != 0
    valid_error(out, 3)


def addrs(ns, ifname):
    (link,) = ip_json(ns, "addr", "show", "dev", ifname)
    return link, sorted(f"{a['local']}/{a['prefixlen']}" for a in link["addr_info"] if a["scope"] == "global")


def test_add_configures_the_adapter_in_the_namespace(cni):
    """Dual-stack IPAM: the adapter comes up with both addresses and both
    default routes (via host-local's gateways); the other end of the
    stand-in stays as it was.  CHECK sees the addresses; without one it
    fails."""
    ns = cni.container(NS1)
    v6 = ipaddress.ip_network("fd00:77::/64")
    conf = cni.conf(ipam={"type": "host-local", "dataDir": str(cni.data),
                          "ranges": [[{"subnet": str(SUBNET)}], [{"subnet": str(v6)}]],
                          "routes": [{"dst": "0.0.0.0/0"}, {"dst": "::/0"}]})
    rc, res, err = cni.run("ADD", conf)
    assert rc == 0, (res, err)
    valid_result(res)
    want = sorted(i["address"] for i in res["ips"])
    assert len(want) == 2 and {ipaddress.ip_interface(a).version for a in want} == {4, 6}, res
    link, have = addrs(NS1, "eth0")
    assert "UP" in link["flags"], link
    assert have == want, (have, want)
    routes = {(r["dst"], r.get("gateway"), r.get("dev")) for r in ip_json(NS1, "route", "show", "default")}
    gw4 = next(i["gateway"] for i in res["ips"] if ipaddress.ip_interface(i["address"]).version == 4)
    assert ("default", gw4, "eth0") in routes, routes
    routes6 = {(r["dst"], r.get("gateway"), r.get("dev")) for r in ip_json(NS1, "-6", "route", "show", "default")}
    gw6 = next(i["gateway"] for i in res["ips"] if ipaddress.ip_interface(i["address"]).version == 6)
    assert ("default", gw6, "eth0") in routes6, routes6
    # nothing but its own interface
    peer, peer_addrs = addrs(NS1, "peer0")
    assert "UP" not in peer["flags"] and peer_addrs == [], peer
    st, _ = state(cni.d)
    assert sorted(st["partitions"][0]["ips"]) == sorted(str(ipaddress.ip_interface(a).ip) for a in want)

    check = dict(conf, prevResult=res)
    rc, out, err = cni.run("CHECK", check)
    assert (rc, out) == (0, None), (out, err)
    v4 = next(a for a in want if ipaddress.ip_interface(a).version == 4)
    ip("-n", NS1, "addr", "del", v4, "dev", "eth0")
    rc, out, _ = cni.run("CHECK", check)
    assert rc != 0
    valid_error(out, 102)
    assert f"lacks address {v4}" in out["msg"], out
    rc, out, err = cni.run("DEL", conf)
    assert (rc, out) == (0, None), (out, err)
    st, k = state(cni.d)
    assert st["partitions"] == [] and allocated(k) == 0 and cni.leases() == []
    assert ns == "/run/netns/" + NS1


def test_add_leaves_a_foreign_interface_alone(cni):
    """CNI_IFNAME in the namespace is not the partition's adapter (another
    MAC): the ADD fails, configures nothing, and leaves nothing behind."""
    cni.container(NS1, mac="02:00:00:00:00:99")
    rc, out, _ = cni.run("ADD", cni.conf())
    assert rc != 0
    valid_error(out, 102)
    assert "02:00:00:00:00:99" in out["msg"] and "left alone" in out["msg"], out
    link, have = addrs(NS1, "eth0")
    assert "UP" not in link["flags"] and have == [], link
    assert ip_json(NS1, "route", "show") == []
    st, k = state(cni.d)
    assert st["partitions"] == [] and k["adapters"] == {} and allocated(k) == 0, (st, k)
    assert cni.leases() == []


def test_add_twice_is_refused_and_leaves_the_first(cni):
    cni.container(NS1)
    rc, res, err = cni.run("ADD", cni.conf())
    assert rc == 0, err
    rc, out, _ = cni.run("ADD", cni.conf())
    assert rc != 0
    valid_error(out, 101)
    st, _ = state(cni.d)
    assert len(st["partitions"]) == 1 and cni.leases() == [res["ips"][0]["address"].split("/")[0]]


def test_add_with_a_bad_config(cni):
    cni.container(NS1)
    cases = [
        ("{not json", {}, 6),
        (cni.conf(name=None), {}, 7),
        (cni.conf(cniVersion="0.1.0"), {}, 1),
        (cni.conf(vlan=5000), {}, 7),
        (cni.conf(mac="02:zz:00:00:00:01"), {}, 7),
        (cni.conf(weight="high"), {}, 7),
        (cni.conf(ipam={"ranges": []}), {}, 7),
        (cni.conf(pf="0000:99:00.0"), {}, 7),
        (cni.conf(), {"CNI_NETNS": None}, 4),
        (cni.conf(), {"CNI_IFNAME": "a/b"}, 4),
        (cni.conf(), {"CNI_CONTAINERID": "-x"}, 4),
        (cni.conf(), {"CNI_COMMAND": "FROB"}, 4),
    ]
    for conf, env, code in cases:
        rc, out, err = cni.run("ADD", conf, env=env)
        assert rc != 0, (conf, env)
        valid_error(out, code)
        assert out["cniVersion"] == "1.0.0", out
    st, k = state(cni.d)
    assert st["partitions"] == [] and k["adapters"] == {} and allocated(k) == 0
    assert cni.leases() == []


def test_add_with_sriovd_down_leaves_nothing(cni):
    d = cni.d
    cni.container(NS1)
    d.stop()
    rc, out, err = cni.run("ADD", cni.conf())
    assert rc != 0
    valid_error(out, 11)
    assert "sriovd is not reachable" in out["msg"], out
    assert cni.leases() == [], "IPAM ran although sriovd was down"
    # DEL cannot tear anything down without sriovd: the runtime retries
    rc, out, _ = cni.run("DEL", cni.conf())
    assert rc != 0
    valid_error(out, 11)
    d.start()
    st, k = state(d)
    assert st["partitions"] == [] and k["adapters"] == {} and allocated(k) == 0


def test_add_that_sriovd_rolls_back_leaves_nothing(cni):
    """IPAM ran, then sriovd's add failed and rolled back: the address is
    released and no partition, adapter or filter remains."""
    d = cni.d
    cni.container(NS1)
    assert d.request("fake", config={"fail": {"adapter_create": {"errno": 5, "count": 1}}})["ok"]
    rc, out, err = cni.run("ADD", cni.conf())
    assert rc != 0
    valid_error(out, 100)
    assert "adapter_create_failed" in out["msg"], out
    assert cni.leases() == []
    st, k = state(d)
    assert st["partitions"] == [] and k["adapters"] == {} and allocated(k) == 0


def test_del_after_the_namespace_is_gone(cni):
    d = cni.d
    cni.container(NS1)
    rc, res, err = cni.run("ADD", cni.conf())
    assert rc == 0, err
    st, k = state(d)
    assert allocated(k) == 1 and st["partitions"][0]["vf"] is not None
    # the container is gone before the runtime calls DEL: its namespace
    # with it (adapter deleted, VF netdev back in the host's namespace)
    cni.remove_container(NS1)
    assert NS1 not in d.kernel()["netns"]
    for netns in ("/run/netns/" + NS1, ""):  # a runtime may pass none then
        rc, out, err = cni.run("DEL", cni.conf(), env={"CNI_NETNS": netns})
        assert (rc, out) == (0, None), (out, err)
        st, k = state(d)
        assert st["partitions"] == [] and k["adapters"] == {} and allocated(k) == 0, (st, k)
        assert all(not pf["filters"] for pf in k["pfs"].values()), k
        assert cni.leases() == []


def test_two_containers_and_version_0_4_0(cni):
    """Two containers side by side, the second with podman's namespace
    naming (netns-UUID) and a 0.4.0 configuration."""
    d = cni.d
    ns2 = f"netns-{uuid.uuid4()}"
    cni.container(NS1)
    cni.container(ns2, cid="ctr2", ifname="net1")
    rc, r1, err = cni.run("ADD", cni.conf())
    assert rc == 0, err
    rc, r2, err = cni.run("ADD", cni.conf(cniVersion="0.4.0"), cid="ctr2", netns="/run/netns/" + ns2,
                          ifname="net1")
    assert rc == 0, err
    valid_result(r2, "0.4.0")
    assert r2["ips"][0]["version"] == "4", r2
    assert r2["interfaces"][0]["name"] == "net1"
    assert r1["interfaces"][0]["mac"] != r2["interfaces"][0]["mac"]
    assert r1["ips"][0]["address"] != r2["ips"][0]["address"]
    st, _ = state(d)
    assert sorted((p["container_id"], p["ifname"]) for p in st["partitions"]) == [("ctr1", "eth0"), ("ctr2", "net1")]
    # DEL of one leaves the other
    rc, _, err = cni.run("DEL", cni.conf(cniVersion="0.4.0"), cid="ctr2", netns="/run/netns/" + ns2, ifname="net1")
    assert rc == 0, err
    st, _ = state(d)
    assert [p["container_id"] for p in st["partitions"]] == ["ctr1"]
    assert len(cni.leases()) == 1
