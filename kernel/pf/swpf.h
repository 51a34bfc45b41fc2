/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_pf: Intel 82576 PF driver - device structure, register accessors and
 * cross-file prototypes.
 *
 * Lock order (outermost first): rtnl_lock -> netif_addr_lock ->
 * pf->filter_lock; pf->stats_lock is a leaf.
 * The datapath (xmit, NAPI) runs lockless on the rings it owns; ring
 * (re)configuration only happens with rtnl held and NAPI/queues stopped.
 */
#ifndef _SWPF_H_
#define _SWPF_H_

#include <linux/bitops.h>
#include <linux/if_vlan.h>
#include <linux/io.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "swpf_regs.h"
#include "swpf_txrx.h"

#define SWPF_DRV_NAME		"sriov_pf"

/* The PF runs one TX/RX queue pair on its own VMDq pool. */
#define SWPF_NUM_QUEUE_PAIRS	1
/* MSI-X: vector 0 = "other" (link, mailbox/VFLR), vector 1.. = queues */
#define SWPF_OTHER_VECTOR	0
#define SWPF_FIRST_Q_VECTOR	1
#define SWPF_NUM_VECTORS	(SWPF_FIRST_Q_VECTOR + SWPF_NUM_QUEUE_PAIRS)

/* RAR entries the PF may use for its own unicast list: RAR0 (device MAC)
 * through SWPF_PF_RAR_LAST; the top entries are left for VF MACs
 * (Linux convention: VF n in RAR[23 - n]).
 */
#define SWPF_PF_RAR_LAST	15

#define SWPF_MIN_MTU		ETH_MIN_MTU
#define SWPF_MAX_MTU		9000
/* frame length checked against RLPML: MTU + header + 2 tags + FCS */
#define SWPF_MAX_FRAME(mtu)	((mtu) + ETH_HLEN + 2 * VLAN_HLEN + ETH_FCS_LEN)

#define SWPF_WATCHDOG_PERIOD	(2 * HZ)

/* pf->state bits */
enum swpf_state {
	SWPF_STATE_DOWN,	/* datapath not running */
	SWPF_STATE_REMOVED,	/* device gone (all-ones reads) */
	SWPF_STATE_TESTING,	/* ethtool offline self-test in progress */
	SWPF_STATE_NBITS,
};

/**
 * struct swpf_reset_info - what a PF reset wrote back (pf_reset reporter)
 * @err: the reset's result (0 or a negative errno)
 * @num_vfs: VFs enabled at the reset
 * @vfs_told: VFs that had finished their reset handshake and were told to
 *	redo it
 * @vf_macs: MACs of VFs without a VPort written back to their RAR entry
 * @spoofchk: VFs whose anti-spoofing was switched on again
 * @mac_filters: switch MAC filters written back to their RAR entry
 */
struct swpf_reset_info {
	int err;
	u32 num_vfs;
	u32 vfs_told;
	u32 vf_macs;
	u32 spoofchk;
	u32 mac_filters;
};

/* hardware counters accumulated from the clear-on-read statistics block */
struct swpf_hw_stats {
	u64 crcerrs, algnerrc, symerrs, rxerrc, mpc, scc, ecol, mcc, latecol;
	u64 colc, dc, tncrs, sec, cextrerr, rlec, xonrxc, xontxc, xoffrxc;
	u64 xofftxc, fcruc, prc64, prc127, prc255, prc511, prc1023, prc1522;
	u64 gprc, bprc, mprc, gptc, gorc, gotc, rnbc, ruc, rfc, roc, rjc;
	u64 tor, tot, tpr, tpt, ptc64, ptc127, ptc255, ptc511, ptc1023;
	u64 ptc1522, mptc, bptc, tsctc, tsctfc;
};

/**
 * struct swpf_vlvf - software view of one VLAN pool filter (VLVF) entry
 * @vid: VLAN id of the entry (meaningful while the entry is in use)
 * @refs: users of the VLAN per VMDq pool (swpf_vlan_ref())
 */
struct swpf_vlvf {
	u16 vid;
	u8 refs[SWPF_NUM_POOLS];
};

/**
 * struct swpf_dev - per-PF driver state
 *
 * Fields marked [rtnl] are written only with rtnl_lock held (probe/remove
 * hold it where needed); [stats_lock] fields only under @stats_lock;
 * [irq] fields are written by interrupt/NAPI context only.
 */
struct swpf_dev {
	struct pci_dev *pdev;
	struct net_device *netdev;
	u8 __iomem *bar0;		/* BAR0 mapping, valid until remove */
	u8 __iomem *hw_addr;		/* register access; NULL once gone */
	DECLARE_BITMAP(state, SWPF_STATE_NBITS);

