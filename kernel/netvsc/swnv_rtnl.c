// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink link type "sriov_netvsc": creation of the pair (veth-like peer
 * attribute), state reporting and commands through IFLA_INFO_DATA.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "swnv.h"

struct swnv_priv *swnv_adapter_of(struct net_device *dev)
{
	struct swnv_priv *np = netdev_priv(dev);
	struct net_device *peer;

	if (swnv_is_adapter(np))
		return np;
	peer = rtnl_dereference(np->peer);
	return peer ? netdev_priv(peer) : NULL;
}

/*
 * Tell both namespaces (host side: daemon; child side) the pair's state:
 * rtnetlink turns NETDEV_CHANGEINFODATA into RTM_NEWLINK with our
 * IFLA_INFO_DATA, as bonding does for its options.
 */
void swnv_notify(struct swnv_priv *adp)
{
	struct net_device *peer = rtnl_dereference(adp->peer);

	call_netdevice_notifiers(NETDEV_CHANGEINFODATA, adp->dev);
	if (peer)
		call_netdevice_notifiers(NETDEV_CHANGEINFODATA, peer);
}

static const struct nla_policy swnv_policy[IFLA_SWNV_MAX + 1] = {
	[IFLA_SWNV_PEER]		= { .len = sizeof(struct ifinfomsg) },
	[IFLA_SWNV_SERIAL]		= { .type = NLA_U64 },
	[IFLA_SWNV_DP_WANT]		= NLA_POLICY_MAX(NLA_U8, SWNV_DP_VF),
	[IFLA_SWNV_DP_ACK]		= { .type = NLA_U32 },
	[IFLA_SWNV_AUTO_ACK]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_SWNV_ACK_TIMEOUT_MS]	=
		NLA_POLICY_RANGE(NLA_U32, 1, SWNV_ACK_TIMEOUT_MAX_MS),
};

static int swnv_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN)
			return -EINVAL;
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS])))
			return -EADDRNOTAVAIL;
	}
	if (tb[IFLA_MTU] && (nla_get_u32(tb[IFLA_MTU]) < ETH_MIN_MTU ||
			     nla_get_u32(tb[IFLA_MTU]) > ETH_MAX_MTU)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU], "invalid MTU");
		return -EINVAL;
	}
	return 0;
}

/*
 * Only the host side controls a pair.  The child may hold CAP_NET_ADMIN in
 * the initial user namespace (a container without a user namespace), so a
 * capability check alone cannot tell it from host root: the request must
 * come from a task in the host port's network namespace, on a socket of
 * that namespace (rtnetlink looks the device up in the socket's namespace
 * and runs the request in the sender's context), holding CAP_NET_ADMIN over
 * it.
 */
static bool swnv_caller_in(struct net *net)
{
	struct nsproxy *nsp = current->nsproxy;

	return nsp && net_eq(nsp->net_ns, net) &&
	       ns_capable(net->user_ns, CAP_NET_ADMIN);
}

static int swnv_host_side_only(struct net_device *dev,
			       struct netlink_ext_ack *extack)
{
	struct swnv_priv *np = netdev_priv(dev);
	struct net_device *host;

	host = swnv_is_adapter(np) ? rtnl_dereference(np->peer) : dev;
	if (host && net_eq(dev_net(dev), dev_net(host)) &&
	    swnv_caller_in(dev_net(host)))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "only the host port's namespace may change the pair");
	return -EPERM;
}

/* Settings that may come with newlink or changelink. */
static void swnv_apply_settings(struct swnv_priv *adp, struct nlattr *data[])
{
	if (data[IFLA_SWNV_SERIAL]) {
		adp->serial = nla_get_u64(data[IFLA_SWNV_SERIAL]);
		adp->has_serial = true;
	}
	if (data[IFLA_SWNV_AUTO_ACK])
		adp->auto_ack = nla_get_u8(data[IFLA_SWNV_AUTO_ACK]);
	if (data[IFLA_SWNV_ACK_TIMEOUT_MS])
		adp->ack_timeout_ms = nla_get_u32(data[IFLA_SWNV_ACK_TIMEOUT_MS]);
	if (data[IFLA_SWNV_DP_WANT])
		adp->want = nla_get_u8(data[IFLA_SWNV_DP_WANT]);
}

static struct net_device *swnv_create_adapter(struct net *src_net,
					      struct net_device *host,
					      struct nlattr *data[],
					      struct netlink_ext_ack *extack)
{
	struct nlattr *peer_tb[IFLA_MAX + 1], **tbp = peer_tb;
	unsigned char name_assign_type = NET_NAME_USER;
	struct ifinfomsg *ifmp = NULL;
	char ifname[IFNAMSIZ];
	struct net_device *adapter;
	struct net *net;
	int err;

	memset(peer_tb, 0, sizeof(peer_tb));
	if (data && data[IFLA_SWNV_PEER]) {
		ifmp = nla_data(data[IFLA_SWNV_PEER]);
		err = rtnl_nla_parse_ifinfomsg(peer_tb, data[IFLA_SWNV_PEER],
					       extack);
		if (err < 0)
			return ERR_PTR(err);
		err = swnv_validate(peer_tb, NULL, extack);
		if (err < 0)
			return ERR_PTR(err);
	}

