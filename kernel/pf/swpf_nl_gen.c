// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sriov.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "swpf_nl_gen.h"

#include <uapi/linux/sriov.h>

/* SRIOV_CMD_SWITCH_GET - do */
static const struct nla_policy sriov_switch_get_nl_policy[SRIOV_A_PCI_ADDR + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* SRIOV_CMD_VF_GET - do */
static const struct nla_policy sriov_vf_get_do_nl_policy[SRIOV_A_VF_ID + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VF_ID] = NLA_POLICY_MAX(NLA_U32, SRIOV_MAX_VFS),
};

/* SRIOV_CMD_VF_GET - dump */
static const struct nla_policy sriov_vf_get_dump_nl_policy[SRIOV_A_PCI_ADDR + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* SRIOV_CMD_VF_ALLOC - do */
static const struct nla_policy sriov_vf_alloc_nl_policy[SRIOV_A_MAC + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VF_ID] = NLA_POLICY_MAX(NLA_U32, SRIOV_MAX_VFS),
	[SRIOV_A_SERIAL] = { .type = NLA_U64, },
	[SRIOV_A_MAC] = NLA_POLICY_EXACT_LEN(6),
};

/* SRIOV_CMD_VF_FREE - do */
static const struct nla_policy sriov_vf_free_nl_policy[SRIOV_A_VF_ID + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VF_ID] = NLA_POLICY_MAX(NLA_U32, SRIOV_MAX_VFS),
};

/* SRIOV_CMD_VF_RESET - do */
static const struct nla_policy sriov_vf_reset_nl_policy[SRIOV_A_VF_ID + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VF_ID] = NLA_POLICY_MAX(NLA_U32, SRIOV_MAX_VFS),
};

/* SRIOV_CMD_VPORT_GET - do */
static const struct nla_policy sriov_vport_get_do_nl_policy[SRIOV_A_VPORT_ID + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VPORT_ID] = { .type = NLA_U32, },
};

/* SRIOV_CMD_VPORT_GET - dump */
static const struct nla_policy sriov_vport_get_dump_nl_policy[SRIOV_A_PCI_ADDR + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* SRIOV_CMD_VPORT_NEW - do */
static const struct nla_policy sriov_vport_new_nl_policy[SRIOV_A_VPORT_NAME + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VF_ID] = NLA_POLICY_MAX(NLA_U32, SRIOV_MAX_VFS),
	[SRIOV_A_VLAN] = NLA_POLICY_MAX(NLA_U16, 4095),
	[SRIOV_A_QOS] = NLA_POLICY_MAX(NLA_U8, 7),
	[SRIOV_A_VPORT_NAME] = { .type = NLA_NUL_STRING, .len = SRIOV_VPORT_NAME_MAX, },
};

/* SRIOV_CMD_VPORT_DEL - do */
static const struct nla_policy sriov_vport_del_nl_policy[SRIOV_A_VPORT_ID + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VPORT_ID] = { .type = NLA_U32, },
};

/* SRIOV_CMD_VPORT_SET - do */
static const struct nla_policy sriov_vport_set_nl_policy[SRIOV_A_VPORT_NAME + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VPORT_ID] = { .type = NLA_U32, },
	[SRIOV_A_VLAN] = NLA_POLICY_MAX(NLA_U16, 4095),
	[SRIOV_A_QOS] = NLA_POLICY_MAX(NLA_U8, 7),
	[SRIOV_A_VPORT_STATE] = NLA_POLICY_MAX(NLA_U32, 1),
	[SRIOV_A_VPORT_NAME] = { .type = NLA_NUL_STRING, .len = SRIOV_VPORT_NAME_MAX, },
};

/* SRIOV_CMD_FILTER_GET - do */
static const struct nla_policy sriov_filter_get_do_nl_policy[SRIOV_A_FILTER_ID + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_FILTER_ID] = { .type = NLA_U32, },
};

