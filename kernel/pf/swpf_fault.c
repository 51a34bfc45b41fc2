// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: fault injection for the tests of the error paths.
 *
 * Debian's kernel is built without CONFIG_FAULT_INJECTION, so the driver
 * has its own knobs, one directory per PF:
 *
 *   /sys/kernel/debug/sriov_pf/<bdf>/fault/
 *     fail_alloc         next N guarded allocations fail (VF array, VPort,
 *                        filter)
 *     fail_flr           next N function-level resets of a VF fail (the
 *                        driver software-resets the VF and the request
 *                        fails)
 *     flr_delay_ms       every FLR first sleeps this long (max 5000)
 *     mbx_delay_ms       every run of the mailbox worker first sleeps this
 *                        long (max 5000), sr->lock not held: VF requests
 *                        stay pending (MBVFICR.VFREQ) meanwhile, so a test
 *                        can have the PF send an unsolicited message then
 *     drop_mbx_reply     next N mailbox replies to a VF are not written
 *                        (the buffer is released, the VF sees no answer)
 *     fail_filter_write  next N filter register writes fail with -EIO
 *                        (adding a filter, moving a VLAN filter)
 *     injected           faults injected so far (read-only)
 *
 * Counts are atomic_t: a test writes N, each injection consumes one.  The
 * hooks are one-line calls from the paths they fail; with every knob at 0
 * a hook costs a list lookup under a spinlock.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "swpf.h"
#include "swpf_sriov.h"

#define SWPF_FAULT_DELAY_MAX_MS		5000

struct swpf_fault {
	struct list_head node;		/* in swpf_faults, [swpf_faults_lock] */
	const struct swpf_dev *pf;
	struct dentry *dir;		/* <bdf>/ */
	atomic_t fail_alloc;
	atomic_t fail_flr;
	atomic_t flr_delay_ms;
	atomic_t mbx_delay_ms;
	atomic_t drop_mbx_reply;
	atomic_t fail_filter_write;
	atomic_t injected;
};

/* the list of PFs; lookups from the hooks are short and never sleep */
static LIST_HEAD(swpf_faults);
static DEFINE_SPINLOCK(swpf_faults_lock);
/* serialises creation and removal of the debugfs root */
static DEFINE_MUTEX(swpf_fault_dir_lock);
static struct dentry *swpf_fault_root;		/* [swpf_fault_dir_lock] */
static unsigned int swpf_fault_users;		/* [swpf_fault_dir_lock] */

/* true if the knob at offset @knob of @pf's state had a count left */
static bool swpf_fault_take(const struct swpf_dev *pf, size_t knob)
{
	struct swpf_fault *f;
	bool hit = false;

	spin_lock(&swpf_faults_lock);
	list_for_each_entry(f, &swpf_faults, node) {
		if (f->pf != pf)
			continue;
		if (atomic_dec_if_positive((atomic_t *)((u8 *)f + knob)) >= 0) {
			atomic_inc(&f->injected);
			hit = true;
		}
		break;
	}
	spin_unlock(&swpf_faults_lock);
	return hit;
}

bool swpf_fault_alloc(const struct swpf_dev *pf)
{
	return swpf_fault_take(pf, offsetof(struct swpf_fault, fail_alloc));
}

int swpf_fault_filter(const struct swpf_dev *pf)
{
	if (swpf_fault_take(pf, offsetof(struct swpf_fault, fail_filter_write)))
		return -EIO;
	return 0;
}

/* sleep as long as the delay knob at offset @knob of @pf's state says */
static void swpf_fault_delay(const struct swpf_dev *pf, size_t knob)
{
	unsigned int delay = 0;
	struct swpf_fault *f;

	spin_lock(&swpf_faults_lock);
	list_for_each_entry(f, &swpf_faults, node) {
		if (f->pf == pf) {
			delay = atomic_read((atomic_t *)((u8 *)f + knob));
			break;
		}
	}
	spin_unlock(&swpf_faults_lock);
	if (delay)
		msleep(min(delay, SWPF_FAULT_DELAY_MAX_MS));
}

