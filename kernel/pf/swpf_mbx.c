// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: PF side of the PF/VF mailbox - the e1000 transport (lock,
 * read, write, release) over P2VMAILBOX/VMBMEM, the PF's unsolicited
 * messages, and the worker that serves ICR.VMMB: VF function-level resets
 * (VFLRE), requests (MBVFICR.VFREQ) and acknowledgements (MBVFICR.VFACK),
 * in that order per VF.
 *
 * The PF never waits for a VF: taking the buffer is bounded by
 * SRIOV_MBX_LOCK_TRIES x 1 ms and a reply is written without waiting for
 * the VF to read it.  A VF that floods the mailbox is rate-limited (token
 * bucket, swpf_mbx_admit()) and its excess messages are dropped unread.
 *
 * One 16-word buffer per VF (VMBMEM) carries both directions.  A VF posts
 * a request by writing the buffer under VFU and then REQ, which drops VFU
 * and sets MBVFICR.VFREQ: from then until the PF reads it, the request
 * lives only in the buffer, unlocked.  A message the PF writes then
 * (STS) replaces it - Linux's igb_write_mbx_pf() even clears VFREQ first
 * and the request is lost - and a message the PF writes before the VF
 * read the previous one (PFSTS, then VFU, read, ACK) replaces that one.
 * So a message the PF starts on its own (swpf_mbx_notify(): a NACK to a
 * VF without CTS, the PF_CONTROL ping of a link change, PF_CONFIG) is
 * only written while neither is the case; otherwise it waits in
 * vf->mbx_pending and the worker sends it (swpf_mbx_flush()) once the
 * request was served and the VF acknowledged the reply, or
 * SWPF_MBX_ACK_TIMEOUT after the PF's last message if the VF never
 * acknowledges it.  Everything here runs under sr->lock.
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

/*
 * Write a message to the VF while the PF holds the buffer (PFU: taken by
 * swpf_mbx_read() or swpf_mbx_flush()); STS tells the VF and releases it.
 */
static void swpf_mbx_put(struct swpf_vf *vf, const u32 *msg, unsigned int len)
{
	struct swpf_dev *pf = vf->sr->pf;
	unsigned int i;

	/* events of this VF from before the message are stale now */
	swpf_wr32(pf, SWPF_MBVFICR, BIT(vf->idx) | BIT(16 + vf->idx));
	for (i = 0; i < len; i++)
		swpf_wr32(pf, SWPF_VMBMEM(vf->idx, i), msg[i]);
	swpf_wr32(pf, SWPF_P2VMAILBOX(vf->idx), SWPF_P2VMAILBOX_STS);
	/* the next unsolicited message waits for the VF's ACK of this one */
	vf->mbx_unacked = true;
	vf->mbx_sent = jiffies;
}

/* The reply to the request swpf_mbx_read() took: the PF holds the buffer. */
int swpf_mbx_write(struct swpf_vf *vf, const u32 *msg, unsigned int len)
{
	if (len > SRIOV_MBX_SIZE) {
		swpf_mbx_release(vf);
		return -EINVAL;
	}
	if (swpf_fault_mbx_drop(vf))
		return 0;
	swpf_mbx_put(vf, msg, len);
	return 0;
}

/* the worker runs again in @delay jiffies (sooner if queued sooner) */
static void swpf_mbx_retry(struct swpf_sriov *sr, unsigned long delay)
{
	queue_delayed_work(system_unbound_wq, &sr->mbx_work, delay);
}

/*
 * true while the PF's last message may still be unread: the VF has not
 * acknowledged it and SWPF_MBX_ACK_TIMEOUT (beyond every VF driver's wait
 * for an answer) has not passed since it was written
 */
static bool swpf_mbx_unacked(struct swpf_vf *vf)
{
	if (vf->mbx_unacked &&
	    time_before(jiffies, vf->mbx_sent + SWPF_MBX_ACK_TIMEOUT))
		return true;
	vf->mbx_unacked = false;
	return false;
}

/**
 * swpf_mbx_flush - send @vf the first of its pending unsolicited messages
 * @vf: the VF (sr->lock held)
 *
 * What no longer applies is dropped: the NACK once the VF is clear to
 * send again (it reset), the ping and PF_CONFIG while it is not.  One
 * message is written, and only if the buffer is free to overwrite: no
 * request of the VF is pending (MBVFICR.VFREQ, read with PFU held so that
 * the VF cannot post one until the message is written, or a request the
 * worker took but has not served yet) and the PF's last message was
 * acknowledged.  Otherwise the messages stay pending: the worker calls
 * this again after every pass, i.e. after the request was served and after
 * the VF's ACK, and after SWPF_MBX_ACK_TIMEOUT (swpf_mbx_retry()).  A VF
 * that holds the buffer (VFU) past the bounded lock gets them after its
 * next message.
 */
