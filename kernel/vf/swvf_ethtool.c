// SPDX-License-Identifier: GPL-2.0
/* sriov_vf: ethtool_ops (-i, -g/-G, -S, link settings). */
#include <linux/bitfield.h>
#include <linux/ethtool.h>

#include "swvf.h"

enum swvf_stat_src { SWVF_SRC_HW, SWVF_SRC_RX, SWVF_SRC_TX, SWVF_SRC_ADP };

struct swvf_stat_desc {
	char name[ETH_GSTRING_LEN];
	enum swvf_stat_src src;
	size_t off;		/* hw_stats index or offset in ring/adapter */
};

#define SWVF_HW(n, i)	{ n, SWVF_SRC_HW, i }
#define SWVF_RX(n, f)	{ n, SWVF_SRC_RX, offsetof(struct swvf_ring, f) }
#define SWVF_TX(n, f)	{ n, SWVF_SRC_TX, offsetof(struct swvf_ring, f) }
#define SWVF_AD(n, f)	{ n, SWVF_SRC_ADP, offsetof(struct swvf_adapter, f) }

static const struct swvf_stat_desc swvf_stats[] = {
	SWVF_HW("vf_gprc", SWVF_HW_GPRC),
	SWVF_HW("vf_gptc", SWVF_HW_GPTC),
	SWVF_HW("vf_gorc", SWVF_HW_GORC),
	SWVF_HW("vf_gotc", SWVF_HW_GOTC),
	SWVF_HW("vf_mprc", SWVF_HW_MPRC),
	SWVF_RX("rx_ring_packets", stats.packets),
	SWVF_RX("rx_ring_bytes", stats.bytes),
	SWVF_RX("rx_alloc_failed", alloc_failed),
	SWVF_RX("rx_csum_err", csum_err),
	SWVF_RX("rx_frame_err", frame_err),
	SWVF_TX("tx_ring_packets", stats.packets),
	SWVF_TX("tx_ring_bytes", stats.bytes),
	SWVF_TX("tx_restart_queue", restart_queue),
	SWVF_TX("tx_busy", tx_busy),
	SWVF_TX("tx_spoof_mac_dropped", tx_spoof_mac),
	SWVF_TX("tx_spoof_vlan_dropped", tx_spoof_vlan),
	SWVF_AD("resets", resets),
	SWVF_AD("reset_failures", reset_failures),
	SWVF_AD("mbx_timeouts", mbx_timeouts),
	SWVF_AD("irq_tx_vec0", irqs[SWVF_VEC_TX]),
	SWVF_AD("irq_rx_vec1", irqs[SWVF_VEC_RX]),
	SWVF_AD("irq_mbx_vec2", irqs[SWVF_VEC_MBX]),
	SWVF_AD("mbx_polled_events", mbx_polled_events),
};

static void swvf_get_drvinfo(struct net_device *netdev,
			     struct ethtool_drvinfo *info)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	bool ext;

	spin_lock(&adapter->id_lock);
	ext = adapter->identity.valid;
	spin_unlock(&adapter->id_lock);
	strscpy(info->driver, SWVF_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(adapter->pdev),
		sizeof(info->bus_info));
	snprintf(info->fw_version, sizeof(info->fw_version), "mbx %s",
		 ext ? "ext-v1" : "igb");
}

static void swvf_get_ringparam(struct net_device *netdev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);

	ring->rx_max_pending = SWVF_MAX_RING_SIZE;
	ring->tx_max_pending = SWVF_MAX_RING_SIZE;
	ring->rx_pending = adapter->rx_ring_count;
	ring->tx_pending = adapter->tx_ring_count;
}

static int swvf_set_ringparam(struct net_device *netdev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	u16 old_rx = adapter->rx_ring_count, old_tx = adapter->tx_ring_count;
	u16 rx, tx;
	int err;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	if (ring->rx_pending < SWVF_MIN_RING_SIZE ||
	    ring->tx_pending < SWVF_MIN_RING_SIZE) {
		NL_SET_ERR_MSG_MOD(extack, "ring size below 64");
		return -EINVAL;
	}
	rx = ALIGN(ring->rx_pending, SWVF_RING_ALIGN);
	tx = ALIGN(ring->tx_pending, SWVF_RING_ALIGN);
	if (rx == old_rx && tx == old_tx)
		return 0;
	if (!netif_running(netdev)) {
		adapter->rx_ring_count = rx;
		adapter->tx_ring_count = tx;
		return 0;
	}

	/* simple and safe: stop, reallocate, restart (or roll back) */
	swvf_down(adapter);
	swvf_free_rx_ring(adapter);
	swvf_free_tx_ring(adapter);
	adapter->rx_ring_count = rx;
	adapter->tx_ring_count = tx;
	err = swvf_setup_tx_ring(adapter);
	if (err)
		goto err_rollback;
	err = swvf_setup_rx_ring(adapter);
	if (err)
		goto err_free_tx;
	swvf_up(adapter);
	return 0;

err_free_tx:
	swvf_free_tx_ring(adapter);
err_rollback:
	adapter->rx_ring_count = old_rx;
	adapter->tx_ring_count = old_tx;
	if (!swvf_setup_tx_ring(adapter)) {
		if (!swvf_setup_rx_ring(adapter)) {
			swvf_up(adapter);
			return err;
		}
		swvf_free_tx_ring(adapter);
	}
	netdev_err(netdev, "cannot restore rings, interface stays down\n");
	return err;
}

