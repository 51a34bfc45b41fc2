# SPDX-License-Identifier: GPL-2.0
"""The generated netlink files agree exactly with the YNL spec."""
import os
import shutil
import subprocess

import pytest

TOP = os.environ.get("SRIOV_TOP",
                     os.path.dirname(os.path.dirname(os.path.dirname(
                         os.path.abspath(__file__)))))
FILES = ["tools/regen-netlink.sh",
         "Documentation/netlink/specs/sriov.yaml",
         "include/uapi/linux/sriov.h",
         "kernel/pf/swpf_nl_gen.h", "kernel/pf/swpf_nl_gen.c",
         "daemon/src/netlink/gen/sriov-user.h",
         "daemon/src/netlink/gen/sriov-user.c"]


def run_check(top, env=None):
    return subprocess.run([os.path.join(top, "tools/regen-netlink.sh"),
                           "--check"], cwd=top, capture_output=True,
                          text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def ynl_env():
    """The generator of the checkout's own build/ksrc (tools/ksrc.sh), for
    the copies below: each copy extracting it again from the linux-source
    tarball would decompress all of it, 10-25 s a time."""
    r = subprocess.run([os.path.join(TOP, "tools/ksrc.sh"), "tools/net/ynl",
                        "Documentation/netlink/genetlink.yaml"],
                       capture_output=True, text=True, timeout=300, check=True)
    return dict(os.environ, YNL_DIR=os.path.join(r.stdout.strip(), "tools/net/ynl"))


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
def test_check_detects_drift(tmp_path, ynl_env, path, old, new):
    """The check is not vacuous: a hand-edited generated file is reported."""
    for f in FILES:
        os.makedirs(tmp_path / os.path.dirname(f), exist_ok=True)
        shutil.copy2(os.path.join(TOP, f), tmp_path / f)
    # (the copy has no tools/ksrc.sh: the check cannot fall back to it)
    assert run_check(str(tmp_path), ynl_env).returncode == 0
    target = tmp_path / path
    text = target.read_text()
    assert old in text, f"{path} no longer holds {old!r}: update EDITS"
    target.write_text(text.replace(old, new, 1))
    r = run_check(str(tmp_path), ynl_env)
    assert r.returncode != 0
    assert f"STALE: {path}" in r.stderr
