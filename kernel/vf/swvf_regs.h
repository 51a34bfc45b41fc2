/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Register map of the Intel 82576 virtual function (VF BAR0, 16 KiB), as
 * seen from inside the VF.  The VF owns two queue pairs, visible only at
 * the 82575-compatible alias offsets (queue 0 at 0x2800/0x3800).  All
 * registers are 32 bits wide.
 */
#ifndef _SWVF_REGS_H
#define _SWVF_REGS_H

#include <linux/bits.h>

/* ---- General registers: START ---- */
#define SWVF_CTRL			0x0000
#define   SWVF_CTRL_RST			BIT(26)	/* VF software reset */
#define SWVF_STATUS			0x0008	/* mirror of the PF STATUS */
#define   SWVF_STATUS_FD		BIT(0)
#define   SWVF_STATUS_LU		BIT(1)
#define   SWVF_STATUS_SPEED		GENMASK(7, 6)
#define   SWVF_STATUS_SPEED_10		0
#define   SWVF_STATUS_SPEED_100		1
#define   SWVF_STATUS_SPEED_1000	2
/* ---- General registers: END ---- */

/* ---- Interrupt registers: START ---- */
#define SWVF_EICS			0x1520
#define SWVF_EIMS			0x1524
#define SWVF_EIMC			0x1528
#define SWVF_EIAC			0x152c
#define SWVF_EICR			0x1580
#define SWVF_EITR(v)			(0x1680 + 4 * (v))
#define   SWVF_EITR_INTERVAL		GENMASK(14, 2)
#define   SWVF_EITR_CNT_IGNR		BIT(31)
#define SWVF_IVAR0			0x1700
#define   SWVF_IVAR_RX0			GENMASK(7, 0)
#define   SWVF_IVAR_TX0			GENMASK(15, 8)
#define SWVF_IVAR_MISC			0x1740
#define   SWVF_IVAR_MISC_MBX		GENMASK(7, 0)
#define   SWVF_IVAR_VALID		BIT(7)
#define SWVF_PBACL			0x0f04
/* ---- Interrupt registers: END ---- */

/* ---- Mailbox: START ---- */
#define SWVF_V2PMAILBOX			0x0c40
#define   SWVF_V2P_REQ			BIT(0)	/* W: VF posts a message */
#define   SWVF_V2P_ACK			BIT(1)	/* W: VF acks a PF message */
#define   SWVF_V2P_VFU			BIT(2)	/* VF owns the buffer */
#define   SWVF_V2P_PFU			BIT(3)	/* PF owns the buffer */
#define   SWVF_V2P_PFSTS		BIT(4)	/* PF wrote a message, R2C */
#define   SWVF_V2P_PFACK		BIT(5)	/* PF acked our message, R2C */
#define   SWVF_V2P_RSTI			BIT(6)	/* PF reset in progress */
#define   SWVF_V2P_RSTD			BIT(7)	/* PF reset done, R2C */
#define   SWVF_V2P_R2C_BITS		(SWVF_V2P_PFSTS | SWVF_V2P_PFACK | \
					 SWVF_V2P_RSTD)
#define SWVF_VMBMEM(i)			(0x0800 + 4 * (i))
/* ---- Mailbox: END ---- */

/* ---- Per-pool statistics (32-bit, wrapping): START ---- */
#define SWVF_VFGPRC			0x0f10
#define SWVF_VFGPTC			0x0f14
#define SWVF_VFGORC			0x0f18
#define SWVF_VFGOTC			0x0f34
#define SWVF_VFMPRC			0x0f3c
/* ---- Per-pool statistics: END ---- */

/* ---- RX queue n (n = 0, 1): START ---- */
#define SWVF_RDBAL(n)			(0x2800 + 0x100 * (n))
#define SWVF_RDBAH(n)			(0x2804 + 0x100 * (n))
#define SWVF_RDLEN(n)			(0x2808 + 0x100 * (n))
#define SWVF_SRRCTL(n)			(0x280c + 0x100 * (n))
#define   SWVF_SRRCTL_BSIZEPKT		GENMASK(6, 0)	/* 1 KiB units */
#define   SWVF_SRRCTL_BSIZEHDR		GENMASK(13, 8)	/* 64 B units */
#define   SWVF_SRRCTL_DESCTYPE		GENMASK(27, 25)
#define   SWVF_SRRCTL_DESCTYPE_ADV_ONEBUF	1
#define   SWVF_SRRCTL_DROP_EN		BIT(31)
#define SWVF_RDH(n)			(0x2810 + 0x100 * (n))
#define SWVF_RDT(n)			(0x2818 + 0x100 * (n))
#define SWVF_RXDCTL(n)			(0x2828 + 0x100 * (n))
#define   SWVF_RXDCTL_PTHRESH		GENMASK(4, 0)
#define   SWVF_RXDCTL_HTHRESH		GENMASK(12, 8)
#define   SWVF_RXDCTL_WTHRESH		GENMASK(20, 16)
#define   SWVF_RXDCTL_ENABLE		BIT(25)
/* ---- RX queue: END ---- */

