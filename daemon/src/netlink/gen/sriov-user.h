/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sriov.yaml */
/* YNL-GEN user header */

#ifndef _LINUX_SRIOV_GEN_H
#define _LINUX_SRIOV_GEN_H

#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <linux/sriov.h>

struct ynl_sock;

extern const struct ynl_family ynl_sriov_family;

/* Enums */
const char *sriov_op_str(int op);
const char *sriov_vf_state_str(enum sriov_vf_state value);
const char *sriov_vport_owner_str(enum sriov_vport_owner value);
const char *sriov_vport_state_str(enum sriov_vport_state value);
const char *sriov_switch_caps_str(enum sriov_switch_caps value);
const char *sriov_filter_type_str(enum sriov_filter_type value);
const char *sriov_filter_origin_str(enum sriov_filter_origin value);
const char *sriov_link_state_str(enum sriov_link_state value);
const char *sriov_reset_reason_str(enum sriov_reset_reason value);

/* Common nested types */
/* ============== SRIOV_CMD_SWITCH_GET ============== */
/* SRIOV_CMD_SWITCH_GET - do */
struct sriov_switch_get_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
	} _present;

	__u32 ifindex;
	char *pci_addr;
};

static inline struct sriov_switch_get_req *sriov_switch_get_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_switch_get_req));
}
void sriov_switch_get_req_free(struct sriov_switch_get_req *req);

static inline void
sriov_switch_get_req_set_ifindex(struct sriov_switch_get_req *req,
				 __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_switch_get_req_set_pci_addr(struct sriov_switch_get_req *req,
				  const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}

struct sriov_switch_get_rsp {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 num_vfs:1;
		__u32 total_vfs:1;
		__u32 max_vports:1;
		__u32 num_vports:1;
		__u32 mac_filters_max:1;
		__u32 mac_filters_free:1;
		__u32 vlan_filters_max:1;
		__u32 vlan_filters_free:1;
		__u32 link_up:1;
		__u32 default_mac_filters_max:1;
		__u32 default_mac_filters:1;
		__u32 switch_caps:1;
		__u32 queue_pairs_max:1;
		__u32 vport_queue_pairs_max:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 num_vfs;
	__u32 total_vfs;
	__u32 max_vports;
	__u32 num_vports;
	__u32 mac_filters_max;
	__u32 mac_filters_free;
	__u32 vlan_filters_max;
	__u32 vlan_filters_free;
	__u8 link_up;
	__u32 default_mac_filters_max;
	__u32 default_mac_filters;
	__u32 switch_caps;
	__u32 queue_pairs_max;
	__u32 vport_queue_pairs_max;
};

void sriov_switch_get_rsp_free(struct sriov_switch_get_rsp *rsp);

/*
 * Get / dump the NIC switch of a PF (one per PF bound to sriov_pf).
 */
struct sriov_switch_get_rsp *
sriov_switch_get(struct ynl_sock *ys, struct sriov_switch_get_req *req);

/* SRIOV_CMD_SWITCH_GET - dump */
struct sriov_switch_get_list {
	struct sriov_switch_get_list *next;
	struct sriov_switch_get_rsp obj __attribute__((aligned(8)));
};

void sriov_switch_get_list_free(struct sriov_switch_get_list *rsp);

struct sriov_switch_get_list *sriov_switch_get_dump(struct ynl_sock *ys);

/* ============== SRIOV_CMD_VF_GET ============== */
/* SRIOV_CMD_VF_GET - do */
struct sriov_vf_get_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vf_id:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vf_id;
};

static inline struct sriov_vf_get_req *sriov_vf_get_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vf_get_req));
}
void sriov_vf_get_req_free(struct sriov_vf_get_req *req);

static inline void
sriov_vf_get_req_set_ifindex(struct sriov_vf_get_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vf_get_req_set_pci_addr(struct sriov_vf_get_req *req,
			      const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_vf_get_req_set_vf_id(struct sriov_vf_get_req *req, __u32 vf_id)
{
	req->_present.vf_id = 1;
	req->vf_id = vf_id;
}

struct sriov_vf_get_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 vf_state:1;
		__u32 serial:1;
		__u32 mac_len;
		__u32 vlan:1;
		__u32 qos:1;
		__u32 spoofchk:1;
		__u32 trust:1;
		__u32 link_state:1;
		__u32 vf_pci_addr_len;
		__u32 vport_id:1;
		__u32 mbx_cts:1;
		__u32 rx_packets:1;
		__u32 rx_bytes:1;
		__u32 tx_packets:1;
		__u32 tx_bytes:1;
		__u32 rx_multicast:1;
		__u32 mbx_rx:1;
		__u32 mbx_nack:1;
		__u32 mbx_dropped:1;
		__u32 flr_count:1;
		__u32 vf_vendor_id:1;
		__u32 vf_device_id:1;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	enum sriov_vf_state vf_state;
	__u64 serial;
	void *mac;
	__u16 vlan;
	__u8 qos;
	__u8 spoofchk;
	__u8 trust;
	enum sriov_link_state link_state;
	char *vf_pci_addr;
	__u32 vport_id;
	__u8 mbx_cts;
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 rx_multicast;
	__u64 mbx_rx;
	__u64 mbx_nack;
	__u64 mbx_dropped;
	__u64 flr_count;
	__u16 vf_vendor_id;
	__u16 vf_device_id;
};

void sriov_vf_get_rsp_free(struct sriov_vf_get_rsp *rsp);

/*
 * Get / dump the VFs of a PF.
 */
struct sriov_vf_get_rsp *
sriov_vf_get(struct ynl_sock *ys, struct sriov_vf_get_req *req);

/* SRIOV_CMD_VF_GET - dump */
struct sriov_vf_get_req_dump {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
	} _present;

	__u32 ifindex;
	char *pci_addr;
};

