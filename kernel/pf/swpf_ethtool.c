// SPDX-License-Identifier: GPL-2.0
/* sriov_pf: ethtool_ops. */
#include <linux/ethtool.h>
#include <linux/mii.h>
#include <linux/rtnetlink.h>

#include "swpf.h"

#define SWPF_NVM_DUMP_WORDS	64

enum swpf_test {
	SWPF_TEST_REG,
	SWPF_TEST_NVM,
	SWPF_TEST_IRQ,
	SWPF_TEST_LOOPBACK,
	SWPF_TEST_LINK,
	SWPF_TEST_NUM,
};

static const char swpf_test_strings[SWPF_TEST_NUM][ETH_GSTRING_LEN] = {
	[SWPF_TEST_REG]		= "Register test  (offline)",
	[SWPF_TEST_NVM]		= "Eeprom test    (offline)",
	[SWPF_TEST_IRQ]		= "Interrupt test (offline)",
	[SWPF_TEST_LOOPBACK]	= "Loopback test  (offline)",
	[SWPF_TEST_LINK]	= "Link test   (on/offline)",
};

static void swpf_get_drvinfo(struct net_device *netdev,
			     struct ethtool_drvinfo *info)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	strscpy(info->driver, SWPF_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(pf->pdev), sizeof(info->bus_info));
	swpf_hw_nvm_version_str(pf, info->fw_version, sizeof(info->fw_version));
}

/* ---- link settings ---- */

