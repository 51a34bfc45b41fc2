// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: the NIC switch.  It exists while SR-IOV is enabled and holds
 * VPorts (on the 82576: VMDq pools) and the receive filters they own:
 *
 *  - a MAC filter on a VPort other than the default is an exact
 *    receive-address register (RAR) entry whose POOLSEL field names the
 *    pool of the owning VPort;
 *  - a MAC filter on the default VPort takes no RAR entry: while there is
 *    one, the default pool (VT_CTL.DEF_PL, the PF's pool) is on and
 *    receives every unicast frame from the wire that matches no RAR entry
 *    (QEMU's igb_receive_assign; RCTL.UPE and VMOLR.ROPE for silicon).
 *    Any number of partitions on the synthetic path fit;
 *  - a VLAN filter is a bit for the owning pool in the POOLSEL field of the
 *    VLAN pool filter (VLVF) entry of its VLAN id, plus the VFTA bit.
 *
 * Moving a filter to another VPort takes one register write (RAH or
 * VLVF): between VPorts with RAR entries it rewrites POOLSEL; to the
 * default VPort it clears RAH.AV (the frames then go to the default
 * pool, which is on before the write); from the default VPort it sets
 * RAH.AV of a free entry whose RAL was written first.  Before the write
 * the source pool receives the address, after it the destination does;
 * there is no instant at which neither does.  The default VPort (id 0) is
 * the PF's pool and cannot be deleted.
 *
 * All functions are called with sr->lock held.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/moduleparam.h>

#include "swpf.h"
#include "swpf_sriov.h"

/* ---- hardware slots ---- */

int swpf_rar_alloc(struct swpf_sriov *sr)
{
	unsigned int i;

	lockdep_assert_held(&sr->lock);
	i = find_first_zero_bit(&sr->rar_used, SWPF_SW_RAR_COUNT);
	if (i >= SWPF_SW_RAR_COUNT)
		return -ENOSPC;
	__set_bit(i, &sr->rar_used);
	return SWPF_SW_RAR_FIRST + i;
}

void swpf_rar_free(struct swpf_sriov *sr, int idx)
{
	lockdep_assert_held(&sr->lock);
	swpf_hw_clear_rar(sr->pf, idx);
	__clear_bit(idx - SWPF_SW_RAR_FIRST, &sr->rar_used);
}

static u32 swpf_rah(const u8 *mac, u8 pool)
{
	return (mac[4] | mac[5] << 8) |
	       FIELD_PREP(SWPF_RAH_POOLSEL, BIT(pool)) | SWPF_RAH_AV;
}

void swpf_rar_write(struct swpf_sriov *sr, unsigned int idx, const u8 *mac,
		    u8 pool)
{
	swpf_hw_set_rar(sr->pf, idx, mac, pool);
}

unsigned int swpf_switch_free_rars(struct swpf_sriov *sr)
{
	return SWPF_SW_RAR_COUNT - bitmap_weight(&sr->rar_used,
						 SWPF_SW_RAR_COUNT);
}

/* RAR entries held by the MACs of VFs that are not allocated */
unsigned int swpf_switch_legacy_rars(struct swpf_sriov *sr)
{
	unsigned int i, n = 0;

	for (i = 0; i < sr->num_vfs; i++)
		if (sr->vfs[i].legacy_rar >= 0)
			n++;
	return n;
}

/* the PF's rx mode follows sr->num_default_mac (swpf_write_rx_mode) */
static void swpf_switch_rx_mode(struct swpf_sriov *sr)
{
	struct net_device *netdev = sr->pf->netdev;

	netif_addr_lock_bh(netdev);
	swpf_write_rx_mode(sr->pf);
	netif_addr_unlock_bh(netdev);
}

/* one more MAC filter on the default VPort: the default pool goes on
 * before the caller lets the address go to it
 */
static void swpf_default_mac_get(struct swpf_sriov *sr)
{
	WRITE_ONCE(sr->num_default_mac, sr->num_default_mac + 1);
	if (sr->num_default_mac == 1)
		swpf_switch_rx_mode(sr);
}

static void swpf_default_mac_put(struct swpf_sriov *sr)
{
	WRITE_ONCE(sr->num_default_mac, sr->num_default_mac - 1);
	if (!sr->num_default_mac)
		swpf_switch_rx_mode(sr);
}

/* true if @vf receives through an exact entry: its own MAC while it is
 * not allocated, or a MAC filter of its VPort
 */
static bool swpf_vf_has_rar(struct swpf_sriov *sr, const struct swpf_vf *vf)
{
	struct swpf_filter *f;

	if (vf->legacy_rar >= 0)
		return true;
	if (!vf->vport)
		return false;
	list_for_each_entry(f, &sr->filters, node)
		if (f->vport == vf->vport && f->type == SRIOV_FILTER_TYPE_MAC &&
		    f->hw_index != SWPF_RAR_NONE)
			return true;
	return false;
}

/*
 * The exact-entry budget: one entry is kept for each VF that holds none
 * (SR-IOV enables at most 7 VFs, the switch has 8 entries), so every VF
 * can always receive its partition's MAC; the entries beyond those are
 * shared.  Returns how many entries a MAC filter on @vp may take now.
 */
static unsigned int swpf_rars_for(struct swpf_sriov *sr,
				  const struct swpf_vport *vp,
				  unsigned int *kept)
{
	unsigned int i, free = swpf_switch_free_rars(sr);

	*kept = 0;
	for (i = 0; i < sr->num_vfs; i++)
		if (&sr->vfs[i] != vp->vf && !swpf_vf_has_rar(sr, &sr->vfs[i]))
			(*kept)++;
	return free > *kept ? free - *kept : 0;
}

static void swpf_rar_limit_msg(struct swpf_sriov *sr,
			       const struct swpf_vport *vp,
			       struct netlink_ext_ack *extack)
{
	unsigned int kept;

	swpf_rars_for(sr, vp, &kept);
	/* extack messages hold 80 characters */
	if (!swpf_switch_free_rars(sr))
		NL_SET_ERR_MSG_FMT(extack,
				   "all %u exact MAC filter entries (RAR %u-%u) in use, %u by free VFs' MACs",
				   SWPF_SW_RAR_COUNT, SWPF_SW_RAR_FIRST,
				   SWPF_RAR_ENTRIES - 1,
				   swpf_switch_legacy_rars(sr));
	else
		NL_SET_ERR_MSG_FMT(extack,
				   "exact MAC filter entries (RAR %u-%u): %u free, kept for %u VFs without one",
				   SWPF_SW_RAR_FIRST, SWPF_RAR_ENTRIES - 1,
				   swpf_switch_free_rars(sr), kept);
}

unsigned int swpf_switch_free_vlvf(struct swpf_sriov *sr)
{
	return swpf_vlan_free_entries(sr->pf);
}

/*
 * Add (@on) or drop one user of VLAN @vid on pool @pool (swpf_vlan.c
 * counts the users).  Returns the VLVF index or a negative errno.
 */
int swpf_vlvf_set(struct swpf_sriov *sr, u16 vid, u8 pool, bool on)
{
	lockdep_assert_held(&sr->lock);
	return swpf_vlan_ref(sr->pf, vid, pool, on);
}

/* ---- lookups ---- */

struct swpf_vport *swpf_vport_find(struct swpf_sriov *sr, u32 id)
{
	struct swpf_vport *vp;

	lockdep_assert_held(&sr->lock);
	list_for_each_entry(vp, &sr->vports, node)
		if (vp->id == id)
			return vp;
	return NULL;
}

struct swpf_vport *swpf_vport_default(struct swpf_sriov *sr)
{
	return swpf_vport_find(sr, SRIOV_DEFAULT_VPORT_ID);
}

struct swpf_filter *swpf_filter_find(struct swpf_sriov *sr, u32 id)
{
	struct swpf_filter *f;

	lockdep_assert_held(&sr->lock);
	list_for_each_entry(f, &sr->filters, node)
		if (f->id == id)
			return f;
	return NULL;
}

unsigned int swpf_switch_num_vports(struct swpf_sriov *sr)
{
	struct swpf_vport *vp;
	unsigned int n = 0;

	list_for_each_entry(vp, &sr->vports, node)
		n++;
	return n;
}

/*
 * Non-zero if @mac is already received somewhere: the PF's own address, a
 * switch MAC filter, or the RAR of a VF that is not allocated (except @vf).
 */
int swpf_switch_mac_in_use(struct swpf_sriov *sr, const u8 *mac,
			   const struct swpf_vf *except)
{
	struct swpf_filter *f;
	unsigned int i;

	if (ether_addr_equal(mac, sr->pf->netdev->dev_addr))
		return -EADDRINUSE;
	list_for_each_entry(f, &sr->filters, node)
		if (f->type == SRIOV_FILTER_TYPE_MAC &&
		    ether_addr_equal(f->mac, mac))
			return -EADDRINUSE;
	for (i = 0; i < sr->num_vfs; i++) {
		const struct swpf_vf *vf = &sr->vfs[i];

		if (vf != except && vf->legacy_rar >= 0 &&
		    ether_addr_equal(vf->mac, mac))
			return -EADDRINUSE;
	}
	return 0;
}

/* ---- VPorts ---- */

static u32 swpf_next_vport_id(struct swpf_sriov *sr)
{
	do {
		if (++sr->next_vport_id == SRIOV_DEFAULT_VPORT_ID)
			sr->next_vport_id++;
	} while (swpf_vport_find(sr, sr->next_vport_id));
	return sr->next_vport_id;
}

/*
 * A VPort on an allocated VF, in the VF's pool.  There are no VPorts on the
 * PF besides the default one: the PF's datapath runs queues only in its
 * own pool, so a second PF pool would receive frames nobody reads.
 */
struct swpf_vport *swpf_vport_create(struct swpf_sriov *sr, struct swpf_vf *vf,
				     u16 vlan, u8 qos, const char *name,
				     struct netlink_ext_ack *extack)
{
	struct swpf_vport *vp;
	int err;

	lockdep_assert_held(&sr->lock);
	if (!vf->allocated) {
		NL_SET_ERR_MSG_FMT(extack, "VF %u is not allocated (vf-alloc first)",
				   vf->idx);
		return ERR_PTR(-EINVAL);
	}
	if (vf->vport) {
		NL_SET_ERR_MSG_FMT(extack, "VF %u already has VPort %u",
				   vf->idx, vf->vport->id);
		return ERR_PTR(-EEXIST);
	}

	vp = swpf_fault_alloc(sr->pf) ? NULL : kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return ERR_PTR(-ENOMEM);
	vp->id = swpf_next_vport_id(sr);
	vp->pool = vf->idx;
	vp->vf = vf;
	strscpy(vp->name, name ?: "");
	list_add_tail(&vp->node, &sr->vports);
	vf->vport = vp;
	/* default VLAN of the VPort into VLVF and the VF's pool registers */
	err = swpf_vport_set_vlan(sr, vp, vlan, qos, extack);
	if (err)
		goto err_unlink;
	swpf_ntf_vport(sr, vp, SRIOV_CMD_VPORT_CREATED_NTF);
	return vp;

err_unlink:
	vf->vport = NULL;
	list_del(&vp->node);
	kfree(vp);
	return ERR_PTR(err);
}

static void swpf_vport_free(struct swpf_sriov *sr, struct swpf_vport *vp)
{
	swpf_ntf_vport(sr, vp, SRIOV_CMD_VPORT_DELETED_NTF);
	list_del(&vp->node);
	kfree(vp);
}

int swpf_vport_delete(struct swpf_sriov *sr, struct swpf_vport *vp,
		      struct netlink_ext_ack *extack)
{
	struct swpf_filter *f;
	unsigned int n = 0;

	lockdep_assert_held(&sr->lock);
	if (vp->is_default) {
		NL_SET_ERR_MSG(extack, "the default VPort (id 0, the PF's) cannot be deleted");
		return -EINVAL;
	}
	list_for_each_entry(f, &sr->filters, node)
		if (f->vport == vp && f->origin != SRIOV_FILTER_ORIGIN_VF)
			n++;
	if (n) {
		NL_SET_ERR_MSG_FMT(extack,
				   "VPort %u still owns %u filters: move or delete them first",
				   vp->id, n);
		return -EBUSY;
	}
	swpf_filter_flush_origin(sr, vp, SRIOV_FILTER_ORIGIN_VF);
	if (vp->vlan)
		swpf_vlvf_set(sr, vp->vlan, vp->pool, false);
	vp->vlan = 0;
	vp->qos = 0;
	if (vp->vf) {
		struct swpf_vf *vf = vp->vf;

		vf->vport = NULL;
		swpf_vf_write_pool(vf);
		/* its config block names the VPort: the VF re-reads it */
		swpf_vf_cfg_notify(vf);
	}
	swpf_vport_free(sr, vp);
	return 0;
}

int swpf_vport_set_vlan(struct swpf_sriov *sr, struct swpf_vport *vp,
			u16 vlan, u8 qos, struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&sr->lock);
	if (vlan != vp->vlan) {
		/* the pool must accept the default VLAN (RCTL.VFE) */
		if (vlan) {
			err = swpf_vlvf_set(sr, vlan, vp->pool, true);
			if (err < 0)
				goto err_no_vlvf;
		}
		if (vp->vlan)
			swpf_vlvf_set(sr, vp->vlan, vp->pool, false);
	}
	vp->vlan = vlan;
	vp->qos = vlan ? qos : 0;
	if (vp->vf) {
		/* like a port VLAN: the VF's own VLAN filters go */
		if (vlan)
			swpf_vf_drop_vlans(vp->vf);
		swpf_vf_write_pool(vp->vf);
		swpf_vf_cfg_notify(vp->vf);
	}
	return 0;

err_no_vlvf:
	NL_SET_ERR_MSG_FMT(extack, "all %u VLAN filter slots (VLVF) are in use",
			   SWPF_VLVF_ENTRIES);
	return err;
}

/* ---- filters ---- */

static struct swpf_filter *swpf_filter_new(struct swpf_sriov *sr,
					   struct swpf_vport *vp,
					   enum sriov_filter_type type,
					   enum sriov_filter_origin origin)
{
	struct swpf_filter *f;

	f = swpf_fault_alloc(sr->pf) ? NULL : kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	do {
		if (!++sr->next_filter_id)
			sr->next_filter_id++;
	} while (swpf_filter_find(sr, sr->next_filter_id));
	f->id = sr->next_filter_id;
	f->type = type;
	f->origin = origin;
	f->vport = vp;
	return f;
}

struct swpf_filter *swpf_filter_add_mac(struct swpf_sriov *sr,
					struct swpf_vport *vp, const u8 *mac,
					enum sriov_filter_origin origin,
					struct netlink_ext_ack *extack)
{
	struct swpf_filter *f;
	unsigned int i, kept;
	int idx;

	lockdep_assert_held(&sr->lock);
	if (vp->is_default &&
	    sr->num_default_mac >= sr->default_mac_max) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the default VPort already has %u MAC filters, its limit",
				   sr->default_mac_max);
		return ERR_PTR(-ENOSPC);
	}
	if (!is_valid_ether_addr(mac)) {
		NL_SET_ERR_MSG(extack, "a MAC filter needs a unicast, non-zero address");
		return ERR_PTR(-EINVAL);
	}
	if (ether_addr_equal(mac, sr->pf->netdev->dev_addr)) {
		NL_SET_ERR_MSG_FMT(extack, "%pM is the PF's own address", mac);
		return ERR_PTR(-EEXIST);
	}
	list_for_each_entry(f, &sr->filters, node) {
		if (f->type == SRIOV_FILTER_TYPE_MAC &&
		    ether_addr_equal(f->mac, mac)) {
			NL_SET_ERR_MSG_FMT(extack, "%pM already has filter %u on VPort %u",
					   mac, f->id, f->vport->id);
			return ERR_PTR(-EEXIST);
		}
	}
	for (i = 0; i < sr->num_vfs; i++) {
		if (sr->vfs[i].legacy_rar >= 0 &&
		    ether_addr_equal(sr->vfs[i].mac, mac)) {
			NL_SET_ERR_MSG_FMT(extack, "%pM is received by VF %u (not allocated)",
					   mac, i);
			return ERR_PTR(-EEXIST);
		}
	}

	idx = swpf_fault_filter(sr->pf);
	if (!idx && !vp->is_default)
		idx = swpf_rars_for(sr, vp, &kept) ? swpf_rar_alloc(sr) : -ENOSPC;
	if (idx < 0) {
		if (idx == -ENOSPC)
			swpf_rar_limit_msg(sr, vp, extack);
		else
			NL_SET_ERR_MSG_FMT(extack, "MAC filter for %pM not written (%d)",
					   mac, idx);
		return ERR_PTR(idx);
	}
	f = swpf_filter_new(sr, vp, SRIOV_FILTER_TYPE_MAC, origin);
	if (!f) {
		if (idx)
			swpf_rar_free(sr, idx);
		return ERR_PTR(-ENOMEM);
	}
	ether_addr_copy(f->mac, mac);
	f->hw_index = vp->is_default ? SWPF_RAR_NONE : idx;
	if (vp->is_default)
		swpf_default_mac_get(sr);
	else
		swpf_rar_write(sr, idx, mac, vp->pool);
	list_add_tail(&f->node, &sr->filters);
	vp->num_filters++;
	return f;
}

