// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_netvsc: fault injection for the tests of the error paths (Debian's
 * kernel has no CONFIG_FAULT_INJECTION).  Module-wide knobs:
 *
 *   /sys/kernel/debug/sriov_netvsc/fault/
 *     stall_ack   the next N data-path acknowledgments are lost: the host
 *                 port's own (auto_ack) and userspace's (IFLA_SWNV_DP_ACK,
 *                 which still returns 0, as a lost message would); the
 *                 request then ends by its ack_timeout_ms
 *     injected    faults injected so far (read-only)
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>

#include "swnv.h"

static struct dentry *swnv_fault_root;	/* module init..exit */
static atomic_t swnv_fault_stall_ack_count;
static atomic_t swnv_fault_injected;

bool swnv_fault_stall_ack(void)
{
	if (atomic_dec_if_positive(&swnv_fault_stall_ack_count) < 0)
		return false;
	atomic_inc(&swnv_fault_injected);
	return true;
}

void swnv_fault_init(void)
{
	struct dentry *fdir;

	swnv_fault_root = debugfs_create_dir(SWNV_DRV_NAME, NULL);
	fdir = debugfs_create_dir("fault", swnv_fault_root);
	debugfs_create_atomic_t("stall_ack", 0600, fdir,
				&swnv_fault_stall_ack_count);
	debugfs_create_atomic_t("injected", 0400, fdir, &swnv_fault_injected);
}

void swnv_fault_exit(void)
{
	debugfs_remove(swnv_fault_root);
}
