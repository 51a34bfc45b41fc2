# SPDX-License-Identifier: GPL-2.0
"""The generated netlink files agree exactly with the YNL spec."""
import os
import shutil
import subprocess

import pytest

TOP = os.environ.get("SRIOV_TOP",
                     os.path.dirname(os.path.dirname(os.path.dirname(
                         os.path.abspath(__file__)))))
FILES = ["tools/regen-netlink.sh", "tools/ksrc.sh", "tools/kver.sh",
         "Documentation/netlink/specs/sriov.yaml",
         "include/uapi/linux/sriov.h",
         "kernel/pf/swpf_nl_gen.h", "kernel/pf/swpf_nl_gen.c",
         "daemon/src/netlink/gen/sriov-user.h",
         "daemon/src/netlink/gen/sriov-user.c"]


def run_check(top):
    return subprocess.run([os.path.join(top, "tools/regen-netlink.sh"),
                           "--check"], cwd=top, capture_output=True,
                          text=True, timeout=300)


def test_generated_files_match_spec():
    r = run_check(TOP)
    assert r.returncode == 0, r.stderr


# (file, text in it, its replacement): one hand edit per kind of output
EDITS = [
    ("include/uapi/linux/sriov.h",
     "SRIOV_FAMILY_VERSION\t1", "SRIOV_FAMILY_VERSION\t2"),
    # the daemon's genl client: a response field and a request encoder
    ("daemon/src/netlink/gen/sriov-user.h",
     "\t__u32 total_vfs;", "\t__u16 total_vfs;"),
    ("daemon/src/netlink/gen/sriov-user.c",
     "SRIOV_A_SERIAL, req->serial", "SRIOV_A_SERIAL, req->vf_id"),
]


@pytest.mark.parametrize("path,old,new", EDITS, ids=[e[0] for e in EDITS])
def test_check_detects_drift(tmp_path, path, old, new):
    """The check is not vacuous: a hand-edited generated file is reported."""
    for f in FILES:
        os.makedirs(tmp_path / os.path.dirname(f), exist_ok=True)
        shutil.copy2(os.path.join(TOP, f), tmp_path / f)
    assert run_check(str(tmp_path)).returncode == 0
    target = tmp_path / path
    text = target.read_text()
    assert old in text, f"{path} no longer holds {old!r}: update EDITS"
    target.write_text(text.replace(old, new, 1))
    r = run_check(str(tmp_path))
    assert r.returncode != 0
    assert f"STALE: {path}" in r.stderr