	if (peer_tb[IFLA_IFNAME]) {
		nla_strscpy(ifname, peer_tb[IFLA_IFNAME], IFNAMSIZ);
	} else {
		snprintf(ifname, IFNAMSIZ, "swnv%%d");
		name_assign_type = NET_NAME_ENUM;
	}

	net = rtnl_link_get_net(src_net, tbp);
	if (IS_ERR(net))
		return ERR_CAST(net);
	/*
	 * A pair that spans two namespaces is made by the host, whose
	 * namespace is the initial one (the PFs, sriovd).  Anyone else keeps
	 * both ends at home: a child could otherwise plant an adapter it
	 * controls in the host's namespace and pair it with a host VF there.
	 */
	if (!net_eq(net, dev_net(host)) && !net_eq(dev_net(host), &init_net)) {
		NL_SET_ERR_MSG(extack,
			       "only the initial namespace may place the adapter elsewhere");
		adapter = ERR_PTR(-EPERM);
		goto out_put_net;
	}

	adapter = rtnl_create_link(net, ifname, name_assign_type,
				   &swnv_link_ops, tbp, extack);
	if (IS_ERR(adapter))
		goto out_put_net;

	if (!peer_tb[IFLA_ADDRESS])
		eth_hw_addr_random(adapter);
	if (ifmp && host->ifindex)
		adapter->ifindex = ifmp->ifi_index;
	swnv_adapter_init(adapter);
	if (data)
		swnv_apply_settings(netdev_priv(adapter), data);

	err = register_netdevice(adapter);
	if (err < 0) {
		free_netdev(adapter);
		adapter = ERR_PTR(err);
		goto out_put_net;
	}
	netif_carrier_off(adapter);

	err = rtnl_configure_link(adapter, ifmp, 0, NULL);
	if (err < 0) {
		unregister_netdevice(adapter);
		adapter = ERR_PTR(err);
	}
out_put_net:
	put_net(net);
	return adapter;
}

static int swnv_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct swnv_priv *host = netdev_priv(dev);
	struct net_device *adapter;
	struct swnv_priv *adp;
	int err;

	/*
	 * The host port stays with its creator: a child cannot create a pair
	 * whose host port (and so whose control) sits in another namespace.
	 */
	if (!swnv_caller_in(dev_net(dev))) {
		NL_SET_ERR_MSG(extack,
			       "the host port must be created in the caller's namespace");
		return -EPERM;
	}
	adapter = swnv_create_adapter(src_net, dev, data, extack);
	if (IS_ERR(adapter))
		return PTR_ERR(adapter);
	adp = netdev_priv(adapter);

	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);
	if (tb[IFLA_IFNAME])
		nla_strscpy(dev->name, tb[IFLA_IFNAME], IFNAMSIZ);
	else
		snprintf(dev->name, IFNAMSIZ, "swnvh%%d");

	err = register_netdevice(dev);
	if (err < 0)
		goto out_unregister_adapter;
	netif_carrier_off(dev);

	rcu_assign_pointer(host->peer, adapter);
	rcu_assign_pointer(adp->peer, dev);
	swnv_adapter_list_add(adp);
	swnv_scan_existing_vfs(adp);
	return 0;

out_unregister_adapter:
	unregister_netdevice(adapter);
	return err;
}

static void swnv_dellink(struct net_device *dev, struct list_head *head)
{
	struct swnv_priv *np = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(np->peer);

	/* freeing waits for an RCU grace period after the unregistration */
	RCU_INIT_POINTER(np->peer, NULL);
	unregister_netdevice_queue(dev, head);
	if (peer) {
		struct swnv_priv *pp = netdev_priv(peer);

		RCU_INIT_POINTER(pp->peer, NULL);
		unregister_netdevice_queue(peer, head);
	}
}

static int swnv_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	struct swnv_priv *np = netdev_priv(dev);
	struct swnv_priv *adp = swnv_adapter_of(dev);
	bool rescan, command;
	int err;

	if (!data)
		return 0;
	/* first, so that the child sees EPERM whatever else it asks */
	err = swnv_host_side_only(dev, extack);
	if (err)
		return err;
	if (!adp) {
		NL_SET_ERR_MSG(extack, "the pair has no adapter");
		return -ENODEV;
	}
	if (data[IFLA_SWNV_PEER]) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_SWNV_PEER],
				    "the peer is fixed at creation");
		return -EOPNOTSUPP;
	}
	if (data[IFLA_SWNV_DP_ACK] && swnv_is_adapter(np)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_SWNV_DP_ACK],
				    "switches are acknowledged on the host port");
		return -EOPNOTSUPP;
	}
	if (data[IFLA_SWNV_SERIAL] && rtnl_dereference(adp->vf)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_SWNV_SERIAL],
				    "a VF is paired: the identity is in use");
		return -EBUSY;
	}
	if (data[IFLA_SWNV_DP_ACK]) {
		err = swnv_dp_ack(adp, nla_get_u32(data[IFLA_SWNV_DP_ACK]));
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_SWNV_DP_ACK],
					    "no outstanding request with this sequence");
			return err;
		}
	}

	rescan = !!data[IFLA_SWNV_SERIAL];
	command = !!data[IFLA_SWNV_DP_WANT];
	swnv_apply_settings(adp, data);
	/* turning auto_ack on closes what nobody will acknowledge otherwise */
	if (adp->auto_ack && adp->pending != SWNV_DP_NONE)
		swnv_dp_ack(adp, adp->seq);
	if (rescan)
		swnv_scan_existing_vfs(adp);
	if (command)
		swnv_dp_evaluate(adp, SWNV_REASON_COMMAND);
	return 0;
}

