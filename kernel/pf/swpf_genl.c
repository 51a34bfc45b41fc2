// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: the "sriov" generic-netlink family - request handlers and
 * event notifications.  The family, its per-operation attribute policies
 * and the operation table are generated from
 * Documentation/netlink/specs/sriov.yaml into swpf_nl_gen.[ch]; only the
 * handlers live here.
 *
 * Every operation runs under swpf_nl_lock (the family is parallel_ops), so
 * a PF found in swpf_pf_list cannot be removed while a request works on
 * it; the PF's objects are then used under sr->lock.  Handlers take
 * rtnl_lock only through switch-new and switch-del, which enable and
 * disable SR-IOV as sriov_numvfs does: lock order device_lock (the PF's),
 * swpf_nl_lock, rtnl_lock, sr->lock.
 */
#include <linux/etherdevice.h>
#include <linux/ktime.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "swpf.h"
#include "swpf_sriov.h"
#include "swpf_nl_gen.h"

static DEFINE_MUTEX(swpf_nl_lock);	/* serializes requests, guards list */
static LIST_HEAD(swpf_pf_list);		/* [swpf_nl_lock] struct swpf_sriov */

void swpf_genl_add_pf(struct swpf_sriov *sr)
{
	mutex_lock(&swpf_nl_lock);
	list_add_tail(&sr->node, &swpf_pf_list);
	mutex_unlock(&swpf_nl_lock);
}

void swpf_genl_del_pf(struct swpf_sriov *sr)
{
	mutex_lock(&swpf_nl_lock);
	list_del(&sr->node);
	mutex_unlock(&swpf_nl_lock);
}

/*
 * The spec marks the "events" group admin-perm, but the 6.12 YNL generator
 * does not carry multicast-group flags into swpf_nl_gen.c: install the
 * group here with the capability flag so that an unprivileged socket
 * cannot join it (genl_bind() checks GENL_MCAST_CAP_NET_ADMIN).
 */
static const struct genl_multicast_group swpf_nl_mcgrps[] = {
	[SRIOV_NLGRP_EVENTS] = {
		.name	= "events",
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

int swpf_genl_register(void)
{
	BUILD_BUG_ON(ARRAY_SIZE(swpf_nl_mcgrps) != SRIOV_NLGRP_EVENTS + 1);
	sriov_nl_family.mcgrps = swpf_nl_mcgrps;
	sriov_nl_family.n_mcgrps = ARRAY_SIZE(swpf_nl_mcgrps);
	return genl_register_family(&sriov_nl_family);
}

void swpf_genl_unregister(void)
{
	genl_unregister_family(&sriov_nl_family);
}

/* ---- finding the PF ---- */

static bool swpf_nl_pf_visible(struct swpf_sriov *sr, struct net *net)
{
	return net_eq(dev_net(sr->pf->netdev), net);
}

/* PF named by SRIOV_A_IFINDEX and/or SRIOV_A_PCI_ADDR in @attrs */
static struct swpf_sriov *swpf_nl_find(struct net *net, struct nlattr **attrs,
				       bool required,
				       struct netlink_ext_ack *extack)
{
	struct nlattr *ifa = attrs[SRIOV_A_IFINDEX];
	struct nlattr *pca = attrs[SRIOV_A_PCI_ADDR];
	struct swpf_sriov *sr;

	lockdep_assert_held(&swpf_nl_lock);
	if (!ifa && !pca) {
		if (required)
			NL_SET_ERR_MSG(extack, "the PF is required: give ifindex or pci-addr");
		return ERR_PTR(required ? -EINVAL : -ENOENT);
	}
	list_for_each_entry(sr, &swpf_pf_list, node) {
		if (!swpf_nl_pf_visible(sr, net))
			continue;
		if (ifa && sr->pf->netdev->ifindex != nla_get_u32(ifa))
			continue;
		if (pca && nla_strcmp(pca, pci_name(sr->pf->pdev)))
			continue;
		return sr;
	}
	if (ifa && pca)
		NL_SET_ERR_MSG(extack, "no sriov_pf PF has both this ifindex and this PCI address");
	else
		NL_SET_ERR_MSG_ATTR(extack, ifa ?: pca,
				    "no PF driven by sriov_pf has this ifindex/PCI address");
	return ERR_PTR(-ENODEV);
}

/* lock the PF's state; the switch must exist (SR-IOV enabled) */
static int swpf_nl_lock_switch(struct swpf_sriov *sr,
			       struct netlink_ext_ack *extack)
{
	mutex_lock(&sr->lock);
	if (!sr->num_vfs) {
		mutex_unlock(&sr->lock);
		NL_SET_ERR_MSG(extack,
			       "SR-IOV is not enabled on this PF: no NIC switch (switch-new, or write sriov_numvfs)");
		return -ENOENT;
	}
	return 0;
}

static struct swpf_vf *swpf_nl_vf(struct swpf_sriov *sr, struct genl_info *info)
{
	struct nlattr *a = info->attrs[SRIOV_A_VF_ID];
	struct swpf_vf *vf;

	if (GENL_REQ_ATTR_CHECK(info, SRIOV_A_VF_ID))
		return ERR_PTR(-EINVAL);
	vf = swpf_sriov_vf(sr, nla_get_u32(a));
	if (!vf) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, a,
					"VF %u does not exist: %u VFs are enabled",
					nla_get_u32(a), sr->num_vfs);
		return ERR_PTR(-ENOENT);
	}
	return vf;
}

static struct swpf_vport *swpf_nl_vport(struct swpf_sriov *sr,
					struct genl_info *info, int attr)
{
	struct nlattr *a = info->attrs[attr];
	struct swpf_vport *vp;

	if (GENL_REQ_ATTR_CHECK(info, attr))
		return ERR_PTR(-EINVAL);
	vp = swpf_vport_find(sr, nla_get_u32(a));
	if (!vp) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, a, "VPort %u does not exist",
					nla_get_u32(a));
		return ERR_PTR(-ENOENT);
	}
	return vp;
}

/* ---- message contents ---- */

static int swpf_put_pf(struct sk_buff *skb, struct swpf_sriov *sr)
{
	return nla_put_u32(skb, SRIOV_A_IFINDEX, sr->pf->netdev->ifindex);
}

