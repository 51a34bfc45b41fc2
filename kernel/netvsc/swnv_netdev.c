// SPDX-License-Identifier: GPL-2.0
/*
 * net_device_ops of both ends: the synthetic path hands skbs across without
 * copying them (like veth), the adapter's xmit picks the VF while the data
 * path is "VF".
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/sch_generic.h>

#include "swnv.h"

#define SWNV_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | NETIF_F_FRAGLIST | \
			 NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE |	\
			 NETIF_F_RXCSUM)

static void swnv_count_syn_rx(struct swnv_priv *adp, unsigned int len)
{
	struct swnv_pcpu_stats *st = this_cpu_ptr(adp->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->syn_rx_packets);
	u64_stats_add(&st->syn_rx_bytes, len);
	u64_stats_update_end(&st->syncp);
}

static void swnv_count_tx(struct swnv_priv *adp, bool vf, unsigned int len)
{
	struct swnv_pcpu_stats *st = this_cpu_ptr(adp->stats);

	u64_stats_update_begin(&st->syncp);
	if (vf) {
		u64_stats_inc(&st->vf_tx_packets);
		u64_stats_add(&st->vf_tx_bytes, len);
	} else {
		u64_stats_inc(&st->syn_tx_packets);
		u64_stats_add(&st->syn_tx_bytes, len);
	}
	u64_stats_update_end(&st->syncp);
}

static void swnv_count_tx_drop(struct swnv_priv *adp)
{
	struct swnv_pcpu_stats *st = this_cpu_ptr(adp->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->tx_dropped);
	u64_stats_update_end(&st->syncp);
}

/*
 * Hand @skb to the other end of the pair.  The skb is not copied: it is
 * scrubbed when it crosses a namespace and queued to the backlog of this
 * CPU, keeping its queue mapping as the receive queue.
 */
static int swnv_forward(struct net_device *to, struct sk_buff *skb)
{
	u16 q = skb_get_queue_mapping(skb);

	if (unlikely(!netif_running(to))) {
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	if (__dev_forward_skb(to, skb))
		return NET_RX_DROP;	/* freed and counted by the core */
	if (q < to->real_num_rx_queues)
		skb_record_rx_queue(skb, q);
	return netif_rx(skb);
}

/* Host port: frames from the switch go to the adapter (synthetic RX). */
static netdev_tx_t swnv_host_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct swnv_priv *np = netdev_priv(dev);
	unsigned int len = skb->len;
	struct net_device *adapter;

	adapter = rcu_dereference_bh(np->peer);
	if (unlikely(!adapter)) {
		kfree_skb(skb);
		dev_core_stats_tx_dropped_inc(dev);
		return NETDEV_TX_OK;
	}
	/* the adapter's own frames, looped back by the NIC from the VF */
	if (unlikely(swnv_own_frame(skb, adapter))) {
		consume_skb(skb);
		return NETDEV_TX_OK;
	}
	if (swnv_forward(adapter, skb) == NET_RX_SUCCESS) {
		dev_sw_netstats_tx_add(dev, 1, len);
		swnv_count_syn_rx(netdev_priv(adapter), len);
	} else {
		dev_core_stats_tx_dropped_inc(dev);
	}
	return NETDEV_TX_OK;
}

/* Adapter: TX through the VF while the data path is VF, else synthetic. */
static netdev_tx_t swnv_adapter_xmit(struct sk_buff *skb,
				     struct net_device *dev)
{
	struct swnv_priv *adp = netdev_priv(dev);
	unsigned int len = skb->len;
	struct net_device *to;

	to = rcu_dereference_bh(adp->tx_vf);
	if (to) {
		skb->dev = to;
		skb->queue_mapping = qdisc_skb_cb(skb)->slave_dev_queue_mapping;
		if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
			swnv_count_tx(adp, true, len);
		else
			swnv_count_tx_drop(adp);
		return NETDEV_TX_OK;
	}

	to = rcu_dereference_bh(adp->peer);
	if (unlikely(!to)) {
		kfree_skb(skb);
		swnv_count_tx_drop(adp);
		return NETDEV_TX_OK;
	}
	if (swnv_forward(to, skb) == NET_RX_SUCCESS) {
		swnv_count_tx(adp, false, len);
		dev_sw_netstats_rx_add(to, len);
	} else {
		swnv_count_tx_drop(adp);
	}
	return NETDEV_TX_OK;
}

/* Carrier is on at both ends while both ends are up, as on veth. */
static int swnv_open(struct net_device *dev)
{
	struct swnv_priv *np = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(np->peer);

	if (peer && (peer->flags & IFF_UP)) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	if (swnv_is_adapter(np)) {
		if (rtnl_dereference(np->vf))
			mod_delayed_work(system_wq, &np->vf_open_work, 0);
		swnv_dp_evaluate(np, SWNV_REASON_VF_UP);
	}
	return 0;
}

