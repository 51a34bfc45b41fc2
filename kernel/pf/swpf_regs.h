/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel 82576 PF register map (BAR0).  All registers are 32 bit wide and
 * must be accessed with 32-bit MMIO.  Offsets and fields follow the 82576
 * datasheet naming; what QEMU's igb model implements is noted where it
 * matters for the driver.
 */
#ifndef _SWPF_REGS_H_
#define _SWPF_REGS_H_

#include <linux/bits.h>
#include <linux/bitfield.h>
#include <linux/types.h>

/* ---- START general control ---- */
#define SWPF_CTRL			0x00000
#define  SWPF_CTRL_FD			BIT(0)
#define  SWPF_CTRL_GIO_MASTER_DISABLE	BIT(2)
#define  SWPF_CTRL_LRST			BIT(3)
#define  SWPF_CTRL_ASDE			BIT(5)
#define  SWPF_CTRL_SLU			BIT(6)
#define  SWPF_CTRL_SPD_SEL		GENMASK(9, 8)
#define  SWPF_CTRL_FRCSPD		BIT(11)
#define  SWPF_CTRL_FRCDPX		BIT(12)
#define  SWPF_CTRL_RST			BIT(26)
#define  SWPF_CTRL_RFCE			BIT(27)
#define  SWPF_CTRL_TFCE			BIT(28)
#define  SWPF_CTRL_VME			BIT(30)
#define  SWPF_CTRL_PHY_RST		BIT(31)

#define SWPF_STATUS			0x00008
#define  SWPF_STATUS_FD			BIT(0)
#define  SWPF_STATUS_LU			BIT(1)
#define  SWPF_STATUS_SPEED		GENMASK(7, 6)
#define  SWPF_STATUS_PHYRA		BIT(10)
#define  SWPF_STATUS_GIO_MASTER_ENABLE	BIT(19)

/* Speed encodings shared by STATUS.SPEED and CTRL.SPD_SEL */
#define SWPF_SPEED_10			0
#define SWPF_SPEED_100			1
#define SWPF_SPEED_1000			2

#define SWPF_EECD			0x00010
#define  SWPF_EECD_PRES			BIT(8)
#define  SWPF_EECD_AUTO_RD		BIT(9)

#define SWPF_EERD			0x00014
#define  SWPF_EERD_START		BIT(0)
#define  SWPF_EERD_DONE			BIT(1)
#define  SWPF_EERD_ADDR			GENMASK(15, 2)
#define  SWPF_EERD_DATA			GENMASK(31, 16)

#define SWPF_CTRL_EXT			0x00018
#define  SWPF_CTRL_EXT_PFRSTD		BIT(14)
#define  SWPF_CTRL_EXT_DRV_LOAD		BIT(28)

#define SWPF_MDIC			0x00020
#define  SWPF_MDIC_DATA			GENMASK(15, 0)
#define  SWPF_MDIC_REG			GENMASK(20, 16)
#define  SWPF_MDIC_PHYADD		GENMASK(25, 21)
#define  SWPF_MDIC_OP_WRITE		BIT(26)
#define  SWPF_MDIC_OP_READ		BIT(27)
#define  SWPF_MDIC_READY		BIT(28)
#define  SWPF_MDIC_ERROR		BIT(30)

#define SWPF_VET			0x00038
/* ---- END general control ---- */

/* ---- START legacy interrupt causes ---- */
#define SWPF_ICR			0x000C0
#define SWPF_ICS			0x000C8
#define SWPF_IMS			0x000D0
#define SWPF_IMC			0x000D8
#define SWPF_IAM			0x000E0
#define  SWPF_ICR_TXDW			BIT(0)
#define  SWPF_ICR_LSC			BIT(2)
#define  SWPF_ICR_RXDMT0		BIT(4)
#define  SWPF_ICR_RXO			BIT(6)
#define  SWPF_ICR_VMMB			BIT(8)	/* VF mailbox and VFLR */
#define  SWPF_ICR_MDAC			BIT(9)
#define  SWPF_ICR_DOUTSYNC		BIT(28)
#define  SWPF_ICR_DRSTA			BIT(30)
/* ---- END legacy interrupt causes ---- */