static int swpf_fill_switch(struct sk_buff *skb, struct swpf_sriov *sr)
{
	u32 nvp = 0, rars = 0, vlvf = 0, maxvp = 0, dmax = 0;

	mutex_lock(&sr->lock);
	/* the PF's own VLANs take VLVF entries too */
	vlvf = swpf_switch_free_vlvf(sr);
	if (sr->num_vfs) {
		nvp = swpf_switch_num_vports(sr);
		rars = swpf_switch_free_rars(sr);
		/*
		 * Counted like num-vports: the default VPort (the PF's pool)
		 * and one VPort for each of the N VFs (its pool).
		 */
		maxvp = sr->num_vfs + 1;
		dmax = sr->default_mac_max;
	}
	if (swpf_put_pf(skb, sr) ||
	    nla_put_string(skb, SRIOV_A_PCI_ADDR, pci_name(sr->pf->pdev)) ||
	    nla_put_u32(skb, SRIOV_A_NUM_VFS, sr->num_vfs) ||
	    nla_put_u32(skb, SRIOV_A_TOTAL_VFS,
			pci_sriov_get_totalvfs(sr->pf->pdev)) ||
	    nla_put_u32(skb, SRIOV_A_MAX_VPORTS, maxvp) ||
	    nla_put_u32(skb, SRIOV_A_NUM_VPORTS, nvp) ||
	    nla_put_u32(skb, SRIOV_A_MAC_FILTERS_MAX, SWPF_SW_RAR_COUNT) ||
	    nla_put_u32(skb, SRIOV_A_MAC_FILTERS_FREE,
			sr->num_vfs ? rars : SWPF_SW_RAR_COUNT) ||
	    /* VLVF entry 0 holds VLAN 0 for every pool */
	    nla_put_u32(skb, SRIOV_A_VLAN_FILTERS_MAX, SWPF_VLVF_ENTRIES - 1) ||
	    nla_put_u32(skb, SRIOV_A_VLAN_FILTERS_FREE, vlvf) ||
	    nla_put_u8(skb, SRIOV_A_LINK_UP, READ_ONCE(sr->pf->link_up)) ||
	    nla_put_u32(skb, SRIOV_A_DEFAULT_MAC_FILTERS_MAX, dmax) ||
	    nla_put_u32(skb, SRIOV_A_DEFAULT_MAC_FILTERS,
			sr->num_vfs ? sr->num_default_mac : 0) ||
	    nla_put_u32(skb, SRIOV_A_SWITCH_CAPS, SWPF_SWITCH_CAPS) ||
	    nla_put_u32(skb, SRIOV_A_QUEUE_PAIRS_MAX, SWPF_QUEUE_PAIRS_MAX) ||
	    nla_put_u32(skb, SRIOV_A_VPORT_QUEUE_PAIRS_MAX,
			SWPF_VPORT_QUEUE_PAIRS)) {
		mutex_unlock(&sr->lock);
		return -EMSGSIZE;
	}
	mutex_unlock(&sr->lock);
	return 0;
}

/*
 * A VF's PCI ids: the PF's vendor and the VF Device ID of its SR-IOV
 * capability, which is where the PCI core takes a VF's ids from (the VF's
 * own vendor and device registers read 0xffff).
 */
static int swpf_put_vf_ids(struct sk_buff *skb, struct pci_dev *pdev)
{
	int pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_SRIOV);
	u16 did;

	if (!pos || pci_read_config_word(pdev, pos + PCI_SRIOV_VF_DID, &did))
		return 0;	/* not reported: the PF is gone or unreadable */
	if (nla_put_u16(skb, SRIOV_A_VF_VENDOR_ID, pdev->vendor) ||
	    nla_put_u16(skb, SRIOV_A_VF_DEVICE_ID, did))
		return -EMSGSIZE;
	return 0;
}

static int swpf_fill_vf(struct sk_buff *skb, struct swpf_vf *vf)
{
	swpf_vf_update_stats(vf);
	if (swpf_put_pf(skb, vf->sr) ||
	    nla_put_u32(skb, SRIOV_A_VF_ID, vf->idx) ||
	    nla_put_u32(skb, SRIOV_A_VF_STATE, vf->allocated ?
			SRIOV_VF_STATE_ALLOCATED : SRIOV_VF_STATE_FREE) ||
	    nla_put_u64_64bit(skb, SRIOV_A_SERIAL, vf->serial, SRIOV_A_PAD) ||
	    nla_put(skb, SRIOV_A_MAC, ETH_ALEN, vf->mac) ||
	    nla_put_u16(skb, SRIOV_A_VLAN, vf->port_vlan) ||
	    nla_put_u8(skb, SRIOV_A_QOS, vf->port_qos) ||
	    nla_put_u8(skb, SRIOV_A_SPOOFCHK, vf->spoofchk) ||
	    nla_put_u8(skb, SRIOV_A_TRUST, vf->trusted) ||
	    nla_put_u32(skb, SRIOV_A_LINK_STATE, vf->link_state) ||
	    (vf->pdev && nla_put_string(skb, SRIOV_A_VF_PCI_ADDR,
					pci_name(vf->pdev))) ||
	    (vf->vport && nla_put_u32(skb, SRIOV_A_VPORT_ID, vf->vport->id)) ||
	    nla_put_u8(skb, SRIOV_A_MBX_CTS, vf->cts) ||
	    nla_put_u64_64bit(skb, SRIOV_A_RX_PACKETS, vf->gprc.total,
			      SRIOV_A_PAD) ||
	    nla_put_u64_64bit(skb, SRIOV_A_RX_BYTES, vf->gorc.total,
			      SRIOV_A_PAD) ||
	    nla_put_u64_64bit(skb, SRIOV_A_TX_PACKETS, vf->gptc.total,
			      SRIOV_A_PAD) ||
	    nla_put_u64_64bit(skb, SRIOV_A_TX_BYTES, vf->gotc.total,
			      SRIOV_A_PAD) ||
	    nla_put_u64_64bit(skb, SRIOV_A_RX_MULTICAST, vf->mprc.total,
			      SRIOV_A_PAD) ||
	    nla_put_u64_64bit(skb, SRIOV_A_MBX_RX, vf->mbx_rx, SRIOV_A_PAD) ||
	    nla_put_u64_64bit(skb, SRIOV_A_MBX_NACK, vf->mbx_nack,
			      SRIOV_A_PAD) ||
	    nla_put_u64_64bit(skb, SRIOV_A_MBX_DROPPED, vf->mbx_dropped,
			      SRIOV_A_PAD) ||
	    nla_put_u64_64bit(skb, SRIOV_A_FLR_COUNT, vf->flr_count,
			      SRIOV_A_PAD))
		return -EMSGSIZE;
	return swpf_put_vf_ids(skb, vf->sr->pf->pdev);
}

/* what identifies a VPort: id, owner (and its VF), pool */
static int swpf_put_vport_id(struct sk_buff *skb, struct swpf_vport *vp)
{
	if (nla_put_u32(skb, SRIOV_A_VPORT_ID, vp->id) ||
	    nla_put_u32(skb, SRIOV_A_VPORT_OWNER, vp->vf ?
			SRIOV_VPORT_OWNER_VF : SRIOV_VPORT_OWNER_PF) ||
	    (vp->vf && nla_put_u32(skb, SRIOV_A_VF_ID, vp->vf->idx)) ||
	    nla_put_u32(skb, SRIOV_A_POOL, vp->pool) ||
	    (vp->name[0] &&
	     nla_put_string(skb, SRIOV_A_VPORT_NAME, vp->name)))
		return -EMSGSIZE;
	return 0;
}