static inline struct sriov_vf_get_req_dump *sriov_vf_get_req_dump_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vf_get_req_dump));
}
void sriov_vf_get_req_dump_free(struct sriov_vf_get_req_dump *req);

static inline void
sriov_vf_get_req_dump_set_ifindex(struct sriov_vf_get_req_dump *req,
				  __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vf_get_req_dump_set_pci_addr(struct sriov_vf_get_req_dump *req,
				   const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}

struct sriov_vf_get_list {
	struct sriov_vf_get_list *next;
	struct sriov_vf_get_rsp obj __attribute__((aligned(8)));
};

void sriov_vf_get_list_free(struct sriov_vf_get_list *rsp);

struct sriov_vf_get_list *
sriov_vf_get_dump(struct ynl_sock *ys, struct sriov_vf_get_req_dump *req);

/* ============== SRIOV_CMD_VF_ALLOC ============== */
/* SRIOV_CMD_VF_ALLOC - do */
struct sriov_vf_alloc_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vf_id:1;
		__u32 serial:1;
		__u32 mac_len;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vf_id;
	__u64 serial;
	void *mac;
};

static inline struct sriov_vf_alloc_req *sriov_vf_alloc_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vf_alloc_req));
}
void sriov_vf_alloc_req_free(struct sriov_vf_alloc_req *req);

static inline void
sriov_vf_alloc_req_set_ifindex(struct sriov_vf_alloc_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vf_alloc_req_set_pci_addr(struct sriov_vf_alloc_req *req,
				const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_vf_alloc_req_set_vf_id(struct sriov_vf_alloc_req *req, __u32 vf_id)
{
	req->_present.vf_id = 1;
	req->vf_id = vf_id;
}
static inline void
sriov_vf_alloc_req_set_serial(struct sriov_vf_alloc_req *req, __u64 serial)
{
	req->_present.serial = 1;
	req->serial = serial;
}
static inline void
sriov_vf_alloc_req_set_mac(struct sriov_vf_alloc_req *req, const void *mac,
			   size_t len)
{
	free(req->mac);
	req->_present.mac_len = len;
	req->mac = malloc(req->_present.mac_len);
	memcpy(req->mac, mac, req->_present.mac_len);
}

struct sriov_vf_alloc_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 vf_state:1;
		__u32 serial:1;
		__u32 mac_len;
		__u32 vlan:1;
		__u32 qos:1;
		__u32 spoofchk:1;
		__u32 trust:1;
		__u32 link_state:1;
		__u32 vf_pci_addr_len;
		__u32 vport_id:1;
		__u32 mbx_cts:1;
		__u32 rx_packets:1;
		__u32 rx_bytes:1;
		__u32 tx_packets:1;
		__u32 tx_bytes:1;
		__u32 rx_multicast:1;
		__u32 mbx_rx:1;
		__u32 mbx_nack:1;
		__u32 mbx_dropped:1;
		__u32 flr_count:1;
		__u32 vf_vendor_id:1;
		__u32 vf_device_id:1;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	enum sriov_vf_state vf_state;
	__u64 serial;
	void *mac;
	__u16 vlan;
	__u8 qos;
	__u8 spoofchk;
	__u8 trust;
	enum sriov_link_state link_state;
	char *vf_pci_addr;
	__u32 vport_id;
	__u8 mbx_cts;
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 rx_multicast;
	__u64 mbx_rx;
	__u64 mbx_nack;
	__u64 mbx_dropped;
	__u64 flr_count;
	__u16 vf_vendor_id;
	__u16 vf_device_id;
};

void sriov_vf_alloc_rsp_free(struct sriov_vf_alloc_rsp *rsp);

/*
 * Allocate a free VF: give it a serial number and, optionally, an
administrative MAC that the VF cannot change.  Without vf-id the
lowest free VF is taken.

 */
struct sriov_vf_alloc_rsp *
sriov_vf_alloc(struct ynl_sock *ys, struct sriov_vf_alloc_req *req);

/* ============== SRIOV_CMD_VF_FREE ============== */
/* SRIOV_CMD_VF_FREE - do */
struct sriov_vf_free_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vf_id:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vf_id;
};

static inline struct sriov_vf_free_req *sriov_vf_free_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vf_free_req));
}
void sriov_vf_free_req_free(struct sriov_vf_free_req *req);

static inline void
sriov_vf_free_req_set_ifindex(struct sriov_vf_free_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vf_free_req_set_pci_addr(struct sriov_vf_free_req *req,
			       const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_vf_free_req_set_vf_id(struct sriov_vf_free_req *req, __u32 vf_id)
{
	req->_present.vf_id = 1;
	req->vf_id = vf_id;
}

/*
 * Free an allocated VF.  Its VPort must have been deleted.
 */
int sriov_vf_free(struct ynl_sock *ys, struct sriov_vf_free_req *req);

/* ============== SRIOV_CMD_VF_RESET ============== */
/* SRIOV_CMD_VF_RESET - do */
struct sriov_vf_reset_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vf_id:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vf_id;
};

static inline struct sriov_vf_reset_req *sriov_vf_reset_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vf_reset_req));
}
void sriov_vf_reset_req_free(struct sriov_vf_reset_req *req);

