# SPDX-License-Identifier: GPL-2.0
"""sriovctl's and sriovd's command lines against sriovd --backend=fake:
strict parsing (unknown options and bad values are usage errors naming the
word, --opt=value, decimal numbers), per-command --help, --version, the
audit verdict as exit status, wait, show, live progress on a terminal,
ISO 8601 times, and the completion and man page in step with the parser."""

import json
import os
import pty
import re
import select
import subprocess
import time

import pytest

from conftest import PF0, SRIOVCTL, SRIOVD, TOP, Daemon
from test_sriovctl import need_setpriv

MAC1 = "02:00:00:00:02:01"
MAC2 = "02:00:00:00:02:02"
ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def add(d, name, mac, *extra, check=0):
    return d.ctl("partition", "add", name, "--pf", PF0, "--mac", mac, *extra, check=check)


def partitions(d):
    rc, lst = d.ctl_json("list")
    assert rc == 0, lst
    return {p["name"]: p for p in lst["result"]}


def ctl_nodaemon(*args):
    """sriovctl with a socket nobody listens on: what it does without sriovd."""
    return subprocess.run([str(SRIOVCTL), "--socket", "/nonexistent/sriovd.sock"] + list(args),
                          capture_output=True, text=True, timeout=30)


def project_version():
    dkms = (TOP / "dkms.conf").read_text()
    v = re.search(r'^PACKAGE_VERSION="([^"]+)"', dkms, re.M).group(1)
    cmake = (TOP / "CMakeLists.txt").read_text()
    assert re.search(r"project\(sriov-stack VERSION " + re.escape(v) + r"\b", cmake), \
        "CMakeLists.txt's project VERSION differs from dkms.conf's PACKAGE_VERSION " + v
    return v


# --- values -----------------------------------------------------------------

def test_vlan_in_the_equals_form_is_set(daemon):
    add(daemon, "vm1", MAC1, "--vlan=10", "--weight=40")
    p = partitions(daemon)["vm1"]
    assert p["vlan"] == 10 and p["weight"] == 40
    filters = daemon.kernel()["pfs"][PF0]["filters"]
    assert [(f["mac"], f["vlan"]) for f in filters] == [(MAC1, 10)]


def test_vlan_with_a_leading_zero_is_decimal(daemon):
    add(daemon, "vm1", MAC1, "--vlan", "010")
    add(daemon, "vm2", MAC2, "--vlan", "0")
    p = partitions(daemon)
    assert p["vm1"]["vlan"] == 10, "010 read as octal"
    assert p["vm2"]["vlan"] == 0


@pytest.mark.parametrize("args,word", [
    (["--vlan", "0x10"], "0x10"),
    (["--vlan", "4095"], "4095"),
    (["--vlan", "-1"], "--vlan"),
    (["--vlan", "1e3"], "1e3"),
    (["--vlan", "10k"], "10k"),
    (["--vlan", ""], "--vlan"),
    (["--vlan"], "--vlan"),
    (["--vlan", "1", "--vlan", "2"], "--vlan"),
    (["--weight", "101"], "101"),
    (["--weight=0x1"], "0x1"),
    (["--ip", "10.0.0.1/24"], "10.0.0.1/24"),
    (["--bogus", "1"], "--bogus"),
    (["--bogus=1"], "--bogus"),
    (["extra"], "extra"),
])
def test_bad_partition_add_is_a_usage_error(daemon, args, word):
    r = add(daemon, "vm1", MAC1, *args, check=None)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    first = r.stderr.splitlines()[0]
    assert first.startswith("sriovctl: partition add: ") and word in first, r.stderr
    assert "sriovctl partition add --help" in r.stderr
    assert partitions(daemon) == {}, "a rejected command line reached sriovd"


