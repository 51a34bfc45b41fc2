#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile VF: raw mailbox messages written through the VF's BAR0 (sysfs
resource0, VF driver unbound).  Each round:

  - paced attacks, one message at a time as a VF driver sends them (take
    VFU, write the buffer, REQ; wait for PFSTS; take VFU, read the reply,
    ACK): a reset handshake (the reply must be RESET|ACK with VF 0's own
    MAC; sent once more, and counted as a failure, when the PF's
    unsolicited NACK to a VF without CTS took the buffer over it), then a
    request for another VF's MAC (the reply must be that request's NACK),
    then malformed requests, each with the reply the PF's policy owes it;
  - a flood of random words for one second (mostly dropped by the PF's
    token bucket), then the buffer lock held for 0.2 s.

Between rounds the token bucket refills, so that every paced message is
served.  Prints one JSON line: counters, and the first bad replies.

Usage: pf2_hostile.py VF_BDF SECONDS STEAL_MAC OWN_MAC [SEED]
       pf2_hostile.py --handshake VF_BDF OWN_MAC
(--handshake: only the reset handshake, as a VF driver does at probe - the
PF gives the VF its receive-address register then; exits 1 if the reply
is not RESET|ACK with OWN_MAC.)
"""
import json
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from vf_mbx import V2P, VFU, PFSTS, PFACK, M_ACK, M_NACK, M_CTS, VfMailbox  # noqa: E402

T_RESET, T_MAC, T_CONFIG, T_PF_CONTROL = 0x0001, 0x0002, 0x00C0, 0x0100
CONFIG_MAGIC = 0x53525631
REPLY_S = 2.0              # the PF answers within 1 s; TCG margin


def mbx_param(name, default):
    """sriov_pf's flood-control parameter NAME (its default if unreadable)"""
    try:
        with open(f"/sys/module/sriov_pf/parameters/{name}") as f:
            return int(f.read())
    except (OSError, ValueError):
        return default


# the time for the PF's token bucket to refill from empty, with a margin
REFILL_S = mbx_param("mbx_burst", 64) / mbx_param("mbx_rate", 50) + 0.5

handshake_only = sys.argv[1] == "--handshake"
if handshake_only:
    bdf, secs = sys.argv[2], 0.0
    steal = own = bytes.fromhex(sys.argv[3].replace(":", ""))
    seed = 0
else:
    bdf, secs = sys.argv[1], float(sys.argv[2])
    steal = bytes.fromhex(sys.argv[3].replace(":", ""))
    own = bytes.fromhex(sys.argv[4].replace(":", ""))
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0x5ee5
box = VfMailbox(bdf)
mv = box.mv
rnd = random.Random(seed)
steal_w = struct.unpack("<IH", steal)

# (name, words, the PF's answer: "ack", "nack" or None for no reply)
MALFORMED = [
    ("127 multicast hashes", [0x00000003 | 0x7F << 16] + [0xFFFFFFFF] * 15,
     "ack"),
    ("multicast overflow flag only", [0x00000003 | 0x80 << 16], "ack"),
    ("VLAN id 0xffffffff", [0x00000004 | 1 << 16, 0xFFFFFFFF], "nack"),
    ("VLAN id 5000", [0x00000004 | 0xFF << 16, 5000], "nack"),
    ("SET_LPE 0", [0x00000005, 0], "nack"),
    ("SET_LPE 0xffffffff", [0x00000005, 0xFFFFFFFF], "nack"),
    ("multicast MAC", [0x00000002, 0x005E0001, 0x0001], "nack"),
    ("zero MAC", [0x00000002, 0, 0], "nack"),
    ("untrusted filter-add of the foreign MAC",
     [0x00000002 | 0x02 << 16, steal_w[0], steal_w[1]], "nack"),
    ("unicast promiscuous", [0x00000006 | 0xFF << 16], "nack"),
    ("request carrying ACK", [0x80000001, 0, 0], None),
    ("request carrying NACK", [0x40000002], None),
    ("unknown type 0xffff",
     [0x0000FFFF] + [rnd.getrandbits(32) for _ in range(15)], "nack"),
    ("GET_CONFIG with junk INFO", [T_CONFIG | 0xFF << 16], "ack"),
]

st = {"seed": seed, "rounds": 0, "posted": 0, "paced": 0, "replies": 0,
      "reset": 0, "reset_ok": 0, "reset_resent": 0, "steal": 0, "steal_nack": 0,
      "malformed": 0, "malformed_ok": 0, "unsolicited": 0, "flood": 0,
      "held_lock_s": 0.0, "bad": []}


def post(words):
    box.post(words)
    st["posted"] += 1