/* ---- START receive / transmit control ---- */
#define SWPF_RCTL			0x00100
#define  SWPF_RCTL_EN			BIT(1)
#define  SWPF_RCTL_SBP			BIT(2)
#define  SWPF_RCTL_UPE			BIT(3)
#define  SWPF_RCTL_MPE			BIT(4)
#define  SWPF_RCTL_LPE			BIT(5)
#define  SWPF_RCTL_LBM			GENMASK(7, 6)
#define   SWPF_RCTL_LBM_MAC		1
#define  SWPF_RCTL_MO			GENMASK(13, 12)
#define  SWPF_RCTL_BAM			BIT(15)
#define  SWPF_RCTL_VFE			BIT(18)
#define  SWPF_RCTL_SECRC		BIT(26)

#define SWPF_TCTL			0x00400
#define  SWPF_TCTL_EN			BIT(1)
#define  SWPF_TCTL_PSP			BIT(3)
#define  SWPF_TCTL_CT			GENMASK(11, 4)
#define  SWPF_TCTL_COLD			GENMASK(21, 12)
#define  SWPF_TCTL_RTLC			BIT(24)
#define SWPF_TIPG			0x00410

#define SWPF_RXPBS			0x02404
#define SWPF_TXPBS			0x03404
/* ---- END receive / transmit control ---- */

/* ---- START extended interrupts (MSI-X) ---- */
#define SWPF_GPIE			0x01514
#define  SWPF_GPIE_NSICR		BIT(0)
#define  SWPF_GPIE_MSIX_MODE		BIT(4)
#define  SWPF_GPIE_EIAME		BIT(30)
#define  SWPF_GPIE_PBA			BIT(31)

#define SWPF_EICS			0x01520
#define SWPF_EIMS			0x01524
#define SWPF_EIMC			0x01528
#define SWPF_EIAC			0x0152C
#define SWPF_EIAM			0x01530
#define SWPF_EICR			0x01580
#define SWPF_EITR(n)			(0x01680 + 4 * (n))
#define  SWPF_EITR_INTERVAL		GENMASK(14, 2)
#define  SWPF_EITR_CNT_IGNR		BIT(31)

/* IVAR: queue q -> register IVAR(q & 7); byte 0/1 = RX/TX of q < 8,
 * byte 2/3 = RX/TX of q >= 8.
 */
#define SWPF_IVAR(n)			(0x01700 + 4 * (n))
#define  SWPF_IVAR_VALID		BIT(7)
#define  SWPF_IVAR_VECTOR		GENMASK(4, 0)
#define SWPF_IVAR_MISC			0x01740
#define  SWPF_IVAR_MISC_OTHER		GENMASK(15, 8)

/* Interrupt vectors available to the PF: EICR bits 0..9 (QEMU: fewer with
 * VFs enabled, 24 - 3 * num_vfs is the highest one left).
 */
#define SWPF_MAX_PF_VECTORS		10
/* ---- END extended interrupts (MSI-X) ---- */

/* ---- START receive filters ---- */
#define SWPF_RXCSUM			0x05000
#define  SWPF_RXCSUM_IPOFL		BIT(8)
#define  SWPF_RXCSUM_TUOFL		BIT(9)
#define  SWPF_RXCSUM_CRCOFL		BIT(11)
#define  SWPF_RXCSUM_PCSD		BIT(13)
#define SWPF_RLPML			0x05004
#define SWPF_RFCTL			0x05008

#define SWPF_MTA(n)			(0x05200 + 4 * (n))
#define SWPF_MTA_REGS			128

/* RAL/RAH 0-15 at 0x5400, 16-23 at 0x54E0 */
static inline u32 swpf_rar_base(unsigned int n)
{
	return n < 16 ? 0x05400 + 8 * n : 0x054E0 + 8 * (n - 16);
}

#define SWPF_RAL(n)			swpf_rar_base(n)
#define SWPF_RAH(n)			(swpf_rar_base(n) + 4)
#define SWPF_RAL0			0x05400
#define SWPF_RAH0			0x05404
#define  SWPF_RAH_ADDR			GENMASK(15, 0)
#define  SWPF_RAH_POOLSEL		GENMASK(25, 18)
#define  SWPF_RAH_AV			BIT(31)
#define SWPF_RAR_ENTRIES		24

#define SWPF_VFTA(n)			(0x05600 + 4 * (n))
#define SWPF_VFTA_REGS			128

