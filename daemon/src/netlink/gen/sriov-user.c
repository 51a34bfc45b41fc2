// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sriov.yaml */
/* YNL-GEN user source */

#include <stdlib.h>
#include <string.h>
#include "sriov-user.h"
#include "ynl.h"
#include <linux/sriov.h>

#include <linux/genetlink.h>

/* Enums */
static const char * const sriov_op_strmap[] = {
	[SRIOV_CMD_SWITCH_GET] = "switch-get",
	[SRIOV_CMD_VF_GET] = "vf-get",
	[SRIOV_CMD_VF_ALLOC] = "vf-alloc",
	[SRIOV_CMD_VF_FREE] = "vf-free",
	[SRIOV_CMD_VF_RESET] = "vf-reset",
	[SRIOV_CMD_VPORT_GET] = "vport-get",
	[SRIOV_CMD_VPORT_NEW] = "vport-new",
	[SRIOV_CMD_VPORT_DEL] = "vport-del",
	[SRIOV_CMD_VPORT_SET] = "vport-set",
	[SRIOV_CMD_FILTER_GET] = "filter-get",
	[SRIOV_CMD_FILTER_ADD] = "filter-add",
	[SRIOV_CMD_FILTER_DEL] = "filter-del",
	[SRIOV_CMD_FILTER_MOVE] = "filter-move",
	[SRIOV_CMD_CFG_READ] = "cfg-read",
	[SRIOV_CMD_CFG_WRITE] = "cfg-write",
	[SRIOV_CMD_SWITCH_CHANGE_NTF] = "switch-change-ntf",
	[SRIOV_CMD_VF_ALLOCATED_NTF] = "vf-allocated-ntf",
	[SRIOV_CMD_VF_FREED_NTF] = "vf-freed-ntf",
	[SRIOV_CMD_VF_RESET_NTF] = "vf-reset-ntf",
	[SRIOV_CMD_VF_FLR_NTF] = "vf-flr-ntf",
	[SRIOV_CMD_VF_RESET_REQUEST_NTF] = "vf-reset-request-ntf",
	[SRIOV_CMD_VF_MBX_THROTTLED_NTF] = "vf-mbx-throttled-ntf",
	[SRIOV_CMD_VPORT_CREATED_NTF] = "vport-created-ntf",
	[SRIOV_CMD_VPORT_CHANGED_NTF] = "vport-changed-ntf",
	[SRIOV_CMD_VPORT_DELETED_NTF] = "vport-deleted-ntf",
	[SRIOV_CMD_FILTER_MOVED_NTF] = "filter-moved-ntf",
	[SRIOV_CMD_LINK_CHANGE_NTF] = "link-change-ntf",
	[SRIOV_CMD_CFG_WRITE_NTF] = "cfg-write-ntf",
	[SRIOV_CMD_SWITCH_NEW] = "switch-new",
	[SRIOV_CMD_SWITCH_DEL] = "switch-del",
	[SRIOV_CMD_FILTER_DELETED_NTF] = "filter-deleted-ntf",
};

const char *sriov_op_str(int op)
{
	if (op < 0 || op >= (int)YNL_ARRAY_SIZE(sriov_op_strmap))
		return NULL;
	return sriov_op_strmap[op];
}

static const char * const sriov_vf_state_strmap[] = {
	[0] = "free",
	[1] = "allocated",
};

const char *sriov_vf_state_str(enum sriov_vf_state value)
{
	if (value < 0 || value >= (int)YNL_ARRAY_SIZE(sriov_vf_state_strmap))
		return NULL;
	return sriov_vf_state_strmap[value];
}

static const char * const sriov_vport_owner_strmap[] = {
	[0] = "pf",
	[1] = "vf",
};

const char *sriov_vport_owner_str(enum sriov_vport_owner value)
{
	if (value < 0 || value >= (int)YNL_ARRAY_SIZE(sriov_vport_owner_strmap))
		return NULL;
	return sriov_vport_owner_strmap[value];
}

static const char * const sriov_vport_state_strmap[] = {
	[0] = "enabled",
	[1] = "disabled",
};

const char *sriov_vport_state_str(enum sriov_vport_state value)
{
	if (value < 0 || value >= (int)YNL_ARRAY_SIZE(sriov_vport_state_strmap))
		return NULL;
	return sriov_vport_state_strmap[value];
}

static const char * const sriov_switch_caps_strmap[] = {
	[0] = "vlan-filters",
	[1] = "port-vlan",
	[2] = "vport-state",
	[3] = "flr",
	[4] = "anti-spoofing",
	[5] = "rate-limit",
	[6] = "identity",
};

const char *sriov_switch_caps_str(enum sriov_switch_caps value)
{
	value = ffs(value) - 1;
	if (value < 0 || value >= (int)YNL_ARRAY_SIZE(sriov_switch_caps_strmap))
		return NULL;
	return sriov_switch_caps_strmap[value];
}

static const char * const sriov_filter_type_strmap[] = {
	[0] = "mac",
	[1] = "vlan",
};

const char *sriov_filter_type_str(enum sriov_filter_type value)
{
	if (value < 0 || value >= (int)YNL_ARRAY_SIZE(sriov_filter_type_strmap))
		return NULL;
	return sriov_filter_type_strmap[value];
}

static const char * const sriov_filter_origin_strmap[] = {
	[0] = "admin",
	[1] = "vf",
	[2] = "pf",
};

const char *sriov_filter_origin_str(enum sriov_filter_origin value)
{
	if (value < 0 || value >= (int)YNL_ARRAY_SIZE(sriov_filter_origin_strmap))
		return NULL;
	return sriov_filter_origin_strmap[value];
}

static const char * const sriov_link_state_strmap[] = {
	[0] = "auto",
	[1] = "enable",
	[2] = "disable",
};

const char *sriov_link_state_str(enum sriov_link_state value)
{
	if (value < 0 || value >= (int)YNL_ARRAY_SIZE(sriov_link_state_strmap))
		return NULL;
	return sriov_link_state_strmap[value];
}

static const char * const sriov_reset_reason_strmap[] = {
	[0] = "admin",
	[1] = "vflr",
	[2] = "mailbox",
	[3] = "pf-reset",
	[4] = "vf-going-down",
	[5] = "sriov-disable",
};

const char *sriov_reset_reason_str(enum sriov_reset_reason value)
{
	if (value < 0 || value >= (int)YNL_ARRAY_SIZE(sriov_reset_reason_strmap))
		return NULL;
	return sriov_reset_reason_strmap[value];
}