struct swpf_filter *swpf_filter_add_vlan(struct swpf_sriov *sr,
					 struct swpf_vport *vp, u16 vlan,
					 enum sriov_filter_origin origin,
					 struct netlink_ext_ack *extack)
{
	struct swpf_filter *f;
	int idx;

	lockdep_assert_held(&sr->lock);
	if (!vlan || vlan >= VLAN_N_VID) {
		NL_SET_ERR_MSG(extack, "a VLAN filter needs a VLAN id 1-4095");
		return ERR_PTR(-EINVAL);
	}
	list_for_each_entry(f, &sr->filters, node) {
		if (f->type == SRIOV_FILTER_TYPE_VLAN && f->vlan == vlan &&
		    f->vport == vp) {
			NL_SET_ERR_MSG_FMT(extack, "VLAN %u already has filter %u on VPort %u",
					   vlan, f->id, vp->id);
			return ERR_PTR(-EEXIST);
		}
	}
	f = swpf_filter_new(sr, vp, SRIOV_FILTER_TYPE_VLAN, origin);
	if (!f)
		return ERR_PTR(-ENOMEM);
	idx = swpf_fault_filter(sr->pf) ?: swpf_vlvf_set(sr, vlan, vp->pool, true);
	if (idx < 0) {
		kfree(f);
		NL_SET_ERR_MSG_FMT(extack, "all %u VLAN filter slots (VLVF) are in use",
				   SWPF_VLVF_ENTRIES);
		return ERR_PTR(idx);
	}
	f->vlan = vlan;
	f->hw_index = idx;
	list_add_tail(&f->node, &sr->filters);
	vp->num_filters++;
	return f;
}