#define SWPF_MRQC			0x05818
#define  SWPF_MRQC_MODE			GENMASK(2, 0)
#define   SWPF_MRQC_MODE_NONE		0
#define   SWPF_MRQC_MODE_VMDQ		3

#define SWPF_VT_CTL			0x0581C
#define  SWPF_VT_CTL_DEFAULT_POOL	GENMASK(9, 7)
#define  SWPF_VT_CTL_DIS_DEF_POOL	BIT(29)
#define  SWPF_VT_CTL_VM_REPL_EN		BIT(30)

#define SWPF_VMOLR(n)			(0x05AD0 + 4 * (n))
#define  SWPF_VMOLR_RLPML		GENMASK(13, 0)
#define  SWPF_VMOLR_LPE			BIT(16)
#define  SWPF_VMOLR_AUPE		BIT(24)
#define  SWPF_VMOLR_ROMPE		BIT(25)
#define  SWPF_VMOLR_ROPE		BIT(26)
#define  SWPF_VMOLR_BAM			BIT(27)
#define  SWPF_VMOLR_MPME		BIT(28)
#define  SWPF_VMOLR_STRVLAN		BIT(30)
#define  SWPF_VMOLR_STRCRC		BIT(31)
#define SWPF_RPLOLR			0x05AF0
#define  SWPF_RPLOLR_STRVLAN		BIT(30)
#define  SWPF_RPLOLR_STRCRC		BIT(31)

#define SWPF_UTA(n)			(0x0A000 + 4 * (n))
/* ---- END receive filters ---- */

/* ---- START virtualization ---- */
#define SWPF_VFRE			0x00C8C
#define SWPF_VFTE			0x00C90
#define SWPF_VMVIR(n)			(0x03700 + 4 * (n))
#define SWPF_DTXSWC			0x03500
#define  SWPF_DTXSWC_VMDQ_LOOPBACK_EN	BIT(31)
#define SWPF_NUM_POOLS			8
/* the PF's pool: the last one; VFs (at most 7) own pools 0..num_vfs-1 */
#define SWPF_PF_POOL			(SWPF_NUM_POOLS - 1)
/* ---- END virtualization ---- */

/* ---- START per-queue registers (queue n = 0..15) ---- */
#define SWPF_NUM_QUEUES			16
#define SWPF_RDBAL(n)			(0x0C000 + 0x40 * (n))
#define SWPF_RDBAH(n)			(0x0C004 + 0x40 * (n))
#define SWPF_RDLEN(n)			(0x0C008 + 0x40 * (n))
#define SWPF_SRRCTL(n)			(0x0C00C + 0x40 * (n))
#define  SWPF_SRRCTL_BSIZEPKT		GENMASK(6, 0)	/* 1 KiB units */
#define  SWPF_SRRCTL_BSIZEHDR		GENMASK(11, 8)
#define  SWPF_SRRCTL_DESCTYPE		GENMASK(27, 25)
#define   SWPF_SRRCTL_DESCTYPE_ADV_ONEBUF 1
#define  SWPF_SRRCTL_DROP_EN		BIT(31)
#define SWPF_RDH(n)			(0x0C010 + 0x40 * (n))
#define SWPF_RDT(n)			(0x0C018 + 0x40 * (n))
#define SWPF_RXDCTL(n)			(0x0C028 + 0x40 * (n))
#define  SWPF_RXDCTL_PTHRESH		GENMASK(4, 0)
#define  SWPF_RXDCTL_HTHRESH		GENMASK(12, 8)
#define  SWPF_RXDCTL_WTHRESH		GENMASK(20, 16)
#define  SWPF_RXDCTL_ENABLE		BIT(25)
#define SWPF_RQDPC(n)			(0x0C030 + 0x40 * (n))

