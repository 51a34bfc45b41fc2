// SPDX-License-Identifier: GPL-2.0
/* ethtool_ops: per-path counters, switch state, link from the active path. */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "swnv.h"

/* nominal speed of the synthetic path (a software switch port) */
#define SWNV_SYNTHETIC_SPEED	SPEED_10000

static const char swnv_stat_names[][ETH_GSTRING_LEN] = {
	"vf_rx_packets", "vf_rx_bytes", "vf_tx_packets", "vf_tx_bytes",
	"syn_rx_packets", "syn_rx_bytes", "syn_tx_packets", "syn_tx_bytes",
	"tx_dropped", "dp_active", "dp_pending", "dp_seq", "dp_switches",
	"dp_timeouts", "dp_last_reason", "dp_last_duration_ns",
};

#define SWNV_NUM_STATS	ARRAY_SIZE(swnv_stat_names)

static void swnv_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	struct swnv_priv *np = netdev_priv(dev);
	struct net_device *vf;

	strscpy(info->driver, SWNV_DRV_NAME, sizeof(info->driver));
	if (!swnv_is_adapter(np)) {
		strscpy(info->bus_info, "host-port", sizeof(info->bus_info));
		return;
	}
	vf = rtnl_dereference(np->vf);
	strscpy(info->bus_info, vf ? vf->name : "synthetic",
		sizeof(info->bus_info));
}

static int swnv_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS || !swnv_is_adapter(netdev_priv(dev)))
		return -EOPNOTSUPP;
	return SWNV_NUM_STATS;
}

static void swnv_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, swnv_stat_names, sizeof(swnv_stat_names));
}

static void swnv_get_ethtool_stats(struct net_device *dev,
				   struct ethtool_stats *estats, u64 *data)
{
	struct swnv_priv *adp = netdev_priv(dev);
	struct swnv_stats s;
	int i = 0;

	swnv_stats_fold(adp, &s);
	data[i++] = s.vf_rx_packets;
	data[i++] = s.vf_rx_bytes;
	data[i++] = s.vf_tx_packets;
	data[i++] = s.vf_tx_bytes;
	data[i++] = s.syn_rx_packets;
	data[i++] = s.syn_rx_bytes;
	data[i++] = s.syn_tx_packets;
	data[i++] = s.syn_tx_bytes;
	data[i++] = s.tx_dropped;
	data[i++] = READ_ONCE(adp->active);
	data[i++] = adp->pending;
	data[i++] = adp->seq;
	data[i++] = READ_ONCE(adp->switches);
	data[i++] = READ_ONCE(adp->timeouts);
	data[i++] = adp->last_reason;
	data[i++] = READ_ONCE(adp->last_duration_ns);
}

static int swnv_get_link_ksettings(struct net_device *dev,
				   struct ethtool_link_ksettings *cmd)
{
	struct swnv_priv *np = netdev_priv(dev);
	struct net_device *vf = NULL;

	if (swnv_is_adapter(np) && READ_ONCE(np->active) == SWNV_DP_VF)
		vf = rtnl_dereference(np->vf);
	if (vf)
		return __ethtool_get_link_ksettings(vf, cmd);

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	cmd->base.speed = SWNV_SYNTHETIC_SPEED;
	cmd->base.duplex = DUPLEX_FULL;
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

const struct ethtool_ops swnv_ethtool_ops = {
	.get_drvinfo		= swnv_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= swnv_get_link_ksettings,
	.get_sset_count		= swnv_get_sset_count,
	.get_strings		= swnv_get_strings,
	.get_ethtool_stats	= swnv_get_ethtool_stats,
};
