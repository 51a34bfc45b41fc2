// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_vf: net_device_ops, bring-up/teardown of the datapath, reset
 * recovery (re-run the handshake and restore MAC, multicast, VLANs, MTU)
 * and the "sriov" sysfs attribute group with the PF-provided identity.
 */
#include <linux/bitfield.h>
#include <linux/etherdevice.h>

#include "swvf.h"

void swvf_irq_enable(struct swvf_adapter *adapter)
{
	swvf_wr32(adapter, SWVF_EIAC, SWVF_EIMS_ALL);
	swvf_wr32(adapter, SWVF_EIMS, SWVF_EIMS_ALL);
}

/* IVAR: RX and TX of queue 0 on vector 0; mailbox on vector 2. */
void swvf_configure_msix(struct swvf_adapter *adapter)
{
	unsigned int v;

	swvf_wr32(adapter, SWVF_IVAR0,
		  FIELD_PREP(SWVF_IVAR_RX0, SWVF_VEC_RX | SWVF_IVAR_VALID) |
		  FIELD_PREP(SWVF_IVAR_TX0, SWVF_VEC_TX | SWVF_IVAR_VALID));
	swvf_wr32(adapter, SWVF_IVAR_MISC,
		  FIELD_PREP(SWVF_IVAR_MISC_MBX,
			     SWVF_VEC_MBX | SWVF_IVAR_VALID));
	for (v = 0; v < SWVF_NUM_VECTORS; v++)
		swvf_wr32(adapter, SWVF_EITR(v), 0);
	swvf_write_itr(adapter);
	swvf_irq_enable(adapter);
}

static u32 swvf_eitr(u16 usecs)
{
	if (!usecs)
		return 0;
	return FIELD_PREP(SWVF_EITR_INTERVAL, usecs) | SWVF_EITR_CNT_IGNR;
}

/* Interrupt moderation of the queue vectors (EITR interval in us). */
void swvf_write_itr(struct swvf_adapter *adapter)
{
	swvf_wr32(adapter, SWVF_EITR(SWVF_VEC_RX),
		  swvf_eitr(adapter->rx_itr_usecs));
	swvf_wr32(adapter, SWVF_EITR(SWVF_VEC_TX),
		  swvf_eitr(adapter->tx_itr_usecs));
}

void swvf_update_link(struct swvf_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	bool up = false;
	u32 status;

	if (!test_bit(SWVF_DOWN, adapter->state) &&
	    test_bit(SWVF_MBX_READY, adapter->state) &&
	    !test_bit(SWVF_NEED_RESET, adapter->state) &&
	    !READ_ONCE(adapter->pf_disabled)) {
		status = swvf_rd32(adapter, SWVF_STATUS);
		up = status != ~0U && (status & SWVF_STATUS_LU);
	}
	if (up && !netif_carrier_ok(netdev)) {
		netdev_info(netdev, "link up\n");
		swvf_tx_kick(adapter);
		netif_carrier_on(netdev);
	} else if (!up && netif_carrier_ok(netdev)) {
		netdev_info(netdev, "link down\n");
		netif_carrier_off(netdev);
	}
}

/* 12-bit MTA hash the PF expects (RCTL.MO = 0): DA bits 47:36 */
static u16 swvf_mc_hash(const u8 *addr)
{
	return ((addr[4] >> 4) | ((u16)addr[5] << 4)) & 0xfff;
}

