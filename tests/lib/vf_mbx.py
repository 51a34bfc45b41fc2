# SPDX-License-Identifier: GPL-2.0
"""A VF's side of the 82576 mailbox, driven through the VF's BAR0 (sysfs
resource0, no VF driver bound), as the lab's hostile-VF tests and the
mailbox fuzzer drive it: the VF mailbox register (VFMAILBOX, "V2P") and
the 16-word buffer (VMBMEM), used the way Linux's igbvf does (mbx.c).

PFSTS and PFACK are read-to-clear: every read of V2P adds them to
``seen``, which the caller clears as it consumes them.
"""
import mmap
import os
import time

V2P = 0x0C40 // 4          # VF mailbox register (word index)
VMBMEM = 0x0800 // 4       # 16-word buffer
REQ, ACK, VFU, PFSTS, PFACK = 0x1, 0x2, 0x4, 0x10, 0x20
M_ACK, M_NACK, M_CTS = 1 << 31, 1 << 30, 1 << 29


class VfMailbox:
    def __init__(self, bdf):
        fd = os.open(f"/sys/bus/pci/devices/{bdf}/resource0", os.O_RDWR | os.O_SYNC)
        try:
            self.m = mmap.mmap(fd, 0x4000, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        finally:
            os.close(fd)
        self.mv = memoryview(self.m).cast("I")
        self.seen = 0

    def v2p(self):
        """read V2P, keeping the read-to-clear bits in seen"""
        v = self.mv[V2P]
        self.seen |= v & (PFSTS | PFACK)
        return v

    def lock(self, timeout):
        """take the buffer as a VF driver does: VFU set and read back"""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.mv[V2P] = VFU
            if self.v2p() & VFU:
                return True
            time.sleep(0.001)
        return False

    def post(self, words):
        """write up to 16 words and REQ (which also drops VFU)"""
        for i, w in enumerate(words[:16]):
            self.mv[VMBMEM + i] = w & 0xFFFFFFFF
        self.mv[V2P] = REQ

    def read_ack(self):
        """the buffer's 16 words, then ACK (the caller holds VFU)"""
        words = [self.mv[VMBMEM + i] for i in range(16)]
        self.mv[V2P] = ACK
        return words
