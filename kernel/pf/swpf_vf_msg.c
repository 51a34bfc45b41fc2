// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: VF mailbox requests - dispatch and policy.  The protocol is the
 * one Linux's igbvf and DPDK's igb VF driver speak (kernel/include/
 * sriov_mbx.h), plus the project's SRIOV_MBX_GET_CONFIG,
 * SRIOV_MBX_VF_GOING_DOWN and SRIOV_MBX_PF_CONFIG.  Everything a VF
 * writes is untrusted: every field is checked before it reaches a
 * register, and an untrusted VF cannot replace a MAC the administrator set.
 *
 * Reply rules (what the VF drivers expect):
 *  - VF_RESET: exactly [SRIOV_MBX_RESET_ACK, MAC] (no CTS), then CTS is set;
 *  - other requests: one word, request | CTS | ACK or NACK;
 *  - a request that already carries ACK/NACK is read and ignored;
 *  - before the reset handshake (no CTS) only VF_RESET is served; anything
 *    else gets a NACK without CTS, at most one per SWPF_MBX_NACK_INTERVAL.
 * Called from the mailbox worker with sr->lock held.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>

#include "swpf.h"
#include "swpf_sriov.h"

static unsigned int vf_vlan_quota = SWPF_VF_VLAN_QUOTA_DEFAULT;

static int swpf_set_vlan_quota(const char *val, const struct kernel_param *kp)
{
	return swpf_param_set_range(val, kp, 0, SWPF_VF_VLAN_QUOTA_MAX);
}

static const struct kernel_param_ops swpf_vlan_quota_ops = {
	.set = swpf_set_vlan_quota,
	.get = param_get_uint,
};

module_param_cb(vf_vlan_quota, &swpf_vlan_quota_ops, &vf_vlan_quota, 0644);
MODULE_PARM_DESC(vf_vlan_quota,
		 "VLAN filters each VF may add through the mailbox (default 8, at most 27)");

/* the devlink param vf_vlan_quota: the value is checked there */
unsigned int swpf_vf_vlan_quota(void)
{
	return READ_ONCE(vf_vlan_quota);
}

void swpf_vf_set_vlan_quota(unsigned int quota)
{
	WRITE_ONCE(vf_vlan_quota, quota);
}

static void swpf_vf_reply(struct swpf_vf *vf, u32 req, bool ack)
{
	u32 msg = (req & (SRIOV_MBX_TYPE | SRIOV_MBX_INFO)) | SRIOV_MBX_CTS;

	if (ack) {
		msg |= SRIOV_MBX_ACK;
	} else {
		msg |= SRIOV_MBX_NACK;
		vf->mbx_nack++;
	}
	swpf_mbx_write(vf, &msg, 1);
}

static void swpf_vf_do_reset(struct swpf_vf *vf)
{
	u32 reply[SRIOV_MBX_RESET_REPLY_LEN];

	swpf_vf_reset_state(vf, SRIOV_RESET_REASON_MAILBOX);
	if (!vf->allocated)
		swpf_vf_legacy_mac_apply(vf);
	swpf_vf_set_rxtx(vf, vf->link_state != IFLA_VF_LINK_STATE_DISABLE);
	vf->cts = true;

	reply[0] = SRIOV_MBX_RESET_ACK;
	sriov_mbx_put_mac(&reply[1], vf->mac);
	swpf_mbx_write(vf, reply, SRIOV_MBX_RESET_REPLY_LEN);
	swpf_ntf_vf(vf, SRIOV_CMD_VF_RESET_REQUEST_NTF,
		    SRIOV_RESET_REASON_MAILBOX);
}

static bool swpf_vf_set_mac(struct swpf_vf *vf, const u32 *msg)
{
	u32 info = FIELD_GET(SRIOV_MBX_INFO, msg[0]);
	struct swpf_sriov *sr = vf->sr;
	u8 mac[ETH_ALEN];

	sriov_mbx_get_mac(mac, &msg[1]);
	switch (info) {
	case SRIOV_MBX_MAC_PRIMARY:
		break;
	case SRIOV_MBX_MAC_FILTER_CLR:
		if (vf->vport)
			swpf_filter_flush_origin(sr, vf->vport,
						 SRIOV_FILTER_ORIGIN_VF);
		return true;
	case SRIOV_MBX_MAC_FILTER_ADD:
		/* extra unicast filters only on a VPort, only if trusted */
		if (!vf->vport || !vf->trusted || !is_valid_ether_addr(mac))
			return false;
		return !IS_ERR(swpf_filter_add_mac(sr, vf->vport, mac,
						   SRIOV_FILTER_ORIGIN_VF,
						   NULL));
	default:
		return false;
	}

	if (!is_valid_ether_addr(mac))
		return false;
	if (ether_addr_equal(mac, vf->mac))
		return true;
	if ((vf->mac_admin || vf->allocated) && !vf->trusted) {
		dev_info_ratelimited(&sr->pf->pdev->dev,
				     "VF %u: MAC change to %pM refused (set by the administrator)\n",
				     vf->idx, mac);
		return false;
	}
	if (swpf_switch_mac_in_use(sr, mac, vf))
		return false;
	ether_addr_copy(vf->mac, mac);
	/* an allocated VF receives through its VPort's filters only */
	if (!vf->allocated)
		return !swpf_vf_legacy_mac_apply(vf);
	return true;
}

