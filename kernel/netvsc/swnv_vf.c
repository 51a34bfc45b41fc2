// SPDX-License-Identifier: GPL-2.0
/*
 * VF pairing: a VF netdev that matches an adapter (swnv_vf_matches()) is
 * claimed from the NETDEV_REGISTER notifier, before rtnetlink announces it,
 * so userspace never sees it without IFF_SLAVE; a VF whose MAC or identity
 * arrives later is claimed on the event that announces it.  Its frames are
 * delivered to the adapter by an rx_handler, whatever the data path is.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/sysfs.h>

#include "swnv.h"

/* All adapters, in every namespace; RTNL. */
static LIST_HEAD(swnv_adapters);

void swnv_adapter_list_add(struct swnv_priv *adp)
{
	ASSERT_RTNL();
	list_add_tail(&adp->list, &swnv_adapters);
}

void swnv_adapter_list_del(struct swnv_priv *adp)
{
	ASSERT_RTNL();
	list_del_init(&adp->list);
}

rx_handler_result_t swnv_vf_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct swnv_priv *adp = rcu_dereference(skb->dev->rx_handler_data);
	struct net_device *dev = adp->dev;
	struct swnv_pcpu_stats *st;

	/* our own broadcasts come back on the VF: the NIC loops them */
	if (unlikely(!(dev->flags & IFF_UP) || swnv_own_frame(skb, dev))) {
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	/* the VF may live in another namespace than the adapter */
	if (!net_eq(dev_net(skb->dev), dev_net(dev)))
		skb_scrub_packet(skb, true);
	skb->dev = dev;

	st = this_cpu_ptr(adp->stats);
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->vf_rx_packets);
	u64_stats_add(&st->vf_rx_bytes, skb->len);
	u64_stats_update_end(&st->syncp);
	return RX_HANDLER_ANOTHER;
}

/*
 * Identity: our VF driver publishes an attribute group "sriov" with a
 * "serial" device attribute in net_device.sysfs_groups (decimal or 0x hex).
 * Read it through the attribute's show() so no symbol links the modules.
 */
static bool swnv_vf_read_serial(struct net_device *vf, u64 *serial)
{
	const struct attribute_group *grp;
	struct device_attribute *da;
	bool found = false;
	char *buf;
	int i, j;

	for (i = 0; i < ARRAY_SIZE(vf->sysfs_groups) && !found; i++) {
		grp = vf->sysfs_groups[i];
		if (!grp)
			break;
		if (!grp->name || strcmp(grp->name, "sriov") || !grp->attrs)
			continue;
		for (j = 0; grp->attrs[j] && !found; j++) {
			if (strcmp(grp->attrs[j]->name, "serial"))
				continue;
			da = container_of(grp->attrs[j], struct device_attribute,
					  attr);
			if (!da->show)
				continue;
			buf = (char *)get_zeroed_page(GFP_KERNEL);
			if (!buf)
				return false;
			if (da->show(&vf->dev, da, buf) > 0 &&
			    !kstrtou64(strim(buf), 0, serial))
				found = true;
			free_page((unsigned long)buf);
		}
	}
	return found;
}

static struct swnv_priv *swnv_vf_owner(struct net_device *vf)
{
	if (rcu_access_pointer(vf->rx_handler) != swnv_vf_handle_frame)
		return NULL;
	return rcu_dereference_rtnl(vf->rx_handler_data);
}

/* A netdev of a PCI virtual function: the only kind that is ever claimed. */
static bool swnv_is_pci_vf(const struct net_device *dev)
{
	struct device *parent = dev->dev.parent;

	return dev->type == ARPHRD_ETHER && parent && dev_is_pci(parent) &&
	       to_pci_dev(parent)->is_virtfn;
}

/*
 * The pairing rule.  Only a free PCI VF netdev (no master, not claimed)
 * whose MAC is the adapter's is a candidate.  Then:
 * - an adapter with a serial pairs only with a VF that publishes that
 *   identity (sriov_vf, set by the PF, i.e. by host root through vf-alloc),
 *   in the host port's or the adapter's own namespace.  A VF without an
 *   identity (in-tree igbvf) never pairs with it.  The MAC must match too:
 *   the identity says whose VF it is, the MAC is what makes the data path
 *   work (the VF receives only its own MAC and, with anti-spoofing, sends
 *   only from it), so a VF with the right identity and another MAC would
 *   be a claimed VF that carries nothing.
 * - an adapter without a serial pairs by MAC alone, so only with a VF in
 *   its own namespace: one that the host has handed to the child already.
 *   The child chooses its adapter's MAC; anything wider would let it claim
 *   a VF of the host or of another child by copying its MAC.
 */
