// SPDX-License-Identifier: GPL-2.0
/*
 * Data path switching.  The adapter requests a path from the host side and
 * the host side acknowledges it (the host port itself with auto_ack, else
 * userspace via IFLA_SWNV_DP_ACK after moving its filters):
 *
 *  - to VF: TX stays synthetic until the ack; no ack within ack_timeout_ms
 *    -> the request is dropped and TX stays synthetic (fallback);
 *  - to synthetic: TX moves at once (the VF may be going away), then the
 *    request tells the host side to move its filters; the ack only closes
 *    the request and its duration.
 *
 * RX is accepted from both paths at all times, so frames still steered to
 * either path while the host side moves filters are delivered.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "swnv.h"

#define CREATE_TRACE_POINTS
#include "swnv_trace.h"

static const char * const swnv_reason_names[__SWNV_REASON_MAX] = {
	[SWNV_REASON_NONE]		= "none",
	[SWNV_REASON_COMMAND]		= "command",
	[SWNV_REASON_VF_UP]		= "vf_up",
	[SWNV_REASON_VF_DOWN]		= "vf_down",
	[SWNV_REASON_VF_UNREGISTER]	= "vf_unregister",
	[SWNV_REASON_ADAPTER_DOWN]	= "adapter_down",
	[SWNV_REASON_ACK_TIMEOUT]	= "ack_timeout",
	[SWNV_REASON_NETNS_MOVE]	= "netns_move",
};

const char *swnv_reason_name(u8 reason)
{
	if (reason >= __SWNV_REASON_MAX)
		return "unknown";
	return swnv_reason_names[reason];
}

/* Where TX should go now; the VF needs to be up with carrier. */
static u8 swnv_dp_target(struct swnv_priv *adp)
{
	struct net_device *vf = rtnl_dereference(adp->vf);

	if (adp->want == SWNV_DP_VF && vf && netif_running(adp->dev) &&
	    netif_running(vf) && netif_carrier_ok(vf) &&
	    netif_device_present(vf))
		return SWNV_DP_VF;
	return SWNV_DP_SYNTHETIC;
}

static u64 swnv_dp_elapsed_ns(struct swnv_priv *adp)
{
	return ktime_to_ns(ktime_sub(ktime_get(), adp->req_start));
}

static void swnv_dp_set_tx(struct swnv_priv *adp, u8 path, u8 reason,
			   u64 duration_ns)
{
	struct net_device *vf = NULL;
	u8 from = adp->active;

	if (from == path)
		return;
	if (path == SWNV_DP_VF)
		vf = rtnl_dereference(adp->vf);
	rcu_assign_pointer(adp->tx_vf, vf);
	WRITE_ONCE(adp->active, path);
	WRITE_ONCE(adp->switches, adp->switches + 1);
	trace_swnv_dp_switch(adp->dev, from, path, reason, adp->seq,
			     duration_ns);
	/*
	 * Announce the adapter through the new path: a switch (e.g. a Linux
	 * bridge) may have learnt its MAC behind the uplink from frames the
	 * NIC looped back from the VF, and would drop frames for it once the
	 * NIC steers them to the uplink.
	 */
	if (netif_running(adp->dev))
		__netdev_notify_peers(adp->dev);
}

/* Close the outstanding request; returns its duration. */
static u64 swnv_dp_close(struct swnv_priv *adp, u8 reason)
{
	u64 ns = swnv_dp_elapsed_ns(adp);

	WRITE_ONCE(adp->last_duration_ns, ns);
	adp->last_reason = reason;
	adp->pending = SWNV_DP_NONE;
	return ns;
}

static void swnv_dp_complete(struct swnv_priv *adp)
{
	u8 path = adp->pending, reason = adp->pending_reason;
	u64 ns;

	ns = swnv_dp_close(adp, reason);
	trace_swnv_dp_done(adp->dev, path, adp->seq, ns, false);
	if (path == SWNV_DP_VF && swnv_dp_target(adp) == SWNV_DP_VF)
		swnv_dp_set_tx(adp, SWNV_DP_VF, reason, ns);
}

static void swnv_dp_request(struct swnv_priv *adp, u8 path, u8 reason)
{
	adp->seq++;
	adp->pending = path;
	adp->pending_reason = reason;
	adp->req_start = ktime_get();
	trace_swnv_dp_request(adp->dev, path, reason, adp->seq);

	if (adp->auto_ack && !swnv_fault_stall_ack()) {
		/* the Linux bridge needs no filter move: ack right away */
		swnv_dp_complete(adp);
	} else {
		mod_delayed_work(system_wq, &adp->timeout_work,
				 msecs_to_jiffies(adp->ack_timeout_ms));
	}
	swnv_notify(adp);
}