/* Delete @f and announce it (filter-deleted-ntf), whatever deletes it. */
void swpf_filter_delete(struct swpf_sriov *sr, struct swpf_filter *f)
{
	lockdep_assert_held(&sr->lock);
	swpf_ntf_filter_deleted(sr, f);
	if (f->type == SRIOV_FILTER_TYPE_MAC && f->hw_index == SWPF_RAR_NONE)
		swpf_default_mac_put(sr);
	else if (f->type == SRIOV_FILTER_TYPE_MAC)
		swpf_rar_free(sr, f->hw_index);
	else
		swpf_vlvf_set(sr, f->vlan, f->vport->pool, false);
	f->vport->num_filters--;
	list_del(&f->node);
	kfree(f);
}

void swpf_filter_flush_origin(struct swpf_sriov *sr, struct swpf_vport *vp,
			      enum sriov_filter_origin origin)
{
	struct swpf_filter *f, *tmp;

	list_for_each_entry_safe(f, tmp, &sr->filters, node)
		if (f->vport == vp && f->origin == origin)
			swpf_filter_delete(sr, f);
}

/*
 * A MAC filter changes VPort with one write of its RAH:
 *  - between two VPorts with pools of their own: POOLSEL of the source
 *    replaced by the destination's (RAL does not change);
 *  - to the default VPort: RAH cleared (AV off), after the default pool
 *    was turned on; the frames then match no entry and go to the default
 *    pool; the entry is free again;
 *  - from the default VPort: a free entry's RAL first, then its RAH with
 *    AV and the destination's pool.  This one fails (-ENOSPC) when no
 *    entry is free for @dst (swpf_rars_for); then nothing changed.
 */