static inline void
sriov_vf_reset_req_set_ifindex(struct sriov_vf_reset_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vf_reset_req_set_pci_addr(struct sriov_vf_reset_req *req,
				const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_vf_reset_req_set_vf_id(struct sriov_vf_reset_req *req, __u32 vf_id)
{
	req->_present.vf_id = 1;
	req->vf_id = vf_id;
}

/*
 * Function-level reset of the VF's PCI function.  The VF must do the
mailbox reset handshake again before it is clear to send.

 */
int sriov_vf_reset(struct ynl_sock *ys, struct sriov_vf_reset_req *req);

/* ============== SRIOV_CMD_VPORT_GET ============== */
/* SRIOV_CMD_VPORT_GET - do */
struct sriov_vport_get_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vport_id:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vport_id;
};

static inline struct sriov_vport_get_req *sriov_vport_get_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vport_get_req));
}
void sriov_vport_get_req_free(struct sriov_vport_get_req *req);

static inline void
sriov_vport_get_req_set_ifindex(struct sriov_vport_get_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vport_get_req_set_pci_addr(struct sriov_vport_get_req *req,
				 const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_vport_get_req_set_vport_id(struct sriov_vport_get_req *req,
				 __u32 vport_id)
{
	req->_present.vport_id = 1;
	req->vport_id = vport_id;
}

struct sriov_vport_get_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vport_id:1;
		__u32 vport_owner:1;
		__u32 vf_id:1;
		__u32 pool:1;
		__u32 is_default:1;
		__u32 vlan:1;
		__u32 qos:1;
		__u32 num_filters:1;
		__u32 vport_state:1;
		__u32 vport_name_len;
	} _present;

	__u32 ifindex;
	__u32 vport_id;
	enum sriov_vport_owner vport_owner;
	__u32 vf_id;
	__u32 pool;
	__u16 vlan;
	__u8 qos;
	__u32 num_filters;
	enum sriov_vport_state vport_state;
	char *vport_name;
};

void sriov_vport_get_rsp_free(struct sriov_vport_get_rsp *rsp);

/*
 * Get / dump the VPorts of a PF's switch.
 */
struct sriov_vport_get_rsp *
sriov_vport_get(struct ynl_sock *ys, struct sriov_vport_get_req *req);

/* SRIOV_CMD_VPORT_GET - dump */
struct sriov_vport_get_req_dump {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
	} _present;

	__u32 ifindex;
	char *pci_addr;
};

static inline struct sriov_vport_get_req_dump *
sriov_vport_get_req_dump_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vport_get_req_dump));
}
void sriov_vport_get_req_dump_free(struct sriov_vport_get_req_dump *req);

static inline void
sriov_vport_get_req_dump_set_ifindex(struct sriov_vport_get_req_dump *req,
				     __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vport_get_req_dump_set_pci_addr(struct sriov_vport_get_req_dump *req,
				      const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}

struct sriov_vport_get_list {
	struct sriov_vport_get_list *next;
	struct sriov_vport_get_rsp obj __attribute__((aligned(8)));
};

void sriov_vport_get_list_free(struct sriov_vport_get_list *rsp);

struct sriov_vport_get_list *
sriov_vport_get_dump(struct ynl_sock *ys, struct sriov_vport_get_req_dump *req);

/* ============== SRIOV_CMD_VPORT_NEW ============== */
/* SRIOV_CMD_VPORT_NEW - do */
struct sriov_vport_new_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vf_id:1;
		__u32 vlan:1;
		__u32 qos:1;
		__u32 vport_name_len;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vf_id;
	__u16 vlan;
	__u8 qos;
	char *vport_name;
};

static inline struct sriov_vport_new_req *sriov_vport_new_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vport_new_req));
}
void sriov_vport_new_req_free(struct sriov_vport_new_req *req);

static inline void
sriov_vport_new_req_set_ifindex(struct sriov_vport_new_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vport_new_req_set_pci_addr(struct sriov_vport_new_req *req,
				 const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_vport_new_req_set_vf_id(struct sriov_vport_new_req *req, __u32 vf_id)
{
	req->_present.vf_id = 1;
	req->vf_id = vf_id;
}
static inline void
sriov_vport_new_req_set_vlan(struct sriov_vport_new_req *req, __u16 vlan)
{
	req->_present.vlan = 1;
	req->vlan = vlan;
}
static inline void
sriov_vport_new_req_set_qos(struct sriov_vport_new_req *req, __u8 qos)
{
	req->_present.qos = 1;
	req->qos = qos;
}
static inline void
sriov_vport_new_req_set_vport_name(struct sriov_vport_new_req *req,
				   const char *vport_name)
{
	free(req->vport_name);
	req->_present.vport_name_len = strlen(vport_name);
	req->vport_name = malloc(req->_present.vport_name_len + 1);
	memcpy(req->vport_name, vport_name, req->_present.vport_name_len);
	req->vport_name[req->_present.vport_name_len] = 0;
}

struct sriov_vport_new_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vport_id:1;
		__u32 vport_owner:1;
		__u32 vf_id:1;
		__u32 pool:1;
		__u32 is_default:1;
		__u32 vlan:1;
		__u32 qos:1;
		__u32 num_filters:1;
		__u32 vport_state:1;
		__u32 vport_name_len;
	} _present;

	__u32 ifindex;
	__u32 vport_id;
	enum sriov_vport_owner vport_owner;
	__u32 vf_id;
	__u32 pool;
	__u16 vlan;
	__u8 qos;
	__u32 num_filters;
	enum sriov_vport_state vport_state;
	char *vport_name;
};

void sriov_vport_new_rsp_free(struct sriov_vport_new_rsp *rsp);