/* Policies */
const struct ynl_policy_attr sriov_policy[SRIOV_A_MAX + 1] = {
	[SRIOV_A_PAD] = { .name = "pad", .type = YNL_PT_IGNORE, },
	[SRIOV_A_IFINDEX] = { .name = "ifindex", .type = YNL_PT_U32, },
	[SRIOV_A_PCI_ADDR] = { .name = "pci-addr", .type = YNL_PT_NUL_STR, },
	[SRIOV_A_NUM_VFS] = { .name = "num-vfs", .type = YNL_PT_U32, },
	[SRIOV_A_TOTAL_VFS] = { .name = "total-vfs", .type = YNL_PT_U32, },
	[SRIOV_A_MAX_VPORTS] = { .name = "max-vports", .type = YNL_PT_U32, },
	[SRIOV_A_NUM_VPORTS] = { .name = "num-vports", .type = YNL_PT_U32, },
	[SRIOV_A_MAC_FILTERS_MAX] = { .name = "mac-filters-max", .type = YNL_PT_U32, },
	[SRIOV_A_MAC_FILTERS_FREE] = { .name = "mac-filters-free", .type = YNL_PT_U32, },
	[SRIOV_A_VLAN_FILTERS_MAX] = { .name = "vlan-filters-max", .type = YNL_PT_U32, },
	[SRIOV_A_VLAN_FILTERS_FREE] = { .name = "vlan-filters-free", .type = YNL_PT_U32, },
	[SRIOV_A_LINK_UP] = { .name = "link-up", .type = YNL_PT_U8, },
	[SRIOV_A_VF_ID] = { .name = "vf-id", .type = YNL_PT_U32, },
	[SRIOV_A_VF_STATE] = { .name = "vf-state", .type = YNL_PT_U32, },
	[SRIOV_A_SERIAL] = { .name = "serial", .type = YNL_PT_U64, },
	[SRIOV_A_MAC] = { .name = "mac", .type = YNL_PT_BINARY,},
	[SRIOV_A_VLAN] = { .name = "vlan", .type = YNL_PT_U16, },
	[SRIOV_A_QOS] = { .name = "qos", .type = YNL_PT_U8, },
	[SRIOV_A_SPOOFCHK] = { .name = "spoofchk", .type = YNL_PT_U8, },
	[SRIOV_A_TRUST] = { .name = "trust", .type = YNL_PT_U8, },
	[SRIOV_A_LINK_STATE] = { .name = "link-state", .type = YNL_PT_U32, },
	[SRIOV_A_VF_PCI_ADDR] = { .name = "vf-pci-addr", .type = YNL_PT_NUL_STR, },
	[SRIOV_A_MBX_CTS] = { .name = "mbx-cts", .type = YNL_PT_U8, },
	[SRIOV_A_VPORT_ID] = { .name = "vport-id", .type = YNL_PT_U32, },
	[SRIOV_A_VPORT_OWNER] = { .name = "vport-owner", .type = YNL_PT_U32, },
	[SRIOV_A_POOL] = { .name = "pool", .type = YNL_PT_U32, },
	[SRIOV_A_IS_DEFAULT] = { .name = "is-default", .type = YNL_PT_FLAG, },
	[SRIOV_A_NUM_FILTERS] = { .name = "num-filters", .type = YNL_PT_U32, },
	[SRIOV_A_FILTER_ID] = { .name = "filter-id", .type = YNL_PT_U32, },
	[SRIOV_A_FILTER_TYPE] = { .name = "filter-type", .type = YNL_PT_U32, },
	[SRIOV_A_FILTER_ORIGIN] = { .name = "filter-origin", .type = YNL_PT_U32, },
	[SRIOV_A_HW_INDEX] = { .name = "hw-index", .type = YNL_PT_U32, },
	[SRIOV_A_SRC_VPORT_ID] = { .name = "src-vport-id", .type = YNL_PT_U32, },
	[SRIOV_A_FILTER_IDS] = { .name = "filter-ids", .type = YNL_PT_U32, },
	[SRIOV_A_TIMESTAMP_NS] = { .name = "timestamp-ns", .type = YNL_PT_U64, },
	[SRIOV_A_CFG_OFFSET] = { .name = "cfg-offset", .type = YNL_PT_U32, },
	[SRIOV_A_CFG_LEN] = { .name = "cfg-len", .type = YNL_PT_U32, },
	[SRIOV_A_CFG_VALUE] = { .name = "cfg-value", .type = YNL_PT_U32, },
	[SRIOV_A_CFG_DATA] = { .name = "cfg-data", .type = YNL_PT_BINARY,},
	[SRIOV_A_RESET_REASON] = { .name = "reset-reason", .type = YNL_PT_U32, },
	[SRIOV_A_RX_PACKETS] = { .name = "rx-packets", .type = YNL_PT_U64, },
	[SRIOV_A_RX_BYTES] = { .name = "rx-bytes", .type = YNL_PT_U64, },
	[SRIOV_A_TX_PACKETS] = { .name = "tx-packets", .type = YNL_PT_U64, },
	[SRIOV_A_TX_BYTES] = { .name = "tx-bytes", .type = YNL_PT_U64, },
	[SRIOV_A_RX_MULTICAST] = { .name = "rx-multicast", .type = YNL_PT_U64, },
	[SRIOV_A_MBX_RX] = { .name = "mbx-rx", .type = YNL_PT_U64, },
	[SRIOV_A_MBX_NACK] = { .name = "mbx-nack", .type = YNL_PT_U64, },
	[SRIOV_A_MBX_DROPPED] = { .name = "mbx-dropped", .type = YNL_PT_U64, },
	[SRIOV_A_FLR_COUNT] = { .name = "flr-count", .type = YNL_PT_U64, },
	[SRIOV_A_DEFAULT_MAC_FILTERS_MAX] = { .name = "default-mac-filters-max", .type = YNL_PT_U32, },
	[SRIOV_A_DEFAULT_MAC_FILTERS] = { .name = "default-mac-filters", .type = YNL_PT_U32, },
	[SRIOV_A_VPORT_STATE] = { .name = "vport-state", .type = YNL_PT_U32, },
	[SRIOV_A_VPORT_NAME] = { .name = "vport-name", .type = YNL_PT_NUL_STR, },
	[SRIOV_A_SWITCH_CAPS] = { .name = "switch-caps", .type = YNL_PT_U32, },
	[SRIOV_A_QUEUE_PAIRS_MAX] = { .name = "queue-pairs-max", .type = YNL_PT_U32, },
	[SRIOV_A_VPORT_QUEUE_PAIRS_MAX] = { .name = "vport-queue-pairs-max", .type = YNL_PT_U32, },
	[SRIOV_A_VF_VENDOR_ID] = { .name = "vf-vendor-id", .type = YNL_PT_U16, },
	[SRIOV_A_VF_DEVICE_ID] = { .name = "vf-device-id", .type = YNL_PT_U16, },
};

const struct ynl_policy_nest sriov_nest = {
	.max_attr = SRIOV_A_MAX,
	.table = sriov_policy,
};

/* Common nested types */
/* ============== SRIOV_CMD_SWITCH_GET ============== */
/* SRIOV_CMD_SWITCH_GET - do */
void sriov_switch_get_req_free(struct sriov_switch_get_req *req)
{
	free(req->pci_addr);
	free(req);
}

void sriov_switch_get_rsp_free(struct sriov_switch_get_rsp *rsp)
{
	free(rsp->pci_addr);
	free(rsp);
}