static int swpf_filter_move_mac(struct swpf_sriov *sr, struct swpf_filter *f,
				struct swpf_vport *dst)
{
	struct swpf_dev *pf = sr->pf;
	unsigned int kept;
	int idx;

	if (!dst->is_default && f->hw_index != SWPF_RAR_NONE) {
		swpf_wr32(pf, SWPF_RAH(f->hw_index), swpf_rah(f->mac, dst->pool));
		return 0;
	}
	if (dst->is_default) {
		swpf_default_mac_get(sr);
		swpf_rar_free(sr, f->hw_index);
		f->hw_index = SWPF_RAR_NONE;
		return 0;
	}
	idx = swpf_rars_for(sr, dst, &kept) ? swpf_rar_alloc(sr) : -ENOSPC;
	if (idx < 0)
		return idx;
	/* swpf_hw_set_rar: RAH (AV) is the last of its writes */
	swpf_rar_write(sr, idx, f->mac, dst->pool);
	f->hw_index = idx;
	swpf_default_mac_put(sr);
	return 0;
}

/*
 * Give @f to @dst with one register write: the RAH of a MAC filter
 * (swpf_filter_move_mac) or the VLVF entry of a VLAN filter, with the
 * POOLSEL bit of the source replaced by the destination's.  A VLAN move
 * can fail (its VLVF entry is not where the table says, or the
 * fail_filter_write fault), a MAC move from the default VPort when no RAR
 * entry is free; then nothing changed and the error is returned.
 */
