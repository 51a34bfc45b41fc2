// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: SR-IOV - sriov_configure (VF enable/disable), per-VF state and
 * its hardware (pool registers), VF reset and function-level reset (VFLR),
 * VF allocation, and the legacy ndo_set_vf_* / ndo_get_vf_* interface.
 *
 * Pools: VF n owns VMDq pool n (queues n and n + 8); the PF always uses
 * the last pool (SWPF_PF_POOL), so VFs come and go without touching its
 * rings.  A VF that is not allocated through the netlink family behaves
 * like a VF of the in-tree igb: its MAC gets a RAR entry for its pool when
 * it resets.  An allocated VF receives only what the filters of its VPort
 * steer to it.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>

#include "swpf.h"
#include "swpf_sriov.h"

/* default frame limit of a VF pool until the VF sends SET_LPE */
#define SWPF_VF_DEFAULT_FRAME	(ETH_FRAME_LEN + ETH_FCS_LEN + VLAN_HLEN)

struct swpf_vf *swpf_sriov_vf(struct swpf_sriov *sr, u32 idx)
{
	lockdep_assert_held(&sr->lock);
	return idx < sr->num_vfs ? &sr->vfs[idx] : NULL;
}

/* ---- pool enables (VFRE/VFTE), shared with the PF datapath code ---- */

void swpf_pool_rxtx_enable(struct swpf_dev *pf, u8 pool, bool enable)
{
	u32 bit = BIT(pool);

	swpf_rmw32_locked(pf, SWPF_VFRE, bit, enable ? bit : 0);
	swpf_rmw32_locked(pf, SWPF_VFTE, bit, enable ? bit : 0);
}

void swpf_vf_set_rxtx(struct swpf_vf *vf, bool enable)
{
	swpf_pool_rxtx_enable(vf->sr->pf, vf->idx, enable);
}

/* ---- multicast: VF hashes share the MTA with the PF ---- */

u32 swpf_sriov_vf_mta(struct swpf_dev *pf, unsigned int reg)
{
	struct swpf_sriov *sr = READ_ONCE(pf->sriov);

	return sr ? READ_ONCE(sr->vf_mta[reg]) : 0;
}

/* true while MAC filters on the default VPort need the default pool */
bool swpf_sriov_default_uc(struct swpf_dev *pf)
{
	struct swpf_sriov *sr = READ_ONCE(pf->sriov);

	return sr && READ_ONCE(sr->num_default_mac);
}

void swpf_sriov_write_vf_mta(struct swpf_sriov *sr)
{
	struct swpf_dev *pf = sr->pf;
	struct net_device *netdev = pf->netdev;
	u32 mta[SWPF_MTA_REGS] = { };
	unsigned int i, j;

	lockdep_assert_held(&sr->lock);
	for (i = 0; i < sr->num_vfs; i++) {
		struct swpf_vf *vf = &sr->vfs[i];
		u32 vmolr = 0;

		for (j = 0; j < vf->num_mc; j++)
			mta[vf->mc_hash[j] >> 5] |= BIT(vf->mc_hash[j] & 31);
		if (vf->num_mc || vf->mc_promisc)
			vmolr |= SWPF_VMOLR_ROMPE;
		if (vf->mc_promisc)
			vmolr |= SWPF_VMOLR_MPME;
		swpf_rmw32_locked(pf, SWPF_VMOLR(i),
				  SWPF_VMOLR_ROMPE | SWPF_VMOLR_MPME, vmolr);
	}
	for (i = 0; i < SWPF_MTA_REGS; i++)
		WRITE_ONCE(sr->vf_mta[i], mta[i]);

	/* the PF's rx-mode code owns the MTA writes; it merges vf_mta */
	netif_addr_lock_bh(netdev);
	spin_lock_bh(&pf->filter_lock);
	swpf_hw_write_mta(pf, netdev->flags & (IFF_PROMISC | IFF_ALLMULTI));
	spin_unlock_bh(&pf->filter_lock);
	netif_addr_unlock_bh(netdev);
}

/* ---- per-VF hardware state ---- */

static u16 swpf_vf_default_vlan(const struct swpf_vf *vf, u8 *qos)
{
	if (vf->vport && vf->vport->vlan) {
		*qos = vf->vport->qos;
		return vf->vport->vlan;
	}
	*qos = vf->port_qos;
	return vf->port_vlan;
}

/* VMOLR/VMVIR of the VF's pool from its current state */
void swpf_vf_write_pool(struct swpf_vf *vf)
{
	struct swpf_dev *pf = vf->sr->pf;
	u32 vmolr, vmvir = 0;
	u16 vlan;
	u8 qos;

	vlan = swpf_vf_default_vlan(vf, &qos);
	vmolr = SWPF_VMOLR_BAM | SWPF_VMOLR_STRCRC | SWPF_VMOLR_LPE |
		FIELD_PREP(SWPF_VMOLR_RLPML, vf->rlpml);
	if (vf->num_mc || vf->mc_promisc)
		vmolr |= SWPF_VMOLR_ROMPE;
	if (vlan) {
		/* tag inserted on transmit and stripped on receive */
		vmolr |= SWPF_VMOLR_STRVLAN;
		vmvir = FIELD_PREP(SWPF_VMVIR_TAG, vlan | qos << VLAN_PRIO_SHIFT) |
			FIELD_PREP(SWPF_VMVIR_VLANA, SWPF_VMVIR_VLANA_DEFAULT);
	} else {
		vmolr |= SWPF_VMOLR_AUPE;
	}
	swpf_wr32(pf, SWPF_VMOLR(vf->idx), vmolr);
	swpf_wr32(pf, SWPF_VMVIR(vf->idx), vmvir);
}

/* ---- transmit rate limiter ---- */

