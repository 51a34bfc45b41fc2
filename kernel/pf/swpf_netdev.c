// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: net_device_ops of the PF uplink, bring-up/teardown of the
 * datapath, receive filters of the PF pool, link handling and the watchdog.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>

#include "swpf.h"

/* ---- receive filters of the PF pool (VMDq mode, MRQC = 3) ---- */

static u32 swpf_max_frame(const struct swpf_dev *pf)
{
	return SWPF_MAX_FRAME(pf->netdev->mtu);
}

void swpf_write_rxcsum(struct swpf_dev *pf, netdev_features_t features)
{
	u32 rxcsum = swpf_rd32(pf, SWPF_RXCSUM);

	rxcsum &= ~(SWPF_RXCSUM_IPOFL | SWPF_RXCSUM_TUOFL | SWPF_RXCSUM_PCSD);
	if (features & NETIF_F_RXCSUM)
		rxcsum |= SWPF_RXCSUM_IPOFL | SWPF_RXCSUM_TUOFL;
	swpf_wr32(pf, SWPF_RXCSUM, rxcsum);
}

/*
 * VLAN stripping: in VMDq mode per pool (VMOLR.STRVLAN) and, for replicated
 * multicast, RPLOLR.STRVLAN; CTRL.VME covers non-VMDq operation.  TX
 * insertion uses the descriptor VLE bit (VMVIR of the PF pool = 0).
 */
void swpf_write_vlan_offload(struct swpf_dev *pf, netdev_features_t features)
{
	bool strip = features & NETIF_F_HW_VLAN_CTAG_RX;
	u8 pool = pf->pf_pool;

	spin_lock_bh(&pf->filter_lock);
	swpf_rmw32(pf, SWPF_VMOLR(pool), SWPF_VMOLR_STRVLAN,
		   strip ? SWPF_VMOLR_STRVLAN : 0);
	swpf_rmw32(pf, SWPF_RPLOLR, SWPF_RPLOLR_STRVLAN,
		   strip ? SWPF_RPLOLR_STRVLAN : 0);
	swpf_rmw32(pf, SWPF_CTRL, SWPF_CTRL_VME, strip ? SWPF_CTRL_VME : 0);
	swpf_wr32(pf, SWPF_VMVIR(pool), 0);
	spin_unlock_bh(&pf->filter_lock);
}

static void swpf_write_max_frame(struct swpf_dev *pf)
{
	u32 max_frame = swpf_max_frame(pf);

	swpf_wr32(pf, SWPF_RLPML, max_frame);
	swpf_rmw32_locked(pf, SWPF_VMOLR(pf->pf_pool), SWPF_VMOLR_RLPML,
			  FIELD_PREP(SWPF_VMOLR_RLPML, max_frame) |
			  SWPF_VMOLR_LPE);
}

/*
 * Unicast list -> RAR1..SWPF_PF_RAR_LAST (pool pf_pool), multicast list ->
 * MTA with VMOLR.ROMPE.  Promiscuous: unmatched unicast from the wire goes
 * to the default pool (= PF pool) instead of being dropped (QEMU ignores
 * RCTL.UPE/MPE in VMDq mode; they are set too for silicon).  The switch's
 * MAC filters on the default VPort have no RAR entry: while there are any,
 * the unicast part of promiscuous mode is on (swpf_switch.c).  The UTA
 * stays empty: QEMU gives a UTA hash hit to every pool with VMOLR.ROMPE,
 * VF pools included.
 * Called with netif_addr_lock held (the address lists).
 */
