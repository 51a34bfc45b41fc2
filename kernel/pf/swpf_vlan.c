// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: VLAN receive filtering per VMDq pool.
 *
 * RCTL.VFE is always on.  A tagged frame then needs its VID in the global
 * VLAN filter table (VFTA), and in VMDq mode it only reaches the pools
 * named by POOLSEL of the VLAN pool filter (VLVF) entry of its VID; an
 * untagged frame only reaches pools with VMOLR.AUPE.  QEMU's igb model
 * implements exactly this (igb_receive_assign()), so the filters are real
 * in the lab as well.
 *
 * Every VLVF entry counts its users per pool (a VF's SET_VLAN, the port
 * VLAN of a VF, the default VLAN of a VPort, a switch VLAN filter), so one
 * user going away never removes a pool another user still needs.  The PF's
 * own VLANs (ndo_vlan_rx_add_vid: 8021q devices on the PF) are kept apart
 * and follow the PF's pool when it moves.  Entry 0 is VLAN 0 for every
 * pool: priority-tagged frames are not VLAN-filtered.  With the PF
 * promiscuous (or rx-vlan-filter off) the PF's pool is in every entry and
 * VFTA is all ones, so unicast of unknown VLANs reaches the default pool.
 *
 * VLANs a VF asks for through the mailbox are the only untrusted users:
 * they take a new entry only while more than SWPF_VLVF_RESERVED entries
 * stay free (swpf_vlan_ref_reserve()), so the PF's own VLANs, port VLANs,
 * VPort VLANs and the administrator's VLAN filters always find one, and
 * each VF is held to its quota (swpf_vf_msg.c, vf_vlan_quota).
 *
 * Table and registers are guarded by pf->filter_lock.
 */
#include <linux/if_vlan.h>
#include <linux/netdevice.h>

#include "swpf.h"

#define SWPF_VLVF_VID0		0	/* entry reserved for VLAN 0 */

static u8 swpf_vlvf_pools(const struct swpf_dev *pf, unsigned int i)
{
	const struct swpf_vlvf *e = &pf->vlvf[i];
	u8 pools = 0;
	unsigned int p;

	if (i == SWPF_VLVF_VID0)
		return GENMASK(SWPF_NUM_POOLS - 1, 0);
	/* a free entry: VLAN 0 lives in its own entry only */
	if (!e->vid)
		return 0;
	for (p = 0; p < SWPF_NUM_POOLS; p++)
		if (e->refs[p])
			pools |= BIT(p);
	if (pools && pf->vlan_promisc)
		pools |= BIT(pf->pf_pool);
	if (test_bit(e->vid, pf->pf_vlans))
		pools |= BIT(pf->pf_pool);
	return pools;
}

static bool swpf_vlvf_used(const struct swpf_dev *pf, unsigned int i)
{
	return swpf_vlvf_pools(pf, i) != 0;
}

static u32 swpf_vlvf_reg(const struct swpf_dev *pf, unsigned int i)
{
	u8 pools = swpf_vlvf_pools(pf, i);

	if (!pools)
		return 0;
	return FIELD_PREP(SWPF_VLVF_VLANID, pf->vlvf[i].vid) |
	       FIELD_PREP(SWPF_VLVF_POOLSEL, pools) | SWPF_VLVF_VIEN;
}

/* VFTA register @reg from the table: a bit for every VID in use */
static u32 swpf_vfta_reg(const struct swpf_dev *pf, unsigned int reg)
{
	unsigned int i;
	u32 val = 0;

	if (pf->vlan_promisc)
		return ~0U;
	for (i = 0; i < SWPF_VLVF_ENTRIES; i++) {
		u16 vid = pf->vlvf[i].vid;

		if (vid >> 5 == reg && swpf_vlvf_used(pf, i))
			val |= BIT(vid & 31);
	}
	return val;
}

/* entry @i changed: its VLVF register first when it gains pools */
static void swpf_vlvf_commit(struct swpf_dev *pf, unsigned int i)
{
	unsigned int reg = pf->vlvf[i].vid >> 5;

	lockdep_assert_held(&pf->filter_lock);
	if (swpf_vlvf_used(pf, i)) {
		swpf_wr32(pf, SWPF_VLVF(i), swpf_vlvf_reg(pf, i));
		swpf_wr32(pf, SWPF_VFTA(reg), swpf_vfta_reg(pf, reg));
	} else {
		swpf_wr32(pf, SWPF_VFTA(reg), swpf_vfta_reg(pf, reg));
		swpf_wr32(pf, SWPF_VLVF(i), 0);
		pf->vlvf[i].vid = 0;
	}
}