static void swpf_mbx_flush(struct swpf_vf *vf)
{
	struct swpf_sriov *sr = vf->sr;
	struct swpf_dev *pf = sr->pf;
	u32 msg;

	lockdep_assert_held(&sr->lock);
	if (vf->cts)
		vf->mbx_pending &= ~SWPF_MBX_SEND_NACK;
	else
		vf->mbx_pending &= ~(SWPF_MBX_SEND_PING | SWPF_MBX_SEND_CONFIG);
	if (!vf->ext)
		vf->mbx_pending &= ~SWPF_MBX_SEND_CONFIG;
	if (!sr->mbx_enabled)
		vf->mbx_pending = 0;
	if (!vf->mbx_pending || vf->req_pending)
		return;
	if (swpf_mbx_unacked(vf)) {
		swpf_mbx_retry(sr, vf->mbx_sent + SWPF_MBX_ACK_TIMEOUT -
			       jiffies + 1);
		return;
	}
	if (swpf_mbx_lock(vf))
		return;
	if (swpf_rd32(pf, SWPF_MBVFICR) & BIT(vf->idx)) {
		/* the VF's request is in the buffer: the worker serves it */
		swpf_mbx_release(vf);
		return;
	}

	if (vf->mbx_pending & SWPF_MBX_SEND_NACK) {
		vf->mbx_pending &= ~SWPF_MBX_SEND_NACK;
		vf->last_nack = jiffies;
		msg = SRIOV_MBX_NACK;
	} else if (vf->mbx_pending & SWPF_MBX_SEND_PING) {
		vf->mbx_pending &= ~SWPF_MBX_SEND_PING;
		msg = SRIOV_MBX_PF_CONTROL | SRIOV_MBX_CTS;
	} else {
		vf->mbx_pending &= ~SWPF_MBX_SEND_CONFIG;
		msg = SRIOV_MBX_PF_CONFIG | SRIOV_MBX_CTS |
		      FIELD_PREP(SRIOV_MBX_INFO, swpf_vf_cfg_flags(vf));
	}
	swpf_mbx_put(vf, &msg, 1);
}

/**
 * swpf_mbx_notify - send @vf an unsolicited message, now or when it can be
 * @vf: the VF (sr->lock held)
 * @what: SWPF_MBX_SEND_NACK, _PING or _CONFIG
 *
 * The message is composed when it is written (the ping's and PF_CONFIG's
 * contents are the state of then); several notices of one kind while
 * it waits make one message.
 */
void swpf_mbx_notify(struct swpf_vf *vf, unsigned int what)
{
	lockdep_assert_held(&vf->sr->lock);
	vf->mbx_pending |= what;
	swpf_mbx_flush(vf);
}

/* PF_CONTROL (with CTS) to every VF that completed its reset: link change */
void swpf_mbx_ping_all(struct swpf_sriov *sr)
{
	unsigned int i;

	lockdep_assert_held(&sr->lock);
	for (i = 0; i < sr->num_vfs; i++)
		if (sr->vfs[i].cts)
			swpf_mbx_notify(&sr->vfs[i], SWPF_MBX_SEND_PING);
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
	/*
	 * Before any handler runs (one may notify another VF): an ACK read
	 * here is for a message written before this pass, and a request
	 * whose VFREQ was just cleared is still in its buffer until served.
	 */
	for (i = 0; i < sr->num_vfs; i++) {
		if (icr & BIT(16 + i))
			sr->vfs[i].mbx_unacked = false;
		if (icr & BIT(i))
			sr->vfs[i].req_pending = true;
	}

	for (i = 0; i < sr->num_vfs; i++) {
		struct swpf_vf *vf = &sr->vfs[i];

		if (vflre & BIT(i))
			swpf_vf_flr_event(vf);
		if (icr & BIT(i)) {
			if (swpf_mbx_admit(vf))
				swpf_vf_msg_handle(vf);
			vf->req_pending = false;
		}
		if (icr & BIT(16 + i))
			swpf_vf_ack_handle(vf);
	}
	return true;
}

void swpf_mbx_work(struct work_struct *work)
{
	struct swpf_sriov *sr = container_of(to_delayed_work(work),
					     struct swpf_sriov, mbx_work);
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
	/* unsolicited messages that had to wait (swpf_mbx_flush()) */
	for (n = 0; n < sr->num_vfs; n++)
		if (sr->vfs[n].mbx_pending)
			swpf_mbx_flush(&sr->vfs[n]);
	mutex_unlock(&sr->lock);
}
