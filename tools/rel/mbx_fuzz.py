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
  - paced: one message at a time at the rate the PF serves (20/s), waiting
    for PFSTS, reading the reply and acknowledging it, so that every
    request handler runs on random input;
  - protocol abuse between messages: VFU held, ACK without a message,
    REQ without a buffer, and a function-level reset (sysfs reset file)
    every PERIOD messages.

Usage: mbx_fuzz.py VF_BDF COUNT [SEED] [PACED_EVERY]
Prints one JSON line of counters.
"""
import json
import mmap
import os
import random
import sys
import time

V2P = 0x0C40 // 4
VMBMEM = 0x0800 // 4
REQ, ACK, VFU, PFU, PFSTS, PFACK, RSTI, RSTD = (1, 2, 4, 8, 0x10, 0x20,
                                                0x40, 0x80)
TYPES = [0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0009,
         0x000A, 0x000B, 0x00C0, 0x0100, 0x0000, 0xFFFF]

bdf = sys.argv[1]
count = int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else int(time.time())
# at most 1,000 paced requests by default: each takes up to 0.56 s
paced_every = (int(sys.argv[4]) if len(sys.argv) > 4
               else max(200, count // 1000))
rnd = random.Random(seed)
flr_every = max(1000, min(50000, count // 4))
fd = os.open(f"/sys/bus/pci/devices/{bdf}/resource0", os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 0x4000, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
mv = memoryview(m).cast("I")
st = {"posted": 0, "flood": 0, "paced": 0, "replies": 0, "no_reply": 0,
      "abuse": 0, "flr": 0, "seed": seed}


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
    for i, w in enumerate(words[:16]):
        mv[VMBMEM + i] = w & 0xFFFFFFFF
    mv[V2P] = REQ
    st["posted"] += 1


def paced():
    """one request, served: wait for the PF's answer and ACK it"""
    mv[V2P] = VFU
    post(message())
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        v = mv[V2P]
        if v & PFSTS:
            _ = [mv[VMBMEM + i] for i in range(16)]
            mv[V2P] = ACK
            st["replies"] += 1
            return
        time.sleep(0.002)
    st["no_reply"] += 1


def abuse():
    st["abuse"] += 1
    r = rnd.random()
    if r < 0.3:
        mv[V2P] = VFU
        time.sleep(rnd.choice([0, 0.01, 0.1]))
        mv[V2P] = 0
    elif r < 0.6:
        mv[V2P] = ACK
    elif r < 0.9:
        mv[V2P] = rnd.getrandbits(8)
    else:
        _ = mv[V2P]


t0 = time.monotonic()
i = 0
while i < count:
    if paced_every and i % paced_every == paced_every - 1:
        time.sleep(0.06)                # one token back in the bucket
        paced()
        st["paced"] += 1
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
            st["flr_failed"] = st.get("flr_failed", 0) + 1
    i += 1
mv[V2P] = 0
st["seconds"] = round(time.monotonic() - t0, 1)
print(json.dumps(st, sort_keys=True))