@pytest.mark.parametrize("argv,word", [
    (["frobnicate"], "unknown command 'frobnicate'"),
    (["partition", "frob", "x"], "partition: unknown command 'frob'"),
    (["attach", "vm1", "--bogus"], "unknown option '--bogus'"),
    (["attach", "vm1", "vm2"], "unexpected argument 'vm2'"),
    (["attach"], "PARTITION is required"),
    (["--bogus", "status"], "unknown option '--bogus'"),
    (["failover", "vm1", "--hold", "0x10"], "'0x10' is not a decimal number"),
    (["failover", "vm1", "--hold=-5"], "'-5' is not a decimal number"),
    (["weight", "vm1", "010x"], "'010x' is not a decimal number"),
    (["migrate", "vm1"], "migrate"),
    (["migrate", "vm1", "--complete", "--abort"], "migrate"),
    (["vf", "show", PF0, "08"], None),  # decimal 8: valid
    (["vf", "show", PF0, "0x8"], "'0x8' is not a decimal number"),
    (["events", "--after", "0x10"], "'0x10' is not a decimal number"),
    (["wait"], "give SEQ or PARTITION"),
    (["wait", "1", "--partition", "vm1"], "wait"),
    (["partition", "remove"], "give NAME or --all"),
    (["partition", "remove", "vm1", "--all"], "partition remove"),
    (["--timeout", "0", "status"], "0 is out of range"),
    ([], "no command given"),
])
def test_usage_errors_name_the_word(argv, word):
    # parsed before any connection: no sriovd needed
    r = ctl_nodaemon(*argv)
    if word is None:
        assert r.returncode == 3, r.stderr  # parsed; then no daemon
        return
    assert r.returncode == 2, (argv, r.stdout, r.stderr)
    assert word in r.stderr.splitlines()[0], r.stderr