/* Send the multicast list to the PF.  RTNL held (process context). */
void swvf_sync_rx_mode(struct swvf_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	u16 hashes[SRIOV_MBX_MC_MAX_HASHES];
	struct netdev_hw_addr *ha;
	unsigned int n = 0;
	bool overflow;
	int err;

	ASSERT_RTNL();
	clear_bit(SWVF_RX_MODE, adapter->state);
	overflow = netdev->flags & (IFF_ALLMULTI | IFF_PROMISC);
	/*
	 * register_netdevice() initialises the address-list lock: from probe
	 * (not registered yet) the lists are empty and the lock is not taken.
	 */
	if (netdev->reg_state != NETREG_UNINITIALIZED) {
		netif_addr_lock_bh(netdev);
		overflow |= netdev_mc_count(netdev) > SRIOV_MBX_MC_MAX_HASHES;
		netdev_for_each_mc_addr(ha, netdev) {
			if (n == SRIOV_MBX_MC_MAX_HASHES)
				break;
			hashes[n++] = swvf_mc_hash(ha->addr);
		}
		netif_addr_unlock_bh(netdev);
	}

	err = swvf_mbx_set_multicast(adapter, hashes, n, overflow);
	if (err && err != -EIO && err != -EAGAIN)
		netdev_warn(netdev, "PF refused the multicast list: %d\n", err);
	if (err)
		set_bit(SWVF_RX_MODE, adapter->state);
}

static int swvf_restore_vlans(struct swvf_adapter *adapter)
{
	unsigned int vid;
	int err;

	for_each_set_bit(vid, adapter->active_vlans, VLAN_N_VID) {
		err = swvf_mbx_set_vlan(adapter, vid, true);
		if (err == -EPERM) {
			netdev_warn(adapter->netdev,
				    "PF refused VLAN %u on restore\n", vid);
			continue;
		}
		if (err)
			return err;
	}
	return 0;
}

static void swvf_set_dev_addr(struct net_device *netdev, const u8 *mac)
{
	eth_hw_addr_set(netdev, mac);
	if (netdev->reg_state == NETREG_REGISTERED)
		call_netdevice_notifiers(NETDEV_CHANGEADDR, netdev);
}

/*
 * Agree on a MAC with the PF after a handshake: the PF's MAC wins unless
 * we have our own (random or set by the user) and the PF accepts it.
 */
static int swvf_restore_mac(struct swvf_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	u8 pf_mac[ETH_ALEN];
	int err;

	mutex_lock(&adapter->mbx_lock);
	ether_addr_copy(pf_mac, adapter->pf_mac);
	mutex_unlock(&adapter->mbx_lock);

	if (!is_valid_ether_addr(netdev->dev_addr) &&
	    is_valid_ether_addr(pf_mac))
		swvf_set_dev_addr(netdev, pf_mac);
	if (!is_valid_ether_addr(netdev->dev_addr)) {
		eth_hw_addr_random(netdev);
		if (netdev->reg_state == NETREG_REGISTERED)
			call_netdevice_notifiers(NETDEV_CHANGEADDR, netdev);
		netdev_info(netdev, "PF assigned no MAC, using random %pM\n",
			    netdev->dev_addr);
	}
	/* the PF programmed its own choice with the reset reply */
	if (ether_addr_equal(netdev->dev_addr, pf_mac))
		return 0;
	err = swvf_mbx_set_mac(adapter, netdev->dev_addr);
	if (err == -EPERM && is_valid_ether_addr(pf_mac)) {
		netdev_info(netdev, "PF refused %pM, using PF's %pM\n",
			    netdev->dev_addr, pf_mac);
		swvf_set_dev_addr(netdev, pf_mac);
		err = 0;
	}
	return err;
}

static struct swvf_identity swvf_identity_get(struct swvf_adapter *adapter)
{
	struct swvf_identity id;

	spin_lock(&adapter->id_lock);
	id = adapter->identity;
	spin_unlock(&adapter->id_lock);
	return id;
}

/*
 * Fetch the identity (sriov/serial) and announce a change of it: pairing
 * (sriov_netvsc) goes by it, and must see the new one before any event
 * that follows, the MAC's included.  Before registration the identity is
 * simply in place when NETDEV_REGISTER runs.
 */
static void swvf_update_identity(struct swvf_adapter *adapter)
{
	struct swvf_identity old = swvf_identity_get(adapter), id;

	swvf_mbx_get_config(adapter);
	id = swvf_identity_get(adapter);
	if (adapter->netdev->reg_state == NETREG_REGISTERED &&
	    (old.valid != id.valid || old.serial != id.serial))
		call_netdevice_notifiers(NETDEV_CHANGEINFODATA, adapter->netdev);
}