static int swvf_get_sset_count(struct net_device *netdev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(swvf_stats) : -EOPNOTSUPP;
}

static void swvf_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(swvf_stats); i++)
		ethtool_puts(&data, swvf_stats[i].name);
}

static void swvf_get_ethtool_stats(struct net_device *netdev,
				   struct ethtool_stats *estats, u64 *data)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	unsigned long flags;
	unsigned int i;

	swvf_update_hw_stats(adapter);
	spin_lock_irqsave(&adapter->stats_lock, flags);
	for (i = 0; i < ARRAY_SIZE(swvf_stats); i++) {
		const struct swvf_stat_desc *d = &swvf_stats[i];
		const void *base;

		switch (d->src) {
		case SWVF_SRC_HW:
			data[i] = adapter->hw_stats[d->off].total;
			continue;
		case SWVF_SRC_RX:
			base = &adapter->rx_ring;
			break;
		case SWVF_SRC_TX:
			base = &adapter->tx_ring;
			break;
		default:
			base = adapter;
			break;
		}
		data[i] = *(const u64 *)(base + d->off);
	}
	spin_unlock_irqrestore(&adapter->stats_lock, flags);
}

static int swvf_get_link_ksettings(struct net_device *netdev,
				   struct ethtool_link_ksettings *cmd)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	u32 status;

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	cmd->base.port = PORT_NONE;
	cmd->base.autoneg = AUTONEG_DISABLE;
	cmd->base.speed = SPEED_UNKNOWN;
	cmd->base.duplex = DUPLEX_UNKNOWN;
	if (!netif_carrier_ok(netdev) || test_bit(SWVF_GONE, adapter->state))
		return 0;
	status = swvf_rd32(adapter, SWVF_STATUS);
	switch (FIELD_GET(SWVF_STATUS_SPEED, status)) {
	case SWVF_STATUS_SPEED_10:
		cmd->base.speed = SPEED_10;
		break;
	case SWVF_STATUS_SPEED_100:
		cmd->base.speed = SPEED_100;
		break;
	default:
		cmd->base.speed = SPEED_1000;
		break;
	}
	cmd->base.duplex = (status & SWVF_STATUS_FD) ? DUPLEX_FULL :
						       DUPLEX_HALF;
	return 0;
}

static int swvf_get_coalesce(struct net_device *netdev,
			     struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);

	ec->rx_coalesce_usecs = adapter->rx_itr_usecs;
	ec->tx_coalesce_usecs = adapter->tx_itr_usecs;
	return 0;
}

static int swvf_set_coalesce(struct net_device *netdev,
			     struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);

	if (ec->rx_coalesce_usecs > FIELD_MAX(SWVF_EITR_INTERVAL) ||
	    ec->tx_coalesce_usecs > FIELD_MAX(SWVF_EITR_INTERVAL)) {
		NL_SET_ERR_MSG_MOD(extack, "interval above 8191 us");
		return -EINVAL;
	}
	adapter->rx_itr_usecs = ec->rx_coalesce_usecs;
	adapter->tx_itr_usecs = ec->tx_coalesce_usecs;
	if (!test_bit(SWVF_DOWN, adapter->state) &&
	    !test_bit(SWVF_GONE, adapter->state))
		swvf_write_itr(adapter);
	return 0;
}

static const struct ethtool_ops swvf_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_USECS,
	.get_coalesce		= swvf_get_coalesce,
	.set_coalesce		= swvf_set_coalesce,
	.get_drvinfo		= swvf_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_ringparam		= swvf_get_ringparam,
	.set_ringparam		= swvf_set_ringparam,
	.get_sset_count		= swvf_get_sset_count,
	.get_strings		= swvf_get_strings,
	.get_ethtool_stats	= swvf_get_ethtool_stats,
	.get_link_ksettings	= swvf_get_link_ksettings,
};

void swvf_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &swvf_ethtool_ops;
}
