#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Read (or write) 82576 PF registers through sysfs resource0 (lab debugging).
#   pf2-regs.py BDF OFFSET[=VALUE] ...
import mmap, os, struct, sys
bdf = sys.argv[1]
fd = os.open(f"/sys/bus/pci/devices/{bdf}/resource0", os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 0x20000, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
mv = memoryview(m).cast("I")
for a in sys.argv[2:]:
    if "=" in a:
        off, val = a.split("=")
        mv[int(off, 0) // 4] = int(val, 0)
    else:
        print(f"{a}=0x{mv[int(a, 0) // 4]:08x}")
