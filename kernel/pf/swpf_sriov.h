/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_pf: SR-IOV state of a PF - VFs, the NIC switch (VPorts and
 * filters), the PF side of the VF mailbox, and the entry points the rest
 * of the driver calls.
 *
 * Locking (outermost first):
 *   device_lock(PF) (sriov_configure, probe/remove)
 *     -> devlink instance lock (swpf_devlink.c: devlink operations, VF
 *        port (un)registration; never taken with swpf_nl_lock held)
 *     -> swpf_nl_lock (swpf_genl.c: every netlink operation, PF list)
 *       -> rtnl_lock
 *         -> sr->lock (mutex: everything in struct swpf_sriov marked [lock])
 *           -> netif_addr_lock -> pf->filter_lock (swpf.h: read-modify-
 *              write of shared filter registers, VFRE/VFTE, VMOLR, MTA)
 * The mailbox worker takes only sr->lock (never rtnl), so a VF waiting for
 * a mailbox answer never waits for rtnl.  The PF never waits for a VF: a
 * mailbox transaction is bounded by SRIOV_MBX_LOCK_TRIES x 1 ms, and an
 * unsolicited message the VF's buffer cannot take now (a request of the
 * VF pending, the PF's last message unacknowledged) is left to the
 * mailbox worker (swpf_mbx.c).
 */
#ifndef _SWPF_SRIOV_H_
#define _SWPF_SRIOV_H_

#include <linux/if_vlan.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/devlink.h>

#include <uapi/linux/sriov.h>
#include "sriov_mbx.h"

struct swpf_dev;
struct swpf_vport;

/* VFs the PF can enable: the PF keeps one of the 8 pools for itself */
#define SWPF_MAX_VFS		SRIOV_MAX_VFS

/*
 * RAR entries managed by the switch (VF MACs and switch filters).  RAR0 and
 * RAR1..SWPF_PF_RAR_LAST belong to the PF netdev (swpf_netdev.c).
 */
#define SWPF_SW_RAR_FIRST	(SWPF_PF_RAR_LAST + 1)
#define SWPF_SW_RAR_COUNT	(SWPF_RAR_ENTRIES - SWPF_SW_RAR_FIRST)

/*
 * MAC filters on the default VPort take no RAR entry: the default pool
 * (VT_CTL.DEF_PL = the PF's pool) receives the unicast frames from the
 * wire that match no RAR entry.  Their number is bounded by this limit
 * only (memory and the linear lookups under sr->lock).
 */
#define SWPF_DEFAULT_MAC_FILTERS_MAX	1024

/* swpf_filter.hw_index of a MAC filter without a RAR entry (RAR0 is the
 * PF's own address, never a switch entry)
 */
#define SWPF_RAR_NONE		0

/*
 * What switch-get reports in switch-caps: each flag is something the
 * driver does (Documentation/netlink/specs/sriov.yaml says which op or
 * interface).  The 82576 has two queue pairs per pool (queues n and
 * n + 8), and a VF owns both of its pool's.
 */
#define SWPF_SWITCH_CAPS	(SRIOV_SWITCH_CAPS_VLAN_FILTERS |	\
				 SRIOV_SWITCH_CAPS_PORT_VLAN |		\
				 SRIOV_SWITCH_CAPS_VPORT_STATE |	\
				 SRIOV_SWITCH_CAPS_FLR |		\
				 SRIOV_SWITCH_CAPS_ANTI_SPOOFING |	\
				 SRIOV_SWITCH_CAPS_RATE_LIMIT |		\
				 SRIOV_SWITCH_CAPS_IDENTITY)
#define SWPF_QUEUE_PAIRS_MAX	(2 * SWPF_NUM_POOLS)
#define SWPF_VPORT_QUEUE_PAIRS	2

/*
 * Mailbox flood control: a token bucket per VF, defaults of the module
 * parameters mbx_burst and mbx_rate (swpf_mbx.c).  A VF driver's reset
 * costs about 6 messages (reset, API, queues, multicast, frame size,
 * VLAN 0), more with VLANs and multicast groups: the burst holds ten such
 * resets and the rate serves eight a second.
 */
#define SWPF_MBX_BURST		64	/* messages */
#define SWPF_MBX_BURST_MAX	1024
#define SWPF_MBX_RATE		50	/* messages per second */
#define SWPF_MBX_RATE_MAX	1000
#define SWPF_MBX_NACK_INTERVAL	(2 * HZ) /* unsolicited NACKs, Linux value */
#define SWPF_MBX_EVENTS_MAX	4	/* worker passes before requeueing */
/*
 * A PF message the VF has not acknowledged is taken as read after this:
 * longer than the VF drivers wait for an answer (igbvf, DPDK and sriov_vf
 * about 1 s), so that only a VF that gave up or went away has its message
 * overwritten by an unsolicited one.
 */