/* SRIOV_CMD_FILTER_GET - dump */
static const struct nla_policy sriov_filter_get_dump_nl_policy[SRIOV_A_VPORT_ID + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VPORT_ID] = { .type = NLA_U32, },
};

/* SRIOV_CMD_FILTER_ADD - do */
static const struct nla_policy sriov_filter_add_nl_policy[SRIOV_A_VPORT_ID + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VPORT_ID] = { .type = NLA_U32, },
	[SRIOV_A_MAC] = NLA_POLICY_EXACT_LEN(6),
	[SRIOV_A_VLAN] = NLA_POLICY_MAX(NLA_U16, 4095),
};

/* SRIOV_CMD_FILTER_DEL - do */
static const struct nla_policy sriov_filter_del_nl_policy[SRIOV_A_FILTER_ID + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_FILTER_ID] = { .type = NLA_U32, },
};

/* SRIOV_CMD_FILTER_MOVE - do */
static const struct nla_policy sriov_filter_move_nl_policy[SRIOV_A_FILTER_IDS + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_SRC_VPORT_ID] = { .type = NLA_U32, },
	[SRIOV_A_VPORT_ID] = { .type = NLA_U32, },
	[SRIOV_A_FILTER_IDS] = { .type = NLA_U32, },
};

/* SRIOV_CMD_CFG_READ - do */
static const struct nla_policy sriov_cfg_read_nl_policy[SRIOV_A_CFG_LEN + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VF_ID] = NLA_POLICY_MAX(NLA_U32, SRIOV_MAX_VFS),
	[SRIOV_A_CFG_OFFSET] = NLA_POLICY_MAX(NLA_U32, 4095),
	[SRIOV_A_CFG_LEN] = NLA_POLICY_RANGE(NLA_U32, 1, SRIOV_CFG_SPACE_SIZE),
};

/* SRIOV_CMD_CFG_WRITE - do */
static const struct nla_policy sriov_cfg_write_nl_policy[SRIOV_A_CFG_VALUE + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_VF_ID] = NLA_POLICY_MAX(NLA_U32, SRIOV_MAX_VFS),
	[SRIOV_A_CFG_OFFSET] = NLA_POLICY_MAX(NLA_U32, 4095),
	[SRIOV_A_CFG_LEN] = NLA_POLICY_RANGE(NLA_U32, 1, SRIOV_CFG_SPACE_SIZE),
	[SRIOV_A_CFG_VALUE] = { .type = NLA_U32, },
};

/* SRIOV_CMD_SWITCH_NEW - do */
static const struct nla_policy sriov_switch_new_nl_policy[SRIOV_A_NUM_VFS + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
	[SRIOV_A_NUM_VFS] = NLA_POLICY_RANGE(NLA_U32, 1, SRIOV_MAX_VFS),
};