static int __swpf_filter_move(struct swpf_sriov *sr, struct swpf_filter *f,
			      struct swpf_vport *dst, bool inject)
{
	struct swpf_dev *pf = sr->pf;
	struct swpf_vport *src = f->vport;
	int err;

	lockdep_assert_held(&sr->lock);
	if (src == dst)
		return 0;
	if (f->type == SRIOV_FILTER_TYPE_MAC) {
		err = swpf_filter_move_mac(sr, f, dst);
		if (err < 0)
			return err;
	} else {
		err = inject ? swpf_fault_filter(pf) : 0;
		if (!err)
			err = swpf_vlan_move(pf, f->vlan, src->pool, dst->pool);
		if (err < 0)
			return err;
	}
	src->num_filters--;
	dst->num_filters++;
	f->vport = dst;
	return 0;
}

int swpf_filter_move(struct swpf_sriov *sr, struct swpf_filter *f,
		     struct swpf_vport *dst)
{
	return __swpf_filter_move(sr, f, dst, true);
}

/**
 * swpf_filters_move - move @n filters to @dst, all or none
 * @sr: the switch
 * @list: the filters, all on one source VPort
 * @n: number of filters in @list
 * @dst: destination VPort
 * @extack: where a failure is explained
 *
 * MAC filters that leave the default VPort need a free RAR entry each
 * (within the budget of swpf_rars_for): without enough of them nothing
 * moves.  A filter that cannot move stops
 * the move: the filters moved before it go back to their source (moves
 * back of filters that just moved do not fail: a MAC filter going back to
 * a VPort with a pool finds the entry it just freed), so the VPorts are
 * never left half-moved.
 *
 * Return: 0, or the error of the filter that could not move.
 */