static size_t swnv_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u8)) +		/* ROLE */
	       nla_total_size_64bit(sizeof(u64)) +	/* SERIAL */
	       nla_total_size(sizeof(u8)) +		/* DP_ACTIVE */
	       nla_total_size(sizeof(u8)) +		/* DP_WANT */
	       nla_total_size(sizeof(u8)) +		/* DP_PENDING */
	       nla_total_size(sizeof(u32)) +		/* DP_SEQ */
	       nla_total_size(sizeof(u8)) +		/* AUTO_ACK */
	       nla_total_size(sizeof(u32)) +		/* ACK_TIMEOUT_MS */
	       nla_total_size(sizeof(u32)) +		/* VF_IFINDEX */
	       nla_total_size(sizeof(u32)) +		/* SWITCHES */
	       nla_total_size(sizeof(u32)) +		/* TIMEOUTS */
	       nla_total_size(sizeof(u8)) +		/* LAST_REASON */
	       nla_total_size_64bit(sizeof(u64));	/* LAST_DURATION_NS */
}

static int swnv_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct swnv_priv *np = netdev_priv(dev);
	const struct swnv_priv *adp;
	struct net_device *peer, *vf;

	if (nla_put_u8(skb, IFLA_SWNV_ROLE, np->role))
		return -EMSGSIZE;
	if (swnv_is_adapter(np)) {
		adp = np;
	} else {
		peer = rtnl_dereference(np->peer);
		if (!peer)
			return 0;
		adp = netdev_priv(peer);
	}

	vf = rtnl_dereference(adp->vf);
	if ((adp->has_serial &&
	     nla_put_u64_64bit(skb, IFLA_SWNV_SERIAL, adp->serial,
			       IFLA_SWNV_PAD)) ||
	    nla_put_u8(skb, IFLA_SWNV_DP_ACTIVE, adp->active) ||
	    nla_put_u8(skb, IFLA_SWNV_DP_WANT, adp->want) ||
	    nla_put_u8(skb, IFLA_SWNV_DP_PENDING, adp->pending) ||
	    nla_put_u32(skb, IFLA_SWNV_DP_SEQ, adp->seq) ||
	    nla_put_u8(skb, IFLA_SWNV_AUTO_ACK, adp->auto_ack) ||
	    nla_put_u32(skb, IFLA_SWNV_ACK_TIMEOUT_MS, adp->ack_timeout_ms) ||
	    (vf && nla_put_u32(skb, IFLA_SWNV_VF_IFINDEX, vf->ifindex)) ||
	    nla_put_u32(skb, IFLA_SWNV_SWITCHES, adp->switches) ||
	    nla_put_u32(skb, IFLA_SWNV_TIMEOUTS, adp->timeouts) ||
	    nla_put_u8(skb, IFLA_SWNV_LAST_REASON, adp->last_reason) ||
	    nla_put_u64_64bit(skb, IFLA_SWNV_LAST_DURATION_NS,
			      adp->last_duration_ns, IFLA_SWNV_PAD))
		return -EMSGSIZE;
	return 0;
}

static struct net *swnv_get_link_net(const struct net_device *dev)
{
	const struct swnv_priv *np = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(np->peer);

	return peer ? dev_net(peer) : dev_net(dev);
}

static unsigned int swnv_get_num_queues(void)
{
	return min_t(unsigned int, num_possible_cpus(), SWNV_MAX_QUEUES);
}

struct rtnl_link_ops swnv_link_ops = {
	.kind			= SRIOV_NETVSC_KIND,
	.priv_size		= sizeof(struct swnv_priv),
	.setup			= swnv_setup,
	.validate		= swnv_validate,
	.newlink		= swnv_newlink,
	.dellink		= swnv_dellink,
	.changelink		= swnv_changelink,
	.policy			= swnv_policy,
	.maxtype		= IFLA_SWNV_MAX,
	.get_size		= swnv_get_size,
	.fill_info		= swnv_fill_info,
	.get_link_net		= swnv_get_link_net,
	.get_num_tx_queues	= swnv_get_num_queues,
	.get_num_rx_queues	= swnv_get_num_queues,
};

int swnv_rtnl_register(void)
{
	return rtnl_link_register(&swnv_link_ops);
}

void swnv_rtnl_unregister(void)
{
	rtnl_link_unregister(&swnv_link_ops);
}