void swpf_write_rx_mode(struct swpf_dev *pf)
{
	struct net_device *netdev = pf->netdev;
	u8 pool = pf->pf_pool;
	struct netdev_hw_addr *ha;
	bool promisc, allmulti, uc_promisc;
	u32 vmolr, vtctl, rctl;
	unsigned int idx;

	promisc = netdev->flags & IFF_PROMISC;
	allmulti = promisc || (netdev->flags & IFF_ALLMULTI);
	uc_promisc = promisc || swpf_sriov_default_uc(pf);

	spin_lock_bh(&pf->filter_lock);

	idx = 1;
	if (netdev_uc_count(netdev) > SWPF_PF_RAR_LAST) {
		promisc = true;
		uc_promisc = true;
	} else {
		netdev_for_each_uc_addr(ha, netdev)
			swpf_hw_set_rar(pf, idx++, ha->addr, pool);
	}
	for (; idx <= SWPF_PF_RAR_LAST; idx++)
		swpf_hw_clear_rar(pf, idx);

	memset(pf->mta_shadow, 0, sizeof(pf->mta_shadow));
	netdev_for_each_mc_addr(ha, netdev) {
		u32 hash = swpf_hw_mta_hash(ha->addr);

		pf->mta_shadow[hash >> 5] |= BIT(hash & 31);
	}
	swpf_hw_write_mta(pf, allmulti);

	vmolr = swpf_rd32(pf, SWPF_VMOLR(pool));
	vmolr &= ~(SWPF_VMOLR_ROMPE | SWPF_VMOLR_ROPE | SWPF_VMOLR_MPME);
	vmolr |= SWPF_VMOLR_AUPE | SWPF_VMOLR_BAM | SWPF_VMOLR_STRCRC;
	if (allmulti || !netdev_mc_empty(netdev))
		vmolr |= SWPF_VMOLR_ROMPE;
	if (allmulti)
		vmolr |= SWPF_VMOLR_MPME;
	if (uc_promisc)
		vmolr |= SWPF_VMOLR_ROPE;
	swpf_wr32(pf, SWPF_VMOLR(pool), vmolr);

	swpf_vlan_set_promisc_locked(pf, promisc ||
				     !(netdev->features &
				       NETIF_F_HW_VLAN_CTAG_FILTER));

	vtctl = swpf_rd32(pf, SWPF_VT_CTL);
	vtctl &= ~(SWPF_VT_CTL_DEFAULT_POOL | SWPF_VT_CTL_DIS_DEF_POOL);
	vtctl |= FIELD_PREP(SWPF_VT_CTL_DEFAULT_POOL, pool);
	if (!uc_promisc)
		vtctl |= SWPF_VT_CTL_DIS_DEF_POOL;
	swpf_wr32(pf, SWPF_VT_CTL, vtctl);

	rctl = swpf_rd32(pf, SWPF_RCTL);
	rctl &= ~(SWPF_RCTL_UPE | SWPF_RCTL_MPE | SWPF_RCTL_MO | SWPF_RCTL_VFE |
		  SWPF_RCTL_SBP);
	/* VLAN filtering per pool (VLVF, VMOLR.AUPE), swpf_vlan.c */
	rctl |= SWPF_RCTL_SECRC | SWPF_RCTL_LPE | SWPF_RCTL_BAM | SWPF_RCTL_VFE;
	if (uc_promisc)
		rctl |= SWPF_RCTL_UPE;
	if (allmulti)
		rctl |= SWPF_RCTL_MPE;
	swpf_wr32(pf, SWPF_RCTL, rctl);
	spin_unlock_bh(&pf->filter_lock);
}

/* everything about the PF pool except its rings */
static void swpf_configure_pool(struct swpf_dev *pf)
{
	u8 pool = pf->pf_pool;

	swpf_hw_set_rar(pf, 0, pf->netdev->dev_addr, pool);
	netif_addr_lock_bh(pf->netdev);
	swpf_write_rx_mode(pf);
	netif_addr_unlock_bh(pf->netdev);
	swpf_write_max_frame(pf);
	swpf_write_vlan_offload(pf, pf->netdev->features);
	swpf_write_rxcsum(pf, pf->netdev->features);
	swpf_rmw32_locked(pf, SWPF_VFRE, 0, BIT(pool));
	swpf_rmw32_locked(pf, SWPF_VFTE, 0, BIT(pool));
}

/* ---- datapath up/down (rtnl held) ---- */

static void swpf_free_rings(struct swpf_dev *pf)
{
	int i;

	for (i = SWPF_NUM_QUEUE_PAIRS - 1; i >= 0; i--) {
		swpf_free_rx_ring(&pf->rx_ring[i]);
		swpf_free_tx_ring(&pf->tx_ring[i]);
	}
}

