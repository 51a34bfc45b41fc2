# SPDX-License-Identifier: GPL-2.0
"""The generated netlink files agree exactly with the YNL spec."""
import os
import shutil
import subprocess

TOP = os.environ.get("SRIOV_TOP",
                     os.path.dirname(os.path.dirname(os.path.dirname(
                         os.path.abspath(__file__)))))
FILES = ["tools/regen-netlink.sh", "tools/ksrc.sh", "tools/kver.sh",
         "Documentation/netlink/specs/sriov.yaml",
         "include/uapi/linux/sriov.h",
         "kernel/pf/swpf_nl_gen.h", "kernel/pf/swpf_nl_gen.c"]


def run_check(top):
    return subprocess.run([os.path.join(top, "tools/regen-netlink.sh"),
                           "--check"], cwd=top, capture_output=True,
                          text=True, timeout=300)


def test_generated_files_match_spec():
    r = run_check(TOP)
    assert r.returncode == 0, r.stderr


def test_check_detects_drift(tmp_path):
    """The check is not vacuous: a hand-edited uapi header is reported."""
    for f in FILES:
        os.makedirs(tmp_path / os.path.dirname(f), exist_ok=True)
        shutil.copy2(os.path.join(TOP, f), tmp_path / f)
    assert run_check(str(tmp_path)).returncode == 0
    hdr = tmp_path / "include/uapi/linux/sriov.h"
    hdr.write_text(hdr.read_text().replace("SRIOV_FAMILY_VERSION\t1",
                                           "SRIOV_FAMILY_VERSION\t2"))
    r = run_check(str(tmp_path))
    assert r.returncode != 0
    assert "STALE: include/uapi/linux/sriov.h" in r.stderr