/*
 * Before a VF's FLR: sleep flr_delay_ms (process context, sr->lock not
 * held: swpf_sriov_vf_flr()), then fail it if fail_flr has a count left.
 */
int swpf_fault_flr(const struct swpf_dev *pf)
{
	swpf_fault_delay(pf, offsetof(struct swpf_fault, flr_delay_ms));
	if (swpf_fault_take(pf, offsetof(struct swpf_fault, fail_flr)))
		return -EIO;
	return 0;
}

/* the mailbox worker, before it takes sr->lock: sleep mbx_delay_ms */
void swpf_fault_mbx_delay(const struct swpf_dev *pf)
{
	swpf_fault_delay(pf, offsetof(struct swpf_fault, mbx_delay_ms));
}

/*
 * A reply (the PF holds the buffer since it read the request) is lost:
 * release the buffer without STS, as if the write never reached the
 * device.
 */
bool swpf_fault_mbx_drop(struct swpf_vf *vf)
{
	if (!swpf_fault_take(vf->sr->pf,
			     offsetof(struct swpf_fault, drop_mbx_reply)))
		return false;
	swpf_mbx_release(vf);
	return true;
}

static struct dentry *swpf_fault_root_get(void)
{
	struct dentry *root;

	lockdep_assert_held(&swpf_fault_dir_lock);
	if (swpf_fault_users++)
		return swpf_fault_root;
	/* another part of the driver may have created it already */
	root = debugfs_lookup(SWPF_DRV_NAME, NULL);
	if (!root)
		root = debugfs_create_dir(SWPF_DRV_NAME, NULL);
	else
		dput(root);
	swpf_fault_root = root;
	return root;
}

static void swpf_fault_root_put(void)
{
	lockdep_assert_held(&swpf_fault_dir_lock);
	if (--swpf_fault_users)
		return;
	debugfs_remove(swpf_fault_root);
	swpf_fault_root = NULL;
}

/* probe (swpf_sriov_init): the knobs of @pf; failure only loses the knobs */
void swpf_fault_add(struct swpf_dev *pf)
{
	struct dentry *fdir;
	struct swpf_fault *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return;
	f->pf = pf;
	mutex_lock(&swpf_fault_dir_lock);
	f->dir = debugfs_create_dir(pci_name(pf->pdev), swpf_fault_root_get());
	fdir = debugfs_create_dir("fault", f->dir);
	debugfs_create_atomic_t("fail_alloc", 0600, fdir, &f->fail_alloc);
	debugfs_create_atomic_t("fail_flr", 0600, fdir, &f->fail_flr);
	debugfs_create_atomic_t("flr_delay_ms", 0600, fdir, &f->flr_delay_ms);
	debugfs_create_atomic_t("mbx_delay_ms", 0600, fdir, &f->mbx_delay_ms);
	debugfs_create_atomic_t("drop_mbx_reply", 0600, fdir,
				&f->drop_mbx_reply);
	debugfs_create_atomic_t("fail_filter_write", 0600, fdir,
				&f->fail_filter_write);
	debugfs_create_atomic_t("injected", 0400, fdir, &f->injected);
	mutex_unlock(&swpf_fault_dir_lock);

	spin_lock(&swpf_faults_lock);
	list_add(&f->node, &swpf_faults);
	spin_unlock(&swpf_faults_lock);
}

/* remove (swpf_sriov_deinit): the hooks of @pf find no knobs afterwards */
void swpf_fault_del(struct swpf_dev *pf)
{
	struct swpf_fault *f, *found = NULL;

	spin_lock(&swpf_faults_lock);
	list_for_each_entry(f, &swpf_faults, node) {
		if (f->pf == pf) {
			list_del(&f->node);
			found = f;
			break;
		}
	}
	spin_unlock(&swpf_faults_lock);
	if (!found)
		return;
	mutex_lock(&swpf_fault_dir_lock);
	debugfs_remove(found->dir);
	swpf_fault_root_put();
	mutex_unlock(&swpf_fault_dir_lock);
	kfree(found);
}