def read_reply():
    """take the PF's message and acknowledge it"""
    return box.read_ack() if box.lock(REPLY_S) else None


def bad(what):
    if len(st["bad"]) < 10:
        st["bad"].append(what)


def request(words):
    """send one message paced; the PF's reply to it, or None if it read
    the message and wrote nothing, or "lost" if it never read it"""
    box.seen = 0
    box.v2p()
    if box.seen & PFSTS:        # a PF message from before: take it
        read_reply()
    box.seen = 0
    if not box.lock(REPLY_S):
        return "lost"
    post(words)
    st["paced"] += 1
    end = time.monotonic() + REPLY_S
    acked_at = None
    while time.monotonic() < end:
        box.v2p()
        if box.seen & PFSTS:
            box.seen &= ~PFSTS
            r = read_reply()
            if r is None:
                return "lost"
            # a PF_CONTROL ping (link change) is not the reply: go on
            if r[0] & 0xFFFF == T_PF_CONTROL and not r[0] & (M_ACK | M_NACK):
                st["unsolicited"] += 1
                continue
            st["replies"] += 1
            return r
        if box.seen & PFACK and acked_at is None:
            acked_at = time.monotonic()
            end = min(end, acked_at + 0.3)
        time.sleep(0.002)
    return None if acked_at is not None else "lost"


def valid_reply(req, r, ack):
    """request | CTS | ACK or NACK, INFO echoed (GET_CONFIG: its words)"""
    if not isinstance(r, list):
        return False
    want = M_CTS | (M_ACK if ack else M_NACK)
    if req & 0xFFFF == T_CONFIG and ack:
        return r[0] == (T_CONFIG | want) and r[1] == CONFIG_MAGIC
    return r[0] == ((req & 0x00FFFFFF) | want)


def reset():
    """the reset handshake.  A bare NACK in place of its reply is not one:
    it is the PF's unsolicited note to a VF without CTS (a read of the
    PF's failed while the buffer lock was held, and this VF then
    acknowledged a message), written over the buffer while the reset
    waited there to be read, as Linux's igb does (a pending request is
    dropped).  sriov_pf holds such a note back while a request is
    pending, so this counts as a failure (reset_resent); a VF driver
    would reset again, and so does this one, once, so that the round
    goes on"""
    r = request([T_RESET])
    if isinstance(r, list) and r[0] == M_NACK:
        st["reset_resent"] += 1
        r = request([T_RESET])
    return r


def hexr(r):
    return r if not isinstance(r, list) else " ".join(f"{w:08x}" for w in r[:3])


def reset_ok(r):
    """RESET|ACK (no CTS) and VF 0's own MAC"""
    return (isinstance(r, list) and r[0] == T_RESET | M_ACK and
            struct.pack("<IH", r[1], r[2] & 0xFFFF) == own)


if handshake_only:
    r = request([T_RESET])
    print(f"reset reply: {hexr(r)}")
    sys.exit(0 if reset_ok(r) else 1)

t0 = time.monotonic()
end = t0 + secs
while time.monotonic() < end:
    st["rounds"] += 1
    time.sleep(REFILL_S)
    # the reset handshake: RESET|ACK (no CTS) and VF 0's own MAC
    r = reset()
    st["reset"] += 1
    if reset_ok(r):
        st["reset_ok"] += 1
    else:
        bad(f"round {st['rounds']} reset: {hexr(r)}")
    # another VF's MAC as VF 0's primary: NACK
    r = request([T_MAC, steal_w[0], steal_w[1]])
    st["steal"] += 1
    if valid_reply(T_MAC, r, False):
        st["steal_nack"] += 1
    else:
        bad(f"round {st['rounds']} MAC steal: {hexr(r)}")
    for name, words, want in MALFORMED:
        r = request(words)
        st["malformed"] += 1
        ok = (r is None if want is None
              else valid_reply(words[0], r, want == "ack"))
        if ok:
            st["malformed_ok"] += 1
        else:
            bad(f"round {st['rounds']} {name} (want {want}): {hexr(r)}")
    # flood: one second of random messages back to back
    t = time.monotonic()
    while time.monotonic() < t + 1.0:
        post([rnd.getrandbits(32) for _ in range(16)])
        st["flood"] += 1
    # hold the buffer lock (the PF must not wait for it)
    t = time.monotonic()
    mv[V2P] = VFU
    time.sleep(0.2)
    mv[V2P] = 0
    st["held_lock_s"] = round(st["held_lock_s"] + time.monotonic() - t, 1)
st["seconds"] = round(time.monotonic() - t0, 1)
print(json.dumps(st))