#define SWPF_MBX_ACK_TIMEOUT	(2 * HZ)

/* the PF's unsolicited messages (struct swpf_vf.mbx_pending) */
#define SWPF_MBX_SEND_NACK	BIT(0)	/* NACK without CTS: VF must reset */
#define SWPF_MBX_SEND_PING	BIT(1)	/* PF_CONTROL | CTS: link changed */
#define SWPF_MBX_SEND_CONFIG	BIT(2)	/* PF_CONFIG: policy flags changed */

/*
 * VLAN filters (VLVF entries) for VLANs a VF adds through the mailbox: at
 * most vf_vlan_quota per VF (module parameter, default and maximum below),
 * and never the last SWPF_VLVF_RESERVED free entries, which stay for the
 * PF's own VLANs, port VLANs, VPort VLANs and the administrator's filters.
 * Entry 0 is VLAN 0 for every pool.
 */
#define SWPF_VLVF_RESERVED		4
#define SWPF_VF_VLAN_QUOTA_DEFAULT	8
#define SWPF_VF_VLAN_QUOTA_MAX		(SWPF_VLVF_ENTRIES - 1 - SWPF_VLVF_RESERVED)

/* per-pool counters are free-running 32-bit registers */
struct swpf_vf_counter {
	u32 last;
	u64 total;
};

/**
 * struct swpf_vf - one virtual function
 *
 * All fields are [lock] (sr->lock) unless noted.
 */
struct swpf_vf {
	struct swpf_sriov *sr;
	unsigned int idx;
	struct pci_dev *pdev;		/* referenced while SR-IOV is on */

	u8 mac[ETH_ALEN];		/* MAC given in the reset reply */
	bool mac_admin;			/* set by the admin: locked for the VF */
	bool trusted;
	bool spoofchk;
	int link_state;			/* IFLA_VF_LINK_STATE_* */
	u16 port_vlan;			/* admin VLAN (ndo_set_vf_vlan) */
	u8 port_qos;
	u32 max_tx_rate;		/* Mb/s, 0: no limit (ndo_set_vf_rate) */

	/* devlink port of the VF: registered from SR-IOV enable to disable,
	 * under the devlink instance lock (swpf_devlink.c)
	 */
	struct devlink_port dl_port;
	bool dl_port_registered;

	bool allocated;			/* reserved through vf-alloc */
	u64 serial;
	struct swpf_vport *vport;	/* NULL: none */
	int legacy_rar;			/* RAR of a free VF's MAC, -1: none */

	/* mailbox */
	bool cts;			/* VF_RESET handshake done */
	bool ext;			/* asked GET_CONFIG since its reset */
	/* SWPF_MBX_SEND_*: unsolicited messages not written yet, waiting
	 * for the buffer (swpf_mbx_flush())
	 */
	u8 mbx_pending;
	bool req_pending;		/* the worker cleared VFREQ, not served */
	bool mbx_unacked;		/* the PF's last message not ACKed */
	unsigned long mbx_sent;		/* jiffies: the PF's last message */
	u16 mc_hash[SRIOV_MBX_MC_MAX_HASHES];
	u8 num_mc;
	bool mc_promisc;
	u32 rlpml;
	unsigned long vlans[BITS_TO_LONGS(VLAN_N_VID)]; /* VF-set VLANs */
	unsigned long last_nack;	/* jiffies */
	unsigned long rl_stamp;		/* jiffies of the last refill */
	unsigned int rl_tokens;
	unsigned long last_throttle_ntf;
	bool throttled;

	u64 mbx_rx, mbx_nack, mbx_dropped, flr_count;
	u64 vlan_refused;		/* SET_VLAN beyond quota or reserve */
	struct swpf_vf_counter gprc, gptc, gorc, gotc, mprc;
};

/**
 * struct swpf_vport - a port of the NIC switch, on the 82576 a VMDq pool
 * All fields [lock].
 */
struct swpf_vport {
	struct list_head node;		/* in sr->vports */
	u32 id;
	u8 pool;
	bool is_default;
	struct swpf_vf *vf;		/* NULL: the default VPort (the PF's) */
	u16 vlan;			/* default VLAN (VMVIR), 0: none */
	u8 qos;
	u32 num_filters;
	char name[SRIOV_VPORT_NAME_MAX + 1];	/* "": none */
};

/**
 * struct swpf_filter - a receive filter owned by a VPort.  All fields [lock].
 */
struct swpf_filter {
	struct list_head node;		/* in sr->filters */
	u32 id;
	enum sriov_filter_type type;
	enum sriov_filter_origin origin;
	u8 mac[ETH_ALEN];
	u16 vlan;
	unsigned int hw_index;		/* RAR or VLVF index, SWPF_RAR_NONE */
	struct swpf_vport *vport;
};

