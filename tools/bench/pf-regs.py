#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Dump the 82576 PF registers that shape the VF data path, inside the lab VM.

   tools/bench/pf-regs.py BDF > regs.txt

Reads through the PF's I/O BAR (IOADDR at offset 0, IODATA at 4; sysfs
resource2) because a bound driver's memory BAR cannot be mmap'ed from user
space (CONFIG_IO_STRICT_DEVMEM).  Sets PCI_COMMAND.IO on the PF to do so.
Only registers without read side effects are read (no ICR/EICR, no
statistics, no mailbox).  Diff two dumps, one per PF driver, to compare
what the drivers program (Documentation/performance.rst).
"""
import os
import struct
import subprocess
import sys


def main():
    bdf = sys.argv[1]
    subprocess.run(["setpci", "-s", bdf, "COMMAND=0x1:0x1"], check=True)
    fd = os.open(f"/sys/bus/pci/devices/{bdf}/resource2", os.O_RDWR)

    def rd(off):
        os.pwrite(fd, struct.pack("<I", off), 0)
        return struct.unpack("<I", os.pread(fd, 4, 4))[0]

    regs = {"CTRL": 0x0, "STATUS": 0x8, "CTRL_EXT": 0x18, "VET": 0x38,
            "IMS": 0xD0, "IAM": 0xE0, "RCTL": 0x100, "FCTTV": 0x170,
            "TCTL": 0x400, "TIPG": 0x410, "GPIE": 0x1514, "EIMS": 0x1524,
            "EIAC": 0x152C, "EIAM": 0x1530, "IVAR_MISC": 0x1740,
            "FCRTL": 0x2160, "FCRTH": 0x2168, "RXPBS": 0x2404,
            "TXPBS": 0x3404, "DTXSWC": 0x3500, "DTXCTL": 0x3590,
            "RXCSUM": 0x5000, "RLPML": 0x5004, "RFCTL": 0x5008,
            "MRQC": 0x5818, "VT_CTL": 0x581C, "RPLOLR": 0x5AF0,
            "VFRE": 0xC8C, "VFTE": 0xC90, "MBVFIMR": 0xC84}
    for n in range(8):
        regs[f"IVAR{n}"] = 0x1700 + 4 * n
        regs[f"VMOLR{n}"] = 0x5AD0 + 4 * n
        regs[f"VMVIR{n}"] = 0x3700 + 4 * n
        regs[f"PSRTYPE{n}"] = 0x5480 + 4 * n
    for n in range(25):
        regs[f"EITR{n}"] = 0x1680 + 4 * n
    for q in range(16):
        b = 0x40 * q
        regs[f"RDLEN{q}"] = 0xC008 + b
        regs[f"SRRCTL{q}"] = 0xC00C + b
        regs[f"RXDCTL{q}"] = 0xC028 + b
        regs[f"TDLEN{q}"] = 0xE008 + b
        regs[f"TXDCTL{q}"] = 0xE028 + b
        regs[f"TDWBAL{q}"] = 0xE038 + b
    for n in range(24):
        regs[f"RAL{n}"] = 0x5400 + 8 * n if n < 16 else 0x54E0 + 8 * (n - 16)
        regs[f"RAH{n}"] = regs[f"RAL{n}"] + 4
    for k in sorted(regs, key=lambda k: regs[k]):
        print(f"{k:12s} {regs[k]:05x} {rd(regs[k]):08x}")
    for name, base in (("MTA", 0x5200), ("UTA", 0xA000), ("VFTA", 0x5600)):
        words = [rd(base + 4 * i) for i in range(128)]
        print(f"{name}_nonzero {sum(1 for w in words if w)}")
    for i in range(32):
        print(f"VLVF{i:<8d} {0x5D00 + 4 * i:05x} {rd(0x5D00 + 4 * i):08x}")


if __name__ == "__main__":
    main()