#define SWPF_TDBAL(n)			(0x0E000 + 0x40 * (n))
#define SWPF_TDBAH(n)			(0x0E004 + 0x40 * (n))
#define SWPF_TDLEN(n)			(0x0E008 + 0x40 * (n))
#define SWPF_TDH(n)			(0x0E010 + 0x40 * (n))
#define SWPF_TDT(n)			(0x0E018 + 0x40 * (n))
#define SWPF_TXDCTL(n)			(0x0E028 + 0x40 * (n))
#define  SWPF_TXDCTL_PTHRESH		GENMASK(5, 0)
#define  SWPF_TXDCTL_HTHRESH		GENMASK(13, 8)
#define  SWPF_TXDCTL_WTHRESH		GENMASK(21, 16)
#define  SWPF_TXDCTL_ENABLE		BIT(25)
#define SWPF_TDWBAL(n)			(0x0E038 + 0x40 * (n))
#define SWPF_TDWBAH(n)			(0x0E03C + 0x40 * (n))
/* ---- END per-queue registers ---- */

/* ---- START statistics (clear on read) ---- */
#define SWPF_CRCERRS			0x04000
#define SWPF_ALGNERRC			0x04004
#define SWPF_SYMERRS			0x04008
#define SWPF_RXERRC			0x0400C
#define SWPF_MPC			0x04010
#define SWPF_SCC			0x04014
#define SWPF_ECOL			0x04018
#define SWPF_MCC			0x0401C
#define SWPF_LATECOL			0x04020
#define SWPF_COLC			0x04028
#define SWPF_DC				0x04030
#define SWPF_TNCRS			0x04034
#define SWPF_SEC			0x04038
#define SWPF_CEXTERR			0x0403C
#define SWPF_RLEC			0x04040
#define SWPF_XONRXC			0x04048
#define SWPF_XONTXC			0x0404C
#define SWPF_XOFFRXC			0x04050
#define SWPF_XOFFTXC			0x04054
#define SWPF_FCRUC			0x04058
#define SWPF_PRC64			0x0405C
#define SWPF_PRC127			0x04060
#define SWPF_PRC255			0x04064
#define SWPF_PRC511			0x04068
#define SWPF_PRC1023			0x0406C
#define SWPF_PRC1522			0x04070
#define SWPF_GPRC			0x04074
#define SWPF_BPRC			0x04078
#define SWPF_MPRC			0x0407C
#define SWPF_GPTC			0x04080
#define SWPF_GORCL			0x04088
#define SWPF_GOTCL			0x04090
#define SWPF_RNBC			0x040A0
#define SWPF_RUC			0x040A4
#define SWPF_RFC			0x040A8
#define SWPF_ROC			0x040AC
#define SWPF_RJC			0x040B0
#define SWPF_TORL			0x040C0
#define SWPF_TOTL			0x040C8
#define SWPF_TPR			0x040D0
#define SWPF_TPT			0x040D4
#define SWPF_PTC64			0x040D8
#define SWPF_PTC127			0x040DC
#define SWPF_PTC255			0x040E0
#define SWPF_PTC511			0x040E4
#define SWPF_PTC1023			0x040E8
#define SWPF_PTC1522			0x040EC
#define SWPF_MPTC			0x040F0
#define SWPF_BPTC			0x040F4
#define SWPF_TSCTC			0x040F8
#define SWPF_TSCTFC			0x040FC
/* ---- END statistics ---- */

/* ---- START NVM words ---- */
#define SWPF_NVM_MAC			0x00
#define SWPF_NVM_VERSION		0x05
#define  SWPF_NVM_VERSION_MAJOR		GENMASK(15, 12)
#define  SWPF_NVM_VERSION_MINOR		GENMASK(11, 4)
#define  SWPF_NVM_VERSION_BUILD		GENMASK(3, 0)
#define SWPF_NVM_CHECKSUM_WORDS		0x40
#define SWPF_NVM_SUM			0xBABA
/* ---- END NVM words ---- */

/* ---- START PHY (MDIC, PHY address 1) ---- */
#define SWPF_PHY_ADDR			1
#define SWPF_PHY_BMCR			0x00
#define SWPF_PHY_BMSR			0x01
#define SWPF_PHY_ID1			0x02
#define SWPF_PHY_ID2			0x03
#define SWPF_PHY_ANAR			0x04
#define SWPF_PHY_ANLPAR			0x05
#define SWPF_PHY_GBCR			0x09
#define SWPF_PHY_GBSR			0x0A
/* ---- END PHY ---- */