/**
 * struct swpf_sriov - SR-IOV and NIC-switch state of one PF
 */
struct swpf_sriov {
	struct swpf_dev *pf;
	struct list_head node;		/* in the swpf_genl.c PF list */

	struct mutex lock;		/* guards the [lock] fields */
	u16 num_vfs;			/* [lock] 0: no switch */
	bool enabling;			/* [lock] sriov_configure in progress */
	struct swpf_vf *vfs;		/* [lock] num_vfs entries */
	struct list_head vports;	/* [lock] */
	struct list_head filters;	/* [lock] */
	u32 next_vport_id;		/* [lock] */
	u32 next_filter_id;		/* [lock] */
	unsigned long rar_used;		/* [lock] bit i: RAR SW_RAR_FIRST + i */
	/* MAC filters on the default VPort; written [lock], read by the
	 * PF's rx-mode code (the default pool is on while it is non-zero)
	 */
	unsigned int num_default_mac;
	/* the limit of num_default_mac, read from the module parameter
	 * default_mac_filters_max when the switch is created; [lock]
	 */
	unsigned int default_mac_max;

	/* union of the VF multicast hashes, merged into the MTA by
	 * swpf_hw_write_mta() (under pf->filter_lock); written [lock]
	 */
	u32 vf_mta[SWPF_MTA_REGS];

	/* VMMB: mailbox requests and VFLR; delayed only for the messages
	 * that wait for an ACK (SWPF_MBX_ACK_TIMEOUT)
	 */
	struct delayed_work mbx_work;
	bool mbx_enabled;		/* [lock] worker may touch VFs */
	bool disabling;			/* [lock] SR-IOV disable under way */
};

/* ---- swpf_sriov.c ---- */
int swpf_sriov_configure(struct pci_dev *pdev, int num_vfs);
void swpf_vf_reset_state(struct swpf_vf *vf, enum sriov_reset_reason reason);
void swpf_vf_flr_event(struct swpf_vf *vf);
int swpf_vf_legacy_mac_apply(struct swpf_vf *vf);
void swpf_vf_set_rxtx(struct swpf_vf *vf, bool enable);
void swpf_vf_write_pool(struct swpf_vf *vf);
void swpf_vf_write_rate(struct swpf_vf *vf);
int swpf_vf_admin_mac(struct swpf_vf *vf, const u8 *mac,
		      struct netlink_ext_ack *extack);
void swpf_vf_set_link_state(struct swpf_vf *vf, int state);
void swpf_vf_set_enabled(struct swpf_vf *vf, bool enabled);

/* the VF's pool may pass traffic (its link state is not "disable") [lock] */
static inline bool swpf_vf_enabled(const struct swpf_vf *vf)
{
	return vf->link_state != IFLA_VF_LINK_STATE_DISABLE;
}

void swpf_vf_update_stats(struct swpf_vf *vf);
void swpf_sriov_write_vf_mta(struct swpf_sriov *sr);
struct swpf_vf *swpf_sriov_vf(struct swpf_sriov *sr, u32 idx);
int swpf_sriov_vf_alloc(struct swpf_sriov *sr, struct swpf_vf *vf, u64 serial,
			const u8 *mac, struct netlink_ext_ack *extack);
int swpf_sriov_vf_free(struct swpf_sriov *sr, struct swpf_vf *vf,
		       struct netlink_ext_ack *extack);
int swpf_sriov_vf_flr(struct swpf_sriov *sr, u32 idx,
		      struct netlink_ext_ack *extack);

/* ---- swpf_switch.c ---- */
void swpf_switch_init(struct swpf_sriov *sr);
int swpf_switch_create(struct swpf_sriov *sr);
void swpf_switch_destroy(struct swpf_sriov *sr);
void swpf_switch_replay(struct swpf_sriov *sr, struct swpf_reset_info *info);
struct swpf_vport *swpf_vport_find(struct swpf_sriov *sr, u32 id);
struct swpf_vport *swpf_vport_default(struct swpf_sriov *sr);
struct swpf_vport *swpf_vport_create(struct swpf_sriov *sr, struct swpf_vf *vf,
				     u16 vlan, u8 qos, const char *name,
				     struct netlink_ext_ack *extack);
int swpf_vport_delete(struct swpf_sriov *sr, struct swpf_vport *vp,
		      struct netlink_ext_ack *extack);
int swpf_vport_set_vlan(struct swpf_sriov *sr, struct swpf_vport *vp,
			u16 vlan, u8 qos, struct netlink_ext_ack *extack);
struct swpf_filter *swpf_filter_find(struct swpf_sriov *sr, u32 id);
struct swpf_filter *swpf_filter_add_mac(struct swpf_sriov *sr,
					struct swpf_vport *vp, const u8 *mac,
					enum sriov_filter_origin origin,
					struct netlink_ext_ack *extack);
