// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: PF side of the PF/VF mailbox - the e1000 transport (lock,
 * read, write, release) over P2VMAILBOX/VMBMEM, and the worker that serves
 * ICR.VMMB: VF function-level resets (VFLRE), requests (MBVFICR.VFREQ) and
 * acknowledgements (MBVFICR.VFACK), in that order per VF.
 *
 * The PF never waits for a VF: taking the buffer is bounded by
 * SRIOV_MBX_LOCK_TRIES x 1 ms and a reply is written without waiting for
 * the VF to read it.  A VF that floods the mailbox is rate-limited (token
 * bucket, swpf_mbx_admit()) and its excess messages are dropped unread.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>

#include "swpf.h"
#include "swpf_sriov.h"

/* take the buffer of @vf's mailbox for the PF */
static int swpf_mbx_lock(struct swpf_vf *vf)
{
	struct swpf_dev *pf = vf->sr->pf;
	int i;

	for (i = 0; i < SRIOV_MBX_LOCK_TRIES; i++) {
		swpf_wr32(pf, SWPF_P2VMAILBOX(vf->idx), SWPF_P2VMAILBOX_PFU);
		if (swpf_rd32(pf, SWPF_P2VMAILBOX(vf->idx)) &
		    SWPF_P2VMAILBOX_PFU)
			return 0;
		if (swpf_removed(pf))
			return -ENODEV;
		usleep_range(1000, 1200);
	}
	return -EBUSY;
}

/* drop the PF's hold on the buffer without signalling anything */
void swpf_mbx_release(struct swpf_vf *vf)
{
	swpf_wr32(vf->sr->pf, SWPF_P2VMAILBOX(vf->idx), 0);
}

/*
 * Read the VF's message and acknowledge it.  The PF keeps the buffer
 * (PFU) so that the reply can be written in place; the caller ends the
 * transaction with swpf_mbx_write(locked = true) or swpf_mbx_release().
 */
int swpf_mbx_read(struct swpf_vf *vf, u32 *msg, unsigned int len)
{
	struct swpf_dev *pf = vf->sr->pf;
	unsigned int i;
	int err;

	err = swpf_mbx_lock(vf);
	if (err)
		return err;
	for (i = 0; i < len && i < SRIOV_MBX_SIZE; i++)
		msg[i] = swpf_rd32(pf, SWPF_VMBMEM(vf->idx, i));
	swpf_wr32(pf, SWPF_P2VMAILBOX(vf->idx),
		  SWPF_P2VMAILBOX_ACK | SWPF_P2VMAILBOX_PFU);
	return 0;
}

/* Write a message to the VF; STS tells the VF and releases the buffer. */
int swpf_mbx_write(struct swpf_vf *vf, const u32 *msg, unsigned int len,
		   bool locked)
{
	struct swpf_dev *pf = vf->sr->pf;
	unsigned int i;
	int err;

	if (len > SRIOV_MBX_SIZE)
		return -EINVAL;
	if (swpf_fault_mbx_drop(vf, locked))
		return 0;
	if (!locked) {
		err = swpf_mbx_lock(vf);
		if (err)
			return err;
	}
	/* events of this VF from before the message are stale now */
	swpf_wr32(pf, SWPF_MBVFICR, BIT(vf->idx) | BIT(16 + vf->idx));
	for (i = 0; i < len; i++)
		swpf_wr32(pf, SWPF_VMBMEM(vf->idx, i), msg[i]);
	swpf_wr32(pf, SWPF_P2VMAILBOX(vf->idx), SWPF_P2VMAILBOX_STS);
	return 0;
}

/*
 * PF_CONTROL message to every VF that completed its reset (link change), or
 * an unsolicited NACK-free ping without CTS to all (PF reset): igbvf then
 * re-checks its link and, without CTS, resets itself.
 */
void swpf_mbx_ping_all(struct swpf_sriov *sr, bool all)
{
	unsigned int i;

	lockdep_assert_held(&sr->lock);
	for (i = 0; i < sr->num_vfs; i++) {
		struct swpf_vf *vf = &sr->vfs[i];
		u32 msg = SRIOV_MBX_PF_CONTROL;

		if (vf->cts)
			msg |= SRIOV_MBX_CTS;
		else if (!all)
			continue;
		swpf_mbx_write(vf, &msg, 1, false);
	}
}

/*
 * Flood control, per VF: a token bucket of mbx_burst messages refilled at
 * mbx_rate messages a second.  Both are read on every admission, so a
 * change applies at once (a smaller burst caps the tokens a VF holds at
 * its next refill).
 */
static unsigned int mbx_rate = SWPF_MBX_RATE;
static unsigned int mbx_burst = SWPF_MBX_BURST;

static int swpf_set_mbx_param(const char *val, const struct kernel_param *kp)
{
	return swpf_param_set_range(val, kp, 1, kp->arg == &mbx_rate ?
				    SWPF_MBX_RATE_MAX : SWPF_MBX_BURST_MAX);
}

