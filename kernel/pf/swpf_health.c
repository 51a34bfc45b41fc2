// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: devlink health reporters.
 *
 *   mailbox   a VF was throttled by the mailbox flood control (token
 *             bucket, swpf_mbx.c): at most once a second per VF while it
 *             floods, with the VF's counters;
 *   flr       a function-level reset of a VF asked for over netlink
 *             (vf-flr) failed: the VF was only software-reset;
 *   pf_reset  the device was reset (ethtool --reset, TX timeout), with
 *             what was written back to the hardware afterwards.
 *
 * None has a recover operation: the driver handles each event itself
 * (throttling is the answer to a flood, the VF software reset to a failed
 * FLR, the replay to a PF reset).  After reporting, a reporter goes back to
 * healthy, except pf_reset after a reset that failed.
 *
 * Locking: an event is seen with sr->lock (mailbox worker, FLR) or rtnl
 * (PF reset) held, but devlink_health_report() takes the instance lock,
 * which comes before both (device_lock -> devl_lock -> rtnl -> sr->lock).
 * So the event is copied into struct swpf_health under h->lock, a leaf
 * spinlock, and reported by a work item that holds no driver lock.  The
 * dump callbacks use that copy only, never sr->lock.  The diagnose
 * callbacks run under the instance lock and take sr->lock for the live
 * per-VF counters, then h->lock.  The reporters exist from before
 * devlink_register() until before SR-IOV is torn down at remove
 * (swpf_health_destroy()), so pf->sriov is valid in every callback; events
 * are queued only between swpf_health_start() and swpf_health_destroy().
 */
#include <linux/bitops.h>
#include <linux/errname.h>
#include <linux/kernel.h>

#include "swpf_devlink.h"

static struct swpf_health *swpf_health_of(struct swpf_dev *pf)
{
	return &swpf_devlink_get(pf)->health;
}

static struct swpf_dev *swpf_reporter_pf(struct devlink_health_reporter *r)
{
	return devlink_health_reporter_priv(r);
}

/* ---- events (any context that may sleep; driver locks may be held) ---- */

/**
 * swpf_health_mbx_flood - a VF was throttled by the mailbox flood control
 * @vf: the VF (sr->lock held)
 * @rate: the refill rate the bucket used
 * @burst: the bucket size it used
 */
void swpf_health_mbx_flood(struct swpf_vf *vf, unsigned int rate,
			   unsigned int burst)
{
	struct swpf_health *h = swpf_health_of(vf->sr->pf);
	struct swpf_mbx_event *ev;

	lockdep_assert_held(&vf->sr->lock);
	if (vf->idx >= SWPF_MAX_VFS)
		return;
	spin_lock(&h->lock);
	ev = &h->mbx_ev[vf->idx];
	ev->vf = vf->idx;
	ev->served = vf->mbx_rx;
	ev->dropped = vf->mbx_dropped;
	ev->nacked = vf->mbx_nack;
	ev->rate = rate;
	ev->burst = burst;
	h->mbx_last = vf->idx;
	if (h->active) {
		__set_bit(vf->idx, &h->mbx_pending);
		schedule_work(&h->work);
	}
	spin_unlock(&h->lock);
}

/**
 * swpf_health_flr_failed - a function-level reset of a VF failed
 * @vf: the VF (sr->lock held)
 * @err: the error of the reset
 */
void swpf_health_flr_failed(struct swpf_vf *vf, int err)
{
	struct swpf_health *h = swpf_health_of(vf->sr->pf);
	struct swpf_flr_event *ev;

	lockdep_assert_held(&vf->sr->lock);
	if (vf->idx >= SWPF_MAX_VFS)
		return;
	spin_lock(&h->lock);
	ev = &h->flr_ev[vf->idx];
	ev->vf = vf->idx;
	ev->err = err;
	ev->flr_count = vf->flr_count;
	h->flr_last = vf->idx;
	h->flr_failures++;
	if (h->active) {
		__set_bit(vf->idx, &h->flr_pending);
		schedule_work(&h->work);
	}
	spin_unlock(&h->lock);
}

/**
 * swpf_health_pf_reset - the device was reset
 * @pf: the PF (rtnl held)
 * @info: the reset's result and what was replayed
 */
void swpf_health_pf_reset(struct swpf_dev *pf,
			  const struct swpf_reset_info *info)
{
	struct swpf_health *h = swpf_health_of(pf);

	spin_lock(&h->lock);
	h->reset_ev = *info;
	h->resets++;
	if (info->err)
		h->reset_failures++;
	if (h->active) {
		h->reset_pending = true;
		schedule_work(&h->work);
	}
	spin_unlock(&h->lock);
}