/* ---- START SR-IOV: mailbox, VF reset, pool filters (issue 4) ---- */
/* PF side of VF n's mailbox */
#define SWPF_P2VMAILBOX(vf)		(0x00C00 + 4 * (vf))
#define  SWPF_P2VMAILBOX_STS		BIT(0)	/* PF wrote a message */
#define  SWPF_P2VMAILBOX_ACK		BIT(1)	/* PF acknowledges the VF's */
#define  SWPF_P2VMAILBOX_VFU		BIT(2)	/* VF owns the buffer (RO) */
#define  SWPF_P2VMAILBOX_PFU		BIT(3)	/* PF owns the buffer */
#define  SWPF_P2VMAILBOX_RVFU		BIT(4)	/* force-release the VF's lock */
/* VF n's own mailbox register (PF read-only view) */
#define SWPF_V2PMAILBOX(vf)		(0x00C40 + 4 * (vf))
#define SWPF_MBVFICR			0x00C80
#define  SWPF_MBVFICR_VFREQ		GENMASK(7, 0)
#define  SWPF_MBVFICR_VFACK		GENMASK(23, 16)
#define SWPF_MBVFIMR			0x00C84
#define SWPF_VFLRE			0x00C88
/* 16-word message buffer of VF n, shared by both directions */
#define SWPF_VMBMEM(vf, i)		(0x00800 + 64 * (vf) + 4 * (i))

#define SWPF_VLVF(n)			(0x05D00 + 4 * (n))
#define  SWPF_VLVF_VLANID		GENMASK(11, 0)
#define  SWPF_VLVF_POOLSEL		GENMASK(19, 12)
#define  SWPF_VLVF_VIEN			BIT(31)
#define SWPF_VLVF_ENTRIES		32

/* VMVIR(n) at 0x3700 (above): default VLAN tag and insertion action */
#define  SWPF_VMVIR_TAG			GENMASK(15, 0)
#define  SWPF_VMVIR_VLANA		GENMASK(31, 30)
#define   SWPF_VMVIR_VLANA_DESC		0	/* use the descriptor VLE */
#define   SWPF_VMVIR_VLANA_DEFAULT	1	/* always insert the tag */

/* DTXSWC (above): per-pool anti-spoof bits (not modelled by QEMU) */
#define  SWPF_DTXSWC_MAC_SPOOF		GENMASK(7, 0)
#define  SWPF_DTXSWC_VLAN_SPOOF		GENMASK(15, 8)

/* PF view of VF n's registers (mirror block) */
#define SWPF_PVTCTRL(vf)		(0x10000 + 0x100 * (vf))
#define  SWPF_PVTCTRL_RST		BIT(26)
#define SWPF_PVFGPRC(vf)		(0x10010 + 0x100 * (vf))
#define SWPF_PVFGPTC(vf)		(0x10014 + 0x100 * (vf))
#define SWPF_PVFGORC(vf)		(0x10018 + 0x100 * (vf))
#define SWPF_PVFGOTC(vf)		(0x10034 + 0x100 * (vf))
#define SWPF_PVFMPRC(vf)		(0x1003C + 0x100 * (vf))

/*
 * Per-VF transmit rate limiter (82576 only; QEMU does not model it).
 * RTTDQSEL selects the transmit queue whose rate-scheduler configuration
 * RTTBCNRC then writes; VF n transmits on queue n.  Both are write-only.
 * RTTBCNRC: RS_ENA enables the limiter; the rate factor link speed /
 * rate is RF_INT (integer part) plus RF_DEC / 2^14.  RTTBCNRM is the
 * compensation time for the largest frame (MMW_SIZE 0x14 covers 9728-byte
 * jumbo frames).
 */
#define SWPF_RTTDQSEL			0x03604
#define SWPF_RTTBCNRM			0x03690
#define  SWPF_RTTBCNRM_MMW_JUMBO	0x14
#define SWPF_RTTBCNRC			0x036B0
#define  SWPF_RTTBCNRC_RF_DEC		GENMASK(13, 0)
#define  SWPF_RTTBCNRC_RF_INT		GENMASK(27, 14)
#define  SWPF_RTTBCNRC_RF_INT_SHIFT	14
#define  SWPF_RTTBCNRC_RS_ENA		BIT(31)

/* VMOLR.RLPML limit for VF frames (Linux: 0x3F00) */
#define SWPF_VF_MAX_FRAME		0x3F00
/* ---- END SR-IOV ---- */

#endif /* _SWPF_REGS_H_ */