static int swnv_stop(struct net_device *dev)
{
	struct swnv_priv *np = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(np->peer);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	if (swnv_is_adapter(np))
		swnv_dp_force_synthetic(np, SWNV_REASON_ADAPTER_DOWN);
	return 0;
}

static int swnv_adapter_ndo_init(struct net_device *dev)
{
	struct swnv_priv *adp = netdev_priv(dev);

	adp->stats = netdev_alloc_pcpu_stats(struct swnv_pcpu_stats);
	if (!adp->stats)
		return -ENOMEM;
	return 0;
}

static void swnv_adapter_uninit(struct net_device *dev)
{
	struct swnv_priv *adp = netdev_priv(dev);

	swnv_vf_release(adp);
	swnv_adapter_list_del(adp);
	/* both works back off with rtnl_trylock(), so syncing is safe here */
	cancel_delayed_work_sync(&adp->timeout_work);
	cancel_delayed_work_sync(&adp->vf_open_work);
}

static void swnv_adapter_destructor(struct net_device *dev)
{
	struct swnv_priv *adp = netdev_priv(dev);

	free_percpu(adp->stats);
}

void swnv_stats_fold(struct swnv_priv *adp, struct swnv_stats *sum)
{
	unsigned int start;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct swnv_pcpu_stats *st = per_cpu_ptr(adp->stats, cpu);
		struct swnv_stats s;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			s.vf_rx_packets = u64_stats_read(&st->vf_rx_packets);
			s.vf_rx_bytes = u64_stats_read(&st->vf_rx_bytes);
			s.vf_tx_packets = u64_stats_read(&st->vf_tx_packets);
			s.vf_tx_bytes = u64_stats_read(&st->vf_tx_bytes);
			s.syn_rx_packets = u64_stats_read(&st->syn_rx_packets);
			s.syn_rx_bytes = u64_stats_read(&st->syn_rx_bytes);
			s.syn_tx_packets = u64_stats_read(&st->syn_tx_packets);
			s.syn_tx_bytes = u64_stats_read(&st->syn_tx_bytes);
			s.tx_dropped = u64_stats_read(&st->tx_dropped);
		} while (u64_stats_fetch_retry(&st->syncp, start));

		sum->vf_rx_packets += s.vf_rx_packets;
		sum->vf_rx_bytes += s.vf_rx_bytes;
		sum->vf_tx_packets += s.vf_tx_packets;
		sum->vf_tx_bytes += s.vf_tx_bytes;
		sum->syn_rx_packets += s.syn_rx_packets;
		sum->syn_rx_bytes += s.syn_rx_bytes;
		sum->syn_tx_packets += s.syn_tx_packets;
		sum->syn_tx_bytes += s.syn_tx_bytes;
		sum->tx_dropped += s.tx_dropped;
	}
}

static void swnv_adapter_get_stats64(struct net_device *dev,
				     struct rtnl_link_stats64 *stats)
{
	struct swnv_priv *adp = netdev_priv(dev);
	struct swnv_stats s;

	swnv_stats_fold(adp, &s);
	stats->rx_packets = s.vf_rx_packets + s.syn_rx_packets;
	stats->rx_bytes = s.vf_rx_bytes + s.syn_rx_bytes;
	stats->tx_packets = s.vf_tx_packets + s.syn_tx_packets;
	stats->tx_bytes = s.vf_tx_bytes + s.syn_tx_bytes;
	stats->tx_dropped = s.tx_dropped;
}

/* The VF filters on the adapter's behalf: mirror the address lists. */
static void swnv_adapter_set_rx_mode(struct net_device *dev)
{
	struct swnv_priv *adp = netdev_priv(dev);
	struct net_device *vf;

	rcu_read_lock();
	vf = rcu_dereference(adp->vf);
	if (vf) {
		dev_uc_sync(vf, dev);
		dev_mc_sync(vf, dev);
	}
	rcu_read_unlock();
}

static int swnv_adapter_change_mtu(struct net_device *dev, int new_mtu)
{
	struct swnv_priv *adp = netdev_priv(dev);
	struct net_device *vf = rtnl_dereference(adp->vf);
	int err;

	if (vf) {
		err = dev_set_mtu(vf, new_mtu);
		if (err)
			return err;
	}
	WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}

/*
 * The MAC is half of the pairing key: it cannot move under a claimed VF,
 * whether the adapter is up or down.  Unpaired, a new MAC is a new key: the
 * search for a VF runs again, under the pairing rule.
 */
