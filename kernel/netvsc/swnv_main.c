// SPDX-License-Identifier: GPL-2.0
/* sriov_netvsc: the child's VM network adapter (skeleton). */
#include <linux/module.h>

static int __init swnv_init(void)
{
	return 0;
}
module_init(swnv_init);

static void __exit swnv_exit(void)
{
}
module_exit(swnv_exit);

MODULE_DESCRIPTION("SR-IOV synthetic/VF failover network adapter");
MODULE_LICENSE("GPL");