/**
 * swvf_hw_init - handshake with the PF and restore our configuration
 * @adapter: the VF
 *
 * RTNL held.  Bounded: one handshake attempt plus one request per
 * configuration item.
 */
static int swvf_hw_init(struct swvf_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	int err;

	adapter->last_reset_try = jiffies;
	clear_bit(SWVF_NEED_RESET, adapter->state);
	err = swvf_mbx_reset_hw(adapter);
	if (err)
		goto fail;
	adapter->resets++;

	swvf_update_identity(adapter);
	err = swvf_restore_mac(adapter);
	if (err && err != -EPERM)
		goto fail;
	err = swvf_mbx_set_lpe(adapter, SWVF_MAX_FRAME(netdev->mtu));
	if (err && err != -EPERM)
		goto fail;
	if (err)
		netdev_warn(netdev, "PF refused max frame %u\n",
			    SWVF_MAX_FRAME(netdev->mtu));
	err = swvf_restore_vlans(adapter);
	if (err)
		goto fail;
	swvf_sync_rx_mode(adapter);
	if (test_bit(SWVF_NEED_RESET, adapter->state)) {
		err = -EAGAIN;
		goto fail;
	}
	return 0;

fail:
	adapter->reset_failures++;
	clear_bit(SWVF_MBX_READY, adapter->state);
	set_bit(SWVF_NEED_RESET, adapter->state);
	return err;
}

/* Start the datapath.  Rings are allocated.  RTNL held. */
int swvf_up(struct swvf_adapter *adapter)
{
	swvf_configure_tx(adapter);
	swvf_configure_rx(adapter);
	swvf_configure_msix(adapter);
	/* order: state visible before NAPI can run and re-enable irqs */
	clear_bit(SWVF_DOWN, adapter->state);
	napi_enable(&adapter->napi);
	netif_wake_queue(adapter->netdev);
	swvf_update_link(adapter);
	/* kick NAPI once for frames that arrived before the irq was armed */
	swvf_wr32(adapter, SWVF_EICS, SWVF_EIMS_QUEUE);
	return 0;
}

/* Stop the datapath; idempotent.  RTNL held. */
void swvf_down(struct swvf_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;

	if (test_and_set_bit(SWVF_DOWN, adapter->state))
		return;
	netif_carrier_off(netdev);
	netif_tx_disable(netdev);
	if (!test_bit(SWVF_GONE, adapter->state)) {
		swvf_wr32(adapter, SWVF_EIMC, BIT(SWVF_VEC_TX));
		swvf_disable_queues(adapter);
	}
	synchronize_irq(pci_irq_vector(adapter->pdev, SWVF_VEC_TX));
	synchronize_irq(pci_irq_vector(adapter->pdev, SWVF_VEC_RX));
	napi_disable(&adapter->napi);
	swvf_clean_tx_ring(adapter);
	swvf_clean_rx_ring(adapter);
}

/**
 * swvf_going_down - leave the switch before the datapath stops
 * @adapter: the VF
 *
 * Drops carrier, then announces SRIOV_MBX_VF_GOING_DOWN: a project PF
 * moves our VPort's filters to its default VPort before it answers.  Once
 * it answered, the frames already in our RX ring are delivered (bounded
 * wait), so a planned removal, reset or MTU change loses none of them.
 * Process context, RTNL may be held; the waits are the mailbox's and
 * SWVF_RX_DRAIN_MS.
 */
void swvf_going_down(struct swvf_adapter *adapter)
{
	int err;

	/*
	 * Carrier first: the adapter's TX leaves us, and whoever reacts to
	 * the PF's filter-moved announcement sees a VF without carrier until
	 * it has come back.  NAPI keeps delivering meanwhile.
	 */
	netif_carrier_off(adapter->netdev);
	if (swvf_check_gone(adapter))
		return;
	err = swvf_mbx_going_down(adapter);
	if (!err) {
		swvf_drain_rx(adapter);
		return;
	}
	if (err != -EOPNOTSUPP)
		dev_dbg(&adapter->pdev->dev, "going-down notice failed: %d\n",
			err);
}