int sriov_switch_get_rsp_parse(const struct nlmsghdr *nlh,
			       struct ynl_parse_arg *yarg)
{
	struct sriov_switch_get_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_PCI_ADDR) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.pci_addr_len = len;
			dst->pci_addr = malloc(len + 1);
			memcpy(dst->pci_addr, ynl_attr_get_str(attr), len);
			dst->pci_addr[len] = 0;
		} else if (type == SRIOV_A_NUM_VFS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.num_vfs = 1;
			dst->num_vfs = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_TOTAL_VFS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.total_vfs = 1;
			dst->total_vfs = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAX_VPORTS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.max_vports = 1;
			dst->max_vports = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_NUM_VPORTS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.num_vports = 1;
			dst->num_vports = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAC_FILTERS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mac_filters_max = 1;
			dst->mac_filters_max = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAC_FILTERS_FREE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mac_filters_free = 1;
			dst->mac_filters_free = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VLAN_FILTERS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan_filters_max = 1;
			dst->vlan_filters_max = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VLAN_FILTERS_FREE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan_filters_free = 1;
			dst->vlan_filters_free = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_LINK_UP) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.link_up = 1;
			dst->link_up = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_DEFAULT_MAC_FILTERS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.default_mac_filters_max = 1;
			dst->default_mac_filters_max = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_DEFAULT_MAC_FILTERS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.default_mac_filters = 1;
			dst->default_mac_filters = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_SWITCH_CAPS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.switch_caps = 1;
			dst->switch_caps = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_QUEUE_PAIRS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.queue_pairs_max = 1;
			dst->queue_pairs_max = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_QUEUE_PAIRS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_queue_pairs_max = 1;
			dst->vport_queue_pairs_max = ynl_attr_get_u32(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_switch_get_rsp *
sriov_switch_get(struct ynl_sock *ys, struct sriov_switch_get_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_switch_get_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_SWITCH_GET, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_switch_get_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_SWITCH_GET;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_switch_get_rsp_free(rsp);
	return NULL;
}

/* SRIOV_CMD_SWITCH_GET - dump */
void sriov_switch_get_list_free(struct sriov_switch_get_list *rsp)
{
	struct sriov_switch_get_list *next = rsp;

	while ((void *)next != YNL_LIST_END) {
		rsp = next;
		next = rsp->next;

		free(rsp->obj.pci_addr);
		free(rsp);
	}
}

struct sriov_switch_get_list *sriov_switch_get_dump(struct ynl_sock *ys)
{
	struct ynl_dump_state yds = {};
	struct nlmsghdr *nlh;
	int err;

	yds.yarg.ys = ys;
	yds.yarg.rsp_policy = &sriov_nest;
	yds.yarg.data = NULL;
	yds.alloc_sz = sizeof(struct sriov_switch_get_list);
	yds.cb = sriov_switch_get_rsp_parse;
	yds.rsp_cmd = SRIOV_CMD_SWITCH_GET;

	nlh = ynl_gemsg_start_dump(ys, ys->family_id, SRIOV_CMD_SWITCH_GET, 1);

	err = ynl_exec_dump(ys, nlh, &yds);
	if (err < 0)
		goto free_list;

	return yds.first;

free_list:
	sriov_switch_get_list_free(yds.first);
	return NULL;
}

/* ============== SRIOV_CMD_VF_GET ============== */
/* SRIOV_CMD_VF_GET - do */
void sriov_vf_get_req_free(struct sriov_vf_get_req *req)
{
	free(req->pci_addr);
	free(req);
}

void sriov_vf_get_rsp_free(struct sriov_vf_get_rsp *rsp)
{
	free(rsp->mac);
	free(rsp->vf_pci_addr);
	free(rsp);
}

int sriov_vf_get_rsp_parse(const struct nlmsghdr *nlh,
			   struct ynl_parse_arg *yarg)
{
	struct sriov_vf_get_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_STATE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_state = 1;
			dst->vf_state = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_SERIAL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.serial = 1;
			dst->serial = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_MAC) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = ynl_attr_data_len(attr);
			dst->_present.mac_len = len;
			dst->mac = malloc(len);
			memcpy(dst->mac, ynl_attr_data(attr), len);
		} else if (type == SRIOV_A_VLAN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan = 1;
			dst->vlan = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_QOS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.qos = 1;
			dst->qos = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_SPOOFCHK) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.spoofchk = 1;
			dst->spoofchk = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_TRUST) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.trust = 1;
			dst->trust = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_LINK_STATE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.link_state = 1;
			dst->link_state = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_PCI_ADDR) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.vf_pci_addr_len = len;
			dst->vf_pci_addr = malloc(len + 1);
			memcpy(dst->vf_pci_addr, ynl_attr_get_str(attr), len);
			dst->vf_pci_addr[len] = 0;
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MBX_CTS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mbx_cts = 1;
			dst->mbx_cts = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_RX_PACKETS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.rx_packets = 1;
			dst->rx_packets = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_RX_BYTES) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.rx_bytes = 1;
			dst->rx_bytes = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_TX_PACKETS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.tx_packets = 1;
			dst->tx_packets = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_TX_BYTES) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.tx_bytes = 1;
			dst->tx_bytes = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_RX_MULTICAST) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.rx_multicast = 1;
			dst->rx_multicast = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_MBX_RX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mbx_rx = 1;
			dst->mbx_rx = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_MBX_NACK) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mbx_nack = 1;
			dst->mbx_nack = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_MBX_DROPPED) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mbx_dropped = 1;
			dst->mbx_dropped = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_FLR_COUNT) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.flr_count = 1;
			dst->flr_count = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_VF_VENDOR_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_vendor_id = 1;
			dst->vf_vendor_id = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_VF_DEVICE_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_device_id = 1;
			dst->vf_device_id = ynl_attr_get_u16(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_vf_get_rsp *
sriov_vf_get(struct ynl_sock *ys, struct sriov_vf_get_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_vf_get_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_VF_GET, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vf_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VF_ID, req->vf_id);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_vf_get_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_VF_GET;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_vf_get_rsp_free(rsp);
	return NULL;
}

/* SRIOV_CMD_VF_GET - dump */
void sriov_vf_get_req_dump_free(struct sriov_vf_get_req_dump *req)
{
	free(req->pci_addr);
	free(req);
}

void sriov_vf_get_list_free(struct sriov_vf_get_list *rsp)
{
	struct sriov_vf_get_list *next = rsp;

	while ((void *)next != YNL_LIST_END) {
		rsp = next;
		next = rsp->next;

		free(rsp->obj.mac);
		free(rsp->obj.vf_pci_addr);
		free(rsp);
	}
}

struct sriov_vf_get_list *
sriov_vf_get_dump(struct ynl_sock *ys, struct sriov_vf_get_req_dump *req)
{
	struct ynl_dump_state yds = {};
	struct nlmsghdr *nlh;
	int err;

	yds.yarg.ys = ys;
	yds.yarg.rsp_policy = &sriov_nest;
	yds.yarg.data = NULL;
	yds.alloc_sz = sizeof(struct sriov_vf_get_list);
	yds.cb = sriov_vf_get_rsp_parse;
	yds.rsp_cmd = SRIOV_CMD_VF_GET;

	nlh = ynl_gemsg_start_dump(ys, ys->family_id, SRIOV_CMD_VF_GET, 1);
	ys->req_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);

	err = ynl_exec_dump(ys, nlh, &yds);
	if (err < 0)
		goto free_list;

	return yds.first;

free_list:
	sriov_vf_get_list_free(yds.first);
	return NULL;
}

/* ============== SRIOV_CMD_VF_ALLOC ============== */
/* SRIOV_CMD_VF_ALLOC - do */
void sriov_vf_alloc_req_free(struct sriov_vf_alloc_req *req)
{
	free(req->pci_addr);
	free(req->mac);
	free(req);
}

void sriov_vf_alloc_rsp_free(struct sriov_vf_alloc_rsp *rsp)
{
	free(rsp->mac);
	free(rsp->vf_pci_addr);
	free(rsp);
}

