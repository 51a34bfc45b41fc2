/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sriov_netvsc rtnetlink link type: attributes carried in
 * IFLA_LINKINFO/IFLA_INFO_DATA for kind "sriov_netvsc".
 *
 * A pair is created like veth:
 *   ip link add HOSTPORT type sriov_netvsc peer name ADAPTER netns CHILD
 * HOSTPORT joins the host's switch, ADAPTER is the child's network adapter.
 * Both ends report the state of the pair; both ends accept commands.
 */
#ifndef _UAPI_SRIOV_NETVSC_H
#define _UAPI_SRIOV_NETVSC_H

#define SRIOV_NETVSC_KIND	"sriov_netvsc"

enum {
	IFLA_SWNV_UNSPEC,
	IFLA_SWNV_PEER,			/* nested ifinfomsg + IFLA_*; newlink */
	IFLA_SWNV_ROLE,			/* u8 ro: enum swnv_role */
	IFLA_SWNV_SERIAL,		/* u64 rw: VF identity to pair with */
	IFLA_SWNV_DP_ACTIVE,		/* u8 ro: data path used for TX */
	IFLA_SWNV_DP_WANT,		/* u8 rw: preferred data path (command) */
	IFLA_SWNV_DP_PENDING,		/* u8 ro: path awaiting ack or NONE */
	IFLA_SWNV_DP_SEQ,		/* u32 ro: sequence of the last request */
	IFLA_SWNV_DP_ACK,		/* u32 wo: acknowledge request SEQ */
	IFLA_SWNV_AUTO_ACK,		/* u8 rw: host port acks by itself */
	IFLA_SWNV_ACK_TIMEOUT_MS,	/* u32 rw: bounded wait for an ack */
	IFLA_SWNV_VF_IFINDEX,		/* u32 ro: paired VF (its netns) */
	IFLA_SWNV_SWITCHES,		/* u32 ro: data path changes */
	IFLA_SWNV_TIMEOUTS,		/* u32 ro: requests never acked */
	IFLA_SWNV_LAST_REASON,		/* u8 ro: enum swnv_reason */
	IFLA_SWNV_LAST_DURATION_NS,	/* u64 ro: request -> ack/timeout */
	IFLA_SWNV_PAD,
	__IFLA_SWNV_MAX
};

#define IFLA_SWNV_MAX	(__IFLA_SWNV_MAX - 1)

enum swnv_role {
	SWNV_ROLE_HOST_PORT,
	SWNV_ROLE_ADAPTER,
};

enum swnv_datapath {
	SWNV_DP_SYNTHETIC,
	SWNV_DP_VF,
	SWNV_DP_NONE = 255,		/* DP_PENDING only */
};

enum swnv_reason {
	SWNV_REASON_NONE,
	SWNV_REASON_COMMAND,		/* DP_WANT changed over netlink */
	SWNV_REASON_VF_UP,		/* VF paired, opened, carrier up */
	SWNV_REASON_VF_DOWN,		/* NETDEV_GOING_DOWN or carrier loss */
	SWNV_REASON_VF_UNREGISTER,	/* NETDEV_UNREGISTER (removal) */
	SWNV_REASON_ADAPTER_DOWN,	/* adapter closed */
	SWNV_REASON_ACK_TIMEOUT,	/* request not acked in time */
	SWNV_REASON_NETNS_MOVE,		/* VF moved between namespaces */
	__SWNV_REASON_MAX
};

#endif /* _UAPI_SRIOV_NETVSC_H */