static void swnv_dp_to_synthetic(struct swnv_priv *adp, u8 reason)
{
	if (adp->active != SWNV_DP_VF && adp->pending != SWNV_DP_VF)
		return;
	swnv_dp_set_tx(adp, SWNV_DP_SYNTHETIC, reason, 0);
	swnv_dp_request(adp, SWNV_DP_SYNTHETIC, reason);
}

/**
 * swnv_dp_evaluate - move TX to where it should be after an event
 * @adp: the adapter
 * @reason: enum swnv_reason recorded with the switch
 *
 * Context: RTNL.
 */
void swnv_dp_evaluate(struct swnv_priv *adp, u8 reason)
{
	ASSERT_RTNL();
	if (swnv_dp_target(adp) == SWNV_DP_SYNTHETIC) {
		swnv_dp_to_synthetic(adp, reason);
		return;
	}
	if (adp->active == SWNV_DP_VF || adp->pending == SWNV_DP_VF)
		return;
	swnv_dp_request(adp, SWNV_DP_VF, reason);
}

/**
 * swnv_dp_force_synthetic - leave the VF now, e.g. before it goes away
 * @adp: the adapter
 * @reason: enum swnv_reason recorded with the switch
 *
 * After this returns no CPU transmits through the VF on our behalf.
 * Context: RTNL.
 */
void swnv_dp_force_synthetic(struct swnv_priv *adp, u8 reason)
{
	bool was_vf = adp->active == SWNV_DP_VF;

	ASSERT_RTNL();
	swnv_dp_to_synthetic(adp, reason);
	if (was_vf)
		synchronize_net();
}

/**
 * swnv_dp_ack - the host side acknowledges request @seq
 * @adp: the adapter
 * @seq: sequence number from IFLA_SWNV_DP_SEQ
 *
 * Return: 0, or -ESTALE if @seq is not the outstanding request.
 * Context: RTNL.
 */
int swnv_dp_ack(struct swnv_priv *adp, u32 seq)
{
	ASSERT_RTNL();
	if (adp->pending == SWNV_DP_NONE || seq != adp->seq)
		return -ESTALE;
	if (swnv_fault_stall_ack())
		return 0;
	cancel_delayed_work(&adp->timeout_work);
	swnv_dp_complete(adp);
	swnv_notify(adp);
	return 0;
}

void swnv_dp_timeout_work(struct work_struct *work)
{
	struct swnv_priv *adp = container_of(to_delayed_work(work),
					     struct swnv_priv, timeout_work);
	u64 limit_ns;
	u8 path;

	if (!rtnl_trylock()) {
		schedule_delayed_work(&adp->timeout_work, 1);
		return;
	}
	if (adp->dev->reg_state != NETREG_REGISTERED ||
	    adp->pending == SWNV_DP_NONE)
		goto out_unlock;

	/* a stale run may see a newer request: wait for its own deadline */
	limit_ns = (u64)adp->ack_timeout_ms * NSEC_PER_MSEC;
	if (swnv_dp_elapsed_ns(adp) < limit_ns) {
		schedule_delayed_work(&adp->timeout_work,
				      nsecs_to_jiffies(limit_ns -
						       swnv_dp_elapsed_ns(adp)) + 1);
		goto out_unlock;
	}

	path = adp->pending;
	WRITE_ONCE(adp->timeouts, adp->timeouts + 1);
	netdev_warn(adp->dev, "no ack for %s request %u in %u ms: synthetic\n",
		    adp->pending == SWNV_DP_VF ? "VF" : "synthetic", adp->seq,
		    adp->ack_timeout_ms);
	swnv_dp_close(adp, SWNV_REASON_ACK_TIMEOUT);
	trace_swnv_dp_done(adp->dev, path, adp->seq, adp->last_duration_ns,
			   true);
	/* fallback: TX is (and stays) on the synthetic path */
	swnv_dp_set_tx(adp, SWNV_DP_SYNTHETIC, SWNV_REASON_ACK_TIMEOUT,
		       adp->last_duration_ns);
	swnv_notify(adp);
out_unlock:
	rtnl_unlock();
}
