# SPDX-License-Identifier: GPL-2.0
"""`make install` / `make uninstall` into a DESTDIR: the exact file list,
the generated unit following PREFIX, and nothing left after uninstall."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TOP = Path(os.environ.get("SRIOV_TOP", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("SRIOV_BUILD", TOP / "build" / "cmake"))


def make(target, destdir, prefix):
    r = subprocess.run(["make", "-s", "-C", str(TOP), target, "DESTDIR=%s" % destdir,
                        "PREFIX=%s" % prefix, "CMAKE_OUT=%s" % BUILD],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, "make %s failed:\n%s%s" % (target, r.stdout, r.stderr)
    return r


def tree(root):
    """Every file and symlink under root, relative; and every directory."""
    files, dirs = set(), set()
    for d, dn, fn in os.walk(root):
        for n in fn:
            files.add(os.path.relpath(os.path.join(d, n), root))
        for n in dn:
            p = os.path.join(d, n)
            (files if os.path.islink(p) else dirs).add(os.path.relpath(p, root))
    return files, dirs


def version():
    for line in (TOP / "dkms.conf").read_text().splitlines():
        if line.startswith("PACKAGE_VERSION="):
            return line.split("=", 1)[1].strip('"')
    raise AssertionError("dkms.conf has no PACKAGE_VERSION")


def module_sources():
    """What DKMS needs to build the modules: the tracked sources of kernel/
    and include/ (the uapi headers)."""
    r = subprocess.run(["git", "-C", str(TOP), "ls-files", "kernel", "include"],
                       capture_output=True, text=True, check=True)
    return set(r.stdout.split())


@pytest.mark.parametrize("prefix,unitdir", [("/usr", "lib/systemd/system"),
                                            ("/usr/local", "usr/local/lib/systemd/system")])
def test_install_uninstall(tmp_path, prefix, unitdir):
    dest = tmp_path / "root"
    make("install", dest, prefix)
    p = prefix.lstrip("/")
    src = "usr/src/sriov-stack-%s" % version()
    expected = {
        p + "/sbin/sriovd",
        p + "/bin/sriovctl",
        p + "/share/man/man8/sriovd.8",
        p + "/share/man/man8/sriovctl.8",
        p + "/share/bash-completion/completions/sriovctl",
        unitdir + "/sriovd.service",
        src + "/dkms.conf",
    } | {src + "/" + f for f in module_sources()}
    files, _ = tree(dest)
    assert files == expected, "unexpected: %s\nmissing: %s" % (
        sorted(files - expected), sorted(expected - files))

    for exe in ("sbin/sriovd", "bin/sriovctl"):
        path = dest / p / exe
        assert os.access(path, os.X_OK), exe
        r = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=False)
        assert r.returncode == 0 and version() in r.stdout, (exe, r.stdout, r.stderr)
    unit = (dest / unitdir / "sriovd.service").read_text()
    assert "@" not in unit.replace("man:", ""), "template placeholder left in the unit"
    execs = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
    assert len(execs) == 1 and execs[0].startswith("ExecStart=%s/sbin/sriovd " % prefix), execs
    man = (dest / p / "share/man/man8/sriovd.8").read_text()
    assert man.startswith(".\\\"") or ".TH" in man, "sriovd.8 is not a man page"

    # systemd's own check of the unit's directives (systemd is the host's,
    # a prerequisite of the unit, not of the project): a copy that runs the
    # DESTDIR's sriovd, so that the check of ExecStart= finds it
    if shutil.which("systemd-analyze"):
        check = tmp_path / "sriovd.service"
        check.write_text(unit.replace("ExecStart=%s/sbin/sriovd" % prefix,
                                      "ExecStart=%s/sbin/sriovd" % (dest / p)))
        r = subprocess.run(["systemd-analyze", "verify", "--man=no", str(check)],
                           capture_output=True, text=True, check=False)
        assert r.returncode == 0 and "sriovd.service" not in r.stdout + r.stderr, r.stdout + r.stderr

    make("uninstall", dest, prefix)
    files, dirs = tree(dest)
    assert not files, "left behind after uninstall: %s" % sorted(files)
    assert not [d for d in dirs if "sriov" in d], "directories left: %s" % sorted(dirs)