/* SRIOV_CMD_SWITCH_DEL - do */
static const struct nla_policy sriov_switch_del_nl_policy[SRIOV_A_PCI_ADDR + 1] = {
	[SRIOV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRIOV_A_PCI_ADDR] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* Ops table for sriov */
static const struct genl_split_ops sriov_nl_ops[] = {
	{
		.cmd		= SRIOV_CMD_SWITCH_GET,
		.doit		= sriov_nl_switch_get_doit,
		.policy		= sriov_switch_get_nl_policy,
		.maxattr	= SRIOV_A_PCI_ADDR,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SRIOV_CMD_SWITCH_GET,
		.dumpit	= sriov_nl_switch_get_dumpit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SRIOV_CMD_VF_GET,
		.doit		= sriov_nl_vf_get_doit,
		.policy		= sriov_vf_get_do_nl_policy,
		.maxattr	= SRIOV_A_VF_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_VF_GET,
		.dumpit		= sriov_nl_vf_get_dumpit,
		.policy		= sriov_vf_get_dump_nl_policy,
		.maxattr	= SRIOV_A_PCI_ADDR,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SRIOV_CMD_VF_ALLOC,
		.doit		= sriov_nl_vf_alloc_doit,
		.policy		= sriov_vf_alloc_nl_policy,
		.maxattr	= SRIOV_A_MAC,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_VF_FREE,
		.doit		= sriov_nl_vf_free_doit,
		.policy		= sriov_vf_free_nl_policy,
		.maxattr	= SRIOV_A_VF_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_VF_RESET,
		.doit		= sriov_nl_vf_reset_doit,
		.policy		= sriov_vf_reset_nl_policy,
		.maxattr	= SRIOV_A_VF_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_VPORT_GET,
		.doit		= sriov_nl_vport_get_doit,
		.policy		= sriov_vport_get_do_nl_policy,
		.maxattr	= SRIOV_A_VPORT_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_VPORT_GET,
		.dumpit		= sriov_nl_vport_get_dumpit,
		.policy		= sriov_vport_get_dump_nl_policy,
		.maxattr	= SRIOV_A_PCI_ADDR,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SRIOV_CMD_VPORT_NEW,
		.doit		= sriov_nl_vport_new_doit,
		.policy		= sriov_vport_new_nl_policy,
		.maxattr	= SRIOV_A_VPORT_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_VPORT_DEL,
		.doit		= sriov_nl_vport_del_doit,
		.policy		= sriov_vport_del_nl_policy,
		.maxattr	= SRIOV_A_VPORT_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_VPORT_SET,
		.doit		= sriov_nl_vport_set_doit,
		.policy		= sriov_vport_set_nl_policy,
		.maxattr	= SRIOV_A_VPORT_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_FILTER_GET,
		.doit		= sriov_nl_filter_get_doit,
		.policy		= sriov_filter_get_do_nl_policy,
		.maxattr	= SRIOV_A_FILTER_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_FILTER_GET,
		.dumpit		= sriov_nl_filter_get_dumpit,
		.policy		= sriov_filter_get_dump_nl_policy,
		.maxattr	= SRIOV_A_VPORT_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SRIOV_CMD_FILTER_ADD,
		.doit		= sriov_nl_filter_add_doit,
		.policy		= sriov_filter_add_nl_policy,
		.maxattr	= SRIOV_A_VPORT_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_FILTER_DEL,
		.doit		= sriov_nl_filter_del_doit,
		.policy		= sriov_filter_del_nl_policy,
		.maxattr	= SRIOV_A_FILTER_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_FILTER_MOVE,
		.doit		= sriov_nl_filter_move_doit,
		.policy		= sriov_filter_move_nl_policy,
		.maxattr	= SRIOV_A_FILTER_IDS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_CFG_READ,
		.doit		= sriov_nl_cfg_read_doit,
		.policy		= sriov_cfg_read_nl_policy,
		.maxattr	= SRIOV_A_CFG_LEN,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_CFG_WRITE,
		.doit		= sriov_nl_cfg_write_doit,
		.policy		= sriov_cfg_write_nl_policy,
		.maxattr	= SRIOV_A_CFG_VALUE,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_SWITCH_NEW,
		.doit		= sriov_nl_switch_new_doit,
		.policy		= sriov_switch_new_nl_policy,
		.maxattr	= SRIOV_A_NUM_VFS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRIOV_CMD_SWITCH_DEL,
		.doit		= sriov_nl_switch_del_doit,
		.policy		= sriov_switch_del_nl_policy,
		.maxattr	= SRIOV_A_PCI_ADDR,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group sriov_nl_mcgrps[] = {
	[SRIOV_NLGRP_EVENTS] = { "events", },
};

struct genl_family sriov_nl_family __ro_after_init = {
	.name		= SRIOV_FAMILY_NAME,
	.version	= SRIOV_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= sriov_nl_ops,
	.n_split_ops	= ARRAY_SIZE(sriov_nl_ops),
	.mcgrps		= sriov_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(sriov_nl_mcgrps),
};
