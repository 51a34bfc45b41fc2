/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PF <-> VF mailbox protocol of the Intel 82576, as spoken by Linux's igb
 * and igbvf, DPDK's e1000 PF and VF code, and this project's sriov_pf and
 * sriov_vf.  This is the single definition shared by both project drivers.
 *
 * A message is up to SRIOV_MBX_SIZE 32-bit words in the VF's VMBMEM
 * buffer.  Word 0 carries the message type in bits 15:0, message-specific
 * information in bits 23:16 and the CTS/NACK/ACK flags in bits 31:29.
 */
#ifndef _SRIOV_MBX_H
#define _SRIOV_MBX_H

#include <linux/bits.h>
#include <linux/types.h>

#define SRIOV_MBX_SIZE			16	/* words in VMBMEM */

/* Word 0 layout */
#define SRIOV_MBX_TYPE			GENMASK(15, 0)
#define SRIOV_MBX_INFO			GENMASK(23, 16)
#define SRIOV_MBX_CTS			BIT(29)	/* PF: VF is clear to send */
#define SRIOV_MBX_NACK			BIT(30)
#define SRIOV_MBX_ACK			BIT(31)

/* VF -> PF requests (type field) */
#define SRIOV_MBX_VF_RESET		0x0001
#define SRIOV_MBX_SET_MAC_ADDR		0x0002
#define SRIOV_MBX_SET_MULTICAST		0x0003
#define SRIOV_MBX_SET_VLAN		0x0004
#define SRIOV_MBX_SET_LPE		0x0005
#define SRIOV_MBX_SET_PROMISC		0x0006

/* SET_MAC_ADDR sub-commands in the INFO field (igbvf) */
#define SRIOV_MBX_MAC_PRIMARY		0x0
#define SRIOV_MBX_MAC_FILTER_CLR	0x1
#define SRIOV_MBX_MAC_FILTER_ADD	0x2

/* SET_MULTICAST: INFO = number of 16-bit hashes; DPDK sets this on overflow */
#define SRIOV_MBX_MC_MAX_HASHES		30
#define SRIOV_MBX_MC_OVERFLOW		BIT(23)

/* SET_VLAN: INFO bit 0 = add (clear = remove); word 1 = VLAN id */
#define SRIOV_MBX_VLAN_ADD		0x1

/* SET_PROMISC flags in the INFO field (DPDK VF) */
#define SRIOV_MBX_PROMISC_UNICAST	0x1
#define SRIOV_MBX_PROMISC_MULTICAST	0x2

/* The exact reply VF drivers expect to VF_RESET (no CTS!), + MAC words 1-2 */
#define SRIOV_MBX_RESET_ACK		(SRIOV_MBX_VF_RESET | SRIOV_MBX_ACK)
#define SRIOV_MBX_RESET_NACK		(SRIOV_MBX_VF_RESET | SRIOV_MBX_NACK)
#define SRIOV_MBX_RESET_REPLY_LEN	3

/* PF -> VF unsolicited message: link change or PF reset ping */
#define SRIOV_MBX_PF_CONTROL		0x0100

/*
 * Project extension: read the VF's config block.  The in-tree igb PF and
 * DPDK's PF answer NACK (unknown type); our VF then runs without identity.
 *
 * Request:  word 0 = SRIOV_MBX_GET_CONFIG
 * Reply:    word 0 = request | ACK | CTS
 *           word 1 = SRIOV_MBX_CONFIG_MAGIC
 *           word 2 = protocol version (SRIOV_MBX_CONFIG_VERSION)
 *           word 3 = serial number, low 32 bits
 *           word 4 = serial number, high 32 bits
 *           word 5 = VPort id the VF is attached to (SRIOV_MBX_NO_VPORT if none)
 *           word 6 = VF index on its PF
 *           word 7 = SRIOV_MBX_CFG_* flags (version 2 and later)
 * A VF reads word 7 only from a reply of version 2 or later.
 */
#define SRIOV_MBX_GET_CONFIG		0x00c0
#define SRIOV_MBX_CONFIG_MAGIC		0x53525631	/* "SRV1" */
#define SRIOV_MBX_CONFIG_VERSION_MIN	1
#define SRIOV_MBX_CONFIG_VERSION	2
#define SRIOV_MBX_CONFIG_LEN		8
#define SRIOV_MBX_NO_VPORT		0xffffffffU

/* Policy flags the PF gives the VF (config word 7, PF_CONFIG INFO field) */
#define SRIOV_MBX_CFG_SPOOFCHK		BIT(0)	/* spoof checking on */
#define SRIOV_MBX_CFG_PORT_VLAN		BIT(1)	/* the admin owns the VLAN */
/*
 * The administrator disabled the VF (link state "disable", VPort state
 * disabled): its pool neither receives nor transmits.  The VF reports no
 * carrier until the flag clears, so nothing queues behind a ring the
 * device does not serve, and then restarts its transmit ring.
 */
#define SRIOV_MBX_CFG_DISABLED		BIT(2)

/*
 * Project extension: the VF is about to stop receiving (its driver unbinds,
 * or the function is reset or removed).  A project PF moves the filters of
 * the VF's VPort to the default VPort before it answers, so frames for the
 * VF keep flowing through the PF while the VF's queues stop.  It moves
 * nothing for a VF without a VPort or without filters.  Foreign PFs NACK
 * the unknown type; the VF then relies on the PF seeing its reset.
 *
 * Request:  word 0 = SRIOV_MBX_VF_GOING_DOWN
 * Reply:    word 0 = request | ACK | CTS (after the filters moved)
 */
#define SRIOV_MBX_VF_GOING_DOWN		0x00c1

/*
 * Project extension, PF -> VF, unsolicited: the VF's config block changed,
 * its policy flags (ip link set PF vf N spoofchk on|off, vlan X) or its
 * VPort (vport-new, vport-del, vport-set).  The message carries the new
 * flags; the VF re-reads the rest of the block (VPort id) with
 * SRIOV_MBX_GET_CONFIG, so the block is a cache the PF invalidates.  Sent
 * only to a VF that asked SRIOV_MBX_GET_CONFIG since its last reset, so
 * igbvf and DPDK's VF never see it; it carries CTS, which is all an
 * unsolicited message needs for them anyway.
 *
 * Message:  word 0 = SRIOV_MBX_PF_CONFIG | CTS | (SRIOV_MBX_CFG_* << 16)
 */
#define SRIOV_MBX_PF_CONFIG		0x00c2

/* Mailbox timing both sides follow (Linux/DPDK values) */
#define SRIOV_MBX_LOCK_TRIES		11	/* x 1 ms */
#define SRIOV_MBX_POSTED_POLLS		2000	/* x 500 us = ~1 s */
#define SRIOV_MBX_POSTED_DELAY_US	500

/* MAC address <-> message words: bytes 0-3 little endian, bytes 4-5 */
static inline void sriov_mbx_put_mac(u32 *msg, const u8 *mac)
{
	msg[0] = mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24;
	msg[1] = mac[4] | mac[5] << 8;
}

static inline void sriov_mbx_get_mac(u8 *mac, const u32 *msg)
{
	mac[0] = msg[0] & 0xff;
	mac[1] = (msg[0] >> 8) & 0xff;
	mac[2] = (msg[0] >> 16) & 0xff;
	mac[3] = (msg[0] >> 24) & 0xff;
	mac[4] = msg[1] & 0xff;
	mac[5] = (msg[1] >> 8) & 0xff;
}

#endif /* _SRIOV_MBX_H */