static bool swpf_vf_set_multicast(struct swpf_vf *vf, const u32 *msg)
{
	u32 info = FIELD_GET(SRIOV_MBX_INFO, msg[0]);
	unsigned int n = info & 0x7f, i;

	/* 16-bit hashes packed from word 1: at most 30 fit in 15 words */
	vf->mc_promisc = (info & (SRIOV_MBX_MC_OVERFLOW >> 16)) ||
			 n > SRIOV_MBX_MC_MAX_HASHES;
	n = min_t(unsigned int, n, SRIOV_MBX_MC_MAX_HASHES);
	for (i = 0; i < n; i++)
		vf->mc_hash[i] = (msg[1 + i / 2] >> (16 * (i & 1))) & 0xfff;
	vf->num_mc = n;
	swpf_sriov_write_vf_mta(vf->sr);
	return true;
}

static bool swpf_vf_set_vlan(struct swpf_vf *vf, const u32 *msg)
{
	bool add = FIELD_GET(SRIOV_MBX_INFO, msg[0]) & SRIOV_MBX_VLAN_ADD;
	u16 vid = msg[1] & 0xffff;

	if (msg[1] >= VLAN_N_VID)
		return false;
	if (!vid)
		return true;	/* VLAN 0 (priority tags) always passes */
	if (vf->port_vlan || (vf->vport && vf->vport->vlan))
		return false;	/* the administrator owns the VLAN */
	if (add == test_bit(vid, vf->vlans))
		return true;
	if (add) {
		unsigned int quota = READ_ONCE(vf_vlan_quota);
		int err = -EDQUOT;

		lockdep_assert_held(&vf->sr->lock);
		if (bitmap_weight(vf->vlans, VLAN_N_VID) < quota)
			err = swpf_vlan_ref_reserve(vf->sr->pf, vid, vf->idx,
						    true, SWPF_VLVF_RESERVED);
		if (err < 0) {
			vf->vlan_refused++;
			dev_warn_ratelimited(&vf->sr->pf->pdev->dev,
					     "VF %u: VLAN %u refused: %s\n",
					     vf->idx, vid, err == -EDQUOT ?
					     "VLAN filter quota (vf_vlan_quota) reached" :
					     "no VLAN filter free for VFs");
			return false;
		}
	} else if (swpf_vlvf_set(vf->sr, vid, vf->idx, false) < 0) {
		return false;
	}
	if (add)
		set_bit(vid, vf->vlans);
	else
		clear_bit(vid, vf->vlans);
	return true;
}

static bool swpf_vf_set_lpe(struct swpf_vf *vf, const u32 *msg)
{
	u32 max = msg[1];

	if (max < ETH_ZLEN || max > SWPF_VF_MAX_FRAME)
		return false;
	vf->rlpml = max;
	swpf_rmw32_locked(vf->sr->pf, SWPF_VMOLR(vf->idx), SWPF_VMOLR_RLPML,
			  FIELD_PREP(SWPF_VMOLR_RLPML, max) | SWPF_VMOLR_LPE);
	return true;
}

static bool swpf_vf_set_promisc(struct swpf_vf *vf, const u32 *msg)
{
	u32 flags = FIELD_GET(SRIOV_MBX_INFO, msg[0]);

	/* unicast promiscuous would see other functions' traffic */
	if (flags & ~SRIOV_MBX_PROMISC_MULTICAST)
		return false;
	vf->mc_promisc = flags & SRIOV_MBX_PROMISC_MULTICAST;
	swpf_sriov_write_vf_mta(vf->sr);
	return true;
}

/* the policy flags a project VF enforces for us (SRIOV_MBX_CFG_*) */
u32 swpf_vf_cfg_flags(const struct swpf_vf *vf)
{
	u32 flags = 0;

	if (vf->spoofchk)
		flags |= SRIOV_MBX_CFG_SPOOFCHK;
	if (vf->port_vlan || (vf->vport && vf->vport->vlan))
		flags |= SRIOV_MBX_CFG_PORT_VLAN;
	if (!swpf_vf_enabled(vf))
		flags |= SRIOV_MBX_CFG_DISABLED;
	return flags;
}

/**
 * swpf_vf_cfg_notify - tell a project VF driver its new policy flags
 * @vf: the VF (sr->lock held)
 *
 * Only a VF that asked GET_CONFIG since its last reset gets the message
 * (igbvf and DPDK's VF never do).  The PF does not wait for the VF: if the
 * buffer cannot take the message now, it stays pending and the mailbox
 * worker sends it, with the flags of then (swpf_mbx_flush()); a VF that
 * resets reads the flags in its GET_CONFIG anyway.
 */
