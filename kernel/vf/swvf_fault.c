// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_vf: fault injection for the tests of the error paths (Debian's
 * kernel has no CONFIG_FAULT_INJECTION).  One directory per VF:
 *
 *   /sys/kernel/debug/sriov_vf/<bdf>/fault/
 *     fail_alloc   next N ring allocations (ndo_open, ring resize) fail
 *     injected     faults injected so far (read-only)
 *
 * A test writes N; each injection consumes one.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "swvf.h"

struct swvf_fault {
	struct list_head node;		/* in swvf_faults, [swvf_faults_lock] */
	const struct swvf_adapter *adapter;
	struct dentry *dir;		/* <bdf>/ */
	atomic_t fail_alloc;
	atomic_t injected;
};

static LIST_HEAD(swvf_faults);
static DEFINE_SPINLOCK(swvf_faults_lock);
/* serialises creation and removal of the debugfs root */
static DEFINE_MUTEX(swvf_fault_dir_lock);
static struct dentry *swvf_fault_root;		/* [swvf_fault_dir_lock] */
static unsigned int swvf_fault_users;		/* [swvf_fault_dir_lock] */

bool swvf_fault_alloc(const struct swvf_adapter *adapter)
{
	struct swvf_fault *f;
	bool hit = false;

	spin_lock(&swvf_faults_lock);
	list_for_each_entry(f, &swvf_faults, node) {
		if (f->adapter != adapter)
			continue;
		if (atomic_dec_if_positive(&f->fail_alloc) >= 0) {
			atomic_inc(&f->injected);
			hit = true;
		}
		break;
	}
	spin_unlock(&swvf_faults_lock);
	return hit;
}

/* probe: the knobs of @adapter; failure only loses the knobs */
void swvf_fault_add(struct swvf_adapter *adapter)
{
	struct dentry *root, *fdir;
	struct swvf_fault *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return;
	f->adapter = adapter;
	mutex_lock(&swvf_fault_dir_lock);
	if (!swvf_fault_users++) {
		root = debugfs_lookup(SWVF_DRV_NAME, NULL);
		if (root)
			dput(root);
		else
			root = debugfs_create_dir(SWVF_DRV_NAME, NULL);
		swvf_fault_root = root;
	}
	f->dir = debugfs_create_dir(pci_name(adapter->pdev), swvf_fault_root);
	fdir = debugfs_create_dir("fault", f->dir);
	debugfs_create_atomic_t("fail_alloc", 0600, fdir, &f->fail_alloc);
	debugfs_create_atomic_t("injected", 0400, fdir, &f->injected);
	mutex_unlock(&swvf_fault_dir_lock);

	spin_lock(&swvf_faults_lock);
	list_add(&f->node, &swvf_faults);
	spin_unlock(&swvf_faults_lock);
}

/* remove: the hooks of @adapter find no knobs afterwards */
void swvf_fault_del(struct swvf_adapter *adapter)
{
	struct swvf_fault *f, *found = NULL;

	spin_lock(&swvf_faults_lock);
	list_for_each_entry(f, &swvf_faults, node) {
		if (f->adapter == adapter) {
			list_del(&f->node);
			found = f;
			break;
		}
	}
	spin_unlock(&swvf_faults_lock);
	if (!found)
		return;
	mutex_lock(&swvf_fault_dir_lock);
	debugfs_remove(found->dir);
	if (!--swvf_fault_users) {
		debugfs_remove(swvf_fault_root);
		swvf_fault_root = NULL;
	}
	mutex_unlock(&swvf_fault_dir_lock);
	kfree(found);
}