bool swnv_vf_matches(struct swnv_priv *adp, struct net_device *vf)
{
	struct net_device *host = rtnl_dereference(adp->peer);
	struct net *net = dev_net(vf);
	u64 serial;

	ASSERT_RTNL();
	if (!host || !swnv_is_pci_vf(vf) || swnv_vf_owner(vf) ||
	    netdev_master_upper_dev_get(vf) ||
	    !ether_addr_equal(vf->dev_addr, adp->dev->dev_addr))
		return false;
	if (!adp->has_serial)
		return net_eq(net, dev_net(adp->dev));
	if (!net_eq(net, dev_net(host)) && !net_eq(net, dev_net(adp->dev)))
		return false;
	return swnv_vf_read_serial(vf, &serial) && serial == adp->serial;
}

/* A claimed VF still carries its adapter's identity. */
static bool swnv_vf_identity_holds(struct swnv_priv *adp, struct net_device *vf)
{
	u64 serial;

	return !adp->has_serial ||
	       (swnv_vf_read_serial(vf, &serial) && serial == adp->serial);
}

int swnv_vf_claim(struct swnv_priv *adp, struct net_device *vf)
{
	struct netdev_lag_upper_info lag = {
		.tx_type = NETDEV_LAG_TX_TYPE_ACTIVEBACKUP,
	};
	int err;

	ASSERT_RTNL();
	if (rtnl_dereference(adp->vf))
		return -EBUSY;

	err = netdev_rx_handler_register(vf, swnv_vf_handle_frame, adp);
	if (err)
		return err;
	/*
	 * Flags first: linking announces the VF (NETDEV_CHANGEUPPER ->
	 * RTM_NEWLINK), and no announcement may lack IFF_SLAVE.
	 */
	vf->flags |= IFF_SLAVE;
	vf->priv_flags |= IFF_NO_ADDRCONF;
	err = netdev_master_upper_dev_link(vf, adp->dev, NULL, &lag, NULL);
	if (err)
		goto out_clear_flags;
	/* the adapter's VLANs, all or none (swnv_adapter_vlan_add()) */
	err = vlan_vids_add_by_dev(vf, adp->dev);
	if (err) {
		netdev_warn(adp->dev, "VF %s refused the adapter's VLANs: %d\n",
			    vf->name, err);
		goto out_unlink;
	}

	rcu_assign_pointer(adp->vf, vf);
	netdev_info(adp->dev, "claimed VF %s\n", vf->name);
	mod_delayed_work(system_wq, &adp->vf_open_work,
			 msecs_to_jiffies(SWNV_VF_OPEN_DELAY_MS));
	swnv_notify(adp);
	return 0;

out_unlink:
	netdev_upper_dev_unlink(vf, adp->dev);
out_clear_flags:
	vf->priv_flags &= ~IFF_NO_ADDRCONF;
	vf->flags &= ~IFF_SLAVE;
	netdev_rx_handler_unregister(vf);
	return err;
}

void swnv_vf_release(struct swnv_priv *adp)
{
	struct net_device *vf = rtnl_dereference(adp->vf);

	if (!vf)
		return;
	swnv_dp_force_synthetic(adp, SWNV_REASON_VF_UNREGISTER);
	netdev_rx_handler_unregister(vf);
	vlan_vids_del_by_dev(vf, adp->dev);
	netdev_upper_dev_unlink(vf, adp->dev);
	dev_uc_unsync(vf, adp->dev);
	dev_mc_unsync(vf, adp->dev);
	vf->priv_flags &= ~IFF_NO_ADDRCONF;
	vf->flags &= ~IFF_SLAVE;
	RCU_INIT_POINTER(adp->vf, NULL);
	netdev_info(adp->dev, "released VF %s\n", vf->name);
	swnv_notify(adp);
}

/* Open a claimed VF with the adapter's MTU and addresses, then re-decide. */
void swnv_vf_open_work(struct work_struct *work)
{
	struct swnv_priv *adp = container_of(to_delayed_work(work),
					     struct swnv_priv, vf_open_work);
	struct net_device *dev = adp->dev;
	struct net_device *vf;
	int err;

	if (!rtnl_trylock()) {
		schedule_delayed_work(&adp->vf_open_work, 1);
		return;
	}
	vf = rtnl_dereference(adp->vf);
	if (!vf || dev->reg_state != NETREG_REGISTERED || !netif_running(dev))
		goto out_unlock;

	if (vf->mtu != dev->mtu && dev_set_mtu(vf, dev->mtu))
		netdev_warn(dev, "VF %s keeps MTU %u\n", vf->name, vf->mtu);
	if (!(vf->flags & IFF_UP)) {
		err = dev_open(vf, NULL);
		if (err)
			netdev_warn(dev, "cannot open VF %s: %d\n", vf->name,
				    err);
	}
	netif_addr_lock_bh(dev);
	dev_uc_sync(vf, dev);
	dev_mc_sync(vf, dev);
	netif_addr_unlock_bh(dev);
	swnv_dp_evaluate(adp, SWNV_REASON_VF_UP);
out_unlock:
	rtnl_unlock();
}