int sriov_vf_alloc_rsp_parse(const struct nlmsghdr *nlh,
			     struct ynl_parse_arg *yarg)
{
	struct sriov_vf_alloc_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_STATE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_state = 1;
			dst->vf_state = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_SERIAL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.serial = 1;
			dst->serial = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_MAC) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = ynl_attr_data_len(attr);
			dst->_present.mac_len = len;
			dst->mac = malloc(len);
			memcpy(dst->mac, ynl_attr_data(attr), len);
		} else if (type == SRIOV_A_VLAN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan = 1;
			dst->vlan = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_QOS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.qos = 1;
			dst->qos = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_SPOOFCHK) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.spoofchk = 1;
			dst->spoofchk = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_TRUST) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.trust = 1;
			dst->trust = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_LINK_STATE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.link_state = 1;
			dst->link_state = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_PCI_ADDR) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.vf_pci_addr_len = len;
			dst->vf_pci_addr = malloc(len + 1);
			memcpy(dst->vf_pci_addr, ynl_attr_get_str(attr), len);
			dst->vf_pci_addr[len] = 0;
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MBX_CTS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mbx_cts = 1;
			dst->mbx_cts = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_RX_PACKETS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.rx_packets = 1;
			dst->rx_packets = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_RX_BYTES) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.rx_bytes = 1;
			dst->rx_bytes = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_TX_PACKETS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.tx_packets = 1;
			dst->tx_packets = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_TX_BYTES) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.tx_bytes = 1;
			dst->tx_bytes = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_RX_MULTICAST) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.rx_multicast = 1;
			dst->rx_multicast = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_MBX_RX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mbx_rx = 1;
			dst->mbx_rx = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_MBX_NACK) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mbx_nack = 1;
			dst->mbx_nack = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_MBX_DROPPED) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mbx_dropped = 1;
			dst->mbx_dropped = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_FLR_COUNT) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.flr_count = 1;
			dst->flr_count = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_VF_VENDOR_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_vendor_id = 1;
			dst->vf_vendor_id = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_VF_DEVICE_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_device_id = 1;
			dst->vf_device_id = ynl_attr_get_u16(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_vf_alloc_rsp *
sriov_vf_alloc(struct ynl_sock *ys, struct sriov_vf_alloc_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_vf_alloc_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_VF_ALLOC, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vf_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VF_ID, req->vf_id);
	if (req->_present.serial)
		ynl_attr_put_u64(nlh, SRIOV_A_SERIAL, req->serial);
	if (req->_present.mac_len)
		ynl_attr_put(nlh, SRIOV_A_MAC, req->mac, req->_present.mac_len);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_vf_alloc_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_VF_ALLOC;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_vf_alloc_rsp_free(rsp);
	return NULL;
}

/* ============== SRIOV_CMD_VF_FREE ============== */
/* SRIOV_CMD_VF_FREE - do */
void sriov_vf_free_req_free(struct sriov_vf_free_req *req)
{
	free(req->pci_addr);
	free(req);
}

int sriov_vf_free(struct ynl_sock *ys, struct sriov_vf_free_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_VF_FREE, 1);
	ys->req_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vf_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VF_ID, req->vf_id);

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		return -1;

	return 0;
}

/* ============== SRIOV_CMD_VF_RESET ============== */
/* SRIOV_CMD_VF_RESET - do */
void sriov_vf_reset_req_free(struct sriov_vf_reset_req *req)
{
	free(req->pci_addr);
	free(req);
}

int sriov_vf_reset(struct ynl_sock *ys, struct sriov_vf_reset_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_VF_RESET, 1);
	ys->req_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vf_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VF_ID, req->vf_id);

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		return -1;

	return 0;
}

/* ============== SRIOV_CMD_VPORT_GET ============== */
/* SRIOV_CMD_VPORT_GET - do */
void sriov_vport_get_req_free(struct sriov_vport_get_req *req)
{
	free(req->pci_addr);
	free(req);
}

void sriov_vport_get_rsp_free(struct sriov_vport_get_rsp *rsp)
{
	free(rsp->vport_name);
	free(rsp);
}

int sriov_vport_get_rsp_parse(const struct nlmsghdr *nlh,
			      struct ynl_parse_arg *yarg)
{
	struct sriov_vport_get_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_OWNER) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_owner = 1;
			dst->vport_owner = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_POOL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.pool = 1;
			dst->pool = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_IS_DEFAULT) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.is_default = 1;
		} else if (type == SRIOV_A_VLAN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan = 1;
			dst->vlan = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_QOS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.qos = 1;
			dst->qos = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_NUM_FILTERS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.num_filters = 1;
			dst->num_filters = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_STATE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_state = 1;
			dst->vport_state = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_NAME) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.vport_name_len = len;
			dst->vport_name = malloc(len + 1);
			memcpy(dst->vport_name, ynl_attr_get_str(attr), len);
			dst->vport_name[len] = 0;
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_vport_get_rsp *
sriov_vport_get(struct ynl_sock *ys, struct sriov_vport_get_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_vport_get_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_VPORT_GET, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vport_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VPORT_ID, req->vport_id);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_vport_get_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_VPORT_GET;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_vport_get_rsp_free(rsp);
	return NULL;
}

/* SRIOV_CMD_VPORT_GET - dump */
void sriov_vport_get_req_dump_free(struct sriov_vport_get_req_dump *req)
{
	free(req->pci_addr);
	free(req);
}

void sriov_vport_get_list_free(struct sriov_vport_get_list *rsp)
{
	struct sriov_vport_get_list *next = rsp;

	while ((void *)next != YNL_LIST_END) {
		rsp = next;
		next = rsp->next;

		free(rsp->obj.vport_name);
		free(rsp);
	}
}

struct sriov_vport_get_list *
sriov_vport_get_dump(struct ynl_sock *ys, struct sriov_vport_get_req_dump *req)
{
	struct ynl_dump_state yds = {};
	struct nlmsghdr *nlh;
	int err;

	yds.yarg.ys = ys;
	yds.yarg.rsp_policy = &sriov_nest;
	yds.yarg.data = NULL;
	yds.alloc_sz = sizeof(struct sriov_vport_get_list);
	yds.cb = sriov_vport_get_rsp_parse;
	yds.rsp_cmd = SRIOV_CMD_VPORT_GET;

	nlh = ynl_gemsg_start_dump(ys, ys->family_id, SRIOV_CMD_VPORT_GET, 1);
	ys->req_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);

	err = ynl_exec_dump(ys, nlh, &yds);
	if (err < 0)
		goto free_list;

	return yds.first;

free_list:
	sriov_vport_get_list_free(yds.first);
	return NULL;
}

/* ============== SRIOV_CMD_VPORT_NEW ============== */
/* SRIOV_CMD_VPORT_NEW - do */
void sriov_vport_new_req_free(struct sriov_vport_new_req *req)
{
	free(req->pci_addr);
	free(req->vport_name);
	free(req);
}

void sriov_vport_new_rsp_free(struct sriov_vport_new_rsp *rsp)
{
	free(rsp->vport_name);
	free(rsp);
}

int sriov_vport_new_rsp_parse(const struct nlmsghdr *nlh,
			      struct ynl_parse_arg *yarg)
{
	struct sriov_vport_new_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_OWNER) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_owner = 1;
			dst->vport_owner = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_POOL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.pool = 1;
			dst->pool = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_IS_DEFAULT) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.is_default = 1;
		} else if (type == SRIOV_A_VLAN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan = 1;
			dst->vlan = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_QOS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.qos = 1;
			dst->qos = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_NUM_FILTERS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.num_filters = 1;
			dst->num_filters = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_STATE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_state = 1;
			dst->vport_state = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_NAME) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.vport_name_len = len;
			dst->vport_name = malloc(len + 1);
			memcpy(dst->vport_name, ynl_attr_get_str(attr), len);
			dst->vport_name[len] = 0;
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_vport_new_rsp *
sriov_vport_new(struct ynl_sock *ys, struct sriov_vport_new_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_vport_new_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_VPORT_NEW, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vf_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VF_ID, req->vf_id);
	if (req->_present.vlan)
		ynl_attr_put_u16(nlh, SRIOV_A_VLAN, req->vlan);
	if (req->_present.qos)
		ynl_attr_put_u8(nlh, SRIOV_A_QOS, req->qos);
	if (req->_present.vport_name_len)
		ynl_attr_put_str(nlh, SRIOV_A_VPORT_NAME, req->vport_name);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_vport_new_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_VPORT_NEW;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_vport_new_rsp_free(rsp);
	return NULL;
}

