// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: hardware access - surprise-removal-aware reads, reset, NVM,
 * PHY/link through MDIC, receive address filters, register dump and the
 * register/NVM self-tests.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/iopoll.h>
#include <linux/mii.h>

#include "swpf.h"

/*
 * A read returned all ones.  Registers can legitimately hold ~0 (e.g. a
 * counter or RAL), so confirm with STATUS, which never reads all ones on a
 * present device.  Once the device is gone, stop touching it.
 */
u32 swpf_rd32_slow(struct swpf_dev *pf, u32 reg, u32 val)
{
	u8 __iomem *hw = READ_ONCE(pf->hw_addr);

	if (!hw)
		return ~0U;
	if (reg != SWPF_STATUS && readl(hw + SWPF_STATUS) != ~0U)
		return val;
	if (!test_and_set_bit(SWPF_STATE_REMOVED, pf->state)) {
		WRITE_ONCE(pf->hw_addr, NULL);
		if (pf->netdev)
			netif_device_detach(pf->netdev);
		dev_err(&pf->pdev->dev, "device removed (register reads all ones)\n");
	}
	return ~0U;
}

/* ---- reset ---- */

int swpf_hw_reset(struct swpf_dev *pf)
{
	u32 val;
	int err;

	/* stop DMA mastering and quiesce before the global reset */
	swpf_rmw32(pf, SWPF_CTRL, 0, SWPF_CTRL_GIO_MASTER_DISABLE);
	err = read_poll_timeout(swpf_rd32, val,
				!(val & SWPF_STATUS_GIO_MASTER_ENABLE) ||
				val == ~0U, 100, 10000, false, pf, SWPF_STATUS);
	if (err)
		dev_dbg(&pf->pdev->dev, "GIO master disable timed out\n");

	swpf_wr32(pf, SWPF_IMC, ~0U);
	swpf_wr32(pf, SWPF_EIMC, ~0U);
	swpf_wr32(pf, SWPF_RCTL, 0);
	swpf_wr32(pf, SWPF_TCTL, SWPF_TCTL_PSP);
	swpf_wrfl(pf);
	usleep_range(10000, 11000);

	swpf_wr32(pf, SWPF_CTRL, swpf_rd32(pf, SWPF_CTRL) | SWPF_CTRL_RST);
	usleep_range(1000, 2000);

	/*
	 * Silicon sets EECD.AUTO_RD when the NVM has been reloaded; QEMU never
	 * does (its reset is synchronous).  Wait a bounded time, do not fail.
	 */
	err = read_poll_timeout(swpf_rd32, val,
				(val & SWPF_EECD_AUTO_RD) || val == ~0U,
				1000, 10000, false, pf, SWPF_EECD);
	if (err)
		dev_dbg(&pf->pdev->dev, "EECD.AUTO_RD not set after reset\n");

	swpf_wr32(pf, SWPF_IMC, ~0U);
	swpf_wr32(pf, SWPF_EIMC, ~0U);
	swpf_rd32(pf, SWPF_ICR);

	if (swpf_removed(pf))
		return -ENODEV;

	/* the transmit rate limiters are off after a reset */
	memset(pf->rttbcnrc, 0, sizeof(pf->rttbcnrc));
	pf->rttbcnrm = 0;

	/* queue 0 is enabled at reset; it belongs to VF0 once VFs exist */
	swpf_wr32(pf, SWPF_TXDCTL(0), 0);
	swpf_wr32(pf, SWPF_RXDCTL(0), 0);

	swpf_rmw32(pf, SWPF_CTRL_EXT, 0, SWPF_CTRL_EXT_DRV_LOAD);
	/* no forced speed/duplex; link follows autonegotiation */
	swpf_rmw32(pf, SWPF_CTRL, SWPF_CTRL_FRCSPD | SWPF_CTRL_FRCDPX,
		   SWPF_CTRL_SLU);
	return 0;
}

/* ---- NVM ---- */

