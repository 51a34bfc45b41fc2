# SPDX-License-Identifier: GPL-2.0
"""The VM harness's stall judgement (tools/vm/run judge_stall) on real
guest consoles, without booting a guest.

data/stall-idle-cpu1.console.log is the console of a lab guest (Debian
6.12.117, the project's out-of-tree modules loaded, so every register dump
carries a "Tainted:" line) whose CPU 1 halted in its idle loop with
interrupts on and was never woken by QEMU TCG: the one failure the harness
may run again."""
import importlib.machinery
import importlib.util
import os
import shutil

TOP = os.environ.get("SRIOV_TOP",
                     os.path.dirname(os.path.dirname(os.path.dirname(
                         os.path.abspath(__file__)))))
IDLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                    "stall-idle-cpu1.console.log")


def harness():
    loader = importlib.machinery.SourceFileLoader("vm_run", os.path.join(TOP, "tools/vm/run"))
    spec = importlib.util.spec_from_loader("vm_run", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def judge(tmp_path, text):
    (tmp_path / "console.log").write_text(text)
    return harness().judge_stall(str(tmp_path))


def test_real_idle_stall_is_the_emulators(tmp_path):
    ok, why, other, bad = judge(tmp_path, open(IDLE).read())
    assert ok, why
    assert "cpu 1 idle" in why
    assert other == [] and bad == []


def test_busy_cpu_is_not(tmp_path):
    text = open(IDLE).read().replace("RIP: 0010:pv_native_safe_halt+0xf/0x20",
                                     "RIP: 0010:swpf_mbx_poll+0x42/0x90 [sriov_pf]")
    ok, why, _, _ = judge(tmp_path, text)
    assert not ok
    assert "cpu 1 not idle" in why


def test_interrupts_off_is_not(tmp_path):
    text = open(IDLE).read().replace("EFLAGS: 00010212", "EFLAGS: 00010012")
    ok, _, _, _ = judge(tmp_path, text)
    assert not ok


def test_warning_before_the_stall_fails(tmp_path):
    text = ("[   90.000000] WARNING: CPU: 0 PID: 1 at drivers/x.c:1 f+0x1/0x2\n"
            + open(IDLE).read())
    _, _, other, bad = judge(tmp_path, text)
    # the stall itself is the emulator's, but the warning is the run's own
    # kernel report: the harness fails on what "bad" holds
    assert any("WARNING" in o for o in other)
    assert any("WARNING" in b for b in bad)