/* ============== SRIOV_CMD_VPORT_DEL ============== */
/* SRIOV_CMD_VPORT_DEL - do */
void sriov_vport_del_req_free(struct sriov_vport_del_req *req)
{
	free(req->pci_addr);
	free(req);
}

int sriov_vport_del(struct ynl_sock *ys, struct sriov_vport_del_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_VPORT_DEL, 1);
	ys->req_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vport_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VPORT_ID, req->vport_id);

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		return -1;

	return 0;
}

/* ============== SRIOV_CMD_VPORT_SET ============== */
/* SRIOV_CMD_VPORT_SET - do */
void sriov_vport_set_req_free(struct sriov_vport_set_req *req)
{
	free(req->pci_addr);
	free(req->vport_name);
	free(req);
}

void sriov_vport_set_rsp_free(struct sriov_vport_set_rsp *rsp)
{
	free(rsp->vport_name);
	free(rsp);
}

int sriov_vport_set_rsp_parse(const struct nlmsghdr *nlh,
			      struct ynl_parse_arg *yarg)
{
	struct sriov_vport_set_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_OWNER) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_owner = 1;
			dst->vport_owner = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_POOL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.pool = 1;
			dst->pool = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_IS_DEFAULT) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.is_default = 1;
		} else if (type == SRIOV_A_VLAN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan = 1;
			dst->vlan = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_QOS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.qos = 1;
			dst->qos = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_NUM_FILTERS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.num_filters = 1;
			dst->num_filters = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_STATE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_state = 1;
			dst->vport_state = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_NAME) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.vport_name_len = len;
			dst->vport_name = malloc(len + 1);
			memcpy(dst->vport_name, ynl_attr_get_str(attr), len);
			dst->vport_name[len] = 0;
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_vport_set_rsp *
sriov_vport_set(struct ynl_sock *ys, struct sriov_vport_set_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_vport_set_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_VPORT_SET, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vport_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VPORT_ID, req->vport_id);
	if (req->_present.vlan)
		ynl_attr_put_u16(nlh, SRIOV_A_VLAN, req->vlan);
	if (req->_present.qos)
		ynl_attr_put_u8(nlh, SRIOV_A_QOS, req->qos);
	if (req->_present.vport_state)
		ynl_attr_put_u32(nlh, SRIOV_A_VPORT_STATE, req->vport_state);
	if (req->_present.vport_name_len)
		ynl_attr_put_str(nlh, SRIOV_A_VPORT_NAME, req->vport_name);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_vport_set_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_VPORT_SET;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_vport_set_rsp_free(rsp);
	return NULL;
}

/* ============== SRIOV_CMD_FILTER_GET ============== */
/* SRIOV_CMD_FILTER_GET - do */
void sriov_filter_get_req_free(struct sriov_filter_get_req *req)
{
	free(req->pci_addr);
	free(req);
}

void sriov_filter_get_rsp_free(struct sriov_filter_get_rsp *rsp)
{
	free(rsp->mac);
	free(rsp);
}

int sriov_filter_get_rsp_parse(const struct nlmsghdr *nlh,
			       struct ynl_parse_arg *yarg)
{
	struct sriov_filter_get_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.filter_id = 1;
			dst->filter_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_TYPE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.filter_type = 1;
			dst->filter_type = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_ORIGIN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.filter_origin = 1;
			dst->filter_origin = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAC) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = ynl_attr_data_len(attr);
			dst->_present.mac_len = len;
			dst->mac = malloc(len);
			memcpy(dst->mac, ynl_attr_data(attr), len);
		} else if (type == SRIOV_A_VLAN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan = 1;
			dst->vlan = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_HW_INDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.hw_index = 1;
			dst->hw_index = ynl_attr_get_u32(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_filter_get_rsp *
sriov_filter_get(struct ynl_sock *ys, struct sriov_filter_get_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_filter_get_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_FILTER_GET, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.filter_id)
		ynl_attr_put_u32(nlh, SRIOV_A_FILTER_ID, req->filter_id);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_filter_get_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_FILTER_GET;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_filter_get_rsp_free(rsp);
	return NULL;
}

/* SRIOV_CMD_FILTER_GET - dump */
void sriov_filter_get_req_dump_free(struct sriov_filter_get_req_dump *req)
{
	free(req->pci_addr);
	free(req);
}

void sriov_filter_get_list_free(struct sriov_filter_get_list *rsp)
{
	struct sriov_filter_get_list *next = rsp;

	while ((void *)next != YNL_LIST_END) {
		rsp = next;
		next = rsp->next;

		free(rsp->obj.mac);
		free(rsp);
	}
}

struct sriov_filter_get_list *
sriov_filter_get_dump(struct ynl_sock *ys,
		      struct sriov_filter_get_req_dump *req)
{
	struct ynl_dump_state yds = {};
	struct nlmsghdr *nlh;
	int err;

	yds.yarg.ys = ys;
	yds.yarg.rsp_policy = &sriov_nest;
	yds.yarg.data = NULL;
	yds.alloc_sz = sizeof(struct sriov_filter_get_list);
	yds.cb = sriov_filter_get_rsp_parse;
	yds.rsp_cmd = SRIOV_CMD_FILTER_GET;

	nlh = ynl_gemsg_start_dump(ys, ys->family_id, SRIOV_CMD_FILTER_GET, 1);
	ys->req_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vport_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VPORT_ID, req->vport_id);

	err = ynl_exec_dump(ys, nlh, &yds);
	if (err < 0)
		goto free_list;

	return yds.first;

free_list:
	sriov_filter_get_list_free(yds.first);
	return NULL;
}

/* ============== SRIOV_CMD_FILTER_ADD ============== */
/* SRIOV_CMD_FILTER_ADD - do */
void sriov_filter_add_req_free(struct sriov_filter_add_req *req)
{
	free(req->pci_addr);
	free(req->mac);
	free(req);
}

void sriov_filter_add_rsp_free(struct sriov_filter_add_rsp *rsp)
{
	free(rsp->mac);
	free(rsp);
}

int sriov_filter_add_rsp_parse(const struct nlmsghdr *nlh,
			       struct ynl_parse_arg *yarg)
{
	struct sriov_filter_add_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.filter_id = 1;
			dst->filter_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_TYPE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.filter_type = 1;
			dst->filter_type = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_ORIGIN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.filter_origin = 1;
			dst->filter_origin = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAC) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = ynl_attr_data_len(attr);
			dst->_present.mac_len = len;
			dst->mac = malloc(len);
			memcpy(dst->mac, ynl_attr_data(attr), len);
		} else if (type == SRIOV_A_VLAN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan = 1;
			dst->vlan = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_HW_INDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.hw_index = 1;
			dst->hw_index = ynl_attr_get_u32(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_filter_add_rsp *
sriov_filter_add(struct ynl_sock *ys, struct sriov_filter_add_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_filter_add_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_FILTER_ADD, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vport_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VPORT_ID, req->vport_id);
	if (req->_present.mac_len)
		ynl_attr_put(nlh, SRIOV_A_MAC, req->mac, req->_present.mac_len);
	if (req->_present.vlan)
		ynl_attr_put_u16(nlh, SRIOV_A_VLAN, req->vlan);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_filter_add_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_FILTER_ADD;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_filter_add_rsp_free(rsp);
	return NULL;
}

/* ============== SRIOV_CMD_FILTER_DEL ============== */
/* SRIOV_CMD_FILTER_DEL - do */
void sriov_filter_del_req_free(struct sriov_filter_del_req *req)
{
	free(req->pci_addr);
	free(req);
}

int sriov_filter_del(struct ynl_sock *ys, struct sriov_filter_del_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_FILTER_DEL, 1);
	ys->req_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.filter_id)
		ynl_attr_put_u32(nlh, SRIOV_A_FILTER_ID, req->filter_id);

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		return -1;

	return 0;
}