/* RTTBCNRC value limiting a queue to @rate Mb/s on a @link Mb/s link */
static u32 swpf_rate_factor(u32 link, u32 rate)
{
	u32 rf_int, rf_dec;

	if (!rate || !link || rate > link)
		return 0;
	rf_int = link / rate;
	rf_dec = ((link - rf_int * rate) << SWPF_RTTBCNRC_RF_INT_SHIFT) / rate;
	return SWPF_RTTBCNRC_RS_ENA |
	       FIELD_PREP(SWPF_RTTBCNRC_RF_INT, rf_int) |
	       FIELD_PREP(SWPF_RTTBCNRC_RF_DEC, rf_dec);
}

static void swpf_write_rate_limiter(struct swpf_dev *pf, unsigned int queue,
				    u32 rttbcnrc)
{
	/* RTTDQSEL and RTTBCNRC are a pair: callers hold sr->lock */
	swpf_wr32(pf, SWPF_RTTDQSEL, queue);
	swpf_wr32(pf, SWPF_RTTBCNRM, SWPF_RTTBCNRM_MMW_JUMBO);
	swpf_wr32(pf, SWPF_RTTBCNRC, rttbcnrc);
	WRITE_ONCE(pf->rttbcnrm, SWPF_RTTBCNRM_MMW_JUMBO);
	WRITE_ONCE(pf->rttbcnrc[queue], rttbcnrc);
}

/*
 * Program the VF's transmit limiter (VF n transmits on queue n) from
 * vf->max_tx_rate and the current link speed.  While the link is down the
 * limiter is off; link_work reprograms it when the link comes back.
 */
void swpf_vf_write_rate(struct swpf_vf *vf)
{
	struct swpf_dev *pf = vf->sr->pf;
	u32 link = READ_ONCE(pf->link_speed);

	lockdep_assert_held(&vf->sr->lock);
	if (!READ_ONCE(pf->link_up) || link == (u32)SPEED_UNKNOWN)
		link = 0;
	swpf_write_rate_limiter(pf, vf->idx,
				swpf_rate_factor(link, vf->max_tx_rate));
}

/*
 * Forget everything the VF configured through the mailbox (Linux and DPDK
 * do the same on VF_RESET and VFLR); administrative settings stay.
 */
void swpf_vf_reset_state(struct swpf_vf *vf, enum sriov_reset_reason reason)
{
	struct swpf_sriov *sr = vf->sr;

	lockdep_assert_held(&sr->lock);
	swpf_switch_vf_gone(sr, vf, reason);
	vf->cts = false;
	vf->ext = false;
	/* a new handshake: what the PF had to tell the VF is moot, and
	 * whatever it wrote last will not be acknowledged
	 */
	vf->mbx_pending = 0;
	vf->mbx_unacked = false;
	swpf_vf_drop_vlans(vf);
	if (vf->vport)
		swpf_filter_flush_origin(sr, vf->vport, SRIOV_FILTER_ORIGIN_VF);
	vf->rlpml = SWPF_VF_DEFAULT_FRAME;
	vf->num_mc = 0;
	vf->mc_promisc = false;
	swpf_vf_write_pool(vf);
	/* the rate limit is the administrator's: it outlives VF resets */
	swpf_vf_write_rate(vf);
	swpf_sriov_write_vf_mta(sr);
}

/* the device reported a function-level reset of @vf (VFLRE) */
void swpf_vf_flr_event(struct swpf_vf *vf)
{
	vf->flr_count++;
	swpf_vf_set_rxtx(vf, false);
	swpf_vf_reset_state(vf, SRIOV_RESET_REASON_VFLR);
	swpf_ntf_vf(vf, SRIOV_CMD_VF_FLR_NTF, SRIOV_RESET_REASON_VFLR);
}

/* RAR entry for the MAC of a VF that is not allocated (igb behaviour) */
int swpf_vf_legacy_mac_apply(struct swpf_vf *vf)
{
	struct swpf_sriov *sr = vf->sr;

	lockdep_assert_held(&sr->lock);
	if (vf->allocated || is_zero_ether_addr(vf->mac)) {
		if (vf->legacy_rar >= 0)
			swpf_rar_free(sr, vf->legacy_rar);
		vf->legacy_rar = -1;
		return 0;
	}
	if (vf->legacy_rar < 0) {
		int idx = swpf_rar_alloc(sr);

		if (idx < 0) {
			dev_warn(&sr->pf->pdev->dev,
				 "VF %u: no free receive-address register for %pM\n",
				 vf->idx, vf->mac);
			return idx;
		}
		vf->legacy_rar = idx;
	}
	swpf_rar_write(sr, vf->legacy_rar, vf->mac, vf->idx);
	return 0;
}

/*
 * Make the VF fetch its configuration again: without CTS and with a NACK,
 * igbvf (and our VF driver) run the reset handshake.
 */
static void swpf_vf_kick(struct swpf_vf *vf)
{
	if (!vf->cts)
		return;
	vf->cts = false;
	swpf_mbx_notify(vf, SWPF_MBX_SEND_NACK);
}

static void swpf_vf_counter(struct swpf_dev *pf, u32 reg,
			    struct swpf_vf_counter *c)
{
	u32 now = swpf_rd32(pf, reg);

	c->total += (u32)(now - c->last);
	c->last = now;
}

void swpf_vf_update_stats(struct swpf_vf *vf)
{
	struct swpf_dev *pf = vf->sr->pf;

	if (swpf_removed(pf))
		return;
	swpf_vf_counter(pf, SWPF_PVFGPRC(vf->idx), &vf->gprc);
	swpf_vf_counter(pf, SWPF_PVFGPTC(vf->idx), &vf->gptc);
	swpf_vf_counter(pf, SWPF_PVFGORC(vf->idx), &vf->gorc);
	swpf_vf_counter(pf, SWPF_PVFGOTC(vf->idx), &vf->gotc);
	swpf_vf_counter(pf, SWPF_PVFMPRC(vf->idx), &vf->mprc);
}

