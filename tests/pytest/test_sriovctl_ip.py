# SPDX-License-Identifier: GPL-2.0
"""Partition addresses (`sriovctl partition add --ip`) and the synthetic
switch's locked ports and ARP/ND guard, against sriovd --backend=fake:
parsing and its errors, the record, the rules the fake kernel holds,
the audit and the restart."""

import pytest

from conftest import PF0

MAC1 = "02:00:00:00:01:01"
MAC2 = "02:00:00:00:01:02"


def add(d, name, mac, *extra, check=0):
    return d.ctl("partition", "add", name, "--pf", PF0, "--mac", mac, *extra, check=check)


def audit(d):
    d.wait_idle()
    rc, out = d.ctl_json("audit")
    assert rc in (0, 1), out
    return out["result"]


def test_ip_stored_shown_and_in_the_rules(daemon):
    add(daemon, "vm1", MAC1, "--ip", "10.0.0.2", "--ip", "FD00:0:0::2")
    rc, lst = daemon.ctl_json("list")
    assert rc == 0
    (p,) = lst["result"]
    # canonical forms, in the order given
    assert p["ips"] == ["10.0.0.2", "fd00::2"]
    show = daemon.ctl("partition", "show", "vm1", check=0).stdout
    assert "ips: 10.0.0.2 fd00::2" in show.splitlines(), show
    assert "mac: " + MAC1 in show.splitlines(), show
    assert "10.0.0.2,fd00::2" in daemon.ctl("status", check=0).stdout
    g = daemon.kernel()["guard"]
    assert g["present"]
    assert g["ports"] == [{"partition": "vm1", "mac": MAC1, "ips": ["10.0.0.2", "fd00::2"]}]
    assert '"syn-vm1" : jump p_syn_vm1' in g["script"]
    assert "arp saddr ether != " + MAC1 + " drop" in g["script"]
    assert "arp saddr ip != { 0.0.0.0, 10.0.0.2 } drop" in g["script"]
    assert "0xfd000000000000000000000000000002" in g["script"]
    assert daemon.kernel()["adapters"]["vm1"]["port_locked"] is True
    assert audit(daemon)["consistent"]


def test_without_ip_only_the_mac_is_checked(daemon):
    add(daemon, "vm1", MAC1)
    rc, lst = daemon.ctl_json("list")
    assert lst["result"][0]["ips"] == []
    assert "ips: -" in daemon.ctl("partition", "show", "vm1", check=0).stdout.splitlines()
    script = daemon.kernel()["guard"]["script"]
    assert "arp saddr ether != " + MAC1 + " drop" in script
    assert "arp saddr ip" not in script


@pytest.mark.parametrize("args,msg", [
    (["--ip", "10.0.0.2/24"], "without a prefix length"),
    (["--ip", "fd00::2/64"], "without a prefix length"),
    (["--ip", "10.0.0.300"], "not an IPv4 or IPv6 address"),
    (["--ip", "fe80::1%eth0"], "not an IPv4 or IPv6 address"),
    (["--ip", "host.example"], "not an IPv4 or IPv6 address"),
    (["--ip", ""], "not an IPv4 or IPv6 address"),
    (["--ip", "10.0.0.2", "--ip", "10.0.0.2"], "given twice"),
    (["--ip", "fd00::2", "--ip", "fd00:0::2"], "given twice"),
    (["--ip"], "--ip needs a value"),
])
def test_ip_errors_are_usage_errors(daemon, args, msg):
    r = add(daemon, "vm1", MAC1, *args, check=2)
    assert msg in r.stderr, r.stderr
    rc, lst = daemon.ctl_json("list")
    assert rc == 0 and lst["result"] == []
    # nothing reached the kernel for vm1
    assert "vm1" not in daemon.kernel()["adapters"]


def test_ip_only_with_partition_add(daemon):
    add(daemon, "vm1", MAC1)
    r = daemon.ctl("partition", "remove", "vm1", "--ip", "10.0.0.2", check=2)
    assert "partition remove: unknown option '--ip'" in r.stderr, r.stderr


@pytest.mark.parametrize("ips,msg", [
    (["10.0.0.2/24"], "not an IPv4 or IPv6 address"),
    (["10.0.0.2", "10.0.0.2"], "given twice"),
    ("10.0.0.2", "must be an array"),
    ([7], "must be an array"),
])
def test_daemon_checks_ips_itself(daemon, ips, msg):
    r = daemon.request("partition-add", name="vm1", pf=PF0, mac=MAC1, ips=ips)
    assert not r["ok"], r
    assert r["error"]["code"] == "bad_request" and msg in r["error"]["message"], r


def test_address_of_another_partition_is_refused(daemon):
    add(daemon, "vm1", MAC1, "--ip", "10.0.0.2")
    r = add(daemon, "vm2", MAC2, "--ip", "10.0.0.2", check=2)
    assert "bad_request" in r.stderr and "used by partition vm1" in r.stderr, r.stderr
    assert [p["partition"] for p in daemon.kernel()["guard"]["ports"]] == ["vm1"]


def test_partition_show_unknown(daemon):
    r = daemon.ctl("partition", "show", "nope", check=5)
    assert "no partition nope" in r.stderr


def test_remove_takes_the_rules_away(daemon):
    add(daemon, "vm1", MAC1, "--ip", "10.0.0.1")
    add(daemon, "vm2", MAC2, "--ip", "10.0.0.2")
    daemon.ctl("partition", "remove", "vm1", check=0)
    daemon.wait_idle()
    g = daemon.kernel()["guard"]
    assert [p["partition"] for p in g["ports"]] == ["vm2"]
    assert "syn-vm1" not in g["script"] and "10.0.0.1" not in g["script"]
    assert audit(daemon)["consistent"]


def test_audit_reports_an_unlocked_port_and_a_restart_locks_it(daemon):
    add(daemon, "vm1", MAC1, "--ip", "10.0.0.2")
    daemon.ctl("fake", '{"unlock_port": "vm1"}', check=0)
    a = audit(daemon)
    assert not a["consistent"]
    assert any("is not locked" in p for p in a["problems"]), a
    assert daemon.stop() == 0
    daemon.start()
    assert daemon.kernel()["adapters"]["vm1"]["port_locked"] is True
    assert audit(daemon)["consistent"]


def test_audit_reports_a_deleted_table_and_a_restart_rebuilds_it(daemon):
    add(daemon, "vm1", MAC1, "--ip", "10.0.0.2")
    daemon.ctl("fake", '{"drop_guard": true}', check=0)
    a = audit(daemon)
    assert any(p.startswith("switch guard") for p in a["problems"]), a
    assert daemon.stop() == 0
    daemon.start()
    g = daemon.kernel()["guard"]
    assert g["present"] and g["ports"][0]["ips"] == ["10.0.0.2"]
    rc, lst = daemon.ctl_json("list")
    assert lst["result"][0]["ips"] == ["10.0.0.2"]
    assert audit(daemon)["consistent"]


def test_a_guard_that_cannot_be_installed_refuses_the_partition(daemon):
    # neither the partition's own rules nor the whole table go in
    daemon.ctl("fake", '{"fail": {"guard_set": {"errno": 1, "count": 1}, "guard_apply": {"errno": 1, "count": 1}}}',
               check=0)
    r = add(daemon, "vm1", MAC1, check=1)
    assert "switch_guard_failed" in r.stderr, r.stderr
    rc, lst = daemon.ctl_json("list")
    assert lst["result"] == []
    assert "vm1" not in daemon.kernel()["adapters"]