/* a filter move: source and destination VPort, the filters, its time */
static int swpf_put_move(struct sk_buff *skb, u32 src, u32 dst,
			 const u32 *ids, unsigned int n, u64 ts)
{
	unsigned int i;

	if (nla_put_u32(skb, SRIOV_A_SRC_VPORT_ID, src) ||
	    nla_put_u32(skb, SRIOV_A_VPORT_ID, dst) ||
	    nla_put_u64_64bit(skb, SRIOV_A_TIMESTAMP_NS, ts, SRIOV_A_PAD))
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u32(skb, SRIOV_A_FILTER_IDS, ids[i]))
			return -EMSGSIZE;
	return 0;
}

/* a PF VPort has no state of its own: it passes what the PF passes */
static u32 swpf_vport_state(const struct swpf_vport *vp)
{
	return vp->vf && !swpf_vf_enabled(vp->vf) ?
	       SRIOV_VPORT_STATE_DISABLED : SRIOV_VPORT_STATE_ENABLED;
}

/* what a VPort's VLAN and state are now */
static int swpf_put_vport_cfg(struct sk_buff *skb, struct swpf_vport *vp)
{
	if (nla_put_u16(skb, SRIOV_A_VLAN, vp->vlan) ||
	    nla_put_u8(skb, SRIOV_A_QOS, vp->qos) ||
	    nla_put_u32(skb, SRIOV_A_VPORT_STATE, swpf_vport_state(vp)))
		return -EMSGSIZE;
	return 0;
}

static int swpf_fill_vport(struct sk_buff *skb, struct swpf_sriov *sr,
			   struct swpf_vport *vp)
{
	if (swpf_put_pf(skb, sr) ||
	    swpf_put_vport_id(skb, vp) ||
	    (vp->is_default && nla_put_flag(skb, SRIOV_A_IS_DEFAULT)) ||
	    swpf_put_vport_cfg(skb, vp) ||
	    nla_put_u32(skb, SRIOV_A_NUM_FILTERS, vp->num_filters))
		return -EMSGSIZE;
	return 0;
}

static int swpf_put_filter(struct sk_buff *skb, struct swpf_filter *f)
{
	if (nla_put_u32(skb, SRIOV_A_FILTER_ID, f->id) ||
	    nla_put_u32(skb, SRIOV_A_FILTER_TYPE, f->type) ||
	    nla_put_u32(skb, SRIOV_A_FILTER_ORIGIN, f->origin) ||
	    nla_put_u32(skb, SRIOV_A_VPORT_ID, f->vport->id) ||
	    (f->type == SRIOV_FILTER_TYPE_MAC &&
	     nla_put(skb, SRIOV_A_MAC, ETH_ALEN, f->mac)) ||
	    (f->type == SRIOV_FILTER_TYPE_VLAN &&
	     nla_put_u16(skb, SRIOV_A_VLAN, f->vlan)) ||
	    (!(f->type == SRIOV_FILTER_TYPE_MAC &&
	       f->hw_index == SWPF_RAR_NONE) &&
	     nla_put_u32(skb, SRIOV_A_HW_INDEX, f->hw_index)))
		return -EMSGSIZE;
	return 0;
}

static int swpf_fill_filter(struct sk_buff *skb, struct swpf_sriov *sr,
			    struct swpf_filter *f)
{
	return swpf_put_pf(skb, sr) ?: swpf_put_filter(skb, f);
}

/* ---- do-reply helpers ---- */

static struct sk_buff *swpf_nl_reply_new(struct genl_info *info, void **hdr)
{
	struct sk_buff *rsp = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!rsp)
		return NULL;
	*hdr = genlmsg_iput(rsp, info);
	if (!*hdr) {
		nlmsg_free(rsp);
		return NULL;
	}
	return rsp;
}

static int swpf_nl_reply_send(struct sk_buff *rsp, void *hdr,
			      struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(rsp);
		return err;
	}
	genlmsg_end(rsp, hdr);
	return genlmsg_reply(rsp, info);
}

/* ---- dump iteration ---- */

struct swpf_dump_ctx {
	unsigned long pf_pos;	/* index in swpf_pf_list */
	unsigned long obj_pos;	/* index of the object within that PF */
};

typedef int (*swpf_dump_obj_fn)(struct sk_buff *skb, struct swpf_sriov *sr,
				unsigned long idx, const struct nlattr *vport,
				struct netlink_callback *cb, int cmd);

static int swpf_dump(struct sk_buff *skb, struct netlink_callback *cb,
		     swpf_dump_obj_fn fn, int cmd)
{
	struct swpf_dump_ctx *ctx = (void *)cb->ctx;
	const struct genl_info *info = genl_info_dump(cb);
	struct nlattr *vport = NULL;
	struct swpf_sriov *want = NULL, *sr;
	struct net *net = sock_net(skb->sk);
	unsigned long pos = 0;
	int err = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct swpf_dump_ctx);
	mutex_lock(&swpf_nl_lock);
	if (info->attrs) {
		want = swpf_nl_find(net, info->attrs, false, cb->extack);
		if (IS_ERR(want)) {
			err = PTR_ERR(want) == -ENOENT ? 0 : PTR_ERR(want);
			if (err)
				goto out_unlock;
			want = NULL;
		}
		if (cmd == SRIOV_CMD_FILTER_GET)
			vport = info->attrs[SRIOV_A_VPORT_ID];
	}
	list_for_each_entry(sr, &swpf_pf_list, node) {
		if (pos++ < ctx->pf_pos)
			continue;
		if (!swpf_nl_pf_visible(sr, net) || (want && sr != want)) {
			ctx->pf_pos++;
			continue;
		}
		for (;;) {
			err = fn(skb, sr, ctx->obj_pos, vport, cb, cmd);
			if (err)
				break;
			ctx->obj_pos++;
		}
		if (err != -ENOENT)
			goto out_unlock;
		err = 0;
		ctx->pf_pos++;
		ctx->obj_pos = 0;
	}
out_unlock:
	mutex_unlock(&swpf_nl_lock);
	/* a full skb ends this round; the dump continues at ctx */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

static void *swpf_dump_hdr(struct sk_buff *skb, struct netlink_callback *cb,
			   int cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &sriov_nl_family, NLM_F_MULTI, cmd);
}