static void swpf_vf_init_stats(struct swpf_vf *vf)
{
	struct swpf_dev *pf = vf->sr->pf;

	vf->gprc.last = swpf_rd32(pf, SWPF_PVFGPRC(vf->idx));
	vf->gptc.last = swpf_rd32(pf, SWPF_PVFGPTC(vf->idx));
	vf->gorc.last = swpf_rd32(pf, SWPF_PVFGORC(vf->idx));
	vf->gotc.last = swpf_rd32(pf, SWPF_PVFGOTC(vf->idx));
	vf->mprc.last = swpf_rd32(pf, SWPF_PVFMPRC(vf->idx));
}

/* ---- allocation through the netlink family ---- */

int swpf_sriov_vf_alloc(struct swpf_sriov *sr, struct swpf_vf *vf, u64 serial,
			const u8 *mac, struct netlink_ext_ack *extack)
{
	unsigned int i;

	lockdep_assert_held(&sr->lock);
	if (vf->allocated) {
		NL_SET_ERR_MSG_FMT(extack, "VF %u is already allocated (serial %llu)",
				   vf->idx, vf->serial);
		return -EBUSY;
	}
	if (mac) {
		if (!is_valid_ether_addr(mac)) {
			NL_SET_ERR_MSG(extack, "MAC must be a unicast, non-zero address");
			return -EINVAL;
		}
		for (i = 0; i < sr->num_vfs; i++) {
			if (i != vf->idx &&
			    ether_addr_equal(sr->vfs[i].mac, mac)) {
				NL_SET_ERR_MSG_FMT(extack, "MAC %pM is the MAC of VF %u",
						   mac, i);
				return -EEXIST;
			}
		}
	}

	vf->allocated = true;
	vf->serial = serial;
	/* from now on the VF receives through its VPort's filters only */
	swpf_vf_legacy_mac_apply(vf);
	if (mac && !ether_addr_equal(mac, vf->mac)) {
		ether_addr_copy(vf->mac, mac);
		vf->mac_admin = true;
		swpf_vf_kick(vf);
	}
	swpf_ntf_vf(vf, SRIOV_CMD_VF_ALLOCATED_NTF, 0);
	return 0;
}

int swpf_sriov_vf_free(struct swpf_sriov *sr, struct swpf_vf *vf,
		       struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&sr->lock);
	if (!vf->allocated) {
		NL_SET_ERR_MSG_FMT(extack, "VF %u is not allocated", vf->idx);
		return -EINVAL;
	}
	if (vf->vport) {
		NL_SET_ERR_MSG_FMT(extack, "VF %u still has VPort %u: delete it first",
				   vf->idx, vf->vport->id);
		return -EBUSY;
	}
	swpf_ntf_vf(vf, SRIOV_CMD_VF_FREED_NTF, 0);
	vf->allocated = false;
	vf->serial = 0;
	/*
	 * A MAC the administrator gave the VF for its partition goes with the
	 * allocation: a pooled VF must not keep it (the next partition may
	 * get it on another VF).  Like at SR-IOV enable the VF gets a random
	 * locally administered MAC, which its driver picks up in the reset
	 * it is asked to do.
	 */
	if (vf->mac_admin) {
		vf->mac_admin = false;
		eth_random_addr(vf->mac);
		swpf_vf_kick(vf);
	}
	if (vf->cts)
		swpf_vf_legacy_mac_apply(vf);
	return 0;
}

/*
 * Function-level reset of VF @idx's PCI function.  Called without sr->lock:
 * the reset takes the VF's device lock, and a VF driver holding it may be
 * waiting for a mailbox answer, which needs sr->lock.
 */
int swpf_sriov_vf_flr(struct swpf_sriov *sr, u32 idx,
		      struct netlink_ext_ack *extack)
{
	struct pci_dev *vfdev = NULL;
	struct swpf_vf *vf;
	int err;

	mutex_lock(&sr->lock);
	vf = swpf_sriov_vf(sr, idx);
	if (vf)
		vfdev = pci_dev_get(vf->pdev);
	mutex_unlock(&sr->lock);
	if (!vfdev) {
		NL_SET_ERR_MSG_FMT(extack, "VF %u has no PCI function", idx);
		return -ENODEV;
	}

	err = swpf_fault_flr(sr->pf) ?: pci_reset_function(vfdev);
	if (err) {
		/*
		 * The VF software reset still stops the VF's queues, but it
		 * is not the reset that was asked for: the request fails, so
		 * that the caller can set the VF aside.
		 */
		pci_warn(vfdev, "FLR failed (%d), VF software reset instead\n",
			 err);
		NL_SET_ERR_MSG_FMT(extack,
				   "FLR of VF %u failed (%d); the VF was only software-reset",
				   idx, err);
		swpf_wr32(sr->pf, SWPF_PVTCTRL(idx), SWPF_PVTCTRL_RST);
	}

	/* SR-IOV may have been disabled (and enabled) meanwhile */
	mutex_lock(&sr->lock);
	vf = swpf_sriov_vf(sr, idx);
	if (vf && vf->pdev == vfdev) {
		if (!err)
			vf->flr_count++;
		else
			swpf_health_flr_failed(vf, err);
		swpf_vf_set_rxtx(vf, false);
		swpf_vf_reset_state(vf, SRIOV_RESET_REASON_ADMIN);
		swpf_ntf_vf(vf, SRIOV_CMD_VF_RESET_NTF, SRIOV_RESET_REASON_ADMIN);
	} else {
		NL_SET_ERR_MSG_FMT(extack, "VF %u went away during the reset", idx);
		err = -ENODEV;
	}
	mutex_unlock(&sr->lock);
	pci_dev_put(vfdev);
	return err;
}

/* ---- sriov_configure ---- */

static void swpf_sriov_put_vfs(struct swpf_sriov *sr)
{
	unsigned int i;

	for (i = 0; i < sr->num_vfs; i++) {
		pci_dev_put(sr->vfs[i].pdev);
		sr->vfs[i].pdev = NULL;
	}
}

