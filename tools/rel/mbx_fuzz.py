#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile VF at volume: COUNT mailbox messages written through the VF's
BAR0 (sysfs resource0 mmap, VF driver unbound).  tests/vm/pf2_hostile.py
checks the PF's policy against a few known attacks while traffic runs;
this one is the volume fuzzer:

  - flood: messages back to back - a random type (the protocol's, the
    project's GET_CONFIG, or any 16-bit value), random INFO byte,
    ACK/NACK/CTS bits, 1-16 words of payload; mostly dropped unread by
    the PF's token bucket;
  - paced: one message at a time, three tokens back in the PF's bucket
    first (150 ms), the buffer taken as a VF driver takes it, a stale PF
    message drained, then the reply awaited (PFSTS, at most 2 s), read and
    acknowledged, so that every request handler runs on random input.  A
    VF that lost CTS or may have lost it (no reply, FLR, abuse that held
    VFU) first runs the reset handshake.  Every reply must be
    a valid e1000 mailbox reply (see valid_reply()); a request carrying
    ACK or NACK must get none;
  - protocol abuse between messages: VFU held, ACK without a message,
    REQ without a buffer, and a function-level reset (sysfs reset file)
    every PERIOD messages.

Usage: mbx_fuzz.py VF_BDF COUNT [SEED] [PACED_EVERY]
SEED defaults to $SOAK_SEED, else the time; the same SEED sends the same
messages.  Prints one JSON line of counters (the same as mbx_fuzz.c).
"""
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "lib"))
from vf_mbx import V2P, ACK, VFU, PFSTS, PFACK, M_ACK, M_NACK, M_CTS, VfMailbox  # noqa: E402

TYPES = [0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0009,
         0x000A, 0x000B, 0x00C0, 0x0100, 0x0000, 0xFFFF]

bdf = sys.argv[1]
count = int(sys.argv[2])
seed = (int(sys.argv[3]) if len(sys.argv) > 3
        else int(os.environ.get("SOAK_SEED", "0")) or int(time.time()))
# at most 1,000 paced requests by default
paced_every = (int(sys.argv[4]) if len(sys.argv) > 4
               else max(200, count // 1000))
rnd = random.Random(seed)
flr_every = max(1000, min(50000, count // 4))
box = VfMailbox(bdf)
mv = box.mv
T_RESET, T_CONFIG, T_PF_CONTROL = 0x0001, 0x00C0, 0x0100
CONFIG_MAGIC = 0x53525631
REPLY_S = 2.0
st = {"posted": 0, "flood": 0, "paced": 0, "replies": 0, "no_reply": 0,
      "abuse": 0, "flr": 0, "flr_failed": 0, "expected": 0, "answered": 0,
      "bad": 0, "first_bad": "", "resets": 0, "resets_ok": 0,
      "unsolicited": 0, "seed": seed}
cts = False


def message():
    t = rnd.choice(TYPES) if rnd.random() < 0.85 else rnd.getrandbits(16)
    w0 = t | rnd.getrandbits(8) << 16
    r = rnd.random()
    if r < 0.05:
        w0 |= 1 << 31                   # carries ACK
    elif r < 0.1:
        w0 |= 1 << 30                   # carries NACK
    elif r < 0.12:
        w0 |= 1 << 29
    n = rnd.choice([1, 1, 2, 3, 4, 8, 16])
    words = [w0] + [rnd.getrandbits(32) for _ in range(n - 1)]
    if t in (0x0002, 0x0004, 0x0005) and rnd.random() < 0.5:
        words[1:3] = [rnd.choice([0, 1, 100, 4095, 4096, 9000, 0xFFFFFFFF]),
                      rnd.getrandbits(16)]
    return words


def post(words):
    box.post(words)
    st["posted"] += 1


def note_bad(what, req, r):
    st["bad"] += 1
    if not st["first_bad"]:
        r = r or [0, 0, 0]
        st["first_bad"] = (f"{what}: request {req:08x} reply "
                           f"{r[0]:08x} {r[1]:08x} {r[2]:08x}")


def transact(words):
    """send paced; (1, reply), (0, None) if the PF read it and wrote
    nothing, (-1, None) if it did not answer within REPLY_S"""
    if not box.lock(REPLY_S):
        return -1, None
    box.seen = 0
    box.v2p()                   # the PF is not in a transaction: stale PFSTS
    box.seen = 0
    post(words)
    st["paced"] += 1
    ignored = words[0] & (M_ACK | M_NACK)
    end = time.monotonic() + REPLY_S
    read_at = None
    while time.monotonic() < end:
        box.v2p()
        if box.seen & PFSTS:
            box.seen &= ~PFSTS
            if not box.lock(REPLY_S):
                return -1, None
            r = box.read_ack()
            st["replies"] += 1
            if r[0] & 0xFFFF == T_PF_CONTROL and not r[0] & (M_ACK | M_NACK):
                st["unsolicited"] += 1      # a link-change ping
                continue
            return 1, r
        if box.seen & PFACK and read_at is None:
            read_at = time.monotonic()
            if ignored:
                end = read_at + 0.3
        time.sleep(0.002)
    return (0 if read_at is not None and ignored else -1), None


def reset_handshake():
    global cts
    st["resets"] += 1
    ret, r = transact([T_RESET])
    if ret == 1 and r[0] == T_RESET | M_ACK:
        st["resets_ok"] += 1
        cts = True
    else:
        note_bad("reset" if ret == 1 else "reset unanswered", T_RESET, r)


def valid_reply(req, r):
    """an e1000 mailbox reply to @req (which carries neither ACK nor NACK)"""
    an = r[0] & (M_ACK | M_NACK)
    if req == T_RESET:
        return r[0] == T_RESET | M_ACK
    if r[0] == M_NACK:
        return True             # not clear to send
    if not r[0] & M_CTS or an in (0, M_ACK | M_NACK):
        return False
    if r[0] & 0xFFFF != req & 0xFFFF:
        return False
    if req & 0xFFFF == T_CONFIG and an == M_ACK:
        return r[1] == CONFIG_MAGIC
    return r[0] & 0x00FF0000 == req & 0x00FF0000


def paced():
    global cts
    time.sleep(0.15)            # three tokens back in the bucket
    if not cts:
        reset_handshake()
        time.sleep(0.05)
    words = message()
    ret, r = transact(words)
    if words[0] & (M_ACK | M_NACK):
        if ret == 1 and r[0] != M_NACK:
            note_bad("reply to an ACK/NACK message", words[0], r)
        return
    st["expected"] += 1
    if ret != 1:
        st["no_reply"] += 1
        cts = False
        return
    st["answered"] += 1
    if not valid_reply(words[0] & 0xFFFFFFFF, r):
        note_bad("invalid reply", words[0], r)
    if words[0] == T_RESET:
        cts = r[0] == T_RESET | M_ACK
    elif not r[0] & M_CTS:
        cts = False


def abuse():
    """abuse that holds VFU may make the PF's read of a pending request
    fail, which costs the VF its CTS: the next paced request runs the
    reset handshake first, so every paced request is owed a reply"""
    global cts
    st["abuse"] += 1
    r = rnd.random()
    if r < 0.3:
        mv[V2P] = VFU
        time.sleep(rnd.choice([0, 0.01, 0.1]))
        mv[V2P] = 0
        cts = False
    elif r < 0.6:
        mv[V2P] = ACK
    elif r < 0.9:
        bits = rnd.getrandbits(8)
        mv[V2P] = bits
        if bits & VFU:
            cts = False
    else:
        _ = mv[V2P]


t0 = time.monotonic()
i = 0
while i < count:
    if paced_every and i % paced_every == paced_every - 1:
        paced()
    else:
        post(message())
        st["flood"] += 1
    if rnd.random() < 0.01:
        abuse()
    if i and i % flr_every == 0:
        try:
            with open(f"/sys/bus/pci/devices/{bdf}/reset", "w") as f:
                f.write("1")
            st["flr"] += 1
        except OSError:
            st["flr_failed"] += 1
        cts = False
    i += 1
mv[V2P] = 0
st["seconds"] = round(time.monotonic() - t0, 1)
print(json.dumps(st, sort_keys=True))