/* finish one dump entry: @err is what filling it returned */
static int swpf_dump_end(struct sk_buff *skb, void *hdr, int err)
{
	if (err) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* -ENOENT: no object @idx (end of this PF), -EMSGSIZE: skb full */
static int swpf_dump_one_switch(struct sk_buff *skb, struct swpf_sriov *sr,
				unsigned long idx, const struct nlattr *vport,
				struct netlink_callback *cb, int cmd)
{
	void *hdr;

	if (idx)
		return -ENOENT;
	hdr = swpf_dump_hdr(skb, cb, cmd);
	if (!hdr)
		return -EMSGSIZE;
	return swpf_dump_end(skb, hdr, swpf_fill_switch(skb, sr));
}

static int swpf_dump_one_vf(struct sk_buff *skb, struct swpf_sriov *sr,
			    unsigned long idx, const struct nlattr *vport,
			    struct netlink_callback *cb, int cmd)
{
	int err = -ENOENT;
	void *hdr;

	mutex_lock(&sr->lock);
	if (idx >= sr->num_vfs)
		goto out_unlock;
	err = -EMSGSIZE;
	hdr = swpf_dump_hdr(skb, cb, cmd);
	if (hdr)
		err = swpf_dump_end(skb, hdr, swpf_fill_vf(skb, &sr->vfs[idx]));
out_unlock:
	mutex_unlock(&sr->lock);
	return err;
}

static int swpf_dump_one_vport(struct sk_buff *skb, struct swpf_sriov *sr,
			       unsigned long idx, const struct nlattr *vport,
			       struct netlink_callback *cb, int cmd)
{
	struct swpf_vport *vp;
	unsigned long n = 0;
	int err = -ENOENT;
	void *hdr;

	mutex_lock(&sr->lock);
	list_for_each_entry(vp, &sr->vports, node) {
		if (n++ < idx)
			continue;
		err = -EMSGSIZE;
		hdr = swpf_dump_hdr(skb, cb, cmd);
		if (hdr)
			err = swpf_dump_end(skb, hdr,
					    swpf_fill_vport(skb, sr, vp));
		break;
	}
	mutex_unlock(&sr->lock);
	return err;
}

static int swpf_dump_one_filter(struct sk_buff *skb, struct swpf_sriov *sr,
				unsigned long idx, const struct nlattr *vport,
				struct netlink_callback *cb, int cmd)
{
	struct swpf_filter *f;
	unsigned long n = 0;
	int err = -ENOENT;
	void *hdr;

	mutex_lock(&sr->lock);
	list_for_each_entry(f, &sr->filters, node) {
		if (n++ < idx)
			continue;
		/* filtered out: an empty entry keeps the positions stable */
		if (vport && f->vport->id != nla_get_u32(vport)) {
			err = 0;
			break;
		}
		err = -EMSGSIZE;
		hdr = swpf_dump_hdr(skb, cb, cmd);
		if (hdr)
			err = swpf_dump_end(skb, hdr,
					    swpf_fill_filter(skb, sr, f));
		break;
	}
	mutex_unlock(&sr->lock);
	return err;
}

/* ---- switch ---- */

int sriov_nl_switch_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct swpf_sriov *sr;
	struct sk_buff *rsp;
	void *hdr;
	int err;

	mutex_lock(&swpf_nl_lock);
	sr = swpf_nl_find(genl_info_net(info), info->attrs, true, info->extack);
	if (IS_ERR(sr)) {
		err = PTR_ERR(sr);
		goto out_unlock;
	}
	err = -ENOMEM;
	rsp = swpf_nl_reply_new(info, &hdr);
	if (!rsp)
		goto out_unlock;
	err = swpf_nl_reply_send(rsp, hdr, info, swpf_fill_switch(rsp, sr));
out_unlock:
	mutex_unlock(&swpf_nl_lock);
	return err;
}

int sriov_nl_switch_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return swpf_dump(skb, cb, swpf_dump_one_switch, SRIOV_CMD_SWITCH_GET);
}

/*
 * switch-new and switch-del do what a write to sriov_numvfs does, under the
 * PF's device lock as the PCI core takes it there.  The order is
 * device_lock, then swpf_nl_lock (the order of the PF's remove path, which
 * unlists the PF under its device lock): the PF is found, its pci_dev
 * pinned, swpf_nl_lock dropped, the device lock taken and the PF found
 * again.  swpf_nl_lock then stays held, so no other request creates a
 * VPort or allocates a VF between switch-del's check and the teardown.
 * Enabling and disabling VFs probe and remove their drivers here; none of
 * that takes swpf_nl_lock.
 */
static struct swpf_sriov *swpf_nl_lock_pf_dev(struct genl_info *info,
					      struct pci_dev **pdevp)
{
	struct net *net = genl_info_net(info);
	struct swpf_sriov *sr;
	struct pci_dev *pdev;

	mutex_lock(&swpf_nl_lock);
	sr = swpf_nl_find(net, info->attrs, true, info->extack);
	if (IS_ERR(sr)) {
		mutex_unlock(&swpf_nl_lock);
		return sr;
	}
	pdev = pci_dev_get(sr->pf->pdev);
	mutex_unlock(&swpf_nl_lock);

	device_lock(&pdev->dev);
	mutex_lock(&swpf_nl_lock);
	sr = swpf_nl_find(net, info->attrs, true, info->extack);
	if (!IS_ERR(sr) && sr->pf->pdev != pdev) {
		NL_SET_ERR_MSG(info->extack, "the PF went away during the request");
		sr = ERR_PTR(-ENODEV);
	}
	if (IS_ERR(sr)) {
		mutex_unlock(&swpf_nl_lock);
		device_unlock(&pdev->dev);
		pci_dev_put(pdev);
		return sr;
	}
	*pdevp = pdev;
	return sr;
}

static void swpf_nl_unlock_pf_dev(struct pci_dev *pdev)
{
	mutex_unlock(&swpf_nl_lock);
	device_unlock(&pdev->dev);
	pci_dev_put(pdev);
}

int sriov_nl_switch_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a = info->attrs[SRIOV_A_NUM_VFS];
	struct swpf_sriov *sr;
	struct pci_dev *pdev;
	struct sk_buff *rsp;
	u32 n, total;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SRIOV_A_NUM_VFS))
		return -EINVAL;
	n = nla_get_u32(a);
	sr = swpf_nl_lock_pf_dev(info, &pdev);
	if (IS_ERR(sr))
		return PTR_ERR(sr);
	if (pci_num_vf(pdev)) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "the PF has a switch with %d VFs: switch-del first",
				   pci_num_vf(pdev));
		err = -EBUSY;
		goto out_unlock;
	}
	total = pci_sriov_get_totalvfs(pdev);
	if (n > total) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, a,
					"the PF has %u VFs, not %u", total, n);
		err = -ERANGE;
		goto out_unlock;
	}
	err = swpf_sriov_configure(pdev, n);
	if (err < 0) {
		NL_SET_ERR_MSG_FMT(info->extack, "enabling %u VFs failed", n);
		goto out_unlock;
	}
	err = -ENOMEM;
	rsp = swpf_nl_reply_new(info, &hdr);
	if (rsp)
		err = swpf_nl_reply_send(rsp, hdr, info,
					 swpf_fill_switch(rsp, sr));
out_unlock:
	swpf_nl_unlock_pf_dev(pdev);
	return err;
}