/*
 * Create a VPort attached to an allocated VF, optionally with a
default VLAN inserted on transmit and required on receive.  The PF
has only the default VPort: without vf-id the request fails with
EOPNOTSUPP (the PF's datapath runs queues in its own pool only).

 */
struct sriov_vport_new_rsp *
sriov_vport_new(struct ynl_sock *ys, struct sriov_vport_new_req *req);

/* ============== SRIOV_CMD_VPORT_DEL ============== */
/* SRIOV_CMD_VPORT_DEL - do */
struct sriov_vport_del_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vport_id:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vport_id;
};

static inline struct sriov_vport_del_req *sriov_vport_del_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vport_del_req));
}
void sriov_vport_del_req_free(struct sriov_vport_del_req *req);

static inline void
sriov_vport_del_req_set_ifindex(struct sriov_vport_del_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vport_del_req_set_pci_addr(struct sriov_vport_del_req *req,
				 const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_vport_del_req_set_vport_id(struct sriov_vport_del_req *req,
				 __u32 vport_id)
{
	req->_present.vport_id = 1;
	req->vport_id = vport_id;
}

/*
 * Delete a VPort.  The default VPort cannot be deleted; a VPort that
still owns admin filters is busy.

 */
int sriov_vport_del(struct ynl_sock *ys, struct sriov_vport_del_req *req);

/* ============== SRIOV_CMD_VPORT_SET ============== */
/* SRIOV_CMD_VPORT_SET - do */
struct sriov_vport_set_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vport_id:1;
		__u32 vlan:1;
		__u32 qos:1;
		__u32 vport_state:1;
		__u32 vport_name_len;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vport_id;
	__u16 vlan;
	__u8 qos;
	enum sriov_vport_state vport_state;
	char *vport_name;
};

static inline struct sriov_vport_set_req *sriov_vport_set_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_vport_set_req));
}
void sriov_vport_set_req_free(struct sriov_vport_set_req *req);

static inline void
sriov_vport_set_req_set_ifindex(struct sriov_vport_set_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_vport_set_req_set_pci_addr(struct sriov_vport_set_req *req,
				 const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_vport_set_req_set_vport_id(struct sriov_vport_set_req *req,
				 __u32 vport_id)
{
	req->_present.vport_id = 1;
	req->vport_id = vport_id;
}
static inline void
sriov_vport_set_req_set_vlan(struct sriov_vport_set_req *req, __u16 vlan)
{
	req->_present.vlan = 1;
	req->vlan = vlan;
}
static inline void
sriov_vport_set_req_set_qos(struct sriov_vport_set_req *req, __u8 qos)
{
	req->_present.qos = 1;
	req->qos = qos;
}
static inline void
sriov_vport_set_req_set_vport_state(struct sriov_vport_set_req *req,
				    enum sriov_vport_state vport_state)
{
	req->_present.vport_state = 1;
	req->vport_state = vport_state;
}
static inline void
sriov_vport_set_req_set_vport_name(struct sriov_vport_set_req *req,
				   const char *vport_name)
{
	free(req->vport_name);
	req->_present.vport_name_len = strlen(vport_name);
	req->vport_name = malloc(req->_present.vport_name_len + 1);
	memcpy(req->vport_name, vport_name, req->_present.vport_name_len);
	req->vport_name[req->_present.vport_name_len] = 0;
}

struct sriov_vport_set_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vport_id:1;
		__u32 vport_owner:1;
		__u32 vf_id:1;
		__u32 pool:1;
		__u32 is_default:1;
		__u32 vlan:1;
		__u32 qos:1;
		__u32 num_filters:1;
		__u32 vport_state:1;
		__u32 vport_name_len;
	} _present;

	__u32 ifindex;
	__u32 vport_id;
	enum sriov_vport_owner vport_owner;
	__u32 vf_id;
	__u32 pool;
	__u16 vlan;
	__u8 qos;
	__u32 num_filters;
	enum sriov_vport_state vport_state;
	char *vport_name;
};

void sriov_vport_set_rsp_free(struct sriov_vport_set_rsp *rsp);

/*
 * Change a VPort attached to a VF: its default VLAN (vlan 0 removes
it) and its state; and the name of any VPort.  At least one of
vlan, vport-state and vport-name.

 */
struct sriov_vport_set_rsp *
sriov_vport_set(struct ynl_sock *ys, struct sriov_vport_set_req *req);

/* ============== SRIOV_CMD_FILTER_GET ============== */
/* SRIOV_CMD_FILTER_GET - do */
struct sriov_filter_get_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 filter_id:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 filter_id;
};

static inline struct sriov_filter_get_req *sriov_filter_get_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_filter_get_req));
}
void sriov_filter_get_req_free(struct sriov_filter_get_req *req);