int swpf_hw_read_nvm(struct swpf_dev *pf, u16 word, u16 *data)
{
	u32 val;
	int err;

	swpf_wr32(pf, SWPF_EERD, FIELD_PREP(SWPF_EERD_ADDR, word) |
		  SWPF_EERD_START);
	err = read_poll_timeout_atomic(swpf_rd32, val,
				       (val & SWPF_EERD_DONE) || val == ~0U,
				       5, 50000, false, pf, SWPF_EERD);
	if (err || val == ~0U)
		return err ? err : -ENODEV;
	*data = FIELD_GET(SWPF_EERD_DATA, val);
	return 0;
}

/* sum of words 0x00..0x3F must be 0xBABA */
int swpf_hw_validate_nvm(struct swpf_dev *pf)
{
	u16 sum = 0, word;
	int i, err;

	for (i = 0; i < SWPF_NVM_CHECKSUM_WORDS; i++) {
		err = swpf_hw_read_nvm(pf, i, &word);
		if (err)
			return err;
		sum += word;
	}
	return sum == SWPF_NVM_SUM ? 0 : -EIO;
}

/*
 * The NVM image version word as "major.minor-build": the probe message,
 * ethtool -i and devlink dev info all show it this way.
 */
void swpf_hw_nvm_version_str(const struct swpf_dev *pf, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u-%u",
		 (u32)FIELD_GET(SWPF_NVM_VERSION_MAJOR, pf->nvm_version),
		 (u32)FIELD_GET(SWPF_NVM_VERSION_MINOR, pf->nvm_version),
		 (u32)FIELD_GET(SWPF_NVM_VERSION_BUILD, pf->nvm_version));
}

/* MAC from NVM words 0-2; fall back to RAR0, which the reset loads */
int swpf_hw_read_mac(struct swpf_dev *pf, u8 *mac)
{
	u32 ral, rah;
	u16 word;
	int i, err;

	for (i = 0; i < ETH_ALEN / 2; i++) {
		err = swpf_hw_read_nvm(pf, SWPF_NVM_MAC + i, &word);
		if (err)
			break;
		mac[2 * i] = word & 0xff;
		mac[2 * i + 1] = word >> 8;
	}
	if (!err && is_valid_ether_addr(mac))
		return 0;

	ral = swpf_rd32(pf, SWPF_RAL(0));
	rah = swpf_rd32(pf, SWPF_RAH(0));
	if (swpf_removed(pf))
		return -ENODEV;
	for (i = 0; i < 4; i++)
		mac[i] = ral >> (8 * i);
	mac[4] = rah;
	mac[5] = rah >> 8;
	return is_valid_ether_addr(mac) ? 0 : -EADDRNOTAVAIL;
}

/* ---- PHY through MDIC ---- */

static int swpf_mdic(struct swpf_dev *pf, u32 cmd, u16 *data)
{
	u32 val;
	int err;

	swpf_wr32(pf, SWPF_MDIC, cmd);
	err = read_poll_timeout_atomic(swpf_rd32, val,
				       (val & SWPF_MDIC_READY) || val == ~0U,
				       10, 20000, false, pf, SWPF_MDIC);
	if (err)
		return err;
	if (val == ~0U)
		return -ENODEV;
	if (val & SWPF_MDIC_ERROR)
		return -EIO;
	if (data)
		*data = FIELD_GET(SWPF_MDIC_DATA, val);
	return 0;
}

int swpf_hw_phy_read(struct swpf_dev *pf, u32 reg, u16 *data)
{
	return swpf_mdic(pf, FIELD_PREP(SWPF_MDIC_REG, reg) |
			 FIELD_PREP(SWPF_MDIC_PHYADD, SWPF_PHY_ADDR) |
			 SWPF_MDIC_OP_READ, data);
}

int swpf_hw_phy_write(struct swpf_dev *pf, u32 reg, u16 data)
{
	return swpf_mdic(pf, FIELD_PREP(SWPF_MDIC_DATA, data) |
			 FIELD_PREP(SWPF_MDIC_REG, reg) |
			 FIELD_PREP(SWPF_MDIC_PHYADD, SWPF_PHY_ADDR) |
			 SWPF_MDIC_OP_WRITE, NULL);
}