static int swpf_get_link_ksettings(struct net_device *netdev,
				   struct ethtool_link_ksettings *cmd)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	u16 bmcr = 0, anar = 0, gbcr = 0;

	static const int modes[] = {
		ETHTOOL_LINK_MODE_10baseT_Half_BIT,
		ETHTOOL_LINK_MODE_10baseT_Full_BIT,
		ETHTOOL_LINK_MODE_100baseT_Half_BIT,
		ETHTOOL_LINK_MODE_100baseT_Full_BIT,
		ETHTOOL_LINK_MODE_1000baseT_Full_BIT,
		ETHTOOL_LINK_MODE_Autoneg_BIT,
		ETHTOOL_LINK_MODE_TP_BIT,
	};
	unsigned int i;

	linkmode_zero(cmd->link_modes.supported);
	for (i = 0; i < ARRAY_SIZE(modes); i++)
		linkmode_set_bit(modes[i], cmd->link_modes.supported);

	if (swpf_hw_phy_read(pf, SWPF_PHY_BMCR, &bmcr) ||
	    swpf_hw_phy_read(pf, SWPF_PHY_ANAR, &anar) ||
	    swpf_hw_phy_read(pf, SWPF_PHY_GBCR, &gbcr))
		return -EIO;

	linkmode_zero(cmd->link_modes.advertising);
	if (bmcr & BMCR_ANENABLE) {
		mii_adv_mod_linkmode_adv_t(cmd->link_modes.advertising, anar);
		mii_ctrl1000_mod_linkmode_adv_t(cmd->link_modes.advertising,
						gbcr);
		linkmode_clear_bit(ETHTOOL_LINK_MODE_1000baseT_Half_BIT,
				   cmd->link_modes.advertising);
		linkmode_set_bit(ETHTOOL_LINK_MODE_Autoneg_BIT,
				 cmd->link_modes.advertising);
	}
	linkmode_set_bit(ETHTOOL_LINK_MODE_TP_BIT, cmd->link_modes.advertising);

	cmd->base.autoneg = (bmcr & BMCR_ANENABLE) ? AUTONEG_ENABLE :
						     AUTONEG_DISABLE;
	cmd->base.port = PORT_TP;
	cmd->base.phy_address = SWPF_PHY_ADDR;
	cmd->base.mdio_support = ETH_MDIO_SUPPORTS_C22;
	if (netif_carrier_ok(netdev)) {
		cmd->base.speed = pf->link_speed;
		cmd->base.duplex = pf->link_duplex;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static int swpf_set_link_ksettings(struct net_device *netdev,
				   const struct ethtool_link_ksettings *cmd)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	u32 ctrl, spd;
	u16 bmcr;
	int err;

	if (cmd->base.autoneg == AUTONEG_ENABLE) {
		const unsigned long *adv = cmd->link_modes.advertising;
		u16 anar, gbcr;

		if (linkmode_test_bit(ETHTOOL_LINK_MODE_1000baseT_Half_BIT, adv))
			return -EINVAL;
		err = swpf_hw_phy_read(pf, SWPF_PHY_ANAR, &anar);
		if (!err)
			err = swpf_hw_phy_read(pf, SWPF_PHY_GBCR, &gbcr);
		if (err)
			return err;
		anar &= ~(ADVERTISE_10HALF | ADVERTISE_10FULL |
			  ADVERTISE_100HALF | ADVERTISE_100FULL);
		anar |= linkmode_adv_to_mii_adv_t(adv) &
			(ADVERTISE_10HALF | ADVERTISE_10FULL |
			 ADVERTISE_100HALF | ADVERTISE_100FULL);
		gbcr &= ~(ADVERTISE_1000FULL | ADVERTISE_1000HALF);
		gbcr |= linkmode_adv_to_mii_ctrl1000_t(adv) & ADVERTISE_1000FULL;
		if (!(anar & ADVERTISE_ALL) && !(gbcr & ADVERTISE_1000FULL))
			return -EINVAL;
		err = swpf_hw_phy_write(pf, SWPF_PHY_ANAR, anar);
		if (!err)
			err = swpf_hw_phy_write(pf, SWPF_PHY_GBCR, gbcr);
		return err ? err : swpf_hw_restart_autoneg(pf);
	}

	switch (cmd->base.speed) {
	case SPEED_10:
		spd = SWPF_SPEED_10;
		break;
	case SPEED_100:
		spd = SWPF_SPEED_100;
		break;
	case SPEED_1000:
		if (cmd->base.duplex != DUPLEX_FULL)
			return -EINVAL;
		spd = SWPF_SPEED_1000;
		break;
	default:
		return -EINVAL;
	}
	if (cmd->base.duplex != DUPLEX_FULL && cmd->base.duplex != DUPLEX_HALF)
		return -EINVAL;

	err = swpf_hw_phy_read(pf, SWPF_PHY_BMCR, &bmcr);
	if (err)
		return err;
	bmcr &= ~(BMCR_ANENABLE | BMCR_SPEED100 | BMCR_SPEED1000 |
		  BMCR_FULLDPLX);
	if (spd == SWPF_SPEED_100)
		bmcr |= BMCR_SPEED100;
	else if (spd == SWPF_SPEED_1000)
		bmcr |= BMCR_SPEED1000;
	if (cmd->base.duplex == DUPLEX_FULL)
		bmcr |= BMCR_FULLDPLX;
	err = swpf_hw_phy_write(pf, SWPF_PHY_BMCR, bmcr);
	if (err)
		return err;

	ctrl = swpf_rd32(pf, SWPF_CTRL);
	ctrl &= ~(SWPF_CTRL_SPD_SEL | SWPF_CTRL_FD | SWPF_CTRL_ASDE);
	ctrl |= SWPF_CTRL_FRCSPD | SWPF_CTRL_FRCDPX |
		FIELD_PREP(SWPF_CTRL_SPD_SEL, spd);
	if (cmd->base.duplex == DUPLEX_FULL)
		ctrl |= SWPF_CTRL_FD;
	swpf_wr32(pf, SWPF_CTRL, ctrl);
	schedule_work(&pf->link_work);
	return 0;
}

static int swpf_nway_reset(struct net_device *netdev)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	return swpf_hw_restart_autoneg(pf);
}

/*
 * ethtool --reset: one global reset covers DMA, filters, offloads, MAC,
 * PHY and interrupts.  It is shared: the VFs lose their state with it
 * (swpf_reset() makes them redo their reset handshake).
 */