static int swnv_adapter_set_mac(struct net_device *dev, void *addr)
{
	struct swnv_priv *adp = netdev_priv(dev);
	struct net_device *vf = rtnl_dereference(adp->vf);
	int err;

	if (vf) {
		if (net_ratelimit())
			netdev_warn(dev, "MAC change refused: VF %s is paired\n",
				    vf->name);
		return -EBUSY;
	}
	err = eth_mac_addr(dev, addr);
	if (err)
		return err;
	swnv_scan_existing_vfs(adp);
	return 0;
}

/*
 * The adapter's VLANs (8021q devices on it, in the child) follow to its
 * paired VF: the VF's pool receives a tagged frame only when the NIC's
 * VLAN filter names it (sriov_pf: the VF's SET_VLAN), so a VLAN the
 * adapter has and its VF lacks would be carried by the synthetic path
 * alone.  A VF claimed later gets all of them (swnv_vf_claim()).  RTNL.
 */
static int swnv_adapter_vlan_add(struct net_device *dev, __be16 proto, u16 vid)
{
	struct swnv_priv *adp = netdev_priv(dev);
	struct net_device *vf = rtnl_dereference(adp->vf);
	int err;

	if (!vf)
		return 0;
	err = vlan_vid_add(vf, proto, vid);
	if (err)
		netdev_warn(dev, "VF %s refused VLAN %u: %d\n", vf->name, vid,
			    err);
	return err;
}

static int swnv_adapter_vlan_kill(struct net_device *dev, __be16 proto,
				  u16 vid)
{
	struct swnv_priv *adp = netdev_priv(dev);
	struct net_device *vf = rtnl_dereference(adp->vf);

	if (vf)
		vlan_vid_del(vf, proto, vid);
	return 0;
}

static const struct net_device_ops swnv_adapter_ops = {
	.ndo_init		= swnv_adapter_ndo_init,
	.ndo_uninit		= swnv_adapter_uninit,
	.ndo_open		= swnv_open,
	.ndo_stop		= swnv_stop,
	.ndo_start_xmit		= swnv_adapter_xmit,
	.ndo_get_stats64	= swnv_adapter_get_stats64,
	.ndo_set_rx_mode	= swnv_adapter_set_rx_mode,
	.ndo_change_mtu		= swnv_adapter_change_mtu,
	.ndo_set_mac_address	= swnv_adapter_set_mac,
	.ndo_vlan_rx_add_vid	= swnv_adapter_vlan_add,
	.ndo_vlan_rx_kill_vid	= swnv_adapter_vlan_kill,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_features_check	= passthru_features_check,
};

static const struct net_device_ops swnv_host_ops = {
	.ndo_open		= swnv_open,
	.ndo_stop		= swnv_stop,
	.ndo_start_xmit		= swnv_host_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_features_check	= passthru_features_check,
};

bool swnv_is_swnv_dev(const struct net_device *dev)
{
	return dev->netdev_ops == &swnv_adapter_ops ||
	       dev->netdev_ops == &swnv_host_ops;
}

/* rtnl_link_ops.setup: both ends start as host ports. */
void swnv_setup(struct net_device *dev)
{
	struct swnv_priv *np = netdev_priv(dev);

	ether_setup(dev);
	np->dev = dev;
	np->role = SWNV_ROLE_HOST_PORT;
	np->pending = SWNV_DP_NONE;
	INIT_LIST_HEAD(&np->list);

	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->lltx = true;
	dev->netdev_ops = &swnv_host_ops;
	dev->ethtool_ops = &swnv_ethtool_ops;
	dev->features |= SWNV_FEATURES;
	dev->hw_features = SWNV_FEATURES;
	dev->vlan_features = SWNV_FEATURES;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->needs_free_netdev = true;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
}

/* Turn a freshly allocated (unregistered) end into the adapter. */
int swnv_adapter_init(struct net_device *dev)
{
	struct swnv_priv *adp = netdev_priv(dev);

	adp->role = SWNV_ROLE_ADAPTER;
	adp->active = SWNV_DP_SYNTHETIC;
	adp->want = SWNV_DP_VF;
	adp->auto_ack = true;
	adp->ack_timeout_ms = SWNV_ACK_TIMEOUT_MS;
	INIT_DELAYED_WORK(&adp->timeout_work, swnv_dp_timeout_work);
	INIT_DELAYED_WORK(&adp->vf_open_work, swnv_vf_open_work);

	dev->netdev_ops = &swnv_adapter_ops;
	/* VLAN ids reach ndo_vlan_rx_add_vid, to be passed to the VF */
	dev->features |= NETIF_F_HW_VLAN_CTAG_FILTER;
	/* created where it belongs; the child cannot move it elsewhere */
	dev->netns_immutable = 1;
	dev->priv_flags &= ~IFF_LIVE_ADDR_CHANGE;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_NONE;
	dev->priv_destructor = swnv_adapter_destructor;
	return 0;
}