int swpf_filters_move(struct swpf_sriov *sr, struct swpf_filter **list,
		      unsigned int n, struct swpf_vport *dst,
		      struct netlink_ext_ack *extack)
{
	struct swpf_vport *src = n ? list[0]->vport : dst;
	unsigned int i, kept, need = 0;
	int err;

	lockdep_assert_held(&sr->lock);
	for (i = 0; i < n; i++)
		if (list[i]->type == SRIOV_FILTER_TYPE_MAC &&
		    list[i]->hw_index == SWPF_RAR_NONE && !dst->is_default)
			need++;
	if (need > swpf_rars_for(sr, dst, &kept)) {
		swpf_rar_limit_msg(sr, dst, extack);
		return -ENOSPC;
	}
	for (i = 0; i < n; i++) {
		err = __swpf_filter_move(sr, list[i], dst, true);
		if (err)
			goto unwind;
	}
	return 0;

unwind:
	NL_SET_ERR_MSG_FMT(extack,
			   "filter %u (VLAN %u) could not move to VPort %u (%d); no filter moved",
			   list[i]->id, list[i]->vlan, dst->id, err);
	while (i--)
		if (__swpf_filter_move(sr, list[i], src, false))
			netdev_err(sr->pf->netdev,
				   "filter %u did not move back to VPort %u\n",
				   list[i]->id, src->id);
	return err;
}