/* ============== SRIOV_CMD_FILTER_MOVE ============== */
/* SRIOV_CMD_FILTER_MOVE - do */
void sriov_filter_move_req_free(struct sriov_filter_move_req *req)
{
	free(req->pci_addr);
	free(req->filter_ids);
	free(req);
}

void sriov_filter_move_rsp_free(struct sriov_filter_move_rsp *rsp)
{
	free(rsp->filter_ids);
	free(rsp);
}

int sriov_filter_move_rsp_parse(const struct nlmsghdr *nlh,
				struct ynl_parse_arg *yarg)
{
	struct sriov_filter_move_rsp *dst;
	unsigned int n_filter_ids = 0;
	const struct nlattr *attr;
	int i;

	dst = yarg->data;

	if (dst->filter_ids)
		return ynl_error_parse(yarg, "attribute already present (sriov.filter-ids)");

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_SRC_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.src_vport_id = 1;
			dst->src_vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_IDS) {
			n_filter_ids++;
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	if (n_filter_ids) {
		dst->filter_ids = calloc(n_filter_ids, sizeof(*dst->filter_ids));
		dst->n_filter_ids = n_filter_ids;
		i = 0;
		ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
			if (ynl_attr_type(attr) == SRIOV_A_FILTER_IDS) {
				dst->filter_ids[i] = ynl_attr_get_u32(attr);
				i++;
			}
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_filter_move_rsp *
sriov_filter_move(struct ynl_sock *ys, struct sriov_filter_move_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_filter_move_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_FILTER_MOVE, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.src_vport_id)
		ynl_attr_put_u32(nlh, SRIOV_A_SRC_VPORT_ID, req->src_vport_id);
	if (req->_present.vport_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VPORT_ID, req->vport_id);
	for (unsigned int i = 0; i < req->n_filter_ids; i++)
		ynl_attr_put_u32(nlh, SRIOV_A_FILTER_IDS, req->filter_ids[i]);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_filter_move_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_FILTER_MOVE;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_filter_move_rsp_free(rsp);
	return NULL;
}

/* ============== SRIOV_CMD_CFG_READ ============== */
/* SRIOV_CMD_CFG_READ - do */
void sriov_cfg_read_req_free(struct sriov_cfg_read_req *req)
{
	free(req->pci_addr);
	free(req);
}

void sriov_cfg_read_rsp_free(struct sriov_cfg_read_rsp *rsp)
{
	free(rsp->cfg_data);
	free(rsp);
}

int sriov_cfg_read_rsp_parse(const struct nlmsghdr *nlh,
			     struct ynl_parse_arg *yarg)
{
	struct sriov_cfg_read_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_CFG_OFFSET) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.cfg_offset = 1;
			dst->cfg_offset = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_CFG_LEN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.cfg_len = 1;
			dst->cfg_len = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_CFG_DATA) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = ynl_attr_data_len(attr);
			dst->_present.cfg_data_len = len;
			dst->cfg_data = malloc(len);
			memcpy(dst->cfg_data, ynl_attr_data(attr), len);
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_cfg_read_rsp *
sriov_cfg_read(struct ynl_sock *ys, struct sriov_cfg_read_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_cfg_read_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_CFG_READ, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vf_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VF_ID, req->vf_id);
	if (req->_present.cfg_offset)
		ynl_attr_put_u32(nlh, SRIOV_A_CFG_OFFSET, req->cfg_offset);
	if (req->_present.cfg_len)
		ynl_attr_put_u32(nlh, SRIOV_A_CFG_LEN, req->cfg_len);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_cfg_read_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_CFG_READ;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_cfg_read_rsp_free(rsp);
	return NULL;
}

/* ============== SRIOV_CMD_CFG_WRITE ============== */
/* SRIOV_CMD_CFG_WRITE - do */
void sriov_cfg_write_req_free(struct sriov_cfg_write_req *req)
{
	free(req->pci_addr);
	free(req);
}

int sriov_cfg_write(struct ynl_sock *ys, struct sriov_cfg_write_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_CFG_WRITE, 1);
	ys->req_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.vf_id)
		ynl_attr_put_u32(nlh, SRIOV_A_VF_ID, req->vf_id);
	if (req->_present.cfg_offset)
		ynl_attr_put_u32(nlh, SRIOV_A_CFG_OFFSET, req->cfg_offset);
	if (req->_present.cfg_len)
		ynl_attr_put_u32(nlh, SRIOV_A_CFG_LEN, req->cfg_len);
	if (req->_present.cfg_value)
		ynl_attr_put_u32(nlh, SRIOV_A_CFG_VALUE, req->cfg_value);

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		return -1;

	return 0;
}

/* ============== SRIOV_CMD_SWITCH_NEW ============== */
/* SRIOV_CMD_SWITCH_NEW - do */
void sriov_switch_new_req_free(struct sriov_switch_new_req *req)
{
	free(req->pci_addr);
	free(req);
}

void sriov_switch_new_rsp_free(struct sriov_switch_new_rsp *rsp)
{
	free(rsp->pci_addr);
	free(rsp);
}

int sriov_switch_new_rsp_parse(const struct nlmsghdr *nlh,
			       struct ynl_parse_arg *yarg)
{
	struct sriov_switch_new_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_PCI_ADDR) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.pci_addr_len = len;
			dst->pci_addr = malloc(len + 1);
			memcpy(dst->pci_addr, ynl_attr_get_str(attr), len);
			dst->pci_addr[len] = 0;
		} else if (type == SRIOV_A_NUM_VFS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.num_vfs = 1;
			dst->num_vfs = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_TOTAL_VFS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.total_vfs = 1;
			dst->total_vfs = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAX_VPORTS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.max_vports = 1;
			dst->max_vports = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_NUM_VPORTS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.num_vports = 1;
			dst->num_vports = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAC_FILTERS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mac_filters_max = 1;
			dst->mac_filters_max = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAC_FILTERS_FREE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mac_filters_free = 1;
			dst->mac_filters_free = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VLAN_FILTERS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan_filters_max = 1;
			dst->vlan_filters_max = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VLAN_FILTERS_FREE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan_filters_free = 1;
			dst->vlan_filters_free = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_LINK_UP) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.link_up = 1;
			dst->link_up = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_DEFAULT_MAC_FILTERS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.default_mac_filters_max = 1;
			dst->default_mac_filters_max = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_DEFAULT_MAC_FILTERS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.default_mac_filters = 1;
			dst->default_mac_filters = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_SWITCH_CAPS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.switch_caps = 1;
			dst->switch_caps = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_QUEUE_PAIRS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.queue_pairs_max = 1;
			dst->queue_pairs_max = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_QUEUE_PAIRS_MAX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_queue_pairs_max = 1;
			dst->vport_queue_pairs_max = ynl_attr_get_u32(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

struct sriov_switch_new_rsp *
sriov_switch_new(struct ynl_sock *ys, struct sriov_switch_new_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct sriov_switch_new_rsp *rsp;
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_SWITCH_NEW, 1);
	ys->req_policy = &sriov_nest;
	yrs.yarg.rsp_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);
	if (req->_present.num_vfs)
		ynl_attr_put_u32(nlh, SRIOV_A_NUM_VFS, req->num_vfs);

	rsp = calloc(1, sizeof(*rsp));
	yrs.yarg.data = rsp;
	yrs.cb = sriov_switch_new_rsp_parse;
	yrs.rsp_cmd = SRIOV_CMD_SWITCH_NEW;

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		goto err_free;

	return rsp;