void swpf_vf_cfg_notify(struct swpf_vf *vf)
{
	swpf_mbx_notify(vf, SWPF_MBX_SEND_CONFIG);
}

/*
 * The administrator took the VLAN (port VLAN): the VLAN filters the VF
 * added itself go, and are not given back when the port VLAN is cleared.
 */
void swpf_vf_drop_vlans(struct swpf_vf *vf)
{
	unsigned int vid;

	lockdep_assert_held(&vf->sr->lock);
	for_each_set_bit(vid, vf->vlans, VLAN_N_VID)
		swpf_vlvf_set(vf->sr, vid, vf->idx, false);
	bitmap_zero(vf->vlans, VLAN_N_VID);
}

static void swpf_vf_get_config(struct swpf_vf *vf, u32 req)
{
	u32 reply[SRIOV_MBX_CONFIG_LEN];

	reply[0] = (req & SRIOV_MBX_TYPE) | SRIOV_MBX_ACK | SRIOV_MBX_CTS;
	reply[1] = SRIOV_MBX_CONFIG_MAGIC;
	reply[2] = SRIOV_MBX_CONFIG_VERSION;
	reply[3] = lower_32_bits(vf->serial);
	reply[4] = upper_32_bits(vf->serial);
	reply[5] = vf->vport ? vf->vport->id : SRIOV_MBX_NO_VPORT;
	reply[6] = vf->idx;
	reply[7] = swpf_vf_cfg_flags(vf);
	vf->ext = true;
	/* the reply carries the flags */
	vf->mbx_pending &= ~SWPF_MBX_SEND_CONFIG;
	swpf_mbx_write(vf, reply, SRIOV_MBX_CONFIG_LEN);
}

/* Serve one request of @vf (MBVFICR.VFREQ was set). */
void swpf_vf_msg_handle(struct swpf_vf *vf)
{
	struct swpf_dev *pf = vf->sr->pf;
	u32 msg[SRIOV_MBX_SIZE];
	bool ok;

	if (swpf_mbx_read(vf, msg, SRIOV_MBX_SIZE)) {
		/* Linux semantics: a failed read costs the VF its CTS */
		vf->cts = false;
		return;
	}
	vf->mbx_rx++;

	/* a reply/ack echoed back by the VF: nothing to do */
	if (msg[0] & (SRIOV_MBX_ACK | SRIOV_MBX_NACK)) {
		swpf_mbx_release(vf);
		return;
	}
	if (msg[0] == SRIOV_MBX_VF_RESET) {
		swpf_vf_do_reset(vf);
		return;
	}
	if (!vf->cts) {
		u32 nack = SRIOV_MBX_NACK;

		vf->mbx_nack++;
		if (time_after(jiffies, vf->last_nack + SWPF_MBX_NACK_INTERVAL)) {
			vf->last_nack = jiffies;
			swpf_mbx_write(vf, &nack, 1);
		} else {
			swpf_mbx_release(vf);
		}
		return;
	}

	switch (FIELD_GET(SRIOV_MBX_TYPE, msg[0])) {
	case SRIOV_MBX_SET_MAC_ADDR:
		ok = swpf_vf_set_mac(vf, msg);
		break;
	case SRIOV_MBX_SET_MULTICAST:
		ok = swpf_vf_set_multicast(vf, msg);
		break;
	case SRIOV_MBX_SET_VLAN:
		ok = swpf_vf_set_vlan(vf, msg);
		break;
	case SRIOV_MBX_SET_LPE:
		ok = swpf_vf_set_lpe(vf, msg);
		break;
	case SRIOV_MBX_SET_PROMISC:
		ok = swpf_vf_set_promisc(vf, msg);
		break;
	case SRIOV_MBX_GET_CONFIG:
		swpf_vf_get_config(vf, msg[0]);
		return;
	case SRIOV_MBX_VF_GOING_DOWN:
		/* the reply follows the move: the VF may stop receiving then */
		swpf_switch_vf_gone(vf->sr, vf, SRIOV_RESET_REASON_VF_GOING_DOWN);
		ok = true;
		break;
	default:
		dev_dbg(&pf->pdev->dev, "VF %u: unknown message 0x%08x\n",
			vf->idx, msg[0]);
		ok = false;
		break;
	}
	swpf_vf_reply(vf, msg[0], ok);
}

/*
 * The VF acknowledged a PF message.  A VF that is not clear to send gets an
 * unsolicited NACK (rate-limited): that is what makes a stale igbvf reset.
 * If the VF posted a request meanwhile (a VF_RESET, say) the NACK waits
 * until that was served, and is dropped if the VF is clear to send then.
 */
void swpf_vf_ack_handle(struct swpf_vf *vf)
{
	if (vf->cts)
		return;
	if (!time_after(jiffies, vf->last_nack + SWPF_MBX_NACK_INTERVAL))
		return;
	swpf_mbx_notify(vf, SWPF_MBX_SEND_NACK);
}