/* 0 if nothing but the default VPort and driver-made filters is left */
static int swpf_nl_switch_empty(struct swpf_sriov *sr,
				struct netlink_ext_ack *extack)
{
	struct swpf_vport *vp;
	struct swpf_filter *f;
	unsigned int i;

	lockdep_assert_held(&sr->lock);
	list_for_each_entry(vp, &sr->vports, node) {
		if (vp->is_default)
			continue;
		NL_SET_ERR_MSG_FMT(extack,
				   "VPort %u exists: delete the VPorts first", vp->id);
		return -EBUSY;
	}
	for (i = 0; i < sr->num_vfs; i++) {
		if (!sr->vfs[i].allocated)
			continue;
		NL_SET_ERR_MSG_FMT(extack,
				   "VF %u is allocated: free the VFs first", i);
		return -EBUSY;
	}
	list_for_each_entry(f, &sr->filters, node) {
		if (f->origin != SRIOV_FILTER_ORIGIN_ADMIN)
			continue;
		NL_SET_ERR_MSG_FMT(extack,
				   "filter %u is on the default VPort: delete it first", f->id);
		return -EBUSY;
	}
	return 0;
}

int sriov_nl_switch_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct swpf_sriov *sr;
	struct pci_dev *pdev;
	int err;

	sr = swpf_nl_lock_pf_dev(info, &pdev);
	if (IS_ERR(sr))
		return PTR_ERR(sr);
	err = swpf_nl_lock_switch(sr, info->extack);
	if (err)
		goto out_unlock;
	err = swpf_nl_switch_empty(sr, info->extack);
	mutex_unlock(&sr->lock);
	if (err)
		goto out_unlock;
	err = swpf_sriov_configure(pdev, 0);
	if (err)
		NL_SET_ERR_MSG(info->extack,
			       "disabling the VFs failed (are they assigned to guests?)");
out_unlock:
	swpf_nl_unlock_pf_dev(pdev);
	return err;
}

/*
 * Common frame of the do handlers that work on one switch: find the PF,
 * lock its switch, call @fn, unlock.
 */
typedef int (*swpf_do_fn)(struct swpf_sriov *sr, struct genl_info *info);

static int swpf_nl_do(struct genl_info *info, swpf_do_fn fn)
{
	struct swpf_sriov *sr;
	int err;

	mutex_lock(&swpf_nl_lock);
	sr = swpf_nl_find(genl_info_net(info), info->attrs, true, info->extack);
	if (IS_ERR(sr)) {
		err = PTR_ERR(sr);
		goto out_unlock;
	}
	err = swpf_nl_lock_switch(sr, info->extack);
	if (err)
		goto out_unlock;
	err = fn(sr, info);
	mutex_unlock(&sr->lock);
out_unlock:
	mutex_unlock(&swpf_nl_lock);
	return err;
}

/* ---- VFs ---- */

static int swpf_reply_vf(struct swpf_vf *vf, struct genl_info *info)
{
	struct sk_buff *rsp;
	void *hdr;

	rsp = swpf_nl_reply_new(info, &hdr);
	if (!rsp)
		return -ENOMEM;
	return swpf_nl_reply_send(rsp, hdr, info, swpf_fill_vf(rsp, vf));
}

static int swpf_do_vf_get(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_vf *vf = swpf_nl_vf(sr, info);

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	return swpf_reply_vf(vf, info);
}

int sriov_nl_vf_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_vf_get);
}

int sriov_nl_vf_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return swpf_dump(skb, cb, swpf_dump_one_vf, SRIOV_CMD_VF_GET);
}

static int swpf_do_vf_alloc(struct swpf_sriov *sr, struct genl_info *info)
{
	struct nlattr *mac = info->attrs[SRIOV_A_MAC];
	struct swpf_vf *vf = NULL;
	unsigned int i;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SRIOV_A_SERIAL))
		return -EINVAL;
	if (info->attrs[SRIOV_A_VF_ID]) {
		vf = swpf_nl_vf(sr, info);
		if (IS_ERR(vf))
			return PTR_ERR(vf);
	} else {
		for (i = 0; i < sr->num_vfs && !vf; i++)
			if (!sr->vfs[i].allocated)
				vf = &sr->vfs[i];
		if (!vf) {
			NL_SET_ERR_MSG_FMT(info->extack, "all %u VFs are allocated",
					   sr->num_vfs);
			return -ENOSPC;
		}
	}
	err = swpf_sriov_vf_alloc(sr, vf, nla_get_u64(info->attrs[SRIOV_A_SERIAL]),
				  mac ? nla_data(mac) : NULL, info->extack);
	if (err) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[SRIOV_A_VF_ID]);
		return err;
	}
	return swpf_reply_vf(vf, info);
}

int sriov_nl_vf_alloc_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_vf_alloc);
}

static int swpf_do_vf_free(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_vf *vf = swpf_nl_vf(sr, info);

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	return swpf_sriov_vf_free(sr, vf, info->extack);
}

int sriov_nl_vf_free_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_vf_free);
}

int sriov_nl_vf_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct swpf_sriov *sr;
	struct swpf_vf *vf;
	u32 idx;
	int err;

	mutex_lock(&swpf_nl_lock);
	sr = swpf_nl_find(genl_info_net(info), info->attrs, true, info->extack);
	if (IS_ERR(sr)) {
		err = PTR_ERR(sr);
		goto out_unlock;
	}
	err = swpf_nl_lock_switch(sr, info->extack);
	if (err)
		goto out_unlock;
	vf = swpf_nl_vf(sr, info);
	if (!IS_ERR(vf) && sr->disabling) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "SR-IOV disable under way: VF %u goes away, no reset",
				   vf->idx);
		vf = ERR_PTR(-ENODEV);
	} else if (!IS_ERR(vf) && !vf->allocated) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "VF %u is not allocated (vf-alloc first)",
				   vf->idx);
		vf = ERR_PTR(-EINVAL);
	}
	idx = IS_ERR(vf) ? 0 : vf->idx;
	mutex_unlock(&sr->lock);
	if (IS_ERR(vf)) {
		err = PTR_ERR(vf);
		goto out_unlock;
	}
	/* the reset itself runs without sr->lock (see swpf_sriov_vf_flr) */
	err = swpf_sriov_vf_flr(sr, idx, info->extack);
out_unlock:
	mutex_unlock(&swpf_nl_lock);
	return err;
}

/* ---- VPorts ---- */

static int swpf_reply_vport(struct swpf_sriov *sr, struct swpf_vport *vp,
			    struct genl_info *info)
{
	struct sk_buff *rsp;
	void *hdr;

	rsp = swpf_nl_reply_new(info, &hdr);
	if (!rsp)
		return -ENOMEM;
	return swpf_nl_reply_send(rsp, hdr, info,
				  swpf_fill_vport(rsp, sr, vp));
}