	/* ---- identity ---- */
	u8 perm_addr[ETH_ALEN];
	u16 nvm_version;

	/* ---- interrupts ---- */
	int num_vectors;			/* allocated MSI-X vectors */
	char other_name[IFNAMSIZ + 16];
	u32 ims_mask;				/* [rtnl] ICR causes for "other" */
	atomic_t other_irq_count;		/* self-test evidence */
	struct swpf_q_vector q_vector[SWPF_NUM_QUEUE_PAIRS];
	u16 eitr;				/* [rtnl] EITR interval field */

	/* ---- rings ---- */
	struct swpf_ring tx_ring[SWPF_NUM_QUEUE_PAIRS];
	struct swpf_ring rx_ring[SWPF_NUM_QUEUE_PAIRS];
	u16 tx_ring_count;			/* [rtnl] descriptors per ring */
	u16 rx_ring_count;			/* [rtnl] */

	/*
	 * ---- VMDq pool ----
	 * The PF uses the queues of pool @pf_pool (queue q with q % 8 ==
	 * pf_pool): always SWPF_PF_POOL, the last pool, which no VF ever
	 * owns (at most 7 VFs), so enabling or disabling VFs never moves
	 * the PF's queues and never takes its datapath down.
	 */
	u8 pf_pool;				/* set at probe, then constant */

	/* ---- link ---- */
	bool link_up;				/* [rtnl or link_work] */
	u32 link_speed;				/* SPEED_xxx */
	u8 link_duplex;				/* DUPLEX_xxx */
	struct work_struct link_work;		/* scheduled from "other" IRQ */
	struct delayed_work watchdog;		/* stats, link poll, removal */
	struct work_struct reset_task;		/* TX timeout recovery */

	/*
	 * ---- receive filters ----
	 * @filter_lock (BH-safe) serialises read-modify-write sequences on the
	 * shared filter registers (RCTL, VT_CTL, VMOLR, MTA, RAR): they are
	 * written from ndo_set_rx_mode (netif_addr_lock, no rtnl) and from
	 * rtnl paths (MTU, features, pool changes, self-test).
	 */
	spinlock_t filter_lock;
	u32 mta_shadow[SWPF_MTA_REGS];		/* [filter_lock] PF hashes */
	/* VLAN filters (swpf_vlan.c): VLVF entries, the PF's own VLANs,
	 * VLAN promiscuous mode of the PF pool; all [filter_lock]
	 */
	struct swpf_vlvf vlvf[SWPF_VLVF_ENTRIES];
	unsigned long pf_vlans[BITS_TO_LONGS(VLAN_N_VID)];
	bool vlan_promisc;

	/* ---- statistics ---- */
	spinlock_t stats_lock;			/* guards @hw_stats */
	struct swpf_hw_stats hw_stats;		/* [stats_lock] */

	/*
	 * ---- SR-IOV state (issue 4: swpf_sriov.c / swpf_mbx.c) ----
	 * VF count, per-VF state and the NIC-switch tables are added here.
	 * Hooks: swpf_other_irq() has the place where ICR.VMMB (mailbox +
	 * VFLR) is dispatched;
	 * @ims_mask takes SWPF_ICR_VMMB; swpf_hw_write_mta() merges VF hashes.
	 */
	u16 num_vfs;				/* [rtnl] */
	struct swpf_sriov *sriov;	/* swpf_sriov.h; set probe..remove */

	/*
	 * Last values written to the write-only transmit rate limiter
	 * registers, per queue (RTTBCNRC) and global (RTTBCNRM), for the
	 * register dump.  Written under sr->lock, zeroed by swpf_hw_reset().
	 */
	u32 rttbcnrc[SWPF_NUM_POOLS];
	u32 rttbcnrm;

	/* devlink instance (swpf_devlink.c), probe..remove */
	struct devlink *devlink;
};

/* ---- register accessors ---- */
u32 swpf_rd32_slow(struct swpf_dev *pf, u32 reg, u32 val);

static inline bool swpf_removed(const struct swpf_dev *pf)
{
	return test_bit(SWPF_STATE_REMOVED, pf->state);
}

static inline u32 swpf_rd32(struct swpf_dev *pf, u32 reg)
{
	u8 __iomem *hw = READ_ONCE(pf->hw_addr);
	u32 val;

	if (!hw)
		return ~0U;
	val = readl(hw + reg);
	if (unlikely(val == ~0U))
		val = swpf_rd32_slow(pf, reg, val);
	return val;
}

