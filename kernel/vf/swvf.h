/* SPDX-License-Identifier: GPL-2.0 */
/* sriov_vf: Intel 82576 SR-IOV virtual function driver, shared definitions. */
#ifndef _SWVF_H
#define _SWVF_H

#include <linux/bitmap.h>
#include <linux/if_vlan.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "sriov_mbx.h"
#include "swvf_regs.h"
#include "swvf_txrx.h"

#define SWVF_DRV_NAME		"sriov_vf"

/*
 * MSI-X vectors, the igbvf layout: 0 = TX queue 0, 1 = RX queue 0 (both
 * feed one NAPI context), 2 = mailbox (IVAR_MISC).  QEMU delivers the
 * mailbox interrupt of vector 2 on vector 1 instead, so the RX handler
 * also looks at the mailbox.  Using igbvf's layout also keeps QEMU's
 * OR-only VF IVAR from mixing vectors when drivers are swapped.
 */
enum swvf_vector {
	SWVF_VEC_TX,
	SWVF_VEC_RX,
	SWVF_VEC_MBX,
	SWVF_NUM_VECTORS,
};

#define SWVF_EIMS_QUEUE		(BIT(SWVF_VEC_TX) | BIT(SWVF_VEC_RX))
#define SWVF_EIMS_ALL		GENMASK(SWVF_NUM_VECTORS - 1, 0)

/* Service task period: link, mailbox poll, statistics, reset retries */
#define SWVF_SERVICE_PERIOD	HZ
/* Minimum spacing of full reset attempts when the PF is not ready */
#define SWVF_RESET_RETRY	(HZ / 2)
/* Failed handshakes in a row that a PF reset explains (RSTD takes a while) */
#define SWVF_RESET_QUIET_TRIES	4
/* Handshake attempts at probe before continuing without the PF */
#define SWVF_PROBE_TRIES	3
/* bound of the RX drain after the PF took our filters */
#define SWVF_RX_DRAIN_MS	50

#define SWVF_DEFAULT_RX_ITR_US	0	/* EITR intervals, ethtool -C */
#define SWVF_DEFAULT_TX_ITR_US	0
#define SWVF_MAX_MTU		9216
#define SWVF_MAX_FRAME(mtu)	((mtu) + ETH_HLEN + ETH_FCS_LEN + VLAN_HLEN)

/* adapter->state bits */
enum swvf_state {
	SWVF_DOWN,		/* datapath stopped */
	SWVF_MBX_READY,		/* handshake done, PF said clear-to-send */
	SWVF_NEED_RESET,	/* re-run handshake and restore config */
	SWVF_RX_MODE,		/* multicast list must be sent to the PF */
	SWVF_RESETTING,		/* PCI reset (FLR) in progress */
	SWVF_REMOVING,		/* remove() started, service task stops */
	SWVF_GONE,		/* device reads all-ones: surprise removal */
	SWVF_NEED_CONFIG,	/* PF changed our config block: re-read it */
	SWVF_NBITS,
};

struct swvf_hw_stat {
	u64 total;		/* accumulated value */
	u32 last;		/* last raw 32-bit register value */
};

enum swvf_hw_stat_idx {
	SWVF_HW_GPRC,
	SWVF_HW_GPTC,
	SWVF_HW_GORC,
	SWVF_HW_GOTC,
	SWVF_HW_MPRC,
	SWVF_HW_NSTATS,
};

struct swvf_identity {
	bool valid;		/* PF answered SRIOV_MBX_GET_CONFIG */
	u64 serial;
	u32 vport;
	u32 vf_index;
};

/*
 * Locking:
 * - RTNL serialises configuration: open/stop, MTU, MAC, VLAN, ring
 *   resizing, the service task's reset and rx-mode work, and the PCI
 *   reset_prepare/reset_done pair.
 * - mbx_lock serialises mailbox transactions and guards pf_mac and
 *   mbx counters.  Taken after RTNL when both are held.
 * - id_lock guards identity for readers that must not wait for a
 *   mailbox transaction (sysfs, sriov_netvsc calling show() under RTNL).
 * - v2p_lock (irq-safe) guards v2p_shadow: V2PMAILBOX bits are
 *   read-to-clear and may be read from hard irq, the service task and
 *   a mailbox transaction at the same time.
 * - stats_lock guards hw_stats (updated from get_stats64, which may run
 *   in atomic context, and from the service task).
 * - state bits are atomic.
 */
struct swvf_adapter {
	struct net_device *netdev;
	struct pci_dev *pdev;
	void __iomem *hw_addr;
	DECLARE_BITMAP(state, SWVF_NBITS);