static void swpf_health_work(struct work_struct *work)
{
	struct swpf_health *h = container_of(work, struct swpf_health, work);
	struct swpf_mbx_event mbx[SWPF_MAX_VFS];
	struct swpf_flr_event flr[SWPF_MAX_VFS];
	unsigned long mbx_pending, flr_pending;
	struct swpf_reset_info reset;
	bool reset_pending;
	char msg[64];
	unsigned int i;

	spin_lock(&h->lock);
	mbx_pending = h->mbx_pending;
	flr_pending = h->flr_pending;
	reset_pending = h->reset_pending;
	h->mbx_pending = 0;
	h->flr_pending = 0;
	h->reset_pending = false;
	memcpy(mbx, h->mbx_ev, sizeof(mbx));
	memcpy(flr, h->flr_ev, sizeof(flr));
	reset = h->reset_ev;
	spin_unlock(&h->lock);

	for_each_set_bit(i, &mbx_pending, SWPF_MAX_VFS) {
		snprintf(msg, sizeof(msg), "VF %u floods the mailbox", i);
		devlink_health_report(h->mbx, msg, &mbx[i]);
		devlink_health_reporter_state_update(h->mbx,
						     DEVLINK_HEALTH_REPORTER_STATE_HEALTHY);
	}
	for_each_set_bit(i, &flr_pending, SWPF_MAX_VFS) {
		snprintf(msg, sizeof(msg), "FLR of VF %u failed (%d)", i,
			 flr[i].err);
		devlink_health_report(h->flr, msg, &flr[i]);
		devlink_health_reporter_state_update(h->flr,
						     DEVLINK_HEALTH_REPORTER_STATE_HEALTHY);
	}
	if (reset_pending) {
		snprintf(msg, sizeof(msg), "PF reset (%d)", reset.err);
		devlink_health_report(h->reset, msg, &reset);
		if (!reset.err)
			devlink_health_reporter_state_update(h->reset,
							     DEVLINK_HEALTH_REPORTER_STATE_HEALTHY);
	}
}

/* ---- mailbox ---- */

static void swpf_fmsg_mbx_event(struct devlink_fmsg *fmsg,
				const struct swpf_mbx_event *ev)
{
	devlink_fmsg_u32_pair_put(fmsg, "vf", ev->vf);
	devlink_fmsg_u64_pair_put(fmsg, "served", ev->served);
	devlink_fmsg_u64_pair_put(fmsg, "dropped", ev->dropped);
	devlink_fmsg_u64_pair_put(fmsg, "nacked", ev->nacked);
	devlink_fmsg_u32_pair_put(fmsg, "mbx_rate", ev->rate);
	devlink_fmsg_u32_pair_put(fmsg, "mbx_burst", ev->burst);
}

/* @ctx: the event being reported; NULL: the last one (asked by the user) */
static int swpf_mbx_dump(struct devlink_health_reporter *reporter,
			 struct devlink_fmsg *fmsg, void *ctx,
			 struct netlink_ext_ack *extack)
{
	struct swpf_health *h = swpf_health_of(swpf_reporter_pf(reporter));
	struct swpf_mbx_event ev;
	int last;

	if (ctx) {
		swpf_fmsg_mbx_event(fmsg, ctx);
		return 0;
	}
	spin_lock(&h->lock);
	last = h->mbx_last;
	if (last >= 0)
		ev = h->mbx_ev[last];
	spin_unlock(&h->lock);
	if (last < 0) {
		NL_SET_ERR_MSG_MOD(extack, "no VF was throttled yet");
		return -ENODATA;
	}
	swpf_fmsg_mbx_event(fmsg, &ev);
	return 0;
}

static int swpf_mbx_diagnose(struct devlink_health_reporter *reporter,
			     struct devlink_fmsg *fmsg,
			     struct netlink_ext_ack *extack)
{
	struct swpf_dev *pf = swpf_reporter_pf(reporter);
	struct swpf_sriov *sr = pf->sriov;
	unsigned int i;

	devlink_fmsg_u32_pair_put(fmsg, "mbx_rate", swpf_mbx_rate());
	devlink_fmsg_u32_pair_put(fmsg, "mbx_burst", swpf_mbx_burst());
	devlink_fmsg_arr_pair_nest_start(fmsg, "vfs");
	mutex_lock(&sr->lock);
	for (i = 0; i < sr->num_vfs; i++) {
		const struct swpf_vf *vf = &sr->vfs[i];

		devlink_fmsg_obj_nest_start(fmsg);
		devlink_fmsg_u32_pair_put(fmsg, "vf", i);
		devlink_fmsg_u64_pair_put(fmsg, "served", vf->mbx_rx);
		devlink_fmsg_u64_pair_put(fmsg, "dropped", vf->mbx_dropped);
		devlink_fmsg_u64_pair_put(fmsg, "nacked", vf->mbx_nack);
		devlink_fmsg_bool_pair_put(fmsg, "throttled", vf->throttled);
		devlink_fmsg_u32_pair_put(fmsg, "tokens", vf->rl_tokens);
		devlink_fmsg_obj_nest_end(fmsg);
	}
	mutex_unlock(&sr->lock);
	devlink_fmsg_arr_pair_nest_end(fmsg);
	return 0;
}

