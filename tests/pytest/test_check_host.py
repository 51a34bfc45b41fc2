# SPDX-License-Identifier: GPL-2.0
"""tools/host/check-host without a NIC: its configuration file parser, the
choice of what runs, and the tests' "# lab-only:" headers.  The runner
itself runs in the lab (tests/vm/check_host.sh)."""

import glob
import importlib.machinery
import importlib.util
import os
import re

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load():
    path = os.path.join(TOP, "tools/host/check-host")
    loader = importlib.machinery.SourceFileLoader("check_host", path)
    spec = importlib.util.spec_from_loader("check_host", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


ch = load()


def conf(tmp_path, text):
    p = tmp_path / "check-host.conf"
    p.write_text(text)
    return str(p)


def test_good_file_with_comments(tmp_path):
    cfg = ch.read_config(conf(tmp_path, "# lab host\n\nSRIOV_PF0=0000:03:00.0   # port 0\n"
                                        " SRIOV_EXT0 = enp4s0f1\n"
                                        "SRIOV_PF1=0000:03:00.1\nSRIOV_EXT1=enp4s0f0\n"))
    assert cfg == {"SRIOV_PF0": "0000:03:00.0", "SRIOV_EXT0": "enp4s0f1",
                   "SRIOV_PF1": "0000:03:00.1", "SRIOV_EXT1": "enp4s0f0"}


@pytest.mark.parametrize("text, msg", [
    ("SRIOV_PF0=0000:03:00.0\nSRIOV_EXT0=e0\nNETIF=eth0\n", r":3: unknown key 'NETIF'"),
    ("SRIOV_PF0=0000:03:00.0\nSRIOV_EXT0=e0\nSRIOV_EXT0=e1\n", r":3: SRIOV_EXT0 given twice"),
    ("SRIOV_PF0 0000:03:00.0\n", r":1: not KEY=VALUE"),
    ("SRIOV_PF0=$(reboot)\nSRIOV_EXT0=e0\n", r":1: SRIOV_PF0=.* is not a PCI address"),
    ("SRIOV_PF0=03:00.0\nSRIOV_EXT0=e0\n", r"is not a PCI address"),
    ("SRIOV_PF0=0000:03:00.0\nSRIOV_EXT0=e0;rm\n", r":2: SRIOV_EXT0=.* is not a network interface"),
    ("SRIOV_PF0=0000:03:00.0\nSRIOV_EXT0=averyveryverylongname\n", r"is not a network interface"),
    ("SRIOV_PF0=0000:03:00.0\n", r"SRIOV_PF0 and SRIOV_EXT0 are required"),
    ("SRIOV_PF0=0000:03:00.0\nSRIOV_EXT0=e0\nSRIOV_PF1=0000:03:00.1\n",
     r"SRIOV_PF1 and SRIOV_EXT1 go together"),
])
def test_bad_file_is_refused_naming_the_problem(tmp_path, text, msg):
    with pytest.raises(ch.ConfigError, match=msg):
        ch.read_config(conf(tmp_path, text))


def test_missing_file(tmp_path):
    with pytest.raises(ch.ConfigError, match="No such file"):
        ch.read_config(str(tmp_path / "none.conf"))


def script(tmp_path, name, head):
    p = tmp_path / name
    p.write_text("#!/bin/bash\n" + head + "\necho ok\n")
    return str(p)


def test_what_runs(tmp_path):
    lab = script(tmp_path, "a.sh", "# vm-args: --nics 1\n# lab-only: needs the monitor")
    two = script(tmp_path, "b.sh", "# vm-args: --nics 2\n# timeout: 60")
    one = script(tmp_path, "c.sh", "# vm-args: --nics 1")
    plain = script(tmp_path, "d.sh", "# timeout: 60")
    assert ch.skip_reason(lab, 2) == "lab only: needs the monitor"
    assert ch.skip_reason(two, 1) == "needs 2 82576 PFs, the configuration gives 1"
    assert ch.skip_reason(two, 2) is None
    assert ch.skip_reason(one, 1) is None
    assert ch.skip_reason(plain, 1) is None


def test_every_monitor_test_says_lab_only():
    # a test that drives QEMU's monitor cannot run on a host: it must say so
    monitor = re.compile(r"\$LAB_MON\b|\blab_nic_(un)?plug\b")
    missing = []
    for t in sorted(glob.glob(os.path.join(TOP, "tests/vm/*.sh"))):
        with open(t) as f:
            text = f.read()
        target = t
        m = re.search(r'^exec "\$\(dirname "\$0"\)/([^"]+)"', text, re.M)
        if m:   # a wrapper runs another script
            with open(os.path.join(os.path.dirname(t), m.group(1))) as f:
                text = f.read()
        if monitor.search(text) and not ch.header(target, "lab-only"):
            missing.append(os.path.basename(t))
    assert not missing, "use QEMU's monitor without '# lab-only:': %s" % missing