/**
 * swvf_reinit - recover from a PF reset, PF-initiated FLR or lost mailbox
 * @adapter: the VF
 *
 * RTNL held.  Stops the datapath, re-runs the handshake, restores MAC,
 * multicast list, VLANs and max frame, restarts the datapath.  If the PF
 * is not ready the datapath stays down and the service task retries.
 */
int swvf_reinit(struct swvf_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	int err;

	ASSERT_RTNL();
	if (test_bit(SWVF_RESETTING, adapter->state) ||
	    test_bit(SWVF_GONE, adapter->state))
		return -ENODEV;
	if (netif_running(netdev))
		swvf_down(adapter);
	err = swvf_hw_init(adapter);
	/* a PF ping can cross the VF_RESET reply: one immediate retry */
	if (err == -EPROTO)
		err = swvf_hw_init(adapter);
	if (err) {
		/*
		 * While the PF itself resets it does not answer for a while:
		 * the first tries failing is expected, a streak is not.
		 */
		if (err == -EAGAIN)
			return err;
		if (++adapter->reset_streak <= SWVF_RESET_QUIET_TRIES)
			dev_info(&adapter->pdev->dev,
				 "PF not answering yet (%d), retrying\n", err);
		else
			dev_warn_ratelimited(&adapter->pdev->dev,
					     "reset handshake failed %u times (%d), retrying\n",
					     adapter->reset_streak, err);
		return err;
	}
	adapter->reset_streak = 0;
	dev_info(&adapter->pdev->dev, "reset handshake done, MAC %pM\n",
		 netdev->dev_addr);
	if (netif_running(netdev))
		swvf_up(adapter);
	return 0;
}

static int swvf_open(struct net_device *netdev)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	int err;

	if (test_bit(SWVF_GONE, adapter->state))
		return -ENODEV;
	netif_carrier_off(netdev);
	err = swvf_setup_tx_ring(adapter);
	if (err)
		return err;
	err = swvf_setup_rx_ring(adapter);
	if (err)
		goto err_free_tx;
	if (!test_bit(SWVF_MBX_READY, adapter->state) ||
	    test_bit(SWVF_NEED_RESET, adapter->state))
		swvf_hw_init(adapter);	/* else the service task retries */
	else
		swvf_mbx_set_lpe(adapter, SWVF_MAX_FRAME(netdev->mtu));
	swvf_up(adapter);
	swvf_schedule_service(adapter);
	return 0;

err_free_tx:
	swvf_free_tx_ring(adapter);
	return err;
}

static int swvf_close(struct net_device *netdev)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);

	swvf_down(adapter);
	swvf_free_rx_ring(adapter);
	swvf_free_tx_ring(adapter);
	return 0;
}

static void swvf_set_rx_mode(struct net_device *netdev)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);

	/* atomic context: the mailbox sleeps, so defer */
	set_bit(SWVF_RX_MODE, adapter->state);
	swvf_schedule_service(adapter);
}

static int swvf_set_mac(struct net_device *netdev, void *p)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	struct sockaddr *addr = p;
	int err;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;
	err = swvf_mbx_set_mac(adapter, addr->sa_data);
	if (err == -EPERM)
		return -EPERM;	/* PF (administrator) owns our MAC */
	if (err && err != -EIO && err != -EAGAIN)
		return err;
	/* not connected to the PF: applied by the next handshake */
	eth_hw_addr_set(netdev, addr->sa_data);
	return 0;
}