static inline void swpf_wr32(struct swpf_dev *pf, u32 reg, u32 val)
{
	u8 __iomem *hw = READ_ONCE(pf->hw_addr);

	if (hw)
		writel(val, hw + reg);
}

static inline void swpf_rmw32(struct swpf_dev *pf, u32 reg, u32 clear, u32 set)
{
	swpf_wr32(pf, reg, (swpf_rd32(pf, reg) & ~clear) | set);
}

/* read-modify-write of a shared filter/control register */
static inline void swpf_rmw32_locked(struct swpf_dev *pf, u32 reg, u32 clear,
				     u32 set)
{
	spin_lock_bh(&pf->filter_lock);
	swpf_rmw32(pf, reg, clear, set);
	spin_unlock_bh(&pf->filter_lock);
}

static inline void swpf_wrfl(struct swpf_dev *pf)
{
	swpf_rd32(pf, SWPF_STATUS);
}

/* ---- swpf_pci.c ---- */
int swpf_param_set_range(const char *val, const struct kernel_param *kp,
			 unsigned int min, unsigned int max);

/* ---- swpf_hw.c ---- */
int swpf_hw_reset(struct swpf_dev *pf);
int swpf_hw_read_nvm(struct swpf_dev *pf, u16 word, u16 *data);
int swpf_hw_validate_nvm(struct swpf_dev *pf);
void swpf_hw_nvm_version_str(const struct swpf_dev *pf, char *buf, size_t len);
int swpf_hw_read_mac(struct swpf_dev *pf, u8 *mac);
int swpf_hw_phy_read(struct swpf_dev *pf, u32 reg, u16 *data);
int swpf_hw_phy_write(struct swpf_dev *pf, u32 reg, u16 data);
int swpf_hw_restart_autoneg(struct swpf_dev *pf);
bool swpf_hw_link_status(struct swpf_dev *pf, u32 *speed, u8 *duplex);
void swpf_hw_init_filters(struct swpf_dev *pf);
void swpf_hw_set_rar(struct swpf_dev *pf, unsigned int idx, const u8 *addr,
		     u8 pool);
void swpf_hw_clear_rar(struct swpf_dev *pf, unsigned int idx);
u32 swpf_hw_mta_hash(const u8 *addr);
void swpf_hw_write_mta(struct swpf_dev *pf, bool all_multi);
void swpf_hw_set_rx_enable(struct swpf_dev *pf, bool enable);
int swpf_hw_regs_len(void);
void swpf_hw_get_regs(struct swpf_dev *pf, u32 *buf);
int swpf_hw_reg_test(struct swpf_dev *pf, u64 *data);
int swpf_hw_nvm_test(struct swpf_dev *pf, u64 *data);

/* ---- swpf_irq.c ---- */
int swpf_irq_init(struct swpf_dev *pf);
void swpf_irq_deinit(struct swpf_dev *pf);
int swpf_irq_request_queues(struct swpf_dev *pf);
void swpf_irq_free_queues(struct swpf_dev *pf);
void swpf_irq_configure(struct swpf_dev *pf);
void swpf_irq_enable(struct swpf_dev *pf);
void swpf_irq_disable_queues(struct swpf_dev *pf);
void swpf_irq_unconfigure_queues(struct swpf_dev *pf);
void swpf_irq_write_itr(struct swpf_dev *pf);
int swpf_irq_test(struct swpf_dev *pf, u64 *data);

/* ---- swpf_netdev.c ---- */
int swpf_netdev_init(struct swpf_dev *pf);
void swpf_netdev_deinit(struct swpf_dev *pf);
int swpf_up(struct swpf_dev *pf);
void swpf_down(struct swpf_dev *pf);
int swpf_reset_hw(struct swpf_dev *pf);
int swpf_reset(struct swpf_dev *pf);
void swpf_link_work(struct work_struct *work);
void swpf_watchdog(struct work_struct *work);
void swpf_write_rx_mode(struct swpf_dev *pf);
void swpf_write_vlan_offload(struct swpf_dev *pf, netdev_features_t features);
void swpf_write_rxcsum(struct swpf_dev *pf, netdev_features_t features);
int swpf_loopback_test(struct swpf_dev *pf, u64 *data);

/* ---- swpf_vlan.c ---- */
void swpf_vlan_write_all_locked(struct swpf_dev *pf);
void swpf_vlan_write_all(struct swpf_dev *pf);
void swpf_vlan_set_promisc_locked(struct swpf_dev *pf, bool on);
int swpf_vlan_ref(struct swpf_dev *pf, u16 vid, u8 pool, bool on);
int swpf_vlan_ref_reserve(struct swpf_dev *pf, u16 vid, u8 pool, bool on,
			  unsigned int reserve);