static int swpf_alloc_rings(struct swpf_dev *pf)
{
	int i, err;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++) {
		struct swpf_ring *tx = &pf->tx_ring[i], *rx = &pf->rx_ring[i];

		/* hardware queue = the PF pool's queue (pool + 8 * i) */
		tx->reg_idx = pf->pf_pool + SWPF_NUM_POOLS * i;
		rx->reg_idx = tx->reg_idx;
		tx->count = pf->tx_ring_count;
		rx->count = pf->rx_ring_count;
		err = swpf_setup_tx_ring(tx);
		if (err)
			goto err_free_rings;
		err = swpf_setup_rx_ring(rx);
		if (err)
			goto err_free_rings;
	}
	return 0;

err_free_rings:
	swpf_free_rings(pf);
	return err;
}

static void swpf_configure_rings(struct swpf_dev *pf)
{
	int i;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++) {
		swpf_configure_tx_ring(pf, &pf->tx_ring[i]);
		swpf_configure_rx_ring(pf, &pf->rx_ring[i]);
	}
}

static void swpf_disable_rings(struct swpf_dev *pf)
{
	int i;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++) {
		swpf_disable_ring_hw(pf, &pf->rx_ring[i], true);
		swpf_disable_ring_hw(pf, &pf->tx_ring[i], false);
	}
}

int swpf_up(struct swpf_dev *pf)
{
	int i, err;

	if (swpf_removed(pf))
		return -ENODEV;

	err = swpf_alloc_rings(pf);
	if (err)
		return err;
	err = swpf_irq_request_queues(pf);
	if (err)
		goto err_free_rings;

	swpf_configure_pool(pf);
	swpf_configure_rings(pf);
	swpf_hw_set_rx_enable(pf, true);

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++)
		napi_enable(&pf->q_vector[i].napi);
	clear_bit(SWPF_STATE_DOWN, pf->state);
	swpf_irq_enable(pf);
	netif_tx_start_all_queues(pf->netdev);
	schedule_work(&pf->link_work);
	return 0;

err_free_rings:
	swpf_free_rings(pf);
	return err;
}

void swpf_down(struct swpf_dev *pf)
{
	struct net_device *netdev = pf->netdev;
	int i;

	if (test_and_set_bit(SWPF_STATE_DOWN, pf->state))
		return;

	netif_tx_disable(netdev);
	/* link_work must not turn the carrier back on */
	flush_work(&pf->link_work);
	netif_carrier_off(netdev);
	/* stop receive DMA first, then interrupts and polling */
	swpf_disable_rings(pf);
	swpf_irq_disable_queues(pf);
	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++)
		napi_disable(&pf->q_vector[i].napi);
	/* a poll that raced with the mask above may have unmasked again */
	swpf_irq_disable_queues(pf);
	swpf_irq_unconfigure_queues(pf);
	/* with VFs the global enables stay on for them */
	if (!pf->num_vfs)
		swpf_hw_set_rx_enable(pf, false);

	swpf_irq_free_queues(pf);
	swpf_free_rings(pf);
	swpf_stats_update(pf);
}

/* ---- link ---- */

void swpf_link_work(struct work_struct *work)
{
	struct swpf_dev *pf = container_of(work, struct swpf_dev, link_work);
	struct net_device *netdev = pf->netdev;
	u8 duplex;
	u32 speed;
	bool up;

	if (swpf_removed(pf))
		return;
	up = swpf_hw_link_status(pf, &speed, &duplex);
	pf->link_speed = speed;
	pf->link_duplex = duplex;
	if (up != pf->link_up) {
		pf->link_up = up;
		swpf_sriov_link_change(pf, up);
		if (up)
			netdev_info(netdev, "link up, %u Mbps, %s duplex\n",
				    speed, duplex == DUPLEX_FULL ? "full" : "half");
		else
			netdev_info(netdev, "link down\n");
	}
	if (up && !test_bit(SWPF_STATE_DOWN, pf->state)) {
		if (!netif_carrier_ok(netdev))
			netif_carrier_on(netdev);
	} else if (netif_carrier_ok(netdev)) {
		netif_carrier_off(netdev);
	}
}