static const struct devlink_health_reporter_ops swpf_mbx_reporter_ops = {
	.name = "mailbox",
	.dump = swpf_mbx_dump,
	.diagnose = swpf_mbx_diagnose,
};

/* ---- flr ---- */

static void swpf_fmsg_flr_event(struct devlink_fmsg *fmsg,
				const struct swpf_flr_event *ev)
{
	devlink_fmsg_u32_pair_put(fmsg, "vf", ev->vf);
	devlink_fmsg_string_pair_put(fmsg, "error", errname(ev->err) ?: "?");
	devlink_fmsg_u32_pair_put(fmsg, "errno", -ev->err);
	devlink_fmsg_u64_pair_put(fmsg, "flr_count", ev->flr_count);
	devlink_fmsg_string_pair_put(fmsg, "action", "VF software reset");
}

static int swpf_flr_dump(struct devlink_health_reporter *reporter,
			 struct devlink_fmsg *fmsg, void *ctx,
			 struct netlink_ext_ack *extack)
{
	struct swpf_health *h = swpf_health_of(swpf_reporter_pf(reporter));
	struct swpf_flr_event ev;
	int last;

	if (ctx) {
		swpf_fmsg_flr_event(fmsg, ctx);
		return 0;
	}
	spin_lock(&h->lock);
	last = h->flr_last;
	if (last >= 0)
		ev = h->flr_ev[last];
	spin_unlock(&h->lock);
	if (last < 0) {
		NL_SET_ERR_MSG_MOD(extack, "no FLR failed yet");
		return -ENODATA;
	}
	swpf_fmsg_flr_event(fmsg, &ev);
	return 0;
}

static int swpf_flr_diagnose(struct devlink_health_reporter *reporter,
			     struct devlink_fmsg *fmsg,
			     struct netlink_ext_ack *extack)
{
	struct swpf_dev *pf = swpf_reporter_pf(reporter);
	struct swpf_health *h = swpf_health_of(pf);
	struct swpf_sriov *sr = pf->sriov;
	unsigned int i;
	u64 failures;

	spin_lock(&h->lock);
	failures = h->flr_failures;
	spin_unlock(&h->lock);
	devlink_fmsg_u64_pair_put(fmsg, "failures", failures);
	devlink_fmsg_arr_pair_nest_start(fmsg, "vfs");
	mutex_lock(&sr->lock);
	for (i = 0; i < sr->num_vfs; i++) {
		devlink_fmsg_obj_nest_start(fmsg);
		devlink_fmsg_u32_pair_put(fmsg, "vf", i);
		devlink_fmsg_u64_pair_put(fmsg, "flr_count",
					  sr->vfs[i].flr_count);
		devlink_fmsg_obj_nest_end(fmsg);
	}
	mutex_unlock(&sr->lock);
	devlink_fmsg_arr_pair_nest_end(fmsg);
	return 0;
}

static const struct devlink_health_reporter_ops swpf_flr_reporter_ops = {
	.name = "flr",
	.dump = swpf_flr_dump,
	.diagnose = swpf_flr_diagnose,
};

/* ---- pf_reset ---- */

static void swpf_fmsg_reset(struct devlink_fmsg *fmsg,
			    const struct swpf_reset_info *r)
{
	devlink_fmsg_string_pair_put(fmsg, "result",
				     r->err ? errname(r->err) ?: "?" : "ok");
	devlink_fmsg_u32_pair_put(fmsg, "num_vfs", r->num_vfs);
	devlink_fmsg_u32_pair_put(fmsg, "vfs_told_to_reset", r->vfs_told);
	devlink_fmsg_pair_nest_start(fmsg, "replayed");
	devlink_fmsg_obj_nest_start(fmsg);
	devlink_fmsg_u32_pair_put(fmsg, "vf_macs", r->vf_macs);
	devlink_fmsg_u32_pair_put(fmsg, "spoofchk", r->spoofchk);
	devlink_fmsg_u32_pair_put(fmsg, "mac_filters", r->mac_filters);
	devlink_fmsg_obj_nest_end(fmsg);
	devlink_fmsg_pair_nest_end(fmsg);
}