static void swpf_sriov_get_vfs(struct swpf_sriov *sr)
{
	struct pci_dev *pdev = sr->pf->pdev, *vfdev = NULL;
	int id;

	/* pci_get_device() moves the reference along; keep our own */
	while ((vfdev = pci_get_device(pdev->vendor, PCI_ANY_ID, vfdev))) {
		if (!vfdev->is_virtfn || pci_physfn(vfdev) != pdev)
			continue;
		id = pci_iov_vf_id(vfdev);
		if (id >= 0 && id < sr->num_vfs && !sr->vfs[id].pdev)
			sr->vfs[id].pdev = pci_dev_get(vfdev);
	}
}

static void swpf_sriov_init_vf(struct swpf_sriov *sr, struct swpf_vf *vf,
			       unsigned int idx)
{
	vf->sr = sr;
	vf->idx = idx;
	vf->legacy_rar = -1;
	vf->link_state = IFLA_VF_LINK_STATE_AUTO;
	vf->rlpml = SWPF_VF_DEFAULT_FRAME;
	/* anti-spoofing on until "ip link set PF vf N spoofchk off" */
	vf->spoofchk = true;
	/* like DPDK's PF: every VF gets a MAC, so a VF driver never runs
	 * without one
	 */
	eth_random_addr(vf->mac);
	vf->rl_tokens = swpf_mbx_burst();
	vf->rl_stamp = jiffies;
	vf->last_nack = jiffies - SWPF_MBX_NACK_INTERVAL - 1;
}

/* hardware of the VF pools, switch and mailbox before VFs appear */
static void swpf_sriov_hw_enable(struct swpf_sriov *sr)
{
	struct swpf_dev *pf = sr->pf;
	unsigned int i;
	u32 spoof = 0;

	for (i = 0; i < sr->num_vfs; i++) {
		swpf_vf_set_rxtx(&sr->vfs[i], false);
		swpf_vf_write_pool(&sr->vfs[i]);
		swpf_vf_write_rate(&sr->vfs[i]);
		swpf_vf_init_stats(&sr->vfs[i]);
		if (sr->vfs[i].spoofchk)
			spoof |= BIT(i) | BIT(i + SWPF_NUM_POOLS);
	}
	/* internal VM-to-VM switching, MAC and VLAN anti-spoofing per VF */
	swpf_rmw32_locked(pf, SWPF_DTXSWC, SWPF_DTXSWC_MAC_SPOOF |
			  SWPF_DTXSWC_VLAN_SPOOF,
			  SWPF_DTXSWC_VMDQ_LOOPBACK_EN | spoof);
	/* stale events from before this enable */
	swpf_wr32(pf, SWPF_VFLRE, GENMASK(SWPF_NUM_POOLS - 1, 0));
	swpf_wr32(pf, SWPF_MBVFICR, SWPF_MBVFICR_VFREQ | SWPF_MBVFICR_VFACK);
	swpf_wr32(pf, SWPF_MBVFIMR, GENMASK(SWPF_NUM_POOLS - 1, 0));
}

static void swpf_sriov_hw_disable(struct swpf_sriov *sr)
{
	struct swpf_dev *pf = sr->pf;
	unsigned int i;

	for (i = 0; i < sr->num_vfs; i++) {
		swpf_vf_set_rxtx(&sr->vfs[i], false);
		swpf_wr32(pf, SWPF_VMOLR(i), 0);
		swpf_wr32(pf, SWPF_VMVIR(i), 0);
		swpf_write_rate_limiter(pf, i, 0);
	}
	swpf_rmw32_locked(pf, SWPF_DTXSWC, SWPF_DTXSWC_VMDQ_LOOPBACK_EN, 0);
	swpf_wr32(pf, SWPF_MBVFIMR, 0);
}

/*
 * rtnl held: record the VF count and (un)mask the mailbox cause.  The PF's
 * own pool and rings stay as they are: a PF bridged into the host's switch
 * keeps forwarding while VFs are enabled or disabled.
 */
static void swpf_sriov_set_num_vfs(struct swpf_dev *pf, u16 num_vfs)
{
	ASSERT_RTNL();
	pf->num_vfs = num_vfs;
	if (num_vfs) {
		pf->ims_mask |= SWPF_ICR_VMMB;
		swpf_wr32(pf, SWPF_IMS, SWPF_ICR_VMMB);
		/* the VFs need the global enables and the RX mode even
		 * while the PF netdev is down
		 */
		swpf_hw_set_rx_enable(pf, true);
		netif_addr_lock_bh(pf->netdev);
		swpf_write_rx_mode(pf);
		netif_addr_unlock_bh(pf->netdev);
	} else {
		pf->ims_mask &= ~SWPF_ICR_VMMB;
		swpf_wr32(pf, SWPF_IMC, SWPF_ICR_VMMB);
		if (!netif_running(pf->netdev))
			swpf_hw_set_rx_enable(pf, false);
	}
}