err_free:
	sriov_switch_new_rsp_free(rsp);
	return NULL;
}

/* ============== SRIOV_CMD_SWITCH_DEL ============== */
/* SRIOV_CMD_SWITCH_DEL - do */
void sriov_switch_del_req_free(struct sriov_switch_del_req *req)
{
	free(req->pci_addr);
	free(req);
}

int sriov_switch_del(struct ynl_sock *ys, struct sriov_switch_del_req *req)
{
	struct ynl_req_state yrs = { .yarg = { .ys = ys, }, };
	struct nlmsghdr *nlh;
	int err;

	nlh = ynl_gemsg_start_req(ys, ys->family_id, SRIOV_CMD_SWITCH_DEL, 1);
	ys->req_policy = &sriov_nest;

	if (req->_present.ifindex)
		ynl_attr_put_u32(nlh, SRIOV_A_IFINDEX, req->ifindex);
	if (req->_present.pci_addr_len)
		ynl_attr_put_str(nlh, SRIOV_A_PCI_ADDR, req->pci_addr);

	err = ynl_exec(ys, nlh, &yrs);
	if (err < 0)
		return -1;

	return 0;
}

/* SRIOV_CMD_SWITCH_CHANGE_NTF - event */
int sriov_switch_change_ntf_rsp_parse(const struct nlmsghdr *nlh,
				      struct ynl_parse_arg *yarg)
{
	struct sriov_switch_change_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_PCI_ADDR) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.pci_addr_len = len;
			dst->pci_addr = malloc(len + 1);
			memcpy(dst->pci_addr, ynl_attr_get_str(attr), len);
			dst->pci_addr[len] = 0;
		} else if (type == SRIOV_A_NUM_VFS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.num_vfs = 1;
			dst->num_vfs = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_switch_change_ntf_free(struct sriov_switch_change_ntf *rsp)
{
	free(rsp->obj.pci_addr);
	free(rsp);
}

/* SRIOV_CMD_VF_ALLOCATED_NTF - event */
int sriov_vf_allocated_ntf_rsp_parse(const struct nlmsghdr *nlh,
				     struct ynl_parse_arg *yarg)
{
	struct sriov_vf_allocated_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_SERIAL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.serial = 1;
			dst->serial = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_MAC) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = ynl_attr_data_len(attr);
			dst->_present.mac_len = len;
			dst->mac = malloc(len);
			memcpy(dst->mac, ynl_attr_data(attr), len);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_vf_allocated_ntf_free(struct sriov_vf_allocated_ntf *rsp)
{
	free(rsp->obj.mac);
	free(rsp);
}

/* SRIOV_CMD_VF_FREED_NTF - event */
int sriov_vf_freed_ntf_rsp_parse(const struct nlmsghdr *nlh,
				 struct ynl_parse_arg *yarg)
{
	struct sriov_vf_freed_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_SERIAL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.serial = 1;
			dst->serial = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_vf_freed_ntf_free(struct sriov_vf_freed_ntf *rsp)
{
	free(rsp);
}

/* SRIOV_CMD_VF_RESET_NTF - event */
int sriov_vf_reset_ntf_rsp_parse(const struct nlmsghdr *nlh,
				 struct ynl_parse_arg *yarg)
{
	struct sriov_vf_reset_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_RESET_REASON) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.reset_reason = 1;
			dst->reset_reason = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_vf_reset_ntf_free(struct sriov_vf_reset_ntf *rsp)
{
	free(rsp);
}

/* SRIOV_CMD_VF_FLR_NTF - event */
int sriov_vf_flr_ntf_rsp_parse(const struct nlmsghdr *nlh,
			       struct ynl_parse_arg *yarg)
{
	struct sriov_vf_flr_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_RESET_REASON) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.reset_reason = 1;
			dst->reset_reason = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_vf_flr_ntf_free(struct sriov_vf_flr_ntf *rsp)
{
	free(rsp);
}

/* SRIOV_CMD_VF_RESET_REQUEST_NTF - event */
int sriov_vf_reset_request_ntf_rsp_parse(const struct nlmsghdr *nlh,
					 struct ynl_parse_arg *yarg)
{
	struct sriov_vf_reset_request_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAC) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = ynl_attr_data_len(attr);
			dst->_present.mac_len = len;
			dst->mac = malloc(len);
			memcpy(dst->mac, ynl_attr_data(attr), len);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_vf_reset_request_ntf_free(struct sriov_vf_reset_request_ntf *rsp)
{
	free(rsp->obj.mac);
	free(rsp);
}

/* SRIOV_CMD_VF_MBX_THROTTLED_NTF - event */
int sriov_vf_mbx_throttled_ntf_rsp_parse(const struct nlmsghdr *nlh,
					 struct ynl_parse_arg *yarg)
{
	struct sriov_vf_mbx_throttled_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MBX_DROPPED) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.mbx_dropped = 1;
			dst->mbx_dropped = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_vf_mbx_throttled_ntf_free(struct sriov_vf_mbx_throttled_ntf *rsp)
{
	free(rsp);
}

/* SRIOV_CMD_VPORT_CREATED_NTF - event */
int sriov_vport_created_ntf_rsp_parse(const struct nlmsghdr *nlh,
				      struct ynl_parse_arg *yarg)
{
	struct sriov_vport_created_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_OWNER) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_owner = 1;
			dst->vport_owner = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_POOL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.pool = 1;
			dst->pool = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_NAME) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.vport_name_len = len;
			dst->vport_name = malloc(len + 1);
			memcpy(dst->vport_name, ynl_attr_get_str(attr), len);
			dst->vport_name[len] = 0;
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_vport_created_ntf_free(struct sriov_vport_created_ntf *rsp)
{
	free(rsp->obj.vport_name);
	free(rsp);
}

/* SRIOV_CMD_VPORT_CHANGED_NTF - event */
int sriov_vport_changed_ntf_rsp_parse(const struct nlmsghdr *nlh,
				      struct ynl_parse_arg *yarg)
{
	struct sriov_vport_changed_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_OWNER) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_owner = 1;
			dst->vport_owner = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_POOL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.pool = 1;
			dst->pool = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_NAME) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.vport_name_len = len;
			dst->vport_name = malloc(len + 1);
			memcpy(dst->vport_name, ynl_attr_get_str(attr), len);
			dst->vport_name[len] = 0;
		} else if (type == SRIOV_A_VLAN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan = 1;
			dst->vlan = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_QOS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.qos = 1;
			dst->qos = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_VPORT_STATE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_state = 1;
			dst->vport_state = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_vport_changed_ntf_free(struct sriov_vport_changed_ntf *rsp)
{
	free(rsp->obj.vport_name);
	free(rsp);
}

/* SRIOV_CMD_VPORT_DELETED_NTF - event */
int sriov_vport_deleted_ntf_rsp_parse(const struct nlmsghdr *nlh,
				      struct ynl_parse_arg *yarg)
{
	struct sriov_vport_deleted_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_OWNER) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_owner = 1;
			dst->vport_owner = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_POOL) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.pool = 1;
			dst->pool = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_NAME) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = strnlen(ynl_attr_get_str(attr), ynl_attr_data_len(attr));
			dst->_present.vport_name_len = len;
			dst->vport_name = malloc(len + 1);
			memcpy(dst->vport_name, ynl_attr_get_str(attr), len);
			dst->vport_name[len] = 0;
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_vport_deleted_ntf_free(struct sriov_vport_deleted_ntf *rsp)
{
	free(rsp->obj.vport_name);
	free(rsp);
}