void swpf_watchdog(struct work_struct *work)
{
	struct swpf_dev *pf = container_of(to_delayed_work(work),
					   struct swpf_dev, watchdog);

	/* reading STATUS also detects a vanished device */
	swpf_rd32(pf, SWPF_STATUS);
	if (swpf_removed(pf))
		return;
	swpf_stats_update(pf);
	schedule_work(&pf->link_work);
	schedule_delayed_work(&pf->watchdog, SWPF_WATCHDOG_PERIOD);
}

/*
 * Global reset of the device (CTRL.RST) and the PF's part of the
 * configuration after it: interrupts, filters, the PF pool.  The rings are
 * swpf_up()'s.  Called by swpf_reset(), directly or through
 * swpf_sriov_reset() when VFs exist.
 */
int swpf_reset_hw(struct swpf_dev *pf)
{
	int err;

	err = swpf_hw_reset(pf);
	if (err)
		return err;
	swpf_irq_configure(pf);
	swpf_hw_init_filters(pf);
	swpf_configure_pool(pf);
	/* with VFs the global enables stay on for them */
	if (pf->num_vfs)
		swpf_hw_set_rx_enable(pf, true);
	return 0;
}

/**
 * swpf_reset - reset the whole device and bring everything back
 * @pf: the PF
 *
 * ethtool --reset and the TX-timeout recovery.  With VFs, their switch
 * state is replayed and they are told to redo their reset handshake
 * (swpf_sriov_reset()).  rtnl held.
 *
 * Return: 0 or a negative errno.
 */
int swpf_reset(struct swpf_dev *pf)
{
	bool running = netif_running(pf->netdev);
	struct swpf_reset_info info = {};
	int err, up_err;

	ASSERT_RTNL();
	if (swpf_removed(pf))
		return -ENODEV;
	if (test_bit(SWPF_STATE_TESTING, pf->state))
		return -EBUSY;
	netdev_info(pf->netdev, "device reset%s\n",
		    pf->num_vfs ? ", VFs reset with it" : "");
	if (running)
		swpf_down(pf);
	else
		swpf_stats_update(pf);
	/* pf->sriov changes under rtnl only (swpf_sriov_deinit) */
	if (pf->num_vfs && pf->sriov)
		err = swpf_sriov_reset(pf, &info);
	else
		err = swpf_reset_hw(pf);
	/* the link comes back through autonegotiation (LSC -> link_work) */
	if (!err)
		err = swpf_hw_restart_autoneg(pf);
	if (running) {
		up_err = swpf_up(pf);
		if (up_err && !err)
			err = up_err;
	}
	if (err)
		netdev_err(pf->netdev, "device reset failed: %d\n", err);
	info.err = err;
	swpf_health_pf_reset(pf, &info);
	return err;
}

static void swpf_reset_task(struct work_struct *work)
{
	struct swpf_dev *pf = container_of(work, struct swpf_dev, reset_task);

	rtnl_lock();
	if (netif_running(pf->netdev) && !swpf_removed(pf) &&
	    !test_bit(SWPF_STATE_TESTING, pf->state)) {
		netdev_warn(pf->netdev, "TX timeout: resetting the device\n");
		swpf_reset(pf);
	}
	rtnl_unlock();
}

/* ---- net_device_ops ---- */

static int swpf_open(struct net_device *netdev)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	netif_carrier_off(netdev);
	return swpf_up(pf);
}

static int swpf_close(struct net_device *netdev)
{
	swpf_down(netdev_priv(netdev));
	return 0;
}

static void swpf_set_rx_mode(struct net_device *netdev)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	if (!swpf_removed(pf))
		swpf_write_rx_mode(pf);
}

static int swpf_set_mac(struct net_device *netdev, void *p)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	struct sockaddr *addr = p;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;
	eth_hw_addr_set(netdev, addr->sa_data);
	swpf_hw_set_rar(pf, 0, netdev->dev_addr, pf->pf_pool);
	return 0;
}

