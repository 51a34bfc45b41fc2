/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sriov.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_SRIOV_H
#define _UAPI_LINUX_SRIOV_H

#define SRIOV_FAMILY_NAME	"sriov"
#define SRIOV_FAMILY_VERSION	1

#define SRIOV_MAX_VFS		7
#define SRIOV_VPORT_NAME_MAX	31
#define SRIOV_MAX_POOLS		8
#define SRIOV_DEFAULT_VPORT_ID	0
#define SRIOV_CFG_SPACE_SIZE	4096

/**
 * enum sriov_vf_state - Allocation state of a VF.
 * @SRIOV_VF_STATE_FREE: Not allocated through this family. The VF behaves like
 *   a VF of the in-tree igb driver: its MAC is programmed for its pool when it
 *   resets, without a VPort.
 * @SRIOV_VF_STATE_ALLOCATED: Reserved by vf-alloc. It receives only what the
 *   filters of its VPort steer to it.
 */
enum sriov_vf_state {
	SRIOV_VF_STATE_FREE,
	SRIOV_VF_STATE_ALLOCATED,
};

/**
 * enum sriov_vport_owner - Function a VPort is attached to.
 */
enum sriov_vport_owner {
	SRIOV_VPORT_OWNER_PF,
	SRIOV_VPORT_OWNER_VF,
};

/**
 * enum sriov_vport_state - Whether a VPort passes traffic. A disabled VPort
 *   keeps its filters and its VLAN; its pool neither receives nor transmits.
 *   For a VPort attached to a VF this is the VF's administrative link state
 *   (disabled is `ip link set PF vf N state disable`, the devlink port
 *   function state inactive).
 */
enum sriov_vport_state {
	SRIOV_VPORT_STATE_ENABLED,
	SRIOV_VPORT_STATE_DISABLED,
};

/**
 * enum sriov_switch_caps - What a NIC switch can do beyond VPorts and MAC
 *   filters (NDIS: the NicSwitchCapabilities of NDIS_NIC_SWITCH_CAPABILITIES,
 *   and the SR-IOV features a PF offers its VFs).
 * @SRIOV_SWITCH_CAPS_VLAN_FILTERS: VPorts hold VLAN filters (filter-add with
 *   filter-type vlan).
 * @SRIOV_SWITCH_CAPS_PORT_VLAN: A VPort has a default VLAN and priority,
 *   inserted on transmit and stripped on receive (vport-set vlan and qos, `ip
 *   link set PF vf N vlan`).
 * @SRIOV_SWITCH_CAPS_VPORT_STATE: VPorts are disabled and enabled with their
 *   filters kept (vport-set vport-state).
 * @SRIOV_SWITCH_CAPS_FLR: A VF is reset on request (vf-reset, a function-level
 *   reset).
 * @SRIOV_SWITCH_CAPS_ANTI_SPOOFING: A VF's transmitted frames are checked
 *   against its MAC and VLAN (`ip link set PF vf N spoofchk`).
 * @SRIOV_SWITCH_CAPS_RATE_LIMIT: A VF's transmit rate is limited (`ip link set
 *   PF vf N max_tx_rate`); there is no minimum rate.
 * @SRIOV_SWITCH_CAPS_IDENTITY: A VF learns its serial, its VPort and its
 *   policy from the PF over the mailbox (the project's GET_CONFIG message).
 */
enum sriov_switch_caps {
	SRIOV_SWITCH_CAPS_VLAN_FILTERS = 1,
	SRIOV_SWITCH_CAPS_PORT_VLAN = 2,
	SRIOV_SWITCH_CAPS_VPORT_STATE = 4,
	SRIOV_SWITCH_CAPS_FLR = 8,
	SRIOV_SWITCH_CAPS_ANTI_SPOOFING = 16,
	SRIOV_SWITCH_CAPS_RATE_LIMIT = 32,
	SRIOV_SWITCH_CAPS_IDENTITY = 64,
};