static struct swnv_priv *swnv_find_adapter(struct net_device *vf)
{
	struct swnv_priv *adp;

	list_for_each_entry(adp, &swnv_adapters, list)
		if (!rtnl_dereference(adp->vf) && swnv_vf_matches(adp, vf))
			return adp;
	return NULL;
}

static struct net_device *swnv_scan_net(struct swnv_priv *adp, struct net *net)
{
	struct net_device *dev;

	for_each_netdev(net, dev)
		if (dev->reg_state == NETREG_REGISTERED &&
		    swnv_vf_matches(adp, dev))
			return dev;
	return NULL;
}

/*
 * An adapter created (or re-keyed) after its VF: claim the VF late.  Only
 * the namespaces the rule allows are searched; RTNL keeps their device
 * lists stable while the identity check sleeps.
 */
void swnv_scan_existing_vfs(struct swnv_priv *adp)
{
	struct net_device *host = rtnl_dereference(adp->peer);
	struct net_device *found;

	ASSERT_RTNL();
	if (rtnl_dereference(adp->vf) || !host)
		return;
	found = swnv_scan_net(adp, dev_net(adp->dev));
	if (!found && adp->has_serial &&
	    !net_eq(dev_net(host), dev_net(adp->dev)))
		found = swnv_scan_net(adp, dev_net(host));
	if (found)
		swnv_vf_claim(adp, found);
}

static int swnv_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct swnv_priv *adp;

	if (swnv_is_swnv_dev(dev))
		return NOTIFY_DONE;

	adp = swnv_vf_owner(dev);
	switch (event) {
	case NETDEV_REGISTER:
		if (adp) {
			/* moved into another namespace: still ours */
			mod_delayed_work(system_wq, &adp->vf_open_work,
					 msecs_to_jiffies(SWNV_VF_OPEN_DELAY_MS));
			return NOTIFY_OK;
		}
		adp = swnv_find_adapter(dev);
		if (adp && !swnv_vf_claim(adp, dev))
			return NOTIFY_OK;
		break;
	case NETDEV_GOING_DOWN:
		if (adp)
			swnv_dp_force_synthetic(adp, SWNV_REASON_VF_DOWN);
		break;
	case NETDEV_UNREGISTER:
		if (!adp)
			break;
		/* a namespace move keeps reg_state REGISTERED */
		if (dev->reg_state == NETREG_REGISTERED) {
			swnv_dp_force_synthetic(adp, SWNV_REASON_NETNS_MOVE);
			break;
		}
		swnv_vf_release(adp);
		break;
	case NETDEV_CHANGEADDR:
	case NETDEV_CHANGEINFODATA:
		/*
		 * A MAC or an identity that arrived after registration (the VF
		 * raises NETDEV_CHANGEINFODATA when its identity changes).  A
		 * claimed VF whose identity is no longer its adapter's serial
		 * is released: no pairing lives on a stale identity.
		 */
		if (adp) {
			if (!swnv_vf_identity_holds(adp, dev)) {
				netdev_info(adp->dev,
					    "VF %s no longer carries the identity\n",
					    dev->name);
				swnv_vf_release(adp);
			}
			break;
		}
		if (dev->reg_state != NETREG_REGISTERED)
			break;
		adp = swnv_find_adapter(dev);
		if (adp)
			swnv_vf_claim(adp, dev);
		break;
	case NETDEV_UP:
	case NETDEV_CHANGE:
		if (adp)
			swnv_dp_evaluate(adp, netif_carrier_ok(dev) ?
					 SWNV_REASON_VF_UP :
					 SWNV_REASON_VF_DOWN);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block swnv_notifier = {
	.notifier_call = swnv_netdev_event,
};

int swnv_notifier_register(void)
{
	return register_netdevice_notifier(&swnv_notifier);
}

void swnv_notifier_unregister(void)
{
	unregister_netdevice_notifier(&swnv_notifier);
}