static int swpf_sriov_enable(struct swpf_dev *pf, int num_vfs)
{
	struct swpf_sriov *sr = pf->sriov;
	struct swpf_vf *vfs;
	int i, err;

	vfs = swpf_fault_alloc(pf) ? NULL : kcalloc(num_vfs, sizeof(*vfs), GFP_KERNEL);
	if (!vfs)
		return -ENOMEM;
	for (i = 0; i < num_vfs; i++)
		swpf_sriov_init_vf(sr, &vfs[i], i);

	rtnl_lock();
	swpf_sriov_set_num_vfs(pf, num_vfs);

	mutex_lock(&sr->lock);
	sr->vfs = vfs;
	sr->num_vfs = num_vfs;
	swpf_sriov_hw_enable(sr);
	err = swpf_switch_create(sr);
	if (err)
		goto err_hw_disable;	/* with sr->lock held */
	sr->mbx_enabled = true;
	mutex_unlock(&sr->lock);
	/* VFs finish their reset only after the PF says it is done */
	swpf_rmw32(pf, SWPF_CTRL_EXT, 0, SWPF_CTRL_EXT_PFRSTD);
	rtnl_unlock();

	/* VF drivers may probe in here and talk to the mailbox at once */
	err = pci_enable_sriov(pf->pdev, num_vfs);
	if (err) {
		dev_err(&pf->pdev->dev, "enabling %d VFs failed: %d\n",
			num_vfs, err);
		goto err_disable_mbx;
	}

	err = swpf_devlink_ports_add(sr);
	if (err)
		goto err_disable_sriov;

	mutex_lock(&sr->lock);
	swpf_sriov_get_vfs(sr);
	mutex_unlock(&sr->lock);
	dev_info(&pf->pdev->dev, "%d VFs enabled, PF on pool %d\n", num_vfs,
		 pf->pf_pool);
	swpf_ntf_switch(sr);
	return 0;

err_disable_sriov:
	/* as in swpf_sriov_disable(): no vf-reset of a function going away */
	mutex_lock(&sr->lock);
	sr->disabling = true;
	mutex_unlock(&sr->lock);
	pci_disable_sriov(pf->pdev);
	mutex_lock(&sr->lock);
	sr->disabling = false;
	mutex_unlock(&sr->lock);
err_disable_mbx:
	mutex_lock(&sr->lock);
	sr->mbx_enabled = false;
	mutex_unlock(&sr->lock);
	cancel_delayed_work_sync(&sr->mbx_work);
	rtnl_lock();
	mutex_lock(&sr->lock);
	swpf_switch_destroy(sr);
err_hw_disable:
	swpf_sriov_hw_disable(sr);
	sr->vfs = NULL;
	sr->num_vfs = 0;
	mutex_unlock(&sr->lock);
	swpf_sriov_set_num_vfs(pf, 0);
	rtnl_unlock();
	kfree(vfs);
	return err;
}

/*
 * @removing: the PF itself goes away (remove, rmmod, hot-unplug): the VFs
 * go with it even if a hypervisor marked one assigned, since nothing of
 * the switch, the mailbox or the VF array may outlive the PF's state.
 */
static int swpf_sriov_disable(struct swpf_dev *pf, bool removing)
{
	struct swpf_sriov *sr = pf->sriov;
	struct swpf_vf *vfs;
	unsigned int i;

	if (pci_vfs_assigned(pf->pdev)) {
		if (!removing) {
			dev_warn(&pf->pdev->dev, "VFs are assigned to guests: not disabling\n");
			return -EBUSY;
		}
		dev_warn(&pf->pdev->dev, "VFs are assigned to guests: disabling them with the PF\n");
	}
	mutex_lock(&sr->lock);
	if (!sr->num_vfs) {
		mutex_unlock(&sr->lock);
		return 0;
	}
	/*
	 * Every VF stops receiving when its function goes: hand the VPorts'
	 * filters to the default VPort first (a VF driver that announces its
	 * removal finds nothing left to move).
	 */
	for (i = 0; i < sr->num_vfs; i++)
		swpf_switch_vf_gone(sr, &sr->vfs[i],
				    SRIOV_RESET_REASON_SRIOV_DISABLE);
	/* no vf-reset from now on: an FLR of a function being removed waits
	 * out the PCI core's readiness poll (a minute)
	 */
	sr->disabling = true;
	mutex_unlock(&sr->lock);

	/* the VFs' devlink ports go before the VFs */
	swpf_devlink_ports_del(sr);

	/* the mailbox keeps serving VF drivers while they unbind */
	pci_disable_sriov(pf->pdev);

	mutex_lock(&sr->lock);
	sr->mbx_enabled = false;
	mutex_unlock(&sr->lock);
	cancel_delayed_work_sync(&sr->mbx_work);

	rtnl_lock();
	mutex_lock(&sr->lock);
	swpf_switch_destroy(sr);
	for (i = 0; i < sr->num_vfs; i++) {
		if (sr->vfs[i].allocated)
			swpf_ntf_vf(&sr->vfs[i], SRIOV_CMD_VF_FREED_NTF, 0);
	}
	swpf_sriov_hw_disable(sr);
	swpf_sriov_put_vfs(sr);
	vfs = sr->vfs;
	sr->vfs = NULL;
	sr->num_vfs = 0;
	sr->disabling = false;
	memset(sr->vf_mta, 0, sizeof(sr->vf_mta));
	mutex_unlock(&sr->lock);
	swpf_sriov_set_num_vfs(pf, 0);
	rtnl_unlock();
	kfree(vfs);

	dev_info(&pf->pdev->dev, "VFs disabled\n");
	swpf_ntf_switch(sr);
	return 0;
}

int swpf_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct swpf_dev *pf = pci_get_drvdata(pdev);
	int err;

	if (!pf->sriov || swpf_removed(pf))
		return -ENODEV;
	if (num_vfs == 0) {
		err = swpf_sriov_disable(pf, false);
		return err;
	}
	if (num_vfs > SWPF_MAX_VFS) {
		dev_err(&pdev->dev, "at most %d VFs: the PF keeps one of the 8 VMDq pools\n",
			SWPF_MAX_VFS);
		return -ERANGE;
	}
	err = swpf_sriov_enable(pf, num_vfs);
	return err ? err : num_vfs;
}

/* ---- hooks called by the rest of the driver ---- */

/*
 * "other" interrupt: ICR.VMMB (mailbox or VFLR).  The worker runs unbound:
 * a VF driver probing on this CPU busy-waits (udelay) up to 1 s for the
 * answer, and a worker bound to this CPU would only run after it gave up.
 */
void swpf_sriov_irq(struct swpf_dev *pf)
{
	struct swpf_sriov *sr = READ_ONCE(pf->sriov);

	if (sr)
		mod_delayed_work(system_unbound_wq, &sr->mbx_work, 0);
}

