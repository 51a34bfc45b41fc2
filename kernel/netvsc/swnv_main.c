// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_netvsc: the child's VM network adapter, a netvsc-like pair of a
 * synthetic path and a VF data path.  Module entry points.
 */
#include <linux/module.h>
#include <net/rtnetlink.h>

#include "swnv.h"

static int __init swnv_init(void)
{
	int err;

	swnv_fault_init();
	err = swnv_notifier_register();
	if (err)
		goto out_fault_exit;
	err = swnv_rtnl_register();
	if (err)
		goto out_unregister_notifier;
	return 0;

out_unregister_notifier:
	swnv_notifier_unregister();
out_fault_exit:
	swnv_fault_exit();
	return err;
}
module_init(swnv_init);

static void __exit swnv_exit(void)
{
	swnv_rtnl_unregister();
	swnv_notifier_unregister();
	swnv_fault_exit();
}
module_exit(swnv_exit);

MODULE_DESCRIPTION("SR-IOV synthetic/VF failover network adapter");
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK(SRIOV_NETVSC_KIND);