struct swpf_filter *swpf_filter_add_vlan(struct swpf_sriov *sr,
					 struct swpf_vport *vp, u16 vlan,
					 enum sriov_filter_origin origin,
					 struct netlink_ext_ack *extack);
void swpf_filter_delete(struct swpf_sriov *sr, struct swpf_filter *f);
int swpf_filter_move(struct swpf_sriov *sr, struct swpf_filter *f,
		     struct swpf_vport *dst);
int swpf_filters_move(struct swpf_sriov *sr, struct swpf_filter **list,
		      unsigned int n, struct swpf_vport *dst,
		      struct netlink_ext_ack *extack);
void swpf_switch_vf_gone(struct swpf_sriov *sr, struct swpf_vf *vf,
			 enum sriov_reset_reason reason);
void swpf_filter_flush_origin(struct swpf_sriov *sr, struct swpf_vport *vp,
			      enum sriov_filter_origin origin);
int swpf_switch_mac_in_use(struct swpf_sriov *sr, const u8 *mac,
			   const struct swpf_vf *except);
int swpf_rar_alloc(struct swpf_sriov *sr);
void swpf_rar_free(struct swpf_sriov *sr, int idx);
void swpf_rar_write(struct swpf_sriov *sr, unsigned int idx, const u8 *mac,
		    u8 pool);
int swpf_vlvf_set(struct swpf_sriov *sr, u16 vid, u8 pool, bool on);
unsigned int swpf_switch_free_rars(struct swpf_sriov *sr);
unsigned int swpf_switch_legacy_rars(struct swpf_sriov *sr);
unsigned int swpf_switch_free_vlvf(struct swpf_sriov *sr);
unsigned int swpf_switch_num_vports(struct swpf_sriov *sr);

/* ---- swpf_mbx.c ---- */
int swpf_mbx_read(struct swpf_vf *vf, u32 *msg, unsigned int len);
int swpf_mbx_write(struct swpf_vf *vf, const u32 *msg, unsigned int len);
void swpf_mbx_notify(struct swpf_vf *vf, unsigned int what);
unsigned int swpf_mbx_burst(void);
unsigned int swpf_mbx_rate(void);
void swpf_mbx_set_rate(unsigned int rate);
void swpf_mbx_set_burst(unsigned int burst);
void swpf_mbx_release(struct swpf_vf *vf);
void swpf_mbx_work(struct work_struct *work);
void swpf_mbx_ping_all(struct swpf_sriov *sr);

/* ---- swpf_vf_msg.c ---- */
void swpf_vf_msg_handle(struct swpf_vf *vf);
void swpf_vf_ack_handle(struct swpf_vf *vf);
u32 swpf_vf_cfg_flags(const struct swpf_vf *vf);
unsigned int swpf_vf_vlan_quota(void);
void swpf_vf_set_vlan_quota(unsigned int quota);
bool swpf_vf_reset_failover(void);
void swpf_set_vf_reset_failover(bool on);
unsigned int swpf_default_mac_filters_max(void);
void swpf_set_default_mac_filters_max(unsigned int max);
void swpf_vf_cfg_notify(struct swpf_vf *vf);
void swpf_vf_drop_vlans(struct swpf_vf *vf);

/* ---- swpf_cfgproxy.c ---- */
int swpf_cfg_read(struct swpf_vf *vf, u32 off, u32 len, u8 *buf,
		  struct netlink_ext_ack *extack);
int swpf_cfg_write(struct swpf_vf *vf, u32 off, u32 len, u32 val,
		   struct netlink_ext_ack *extack);

/* ---- swpf_devlink.c ---- */
int swpf_devlink_ports_add(struct swpf_sriov *sr);
void swpf_devlink_ports_del(struct swpf_sriov *sr);

/* ---- swpf_genl.c ---- */
int swpf_genl_register(void);
void swpf_genl_unregister(void);
void swpf_genl_add_pf(struct swpf_sriov *sr);
void swpf_genl_del_pf(struct swpf_sriov *sr);
void swpf_ntf_switch(struct swpf_sriov *sr);
void swpf_ntf_vf(struct swpf_vf *vf, int cmd, int reason);
void swpf_ntf_vport(struct swpf_sriov *sr, struct swpf_vport *vp, int cmd);
void swpf_ntf_filter_deleted(struct swpf_sriov *sr, struct swpf_filter *f);
void swpf_ntf_move(struct swpf_sriov *sr, u32 src, u32 dst, const u32 *ids,
		   unsigned int n, u64 ts, int reason);
void swpf_ntf_link(struct swpf_sriov *sr, bool up);
void swpf_ntf_cfg_write(struct swpf_vf *vf, u32 off, u32 len, u32 val);
void swpf_ntf_throttled(struct swpf_vf *vf);

#endif /* _SWPF_SRIOV_H_ */