int swpf_vlan_move(struct swpf_dev *pf, u16 vid, u8 src, u8 dst);
void swpf_vlan_clear_refs(struct swpf_dev *pf);
unsigned int swpf_vlan_free_entries(struct swpf_dev *pf);
int swpf_vlan_rx_add_vid(struct net_device *netdev, __be16 proto, u16 vid);
int swpf_vlan_rx_kill_vid(struct net_device *netdev, __be16 proto, u16 vid);

/* ---- swpf_ethtool.c ---- */
void swpf_set_ethtool_ops(struct net_device *netdev);

/* ---- swpf_fault.c (debugfs fault injection for the tests) ---- */
struct swpf_vf;
void swpf_fault_add(struct swpf_dev *pf);
void swpf_fault_del(struct swpf_dev *pf);
bool swpf_fault_alloc(const struct swpf_dev *pf);
int swpf_fault_filter(const struct swpf_dev *pf);
int swpf_fault_flr(const struct swpf_dev *pf);
void swpf_fault_mbx_delay(const struct swpf_dev *pf);
bool swpf_fault_mbx_drop(struct swpf_vf *vf);

/* ---- swpf_sriov.c (SR-IOV, NIC switch: issue 4) ---- */
struct ifla_vf_info;
struct ifla_vf_stats;
int swpf_sriov_init(struct swpf_dev *pf);
void swpf_sriov_deinit(struct swpf_dev *pf);
int swpf_sriov_configure(struct pci_dev *pdev, int num_vfs);
void swpf_sriov_irq(struct swpf_dev *pf);
void swpf_sriov_link_change(struct swpf_dev *pf, bool up);
int swpf_sriov_reset(struct swpf_dev *pf, struct swpf_reset_info *info);
u32 swpf_sriov_vf_mta(struct swpf_dev *pf, unsigned int reg);
bool swpf_sriov_default_uc(struct swpf_dev *pf);
void swpf_pool_rxtx_enable(struct swpf_dev *pf, u8 pool, bool enable);
int swpf_genl_register(void);
void swpf_genl_unregister(void);
int swpf_ndo_set_vf_mac(struct net_device *netdev, int vf, u8 *mac);
int swpf_ndo_set_vf_vlan(struct net_device *netdev, int vf, u16 vlan, u8 qos,
			 __be16 proto);
int swpf_ndo_set_vf_spoofchk(struct net_device *netdev, int vf, bool on);
int swpf_ndo_set_vf_trust(struct net_device *netdev, int vf, bool trusted);
int swpf_ndo_set_vf_link_state(struct net_device *netdev, int vf, int state);
int swpf_ndo_get_vf_config(struct net_device *netdev, int vf,
			   struct ifla_vf_info *ivi);
int swpf_ndo_get_vf_stats(struct net_device *netdev, int vf,
			  struct ifla_vf_stats *vf_stats);

int swpf_ndo_set_vf_rate(struct net_device *netdev, int vf, int min_tx_rate,
			 int max_tx_rate);

/* ---- swpf_devlink.c ---- */
int swpf_devlink_alloc(struct swpf_dev *pf);
int swpf_devlink_setup(struct swpf_dev *pf);
void swpf_devlink_teardown(struct swpf_dev *pf);
void swpf_devlink_register(struct swpf_dev *pf);
void swpf_devlink_unregister(struct swpf_dev *pf);
void swpf_devlink_free(struct swpf_dev *pf);

/* ---- swpf_health.c (devlink health reporters) ---- */
int swpf_health_create(struct swpf_dev *pf);
void swpf_health_start(struct swpf_dev *pf);
void swpf_health_destroy(struct swpf_dev *pf);
void swpf_health_mbx_flood(struct swpf_vf *vf, unsigned int rate,
			   unsigned int burst);
void swpf_health_flr_failed(struct swpf_vf *vf, int err);
void swpf_health_pf_reset(struct swpf_dev *pf,
			  const struct swpf_reset_info *info);

/* ---- swpf_stats.c ---- */
void swpf_stats_update(struct swpf_dev *pf);
void swpf_get_stats64(struct net_device *netdev,
		      struct rtnl_link_stats64 *stats);
int swpf_stats_count(void);
void swpf_stats_strings(u8 *data);
void swpf_stats_fill(struct swpf_dev *pf, u64 *data);

#endif /* _SWPF_H_ */