/* Rewrite every VLVF and VFTA register from the table (after a reset). */
void swpf_vlan_write_all_locked(struct swpf_dev *pf)
{
	unsigned int i;

	lockdep_assert_held(&pf->filter_lock);
	for (i = 0; i < SWPF_VLVF_ENTRIES; i++)
		swpf_wr32(pf, SWPF_VLVF(i), swpf_vlvf_reg(pf, i));
	for (i = 0; i < SWPF_VFTA_REGS; i++)
		swpf_wr32(pf, SWPF_VFTA(i), swpf_vfta_reg(pf, i));
}

void swpf_vlan_write_all(struct swpf_dev *pf)
{
	spin_lock_bh(&pf->filter_lock);
	swpf_vlan_write_all_locked(pf);
	spin_unlock_bh(&pf->filter_lock);
}

/* called from the rx-mode code with filter_lock held */
void swpf_vlan_set_promisc_locked(struct swpf_dev *pf, bool on)
{
	lockdep_assert_held(&pf->filter_lock);
	if (pf->vlan_promisc == on)
		return;
	pf->vlan_promisc = on;
	swpf_vlan_write_all_locked(pf);
}

static int swpf_vlvf_find(const struct swpf_dev *pf, u16 vid)
{
	unsigned int i;

	if (!vid)
		return SWPF_VLVF_VID0;
	for (i = SWPF_VLVF_VID0 + 1; i < SWPF_VLVF_ENTRIES; i++)
		if (pf->vlvf[i].vid == vid && swpf_vlvf_used(pf, i))
			return i;
	return -ENOENT;
}

static unsigned int swpf_vlvf_free_locked(const struct swpf_dev *pf)
{
	unsigned int i, n = 0;

	for (i = SWPF_VLVF_VID0 + 1; i < SWPF_VLVF_ENTRIES; i++)
		if (!swpf_vlvf_used(pf, i))
			n++;
	return n;
}

/*
 * The entry of @vid, a free one for it if none.  A new entry is taken
 * only while more than @reserve entries are free (-ENOSPC otherwise).
 */
static int swpf_vlvf_get(struct swpf_dev *pf, u16 vid, unsigned int reserve)
{
	int i = swpf_vlvf_find(pf, vid);

	if (i >= 0)
		return i;
	if (reserve && swpf_vlvf_free_locked(pf) <= reserve)
		return -ENOSPC;
	for (i = SWPF_VLVF_VID0 + 1; i < SWPF_VLVF_ENTRIES; i++) {
		if (!swpf_vlvf_used(pf, i)) {
			memset(&pf->vlvf[i], 0, sizeof(pf->vlvf[i]));
			pf->vlvf[i].vid = vid;
			return i;
		}
	}
	return -ENOSPC;
}

/**
 * swpf_vlan_ref_reserve - add or drop one user of VLAN @vid on pool @pool
 * @pf: the PF
 * @vid: VLAN id, 0-4095 (VLAN 0 always passes: nothing to count)
 * @pool: VMDq pool
 * @on: add (true) or drop (false) the reference
 * @reserve: when adding, the number of free entries a new entry must leave
 *	for others (0: the last free entry may be taken)
 *
 * Return: the VLVF index, -ENOSPC if no entry is free for the caller,
 * -ENOENT when dropping a reference nobody holds.
 */