/*
 * Restart autonegotiation.  This is what brings the link up in QEMU: the
 * link is reported (STATUS.LU + ICR.LSC) ~500 ms after this write; CTRL.SLU
 * alone does nothing there.
 */
int swpf_hw_restart_autoneg(struct swpf_dev *pf)
{
	u16 bmcr;
	int err;

	swpf_rmw32(pf, SWPF_CTRL, SWPF_CTRL_FRCSPD | SWPF_CTRL_FRCDPX, 0);
	err = swpf_hw_phy_read(pf, SWPF_PHY_BMCR, &bmcr);
	if (err)
		return err;
	bmcr &= ~(BMCR_ISOLATE | BMCR_PDOWN | BMCR_LOOPBACK);
	bmcr |= BMCR_ANENABLE | BMCR_ANRESTART;
	return swpf_hw_phy_write(pf, SWPF_PHY_BMCR, bmcr);
}

bool swpf_hw_link_status(struct swpf_dev *pf, u32 *speed, u8 *duplex)
{
	u32 status = swpf_rd32(pf, SWPF_STATUS);

	if (status == ~0U || !(status & SWPF_STATUS_LU)) {
		*speed = SPEED_UNKNOWN;
		*duplex = DUPLEX_UNKNOWN;
		return false;
	}
	switch (FIELD_GET(SWPF_STATUS_SPEED, status)) {
	case SWPF_SPEED_10:
		*speed = SPEED_10;
		break;
	case SWPF_SPEED_100:
		*speed = SPEED_100;
		break;
	default:
		*speed = SPEED_1000;
		break;
	}
	*duplex = (status & SWPF_STATUS_FD) ? DUPLEX_FULL : DUPLEX_HALF;
	return true;
}

/* ---- receive filters ---- */

void swpf_hw_set_rar(struct swpf_dev *pf, unsigned int idx, const u8 *addr,
		     u8 pool)
{
	u32 ral = addr[0] | addr[1] << 8 | addr[2] << 16 | (u32)addr[3] << 24;
	u32 rah = addr[4] | addr[5] << 8;

	rah |= FIELD_PREP(SWPF_RAH_POOLSEL, BIT(pool)) | SWPF_RAH_AV;
	/* clear AV first so a half-written entry never matches */
	swpf_wr32(pf, SWPF_RAH(idx), 0);
	swpf_wr32(pf, SWPF_RAL(idx), ral);
	swpf_wr32(pf, SWPF_RAH(idx), rah);
}

void swpf_hw_clear_rar(struct swpf_dev *pf, unsigned int idx)
{
	swpf_wr32(pf, SWPF_RAH(idx), 0);
	swpf_wr32(pf, SWPF_RAL(idx), 0);
}

/* 12-bit multicast hash for RCTL.MO = 0: DA bits 47:36 */
u32 swpf_hw_mta_hash(const u8 *addr)
{
	return ((addr[4] >> 4) | ((u16)addr[5] << 4)) & 0xfff;
}

/*
 * Write the MTA from the PF's shadow.  SR-IOV adds the VF hashes here
 * (the MTA is shared by all pools; acceptance is per pool via VMOLR.ROMPE).
 */
void swpf_hw_write_mta(struct swpf_dev *pf, bool all_multi)
{
	int i;

	for (i = 0; i < SWPF_MTA_REGS; i++)
		swpf_wr32(pf, SWPF_MTA(i), all_multi ? ~0U :
			  pf->mta_shadow[i] | swpf_sriov_vf_mta(pf, i));
}

/*
 * Filter state after reset: VMDq mode with the PF on pf_pool, no MTA/UTA
 * entries, the permanent/current MAC in RAR0, the VLAN filters the driver
 * knows of (swpf_vlan.c).
 */