static int swpf_change_mtu(struct net_device *netdev, int new_mtu)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	/* RX buffers chain, so only the frame-length limits change */
	netdev_dbg(netdev, "MTU %u -> %d\n", netdev->mtu, new_mtu);
	WRITE_ONCE(netdev->mtu, new_mtu);
	swpf_write_max_frame(pf);
	return 0;
}

static int swpf_set_features(struct net_device *netdev,
			     netdev_features_t features)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	netdev_features_t changed = netdev->features ^ features;

	if (changed & NETIF_F_HW_VLAN_CTAG_RX)
		swpf_write_vlan_offload(pf, features);
	if (changed & NETIF_F_RXCSUM)
		swpf_write_rxcsum(pf, features);
	if (changed & NETIF_F_HW_VLAN_CTAG_FILTER) {
		spin_lock_bh(&pf->filter_lock);
		swpf_vlan_set_promisc_locked(pf, (netdev->flags & IFF_PROMISC) ||
					     !(features &
					       NETIF_F_HW_VLAN_CTAG_FILTER));
		spin_unlock_bh(&pf->filter_lock);
	}
	return 0;
}

static netdev_features_t swpf_features_check(struct sk_buff *skb,
					     struct net_device *netdev,
					     netdev_features_t features)
{
	unsigned int mac_len = skb_network_offset(skb);

	/* context descriptor: MACLEN 7 bits, IPLEN 9 bits */
	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    (mac_len > 127 ||
	     skb_checksum_start_offset(skb) - mac_len > 511))
		features &= ~(NETIF_F_CSUM_MASK | NETIF_F_GSO_MASK);
	if (skb->encapsulation)
		features &= ~NETIF_F_GSO_MASK;
	return vlan_features_check(skb, features);
}

static void swpf_tx_timeout(struct net_device *netdev, unsigned int txqueue)
{
	struct swpf_dev *pf = netdev_priv(netdev);

	if (!swpf_removed(pf))
		schedule_work(&pf->reset_task);
}

static const struct net_device_ops swpf_netdev_ops = {
	.ndo_open		= swpf_open,
	.ndo_stop		= swpf_close,
	.ndo_start_xmit		= swpf_xmit_frame,
	.ndo_get_stats64	= swpf_get_stats64,
	.ndo_set_rx_mode	= swpf_set_rx_mode,
	.ndo_set_mac_address	= swpf_set_mac,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= swpf_change_mtu,
	.ndo_set_features	= swpf_set_features,
	.ndo_features_check	= swpf_features_check,
	.ndo_tx_timeout		= swpf_tx_timeout,
	.ndo_vlan_rx_add_vid	= swpf_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= swpf_vlan_rx_kill_vid,
	.ndo_set_vf_mac		= swpf_ndo_set_vf_mac,
	.ndo_set_vf_vlan	= swpf_ndo_set_vf_vlan,
	.ndo_set_vf_spoofchk	= swpf_ndo_set_vf_spoofchk,
	.ndo_set_vf_trust	= swpf_ndo_set_vf_trust,
	.ndo_set_vf_link_state	= swpf_ndo_set_vf_link_state,
	.ndo_set_vf_rate	= swpf_ndo_set_vf_rate,
	.ndo_get_vf_config	= swpf_ndo_get_vf_config,
	.ndo_get_vf_stats	= swpf_ndo_get_vf_stats,
};

/* ---- ethtool offline loopback test (device down, rtnl held) ---- */

#define SWPF_LB_FRAMES	16
#define SWPF_LB_LEN	1024