/*
 * Failover policy: when a VF goes away - a VF_GOING_DOWN message (sriov_vf
 * sends it before it stops receiving: unbind, FLR, removal), SR-IOV being
 * disabled (before the VFs are removed), a VFLR event (on QEMU's igb every
 * VF software reset too, so VF driver unbind, reset and SR-IOV disable), an
 * FLR requested over netlink, or a VF_RESET message - the administrator's
 * filters of its VPort move to the default VPort at once, in one register
 * write each, so frames for the VF's MAC reach the PF (and through the
 * host's switch the synthetic path) while the VF cannot receive them.  The
 * move is announced like any other (FILTER_MOVED_NTF, with the reason in
 * SRIOV_A_RESET_REASON).  A VF can only move its own VPort's filters to the
 * default VPort this way, which it could also do by resetting itself, so
 * the message gives an untrusted VF no new power.  The filters stay on
 * the default VPort when the VF comes back: moving them to the VF again is
 * part of attaching it (sriovd, or whoever answers the adapter's switch
 * request), since the VF's own reset handshake follows its unbind too.
 */
static bool vf_reset_failover = true;
module_param(vf_reset_failover, bool, 0644);
MODULE_PARM_DESC(vf_reset_failover,
		 "move a VF's MAC/VLAN filters to the default VPort when the VF resets or goes away (default: on)");

/* the devlink param vf_reset_failover */
bool swpf_vf_reset_failover(void)
{
	return READ_ONCE(vf_reset_failover);
}

void swpf_set_vf_reset_failover(bool on)
{
	WRITE_ONCE(vf_reset_failover, on);
}

/* @reason goes into the notification (why the VF went away) */
void swpf_switch_vf_gone(struct swpf_sriov *sr, struct swpf_vf *vf,
			 enum sriov_reset_reason reason)
{
	struct swpf_vport *src = vf->vport, *dst;
	u32 ids[SWPF_SW_RAR_COUNT + SWPF_VLVF_ENTRIES];
	struct swpf_filter *f;
	unsigned int n = 0;

	lockdep_assert_held(&sr->lock);
	dst = swpf_vport_default(sr);
	if (!READ_ONCE(vf_reset_failover) || !src || !dst)
		return;
	list_for_each_entry(f, &sr->filters, node) {
		if (f->vport != src || f->origin != SRIOV_FILTER_ORIGIN_ADMIN ||
		    n == ARRAY_SIZE(ids))
			continue;
		if (swpf_filter_move(sr, f, dst)) {
			netdev_err(sr->pf->netdev,
				   "filter %u stays on VPort %u: it could not move to the default VPort\n",
				   f->id, src->id);
			continue;
		}
		ids[n++] = f->id;
	}
	if (n)
		swpf_ntf_move(sr, src->id, dst->id, ids, n, ktime_get_ns(),
			      reason);
}