void swpf_hw_init_filters(struct swpf_dev *pf)
{
	int i;

	for (i = 0; i < SWPF_MTA_REGS; i++)
		swpf_wr32(pf, SWPF_MTA(i), 0);
	for (i = 0; i < SWPF_MTA_REGS; i++)
		swpf_wr32(pf, SWPF_UTA(i), 0);
	for (i = 1; i < SWPF_RAR_ENTRIES; i++)
		swpf_hw_clear_rar(pf, i);
	/* standard 802.1Q ethertype only */
	swpf_wr32(pf, SWPF_VET, ETH_P_8021Q);
	swpf_wr32(pf, SWPF_MRQC, FIELD_PREP(SWPF_MRQC_MODE,
					    SWPF_MRQC_MODE_VMDQ));
	/* VLAN filters (VLVF/VFTA) from the driver's table */
	swpf_vlan_write_all(pf);
}

/* global receive/transmit enable (shared by all pools) */
void swpf_hw_set_rx_enable(struct swpf_dev *pf, bool enable)
{
	if (enable) {
		swpf_rmw32_locked(pf, SWPF_RCTL, SWPF_RCTL_LBM, SWPF_RCTL_EN);
		swpf_wr32(pf, SWPF_TCTL, SWPF_TCTL_EN | SWPF_TCTL_PSP |
			  SWPF_TCTL_RTLC | FIELD_PREP(SWPF_TCTL_CT, 0xf) |
			  FIELD_PREP(SWPF_TCTL_COLD, 0x40));
	} else {
		swpf_rmw32_locked(pf, SWPF_RCTL, SWPF_RCTL_EN, 0);
		swpf_rmw32(pf, SWPF_TCTL, SWPF_TCTL_EN, 0);
	}
}

/* ---- ethtool register dump ---- */

static const u32 swpf_dump_regs[] = {
	SWPF_CTRL, SWPF_STATUS, SWPF_EECD, SWPF_CTRL_EXT, SWPF_MDIC, SWPF_VET,
	SWPF_IMS, SWPF_IAM, SWPF_RCTL, SWPF_TCTL, SWPF_TIPG, SWPF_RXPBS,
	SWPF_TXPBS, SWPF_GPIE, SWPF_EIMS, SWPF_EIAC, SWPF_EIAM,
	SWPF_IVAR(0), SWPF_IVAR(1), SWPF_IVAR(2), SWPF_IVAR(3), SWPF_IVAR(4),
	SWPF_IVAR(5), SWPF_IVAR(6), SWPF_IVAR(7), SWPF_IVAR_MISC,
	SWPF_EITR(0), SWPF_EITR(1), SWPF_EITR(2), SWPF_EITR(3),
	SWPF_RXCSUM, SWPF_RLPML, SWPF_RFCTL, SWPF_MRQC, SWPF_VT_CTL,
	SWPF_VFRE, SWPF_VFTE, SWPF_DTXSWC, SWPF_RPLOLR,
	SWPF_VMOLR(0), SWPF_VMOLR(1), SWPF_VMOLR(2), SWPF_VMOLR(3),
	SWPF_VMOLR(4), SWPF_VMOLR(5), SWPF_VMOLR(6), SWPF_VMOLR(7),
	SWPF_RAL0, SWPF_RAH0,
};

/* per-queue registers dumped for each of the 16 queues */
static const u32 swpf_dump_qregs[] = {
	SWPF_RDBAL(0), SWPF_RDBAH(0), SWPF_RDLEN(0), SWPF_SRRCTL(0),
	SWPF_RDH(0), SWPF_RDT(0), SWPF_RXDCTL(0),
	SWPF_TDBAL(0), SWPF_TDBAH(0), SWPF_TDLEN(0), SWPF_TDH(0),
	SWPF_TDT(0), SWPF_TXDCTL(0),
};

/*
 * After the registers above: the transmit rate limiter, which is
 * write-only (RTTDQSEL/RTTBCNRC/RTTBCNRM cannot be read back): the last
 * value the driver wrote to RTTBCNRC for queues 0..7 (VF n: queue n), then
 * RTTBCNRM.
 */
