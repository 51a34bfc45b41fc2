#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""An unsolicited PF message while a VF request is pending, through VF 0's
BAR0 (sysfs resource0, no VF driver bound).

Once: the reset handshake (CTS) and GET_CONFIG (so that the PF sends this
VF its PF_CONFIG messages).  Then each round:

  - the PF's mailbox worker is held off (fault knob mbx_delay_ms);
  - the VF posts SET_LPE 1518 as a VF driver does (take VFU, write the
    buffer, REQ): the request is pending (MBVFICR.VFREQ) and unread;
  - a PF-side action that sends an unsolicited message runs (TRIGGER);
  - the knob goes back to 0 and the VF takes every PF message (PFSTS,
    take VFU, read, ACK) for a few seconds.

The PF must answer the request (SET_LPE|ACK|CTS) and deliver the
unsolicited message (EXPECT: "ping" = PF_CONTROL|CTS, "config" =
PF_CONFIG|CTS) after it; the request lost under the PF's message (its
message first and no reply) is the bug this test was written for.  "seen"
lists word 0 of the PF's messages in each round, in order.

Usage: pf2_mbx_race.py VF_BDF OWN_MAC DELAY_KNOB ROUNDS EXPECT TRIGGER...
(TRIGGER: a shell command per round, run in order, cycling.)  A round
whose trigger ran past the hold-off proves nothing and is run again (at
most OVERRUNS times; "overrun").  Prints one line of JSON; exits 1 if a
round failed.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from vf_mbx import PFSTS, M_ACK, M_NACK, M_CTS, VfMailbox  # noqa: E402

T_RESET, T_LPE, T_CONFIG = 0x0001, 0x0005, 0x00C0
T_PF_CONFIG, T_PF_CONTROL = 0x00C2, 0x0100
DELAY_MS = 4000            # the worker's hold-off: the trigger runs inside
WAIT_S = DELAY_MS / 1000 + 4.0  # the reply and the PF's message arrive in this
OVERRUNS = 3               # rounds repeated when the trigger was too slow

bdf, own = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
knob, rounds, expect = sys.argv[3], int(sys.argv[4]), sys.argv[5]
triggers = sys.argv[6:]
box = VfMailbox(bdf)
LOCK_S = 2.0               # the buffer lock is taken within this
st = {"expect": expect, "rounds": 0, "ok": 0, "overrun": 0, "seen": [],
      "bad": []}


def take():
    """the PF's message if PFSTS was seen (read, then ACK), else None"""
    box.v2p()
    if not box.seen & PFSTS:
        return None
    box.seen &= ~PFSTS
    return box.read_ack() if box.lock(LOCK_S) else None


def collect(secs, until=None):
    """every PF message for SECS seconds (or until UNTIL(msgs) holds)"""
    msgs = []
    end = time.monotonic() + secs
    while time.monotonic() < end:
        w = take()
        if w is not None:
            msgs.append(w)
            if until and until(msgs):
                break
        time.sleep(0.002)
    return msgs


def transact(words, secs=3.0):
    """post WORDS (buffer taken first) and return the PF's messages"""
    collect(0.05)
    box.seen = 0
    if not box.lock(LOCK_S):
        return None
    box.post(words)
    return collect(secs, lambda ms: ms[-1][0] & (M_ACK | M_NACK))


def knob_set(ms):
    with open(knob, "w") as f:
        f.write(str(ms))


def hexs(msgs):
    return [f"{w[0]:08x}" for w in msgs]


def fail(what):
    st["bad"].append(what)
    print(json.dumps(st))
    sys.exit(1)


knob_set(0)
msgs = transact([T_RESET])
mac = b""
if msgs:
    mac = msgs[-1][1].to_bytes(4, "little") + \
        (msgs[-1][2] & 0xFFFF).to_bytes(2, "little")
if not msgs or msgs[-1][0] != (T_RESET | M_ACK) or mac != own:
    fail(f"reset handshake: {hexs(msgs or [])}")
msgs = transact([T_CONFIG])
if not msgs or msgs[-1][0] != (T_CONFIG | M_ACK | M_CTS):
    fail(f"GET_CONFIG: {hexs(msgs or [])}")

want_reply = T_LPE | M_ACK | M_CTS
want_ntf = {"ping": T_PF_CONTROL | M_CTS, "config": T_PF_CONFIG | M_CTS}[expect]
r = k = 0                  # rounds done, attempts (the trigger to run)
while r < rounds:
    knob_set(DELAY_MS)
    # a worker run that started before the knob was set is over by then
    time.sleep(0.5)
    collect(0.2)
    box.seen = 0
    if not box.lock(LOCK_S):
        fail(f"round {r}: buffer lock not taken")
    box.post([T_LPE, 1518])
    t0 = time.monotonic()
    trig = triggers[k % len(triggers)]
    k += 1
    rc = subprocess.run(trig, shell=True, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
    # the PF-side message goes out from a work item (link change): give it
    # time, still inside the worker's hold-off
    time.sleep(0.3)
    t_trig = time.monotonic() - t0
    knob_set(0)
    if rc:
        fail(f"round {r}: trigger '{trig}' exit {rc}")
    if t_trig * 1000 > DELAY_MS - 200:
        # the worker may have served the request before the PF's message
        # went out: this round shows nothing; take its messages, redo it
        st["overrun"] += 1
        if st["overrun"] > OVERRUNS:
            fail(f"round {r}: the trigger took {t_trig:.2f} s, past the "
                 f"hold-off, {st['overrun']} times")
        collect(WAIT_S)
        continue
    st["rounds"] += 1
    r += 1
    msgs = collect(WAIT_S, lambda ms: any(w[0] == want_reply for w in ms) and
                   any((w[0] & 0xffff) == (want_ntf & 0xffff) for w in ms))
    w0 = [w[0] for w in msgs]
    st["seen"].append(hexs(msgs))
    ok = (want_reply in w0 and
          any((w & ~0x00ff0000) == want_ntf for w in w0) and
          w0.index(want_reply) == 0)
    if ok:
        st["ok"] += 1
    else:
        st["bad"].append(f"round {r - 1} ({trig}): PF messages {hexs(msgs)}")
knob_set(0)
print(json.dumps(st))
sys.exit(0 if st["ok"] == st["rounds"] else 1)