int swpf_loopback_test(struct swpf_dev *pf, u64 *data)
{
	struct swpf_ring *tx = &pf->tx_ring[0], *rx = &pf->rx_ring[0];
	struct net_device *netdev = pf->netdev;
	int i, n, matched = 0, err;
	u8 *pattern;

	*data = 1;
	pattern = kmalloc(SWPF_LB_LEN, GFP_KERNEL);
	if (!pattern)
		return -ENOMEM;
	ether_addr_copy(pattern, netdev->dev_addr);
	ether_addr_copy(pattern + ETH_ALEN, netdev->dev_addr);
	pattern[12] = 0x88;	/* local experimental ethertype 0x88b5 */
	pattern[13] = 0xb5;
	for (i = ETH_HLEN; i < SWPF_LB_LEN; i++)
		pattern[i] = i & 0xff;

	err = swpf_alloc_rings(pf);
	if (err)
		goto err_free_pattern;
	swpf_configure_pool(pf);
	swpf_configure_rings(pf);
	swpf_hw_set_rx_enable(pf, true);
	swpf_rmw32_locked(pf, SWPF_RCTL, SWPF_RCTL_LBM,
			  FIELD_PREP(SWPF_RCTL_LBM, SWPF_RCTL_LBM_MAC));

	for (i = 0; i < SWPF_LB_FRAMES; i++) {
		struct sk_buff *skb = alloc_skb(SWPF_LB_LEN, GFP_KERNEL);

		if (!skb) {
			err = -ENOMEM;
			break;
		}
		skb_put_data(skb, pattern, SWPF_LB_LEN);
		skb->dev = netdev;
		swpf_xmit_frame_ring(skb, tx);
		/* QEMU loops synchronously; silicon needs a moment */
		for (n = 0; n < 100; n++) {
			int got = swpf_loopback_rx_check(rx, pattern,
							 SWPF_LB_LEN);

			matched += got;
			if (got)
				break;
			usleep_range(1000, 2000);
		}
	}

	swpf_rmw32_locked(pf, SWPF_RCTL, SWPF_RCTL_LBM, 0);
	swpf_disable_rings(pf);
	if (!pf->num_vfs)
		swpf_hw_set_rx_enable(pf, false);
	swpf_free_rings(pf);
	if (!err && matched != SWPF_LB_FRAMES) {
		netdev_err(netdev, "loopback test: %d of %d frames returned\n",
			   matched, SWPF_LB_FRAMES);
		err = -EIO;
	}
	if (!err)
		*data = 0;
err_free_pattern:
	kfree(pattern);
	return err;
}

/* ---- setup ---- */

int swpf_netdev_init(struct swpf_dev *pf)
{
	struct net_device *netdev = pf->netdev;
	netdev_features_t csum = NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM;
	int i;

	netdev->netdev_ops = &swpf_netdev_ops;
	swpf_set_ethtool_ops(netdev);
	netdev->watchdog_timeo = 5 * HZ;

	netdev->hw_features = NETIF_F_SG | csum | NETIF_F_TSO | NETIF_F_TSO6 |
			      NETIF_F_RXCSUM | NETIF_F_HW_VLAN_CTAG_RX |
			      NETIF_F_HW_VLAN_CTAG_TX |
			      NETIF_F_HW_VLAN_CTAG_FILTER;
	netdev->features = netdev->hw_features | NETIF_F_HIGHDMA;
	netdev->vlan_features = NETIF_F_SG | csum | NETIF_F_TSO |
				NETIF_F_TSO6 | NETIF_F_HIGHDMA;
	netdev->priv_flags |= IFF_UNICAST_FLT;
	netdev->min_mtu = SWPF_MIN_MTU;
	netdev->max_mtu = SWPF_MAX_MTU;

	pf->tx_ring_count = SWPF_DEFAULT_TXD;
	pf->rx_ring_count = SWPF_DEFAULT_RXD;
	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++) {
		struct swpf_ring *tx = &pf->tx_ring[i], *rx = &pf->rx_ring[i];

		tx->netdev = netdev;
		rx->netdev = netdev;
		tx->dev = &pf->pdev->dev;
		rx->dev = &pf->pdev->dev;
		tx->queue_index = i;
		rx->queue_index = i;
		u64_stats_init(&tx->syncp);
		u64_stats_init(&rx->syncp);
		netif_napi_add(netdev, &pf->q_vector[i].napi, swpf_napi_poll);
	}
	INIT_WORK(&pf->reset_task, swpf_reset_task);
	return 0;
}

void swpf_netdev_deinit(struct swpf_dev *pf)
{
	int i;

	for (i = SWPF_NUM_QUEUE_PAIRS - 1; i >= 0; i--)
		netif_napi_del(&pf->q_vector[i].napi);
}