static inline void
sriov_filter_get_req_set_ifindex(struct sriov_filter_get_req *req,
				 __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_filter_get_req_set_pci_addr(struct sriov_filter_get_req *req,
				  const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_filter_get_req_set_filter_id(struct sriov_filter_get_req *req,
				   __u32 filter_id)
{
	req->_present.filter_id = 1;
	req->filter_id = filter_id;
}

struct sriov_filter_get_rsp {
	struct {
		__u32 ifindex:1;
		__u32 filter_id:1;
		__u32 filter_type:1;
		__u32 filter_origin:1;
		__u32 vport_id:1;
		__u32 mac_len;
		__u32 vlan:1;
		__u32 hw_index:1;
	} _present;

	__u32 ifindex;
	__u32 filter_id;
	enum sriov_filter_type filter_type;
	enum sriov_filter_origin filter_origin;
	__u32 vport_id;
	void *mac;
	__u16 vlan;
	__u32 hw_index;
};

void sriov_filter_get_rsp_free(struct sriov_filter_get_rsp *rsp);

/*
 * Get / dump receive filters (optionally those of one VPort).
 */
struct sriov_filter_get_rsp *
sriov_filter_get(struct ynl_sock *ys, struct sriov_filter_get_req *req);

/* SRIOV_CMD_FILTER_GET - dump */
struct sriov_filter_get_req_dump {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vport_id:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vport_id;
};

static inline struct sriov_filter_get_req_dump *
sriov_filter_get_req_dump_alloc(void)
{
	return calloc(1, sizeof(struct sriov_filter_get_req_dump));
}
void sriov_filter_get_req_dump_free(struct sriov_filter_get_req_dump *req);

static inline void
sriov_filter_get_req_dump_set_ifindex(struct sriov_filter_get_req_dump *req,
				      __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_filter_get_req_dump_set_pci_addr(struct sriov_filter_get_req_dump *req,
				       const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_filter_get_req_dump_set_vport_id(struct sriov_filter_get_req_dump *req,
				       __u32 vport_id)
{
	req->_present.vport_id = 1;
	req->vport_id = vport_id;
}

struct sriov_filter_get_list {
	struct sriov_filter_get_list *next;
	struct sriov_filter_get_rsp obj __attribute__((aligned(8)));
};

void sriov_filter_get_list_free(struct sriov_filter_get_list *rsp);

struct sriov_filter_get_list *
sriov_filter_get_dump(struct ynl_sock *ys,
		      struct sriov_filter_get_req_dump *req);

/* ============== SRIOV_CMD_FILTER_ADD ============== */
/* SRIOV_CMD_FILTER_ADD - do */
struct sriov_filter_add_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vport_id:1;
		__u32 mac_len;
		__u32 vlan:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vport_id;
	void *mac;
	__u16 vlan;
};

static inline struct sriov_filter_add_req *sriov_filter_add_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_filter_add_req));
}
void sriov_filter_add_req_free(struct sriov_filter_add_req *req);

static inline void
sriov_filter_add_req_set_ifindex(struct sriov_filter_add_req *req,
				 __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_filter_add_req_set_pci_addr(struct sriov_filter_add_req *req,
				  const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_filter_add_req_set_vport_id(struct sriov_filter_add_req *req,
				  __u32 vport_id)
{
	req->_present.vport_id = 1;
	req->vport_id = vport_id;
}
static inline void
sriov_filter_add_req_set_mac(struct sriov_filter_add_req *req, const void *mac,
			     size_t len)
{
	free(req->mac);
	req->_present.mac_len = len;
	req->mac = malloc(req->_present.mac_len);
	memcpy(req->mac, mac, req->_present.mac_len);
}
static inline void
sriov_filter_add_req_set_vlan(struct sriov_filter_add_req *req, __u16 vlan)
{
	req->_present.vlan = 1;
	req->vlan = vlan;
}

struct sriov_filter_add_rsp {
	struct {
		__u32 ifindex:1;
		__u32 filter_id:1;
		__u32 filter_type:1;
		__u32 filter_origin:1;
		__u32 vport_id:1;
		__u32 mac_len;
		__u32 vlan:1;
		__u32 hw_index:1;
	} _present;

	__u32 ifindex;
	__u32 filter_id;
	enum sriov_filter_type filter_type;
	enum sriov_filter_origin filter_origin;
	__u32 vport_id;
	void *mac;
	__u16 vlan;
	__u32 hw_index;
};

void sriov_filter_add_rsp_free(struct sriov_filter_add_rsp *rsp);

/*
 * Add a MAC (mac given) or VLAN (vlan given) filter to a VPort.
 */
struct sriov_filter_add_rsp *
sriov_filter_add(struct ynl_sock *ys, struct sriov_filter_add_req *req);

/* ============== SRIOV_CMD_FILTER_DEL ============== */
/* SRIOV_CMD_FILTER_DEL - do */
struct sriov_filter_del_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 filter_id:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 filter_id;
};

static inline struct sriov_filter_del_req *sriov_filter_del_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_filter_del_req));
}
void sriov_filter_del_req_free(struct sriov_filter_del_req *req);

static inline void
sriov_filter_del_req_set_ifindex(struct sriov_filter_del_req *req,
				 __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_filter_del_req_set_pci_addr(struct sriov_filter_del_req *req,
				  const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_filter_del_req_set_filter_id(struct sriov_filter_del_req *req,
				   __u32 filter_id)
{
	req->_present.filter_id = 1;
	req->filter_id = filter_id;
}

/*
 * Delete an admin filter.
 */
int sriov_filter_del(struct ynl_sock *ys, struct sriov_filter_del_req *req);

/* ============== SRIOV_CMD_FILTER_MOVE ============== */
/* SRIOV_CMD_FILTER_MOVE - do */
struct sriov_filter_move_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 src_vport_id:1;
		__u32 vport_id:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 src_vport_id;
	__u32 vport_id;
	unsigned int n_filter_ids;
	__u32 *filter_ids;
};

static inline struct sriov_filter_move_req *sriov_filter_move_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_filter_move_req));
}
void sriov_filter_move_req_free(struct sriov_filter_move_req *req);