/* link_work: tell the VFs (PF_CONTROL) and the netlink listeners */
void swpf_sriov_link_change(struct swpf_dev *pf, bool up)
{
	struct swpf_sriov *sr = READ_ONCE(pf->sriov);
	unsigned int i;

	if (!sr)
		return;
	mutex_lock(&sr->lock);
	if (sr->mbx_enabled)
		swpf_mbx_ping_all(sr);
	/* the rate factors depend on the link speed */
	for (i = 0; i < sr->num_vfs; i++) {
		struct swpf_vf *vf = &sr->vfs[i];

		if (up && vf->max_tx_rate > READ_ONCE(pf->link_speed)) {
			dev_info(&pf->pdev->dev,
				 "VF %u: link at %u Mb/s, below its %u Mb/s transmit limit: limit removed\n",
				 i, READ_ONCE(pf->link_speed), vf->max_tx_rate);
			vf->max_tx_rate = 0;
		}
		swpf_vf_write_rate(vf);
	}
	mutex_unlock(&sr->lock);
	swpf_ntf_link(sr, up);
}

/**
 * swpf_sriov_reset - global device reset with VFs enabled
 * @pf: the PF (rtnl held, netdev datapath stopped)
 * @info: counts of what was replayed (the pf_reset health reporter)
 *
 * The reset wipes every VF's queues and the whole switch in hardware
 * (QEMU: all MAC registers).  Like igb, the VFs lose their clear-to-send
 * and have to redo the reset handshake: the device sets RSTI in every VF
 * mailbox, CTRL_EXT.PFRSTD turns it into RSTD once the switch is back,
 * and every VF that was running gets a NACK without CTS, which makes
 * igbvf's watchdog (and sriov_vf) reset the VF (a VF that posted its
 * VF_RESET first gets the reply instead: swpf_mbx_notify()).  VF MACs, VPorts,
 * filters, VLAN filters, port VLANs and the anti-spoof bits are replayed
 * from the driver's state; a VF's pool is enabled again (VFRE/VFTE) by its
 * VF_RESET, as after any VF reset.  The mailbox worker waits on sr->lock
 * meanwhile.
 *
 * Return: 0 or the error of the hardware reset.
 */
int swpf_sriov_reset(struct swpf_dev *pf, struct swpf_reset_info *info)
{
	struct swpf_sriov *sr = pf->sriov;
	unsigned long active = 0;
	unsigned int i;
	int err;

	mutex_lock(&sr->lock);
	for (i = 0; i < sr->num_vfs; i++) {
		struct swpf_vf *vf = &sr->vfs[i];

		swpf_vf_update_stats(vf);
		if (vf->cts)
			__set_bit(i, &active);
		vf->cts = false;
	}

	err = swpf_reset_hw(pf);
	if (err)
		goto out_unlock;
	/* pools, VM-to-VM loopback, mailbox causes, counter baselines */
	swpf_sriov_hw_enable(sr);
	for (i = 0; i < sr->num_vfs; i++) {
		struct swpf_vf *vf = &sr->vfs[i];
		u32 bits = BIT(i) | BIT(i + SWPF_NUM_POOLS);

		if (vf->spoofchk) {
			swpf_rmw32_locked(pf, SWPF_DTXSWC, 0, bits);
			info->spoofchk++;
		}
		if (vf->legacy_rar >= 0) {
			swpf_rar_write(sr, vf->legacy_rar, vf->mac, i);
			info->vf_macs++;
		}
	}
	swpf_switch_replay(sr, info);
	swpf_sriov_write_vf_mta(sr);
	/* RSTI -> RSTD in every VF mailbox: the PF is ready again */
	swpf_rmw32(pf, SWPF_CTRL_EXT, 0, SWPF_CTRL_EXT_PFRSTD);

	for (i = 0; i < sr->num_vfs; i++) {
		struct swpf_vf *vf = &sr->vfs[i];

		/* the reset cleared the mailboxes: nothing awaits an ACK */
		vf->mbx_unacked = false;
		if (!test_bit(i, &active))
			continue;
		/* waits for a VF_RESET posted since PFRSTD, then is moot */
		swpf_mbx_notify(vf, SWPF_MBX_SEND_NACK);
		swpf_ntf_vf(vf, SRIOV_CMD_VF_RESET_NTF,
			    SRIOV_RESET_REASON_PF_RESET);
	}
	info->num_vfs = sr->num_vfs;
	info->vfs_told = hweight_long(active);
	dev_info(&pf->pdev->dev, "PF reset: switch state replayed, %u of %u VFs asked to reset\n",
		 info->vfs_told, sr->num_vfs);
out_unlock:
	mutex_unlock(&sr->lock);
	return err;
}

int swpf_sriov_init(struct swpf_dev *pf)
{
	struct swpf_sriov *sr;

	sr = kzalloc(sizeof(*sr), GFP_KERNEL);
	if (!sr)
		return -ENOMEM;
	sr->pf = pf;
	mutex_init(&sr->lock);
	INIT_DELAYED_WORK(&sr->mbx_work, swpf_mbx_work);
	swpf_switch_init(sr);
	/* QEMU offers 8; with 8 the PF would have no pool (and no queues) */
	if (pci_sriov_get_totalvfs(pf->pdev) > SWPF_MAX_VFS)
		pci_sriov_set_totalvfs(pf->pdev, SWPF_MAX_VFS);
	pf->sriov = sr;
	swpf_fault_add(pf);
	swpf_genl_add_pf(sr);
	return 0;
}

