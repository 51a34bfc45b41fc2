# SPDX-License-Identifier: GPL-2.0
"""The lab harness's own guarantees: a kernel warning fails a run, a lab
without the 82576 fails the in-VM ping test, a hung guest is killed,
a hung boot or a stalled guest timer is run again once."""

import os
import shutil
import subprocess

import pytest

TOP = os.environ.get("SRIOV_TOP", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
RUN = os.path.join(TOP, "tools/vm/run")

pytestmark = pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None,
                                reason="qemu-system-x86_64 not installed")


def vm(*args, timeout=240):
    return subprocess.run([RUN, "--quiet", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=TOP)


def test_kernel_warning_fails_the_run():
    # The guest command itself succeeds; only the kernel log says otherwise.
    r = vm("--name", "harness_detector", "--",
           "sh", "-c", "echo 'WARNING: CPU: 0 PID: 1 at harness-selftest' >/dev/kmsg; exit 0")
    assert r.returncode == 1, r.stderr
    assert "kernel log reports" in r.stderr
    assert "harness-selftest" in r.stderr


def test_clean_run_passes_and_keeps_exit_code():
    r = vm("--name", "harness_exit", "--", "sh", "-c", "exit 4")
    assert r.returncode == 4, r.stderr


def test_ping_test_fails_without_the_82576():
    r = vm("--nics", "0", "--name", "harness_noigb", "--", "tests/vm/lab_igb_vf_ping.sh")
    assert r.returncode == 1, r.stderr
    with open(os.path.join(TOP, "build/vm/harness_noigb/output.txt")) as f:
        assert "Bail out! no 82576" in f.read()


def test_hung_guest_is_killed():
    r = vm("--timeout", "25", "--name", "harness_timeout", "--", "sleep", "600")
    assert r.returncode == 1
    assert "TIMEOUT" in r.stderr


def test_hung_boot_is_booted_again_once():
    # -S: QEMU starts with its CPUs stopped, so the lab never comes up;
    # the harness must notice, boot once more, and fail when that hangs too.
    r = vm("--timeout", "60", "--boot-timeout", "8", "--qemu-arg=-S",
           "--name", "harness_boothang", "--", "true")
    assert r.returncode == 1, r.stderr
    assert "boot hung (lab not up after 8 s); " in r.stderr
    assert "running again" in r.stderr
    assert r.stderr.count("boot hung (lab not up after 8 s)") == 2, r.stderr
    assert "TIMEOUT" not in r.stderr
    out = os.path.join(TOP, "build/vm/harness_boothang")
    assert os.path.exists(os.path.join(out, "console-hung.log"))
    with open(os.path.join(out, "harness.log")) as f:
        assert "harness: boot hung" in f.read()


def test_stalled_guest_timer_is_run_again_once():
    # The guest prints RCU's "timer stopped" line (at KERN_ERR, so it
    # reaches the console): the harness stops the run at once, runs it
    # again, and fails when the second run reports it too.
    r = vm("--timeout", "100", "--name", "harness_stall", "--", "sh", "-c",
           "echo '<3>rcu: Possible timer handling issue on cpu=0 harness-selftest'"
           " >/dev/kmsg; sleep 90", timeout=150)
    assert r.returncode == 1, r.stderr
    assert "guest timer stalled" in r.stderr
    assert "running again" in r.stderr
    assert "TIMEOUT" not in r.stderr
    out = os.path.join(TOP, "build/vm/harness_stall")
    with open(os.path.join(out, "console-stalled.log")) as f:
        assert "harness-selftest" in f.read()


def test_boot_timeout_spares_a_booted_guest():
    # The lab is up long before the boot timeout ends; the run goes on
    # past it to its own exit code.
    r = vm("--timeout", "120", "--boot-timeout", "45", "--name", "harness_bootok",
           "--", "sh", "-c", "sleep 50; exit 4")
    assert r.returncode == 4, r.stderr
    assert "boot hung" not in r.stderr