#define SWPF_DUMP_RATE_WORDS	(SWPF_NUM_POOLS + 1)

int swpf_hw_regs_len(void)
{
	return (ARRAY_SIZE(swpf_dump_regs) +
		SWPF_NUM_QUEUES * ARRAY_SIZE(swpf_dump_qregs) +
		SWPF_DUMP_RATE_WORDS) * sizeof(u32);
}

void swpf_hw_get_regs(struct swpf_dev *pf, u32 *buf)
{
	unsigned int i, q, n = 0;

	for (i = 0; i < ARRAY_SIZE(swpf_dump_regs); i++)
		buf[n++] = swpf_rd32(pf, swpf_dump_regs[i]);
	for (q = 0; q < SWPF_NUM_QUEUES; q++)
		for (i = 0; i < ARRAY_SIZE(swpf_dump_qregs); i++)
			buf[n++] = swpf_rd32(pf, swpf_dump_qregs[i] + 0x40 * q);
	for (q = 0; q < SWPF_NUM_POOLS; q++)
		buf[n++] = READ_ONCE(pf->rttbcnrc[q]);
	buf[n++] = READ_ONCE(pf->rttbcnrm);
}

/* ---- self-tests (device closed, called under rtnl) ---- */

struct swpf_reg_test {
	u32 reg;
	u32 mask;	/* bits that must read back what was written */
};

static int swpf_reg_pattern(struct swpf_dev *pf, const struct swpf_reg_test *t)
{
	static const u32 patterns[] = {
		0x5A5A5A5A, 0xA5A5A5A5, 0x00000000, 0xFFFFFFFF
	};
	u32 saved = swpf_rd32(pf, t->reg);
	unsigned int i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(patterns); i++) {
		u32 val;

		swpf_wr32(pf, t->reg, patterns[i] & t->mask);
		val = swpf_rd32(pf, t->reg);
		if ((val & t->mask) != (patterns[i] & t->mask)) {
			dev_err(&pf->pdev->dev,
				"register test: reg 0x%05x wrote 0x%08x read 0x%08x\n",
				t->reg, patterns[i] & t->mask, val);
			err = -EIO;
			break;
		}
	}
	swpf_wr32(pf, t->reg, saved);
	return err;
}

int swpf_hw_reg_test(struct swpf_dev *pf, u64 *data)
{
	u8 q = pf->pf_pool;
	const struct swpf_reg_test tests[] = {
		{ SWPF_RDBAL(q), 0xFFFFFF80 },
		{ SWPF_RDBAH(q), 0xFFFFFFFF },
		{ SWPF_RDLEN(q), 0x000FFF80 },
		{ SWPF_TDBAL(q), 0xFFFFFF80 },
		{ SWPF_TDBAH(q), 0xFFFFFFFF },
		{ SWPF_TDLEN(q), 0x000FFF80 },
		{ SWPF_RAL(SWPF_PF_RAR_LAST), 0xFFFFFFFF },
		{ SWPF_RAH(SWPF_PF_RAR_LAST), 0x0000FFFF },
		{ SWPF_EITR(SWPF_OTHER_VECTOR), 0x00007FFC },
	};
	unsigned int i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(tests) && !err; i++)
		err = swpf_reg_pattern(pf, &tests[i]);
	/* STATUS is read-only: a write must not change the link bits */
	if (!err) {
		u32 before = swpf_rd32(pf, SWPF_STATUS);

		swpf_wr32(pf, SWPF_STATUS, before ^ SWPF_STATUS_LU);
		if ((swpf_rd32(pf, SWPF_STATUS) ^ before) & SWPF_STATUS_LU)
			err = -EIO;
	}
	if (swpf_removed(pf))
		err = -ENODEV;
	*data = err ? 1 : 0;
	return err;
}

int swpf_hw_nvm_test(struct swpf_dev *pf, u64 *data)
{
	int err = swpf_hw_validate_nvm(pf);

	*data = err ? 1 : 0;
	return err;
}