def test_global_options_anywhere_and_equals_form(daemon):
    add(daemon, "vm1", MAC1)
    r = daemon.ctl("attach", "vm1", "--json", check=0)
    assert json.loads(r.stdout)["result"]["kind"] == "attach"
    r = subprocess.run([str(SRIOVCTL), f"--socket={daemon.sock}", "--timeout=30", "list", "--json"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and json.loads(r.stdout)["result"][0]["name"] == "vm1", r.stderr
    r = subprocess.run([str(SRIOVCTL), "list"], capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, SRIOVCTL_SOCKET=str(daemon.sock)))
    assert r.returncode == 0 and "vm1" in r.stdout, r.stderr


def test_config_space_takes_hex_only_with_0x(daemon):
    r = daemon.ctl("config-space", "read", PF0, "0", "0x0", "0x4", check=0)
    assert r.stdout.splitlines() == ["000: 86 80 ca 10"], r.stdout
    r = daemon.ctl("config-space", "read", PF0, "0", "010", "2", check=0)  # decimal 10
    assert r.stdout.startswith("00a:"), r.stdout
    assert daemon.ctl("config-space", "read", PF0, "0", "0x1000").returncode == 2


# --- help and version -----------------------------------------------------

HELP = {
    "status": [], "list": [], "show": ["PARTITION"], "audit": [], "metrics": [], "version": [],
    "list-commands": [],
    "partition": ["add", "show", "remove"],
    "partition add": ["NAME", "--pf", "--mac", "--netns", "--vlan", "--weight", "--ip", "--no-wait"],
    "partition show": ["NAME"],
    "partition remove": ["NAME", "--all", "--no-wait"],
    "attach": ["PARTITION", "--no-wait"],
    "detach": ["PARTITION", "--no-wait"],
    "failover": ["PARTITION", "--hold", "--no-wait"],
    "migrate": ["PARTITION", "--to", "--complete", "--abort", "--no-wait"],
    "wait": ["SEQ|PARTITION", "--partition"],
    "weight": ["PARTITION", "WEIGHT"],
    "sequence": ["resume", "discard"],
    "sequence resume": ["SEQ", "--no-wait"],
    "sequence discard": ["SEQ"],
    "vf": ["show", "unquarantine"],
    "vf show": ["PF", "VF"],
    "vf unquarantine": ["PF", "VF"],
    "config-space": ["read"],
    "config-space read": ["PF", "VF", "OFFSET", "LENGTH"],
    "events": ["--follow", "--after", "--phases"],
}


def sriovctl_help(cmd):
    r = ctl_nodaemon(*cmd.split(), "--help")
    assert r.returncode == 0, (cmd, r.stderr)
    return r.stdout


@pytest.mark.parametrize("cmd", sorted(HELP))
def test_per_command_help(cmd):
    out = sriovctl_help(cmd)
    assert f"Usage: sriovctl {cmd} " in out or f"Usage: sriovctl {cmd}\n" in out, out
    for word in HELP[cmd]:
        assert re.search(r"(^|\s)" + re.escape(word) + r"\b", out), (cmd, word, out)


def test_top_level_help_lists_every_command():
    out = sriovctl_help("")
    listed = set(re.findall(r"^  ([a-z-]+)\s", out.split("Subcommands:")[1], re.M))
    assert listed == {c for c in HELP if " " not in c}, listed
    assert "fake" not in listed  # the fake backend's hook stays out of --help
    assert "exit codes" in out


def test_version():
    v = project_version()
    r = ctl_nodaemon("--version")
    assert r.returncode == 0 and r.stdout.split()[:2] == ["sriovctl", v], r.stdout
    r = subprocess.run([str(SRIOVD), "--version"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stdout.split()[:2] == ["sriovd", v], r.stdout


def test_version_command_asks_the_daemon(daemon):
    v = project_version()
    r = daemon.ctl("version", check=0)
    assert r.stdout.splitlines()[0].startswith(f"sriovctl {v} (control protocol ")
    assert r.stdout.splitlines()[1].startswith(f"sriovd {v} (control protocol ")
    rc, out = daemon.ctl_json("version")
    assert out["result"]["version"] == v and out["result"]["protocol"] >= 2


# --- sriovd's own command line ----------------------------------------------

@pytest.mark.parametrize("args,word", [
    (["--bogus"], "--bogus"),
    (["--max-connections", "0x10"], "0x10"),
    (["--max-connections=0"], "0 is out of range"),
    (["--idle-timeout-ms", "-1"], "--idle-timeout-ms"),
    (["--backend", "real2"], "real2"),
    (["--fake-pfs", "0000:01:00.0=enp1s0:0x7"], "0x7"),
    (["--fake-pfs", "nonsense"], "nonsense"),
    (["stray"], "stray"),
])
def test_sriovd_usage_errors(workdir, args, word):
    argv = [str(SRIOVD), "--backend=fake", f"--state-dir={workdir / 'st'}",
            f"--socket={workdir / 's.sock'}"] + args
    r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    assert r.returncode == 2, (args, r.stderr)
    assert r.stderr.startswith("sriovd: ") and word in r.stderr.splitlines()[0], r.stderr
    assert not (workdir / "st").exists(), "sriovd went on after a usage error"


def test_sriovd_help():
    r = subprocess.run([str(SRIOVD), "--help"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0
    for opt in ("--socket", "--state-dir", "--backend", "--pf", "--group", "--socket-group",
                "--max-connections", "--max-connections-per-uid", "--idle-timeout-ms",
                "--max-output-bytes", "--keep-vfs", "--pair-timeout-ms", "--release-timeout-ms",
                "--datapath-timeout-ms", "--verbose", "--log-time", "--version"):
        assert re.search(re.escape(opt) + r"\b", r.stdout), opt


def test_sriovd_decimal_options_and_last_one_wins(workdir):
    # the second --fake-pfs counts, and its 010 VFs are ten (not octal 8)
    d = Daemon(workdir, fake_pfs=f"{PF0}=enp1s0:3", extra=["--fake-pfs", f"{PF0}=enp1s0:010"])
    d.start()
    try:
        rc, st = d.ctl_json("status")
        assert rc == 0
        assert [(pf["name"], len(pf["vfs"])) for pf in st["result"]["pfs"]] == [(PF0, 10)]
    finally:
        d.kill()


# --- audit ------------------------------------------------------------------

def test_audit_exit_status_follows_the_verdict(daemon):
    add(daemon, "vm1", MAC1)
    daemon.wait_idle()
    r = daemon.ctl("audit")
    assert r.returncode == 0 and "consistent" in r.stdout, r.stdout
    daemon.ctl("fake", '{"unlock_port": "vm1"}', check=0)
    r = daemon.ctl("audit")
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "MISMATCH" in r.stdout and "is not locked" in r.stdout
    rc, out = daemon.ctl_json("audit")
    assert rc == 1 and out["result"]["consistent"] is False


@pytest.fixture
def unpaired(workdir):
    """sriovd whose fake adapters do not pair (an attach waits at wait_pair,
    bounded at 60 s) and partition vm1 on PF0."""
    d = Daemon(workdir, extra=["--pair-timeout-ms", "60000"])
    d.start()
    try:
        add(d, "vm1", MAC1)
        d.ctl("fake", '{"pairing": false}', check=0)
        yield d
    finally:
        d.kill()


def test_audit_while_a_sequence_runs_says_retry(unpaired):
    d = unpaired
    d.ctl("attach", "vm1", "--no-wait", check=0)
    r = d.ctl("audit")
    assert r.returncode == 6 and "sequences are running" in r.stdout, (r.stdout, r.stderr)
    d.ctl("fake", '{"pairing": true}', check=0)
    d.wait_idle()
    assert d.ctl("audit").returncode == 0


# --- wait and show ----------------------------------------------------------

def started_seq(r):
    m = re.search(r"started sequence (\d+)", r.stdout)
    assert m, r.stdout
    return m.group(1)


def test_wait_for_a_no_wait_sequence(unpaired):
    d = unpaired
    seq = started_seq(d.ctl("attach", "vm1", "--no-wait", check=0))
    waiter = subprocess.Popen([str(SRIOVCTL), "--socket", str(d.sock), "--json", "wait", seq],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # the attach is held at wait_pair: the waiter has no answer yet
    time.sleep(0.5)
    assert waiter.poll() is None, waiter.communicate()
    assert d.request("status")["result"]["sequences"], "the attach ended early"
    d.ctl("fake", '{"pairing": true}', check=0)
    out, err = waiter.communicate(timeout=60)
    assert waiter.returncode == 0, err
    res = json.loads(out)["result"]
    assert res["seq"] == int(seq) and res["kind"] == "attach" and res["result"] == "ok"
    assert d.request("status")["result"]["sequences"] == []
    # ended: the answer comes from the event ring, by number or partition
    r = d.ctl("wait", seq, check=0)
    assert "attach vm1: ok" in r.stdout
    r = d.ctl("wait", "vm1", check=0)
    assert f"seq {seq} attach vm1: ok" in r.stdout
    r = d.ctl("wait", "--partition", "vm1", check=0)
    assert f"seq {seq} attach vm1: ok" in r.stdout


def test_wait_exit_status_from_the_result(daemon):
    add(daemon, "vm1", MAC1)
    daemon.ctl("fake", json.dumps({"fail": {"vport_create": {"errno": 28, "count": 1}}}), check=0)
    seq = started_seq(daemon.ctl("attach", "vm1", "--no-wait", check=0))
    r = daemon.ctl("wait", seq)
    assert r.returncode == 1 and "vport_create_failed" in r.stderr, (r.stdout, r.stderr)
    r = daemon.ctl("wait", "424242")
    assert r.returncode == 5 and "unknown_sequence" in r.stderr, r.stderr
    r = daemon.ctl("wait", "ghost")
    assert r.returncode == 5 and "unknown_partition" in r.stderr, r.stderr


def test_show(daemon):
    add(daemon, "vm1", MAC1, "--vlan", "7")
    daemon.ctl("attach", "vm1", check=0)
    for argv in (["show", "vm1"], ["partition", "show", "vm1"]):
        out = daemon.ctl(*argv, check=0).stdout.splitlines()
        assert "name: vm1" in out and "vlan: 7" in out and "state: idle" in out, out
        assert "sequence: -" in out, out
        last = [l for l in out if l.startswith("last: ")]
        assert len(last) == 1 and re.fullmatch(r"last: \d+ attach ok, ended " + ISO + r", \d+ ms", last[0]), last
        assert any(re.fullmatch(r"vf: " + re.escape(PF0) + r" \d+ \(vf\)", l) for l in out), out
    rc, out = daemon.ctl_json("show", "vm1")
    assert rc == 0 and out["result"]["partition"]["name"] == "vm1"
    assert out["result"]["last"]["kind"] == "attach"
    r = daemon.ctl("show", "ghost")
    assert r.returncode == 5 and "no partition ghost" in r.stderr


def test_show_a_running_sequence(unpaired):
    d = unpaired
    seq = started_seq(d.ctl("attach", "vm1", "--no-wait", check=0))
    out = d.ctl("show", "vm1", check=0).stdout.splitlines()
    assert "state: busy" in out, out
    cur = [l for l in out if l.startswith("sequence: ")]
    assert re.fullmatch(rf"sequence: {seq} attach, step 4/6 wait_pair, started " + ISO, cur[0]), cur
    d.ctl("fake", '{"pairing": true}', check=0)
    d.wait_idle()


def test_show_wait_version_are_reads(workdir):
    """A member of the socket's group who may not change state may show,
    wait and ask the version."""
    need_setpriv()
    d = Daemon(workdir, extra=["--socket-group", "nogroup"])
    d.start()
    try:
        add(d, "vm1", MAC1)
        for argv in (["show", "vm1"], ["wait", "vm1"], ["version"]):
            r = d.ctl(*argv, user="nobody")
            assert r.returncode == 0, (argv, r.stdout, r.stderr)
        assert d.ctl("attach", "vm1", "--no-wait", user="nobody").returncode == 4
    finally:
        d.kill()


# --- progress and times -----------------------------------------------------

def run_on_tty(argv):
    """Start @argv with its stdout on a pseudo-terminal: (process, master fd)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdout=slave, stderr=subprocess.PIPE, text=True)
    os.close(slave)
    return p, master


def read_tty_lines(master, stop, timeout=60):
    buf = b""
    deadline = time.monotonic() + timeout
    lines = []
    while time.monotonic() < deadline and not stop(lines):
        r, _, _ = select.select([master], [], [], 0.2)
        if not r:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            lines.append(line.decode().rstrip("\r"))
    return lines


ATTACH_STEPS = ["vf_allocate", "vport_create", "vf_to_child", "wait_pair", "filters_to_vf", "datapath_vf"]


def test_progress_on_a_terminal_one_line_per_step_as_it_finishes(unpaired):
    d = unpaired
    p, master = run_on_tty([str(SRIOVCTL), "--socket", str(d.sock), "attach", "vm1"])
    try:
        # the steps before the pairing are shown while the attach waits
        first = read_tty_lines(master, lambda ls: len(ls) >= 3)
        assert p.poll() is None
        assert [l.split()[1] for l in first] == ATTACH_STEPS[:3], first
        for l in first:
            assert re.fullmatch(ISO + r"  [a-z_]+  \d+ ms  ok(  .+)?", l), l
        d.ctl("fake", '{"pairing": true}', check=0)
        rest = read_tty_lines(master, lambda ls: len(ls) >= 4)
        assert p.wait(timeout=60) == 0, p.stderr.read()
    finally:
        os.close(master)
    assert [l.split()[1] for l in rest[:3]] == ATTACH_STEPS[3:], rest
    # then the end, without the steps again
    assert re.fullmatch(ISO + r"  #\d+  seq \d+ attach vm1: ok( cause=\S+)? \d+ ms", rest[3]), rest
    assert len(rest) == 4, rest


def test_progress_switches(daemon):
    add(daemon, "vm1", MAC1)
    # not a terminal: no progress lines, the phases after the end as before
    r = daemon.ctl("attach", "vm1", check=0)
    lines = r.stdout.splitlines()
    assert re.fullmatch(ISO + r"  #\d+  seq \d+ attach vm1: ok( cause=\S+)? \d+ ms", lines[0]), lines
    assert [l.split()[0] for l in lines[1:]] == ATTACH_STEPS
    # --progress: forced on; with --json one object a line, the answer last
    r = daemon.ctl("--progress", "--json", "failover", "vm1", "--hold", "3600", check=0)
    objs = [json.loads(l) for l in r.stdout.splitlines()]
    assert all("progress" in o for o in objs[:-1]) and objs[-1]["ok"], objs
    assert [o["progress"]["step"] for o in objs[:-1]] == \
        [ph["step"] for ph in objs[-1]["result"]["phases"]]
    # --no-progress on a terminal: as without one
    p, master = run_on_tty([str(SRIOVCTL), "--socket", str(daemon.sock), "--no-progress", "attach", "vm1"])
    try:
        lines = read_tty_lines(master, lambda ls: len(ls) >= 7)
        assert p.wait(timeout=60) == 0
    finally:
        os.close(master)
    assert re.fullmatch(ISO + r"  #\d+  seq \d+ attach vm1: ok( cause=\S+)? \d+ ms", lines[0]), lines
    assert [l.split()[0] for l in lines[1:]] == ATTACH_STEPS


def test_progress_of_wait_on_a_terminal(unpaired):
    d = unpaired
    seq = started_seq(d.ctl("attach", "vm1", "--no-wait", check=0))
    p, master = run_on_tty([str(SRIOVCTL), "--socket", str(d.sock), "wait", seq])
    try:
        first = read_tty_lines(master, lambda ls: len(ls) >= 3)
        assert p.poll() is None
        d.ctl("fake", '{"pairing": true}', check=0)
        rest = read_tty_lines(master, lambda ls: len(ls) >= 4)
        assert p.wait(timeout=60) == 0
    finally:
        os.close(master)
    assert [l.split()[1] for l in first + rest[:3]] == ATTACH_STEPS, (first, rest)


def test_human_times_are_iso_8601(daemon):
    add(daemon, "vm1", MAC1)
    daemon.ctl("attach", "vm1", check=0)
    lines = daemon.ctl("events", check=0).stdout.splitlines()
    assert lines and all(re.match(ISO + "  #", l) for l in lines), lines
    # the time is the event's, in UTC
    rc, evs = daemon.ctl_json("events")
    ms = evs["result"]["events"][-1]["time_ms"]
    want = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)
    assert lines[-1].startswith(want), (lines[-1], want)


# --- completion and documentation in step with the parser -------------------

def test_completion_and_man_page_know_every_command_and_option():
    comp = (TOP / "tools" / "sriovctl" / "sriovctl.bash-completion").read_text()
    man = (TOP / "Documentation" / "sriovctl.rst").read_text()
    cmds = re.search(r'local cmds="([^"]+)"', comp).group(1).split()
    top = sorted(c for c in HELP if " " not in c)
    assert sorted(cmds) == top, "completion's command list differs from sriovctl --help"

    def in_bold(word):
        return re.search(r"\*\*[^*\n]*(?<![\w-])" + re.escape(word) + r"(?![\w-])[^*\n]*\*\*", man)

    for cmd, words in HELP.items():
        assert re.search(r"^\*\*" + re.escape(cmd) + r"(\*\*|\s)", man, re.M), \
            f"Documentation/sriovctl.rst does not describe {cmd}"
        for w in words:
            if w.startswith("--"):
                assert re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", comp), f"completion lacks {cmd} {w}"
                assert in_bold(w), f"Documentation/sriovctl.rst lacks {cmd} {w}"
    for opt in ("--socket", "--json", "--timeout", "--progress", "--no-progress", "--version", "--help"):
        assert opt in comp and in_bold(opt), opt
