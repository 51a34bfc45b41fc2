#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile VF: raw mailbox messages written through the VF's BAR0 (sysfs
resource0, VF driver unbound) - random words, malformed requests, a REQ
flood, a held buffer lock.  Prints one JSON line of what it did.

Usage: pf2_hostile.py VF_BDF SECONDS STEAL_MAC
"""
import json
import mmap
import os
import random
import struct
import sys
import time

V2P = 0x0C40 // 4          # VF mailbox register (word index)
VMBMEM = 0x0800 // 4       # 16-word buffer
REQ, VFU = 0x1, 0x4

bdf, secs, steal = sys.argv[1], float(sys.argv[2]), sys.argv[3]
fd = os.open(f"/sys/bus/pci/devices/{bdf}/resource0", os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 0x4000, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
mv = memoryview(m).cast("I")
rnd = random.Random(0x5ee5)
mac = bytes.fromhex(steal.replace(":", ""))
mac_w = struct.unpack("<IH", mac)


def post(words):
    for i, w in enumerate(words[:16]):
        mv[VMBMEM + i] = w & 0xFFFFFFFF
    mv[V2P] = REQ


malformed = [
    [0x00000003 | 0x7F << 16] + [0xFFFFFFFF] * 15,   # 127 mc hashes
    [0x00000003 | 0x80 << 16],                       # overflow flag only
    [0x00000004 | 1 << 16, 0xFFFFFFFF],              # VLAN id out of range
    [0x00000004 | 0xFF << 16, 5000],
    [0x00000005, 0],                                 # SET_LPE 0
    [0x00000005, 0xFFFFFFFF],                        # SET_LPE huge
    [0x00000002, 0x005E0001, 0x0001],                # multicast MAC
    [0x00000002, 0, 0],                              # zero MAC
    [0x00000002 | 0x02 << 16, mac_w[0], mac_w[1]],   # filter-add foreign MAC
    [0x00000006 | 0xFF << 16],                       # SET_PROMISC all flags
    [0x80000001, 0, 0],                              # carries ACK
    [0x40000002],                                    # carries NACK
    [0x0000FFFF] + [rnd.getrandbits(32) for _ in range(15)],
    [0x000000C0 | 0xFF << 16],                       # GET_CONFIG + junk info
]
stats = {"posted": 0, "random": 0, "malformed": 0, "steal": 0,
         "held_lock_s": 0.0}
end = time.monotonic() + secs
phase = 0
while time.monotonic() < end:
    phase += 1
    # a proper reset, then try to take another VF's MAC
    post([0x00000001])
    post([0x00000002, mac_w[0], mac_w[1]])
    stats["steal"] += 1
    for words in malformed:
        post(words)
        stats["malformed"] += 1
    for _ in range(200):
        post([rnd.getrandbits(32) for _ in range(16)])
        stats["random"] += 1
    # hold the buffer lock for a while (the PF must not wait for it)
    t = time.monotonic()
    mv[V2P] = VFU
    time.sleep(0.2)
    mv[V2P] = 0
    stats["held_lock_s"] += time.monotonic() - t
stats["posted"] = stats["random"] + stats["malformed"] + 2 * stats["steal"]
stats["rounds"] = phase
print(json.dumps(stats))