static int swpf_reset_dump(struct devlink_health_reporter *reporter,
			   struct devlink_fmsg *fmsg, void *ctx,
			   struct netlink_ext_ack *extack)
{
	struct swpf_health *h = swpf_health_of(swpf_reporter_pf(reporter));
	struct swpf_reset_info r;
	u64 resets;

	if (ctx) {
		swpf_fmsg_reset(fmsg, ctx);
		return 0;
	}
	spin_lock(&h->lock);
	resets = h->resets;
	r = h->reset_ev;
	spin_unlock(&h->lock);
	if (!resets) {
		NL_SET_ERR_MSG_MOD(extack, "no PF reset yet");
		return -ENODATA;
	}
	swpf_fmsg_reset(fmsg, &r);
	return 0;
}

static int swpf_reset_diagnose(struct devlink_health_reporter *reporter,
			       struct devlink_fmsg *fmsg,
			       struct netlink_ext_ack *extack)
{
	struct swpf_health *h = swpf_health_of(swpf_reporter_pf(reporter));
	struct swpf_reset_info r;
	u64 resets, failures;

	spin_lock(&h->lock);
	resets = h->resets;
	failures = h->reset_failures;
	r = h->reset_ev;
	spin_unlock(&h->lock);
	devlink_fmsg_u64_pair_put(fmsg, "resets", resets);
	devlink_fmsg_u64_pair_put(fmsg, "failures", failures);
	if (resets) {
		devlink_fmsg_pair_nest_start(fmsg, "last");
		devlink_fmsg_obj_nest_start(fmsg);
		swpf_fmsg_reset(fmsg, &r);
		devlink_fmsg_obj_nest_end(fmsg);
		devlink_fmsg_pair_nest_end(fmsg);
	}
	return 0;
}

static const struct devlink_health_reporter_ops swpf_reset_reporter_ops = {
	.name = "pf_reset",
	.dump = swpf_reset_dump,
	.diagnose = swpf_reset_diagnose,
};

/* ---- life cycle ---- */

static void swpf_health_put(struct devlink_health_reporter **r)
{
	if (!IS_ERR_OR_NULL(*r))
		devlink_health_reporter_destroy(*r);
	*r = NULL;
}

/**
 * swpf_health_create - create the reporters, not reporting yet
 * @pf: the PF: devlink instance allocated, SR-IOV state initialised
 *
 * Return: 0, or the error of a creation (no reporter is left then).
 */
int swpf_health_create(struct swpf_dev *pf)
{
	struct swpf_health *h = swpf_health_of(pf);
	int err;

	spin_lock_init(&h->lock);
	INIT_WORK(&h->work, swpf_health_work);
	h->mbx_last = -1;
	h->flr_last = -1;

	h->mbx = devlink_health_reporter_create(pf->devlink,
						&swpf_mbx_reporter_ops, 0, pf);
	if (IS_ERR(h->mbx))
		goto err;
	h->flr = devlink_health_reporter_create(pf->devlink,
						&swpf_flr_reporter_ops, 0, pf);
	if (IS_ERR(h->flr))
		goto err;
	h->reset = devlink_health_reporter_create(pf->devlink,
						  &swpf_reset_reporter_ops, 0,
						  pf);
	if (IS_ERR(h->reset))
		goto err;
	return 0;

err:
	err = PTR_ERR(IS_ERR(h->mbx) ? h->mbx :
		      IS_ERR(h->flr) ? h->flr : h->reset);
	dev_err(&pf->pdev->dev, "devlink health reporters: %d\n", err);
	swpf_health_put(&h->reset);
	swpf_health_put(&h->flr);
	swpf_health_put(&h->mbx);
	return err;
}

/* the instance is registered: report events from now on */
void swpf_health_start(struct swpf_dev *pf)
{
	struct swpf_health *h = swpf_health_of(pf);

	spin_lock(&h->lock);
	h->active = true;
	spin_unlock(&h->lock);
}

/**
 * swpf_health_destroy - stop reporting and destroy the reporters
 * @pf: the PF; SR-IOV state still there, instance still registered
 *
 * No event is queued after the flag is cleared, and the work is waited
 * for before the reporters go.  Safe to call twice.
 */
void swpf_health_destroy(struct swpf_dev *pf)
{
	struct swpf_health *h = swpf_health_of(pf);

	spin_lock(&h->lock);
	h->active = false;
	h->mbx_pending = 0;
	h->flr_pending = 0;
	h->reset_pending = false;
	spin_unlock(&h->lock);
	cancel_work_sync(&h->work);
	swpf_health_put(&h->reset);
	swpf_health_put(&h->flr);
	swpf_health_put(&h->mbx);
}