/**
 * enum sriov_filter_type - Kind of receive filter.
 * @SRIOV_FILTER_TYPE_MAC: Destination MAC address (an exact receive-address
 *   register, RAR, or on the default VPort the default pool).
 * @SRIOV_FILTER_TYPE_VLAN: VLAN id (a VLAN pool filter, VLVF).
 */
enum sriov_filter_type {
	SRIOV_FILTER_TYPE_MAC,
	SRIOV_FILTER_TYPE_VLAN,
};

/**
 * enum sriov_filter_origin - Who created a filter.
 * @SRIOV_FILTER_ORIGIN_ADMIN: Created with filter-add.
 * @SRIOV_FILTER_ORIGIN_VF: Requested by the VF over the mailbox; deleted with
 *   its VPort.
 * @SRIOV_FILTER_ORIGIN_PF: Created by the driver (the PF's own addresses);
 *   cannot be moved.
 */
enum sriov_filter_origin {
	SRIOV_FILTER_ORIGIN_ADMIN,
	SRIOV_FILTER_ORIGIN_VF,
	SRIOV_FILTER_ORIGIN_PF,
};

/**
 * enum sriov_link_state - Administrative link state of a VF (as
 *   IFLA_VF_LINK_STATE).
 */
enum sriov_link_state {
	SRIOV_LINK_STATE_AUTO,
	SRIOV_LINK_STATE_ENABLE,
	SRIOV_LINK_STATE_DISABLE,
};

/**
 * enum sriov_reset_reason - Why a VF was reset.
 * @SRIOV_RESET_REASON_ADMIN: A vf-reset request (function-level reset of the
 *   VF).
 * @SRIOV_RESET_REASON_VFLR: The device reported a VF function-level reset
 *   (VFLRE).
 * @SRIOV_RESET_REASON_MAILBOX: The VF asked for a reset (VF_RESET mailbox
 *   message).
 * @SRIOV_RESET_REASON_PF_RESET: The PF was reset; every VF lost its state.
 * @SRIOV_RESET_REASON_VF_GOING_DOWN: The VF driver announced that the VF stops
 *   receiving (the project's VF_GOING_DOWN mailbox message: driver unbind,
 *   function reset or removal); only in filter-moved-ntf.
 * @SRIOV_RESET_REASON_SRIOV_DISABLE: SR-IOV is being disabled
 *   (sriov_numvfs=0); every VF goes away. Only in filter-moved-ntf.
 */
enum sriov_reset_reason {
	SRIOV_RESET_REASON_ADMIN,
	SRIOV_RESET_REASON_VFLR,
	SRIOV_RESET_REASON_MAILBOX,
	SRIOV_RESET_REASON_PF_RESET,
	SRIOV_RESET_REASON_VF_GOING_DOWN,
	SRIOV_RESET_REASON_SRIOV_DISABLE,
};

