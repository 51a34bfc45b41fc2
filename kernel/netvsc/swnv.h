/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_netvsc: the child's VM network adapter.
 *
 * A pair of netdevs, the host port and the adapter, forms the synthetic path
 * (skbs are handed across, like veth).  The adapter additionally claims a VF
 * netdev whose identity and MAC match and transmits through it while the
 * data path is "VF"; frames received on the VF are delivered to the adapter
 * at all times.
 *
 * Locking: every control-plane field below is written under RTNL (netlink
 * ops, the netdev notifier, and the work items, which take RTNL).  The data
 * path reads only the RCU pointers and the per-CPU counters.
 */
#ifndef _SWNV_H
#define _SWNV_H

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include "uapi/sriov_netvsc.h"

#define SWNV_DRV_NAME		"sriov_netvsc"
#define SWNV_MAX_QUEUES		16
/* default bounded wait for the host side to acknowledge a switch */
#define SWNV_ACK_TIMEOUT_MS	200
#define SWNV_ACK_TIMEOUT_MAX_MS	10000
/*
 * The VF is opened from a work item, not from NETDEV_REGISTER: drivers such
 * as igbvf still touch carrier and queue state right after register_netdev().
 */
#define SWNV_VF_OPEN_DELAY_MS	20

struct swnv_pcpu_stats {
	u64_stats_t vf_rx_packets;
	u64_stats_t vf_rx_bytes;
	u64_stats_t vf_tx_packets;
	u64_stats_t vf_tx_bytes;
	u64_stats_t syn_rx_packets;
	u64_stats_t syn_rx_bytes;
	u64_stats_t syn_tx_packets;
	u64_stats_t syn_tx_bytes;
	u64_stats_t tx_dropped;
	struct u64_stats_sync syncp;
};

struct swnv_stats {
	u64 vf_rx_packets;
	u64 vf_rx_bytes;
	u64 vf_tx_packets;
	u64 vf_tx_bytes;
	u64 syn_rx_packets;
	u64 syn_rx_bytes;
	u64 syn_tx_packets;
	u64 syn_tx_bytes;
	u64 tx_dropped;
};

/**
 * struct swnv_priv - private data of both ends of a pair
 * @dev: the netdev this is the private area of
 * @peer: the other end; RTNL writes, RCU-bh reads in the xmit paths
 * @role: enum swnv_role, fixed at creation
 * @list: entry on swnv_adapters (adapters only); RTNL
 *
 * The remaining fields are used on the adapter only.
 * @vf: the claimed VF; RTNL writes, RCU reads
 * @tx_vf: equals @vf while the TX data path is the VF, else NULL; RTNL
 *	writes, RCU-bh reads in the adapter's xmit
 * @stats: per-CPU path counters, written in BH context on the local CPU
 * @serial: identity a VF must carry to be claimed (if @has_serial); RTNL
 * @has_serial: @serial is set; RTNL
 * @active: enum swnv_datapath used for TX; RTNL writes, READ_ONCE readers
 * @want: preferred data path (DP_WANT); RTNL
 * @pending: path of the outstanding request or SWNV_DP_NONE; RTNL
 * @pending_reason: enum swnv_reason of the outstanding request; RTNL
 * @last_reason: reason of the last completed switch or timeout; RTNL
 * @auto_ack: the host port acknowledges requests itself; RTNL
 * @seq: sequence number of the last request; RTNL
 * @ack_timeout_ms: bounded wait for an acknowledgment; RTNL
 * @switches: number of TX data path changes; RTNL writes, READ_ONCE readers
 * @timeouts: requests that timed out; RTNL writes, READ_ONCE readers
 * @req_start: when the outstanding request was issued; RTNL
 * @last_duration_ns: request to ack (or timeout) of the last request; RTNL
 *	writes, READ_ONCE readers
 * @timeout_work: fires when a request is not acknowledged in time
 * @vf_open_work: opens a freshly claimed VF
 */
struct swnv_priv {
	struct net_device *dev;
	struct net_device __rcu *peer;
	u8 role;
	struct list_head list;

	struct net_device __rcu *vf;
	struct net_device __rcu *tx_vf;
	struct swnv_pcpu_stats __percpu *stats;
	u64 serial;
	bool has_serial;
	u8 active;
	u8 want;
	u8 pending;
	u8 pending_reason;
	u8 last_reason;
	bool auto_ack;
	u32 seq;
	u32 ack_timeout_ms;
	u32 switches;
	u32 timeouts;
	ktime_t req_start;
	u64 last_duration_ns;
	struct delayed_work timeout_work;
	struct delayed_work vf_open_work;
};

static inline bool swnv_is_adapter(const struct swnv_priv *np)
{
	return np->role == SWNV_ROLE_ADAPTER;
}

/*
 * A frame the adapter sent itself: the 82576 loops VF broadcasts and
 * multicasts back to the other pools (and QEMU even to the sender's own
 * pool), so they reach the adapter again through the bridge or the VF.
 */
static inline bool swnv_own_frame(const struct sk_buff *skb,
				  const struct net_device *adapter)
{
	return ether_addr_equal(eth_hdr(skb)->h_source, adapter->dev_addr);
}

/* swnv_netdev.c */
extern struct rtnl_link_ops swnv_link_ops;
void swnv_setup(struct net_device *dev);
int swnv_adapter_init(struct net_device *dev);
bool swnv_is_swnv_dev(const struct net_device *dev);
void swnv_stats_fold(struct swnv_priv *np, struct swnv_stats *st);

/* swnv_rtnl.c */
int swnv_rtnl_register(void);
void swnv_rtnl_unregister(void);
struct swnv_priv *swnv_adapter_of(struct net_device *dev);
void swnv_notify(struct swnv_priv *adp);

/* swnv_vf.c */
rx_handler_result_t swnv_vf_handle_frame(struct sk_buff **pskb);
int swnv_vf_claim(struct swnv_priv *adp, struct net_device *vf);
void swnv_vf_release(struct swnv_priv *adp);
bool swnv_vf_matches(struct swnv_priv *adp, struct net_device *vf);
void swnv_vf_open_work(struct work_struct *work);
int swnv_notifier_register(void);
void swnv_notifier_unregister(void);
void swnv_adapter_list_add(struct swnv_priv *adp);
void swnv_adapter_list_del(struct swnv_priv *adp);
void swnv_scan_existing_vfs(struct swnv_priv *adp);

/* swnv_dp.c */
void swnv_dp_evaluate(struct swnv_priv *adp, u8 reason);
void swnv_dp_force_synthetic(struct swnv_priv *adp, u8 reason);
int swnv_dp_ack(struct swnv_priv *adp, u32 seq);
void swnv_dp_timeout_work(struct work_struct *work);
const char *swnv_reason_name(u8 reason);

/* swnv_fault.c: debugfs fault injection for the tests */
void swnv_fault_init(void);
void swnv_fault_exit(void);
bool swnv_fault_stall_ack(void);

/* swnv_ethtool.c */
extern const struct ethtool_ops swnv_ethtool_ops;

#endif /* _SWNV_H */