static int swvf_change_mtu(struct net_device *netdev, int new_mtu)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	int old_mtu = netdev->mtu;
	bool running = netif_running(netdev);
	int err;

	if (running) {
		/* the queues restart: the switch keeps our frames meanwhile */
		swvf_going_down(adapter);
		swvf_down(adapter);
	}
	err = swvf_mbx_set_lpe(adapter, SWVF_MAX_FRAME(new_mtu));
	if (err == -EPERM || err == -ETIMEDOUT || err == -EPROTO) {
		netdev_err(netdev, "PF refused max frame %u: %d\n",
			   SWVF_MAX_FRAME(new_mtu), err);
		if (err == -EPERM)
			err = -EINVAL;
		swvf_mbx_set_lpe(adapter, SWVF_MAX_FRAME(old_mtu));
		if (running)
			swvf_up(adapter);
		return err;
	}
	WRITE_ONCE(netdev->mtu, new_mtu);
	if (running)
		swvf_up(adapter);
	return 0;
}

static int swvf_vlan_add(struct net_device *netdev, __be16 proto, u16 vid)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	int err;

	err = swvf_mbx_set_vlan(adapter, vid, true);
	if (err == -EPERM)
		return -EPERM;
	if (err && err != -EIO && err != -EAGAIN)
		return err;
	set_bit(vid, adapter->active_vlans);	/* restored after reset */
	return 0;
}

static int swvf_vlan_kill(struct net_device *netdev, __be16 proto, u16 vid)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	int err;

	clear_bit(vid, adapter->active_vlans);
	err = swvf_mbx_set_vlan(adapter, vid, false);
	if (err && err != -EIO && err != -EAGAIN && err != -ENODEV)
		netdev_warn(netdev, "PF refused removing VLAN %u: %d\n",
			    vid, err);
	return 0;
}

static void swvf_tx_timeout(struct net_device *netdev, unsigned int txq)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);

	netdev_warn(netdev, "transmit timeout, resetting\n");
	set_bit(SWVF_NEED_RESET, adapter->state);
	swvf_schedule_service(adapter);
}

/* Accumulate the 32-bit wrapping per-pool counters.  Any context. */
void swvf_update_hw_stats(struct swvf_adapter *adapter)
{
	static const u32 regs[SWVF_HW_NSTATS] = {
		[SWVF_HW_GPRC] = SWVF_VFGPRC,
		[SWVF_HW_GPTC] = SWVF_VFGPTC,
		[SWVF_HW_GORC] = SWVF_VFGORC,
		[SWVF_HW_GOTC] = SWVF_VFGOTC,
		[SWVF_HW_MPRC] = SWVF_VFMPRC,
	};
	unsigned long flags;
	unsigned int i;
	u32 val[SWVF_HW_NSTATS];

	if (test_bit(SWVF_GONE, adapter->state) ||
	    test_bit(SWVF_RESETTING, adapter->state))
		return;
	for (i = 0; i < SWVF_HW_NSTATS; i++)
		val[i] = swvf_rd32(adapter, regs[i]);
	if (val[SWVF_HW_GPRC] == ~0U && val[SWVF_HW_GPTC] == ~0U)
		return;	/* probably gone; the service task will tell */

	spin_lock_irqsave(&adapter->stats_lock, flags);
	for (i = 0; i < SWVF_HW_NSTATS; i++) {
		struct swvf_hw_stat *s = &adapter->hw_stats[i];
		u32 delta = val[i] - s->last;

		/*
		 * Sampled at least every second, so a real wrap advances by
		 * far less than 2^31; a bigger step backwards means a PF or
		 * VF reset restarted the counter from zero.
		 */
		if (delta & BIT(31))
			delta = val[i];
		s->total += delta;
		s->last = val[i];
	}
	spin_unlock_irqrestore(&adapter->stats_lock, flags);
}

/* Start counting from the current register values (probe). */
void swvf_baseline_hw_stats(struct swvf_adapter *adapter)
{
	unsigned long flags;

	spin_lock_irqsave(&adapter->stats_lock, flags);
	memset(adapter->hw_stats, 0, sizeof(adapter->hw_stats));
	spin_unlock_irqrestore(&adapter->stats_lock, flags);
	swvf_update_hw_stats(adapter);
	spin_lock_irqsave(&adapter->stats_lock, flags);
	for (int i = 0; i < SWVF_HW_NSTATS; i++)
		adapter->hw_stats[i].total = 0;
	spin_unlock_irqrestore(&adapter->stats_lock, flags);
}

