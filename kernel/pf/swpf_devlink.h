/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_pf: the devlink instance's private data, shared by the instance
 * and port code (swpf_devlink.c) and the health reporters (swpf_health.c).
 */
#ifndef _SWPF_DEVLINK_H_
#define _SWPF_DEVLINK_H_

#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/devlink.h>

#include "swpf.h"
#include "swpf_sriov.h"

/* the mailbox reporter's context: one throttling of a VF */
struct swpf_mbx_event {
	u32 vf;
	u64 served;		/* messages of the VF served so far */
	u64 dropped;		/* messages dropped unread so far */
	u64 nacked;		/* requests refused so far */
	u32 rate;		/* mbx_rate and mbx_burst at the time */
	u32 burst;
};

/* the flr reporter's context: one failed function-level reset */
struct swpf_flr_event {
	u32 vf;
	int err;		/* the error of the reset */
	u64 flr_count;		/* FLRs of the VF that worked */
};

/**
 * struct swpf_health - the health reporters of one PF
 * @mbx: "mailbox" reporter (a VF throttled by the flood control)
 * @flr: "flr" reporter (a function-level reset that failed)
 * @reset: "pf_reset" reporter (a PF reset and the replay after it)
 * @work: reports the pending events; runs without any driver lock
 * @lock: guards the fields below; a leaf lock
 * @active: events are queued (instance registered, reporters exist)
 * @mbx_pending: VFs with a queued throttling (bit n: VF n)
 * @flr_pending: VFs with a queued failed FLR
 * @reset_pending: a PF reset is queued
 * @mbx_ev: the last throttling of each VF
 * @flr_ev: the last failed FLR of each VF
 * @reset_ev: the last PF reset
 * @mbx_last: the VF of the last throttling, -1: none yet
 * @flr_last: the VF of the last failed FLR, -1: none yet
 * @resets: PF resets since probe
 * @reset_failures: those that failed
 * @flr_failures: failed FLRs since probe
 */
struct swpf_health {
	struct devlink_health_reporter *mbx;
	struct devlink_health_reporter *flr;
	struct devlink_health_reporter *reset;
	struct work_struct work;
	spinlock_t lock;	/* guards the fields below; a leaf */
	bool active;
	unsigned long mbx_pending;
	unsigned long flr_pending;
	bool reset_pending;
	struct swpf_mbx_event mbx_ev[SWPF_MAX_VFS];
	struct swpf_flr_event flr_ev[SWPF_MAX_VFS];
	struct swpf_reset_info reset_ev;
	int mbx_last;
	int flr_last;
	u64 resets;
	u64 reset_failures;
	u64 flr_failures;
};

struct swpf_devlink {
	struct swpf_dev *pf;
	struct swpf_health health;
};

static inline struct swpf_devlink *swpf_devlink_get(struct swpf_dev *pf)
{
	return devlink_priv(pf->devlink);
}

#endif /* _SWPF_DEVLINK_H_ */