#define SWPF_RESET_PARTS	(ETH_RESET_DMA | ETH_RESET_FILTER | \
				 ETH_RESET_OFFLOAD | ETH_RESET_MAC | \
				 ETH_RESET_PHY | ETH_RESET_IRQ)
#define SWPF_RESET_COVERED	(SWPF_RESET_PARTS | \
				 SWPF_RESET_PARTS << ETH_RESET_SHARED_SHIFT)

static int swpf_reset_op(struct net_device *netdev, u32 *flags)
{
	int err;

	if (!(*flags & SWPF_RESET_COVERED))
		return -EOPNOTSUPP;
	err = swpf_reset(netdev_priv(netdev));
	if (!err)
		*flags &= ~SWPF_RESET_COVERED;
	return err;
}

/* ---- rings, channels, coalescing ---- */

static void swpf_get_ringparam(struct net_device *netdev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	ring->rx_max_pending = SWPF_MAX_DESC;
	ring->tx_max_pending = SWPF_MAX_DESC;
	ring->rx_pending = pf->rx_ring_count;
	ring->tx_pending = pf->tx_ring_count;
}

static int swpf_set_ringparam(struct net_device *netdev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	u16 rx, tx;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	rx = ALIGN(clamp_t(u32, ring->rx_pending, SWPF_MIN_DESC, SWPF_MAX_DESC),
		   SWPF_DESC_ALIGN);
	tx = ALIGN(clamp_t(u32, ring->tx_pending, SWPF_MIN_DESC, SWPF_MAX_DESC),
		   SWPF_DESC_ALIGN);
	if (rx == pf->rx_ring_count && tx == pf->tx_ring_count)
		return 0;

	if (!netif_running(netdev)) {
		pf->rx_ring_count = rx;
		pf->tx_ring_count = tx;
		return 0;
	}
	swpf_down(pf);
	pf->rx_ring_count = rx;
	pf->tx_ring_count = tx;
	return swpf_up(pf);
}

static void swpf_get_channels(struct net_device *netdev,
			      struct ethtool_channels *ch)
{
	ch->max_combined = SWPF_NUM_QUEUE_PAIRS;
	ch->combined_count = SWPF_NUM_QUEUE_PAIRS;
	ch->max_other = 1;
	ch->other_count = 1;
}

static int swpf_get_coalesce(struct net_device *netdev,
			     struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	ec->rx_coalesce_usecs = pf->eitr;
	return 0;
}

static int swpf_set_coalesce(struct net_device *netdev,
			     struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	if (ec->rx_coalesce_usecs > FIELD_MAX(SWPF_EITR_INTERVAL)) {
		NL_SET_ERR_MSG_MOD(extack, "rx-usecs out of range");
		return -EINVAL;
	}
	pf->eitr = ec->rx_coalesce_usecs;
	if (netif_running(netdev) && !test_bit(SWPF_STATE_DOWN, pf->state))
		swpf_irq_write_itr(pf);
	return 0;
}

/* ---- register dump and NVM ---- */

static int swpf_get_regs_len(struct net_device *netdev)
{
	return swpf_hw_regs_len();
}

static void swpf_get_regs(struct net_device *netdev, struct ethtool_regs *regs,
			  void *p)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	regs->version = (1U << 24) | (pf->pdev->revision << 16) |
			pf->pdev->device;
	swpf_hw_get_regs(pf, p);
}

static int swpf_get_eeprom_len(struct net_device *netdev)
{
	return SWPF_NVM_DUMP_WORDS * 2;
}

static int swpf_get_eeprom(struct net_device *netdev,
			   struct ethtool_eeprom *ee, u8 *bytes)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	u32 first = ee->offset / 2, last = (ee->offset + ee->len - 1) / 2;
	u32 w;
	int err;

	if (!ee->len)
		return -EINVAL;
	ee->magic = pf->pdev->vendor | (pf->pdev->device << 16);
	for (w = first; w <= last; w++) {
		u16 word;
		u8 le[2];
		u32 b;

		err = swpf_hw_read_nvm(pf, w, &word);
		if (err)
			return err;
		le[0] = word & 0xff;
		le[1] = word >> 8;
		for (b = 0; b < 2; b++) {
			u32 off = w * 2 + b;

			if (off >= ee->offset && off < ee->offset + ee->len)
				bytes[off - ee->offset] = le[b];
		}
	}
	return 0;
}