static void swvf_get_stats64(struct net_device *netdev,
			     struct rtnl_link_stats64 *stats)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	struct swvf_ring *rx = &adapter->rx_ring;
	unsigned long flags;

	swvf_update_hw_stats(adapter);
	spin_lock_irqsave(&adapter->stats_lock, flags);
	stats->rx_packets = adapter->hw_stats[SWVF_HW_GPRC].total;
	stats->tx_packets = adapter->hw_stats[SWVF_HW_GPTC].total;
	stats->rx_bytes = adapter->hw_stats[SWVF_HW_GORC].total;
	stats->tx_bytes = adapter->hw_stats[SWVF_HW_GOTC].total;
	stats->multicast = adapter->hw_stats[SWVF_HW_MPRC].total;
	spin_unlock_irqrestore(&adapter->stats_lock, flags);

	stats->rx_crc_errors = rx->frame_err;
	stats->rx_errors = rx->frame_err;
	stats->rx_dropped = rx->alloc_failed;
	stats->tx_dropped = netdev->stats.tx_dropped;
}

const struct net_device_ops swvf_netdev_ops = {
	.ndo_open		= swvf_open,
	.ndo_stop		= swvf_close,
	.ndo_start_xmit		= swvf_xmit_frame,
	.ndo_set_rx_mode	= swvf_set_rx_mode,
	.ndo_set_mac_address	= swvf_set_mac,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= swvf_change_mtu,
	.ndo_vlan_rx_add_vid	= swvf_vlan_add,
	.ndo_vlan_rx_kill_vid	= swvf_vlan_kill,
	.ndo_tx_timeout		= swvf_tx_timeout,
	.ndo_get_stats64	= swvf_get_stats64,
};

/* ---- /sys/class/net/<dev>/sriov/: identity from SRIOV_MBX_GET_CONFIG ---- */

static struct swvf_adapter *swvf_dev_adapter(struct device *dev)
{
	return netdev_priv(to_net_dev(dev));
}

static ssize_t swvf_id_show(struct device *dev, char *buf,
			    unsigned int field)
{
	struct swvf_adapter *adapter = swvf_dev_adapter(dev);
	struct swvf_identity id;

	spin_lock(&adapter->id_lock);
	id = adapter->identity;
	spin_unlock(&adapter->id_lock);
	if (!id.valid)
		return -ENODATA;
	switch (field) {
	case 0:
		return sysfs_emit(buf, "%llu\n", id.serial);
	case 1:
		if (id.vport == SRIOV_MBX_NO_VPORT)
			return -ENODATA;
		return sysfs_emit(buf, "%u\n", id.vport);
	default:
		return sysfs_emit(buf, "%u\n", id.vf_index);
	}
}

static ssize_t serial_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return swvf_id_show(dev, buf, 0);
}
static DEVICE_ATTR_RO(serial);

static ssize_t vport_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return swvf_id_show(dev, buf, 1);
}
static DEVICE_ATTR_RO(vport);

static ssize_t vf_index_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return swvf_id_show(dev, buf, 2);
}
static DEVICE_ATTR_RO(vf_index);

static ssize_t identity_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct swvf_adapter *adapter = swvf_dev_adapter(dev);
	bool valid, nacked;

	spin_lock(&adapter->id_lock);
	valid = adapter->identity.valid;
	nacked = adapter->get_config_nacked;
	spin_unlock(&adapter->id_lock);
	return sysfs_emit(buf, "%s\n", valid ? "pf" :
			  nacked ? "unsupported" : "unknown");
}
static DEVICE_ATTR_RO(identity);

static struct attribute *swvf_sriov_attrs[] = {
	&dev_attr_identity.attr,
	&dev_attr_serial.attr,
	&dev_attr_vport.attr,
	&dev_attr_vf_index.attr,
	NULL,
};

const struct attribute_group swvf_sriov_group = {
	.name = "sriov",
	.attrs = swvf_sriov_attrs,
};
