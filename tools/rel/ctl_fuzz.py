#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz sriovd's control socket (newline-delimited JSON, see
Documentation/sriovctl.rst) with garbage: random bytes, invalid UTF-8,
lines at and over the 64 KiB limit, deeply nested JSON, wrong JSON types,
every command with random and out-of-range arguments, abrupt closes in
the middle of a line, more sessions than the daemon accepts, idle
"events follow" subscribers.

After COUNT messages the daemon must still be running (PID) and answer
"status" on a fresh connection.  Prints one JSON line of counters.

Requests use sriovd's real command names (daemon/src/control/
commands.cpp) and argument keys, so that the handlers run; a share of
them is mutated (a name cut, doubled, with a changed case, a character
replaced, padding, or an invalid name).  Every random byte comes from the
seeded generator: the same SEED sends the same messages.

Usage: ctl_fuzz.py SOCKET PID COUNT [SEED]
SEED defaults to $SOAK_SEED, else the time; it is printed in the counters.
"""
import json
import os
import random
import socket
import sys
import time

path, pid, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seed = (int(sys.argv[4]) if len(sys.argv) > 4
        else int(os.environ.get("SOAK_SEED", "0")) or int(time.time()))
rnd = random.Random(seed)
# sriovd's commands (daemon/src/control/commands.cpp)
CMDS = ["list-commands", "status", "list", "vf-show", "config-read",
        "events", "sequences", "metrics", "audit", "partition-add",
        "partition-remove", "attach", "detach", "failover", "migrate",
        "teardown-all", "set-weight", "vf-unquarantine", "fake"]
# the argument keys the commands read, and one none reads
KEYS = ["pf", "vf", "offset", "length", "name", "netns", "mac", "vlan",
        "weight", "partition", "wait", "hold_ms", "after", "follow",
        "action", "dest", "config"]


def mutated_cmd():
    """a name around a real command: what a typo or a bad client sends"""
    c = rnd.choice(CMDS)
    r = rnd.random()
    if r < 0.2:
        return c[:rnd.randrange(0, len(c))]
    if r < 0.35:
        return c + c
    if r < 0.5:
        return c.upper()
    if r < 0.65:
        i = rnd.randrange(len(c))
        return c[:i] + chr(rnd.randrange(1, 0x250)) + c[i + 1:]
    if r < 0.8:
        return rnd.choice([" ", "\t", "\u0000", "-"]) + c + rnd.choice(["", " "])
    return rnd.choice(["", "x" * 300])
st = {"sent": 0, "replies": 0, "errors": 0, "closed_by_daemon": 0,
      "sessions_refused": 0, "seed": seed}


def alive():
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def rvalue():
    return rnd.choice([None, True, False, 0, -1, 1, 2**31, 2**63, -2**63,
                       2**64, 1e308, "", "0000:01:00.0", "x" * 1000,
                       "\u0000", "../../etc", [], {}, [1, 2], {"a": 1},
                       rnd.getrandbits(16), "02:00:5e:00:00:01"])


def garbage():
    r = rnd.random()
    if r < 0.15:
        return rnd.randbytes(rnd.randrange(1, 200)) + b"\n"
    if r < 0.2:
        return b"\xff\xfe\xc3\x28" * rnd.randrange(1, 50) + b"\n"
    if r < 0.23:
        n = rnd.choice([65535, 65536, 65537, 200000])
        return b"{\"cmd\":\"status\",\"pad\":\"" + b"a" * n + b"\"}\n"
    if r < 0.27:
        d = rnd.choice([100, 1000, 30000])
        return b"[" * d + b"]" * d + b"\n"
    if r < 0.32:
        return json.dumps(rvalue()).encode() + b"\n"
    if r < 0.37:
        return b"{\"cmd\": " + json.dumps(rvalue()).encode() + b"}\n"
    req = {"cmd": rnd.choice(CMDS) if rnd.random() < 0.8 else mutated_cmd()}
    if rnd.random() < 0.9:
        req["args"] = {k: rvalue() for k in rnd.sample(KEYS,
                                                        rnd.randrange(0, 5))}
    if rnd.random() < 0.1:
        req["args"] = rvalue()
    if rnd.random() < 0.7:
        req["id"] = rvalue()
    line = json.dumps(req).encode()
    if rnd.random() < 0.05:
        line = line[:rnd.randrange(0, len(line))]     # cut, no newline
        return line
    return line + b"\n"


def session(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(0.2)
    try:
        s.connect(path)
    except OSError:
        st["sessions_refused"] += 1
        return
    try:
        for _ in range(n):
            s.sendall(garbage())
            st["sent"] += 1
            try:
                data = s.recv(1 << 20)
            except socket.timeout:
                st["no_reply"] = st.get("no_reply", 0) + 1
                continue
            if not data:
                st["closed_by_daemon"] += 1
                return
            for line in data.splitlines():
                try:
                    j = json.loads(line)
                    st["replies"] += 1
                    if j.get("ok") is False:
                        st["errors"] += 1
                except ValueError:
                    pass
    except (BrokenPipeError, ConnectionResetError):
        st["closed_by_daemon"] += 1
    except socket.timeout:
        # sriovd is single-threaded: while it runs a kernel step (an FLR,
        # a netns move) a long line does not fit the socket buffer within
        # 0.2 s.  Not a failure by itself: the status check at the end is.
        st["send_timeouts"] = st.get("send_timeouts", 0) + 1
    finally:
        s.close()


t0 = time.monotonic()
# 80 sessions at once, a quarter of them subscribers (the fuzzer runs as
# root, whom the connection limits never refuse: test_ctl_security.py
# proves the limits)
idle = []
for i in range(80):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        if i % 4 == 0:
            s.sendall(b'{"cmd":"events","args":{"follow":true}}\n')
        idle.append(s)
    except OSError:
        st["sessions_refused"] += 1
for s in idle[: len(idle) // 2]:
    s.close()
while st["sent"] < count:
    session(rnd.randrange(1, 50))
    if not alive():
        break
for s in idle:
    s.close()
st["seconds"] = round(time.monotonic() - t0, 1)
ok = alive()
if ok:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(path)
        s.sendall(b'{"id":1,"cmd":"status"}\n')
        buf = b""
        while b"\n" not in buf:
            d = s.recv(1 << 20)
            if not d:
                break
            buf += d
        ok = json.loads(buf.split(b"\n")[0]).get("ok") is True
st["alive_and_answering"] = ok
print(json.dumps(st, sort_keys=True))
sys.exit(0 if ok else 1)
