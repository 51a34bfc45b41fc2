# SPDX-License-Identifier: GPL-2.0
"""The lab harness's own guarantees: a kernel warning fails a run, a lab
without the 82576 fails the in-VM ping test, a hung guest is killed, a
hung boot fails, a stalled guest timer is run again once only with
evidence that the stalled CPU was idle (and never over another kernel
report), every rerun is recorded, and a signalled harness ends its QEMU
and keeps the guest's output."""

import importlib.machinery
import importlib.util
import os
import shlex
import shutil
import signal
import subprocess
import time

import pytest

TOP = os.environ.get("SRIOV_TOP", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
RUN = os.path.join(TOP, "tools/vm/run")
# The harness's own reruns stay out of make check's list of real ones.
RERUNS = os.path.join(TOP, "build/vm/harness-selftest-reruns.txt")
ENV = dict(os.environ, SRIOV_VM_RERUNS=RERUNS)


@pytest.fixture(autouse=True)
def qemu_installed():
    # tools/setup.sh installs QEMU: without it the lab is broken, not absent.
    assert shutil.which("qemu-system-x86_64"), \
        "qemu-system-x86_64 missing: tools/setup.sh installs it"


def vm(*args, timeout=240):
    return subprocess.run([RUN, "--quiet", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=TOP, env=ENV)


def load_run():
    loader = importlib.machinery.SourceFileLoader("vm_run", RUN)
    spec = importlib.util.spec_from_loader("vm_run", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


# An RCU stall report as the Debian 6.12 kernel prints it for a vCPU that
# sits halted in its idle loop, interrupts on, its timer never delivered
# (kernel/rcu/tree_stall.h, lib/nmi_backtrace.c, show_regs()).
IDLE_DUMP = [
    "NMI backtrace for cpu 0",
    "CPU: 0 UID: 0 PID: 0 Comm: swapper/0 Not tainted 6.12.117+deb12-amd64 #1  Debian",
    "Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian 04/01/2014",
    "RIP: 0010:pv_native_safe_halt+0xf/0x20",
    "Code: 90 90 90 90 f3 0f 1e fa eb 07 0f 00 2d 93 5d 33 00 fb f4 <c3> cc cc cc cc",
    "RSP: 0018:ffffffff9a603e88 EFLAGS: 00000246",
    "RAX: 0000000000000000 RBX: ffffffff9a613640 RCX: 0000000000000000",
    "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033",
    "Call Trace:",
    " <NMI>",
    " ? nmi_cpu_backtrace+0xd0/0x110",
    " </NMI>",
    " <TASK>",
    " ? pv_native_safe_halt+0xf/0x20",
    " default_idle+0x9/0x20",
    " default_idle_call+0x29/0x100",
    " do_idle+0x1fe/0x240",
    " cpu_startup_entry+0x29/0x30",
    " </TASK>",
]
REPORT_HEAD = [
    "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
    "rcu: \t0-...!: (1 GPs behind) idle=5a4c/0/0x0 softirq=3207/3207 fqs=0",
    "rcu: \t(detected by 1, t=21002 jiffies, g=8329, q=77 ncpus=2)",
]
REPORT_TAIL = [
    "rcu: rcu_preempt kthread timer wakeup didn't happen for 21001 jiffies! g8329 f0x0 "
    "RCU_GP_WAIT_FQS(5) ->state=0x402",
    "rcu: \tPossible timer handling issue on cpu=0 timer-softirq=1855 harness-selftest",
]
IDLE_REPORT = REPORT_HEAD + IDLE_DUMP + REPORT_TAIL


def kmsg(lines, then="sleep 90"):
    """A guest command that writes each line to the kernel log (one record
    each; <3> for RCU's pr_err, <4> for the rest), then runs `then`."""
    cmds = ["echo on >/proc/sys/kernel/printk_devkmsg"]
    for ln in lines:
        cmds.append("printf '%%s\\n' %s >/dev/kmsg"
                    % shlex.quote(("<3>" if ln.startswith("rcu:") else "<4>") + ln))
    return "; ".join(cmds + [then])


def reruns():
    if not os.path.exists(RERUNS):
        return []
    with open(RERUNS) as f:
        return f.read().splitlines()


def new_reruns(before, name):
    return [ln for ln in reruns()[len(before):] if ln.split("\t")[0] == name]


@pytest.mark.parametrize("case,idle", [
    ("idle", True),
    ("skipped", True),
    ("busy", False),
    ("irqs_off", False),
    ("no_backtrace", False),
    ("self_detected", False),
    ("blocked_task", False),
    ("other_cpu_busy", False),
    ("warning_before", True),
])
def test_stall_evidence(tmp_path, case, idle):
    # The evidence rule alone, on console logs shaped like the kernel's.
    run = load_run()
    lines = list(IDLE_REPORT)
    if case == "skipped":
        lines = REPORT_HEAD + ["NMI backtrace for cpu 0 skipped: idling at default_idle+0x9/0x20"] \
            + REPORT_TAIL
    elif case == "busy":             # a livelocked driver's CPU
        lines = [ln.replace("Comm: swapper/0", "Comm: kworker/0:1")
                 .replace("pv_native_safe_halt+0xf", "swpf_mbx_poll+0x4f") for ln in lines
                 if "do_idle" not in ln]
    elif case == "irqs_off":
        lines = [ln.replace("EFLAGS: 00000246", "EFLAGS: 00000046") for ln in lines]
    elif case == "no_backtrace":
        lines = REPORT_HEAD + REPORT_TAIL
    elif case == "self_detected":
        lines[0] = "rcu: INFO: rcu_preempt self-detected stall on CPU"
    elif case == "blocked_task":
        lines.insert(2, "rcu: \tTasks blocked on level-0 rcu_node (CPUs 0-1): P123/1:b..l")
    elif case == "other_cpu_busy":
        lines[2:2] = ["rcu: \t1-...!: (0 ticks this GP) idle=1/1/0 softirq=1/1 fqs=0"]
        lines[-2:-2] = ["NMI backtrace for cpu 1",
                        "CPU: 1 UID: 0 PID: 99 Comm: kworker/1:1 Not tainted",
                        "RIP: 0010:swpf_mbx_poll+0x10/0x90 [sriov_pf]",
                        "RSP: 0018:ffffa0c2c0013e10 EFLAGS: 00000046",
                        "Call Trace:", " <TASK>", " process_one_work+0x17b/0x330", " </TASK>"]
    elif case == "warning_before":
        lines[0:0] = ["WARNING: CPU: 1 PID: 77 at drivers/x.c:1 f+0x1/0x2 [sriov_pf]"]
    with open(tmp_path / "console.log", "w") as f:
        for i, ln in enumerate(["[    1.000000] Linux version 6.12"] + lines):
            f.write("[   42.%06d] %s\r\n" % (i, ln) if i else ln + "\r\n")
    ok, why, other, bad = run.judge_stall(str(tmp_path))
    assert ok == idle, why
    if case == "warning_before":
        # the report is an idle CPU's, but the warning outside it stays
        assert other == bad and len(bad) == 1 and "WARNING: CPU: 1" in bad[0], bad
    else:
        assert other == []
        assert (bad == []) == idle, bad


def test_kernel_warning_fails_the_run():
    # The guest command itself succeeds; only the kernel log says otherwise.
    r = vm("--name", "harness_detector", "--",
           "sh", "-c", "echo 'WARNING: CPU: 0 PID: 1 at harness-selftest' >/dev/kmsg; exit 0")
    assert r.returncode == 1, r.stderr
    assert "kernel log reports" in r.stderr
    assert "harness-selftest" in r.stderr


def test_clean_run_passes_and_keeps_exit_code():
    r = vm("--nics", "0", "--name", "harness_exit", "--", "sh", "-c", "exit 4")
    assert r.returncode == 4, r.stderr


def test_ping_test_fails_without_the_82576():
    r = vm("--nics", "0", "--name", "harness_noigb", "--", "tests/vm/lab_igb_vf_ping.sh")
    assert r.returncode == 1, r.stderr
    with open(os.path.join(TOP, "build/vm/harness_noigb/output.txt")) as f:
        assert "Bail out! no 82576" in f.read()


def test_hung_guest_is_killed():
    r = vm("--nics", "0", "--timeout", "15", "--name", "harness_timeout", "--", "sleep", "600")
    assert r.returncode == 1
    assert "TIMEOUT" in r.stderr


def test_hung_boot_fails():
    # -S: QEMU starts with its CPUs stopped, so the lab never comes up.
    # Nothing proves that the emulator is at fault: the run fails, once.
    before = reruns()
    r = vm("--nics", "0", "--timeout", "60", "--boot-timeout", "8", "--qemu-arg=-S",
           "--name", "harness_boothang", "--", "true")
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("boot hung (lab not up after 8 s); not run again") == 1, r.stderr
    assert "RUN AGAIN" not in r.stderr
    assert "TIMEOUT" not in r.stderr
    assert new_reruns(before, "harness_boothang") == []
    with open(os.path.join(TOP, "build/vm/harness_boothang/harness.log")) as f:
        log = f.read()
    assert "vCPUs at the hung boot" in log
    assert "RIP=" in log or "EIP=" in log, log


def test_stalled_idle_guest_timer_is_run_again_once():
    # The guest prints an RCU stall report whose stalled CPU is idle, with
    # its timer line: the harness stops the run, runs it again (recorded on
    # stderr and in reruns.txt), and fails when the second run reports it too.
    before = reruns()
    r = vm("--nics", "0", "--timeout", "100", "--name", "harness_stall", "--",
           "sh", "-c", kmsg(IDLE_REPORT), timeout=300)
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("RUN AGAIN") == 1, r.stderr
    assert "guest timer stalled" in r.stderr
    assert "again (" in r.stderr
    assert "kernel log reports" not in r.stderr
    assert "TIMEOUT" not in r.stderr
    out = os.path.join(TOP, "build/vm/harness_stall")
    with open(os.path.join(out, "console-stalled.log")) as f:
        assert "harness-selftest" in f.read()
    added = new_reruns(before, "harness_stall")
    assert len(added) == 1, reruns()
    name, reason, evidence, kept = added[0].split("\t")
    assert "Possible timer handling issue" in reason
    assert "cpu 0 idle" in evidence and "pv_native_safe_halt" in evidence
    assert "build/vm/harness_stall/console-stalled.log" in kept.split()


def test_warning_then_stall_fails():
    # A kernel report before the stall: the run fails, nothing is run again.
    before = reruns()
    warning = ["WARNING: CPU: 1 PID: 77 at harness-selftest-warning.c:1 f+0x1/0x2"]
    r = vm("--nics", "0", "--timeout", "100", "--name", "harness_warnstall", "--",
           "sh", "-c", kmsg(warning + IDLE_REPORT), timeout=200)
    assert r.returncode == 1, r.stderr
    assert "not run again" in r.stderr
    assert "kernel log reports" in r.stderr
    assert "harness-selftest-warning" in r.stderr
    assert "RUN AGAIN" not in r.stderr
    assert new_reruns(before, "harness_warnstall") == []


def test_stall_without_idle_evidence_fails():
    # The timer line in a stall report that shows no CPU backtrace: the
    # emulator is not proven at fault, the run fails at once.
    before = reruns()
    r = vm("--nics", "0", "--timeout", "100", "--name", "harness_noevidence", "--",
           "sh", "-c", kmsg(REPORT_HEAD + REPORT_TAIL), timeout=200)
    assert r.returncode == 1, r.stderr
    assert "nothing shows the stalled CPU idle" in r.stderr
    assert "no NMI backtrace for cpu 0" in r.stderr
    assert "RUN AGAIN" not in r.stderr
    assert "TIMEOUT" not in r.stderr
    assert new_reruns(before, "harness_noevidence") == []


def qemu_alive(name):
    """Whether a QEMU of run NAME runs (its command line names the run's
    output directory)."""
    r = subprocess.run(["pgrep", "-f", "qemu-system-x86_64 .*build/vm/%s[ ,/]" % name],
                       capture_output=True, text=True)
    return r.returncode == 0


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("sig,when", [(signal.SIGTERM, "guest"), (signal.SIGINT, "boot")])
def test_signal_ends_qemu_and_keeps_output(sig, when):
    name = "harness_sig%s" % when
    out = os.path.join(TOP, "build/vm", name)
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.Popen([RUN, "--quiet", "--nics", "0", "--timeout", "200", "--name", name,
                          "--", "sh", "-c", "echo harness-started; sleep 600"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=TOP,
                         env=ENV)
    try:
        pidfile, outfile = os.path.join(out, "qemu.pid"), os.path.join(out, "output.txt")
        deadline = time.time() + 150
        while time.time() < deadline:
            if when == "boot" and os.path.exists(pidfile) and os.path.getsize(pidfile):
                break
            if when == "guest" and os.path.exists(outfile):
                with open(outfile) as f:
                    if "harness-started" in f.read():
                        break
            assert p.poll() is None, p.communicate()
            time.sleep(0.2)
        else:
            pytest.fail("the guest did not get to the %s" % when)
        with open(pidfile) as f:
            qemu = int(f.read())
        assert pid_alive(qemu) and qemu_alive(name)
        p.send_signal(sig)
        _, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 128 + sig, err
    assert "got %s" % signal.Signals(sig).name in err, err
    assert not pid_alive(qemu), "QEMU pid %d still runs" % qemu
    assert not qemu_alive(name)
    assert os.path.exists(os.path.join(out, "console.log"))
    if when == "guest":
        with open(os.path.join(TOP, "build/ktap", name + ".tap")) as f:
            assert "harness-started" in f.read()


def test_boot_timeout_spares_a_booted_guest():
    # The lab is up long before the boot timeout ends; the run goes on
    # past it to its own exit code.
    # (a lab boot takes 5-10 s here, the run 8 s in all: 25 s is ample)
    r = vm("--nics", "0", "--timeout", "90", "--boot-timeout", "25", "--name", "harness_bootok",
           "--", "sh", "-c", "sleep 30; exit 4")
    assert r.returncode == 4, r.stderr
    assert "boot hung" not in r.stderr


IOTLB_ABORT = ("qemu-system-x86_64: ../../system/physmem.c:2678: iotlb_to_section: "
               "Assertion `section_index < d->map.sections_nb' failed.")


def fake_qemu(tmp_path, aborts, line=IOTLB_ABORT):
    """A qemu-system-x86_64 first on PATH that, its first `aborts` times,
    prints `line` and ends on SIGABRT as QEMU's assert() does, and then
    runs the real one."""
    real = shutil.which("qemu-system-x86_64")
    count = tmp_path / "count"
    count.write_text("0")
    script = tmp_path / "qemu-system-x86_64"
    script.write_text("#!/bin/bash\n"
                      "n=$(($(cat %s) + 1)); echo $n >%s\n"
                      "if [ $n -le %d ]; then echo %s >&2; kill -ABRT $$; fi\n"
                      "exec %s \"$@\"\n"
                      % (count, count, aborts, shlex.quote(line), real))
    script.chmod(0o755)
    return dict(ENV, PATH="%s:%s" % (tmp_path, os.environ["PATH"])), count


def vm_env(env, *args, timeout=240):
    return subprocess.run([RUN, "--quiet", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=TOP, env=env)


def test_known_qemu_abort_is_run_again_once(tmp_path):
    # QEMU ends on its iotlb_to_section assertion (an emulator bug): the
    # run is run again once, recorded, and the second run's result counts.
    env, count = fake_qemu(tmp_path, 1)
    before = reruns()
    r = vm_env(env, "--nics", "0", "--timeout", "120", "--name", "harness_qabort", "--",
               "sh", "-c", "exit 4")
    assert r.returncode == 4, r.stderr
    assert r.stderr.count("RUN AGAIN") == 1, r.stderr
    assert count.read_text().strip() == "2"
    added = new_reruns(before, "harness_qabort")
    assert len(added) == 1, reruns()
    _, reason, evidence, kept = added[0].split("\t")
    assert "QEMU aborted" in reason
    assert "iotlb_to_section" in evidence
    assert all(k.startswith("build/vm/harness_qabort/aborted-") for k in kept.split()), kept


def test_known_qemu_abort_twice_fails(tmp_path):
    env, count = fake_qemu(tmp_path, 2)
    before = reruns()
    r = vm_env(env, "--nics", "0", "--timeout", "60", "--name", "harness_qabort2", "--",
               "true")
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("RUN AGAIN") == 1, r.stderr
    assert "after a rerun" in r.stderr
    assert count.read_text().strip() == "2"
    assert len(new_reruns(before, "harness_qabort2")) == 1


def test_other_qemu_abort_fails_at_once(tmp_path):
    # An assertion the harness does not know as the emulator's fails the
    # run with QEMU's own words; nothing is run again.
    env, count = fake_qemu(tmp_path, 1, "qemu-system-x86_64: ../hw/net/igb_core.c:99: "
                           "igb_something: Assertion `x' failed.")
    before = reruns()
    r = vm_env(env, "--nics", "0", "--timeout", "60", "--name", "harness_qabort3", "--",
               "true")
    assert r.returncode == 1, r.stderr
    assert "RUN AGAIN" not in r.stderr
    assert "igb_core.c:99" in r.stderr and "QEMU exit status -6" in r.stderr
    assert count.read_text().strip() == "1"
    assert new_reruns(before, "harness_qabort3") == []


# --- shared boots (tools/vm/batch.sh, tools/vm/batch-result) ---------------

BATCH = os.path.join(TOP, "tools/vm/batch.sh")
RESULT = os.path.join(TOP, "tools/vm/batch-result")


def batch_test(tmp_path, name, body, timeout=60):
    p = tmp_path / (name + ".sh")
    p.write_text("#!/bin/bash\n# timeout: %d\n%s\n" % (timeout, body))
    return str(p)


# the harness's own KTAP files stay out of make check's summary
KTAP_SELFTEST = os.path.join(TOP, "build/vm/harness-selftest-ktap")


def result(group, name):
    return subprocess.run([RESULT, "--group", group, name], capture_output=True, text=True,
                          timeout=60, cwd=TOP, env=dict(ENV, SRIOV_KTAP_DIR=KTAP_SELFTEST))


def test_shared_boot_judges_each_test_alone(tmp_path):
    # One guest runs five tests.  The first warns in the kernel log, leaves
    # a namespace, a changed sysctl and a process behind; the second must
    # find none of that (the lab is reset, the kernel log cleared); the
    # third runs past its timeout; the fourth skips; the fifth passes.
    # Each verdict is the test's own; the group's run passes.
    warn = batch_test(tmp_path, "b_warn", "\n".join([
        "echo on >/proc/sys/kernel/printk_devkmsg",
        "echo '<4>WARNING: CPU: 0 PID: 1 at harness-selftest' >/dev/kmsg",
        "ip netns add leftover", "sysctl -qw net.ipv4.ip_forward=1",
        "mkdir -p /tmp/leftover-dir /var/lib/leftover && echo x >/tmp/leftover-dir/f",
        "echo x >/var/lib/leftover/f; echo x >/run/leftover",
        "setsid sleep 1000 >/dev/null 2>&1 < /dev/null &", "echo ok 1 warned; exit 0"]))
    clean = batch_test(tmp_path, "b_clean", "\n".join([
        "r=0",
        "ip netns list | grep -q leftover && { echo 'not ok namespace left'; r=1; }",
        "[ \"$(sysctl -n net.ipv4.ip_forward)\" = 0 ] || { echo 'not ok sysctl left'; r=1; }",
        "pgrep -x sleep >/dev/null && { echo 'not ok process left'; r=1; }",
        "for f in /tmp/leftover-dir/f /var/lib/leftover/f /run/leftover; do",
        "  [ -e $f ] && { echo \"not ok $f left\"; r=1; }; done",
        "[ -d /var/lib/dpkg ] || { echo 'not ok /var/lib lost'; r=1; }",
        "dmesg | grep -q harness-selftest && { echo 'not ok log of another test'; r=1; }",
        "echo \"done $r\"; exit $r"]))
    slow = batch_test(tmp_path, "b_slow", "sleep 30", timeout=5)
    skip = batch_test(tmp_path, "b_skip", "echo '1..0 # SKIP harness-selftest'; exit 4")
    ok = batch_test(tmp_path, "b_ok", "echo ok 1 fine; exit 0")
    r = vm("--batch", "--nics", "0", "--timeout", "300", "--name", "harness_batch", "--",
           BATCH, warn, clean, slow, skip, ok, timeout=400)
    assert r.returncode == 0, r.stderr
    w = result("harness_batch", "b_warn")
    assert w.returncode == 1 and "harness-selftest" in w.stderr, w.stderr
    c = result("harness_batch", "b_clean")
    assert c.returncode == 0, c.stdout + c.stderr
    assert "done 0" in c.stdout
    s = result("harness_batch", "b_slow")
    assert s.returncode == 1 and "TIMEOUT" in s.stderr, s.stderr
    assert result("harness_batch", "b_skip").returncode == 4
    assert result("harness_batch", "b_ok").returncode == 0
    with open(os.path.join(KTAP_SELFTEST, "b_ok.tap")) as f:
        assert "ok 1 fine" in f.read()


def test_shared_boot_test_not_run_fails(tmp_path):
    # The guest powers off in the first test: neither test has an exit
    # code, both verdicts fail, and so does the group's run.
    off = batch_test(tmp_path, "b_off", "echo o >/proc/sysrq-trigger; sleep 30")
    after = batch_test(tmp_path, "b_after", "exit 0")
    r = vm("--batch", "--nics", "0", "--timeout", "120", "--name", "harness_batch2", "--",
           BATCH, off, after)
    assert r.returncode == 1, r.stderr
    for name in ("b_off", "b_after"):
        x = result("harness_batch2", name)
        assert x.returncode == 1 and "did not run" in x.stderr, x.stderr


def test_shared_boot_report_outside_tests_fails_the_group(tmp_path):
    # A kernel report between tests (in no test's markers) is the group's.
    a = batch_test(tmp_path, "b_a", "exit 0")
    r = vm("--batch", "--nics", "0", "--timeout", "120", "--name", "harness_batch3", "--",
           "sh", "-c", "echo on >/proc/sys/kernel/printk_devkmsg; "
           "echo '<4>WARNING: CPU: 0 PID: 1 at harness-selftest-outside' >/dev/kmsg; "
           "exec %s %s" % (BATCH, a))
    assert r.returncode == 1, r.stderr
    assert "harness-selftest-outside" in r.stderr
    assert result("harness_batch3", "b_a").returncode == 0