/* ---- the switch ---- */

/*
 * After a PF reset: the RARs of the MAC filters (the VFs' pools are the
 * VFs' own replay).  What was written back is counted into @info (the
 * pf_reset reporter).
 */
void swpf_switch_replay(struct swpf_sriov *sr, struct swpf_reset_info *info)
{
	struct swpf_filter *f;

	lockdep_assert_held(&sr->lock);
	list_for_each_entry(f, &sr->filters, node)
		if (f->type == SRIOV_FILTER_TYPE_MAC &&
		    f->hw_index != SWPF_RAR_NONE) {
			swpf_rar_write(sr, f->hw_index, f->mac, f->vport->pool);
			info->mac_filters++;
		}
}

void swpf_switch_init(struct swpf_sriov *sr)
{
	INIT_LIST_HEAD(&sr->vports);
	INIT_LIST_HEAD(&sr->filters);
}

/*
 * The limit of MAC filters on the default VPort (their memory and the
 * linear lookups under sr->lock bound it, not the hardware): read when a
 * switch is created, so a change applies to the next switch.
 */
static unsigned int default_mac_filters_max = SWPF_DEFAULT_MAC_FILTERS_MAX;

static int swpf_set_default_mac_max(const char *val,
				    const struct kernel_param *kp)
{
	return swpf_param_set_range(val, kp, 1, SWPF_DEFAULT_MAC_FILTERS_MAX);
}

static const struct kernel_param_ops swpf_default_mac_max_ops = {
	.set = swpf_set_default_mac_max,
	.get = param_get_uint,
};

module_param_cb(default_mac_filters_max, &swpf_default_mac_max_ops,
		&default_mac_filters_max, 0644);
MODULE_PARM_DESC(default_mac_filters_max,
		 "MAC filters the default VPort of a switch may hold, read at switch creation (1..1024, default 1024)");

/* the devlink param default_mac_filters_max: the value is checked there */
unsigned int swpf_default_mac_filters_max(void)
{
	return READ_ONCE(default_mac_filters_max);
}

void swpf_set_default_mac_filters_max(unsigned int max)
{
	WRITE_ONCE(default_mac_filters_max, max);
}

int swpf_switch_create(struct swpf_sriov *sr)
{
	struct swpf_vport *vp;
	unsigned int i;

	lockdep_assert_held(&sr->lock);
	for (i = SWPF_SW_RAR_FIRST; i < SWPF_RAR_ENTRIES; i++)
		swpf_hw_clear_rar(sr->pf, i);
	sr->rar_used = 0;
	WRITE_ONCE(sr->num_default_mac, 0);
	sr->default_mac_max = READ_ONCE(default_mac_filters_max);
	sr->next_vport_id = SRIOV_DEFAULT_VPORT_ID;
	sr->next_filter_id = 0;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	vp->id = SRIOV_DEFAULT_VPORT_ID;
	vp->pool = sr->pf->pf_pool;	/* the PF's pool */
	vp->is_default = true;
	list_add(&vp->node, &sr->vports);
	return 0;
}

void swpf_switch_destroy(struct swpf_sriov *sr)
{
	struct swpf_filter *f, *ftmp;
	struct swpf_vport *vp, *vtmp;
	unsigned int i;

	lockdep_assert_held(&sr->lock);
	list_for_each_entry_safe(f, ftmp, &sr->filters, node)
		swpf_filter_delete(sr, f);
	list_for_each_entry_safe(vp, vtmp, &sr->vports, node)
		swpf_vport_free(sr, vp);
	for (i = 0; i < sr->num_vfs; i++) {
		struct swpf_vf *vf = &sr->vfs[i];

		vf->vport = NULL;
		if (vf->legacy_rar >= 0)
			swpf_rar_free(sr, vf->legacy_rar);
		vf->legacy_rar = -1;
	}
	/* every pool reference (VF, VPort, filter VLANs); the PF's stay */
	swpf_vlan_clear_refs(sr->pf);
}
