/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sriov.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_SRIOV_GEN_H
#define _LINUX_SRIOV_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/sriov.h>

int sriov_nl_switch_get_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_switch_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int sriov_nl_vf_get_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_vf_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int sriov_nl_vf_alloc_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_vf_free_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_vf_reset_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_vport_get_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_vport_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int sriov_nl_vport_new_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_vport_del_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_vport_set_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_filter_get_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_filter_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int sriov_nl_filter_add_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_filter_del_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_filter_move_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_cfg_read_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_cfg_write_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_switch_new_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_nl_switch_del_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	SRIOV_NLGRP_EVENTS,
};

extern struct genl_family sriov_nl_family;

#endif /* _LINUX_SRIOV_GEN_H */