static inline void
sriov_filter_move_req_set_ifindex(struct sriov_filter_move_req *req,
				  __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_filter_move_req_set_pci_addr(struct sriov_filter_move_req *req,
				   const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_filter_move_req_set_src_vport_id(struct sriov_filter_move_req *req,
				       __u32 src_vport_id)
{
	req->_present.src_vport_id = 1;
	req->src_vport_id = src_vport_id;
}
static inline void
sriov_filter_move_req_set_vport_id(struct sriov_filter_move_req *req,
				   __u32 vport_id)
{
	req->_present.vport_id = 1;
	req->vport_id = vport_id;
}
static inline void
__sriov_filter_move_req_set_filter_ids(struct sriov_filter_move_req *req,
				       __u32 *filter_ids,
				       unsigned int n_filter_ids)
{
	free(req->filter_ids);
	req->filter_ids = filter_ids;
	req->n_filter_ids = n_filter_ids;
}

struct sriov_filter_move_rsp {
	struct {
		__u32 ifindex:1;
		__u32 src_vport_id:1;
		__u32 vport_id:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 src_vport_id;
	__u32 vport_id;
	unsigned int n_filter_ids;
	__u32 *filter_ids;
	__u64 timestamp_ns;
};

void sriov_filter_move_rsp_free(struct sriov_filter_move_rsp *rsp);

/*
 * Atomically move filters from one VPort to another.  Each MAC filter
changes owner with one register write, so its address is received
at every instant, by the source or by the destination.

 */
struct sriov_filter_move_rsp *
sriov_filter_move(struct ynl_sock *ys, struct sriov_filter_move_req *req);

/* ============== SRIOV_CMD_CFG_READ ============== */
/* SRIOV_CMD_CFG_READ - do */
struct sriov_cfg_read_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vf_id:1;
		__u32 cfg_offset:1;
		__u32 cfg_len:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vf_id;
	__u32 cfg_offset;
	__u32 cfg_len;
};

static inline struct sriov_cfg_read_req *sriov_cfg_read_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_cfg_read_req));
}
void sriov_cfg_read_req_free(struct sriov_cfg_read_req *req);

static inline void
sriov_cfg_read_req_set_ifindex(struct sriov_cfg_read_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_cfg_read_req_set_pci_addr(struct sriov_cfg_read_req *req,
				const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_cfg_read_req_set_vf_id(struct sriov_cfg_read_req *req, __u32 vf_id)
{
	req->_present.vf_id = 1;
	req->vf_id = vf_id;
}
static inline void
sriov_cfg_read_req_set_cfg_offset(struct sriov_cfg_read_req *req,
				  __u32 cfg_offset)
{
	req->_present.cfg_offset = 1;
	req->cfg_offset = cfg_offset;
}
static inline void
sriov_cfg_read_req_set_cfg_len(struct sriov_cfg_read_req *req, __u32 cfg_len)
{
	req->_present.cfg_len = 1;
	req->cfg_len = cfg_len;
}

struct sriov_cfg_read_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 cfg_offset:1;
		__u32 cfg_len:1;
		__u32 cfg_data_len;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	__u32 cfg_offset;
	__u32 cfg_len;
	void *cfg_data;
};

void sriov_cfg_read_rsp_free(struct sriov_cfg_read_rsp *rsp);

/*
 * Read a VF's PCI config space through the PF.
 */
struct sriov_cfg_read_rsp *
sriov_cfg_read(struct ynl_sock *ys, struct sriov_cfg_read_req *req);

/* ============== SRIOV_CMD_CFG_WRITE ============== */
/* SRIOV_CMD_CFG_WRITE - do */
struct sriov_cfg_write_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 vf_id:1;
		__u32 cfg_offset:1;
		__u32 cfg_len:1;
		__u32 cfg_value:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 vf_id;
	__u32 cfg_offset;
	__u32 cfg_len;
	__u32 cfg_value;
};

static inline struct sriov_cfg_write_req *sriov_cfg_write_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_cfg_write_req));
}
void sriov_cfg_write_req_free(struct sriov_cfg_write_req *req);

static inline void
sriov_cfg_write_req_set_ifindex(struct sriov_cfg_write_req *req, __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_cfg_write_req_set_pci_addr(struct sriov_cfg_write_req *req,
				 const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_cfg_write_req_set_vf_id(struct sriov_cfg_write_req *req, __u32 vf_id)
{
	req->_present.vf_id = 1;
	req->vf_id = vf_id;
}
static inline void
sriov_cfg_write_req_set_cfg_offset(struct sriov_cfg_write_req *req,
				   __u32 cfg_offset)
{
	req->_present.cfg_offset = 1;
	req->cfg_offset = cfg_offset;
}
static inline void
sriov_cfg_write_req_set_cfg_len(struct sriov_cfg_write_req *req, __u32 cfg_len)
{
	req->_present.cfg_len = 1;
	req->cfg_len = cfg_len;
}
static inline void
sriov_cfg_write_req_set_cfg_value(struct sriov_cfg_write_req *req,
				  __u32 cfg_value)
{
	req->_present.cfg_value = 1;
	req->cfg_value = cfg_value;
}

/*
 * Write 1, 2 or 4 bytes of a VF's PCI config space through the PF.
Only an allow-list of registers is writable (no BARs, no SR-IOV or
MSI-X capability, no bus-master changes while a driver is bound).

 */
int sriov_cfg_write(struct ynl_sock *ys, struct sriov_cfg_write_req *req);

/* ============== SRIOV_CMD_SWITCH_NEW ============== */
/* SRIOV_CMD_SWITCH_NEW - do */
struct sriov_switch_new_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 num_vfs:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 num_vfs;
};

static inline struct sriov_switch_new_req *sriov_switch_new_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_switch_new_req));
}
void sriov_switch_new_req_free(struct sriov_switch_new_req *req);