static int swpf_do_vport_get(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_vport *vp = swpf_nl_vport(sr, info, SRIOV_A_VPORT_ID);

	if (IS_ERR(vp))
		return PTR_ERR(vp);
	return swpf_reply_vport(sr, vp, info);
}

int sriov_nl_vport_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_vport_get);
}

int sriov_nl_vport_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return swpf_dump(skb, cb, swpf_dump_one_vport, SRIOV_CMD_VPORT_GET);
}

/* a request's default VLAN and QoS (0 when absent); a QoS needs a VLAN */
static int swpf_nl_vlan(struct genl_info *info, u16 *vlan, u8 *qos)
{
	*vlan = info->attrs[SRIOV_A_VLAN] ?
		nla_get_u16(info->attrs[SRIOV_A_VLAN]) : 0;
	*qos = info->attrs[SRIOV_A_QOS] ?
	       nla_get_u8(info->attrs[SRIOV_A_QOS]) : 0;
	if (*qos && !*vlan) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SRIOV_A_QOS],
				    "qos needs a default VLAN");
		return -EINVAL;
	}
	return 0;
}

/*
 * A request's VPort name into @name (SRIOV_VPORT_NAME_MAX + 1 bytes; the
 * policy bounds its length): printable ASCII only, since tools print it.
 * Returns 1 if the request has a name, 0 if it has none.
 */
static int swpf_nl_vport_name(struct genl_info *info, char *name)
{
	struct nlattr *a = info->attrs[SRIOV_A_VPORT_NAME];
	const char *c;

	if (!a)
		return 0;
	nla_strscpy(name, a, SRIOV_VPORT_NAME_MAX + 1);
	for (c = name; *c; c++) {
		if (*c < 0x20 || *c > 0x7e) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "a VPort name is printable ASCII");
			return -EINVAL;
		}
	}
	return 1;
}

static int swpf_do_vport_new(struct swpf_sriov *sr, struct genl_info *info)
{
	char name[SRIOV_VPORT_NAME_MAX + 1] = "";
	struct swpf_vport *vp;
	struct swpf_vf *vf;
	u16 vlan;
	u8 qos;
	int err;

	if (!info->attrs[SRIOV_A_VF_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, SRIOV_A_VF_ID);
		NL_SET_ERR_MSG(info->extack,
			       "no VPort on the PF besides the default VPort (id 0): the PF's datapath has queues only in its own pool; give vf-id");
		return -EOPNOTSUPP;
	}
	vf = swpf_nl_vf(sr, info);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	err = swpf_nl_vlan(info, &vlan, &qos);
	if (err)
		return err;
	err = swpf_nl_vport_name(info, name);
	if (err < 0)
		return err;
	vp = swpf_vport_create(sr, vf, vlan, qos, name, info->extack);
	if (IS_ERR(vp)) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[SRIOV_A_VF_ID]);
		return PTR_ERR(vp);
	}
	return swpf_reply_vport(sr, vp, info);
}

int sriov_nl_vport_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_vport_new);
}

static int swpf_do_vport_del(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_vport *vp = swpf_nl_vport(sr, info, SRIOV_A_VPORT_ID);
	int err;

	if (IS_ERR(vp))
		return PTR_ERR(vp);
	err = swpf_vport_delete(sr, vp, info->extack);
	if (err)
		NL_SET_BAD_ATTR(info->extack, info->attrs[SRIOV_A_VPORT_ID]);
	return err;
}

int sriov_nl_vport_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_vport_del);
}

/*
 * The name and the VLAN first, then the state.  One vport-changed-ntf per
 * request: the state change sends it (with the new VLAN and name) when the
 * state flips, else the request does.
 */
static int swpf_do_vport_set(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_vport *vp = swpf_nl_vport(sr, info, SRIOV_A_VPORT_ID);
	struct nlattr *state = info->attrs[SRIOV_A_VPORT_STATE];
	char name[SRIOV_VPORT_NAME_MAX + 1];
	bool enable, flips = false;
	int has_name;
	u16 vlan;
	u8 qos;
	int err;

	if (IS_ERR(vp))
		return PTR_ERR(vp);
	err = swpf_nl_vlan(info, &vlan, &qos);
	if (err)
		return err;
	has_name = swpf_nl_vport_name(info, name);
	if (has_name < 0)
		return has_name;
	if (!info->attrs[SRIOV_A_VLAN] && !state && !has_name) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give vlan, vport-state or vport-name");
		return -EINVAL;
	}
	if (vp->is_default && (info->attrs[SRIOV_A_VLAN] || state)) {
		NL_SET_ERR_MSG(info->extack,
			       "the default VPort is the PF netdev's: use a VLAN device or the link state of the PF");
		return -EOPNOTSUPP;
	}
	if (info->attrs[SRIOV_A_VLAN]) {
		err = swpf_vport_set_vlan(sr, vp, vlan, qos, info->extack);
		if (err)
			return err;
	}
	if (has_name)
		strscpy(vp->name, name);
	if (state) {
		enable = nla_get_u32(state) == SRIOV_VPORT_STATE_ENABLED;
		flips = enable != swpf_vf_enabled(vp->vf);
		swpf_vf_set_enabled(vp->vf, enable);
	}
	if ((info->attrs[SRIOV_A_VLAN] || has_name) && !flips)
		swpf_ntf_vport(sr, vp, SRIOV_CMD_VPORT_CHANGED_NTF);
	return swpf_reply_vport(sr, vp, info);
}

int sriov_nl_vport_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_vport_set);
}

/* ---- filters ---- */

static int swpf_reply_filter(struct swpf_sriov *sr, struct swpf_filter *f,
			     struct genl_info *info)
{
	struct sk_buff *rsp;
	void *hdr;

	rsp = swpf_nl_reply_new(info, &hdr);
	if (!rsp)
		return -ENOMEM;
	return swpf_nl_reply_send(rsp, hdr, info,
				  swpf_fill_filter(rsp, sr, f));
}

static struct swpf_filter *swpf_nl_filter(struct swpf_sriov *sr,
					  struct genl_info *info)
{
	struct nlattr *a = info->attrs[SRIOV_A_FILTER_ID];
	struct swpf_filter *f;

	if (GENL_REQ_ATTR_CHECK(info, SRIOV_A_FILTER_ID))
		return ERR_PTR(-EINVAL);
	f = swpf_filter_find(sr, nla_get_u32(a));
	if (!f) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, a, "filter %u does not exist",
					nla_get_u32(a));
		return ERR_PTR(-ENOENT);
	}
	return f;
}

static int swpf_do_filter_get(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_filter *f = swpf_nl_filter(sr, info);

	if (IS_ERR(f))
		return PTR_ERR(f);
	return swpf_reply_filter(sr, f, info);
}

int sriov_nl_filter_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_filter_get);
}

int sriov_nl_filter_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return swpf_dump(skb, cb, swpf_dump_one_filter, SRIOV_CMD_FILTER_GET);
}