void swpf_sriov_deinit(struct swpf_dev *pf)
{
	struct swpf_sriov *sr = pf->sriov;

	if (!sr)
		return;
	swpf_fault_del(pf);
	/* no netlink operation can reach this PF any more */
	swpf_genl_del_pf(sr);
	/*
	 * Always succeeds: with VFs left enabled the reset path (ethtool
	 * --reset, TX timeout) would find pf->num_vfs set and no sriov state
	 * below, and the VF array and the VFs' references would leak.
	 */
	swpf_sriov_disable(pf, true);

	/*
	 * Unpublish, then wait for every path that may have read the pointer:
	 * ndo_*_vf_* and the reset path (rtnl), the rx-mode code merging
	 * vf_mta (pf->filter_lock, may run without rtnl), the "other"
	 * interrupt, link_work, the worker.
	 */
	rtnl_lock();
	WRITE_ONCE(pf->sriov, NULL);
	rtnl_unlock();
	spin_lock_bh(&pf->filter_lock);
	spin_unlock_bh(&pf->filter_lock);
	synchronize_irq(pci_irq_vector(pf->pdev, SWPF_OTHER_VECTOR));
	flush_work(&pf->link_work);
	cancel_delayed_work_sync(&sr->mbx_work);
	mutex_destroy(&sr->lock);
	kfree(sr);
}

/* ---- ndo_set_vf_* / ndo_get_vf_* (rtnl held) ---- */

static struct swpf_vf *swpf_ndo_vf(struct net_device *netdev, int idx)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	struct swpf_sriov *sr = pf->sriov;

	if (!sr || idx < 0)
		return NULL;
	mutex_lock(&sr->lock);
	if (idx >= sr->num_vfs) {
		mutex_unlock(&sr->lock);
		return NULL;
	}
	return &sr->vfs[idx];	/* returned with sr->lock held */
}

/**
 * swpf_vf_admin_mac - the administrator sets the MAC of a VF
 * @vf: the VF (sr->lock held)
 * @mac: the MAC; all-zero gives the choice back to the VF
 * @extack: for the reason of a refusal, may be NULL
 *
 * One path for "ip link set PF vf N mac" and the devlink port function's
 * hw_addr: the MAC is locked for the VF, given a RAR entry if the VF is
 * running and not allocated, and the VF driver is asked to reset, which
 * makes it pick the MAC up.
 *
 * Return: 0, -EINVAL for a multicast address, -EEXIST for the MAC of
 * another VF.
 */
int swpf_vf_admin_mac(struct swpf_vf *vf, const u8 *mac,
		      struct netlink_ext_ack *extack)
{
	struct swpf_sriov *sr = vf->sr;
	unsigned int i;

	lockdep_assert_held(&sr->lock);
	if (is_zero_ether_addr(mac)) {
		vf->mac_admin = false;
		return 0;
	}
	if (!is_valid_ether_addr(mac)) {
		NL_SET_ERR_MSG(extack, "MAC must be a unicast, non-zero address");
		return -EINVAL;
	}
	for (i = 0; i < sr->num_vfs; i++) {
		if (i != vf->idx && ether_addr_equal(sr->vfs[i].mac, mac)) {
			NL_SET_ERR_MSG_FMT(extack, "%pM is already the MAC of VF %u",
					   mac, i);
			dev_err(&sr->pf->pdev->dev,
				"%pM is already the MAC of VF %u\n", mac, i);
			return -EEXIST;
		}
	}
	vf->mac_admin = true;
	if (ether_addr_equal(mac, vf->mac))
		return 0;
	ether_addr_copy(vf->mac, mac);
	if (vf->cts && !vf->allocated)
		swpf_vf_legacy_mac_apply(vf);
	/* the VF driver picks the MAC up in the reset it is asked to do */
	swpf_vf_kick(vf);
	return 0;
}

int swpf_ndo_set_vf_mac(struct net_device *netdev, int idx, u8 *mac)
{
	struct swpf_vf *vf = swpf_ndo_vf(netdev, idx);
	int err;

	if (!vf)
		return -EINVAL;
	err = swpf_vf_admin_mac(vf, mac, NULL);
	mutex_unlock(&vf->sr->lock);
	return err;
}

int swpf_ndo_set_vf_vlan(struct net_device *netdev, int idx, u16 vlan, u8 qos,
			 __be16 proto)
{
	struct swpf_vf *vf;
	int err = 0;

	if (vlan >= VLAN_N_VID || qos > 7)
		return -EINVAL;
	if (proto != htons(ETH_P_8021Q))
		return -EPROTONOSUPPORT;
	vf = swpf_ndo_vf(netdev, idx);
	if (!vf)
		return -EINVAL;
	if (vlan != vf->port_vlan) {
		/* the VF's pool must accept its port VLAN (RCTL.VFE) */
		if (vlan) {
			err = swpf_vlvf_set(vf->sr, vlan, vf->idx, true);
			if (err < 0) {
				netdev_err(netdev, "no free VLAN filter for VLAN %u\n",
					   vlan);
				goto out_unlock;
			}
			err = 0;
		}
		if (vf->port_vlan)
			swpf_vlvf_set(vf->sr, vf->port_vlan, vf->idx, false);
	}
	/* the administrator owns the VF's VLAN now: its own filters go */
	if (vlan)
		swpf_vf_drop_vlans(vf);
	vf->port_vlan = vlan;
	vf->port_qos = vlan ? qos : 0;
	swpf_vf_write_pool(vf);
	swpf_vf_cfg_notify(vf);
out_unlock:
	mutex_unlock(&vf->sr->lock);
	return err;
}

int swpf_ndo_set_vf_spoofchk(struct net_device *netdev, int idx, bool on)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	struct swpf_vf *vf = swpf_ndo_vf(netdev, idx);
	u32 bits;

	if (!vf)
		return -EINVAL;
	bits = BIT(idx) | BIT(idx + SWPF_NUM_POOLS);
	swpf_rmw32_locked(pf, SWPF_DTXSWC, bits, on ? bits : 0);
	if (vf->spoofchk != on) {
		vf->spoofchk = on;
		/* a project VF driver enforces it where QEMU does not */
		swpf_vf_cfg_notify(vf);
	}
	mutex_unlock(&vf->sr->lock);
	/*
	 * QEMU's igb model keeps DTXSWC as a plain register: in
	 * hw/net/igb_core.c only igb_tx_pkt_switch() reads it, for
	 * E1000_DTXSWC_VMDQ_LOOPBACK_EN; the MAC/VLAN anti-spoof bits are
	 * never looked at on transmit.  sriov_vf enforces the check in its
	 * transmit path instead (SRIOV_MBX_CFG_SPOOFCHK).
	 */
	netdev_info_once(netdev,
			 "VF anti-spoofing is programmed (DTXSWC); QEMU's igb model does not enforce it, sriov_vf does\n");
	return 0;
}