static inline void
sriov_switch_new_req_set_ifindex(struct sriov_switch_new_req *req,
				 __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_switch_new_req_set_pci_addr(struct sriov_switch_new_req *req,
				  const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}
static inline void
sriov_switch_new_req_set_num_vfs(struct sriov_switch_new_req *req,
				 __u32 num_vfs)
{
	req->_present.num_vfs = 1;
	req->num_vfs = num_vfs;
}

struct sriov_switch_new_rsp {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 num_vfs:1;
		__u32 total_vfs:1;
		__u32 max_vports:1;
		__u32 num_vports:1;
		__u32 mac_filters_max:1;
		__u32 mac_filters_free:1;
		__u32 vlan_filters_max:1;
		__u32 vlan_filters_free:1;
		__u32 link_up:1;
		__u32 default_mac_filters_max:1;
		__u32 default_mac_filters:1;
		__u32 switch_caps:1;
		__u32 queue_pairs_max:1;
		__u32 vport_queue_pairs_max:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 num_vfs;
	__u32 total_vfs;
	__u32 max_vports;
	__u32 num_vports;
	__u32 mac_filters_max;
	__u32 mac_filters_free;
	__u32 vlan_filters_max;
	__u32 vlan_filters_free;
	__u8 link_up;
	__u32 default_mac_filters_max;
	__u32 default_mac_filters;
	__u32 switch_caps;
	__u32 queue_pairs_max;
	__u32 vport_queue_pairs_max;
};

void sriov_switch_new_rsp_free(struct sriov_switch_new_rsp *rsp);

/*
 * Create the NIC switch of a PF with num-vfs VFs, as writing
sriov_numvfs does (switch-change-ntf).  EBUSY while the PF has a
switch; ERANGE for more VFs than the PF has.

 */
struct sriov_switch_new_rsp *
sriov_switch_new(struct ynl_sock *ys, struct sriov_switch_new_req *req);

/* ============== SRIOV_CMD_SWITCH_DEL ============== */
/* SRIOV_CMD_SWITCH_DEL - do */
struct sriov_switch_del_req {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
	} _present;

	__u32 ifindex;
	char *pci_addr;
};

static inline struct sriov_switch_del_req *sriov_switch_del_req_alloc(void)
{
	return calloc(1, sizeof(struct sriov_switch_del_req));
}
void sriov_switch_del_req_free(struct sriov_switch_del_req *req);

static inline void
sriov_switch_del_req_set_ifindex(struct sriov_switch_del_req *req,
				 __u32 ifindex)
{
	req->_present.ifindex = 1;
	req->ifindex = ifindex;
}
static inline void
sriov_switch_del_req_set_pci_addr(struct sriov_switch_del_req *req,
				  const char *pci_addr)
{
	free(req->pci_addr);
	req->_present.pci_addr_len = strlen(pci_addr);
	req->pci_addr = malloc(req->_present.pci_addr_len + 1);
	memcpy(req->pci_addr, pci_addr, req->_present.pci_addr_len);
	req->pci_addr[req->_present.pci_addr_len] = 0;
}

/*
 * Delete the NIC switch of a PF and disable its VFs
(switch-change-ntf).  Refused with EBUSY while a VPort other than
the default VPort exists or a VF is allocated: delete and free
them first.  Writing 0 to sriov_numvfs deletes the switch with
whatever it holds and announces every VPort and VF allocation it
ends.

 */
int sriov_switch_del(struct ynl_sock *ys, struct sriov_switch_del_req *req);

/* SRIOV_CMD_SWITCH_CHANGE_NTF - event */
struct sriov_switch_change_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 pci_addr_len;
		__u32 num_vfs:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	char *pci_addr;
	__u32 num_vfs;
	__u64 timestamp_ns;
};

struct sriov_switch_change_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_switch_change_ntf *ntf);
	struct sriov_switch_change_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_switch_change_ntf_free(struct sriov_switch_change_ntf *rsp);

/* SRIOV_CMD_VF_ALLOCATED_NTF - event */
struct sriov_vf_allocated_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 serial:1;
		__u32 mac_len;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	__u64 serial;
	void *mac;
	__u64 timestamp_ns;
};

struct sriov_vf_allocated_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_vf_allocated_ntf *ntf);
	struct sriov_vf_allocated_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_vf_allocated_ntf_free(struct sriov_vf_allocated_ntf *rsp);

/* SRIOV_CMD_VF_FREED_NTF - event */
struct sriov_vf_freed_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 serial:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	__u64 serial;
	__u64 timestamp_ns;
};

struct sriov_vf_freed_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_vf_freed_ntf *ntf);
	struct sriov_vf_freed_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_vf_freed_ntf_free(struct sriov_vf_freed_ntf *rsp);

/* SRIOV_CMD_VF_RESET_NTF - event */
struct sriov_vf_reset_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 reset_reason:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	enum sriov_reset_reason reset_reason;
	__u64 timestamp_ns;
};

struct sriov_vf_reset_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_vf_reset_ntf *ntf);
	struct sriov_vf_reset_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_vf_reset_ntf_free(struct sriov_vf_reset_ntf *rsp);

/* SRIOV_CMD_VF_FLR_NTF - event */
struct sriov_vf_flr_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 reset_reason:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	enum sriov_reset_reason reset_reason;
	__u64 timestamp_ns;
};

struct sriov_vf_flr_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_vf_flr_ntf *ntf);
	struct sriov_vf_flr_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_vf_flr_ntf_free(struct sriov_vf_flr_ntf *rsp);

/* SRIOV_CMD_VF_RESET_REQUEST_NTF - event */
struct sriov_vf_reset_request_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 mac_len;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	void *mac;
	__u64 timestamp_ns;
};