static int swpf_do_filter_add(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_vport *vp = swpf_nl_vport(sr, info, SRIOV_A_VPORT_ID);
	struct nlattr *mac = info->attrs[SRIOV_A_MAC];
	struct nlattr *vlan = info->attrs[SRIOV_A_VLAN];
	struct swpf_filter *f;

	if (IS_ERR(vp))
		return PTR_ERR(vp);
	if (!mac == !vlan) {
		NL_SET_ERR_MSG(info->extack,
			       "give exactly one of mac (MAC filter) and vlan (VLAN filter)");
		return -EINVAL;
	}
	if (mac)
		f = swpf_filter_add_mac(sr, vp, nla_data(mac),
					SRIOV_FILTER_ORIGIN_ADMIN,
					info->extack);
	else
		f = swpf_filter_add_vlan(sr, vp, nla_get_u16(vlan),
					 SRIOV_FILTER_ORIGIN_ADMIN,
					 info->extack);
	if (IS_ERR(f)) {
		NL_SET_BAD_ATTR(info->extack, mac ?: vlan);
		return PTR_ERR(f);
	}
	return swpf_reply_filter(sr, f, info);
}

int sriov_nl_filter_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_filter_add);
}

static int swpf_do_filter_del(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_filter *f = swpf_nl_filter(sr, info);

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->origin != SRIOV_FILTER_ORIGIN_ADMIN) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack,
					info->attrs[SRIOV_A_FILTER_ID],
					"filter %u was not created by filter-add (its VF owns it)",
					f->id);
		return -EPERM;
	}
	swpf_filter_delete(sr, f);
	return 0;
}

int sriov_nl_filter_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_filter_del);
}

#define SWPF_MOVE_MAX	(SWPF_SW_RAR_COUNT + SWPF_VLVF_ENTRIES)

static int swpf_do_filter_move(struct swpf_sriov *sr, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct swpf_filter *list[SWPF_MOVE_MAX];
	struct swpf_vport *src, *dst;
	u32 ids[SWPF_MOVE_MAX];
	unsigned int n = 0, i;
	struct swpf_filter *f;
	struct sk_buff *rsp;
	struct nlattr *a;
	int rem, err;
	void *hdr;
	u64 ts;

	src = swpf_nl_vport(sr, info, SRIOV_A_SRC_VPORT_ID);
	if (IS_ERR(src))
		return PTR_ERR(src);
	dst = swpf_nl_vport(sr, info, SRIOV_A_VPORT_ID);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	if (src == dst) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[SRIOV_A_VPORT_ID],
				    "source and destination VPort are the same");
		return -EINVAL;
	}

	/* validate the whole set before moving anything */
	nlmsg_for_each_attr_type(a, SRIOV_A_FILTER_IDS, info->nlhdr,
				 GENL_HDRLEN, rem) {
		f = swpf_filter_find(sr, nla_get_u32(a));
		if (!f) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, a, "filter %u does not exist",
						nla_get_u32(a));
			return -ENOENT;
		}
		if (f->vport != src) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, a,
						"filter %u is on VPort %u, not on VPort %u",
						f->id, f->vport->id, src->id);
			return -EINVAL;
		}
		if (f->origin != SRIOV_FILTER_ORIGIN_ADMIN) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, a,
						"filter %u belongs to its VF and cannot move",
						f->id);
			return -EPERM;
		}
		for (i = 0; i < n; i++) {
			if (list[i] == f) {
				NL_SET_ERR_MSG_ATTR_FMT(extack, a, "filter %u is listed twice",
							f->id);
				return -EINVAL;
			}
		}
		if (n == SWPF_MOVE_MAX)
			return -E2BIG;
		list[n++] = f;
	}
	if (!n) {
		list_for_each_entry(f, &sr->filters, node)
			if (f->vport == src &&
			    f->origin == SRIOV_FILTER_ORIGIN_ADMIN &&
			    n < SWPF_MOVE_MAX)
				list[n++] = f;
	}

	err = swpf_filters_move(sr, list, n, dst, extack);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		ids[i] = list[i]->id;
	ts = ktime_get_ns();
	swpf_ntf_move(sr, src->id, dst->id, ids, n, ts, -1);

	rsp = swpf_nl_reply_new(info, &hdr);
	if (!rsp)
		return -ENOMEM;
	err = swpf_put_pf(rsp, sr) ||
	      swpf_put_move(rsp, src->id, dst->id, ids, n, ts);
	return swpf_nl_reply_send(rsp, hdr, info, err ? -EMSGSIZE : 0);
}

int sriov_nl_filter_move_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_filter_move);
}

/* ---- config space ---- */

static int swpf_do_cfg_read(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_vf *vf = swpf_nl_vf(sr, info);
	struct sk_buff *rsp;
	struct nlattr *data;
	u32 off, len;
	void *hdr;
	int err;

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	if (GENL_REQ_ATTR_CHECK(info, SRIOV_A_CFG_OFFSET) ||
	    GENL_REQ_ATTR_CHECK(info, SRIOV_A_CFG_LEN))
		return -EINVAL;
	off = nla_get_u32(info->attrs[SRIOV_A_CFG_OFFSET]);
	len = nla_get_u32(info->attrs[SRIOV_A_CFG_LEN]);

	rsp = genlmsg_new(nla_total_size(len) + NLMSG_GOODSIZE, GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;
	hdr = genlmsg_iput(rsp, info);
	if (!hdr) {
		nlmsg_free(rsp);
		return -EMSGSIZE;
	}
	err = -EMSGSIZE;
	if (swpf_put_pf(rsp, sr) ||
	    nla_put_u32(rsp, SRIOV_A_VF_ID, vf->idx) ||
	    nla_put_u32(rsp, SRIOV_A_CFG_OFFSET, off) ||
	    nla_put_u32(rsp, SRIOV_A_CFG_LEN, len))
		goto out_free;
	data = nla_reserve(rsp, SRIOV_A_CFG_DATA, len);
	if (!data)
		goto out_free;
	err = swpf_cfg_read(vf, off, len, nla_data(data), info->extack);
	if (err) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[SRIOV_A_CFG_OFFSET]);
		goto out_free;
	}
	return swpf_nl_reply_send(rsp, hdr, info, 0);

out_free:
	nlmsg_free(rsp);
	return err;
}

int sriov_nl_cfg_read_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_cfg_read);
}

static int swpf_do_cfg_write(struct swpf_sriov *sr, struct genl_info *info)
{
	struct swpf_vf *vf = swpf_nl_vf(sr, info);
	int err;

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	if (GENL_REQ_ATTR_CHECK(info, SRIOV_A_CFG_OFFSET) ||
	    GENL_REQ_ATTR_CHECK(info, SRIOV_A_CFG_LEN) ||
	    GENL_REQ_ATTR_CHECK(info, SRIOV_A_CFG_VALUE))
		return -EINVAL;
	err = swpf_cfg_write(vf, nla_get_u32(info->attrs[SRIOV_A_CFG_OFFSET]),
			     nla_get_u32(info->attrs[SRIOV_A_CFG_LEN]),
			     nla_get_u32(info->attrs[SRIOV_A_CFG_VALUE]),
			     info->extack);
	if (err)
		NL_SET_BAD_ATTR(info->extack, info->attrs[SRIOV_A_CFG_OFFSET]);
	return err;
}