	struct napi_struct napi;
	struct swvf_ring tx_ring;
	struct swvf_ring rx_ring;
	u16 tx_ring_count;		/* RTNL */
	u16 rx_ring_count;		/* RTNL */
	u16 rx_itr_usecs;		/* RTNL: EITR interval, RX vector */
	u16 tx_itr_usecs;		/* RTNL: EITR interval, TX vector */
	unsigned long last_mbx_peek;	/* RX irq: jiffies of last peek */
	char irq_name[SWVF_NUM_VECTORS][32];

	/* mailbox */
	struct mutex mbx_lock;
	spinlock_t v2p_lock;		/* guards v2p_shadow */
	u32 v2p_shadow;			/* v2p_lock: pending R2C bits */
	u8 pf_mac[ETH_ALEN];		/* mbx_lock: MAC from the reset reply */
	spinlock_t id_lock;		/* guards identity, get_config_nacked */
	struct swvf_identity identity;	/* written under mbx_lock too */
	bool get_config_nacked;		/* PF refused the extension */
	u64 mbx_timeouts;		/* mbx_lock */
	u64 irqs[SWVF_NUM_VECTORS];	/* hard irq, only read elsewhere */
	u64 mbx_polled_events;		/* service task */
	u64 resets;			/* RTNL */
	u64 reset_failures;		/* RTNL */
	unsigned int reset_streak;	/* RTNL: failed tries in a row */
	unsigned long last_reset_try;	/* RTNL, jiffies */

	unsigned long active_vlans[BITS_TO_LONGS(VLAN_N_VID)]; /* RTNL */

	/*
	 * Transmit policy the PF set (SRIOV_MBX_CFG_*), enforced in
	 * swvf_xmit_frame() because QEMU's igb does not enforce DTXSWC.
	 * Written under mbx_lock, read locklessly by the transmit path.
	 */
	bool pf_spoofchk;
	bool pf_port_vlan;
	/* SRIOV_MBX_CFG_DISABLED: no carrier; read by swvf_update_link() */
	bool pf_disabled;

	spinlock_t stats_lock;		/* guards hw_stats */
	struct swvf_hw_stat hw_stats[SWVF_HW_NSTATS];	/* stats_lock */

	struct delayed_work service_task;
};

static inline u32 swvf_rd32(struct swvf_adapter *adapter, u32 reg)
{
	return readl(adapter->hw_addr + reg);
}

static inline void swvf_wr32(struct swvf_adapter *adapter, u32 reg, u32 val)
{
	writel(val, adapter->hw_addr + reg);
}

static inline void swvf_flush(struct swvf_adapter *adapter)
{
	swvf_rd32(adapter, SWVF_STATUS);
}

/* swvf_fault.c: debugfs fault injection for the tests */
void swvf_fault_add(struct swvf_adapter *adapter);
void swvf_fault_del(struct swvf_adapter *adapter);
bool swvf_fault_alloc(const struct swvf_adapter *adapter);

/* swvf_mbx.c */
void swvf_mbx_init(struct swvf_adapter *adapter);
u32 swvf_mbx_peek(struct swvf_adapter *adapter);
int swvf_mbx_reset_hw(struct swvf_adapter *adapter);
int swvf_mbx_set_mac(struct swvf_adapter *adapter, const u8 *mac);
int swvf_mbx_set_multicast(struct swvf_adapter *adapter, const u16 *hashes,
			   unsigned int count, bool overflow);
int swvf_mbx_set_vlan(struct swvf_adapter *adapter, u16 vid, bool add);
int swvf_mbx_set_lpe(struct swvf_adapter *adapter, u32 max_frame);
void swvf_mbx_get_config(struct swvf_adapter *adapter);
int swvf_mbx_going_down(struct swvf_adapter *adapter);
void swvf_mbx_poll_events(struct swvf_adapter *adapter);

/* swvf_pci.c */
bool swvf_check_gone(struct swvf_adapter *adapter);
void swvf_going_down(struct swvf_adapter *adapter);
void swvf_schedule_service(struct swvf_adapter *adapter);

/* swvf_netdev.c */
extern const struct net_device_ops swvf_netdev_ops;
extern const struct attribute_group swvf_sriov_group;
int swvf_up(struct swvf_adapter *adapter);
void swvf_down(struct swvf_adapter *adapter);
int swvf_reinit(struct swvf_adapter *adapter);
void swvf_sync_rx_mode(struct swvf_adapter *adapter);
void swvf_update_link(struct swvf_adapter *adapter);
void swvf_update_hw_stats(struct swvf_adapter *adapter);
void swvf_baseline_hw_stats(struct swvf_adapter *adapter);
void swvf_irq_enable(struct swvf_adapter *adapter);
void swvf_configure_msix(struct swvf_adapter *adapter);
void swvf_write_itr(struct swvf_adapter *adapter);

/* swvf_ethtool.c */
void swvf_set_ethtool_ops(struct net_device *netdev);

#endif /* _SWVF_H */