struct sriov_vf_reset_request_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_vf_reset_request_ntf *ntf);
	struct sriov_vf_reset_request_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_vf_reset_request_ntf_free(struct sriov_vf_reset_request_ntf *rsp);

/* SRIOV_CMD_VF_MBX_THROTTLED_NTF - event */
struct sriov_vf_mbx_throttled_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 mbx_dropped:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	__u64 mbx_dropped;
	__u64 timestamp_ns;
};

struct sriov_vf_mbx_throttled_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_vf_mbx_throttled_ntf *ntf);
	struct sriov_vf_mbx_throttled_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_vf_mbx_throttled_ntf_free(struct sriov_vf_mbx_throttled_ntf *rsp);

/* SRIOV_CMD_VPORT_CREATED_NTF - event */
struct sriov_vport_created_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vport_id:1;
		__u32 vport_owner:1;
		__u32 vf_id:1;
		__u32 pool:1;
		__u32 vport_name_len;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vport_id;
	enum sriov_vport_owner vport_owner;
	__u32 vf_id;
	__u32 pool;
	char *vport_name;
	__u64 timestamp_ns;
};

struct sriov_vport_created_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_vport_created_ntf *ntf);
	struct sriov_vport_created_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_vport_created_ntf_free(struct sriov_vport_created_ntf *rsp);

/* SRIOV_CMD_VPORT_CHANGED_NTF - event */
struct sriov_vport_changed_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vport_id:1;
		__u32 vport_owner:1;
		__u32 vf_id:1;
		__u32 pool:1;
		__u32 vport_name_len;
		__u32 vlan:1;
		__u32 qos:1;
		__u32 vport_state:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vport_id;
	enum sriov_vport_owner vport_owner;
	__u32 vf_id;
	__u32 pool;
	char *vport_name;
	__u16 vlan;
	__u8 qos;
	enum sriov_vport_state vport_state;
	__u64 timestamp_ns;
};

struct sriov_vport_changed_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_vport_changed_ntf *ntf);
	struct sriov_vport_changed_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_vport_changed_ntf_free(struct sriov_vport_changed_ntf *rsp);

/* SRIOV_CMD_VPORT_DELETED_NTF - event */
struct sriov_vport_deleted_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vport_id:1;
		__u32 vport_owner:1;
		__u32 vf_id:1;
		__u32 pool:1;
		__u32 vport_name_len;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vport_id;
	enum sriov_vport_owner vport_owner;
	__u32 vf_id;
	__u32 pool;
	char *vport_name;
	__u64 timestamp_ns;
};

struct sriov_vport_deleted_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_vport_deleted_ntf *ntf);
	struct sriov_vport_deleted_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_vport_deleted_ntf_free(struct sriov_vport_deleted_ntf *rsp);

/* SRIOV_CMD_FILTER_MOVED_NTF - event */
struct sriov_filter_moved_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 src_vport_id:1;
		__u32 vport_id:1;
		__u32 timestamp_ns:1;
		__u32 reset_reason:1;
	} _present;

	__u32 ifindex;
	__u32 src_vport_id;
	__u32 vport_id;
	unsigned int n_filter_ids;
	__u32 *filter_ids;
	__u64 timestamp_ns;
	enum sriov_reset_reason reset_reason;
};

struct sriov_filter_moved_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_filter_moved_ntf *ntf);
	struct sriov_filter_moved_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_filter_moved_ntf_free(struct sriov_filter_moved_ntf *rsp);

/* SRIOV_CMD_LINK_CHANGE_NTF - event */
struct sriov_link_change_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 link_up:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u8 link_up;
	__u64 timestamp_ns;
};

struct sriov_link_change_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_link_change_ntf *ntf);
	struct sriov_link_change_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_link_change_ntf_free(struct sriov_link_change_ntf *rsp);

/* SRIOV_CMD_CFG_WRITE_NTF - event */
struct sriov_cfg_write_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 vf_id:1;
		__u32 cfg_offset:1;
		__u32 cfg_len:1;
		__u32 cfg_value:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 vf_id;
	__u32 cfg_offset;
	__u32 cfg_len;
	__u32 cfg_value;
	__u64 timestamp_ns;
};

struct sriov_cfg_write_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_cfg_write_ntf *ntf);
	struct sriov_cfg_write_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_cfg_write_ntf_free(struct sriov_cfg_write_ntf *rsp);

/* SRIOV_CMD_FILTER_DELETED_NTF - event */
struct sriov_filter_deleted_ntf_rsp {
	struct {
		__u32 ifindex:1;
		__u32 filter_id:1;
		__u32 filter_type:1;
		__u32 filter_origin:1;
		__u32 vport_id:1;
		__u32 mac_len;
		__u32 vlan:1;
		__u32 timestamp_ns:1;
	} _present;

	__u32 ifindex;
	__u32 filter_id;
	enum sriov_filter_type filter_type;
	enum sriov_filter_origin filter_origin;
	__u32 vport_id;
	void *mac;
	__u16 vlan;
	__u64 timestamp_ns;
};

struct sriov_filter_deleted_ntf {
	__u16 family;
	__u8 cmd;
	struct ynl_ntf_base_type *next;
	void (*free)(struct sriov_filter_deleted_ntf *ntf);
	struct sriov_filter_deleted_ntf_rsp obj __attribute__((aligned(8)));
};

void sriov_filter_deleted_ntf_free(struct sriov_filter_deleted_ntf *rsp);

#endif /* _LINUX_SRIOV_GEN_H */