static const struct kernel_param_ops swpf_mbx_param_ops = {
	.set = swpf_set_mbx_param,
	.get = param_get_uint,
};

module_param_cb(mbx_rate, &swpf_mbx_param_ops, &mbx_rate, 0644);
MODULE_PARM_DESC(mbx_rate,
		 "mailbox messages a second each VF may have served past its burst (1..1000, default 50)");
module_param_cb(mbx_burst, &swpf_mbx_param_ops, &mbx_burst, 0644);
MODULE_PARM_DESC(mbx_burst,
		 "mailbox messages each VF may send back to back (1..1024, default 64)");

/* the tokens a VF starts with when the VFs are enabled */
unsigned int swpf_mbx_burst(void)
{
	return READ_ONCE(mbx_burst);
}

unsigned int swpf_mbx_rate(void)
{
	return READ_ONCE(mbx_rate);
}

/* devlink params mbx_rate and mbx_burst: the values are checked there */
void swpf_mbx_set_rate(unsigned int rate)
{
	WRITE_ONCE(mbx_rate, rate);
}

void swpf_mbx_set_burst(unsigned int burst)
{
	WRITE_ONCE(mbx_burst, burst);
}

/* token bucket: true if @vf may have one more message served now */
static bool swpf_mbx_admit(struct swpf_vf *vf)
{
	unsigned int rate = READ_ONCE(mbx_rate);
	unsigned int burst = READ_ONCE(mbx_burst);
	unsigned long now = jiffies;
	unsigned long refill;

	refill = (now - vf->rl_stamp) * rate / HZ;
	if (refill) {
		vf->rl_tokens = min_t(unsigned long, burst,
				      vf->rl_tokens + refill);
		vf->rl_stamp = now;
	}
	if (vf->rl_tokens) {
		vf->rl_tokens--;
		vf->throttled = false;
		return true;
	}
	vf->mbx_dropped++;
	if (!vf->throttled || time_after(now, vf->last_throttle_ntf + HZ)) {
		vf->throttled = true;
		vf->last_throttle_ntf = now;
		dev_warn_ratelimited(&vf->sr->pf->pdev->dev,
				     "VF %u floods the mailbox: %llu messages dropped\n",
				     vf->idx, vf->mbx_dropped);
		swpf_ntf_throttled(vf);
		swpf_health_mbx_flood(vf, rate, burst);
	}
	return false;
}

/* one pass over the pending events; returns true if any was found */
static bool swpf_mbx_pass(struct swpf_sriov *sr)
{
	struct swpf_dev *pf = sr->pf;
	u32 vflre, icr, mask;
	unsigned int i;

	mask = GENMASK(sr->num_vfs - 1, 0);
	vflre = swpf_rd32(pf, SWPF_VFLRE) & mask;
	icr = swpf_rd32(pf, SWPF_MBVFICR);
	if (swpf_removed(pf))
		return false;
	icr &= FIELD_PREP(SWPF_MBVFICR_VFREQ, mask) |
	       FIELD_PREP(SWPF_MBVFICR_VFACK, mask);
	if (!vflre && !icr)
		return false;
	/* W1C what is served in this pass; later events raise VMMB again */
	if (vflre)
		swpf_wr32(pf, SWPF_VFLRE, vflre);
	if (icr)
		swpf_wr32(pf, SWPF_MBVFICR, icr);

	for (i = 0; i < sr->num_vfs; i++) {
		struct swpf_vf *vf = &sr->vfs[i];

		if (vflre & BIT(i))
			swpf_vf_flr_event(vf);
		if (icr & BIT(i)) {
			if (swpf_mbx_admit(vf))
				swpf_vf_msg_handle(vf);
		}
		if (icr & BIT(16 + i))
			swpf_vf_ack_handle(vf);
	}
	return true;
}

void swpf_mbx_work(struct work_struct *work)
{
	struct swpf_sriov *sr = container_of(work, struct swpf_sriov,
					     mbx_work);
	int n;

	swpf_fault_mbx_delay(sr->pf);
	mutex_lock(&sr->lock);
	if (!sr->mbx_enabled || !sr->num_vfs) {
		mutex_unlock(&sr->lock);
		return;
	}
	/*
	 * Bounded, so a flooding VF cannot keep the worker (and sr->lock)
	 * busy.  Every event is served in the pass that sees it; an event
	 * raised after a pass read the cause registers raises ICR.VMMB
	 * again and requeues the worker from the interrupt.
	 */
	for (n = 0; n < SWPF_MBX_EVENTS_MAX; n++)
		if (!swpf_mbx_pass(sr))
			break;
	/* policy flags a VF could not be told earlier (buffer was busy) */
	for (n = 0; n < sr->num_vfs; n++)
		if (sr->vfs[n].cfg_pending)
			swpf_vf_cfg_notify(&sr->vfs[n]);
	mutex_unlock(&sr->lock);
}