int swpf_ndo_set_vf_trust(struct net_device *netdev, int idx, bool trusted)
{
	struct swpf_vf *vf = swpf_ndo_vf(netdev, idx);

	if (!vf)
		return -EINVAL;
	vf->trusted = trusted;
	mutex_unlock(&vf->sr->lock);
	return 0;
}

/*
 * "ip link set PF vf N state", the devlink port function state and the
 * VPort state.  A VF's VPort announces when it starts or stops passing
 * traffic.
 */
void swpf_vf_set_link_state(struct swpf_vf *vf, int state)
{
	bool was_enabled = swpf_vf_enabled(vf);

	lockdep_assert_held(&vf->sr->lock);
	vf->link_state = state;
	/* no per-VF link in the 82576: "disable" stops the VF's pool */
	if (vf->cts)
		swpf_vf_set_rxtx(vf, state != IFLA_VF_LINK_STATE_DISABLE);
	if (was_enabled == swpf_vf_enabled(vf))
		return;
	swpf_vf_cfg_notify(vf);
	if (vf->vport)
		swpf_ntf_vport(vf->sr, vf->vport, SRIOV_CMD_VPORT_CHANGED_NTF);
}

/*
 * Enable or disable a VF's pool where an interface has only the two
 * states (the VPort state, the devlink port function state): disabling is
 * the link state "disable"; enabling turns "disable" back into "auto" and
 * leaves an "auto" or "enable" the administrator chose.
 */
void swpf_vf_set_enabled(struct swpf_vf *vf, bool enabled)
{
	if (!enabled)
		swpf_vf_set_link_state(vf, IFLA_VF_LINK_STATE_DISABLE);
	else if (!swpf_vf_enabled(vf))
		swpf_vf_set_link_state(vf, IFLA_VF_LINK_STATE_AUTO);
}

int swpf_ndo_set_vf_link_state(struct net_device *netdev, int idx, int state)
{
	struct swpf_vf *vf;

	if (state < IFLA_VF_LINK_STATE_AUTO ||
	    state > IFLA_VF_LINK_STATE_DISABLE)
		return -EINVAL;
	vf = swpf_ndo_vf(netdev, idx);
	if (!vf)
		return -EINVAL;
	swpf_vf_set_link_state(vf, state);
	mutex_unlock(&vf->sr->lock);
	return 0;
}

/*
 * Maximum transmit rate of a VF (Mb/s, 0: no limit), the 82576's per-queue
 * rate limiter on the VF's queue.  The hardware has no minimum-rate
 * reservation.  Like the other administrative settings it stays over VF
 * resets, FLRs and VF allocation changes, is replayed after a PF reset,
 * and goes with the VFs when SR-IOV is disabled.
 */
int swpf_ndo_set_vf_rate(struct net_device *netdev, int idx, int min_tx_rate,
			 int max_tx_rate)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	struct swpf_vf *vf;
	int err = 0;

	if (min_tx_rate) {
		netdev_err(netdev, "VF %d: no minimum transmit rate: the 82576 reserves no bandwidth for a VF\n",
			   idx);
		return -EOPNOTSUPP;
	}
	if (max_tx_rate < 0)
		return -EINVAL;
	vf = swpf_ndo_vf(netdev, idx);
	if (!vf)
		return -EINVAL;
	if (max_tx_rate && !READ_ONCE(pf->link_up)) {
		netdev_err(netdev, "VF %d: the link is down: its speed, which the rate limiter needs, is unknown\n",
			   idx);
		err = -EINVAL;
		goto out_unlock;
	}
	if ((u32)max_tx_rate > READ_ONCE(pf->link_speed)) {
		netdev_err(netdev, "VF %d: %d Mb/s is above the link speed, %u Mb/s\n",
			   idx, max_tx_rate, READ_ONCE(pf->link_speed));
		err = -EINVAL;
		goto out_unlock;
	}
	vf->max_tx_rate = max_tx_rate;
	swpf_vf_write_rate(vf);
out_unlock:
	mutex_unlock(&vf->sr->lock);
	return err;
}

int swpf_ndo_get_vf_config(struct net_device *netdev, int idx,
			   struct ifla_vf_info *ivi)
{
	struct swpf_vf *vf = swpf_ndo_vf(netdev, idx);

	if (!vf)
		return -EINVAL;
	ivi->vf = idx;
	ether_addr_copy(ivi->mac, vf->mac);
	ivi->vlan = vf->port_vlan;
	ivi->qos = vf->port_qos;
	ivi->vlan_proto = htons(ETH_P_8021Q);
	ivi->spoofchk = vf->spoofchk;
	ivi->trusted = vf->trusted;
	ivi->linkstate = vf->link_state;
	ivi->min_tx_rate = 0;
	ivi->max_tx_rate = vf->max_tx_rate;
	mutex_unlock(&vf->sr->lock);
	return 0;
}

int swpf_ndo_get_vf_stats(struct net_device *netdev, int idx,
			  struct ifla_vf_stats *st)
{
	struct swpf_vf *vf = swpf_ndo_vf(netdev, idx);

	if (!vf)
		return -EINVAL;
	swpf_vf_update_stats(vf);
	st->rx_packets = vf->gprc.total;
	st->tx_packets = vf->gptc.total;
	st->rx_bytes = vf->gorc.total;
	st->tx_bytes = vf->gotc.total;
	st->multicast = vf->mprc.total;
	mutex_unlock(&vf->sr->lock);
	return 0;
}