int swpf_vlan_ref_reserve(struct swpf_dev *pf, u16 vid, u8 pool, bool on,
			  unsigned int reserve)
{
	struct swpf_vlvf *e;
	int i;

	if (vid >= VLAN_N_VID || pool >= SWPF_NUM_POOLS)
		return -EINVAL;
	if (!vid)
		return SWPF_VLVF_VID0;
	spin_lock_bh(&pf->filter_lock);
	i = on ? swpf_vlvf_get(pf, vid, reserve) : swpf_vlvf_find(pf, vid);
	if (i < 0)
		goto out_unlock;
	e = &pf->vlvf[i];
	if (on) {
		if (e->refs[pool] == U8_MAX) {
			i = -EOVERFLOW;
			goto out_unlock;
		}
		e->refs[pool]++;
	} else if (e->refs[pool]) {
		e->refs[pool]--;
	} else {
		i = -ENOENT;
		goto out_unlock;
	}
	swpf_vlvf_commit(pf, i);
out_unlock:
	spin_unlock_bh(&pf->filter_lock);
	return i;
}

/* swpf_vlan_ref_reserve() for the administrator's users: no reserve */
int swpf_vlan_ref(struct swpf_dev *pf, u16 vid, u8 pool, bool on)
{
	return swpf_vlan_ref_reserve(pf, vid, pool, on, 0);
}

/*
 * Move one reference of @vid from pool @src to pool @dst with a single
 * write of the VLVF entry: no instant at which neither pool is selected.
 */
int swpf_vlan_move(struct swpf_dev *pf, u16 vid, u8 src, u8 dst)
{
	struct swpf_vlvf *e;
	int i;

	if (!vid || src >= SWPF_NUM_POOLS || dst >= SWPF_NUM_POOLS)
		return -EINVAL;
	spin_lock_bh(&pf->filter_lock);
	i = swpf_vlvf_find(pf, vid);
	if (i < 0)
		goto out_unlock;
	e = &pf->vlvf[i];
	if (!e->refs[src] || e->refs[dst] == U8_MAX) {
		i = -ENOENT;
		goto out_unlock;
	}
	e->refs[src]--;
	e->refs[dst]++;
	swpf_wr32(pf, SWPF_VLVF(i), swpf_vlvf_reg(pf, i));
out_unlock:
	spin_unlock_bh(&pf->filter_lock);
	return i;
}

/* drop every pool reference (SR-IOV off); the PF's own VLANs stay */
void swpf_vlan_clear_refs(struct swpf_dev *pf)
{
	unsigned int i;

	spin_lock_bh(&pf->filter_lock);
	for (i = 0; i < SWPF_VLVF_ENTRIES; i++) {
		memset(pf->vlvf[i].refs, 0, sizeof(pf->vlvf[i].refs));
		if (!swpf_vlvf_used(pf, i))
			pf->vlvf[i].vid = 0;
	}
	swpf_vlan_write_all_locked(pf);
	spin_unlock_bh(&pf->filter_lock);
}

unsigned int swpf_vlan_free_entries(struct swpf_dev *pf)
{
	unsigned int i, n = 0;

	spin_lock_bh(&pf->filter_lock);
	for (i = 0; i < SWPF_VLVF_ENTRIES; i++)
		if (!swpf_vlvf_used(pf, i))
			n++;
	spin_unlock_bh(&pf->filter_lock);
	return n;
}

/* ---- the PF's own VLANs (rtnl held) ---- */

int swpf_vlan_rx_add_vid(struct net_device *netdev, __be16 proto, u16 vid)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	int i, err = 0;

	if (vid >= VLAN_N_VID)
		return -EINVAL;
	spin_lock_bh(&pf->filter_lock);
	if (test_bit(vid, pf->pf_vlans))
		goto out_unlock;
	i = swpf_vlvf_get(pf, vid, 0);
	if (i < 0) {
		netdev_err(netdev, "VLAN %u: all %u VLAN filters (VLVF) in use\n",
			   vid, SWPF_VLVF_ENTRIES);
		err = i;
		goto out_unlock;
	}
	set_bit(vid, pf->pf_vlans);
	swpf_vlvf_commit(pf, i);
out_unlock:
	spin_unlock_bh(&pf->filter_lock);
	return err;
}

int swpf_vlan_rx_kill_vid(struct net_device *netdev, __be16 proto, u16 vid)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	int i;

	if (vid >= VLAN_N_VID)
		return -EINVAL;
	spin_lock_bh(&pf->filter_lock);
	i = swpf_vlvf_find(pf, vid);
	if (test_and_clear_bit(vid, pf->pf_vlans) && i >= 0)
		swpf_vlvf_commit(pf, i);
	spin_unlock_bh(&pf->filter_lock);
	return 0;
}