/* ---- TX queue n (n = 0, 1): START ---- */
#define SWVF_TDBAL(n)			(0x3800 + 0x100 * (n))
#define SWVF_TDBAH(n)			(0x3804 + 0x100 * (n))
#define SWVF_TDLEN(n)			(0x3808 + 0x100 * (n))
#define SWVF_TDH(n)			(0x3810 + 0x100 * (n))
#define SWVF_TXCTL(n)			(0x3814 + 0x100 * (n))
#define   SWVF_TXCTL_WB_RO_EN		BIT(11)
#define SWVF_TDT(n)			(0x3818 + 0x100 * (n))
#define SWVF_TXDCTL(n)			(0x3828 + 0x100 * (n))
#define   SWVF_TXDCTL_PTHRESH		GENMASK(5, 0)
#define   SWVF_TXDCTL_HTHRESH		GENMASK(13, 8)
#define   SWVF_TXDCTL_WTHRESH		GENMASK(21, 16)
#define   SWVF_TXDCTL_ENABLE		BIT(25)
#define SWVF_TDWBAL(n)			(0x3838 + 0x100 * (n))
#define SWVF_TDWBAH(n)			(0x383c + 0x100 * (n))
/* ---- TX queue: END ---- */

/* ---- Advanced RX descriptor write-back: START ---- */
/* DW2 status/error */
#define SWVF_RXD_STAT_DD		BIT(0)
#define SWVF_RXD_STAT_EOP		BIT(1)
#define SWVF_RXD_STAT_IXSM		BIT(2)
#define SWVF_RXD_STAT_VP		BIT(3)
#define SWVF_RXD_STAT_UDPCS		BIT(4)
#define SWVF_RXD_STAT_TCPCS		BIT(5)
#define SWVF_RXD_STAT_IPCS		BIT(6)
#define SWVF_RXD_ERR_TCPE		BIT(29)
#define SWVF_RXD_ERR_IPE		BIT(30)
#define SWVF_RXD_ERR_FRAME		(BIT(24) | BIT(25) | BIT(26) | \
					 BIT(28) | BIT(31))
/* DW3 */
#define SWVF_RXD_LEN			GENMASK(15, 0)
#define SWVF_RXD_VLAN			GENMASK(31, 16)
/* ---- Advanced RX descriptor: END ---- */

/* ---- Advanced TX descriptors: START ---- */
/* data descriptor cmd_type_len */
#define SWVF_TXD_DTALEN			GENMASK(15, 0)
#define SWVF_TXD_DTYP			GENMASK(23, 20)
#define   SWVF_TXD_DTYP_CTXT		0x2
#define   SWVF_TXD_DTYP_DATA		0x3
#define SWVF_TXD_CMD_EOP		BIT(24)
#define SWVF_TXD_CMD_IFCS		BIT(25)
#define SWVF_TXD_CMD_RS			BIT(27)
#define SWVF_TXD_CMD_DEXT		BIT(29)
#define SWVF_TXD_CMD_VLE		BIT(30)
#define SWVF_TXD_CMD_TSE		BIT(31)
/* data descriptor olinfo_status */
#define SWVF_TXD_STAT_DD		BIT(0)
#define SWVF_TXD_IDX			GENMASK(6, 4)
#define SWVF_TXD_POPTS_IXSM		BIT(8)
#define SWVF_TXD_POPTS_TXSM		BIT(9)
#define SWVF_TXD_PAYLEN			GENMASK(31, 14)
/* context descriptor */
#define SWVF_TXC_IPLEN			GENMASK(8, 0)
#define SWVF_TXC_MACLEN			GENMASK(15, 9)
#define SWVF_TXC_VLAN			GENMASK(31, 16)
#define SWVF_TXC_TUCMD_IPV4		BIT(10)
#define SWVF_TXC_TUCMD_L4T		GENMASK(12, 11)
#define   SWVF_TXC_L4T_UDP		0
#define   SWVF_TXC_L4T_TCP		1
#define   SWVF_TXC_L4T_SCTP		2
#define SWVF_TXC_L4LEN			GENMASK(15, 8)
#define SWVF_TXC_MSS			GENMASK(31, 16)
/* ---- Advanced TX descriptors: END ---- */

#endif /* _SWVF_REGS_H */