enum {
	SRIOV_A_PAD = 1,
	SRIOV_A_IFINDEX,
	SRIOV_A_PCI_ADDR,
	SRIOV_A_NUM_VFS,
	SRIOV_A_TOTAL_VFS,
	SRIOV_A_MAX_VPORTS,
	SRIOV_A_NUM_VPORTS,
	SRIOV_A_MAC_FILTERS_MAX,
	SRIOV_A_MAC_FILTERS_FREE,
	SRIOV_A_VLAN_FILTERS_MAX,
	SRIOV_A_VLAN_FILTERS_FREE,
	SRIOV_A_LINK_UP,
	SRIOV_A_VF_ID,
	SRIOV_A_VF_STATE,
	SRIOV_A_SERIAL,
	SRIOV_A_MAC,
	SRIOV_A_VLAN,
	SRIOV_A_QOS,
	SRIOV_A_SPOOFCHK,
	SRIOV_A_TRUST,
	SRIOV_A_LINK_STATE,
	SRIOV_A_VF_PCI_ADDR,
	SRIOV_A_MBX_CTS,
	SRIOV_A_VPORT_ID,
	SRIOV_A_VPORT_OWNER,
	SRIOV_A_POOL,
	SRIOV_A_IS_DEFAULT,
	SRIOV_A_NUM_FILTERS,
	SRIOV_A_FILTER_ID,
	SRIOV_A_FILTER_TYPE,
	SRIOV_A_FILTER_ORIGIN,
	SRIOV_A_HW_INDEX,
	SRIOV_A_SRC_VPORT_ID,
	SRIOV_A_FILTER_IDS,
	SRIOV_A_TIMESTAMP_NS,
	SRIOV_A_CFG_OFFSET,
	SRIOV_A_CFG_LEN,
	SRIOV_A_CFG_VALUE,
	SRIOV_A_CFG_DATA,
	SRIOV_A_RESET_REASON,
	SRIOV_A_RX_PACKETS,
	SRIOV_A_RX_BYTES,
	SRIOV_A_TX_PACKETS,
	SRIOV_A_TX_BYTES,
	SRIOV_A_RX_MULTICAST,
	SRIOV_A_MBX_RX,
	SRIOV_A_MBX_NACK,
	SRIOV_A_MBX_DROPPED,
	SRIOV_A_FLR_COUNT,
	SRIOV_A_DEFAULT_MAC_FILTERS_MAX,
	SRIOV_A_DEFAULT_MAC_FILTERS,
	SRIOV_A_VPORT_STATE,
	SRIOV_A_VPORT_NAME,
	SRIOV_A_SWITCH_CAPS,
	SRIOV_A_QUEUE_PAIRS_MAX,
	SRIOV_A_VPORT_QUEUE_PAIRS_MAX,
	SRIOV_A_VF_VENDOR_ID,
	SRIOV_A_VF_DEVICE_ID,

	__SRIOV_A_MAX,
	SRIOV_A_MAX = (__SRIOV_A_MAX - 1)
};

enum {
	SRIOV_CMD_SWITCH_GET = 1,
	SRIOV_CMD_VF_GET,
	SRIOV_CMD_VF_ALLOC,
	SRIOV_CMD_VF_FREE,
	SRIOV_CMD_VF_RESET,
	SRIOV_CMD_VPORT_GET,
	SRIOV_CMD_VPORT_NEW,
	SRIOV_CMD_VPORT_DEL,
	SRIOV_CMD_VPORT_SET,
	SRIOV_CMD_FILTER_GET,
	SRIOV_CMD_FILTER_ADD,
	SRIOV_CMD_FILTER_DEL,
	SRIOV_CMD_FILTER_MOVE,
	SRIOV_CMD_CFG_READ,
	SRIOV_CMD_CFG_WRITE,
	SRIOV_CMD_SWITCH_CHANGE_NTF,
	SRIOV_CMD_VF_ALLOCATED_NTF,
	SRIOV_CMD_VF_FREED_NTF,
	SRIOV_CMD_VF_RESET_NTF,
	SRIOV_CMD_VF_FLR_NTF,
	SRIOV_CMD_VF_RESET_REQUEST_NTF,
	SRIOV_CMD_VF_MBX_THROTTLED_NTF,
	SRIOV_CMD_VPORT_CREATED_NTF,
	SRIOV_CMD_VPORT_CHANGED_NTF,
	SRIOV_CMD_VPORT_DELETED_NTF,
	SRIOV_CMD_FILTER_MOVED_NTF,
	SRIOV_CMD_LINK_CHANGE_NTF,
	SRIOV_CMD_CFG_WRITE_NTF,
	SRIOV_CMD_SWITCH_NEW,
	SRIOV_CMD_SWITCH_DEL,
	SRIOV_CMD_FILTER_DELETED_NTF,

	__SRIOV_CMD_MAX,
	SRIOV_CMD_MAX = (__SRIOV_CMD_MAX - 1)
};

#define SRIOV_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_SRIOV_H */