int sriov_nl_cfg_write_doit(struct sk_buff *skb, struct genl_info *info)
{
	return swpf_nl_do(info, swpf_do_cfg_write);
}

/* ---- events ---- */

static struct sk_buff *swpf_ntf_new(struct swpf_sriov *sr, int cmd,
				    void **hdr)
{
	struct net *net = dev_net(sr->pf->netdev);
	struct sk_buff *skb;

	if (!genl_has_listeners(&sriov_nl_family, net, SRIOV_NLGRP_EVENTS))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &sriov_nl_family, 0, cmd);
	if (!*hdr || swpf_put_pf(skb, sr)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void swpf_ntf_send(struct swpf_sriov *sr, struct sk_buff *skb,
			  void *hdr, bool ok)
{
	if (!ok ||
	    nla_put_u64_64bit(skb, SRIOV_A_TIMESTAMP_NS, ktime_get_ns(),
			      SRIOV_A_PAD)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&sriov_nl_family, dev_net(sr->pf->netdev), skb,
				0, SRIOV_NLGRP_EVENTS, GFP_KERNEL);
}

void swpf_ntf_switch(struct swpf_sriov *sr)
{
	struct sk_buff *skb;
	void *hdr;

	skb = swpf_ntf_new(sr, SRIOV_CMD_SWITCH_CHANGE_NTF, &hdr);
	if (!skb)
		return;
	swpf_ntf_send(sr, skb, hdr,
		      !nla_put_string(skb, SRIOV_A_PCI_ADDR,
				      pci_name(sr->pf->pdev)) &&
		      !nla_put_u32(skb, SRIOV_A_NUM_VFS,
				   READ_ONCE(sr->num_vfs)));
}

void swpf_ntf_vf(struct swpf_vf *vf, int cmd, int reason)
{
	struct sk_buff *skb;
	bool ok;
	void *hdr;

	skb = swpf_ntf_new(vf->sr, cmd, &hdr);
	if (!skb)
		return;
	ok = !nla_put_u32(skb, SRIOV_A_VF_ID, vf->idx);
	switch (cmd) {
	case SRIOV_CMD_VF_ALLOCATED_NTF:
		ok = ok && !nla_put(skb, SRIOV_A_MAC, ETH_ALEN, vf->mac);
		fallthrough;
	case SRIOV_CMD_VF_FREED_NTF:
		ok = ok && !nla_put_u64_64bit(skb, SRIOV_A_SERIAL, vf->serial,
					      SRIOV_A_PAD);
		break;
	case SRIOV_CMD_VF_RESET_REQUEST_NTF:
		ok = ok && !nla_put(skb, SRIOV_A_MAC, ETH_ALEN, vf->mac);
		break;
	default:
		ok = ok && !nla_put_u32(skb, SRIOV_A_RESET_REASON, reason);
		break;
	}
	swpf_ntf_send(vf->sr, skb, hdr, ok);
}

void swpf_ntf_vport(struct swpf_sriov *sr, struct swpf_vport *vp, int cmd)
{
	struct sk_buff *skb;
	void *hdr;

	skb = swpf_ntf_new(sr, cmd, &hdr);
	if (!skb)
		return;
	swpf_ntf_send(sr, skb, hdr, !swpf_put_vport_id(skb, vp) &&
		      (cmd != SRIOV_CMD_VPORT_CHANGED_NTF ||
		       !swpf_put_vport_cfg(skb, vp)));
}

void swpf_ntf_filter_deleted(struct swpf_sriov *sr, struct swpf_filter *f)
{
	struct sk_buff *skb;
	void *hdr;

	lockdep_assert_held(&sr->lock);
	skb = swpf_ntf_new(sr, SRIOV_CMD_FILTER_DELETED_NTF, &hdr);
	if (!skb)
		return;
	swpf_ntf_send(sr, skb, hdr, !swpf_put_filter(skb, f));
}

/* @reason: enum sriov_reset_reason of a failover move, negative for none */
void swpf_ntf_move(struct swpf_sriov *sr, u32 src, u32 dst, const u32 *ids,
		   unsigned int n, u64 ts, int reason)
{
	struct sk_buff *skb;
	void *hdr;

	skb = swpf_ntf_new(sr, SRIOV_CMD_FILTER_MOVED_NTF, &hdr);
	if (!skb)
		return;
	/* the moment of the move, not of the message */
	if (swpf_put_move(skb, src, dst, ids, n, ts) ||
	    (reason >= 0 && nla_put_u32(skb, SRIOV_A_RESET_REASON, reason))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&sriov_nl_family, dev_net(sr->pf->netdev), skb,
				0, SRIOV_NLGRP_EVENTS, GFP_KERNEL);
}

void swpf_ntf_link(struct swpf_sriov *sr, bool up)
{
	struct sk_buff *skb;
	void *hdr;

	skb = swpf_ntf_new(sr, SRIOV_CMD_LINK_CHANGE_NTF, &hdr);
	if (!skb)
		return;
	swpf_ntf_send(sr, skb, hdr, !nla_put_u8(skb, SRIOV_A_LINK_UP, up));
}

void swpf_ntf_cfg_write(struct swpf_vf *vf, u32 off, u32 len, u32 val)
{
	struct sk_buff *skb;
	void *hdr;

	skb = swpf_ntf_new(vf->sr, SRIOV_CMD_CFG_WRITE_NTF, &hdr);
	if (!skb)
		return;
	swpf_ntf_send(vf->sr, skb, hdr,
		      !nla_put_u32(skb, SRIOV_A_VF_ID, vf->idx) &&
		      !nla_put_u32(skb, SRIOV_A_CFG_OFFSET, off) &&
		      !nla_put_u32(skb, SRIOV_A_CFG_LEN, len) &&
		      !nla_put_u32(skb, SRIOV_A_CFG_VALUE, val));
}

void swpf_ntf_throttled(struct swpf_vf *vf)
{
	struct sk_buff *skb;
	void *hdr;

	skb = swpf_ntf_new(vf->sr, SRIOV_CMD_VF_MBX_THROTTLED_NTF, &hdr);
	if (!skb)
		return;
	swpf_ntf_send(vf->sr, skb, hdr,
		      !nla_put_u32(skb, SRIOV_A_VF_ID, vf->idx) &&
		      !nla_put_u64_64bit(skb, SRIOV_A_MBX_DROPPED,
					 vf->mbx_dropped, SRIOV_A_PAD));
}