/* ---- statistics ---- */

static int swpf_get_sset_count(struct net_device *netdev, int sset)
{
	switch (sset) {
	case ETH_SS_STATS:
		return swpf_stats_count();
	case ETH_SS_TEST:
		return SWPF_TEST_NUM;
	default:
		return -EOPNOTSUPP;
	}
}

static void swpf_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	switch (sset) {
	case ETH_SS_STATS:
		swpf_stats_strings(data);
		break;
	case ETH_SS_TEST:
		memcpy(data, swpf_test_strings, sizeof(swpf_test_strings));
		break;
	}
}

static void swpf_get_ethtool_stats(struct net_device *netdev,
				   struct ethtool_stats *stats, u64 *data)
{
	swpf_stats_fill(netdev_priv(netdev), data);
}

/* ---- self-test ---- */

/* link up within 5 s (covers a just restarted autonegotiation) */
static int swpf_link_test(struct swpf_dev *pf, u64 *data)
{
	u32 speed;
	u8 duplex;
	int i;

	for (i = 0; i < 50; i++) {
		if (swpf_hw_link_status(pf, &speed, &duplex)) {
			*data = 0;
			return 0;
		}
		msleep(100);
	}
	*data = 1;
	return -ENOLINK;
}

static void swpf_self_test(struct net_device *netdev,
			   struct ethtool_test *test, u64 *data)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	bool running = netif_running(netdev);
	int i;

	memset(data, 0, SWPF_TEST_NUM * sizeof(*data));
	if (swpf_removed(pf)) {
		for (i = 0; i < SWPF_TEST_NUM; i++)
			data[i] = 1;
		test->flags |= ETH_TEST_FL_FAILED;
		return;
	}

	swpf_link_test(pf, &data[SWPF_TEST_LINK]);
	if (test->flags & ETH_TEST_FL_OFFLINE) {
		set_bit(SWPF_STATE_TESTING, pf->state);
		if (running)
			swpf_down(pf);
		swpf_hw_reg_test(pf, &data[SWPF_TEST_REG]);
		swpf_hw_nvm_test(pf, &data[SWPF_TEST_NVM]);
		swpf_irq_test(pf, &data[SWPF_TEST_IRQ]);
		swpf_loopback_test(pf, &data[SWPF_TEST_LOOPBACK]);
		if (running && swpf_up(pf))
			netdev_err(netdev, "restart after self-test failed\n");
		clear_bit(SWPF_STATE_TESTING, pf->state);
	}

	for (i = 0; i < SWPF_TEST_NUM; i++)
		if (data[i])
			test->flags |= ETH_TEST_FL_FAILED;
}

static const struct ethtool_ops swpf_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS,
	.get_drvinfo		= swpf_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= swpf_get_link_ksettings,
	.set_link_ksettings	= swpf_set_link_ksettings,
	.nway_reset		= swpf_nway_reset,
	.reset			= swpf_reset_op,
	.get_ringparam		= swpf_get_ringparam,
	.set_ringparam		= swpf_set_ringparam,
	.get_channels		= swpf_get_channels,
	.get_coalesce		= swpf_get_coalesce,
	.set_coalesce		= swpf_set_coalesce,
	.get_regs_len		= swpf_get_regs_len,
	.get_regs		= swpf_get_regs,
	.get_eeprom_len		= swpf_get_eeprom_len,
	.get_eeprom		= swpf_get_eeprom,
	.get_sset_count		= swpf_get_sset_count,
	.get_strings		= swpf_get_strings,
	.get_ethtool_stats	= swpf_get_ethtool_stats,
	.self_test		= swpf_self_test,
	.get_ts_info		= ethtool_op_get_ts_info,
};

void swpf_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &swpf_ethtool_ops;
}