/* SRIOV_CMD_FILTER_MOVED_NTF - event */
int sriov_filter_moved_ntf_rsp_parse(const struct nlmsghdr *nlh,
				     struct ynl_parse_arg *yarg)
{
	struct sriov_filter_moved_ntf_rsp *dst;
	unsigned int n_filter_ids = 0;
	const struct nlattr *attr;
	int i;

	dst = yarg->data;

	if (dst->filter_ids)
		return ynl_error_parse(yarg, "attribute already present (sriov.filter-ids)");

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_SRC_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.src_vport_id = 1;
			dst->src_vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_IDS) {
			n_filter_ids++;
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		} else if (type == SRIOV_A_RESET_REASON) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.reset_reason = 1;
			dst->reset_reason = ynl_attr_get_u32(attr);
		}
	}

	if (n_filter_ids) {
		dst->filter_ids = calloc(n_filter_ids, sizeof(*dst->filter_ids));
		dst->n_filter_ids = n_filter_ids;
		i = 0;
		ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
			if (ynl_attr_type(attr) == SRIOV_A_FILTER_IDS) {
				dst->filter_ids[i] = ynl_attr_get_u32(attr);
				i++;
			}
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_filter_moved_ntf_free(struct sriov_filter_moved_ntf *rsp)
{
	free(rsp->obj.filter_ids);
	free(rsp);
}

/* SRIOV_CMD_LINK_CHANGE_NTF - event */
int sriov_link_change_ntf_rsp_parse(const struct nlmsghdr *nlh,
				    struct ynl_parse_arg *yarg)
{
	struct sriov_link_change_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_LINK_UP) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.link_up = 1;
			dst->link_up = ynl_attr_get_u8(attr);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_link_change_ntf_free(struct sriov_link_change_ntf *rsp)
{
	free(rsp);
}

/* SRIOV_CMD_CFG_WRITE_NTF - event */
int sriov_cfg_write_ntf_rsp_parse(const struct nlmsghdr *nlh,
				  struct ynl_parse_arg *yarg)
{
	struct sriov_cfg_write_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VF_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vf_id = 1;
			dst->vf_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_CFG_OFFSET) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.cfg_offset = 1;
			dst->cfg_offset = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_CFG_LEN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.cfg_len = 1;
			dst->cfg_len = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_CFG_VALUE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.cfg_value = 1;
			dst->cfg_value = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_cfg_write_ntf_free(struct sriov_cfg_write_ntf *rsp)
{
	free(rsp);
}

/* SRIOV_CMD_FILTER_DELETED_NTF - event */
int sriov_filter_deleted_ntf_rsp_parse(const struct nlmsghdr *nlh,
				       struct ynl_parse_arg *yarg)
{
	struct sriov_filter_deleted_ntf_rsp *dst;
	const struct nlattr *attr;

	dst = yarg->data;

	ynl_attr_for_each(attr, nlh, yarg->ys->family->hdr_len) {
		unsigned int type = ynl_attr_type(attr);

		if (type == SRIOV_A_IFINDEX) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.ifindex = 1;
			dst->ifindex = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.filter_id = 1;
			dst->filter_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_TYPE) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.filter_type = 1;
			dst->filter_type = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_FILTER_ORIGIN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.filter_origin = 1;
			dst->filter_origin = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_VPORT_ID) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vport_id = 1;
			dst->vport_id = ynl_attr_get_u32(attr);
		} else if (type == SRIOV_A_MAC) {
			unsigned int len;

			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;

			len = ynl_attr_data_len(attr);
			dst->_present.mac_len = len;
			dst->mac = malloc(len);
			memcpy(dst->mac, ynl_attr_data(attr), len);
		} else if (type == SRIOV_A_VLAN) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.vlan = 1;
			dst->vlan = ynl_attr_get_u16(attr);
		} else if (type == SRIOV_A_TIMESTAMP_NS) {
			if (ynl_attr_validate(yarg, attr))
				return YNL_PARSE_CB_ERROR;
			dst->_present.timestamp_ns = 1;
			dst->timestamp_ns = ynl_attr_get_u64(attr);
		}
	}

	return YNL_PARSE_CB_OK;
}

void sriov_filter_deleted_ntf_free(struct sriov_filter_deleted_ntf *rsp)
{
	free(rsp->obj.mac);
	free(rsp);
}

static const struct ynl_ntf_info sriov_ntf_info[] =  {
	[SRIOV_CMD_SWITCH_CHANGE_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_switch_change_ntf),
		.cb		= sriov_switch_change_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_switch_change_ntf_free,
	},
	[SRIOV_CMD_VF_ALLOCATED_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_vf_allocated_ntf),
		.cb		= sriov_vf_allocated_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_vf_allocated_ntf_free,
	},
	[SRIOV_CMD_VF_FREED_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_vf_freed_ntf),
		.cb		= sriov_vf_freed_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_vf_freed_ntf_free,
	},
	[SRIOV_CMD_VF_RESET_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_vf_reset_ntf),
		.cb		= sriov_vf_reset_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_vf_reset_ntf_free,
	},
	[SRIOV_CMD_VF_FLR_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_vf_flr_ntf),
		.cb		= sriov_vf_flr_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_vf_flr_ntf_free,
	},
	[SRIOV_CMD_VF_RESET_REQUEST_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_vf_reset_request_ntf),
		.cb		= sriov_vf_reset_request_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_vf_reset_request_ntf_free,
	},
	[SRIOV_CMD_VF_MBX_THROTTLED_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_vf_mbx_throttled_ntf),
		.cb		= sriov_vf_mbx_throttled_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_vf_mbx_throttled_ntf_free,
	},
	[SRIOV_CMD_VPORT_CREATED_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_vport_created_ntf),
		.cb		= sriov_vport_created_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_vport_created_ntf_free,
	},
	[SRIOV_CMD_VPORT_CHANGED_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_vport_changed_ntf),
		.cb		= sriov_vport_changed_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_vport_changed_ntf_free,
	},
	[SRIOV_CMD_VPORT_DELETED_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_vport_deleted_ntf),
		.cb		= sriov_vport_deleted_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_vport_deleted_ntf_free,
	},
	[SRIOV_CMD_FILTER_MOVED_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_filter_moved_ntf),
		.cb		= sriov_filter_moved_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_filter_moved_ntf_free,
	},
	[SRIOV_CMD_LINK_CHANGE_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_link_change_ntf),
		.cb		= sriov_link_change_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_link_change_ntf_free,
	},
	[SRIOV_CMD_CFG_WRITE_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_cfg_write_ntf),
		.cb		= sriov_cfg_write_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_cfg_write_ntf_free,
	},
	[SRIOV_CMD_FILTER_DELETED_NTF] =  {
		.alloc_sz	= sizeof(struct sriov_filter_deleted_ntf),
		.cb		= sriov_filter_deleted_ntf_rsp_parse,
		.policy		= &sriov_nest,
		.free		= (void *)sriov_filter_deleted_ntf_free,
	},
};

const struct ynl_family ynl_sriov_family =  {
	.name		= "sriov",
	.hdr_len	= sizeof(struct genlmsghdr),
	.ntf_info	= sriov_ntf_info,
	.ntf_info_size	= YNL_ARRAY_SIZE(sriov_ntf_info),
};
