// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_vf: VF side of the 82576 PF/VF mailbox.
 *
 * The VF owns one 16-word buffer (VMBMEM) and one control register
 * (V2PMAILBOX) whose PFSTS, PFACK and RSTD bits clear on read.  Every
 * read therefore goes through swvf_v2p_sample(), which keeps the
 * read-to-clear bits in a software shadow until someone consumes them.
 *
 * Transactions (write, wait for the PF's ACK, wait for its reply, read the
 * reply) are serialised by mbx_lock and every wait is bounded by the
 * timing in sriov_mbx.h.  Everything the PF writes is treated as
 * untrusted input.
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>

#include "swvf.h"

/* RSTI wait after CTRL.RST: 200 x 5 us in igbvf; we allow 2 ms */
#define SWVF_RSTI_POLLS		400
#define SWVF_RSTI_DELAY_US	5

void swvf_mbx_init(struct swvf_adapter *adapter)
{
	mutex_init(&adapter->mbx_lock);
	spin_lock_init(&adapter->v2p_lock);
	spin_lock_init(&adapter->id_lock);
	adapter->v2p_shadow = 0;
	/* the in-tree igb PF's default, and ours until the PF says */
	WRITE_ONCE(adapter->pf_spoofchk, true);
}

/* New policy flags from the PF (PF_CONFIG or the config reply). */
static void swvf_mbx_set_policy(struct swvf_adapter *adapter, u32 flags)
{
	bool spoofchk = flags & SRIOV_MBX_CFG_SPOOFCHK;
	bool port_vlan = flags & SRIOV_MBX_CFG_PORT_VLAN;
	bool disabled = flags & SRIOV_MBX_CFG_DISABLED;

	lockdep_assert_held(&adapter->mbx_lock);
	if (READ_ONCE(adapter->pf_disabled) != disabled)
		netdev_info(adapter->netdev, "PF %s this VF\n",
			    disabled ? "disabled" : "enabled");
	/* the service task applies it to the carrier */
	WRITE_ONCE(adapter->pf_disabled, disabled);
	if (READ_ONCE(adapter->pf_spoofchk) != spoofchk ||
	    READ_ONCE(adapter->pf_port_vlan) != port_vlan)
		netdev_info(adapter->netdev,
			    "PF policy: spoof checking %s, port VLAN %s\n",
			    spoofchk ? "on" : "off", port_vlan ? "set" : "none");
	WRITE_ONCE(adapter->pf_spoofchk, spoofchk);
	WRITE_ONCE(adapter->pf_port_vlan, port_vlan);
}

/* Read V2PMAILBOX, fold read-to-clear bits into the shadow. v2p_lock held. */
static u32 swvf_v2p_sample(struct swvf_adapter *adapter)
{
	u32 v2p = swvf_rd32(adapter, SWVF_V2PMAILBOX);

	if (v2p == ~0U)
		return v2p;
	adapter->v2p_shadow |= v2p & SWVF_V2P_R2C_BITS;
	return (v2p & ~SWVF_V2P_R2C_BITS) | adapter->v2p_shadow;
}

/**
 * swvf_mbx_peek - current mailbox state without consuming events
 * @adapter: the VF
 *
 * Safe from any context, including hard irq.  Returns ~0 when the device
 * is gone.
 */
u32 swvf_mbx_peek(struct swvf_adapter *adapter)
{
	unsigned long flags;
	u32 v2p;

	spin_lock_irqsave(&adapter->v2p_lock, flags);
	v2p = swvf_v2p_sample(adapter);
	spin_unlock_irqrestore(&adapter->v2p_lock, flags);
	return v2p;
}

/* Return the state and consume the read-to-clear bits in @bits. */
static u32 swvf_mbx_take(struct swvf_adapter *adapter, u32 bits)
{
	unsigned long flags;
	u32 v2p;

	spin_lock_irqsave(&adapter->v2p_lock, flags);
	v2p = swvf_v2p_sample(adapter);
	if (v2p != ~0U)
		adapter->v2p_shadow &= ~bits;
	spin_unlock_irqrestore(&adapter->v2p_lock, flags);
	return v2p;
}

static void swvf_mbx_clear_shadow(struct swvf_adapter *adapter)
{
	unsigned long flags;

	spin_lock_irqsave(&adapter->v2p_lock, flags);
	swvf_rd32(adapter, SWVF_V2PMAILBOX);
	adapter->v2p_shadow = 0;
	spin_unlock_irqrestore(&adapter->v2p_lock, flags);
}

/* Take the buffer (VFU).  Bounded: SRIOV_MBX_LOCK_TRIES x 1 ms. */
static int swvf_mbx_obtain(struct swvf_adapter *adapter)
{
	unsigned int i;
	u32 v2p;

	for (i = 0; i < SRIOV_MBX_LOCK_TRIES; i++) {
		swvf_wr32(adapter, SWVF_V2PMAILBOX, SWVF_V2P_VFU);
		v2p = swvf_mbx_peek(adapter);
		if (v2p == ~0U)
			return -ENODEV;
		if (v2p & SWVF_V2P_VFU)
			return 0;
		usleep_range(1000, 1200);
	}
	return -EBUSY;
}

static int swvf_mbx_write(struct swvf_adapter *adapter, const u32 *msg,
			  unsigned int len)
{
	unsigned int i;
	int err;

	err = swvf_mbx_obtain(adapter);
	if (err)
		return err;
	/* the buffer is about to be overwritten: stale events are moot */
	swvf_mbx_take(adapter, SWVF_V2P_PFSTS | SWVF_V2P_PFACK);
	for (i = 0; i < len; i++)
		swvf_wr32(adapter, SWVF_VMBMEM(i), msg[i]);
	/* REQ releases VFU and interrupts the PF */
	swvf_wr32(adapter, SWVF_V2PMAILBOX, SWVF_V2P_REQ);
	return 0;
}

static int swvf_mbx_read(struct swvf_adapter *adapter, u32 *msg,
			 unsigned int len)
{
	unsigned int i;
	int err;

	err = swvf_mbx_obtain(adapter);
	if (err)
		return err;
	for (i = 0; i < len; i++)
		msg[i] = swvf_rd32(adapter, SWVF_VMBMEM(i));
	/* ACK releases VFU and tells the PF we consumed the message */
	swvf_wr32(adapter, SWVF_V2PMAILBOX, SWVF_V2P_ACK);
	return 0;
}

/*
 * Wait for @bit (PFACK or PFSTS).  Bounded by SRIOV_MBX_POSTED_POLLS polls.
 * Unless @in_reset, a PF reset indication aborts the wait with -EAGAIN:
 * the PF has lost our message and our state anyway.
 */
static int swvf_mbx_wait(struct swvf_adapter *adapter, u32 bit, bool in_reset)
{
	unsigned int i;
	u32 v2p;

	for (i = 0; i < SRIOV_MBX_POSTED_POLLS; i++) {
		v2p = swvf_mbx_take(adapter, bit);
		if (v2p == ~0U)
			return -ENODEV;
		if (v2p & bit)
			return 0;
		if (!in_reset && (v2p & (SWVF_V2P_RSTI | SWVF_V2P_RSTD)))
			return -EAGAIN;
		usleep_range(SRIOV_MBX_POSTED_DELAY_US,
			     2 * SRIOV_MBX_POSTED_DELAY_US);
	}
	return -ETIMEDOUT;
}

static void swvf_mbx_lost(struct swvf_adapter *adapter, const char *why,
			  u32 type)
{
	bool was_ready = test_and_clear_bit(SWVF_MBX_READY, adapter->state);

	set_bit(SWVF_NEED_RESET, adapter->state);
	if (was_ready)
		netdev_warn(adapter->netdev,
			    "mailbox: %s (message %#x), resetting\n", why, type);
	swvf_schedule_service(adapter);
}

/*
 * React to an unsolicited PF message (word 0 in @w0).  Return true if it
 * was one (PF_CONTROL ping, PF_CONFIG, or a NACK without CTS).
 */
static bool swvf_mbx_unsolicited(struct swvf_adapter *adapter, u32 w0)
{
	if (FIELD_GET(SRIOV_MBX_TYPE, w0) == SRIOV_MBX_PF_CONFIG &&
	    (w0 & SRIOV_MBX_CTS)) {
		swvf_mbx_set_policy(adapter, FIELD_GET(SRIOV_MBX_INFO, w0));
		/* the rest of the block (VPort id) is read by the service task */
		set_bit(SWVF_NEED_CONFIG, adapter->state);
		swvf_schedule_service(adapter);
		return true;
	}
	if (FIELD_GET(SRIOV_MBX_TYPE, w0) == SRIOV_MBX_PF_CONTROL) {
		/* a ping without CTS means the PF reset or forgot us */
		if (!(w0 & SRIOV_MBX_CTS))
			swvf_mbx_lost(adapter, "PF control message without CTS",
				      w0);
		else
			swvf_schedule_service(adapter);	/* link change */
		return true;
	}
	if ((w0 & SRIOV_MBX_NACK) && !(w0 & SRIOV_MBX_CTS)) {
		swvf_mbx_lost(adapter, "NACK without CTS", w0);
		return true;
	}
	return false;
}

/* Handle one unsolicited PF message if PFSTS is pending. mbx_lock held. */
static void swvf_mbx_handle_pending(struct swvf_adapter *adapter)
{
	u32 msg[1], v2p;

	lockdep_assert_held(&adapter->mbx_lock);
	v2p = swvf_mbx_take(adapter, SWVF_V2P_PFSTS);
	if (v2p == ~0U || !(v2p & SWVF_V2P_PFSTS))
		return;
	if (swvf_mbx_read(adapter, msg, 1))
		return;
	/* anything but a ping or a NACK is a stale reply: dropped */
	swvf_mbx_unsolicited(adapter, msg[0]);
}

#define SWVF_MBX_RETRY	1	/* a PF message crossed ours: send again */
#define SWVF_MBX_TRIES	3

/*
 * Wait for the PF's ACK of our message.  A PF message (PFSTS) arriving
 * instead means the PF wrote into the buffer over our request (the PF
 * pings VFs on link changes): consume it and ask the caller to retry.
 */
static int swvf_mbx_wait_ack(struct swvf_adapter *adapter)
{
	unsigned int i;
	u32 v2p, msg[1];

	for (i = 0; i < SRIOV_MBX_POSTED_POLLS; i++) {
		v2p = swvf_mbx_take(adapter, SWVF_V2P_PFACK);
		if (v2p == ~0U)
			return -ENODEV;
		if (v2p & SWVF_V2P_PFACK)
			return 0;
		if (v2p & (SWVF_V2P_RSTI | SWVF_V2P_RSTD))
			return -EAGAIN;
		if (v2p & SWVF_V2P_PFSTS) {
			swvf_mbx_take(adapter, SWVF_V2P_PFSTS);
			if (!swvf_mbx_read(adapter, msg, 1) &&
			    swvf_mbx_unsolicited(adapter, msg[0]) &&
			    !test_bit(SWVF_MBX_READY, adapter->state))
				return -EAGAIN;
			return SWVF_MBX_RETRY;
		}
		usleep_range(SRIOV_MBX_POSTED_DELAY_US,
			     2 * SRIOV_MBX_POSTED_DELAY_US);
	}
	return -ETIMEDOUT;
}

static int swvf_mbx_xfer(struct swvf_adapter *adapter, const u32 *msg,
			 unsigned int len, u32 *reply, unsigned int rlen)
{
	u32 type = FIELD_GET(SRIOV_MBX_TYPE, msg[0]);
	int err;

	err = swvf_mbx_write(adapter, msg, len);
	if (!err)
		err = swvf_mbx_wait_ack(adapter);
	if (!err)
		err = swvf_mbx_wait(adapter, SWVF_V2P_PFSTS, false);
	if (!err)
		err = swvf_mbx_read(adapter, reply, rlen);
	if (err)
		return err;
	if (FIELD_GET(SRIOV_MBX_TYPE, reply[0]) == type)
		return 0;
	/* our reply was overwritten by a PF ping (or is stale) */
	if (swvf_mbx_unsolicited(adapter, reply[0]) &&
	    !test_bit(SWVF_MBX_READY, adapter->state))
		return -EAGAIN;
	return SWVF_MBX_RETRY;
}

/**
 * swvf_mbx_request - one request/reply transaction
 * @adapter: the VF
 * @msg: request, @len words
 * @len: request length in words
 * @reply: buffer for @rlen reply words
 * @rlen: reply length in words
 *
 * All our requests are idempotent, so a request that crossed a PF message
 * is simply sent again (at most SWVF_MBX_TRIES times).
 *
 * Return: 0 on ACK, -EPERM on NACK, -EAGAIN if the PF lost our state (a
 * reset is scheduled), -ETIMEDOUT, -EIO if the mailbox is not ready,
 * -EPROTO for a malformed reply, -ENODEV if the device is gone.
 */
static int swvf_mbx_request(struct swvf_adapter *adapter, const u32 *msg,
			    unsigned int len, u32 *reply, unsigned int rlen)
{
	u32 type = FIELD_GET(SRIOV_MBX_TYPE, msg[0]);
	unsigned int try;
	int err;

	lockdep_assert_held(&adapter->mbx_lock);
	if (test_bit(SWVF_GONE, adapter->state))
		return -ENODEV;
	if (!test_bit(SWVF_MBX_READY, adapter->state))
		return -EIO;

	swvf_mbx_handle_pending(adapter);
	if (!test_bit(SWVF_MBX_READY, adapter->state))
		return -EAGAIN;

	for (try = 0; try < SWVF_MBX_TRIES; try++) {
		err = swvf_mbx_xfer(adapter, msg, len, reply, rlen);
		if (err != SWVF_MBX_RETRY)
			break;
	}
	switch (err) {
	case 0:
		break;
	case SWVF_MBX_RETRY:
		return -EPROTO;
	case -ETIMEDOUT:
	case -EBUSY:
		adapter->mbx_timeouts++;
		swvf_mbx_lost(adapter, "PF did not answer", type);
		return -ETIMEDOUT;
	case -EAGAIN:
		swvf_mbx_lost(adapter, "PF reset during request", type);
		return err;
	default:
		return err;
	}

	if (!(reply[0] & SRIOV_MBX_CTS)) {
		swvf_mbx_lost(adapter, "reply without CTS", reply[0]);
		return -EAGAIN;
	}
	if (reply[0] & SRIOV_MBX_NACK)
		return -EPERM;
	if (!(reply[0] & SRIOV_MBX_ACK))
		return -EPROTO;
	return 0;
}

/**
 * swvf_mbx_reset_hw - VF software reset and the VF_RESET handshake
 * @adapter: the VF
 *
 * CTRL.RST, wait (bounded) for RSTI to clear, post VF_RESET and read the
 * 3-word reply.  Only the exact word 0x80000001 carries a MAC; anything
 * else means "no MAC assigned" and leaves pf_mac zero.
 *
 * Return: 0 when the mailbox is ready, -EAGAIN if the PF is still
 * resetting, -ETIMEDOUT, -ENODEV.
 */
int swvf_mbx_reset_hw(struct swvf_adapter *adapter)
{
	u32 msg[SRIOV_MBX_RESET_REPLY_LEN] = { SRIOV_MBX_VF_RESET };
	u8 mac[ETH_ALEN];
	unsigned int i;
	u32 v2p;
	int err;

	mutex_lock(&adapter->mbx_lock);
	clear_bit(SWVF_MBX_READY, adapter->state);

	swvf_wr32(adapter, SWVF_CTRL, SWVF_CTRL_RST);
	swvf_flush(adapter);
	for (i = 0; i < SWVF_RSTI_POLLS; i++) {
		v2p = swvf_rd32(adapter, SWVF_V2PMAILBOX);
		if (v2p == ~0U) {
			err = -ENODEV;
			goto out;
		}
		if (!(v2p & SWVF_V2P_RSTI))
			break;
		udelay(SWVF_RSTI_DELAY_US);
	}
	if (i == SWVF_RSTI_POLLS) {
		err = -EAGAIN;
		goto out;
	}
	/* RSTD and any message from before the reset are now history */
	swvf_mbx_clear_shadow(adapter);

	err = swvf_mbx_write(adapter, msg, 1);
	if (!err)
		err = swvf_mbx_wait(adapter, SWVF_V2P_PFACK, true);
	if (!err)
		err = swvf_mbx_wait(adapter, SWVF_V2P_PFSTS, true);
	if (!err)
		err = swvf_mbx_read(adapter, msg, SRIOV_MBX_RESET_REPLY_LEN);
	if (err) {
		if (err == -ETIMEDOUT || err == -EBUSY) {
			adapter->mbx_timeouts++;
			err = -ETIMEDOUT;
		}
		goto out;
	}

	eth_zero_addr(adapter->pf_mac);
	if (msg[0] == SRIOV_MBX_RESET_ACK) {
		sriov_mbx_get_mac(mac, &msg[1]);
		if (is_valid_ether_addr(mac))
			ether_addr_copy(adapter->pf_mac, mac);
	} else if (FIELD_GET(SRIOV_MBX_TYPE, msg[0]) != SRIOV_MBX_VF_RESET) {
		err = -EPROTO;
		goto out;
	}
	set_bit(SWVF_MBX_READY, adapter->state);
out:
	mutex_unlock(&adapter->mbx_lock);
	return err;
}

int swvf_mbx_set_mac(struct swvf_adapter *adapter, const u8 *mac)
{
	u32 msg[3], reply[1];
	int err;

	msg[0] = SRIOV_MBX_SET_MAC_ADDR |
		 FIELD_PREP(SRIOV_MBX_INFO, SRIOV_MBX_MAC_PRIMARY);
	sriov_mbx_put_mac(&msg[1], mac);
	mutex_lock(&adapter->mbx_lock);
	err = swvf_mbx_request(adapter, msg, ARRAY_SIZE(msg), reply, 1);
	mutex_unlock(&adapter->mbx_lock);
	return err;
}

int swvf_mbx_set_multicast(struct swvf_adapter *adapter, const u16 *hashes,
			   unsigned int count, bool overflow)
{
	u32 msg[SRIOV_MBX_SIZE] = {}, reply[1];
	unsigned int i;
	int err;

	count = min_t(unsigned int, count, SRIOV_MBX_MC_MAX_HASHES);
	msg[0] = SRIOV_MBX_SET_MULTICAST | FIELD_PREP(SRIOV_MBX_INFO, count);
	if (overflow)
		msg[0] |= SRIOV_MBX_MC_OVERFLOW;
	for (i = 0; i < count; i++)
		msg[1 + i / 2] |= (u32)hashes[i] << (16 * (i & 1));

	mutex_lock(&adapter->mbx_lock);
	err = swvf_mbx_request(adapter, msg, ARRAY_SIZE(msg), reply, 1);
	mutex_unlock(&adapter->mbx_lock);
	return err;
}

int swvf_mbx_set_vlan(struct swvf_adapter *adapter, u16 vid, bool add)
{
	u32 msg[2], reply[1];
	int err;

	msg[0] = SRIOV_MBX_SET_VLAN |
		 FIELD_PREP(SRIOV_MBX_INFO, add ? SRIOV_MBX_VLAN_ADD : 0);
	msg[1] = vid;
	mutex_lock(&adapter->mbx_lock);
	err = swvf_mbx_request(adapter, msg, ARRAY_SIZE(msg), reply, 1);
	mutex_unlock(&adapter->mbx_lock);
	return err;
}

int swvf_mbx_set_lpe(struct swvf_adapter *adapter, u32 max_frame)
{
	u32 msg[2] = { SRIOV_MBX_SET_LPE, max_frame }, reply[1];
	int err;

	mutex_lock(&adapter->mbx_lock);
	err = swvf_mbx_request(adapter, msg, ARRAY_SIZE(msg), reply, 1);
	mutex_unlock(&adapter->mbx_lock);
	return err;
}

/*
 * PFs that refused SRIOV_MBX_GET_CONFIG, keyed by (PF device, PF driver)
 * so that rebinding a VF does not make a foreign PF log an "unhandled
 * message" again.  Pointers are only compared, never dereferenced.  When
 * the PF is not visible (VF assigned to a guest) nothing is cached.
 */
#define SWVF_NACK_CACHE	8
static DEFINE_MUTEX(swvf_nack_lock);
static struct {
	const void *pf;
	const void *drv;
} swvf_nack_cache[SWVF_NACK_CACHE];	/* swvf_nack_lock */
static unsigned int swvf_nack_next;	/* swvf_nack_lock */

static bool swvf_pf_key(struct swvf_adapter *adapter, const void **pf,
			const void **drv)
{
	struct pci_dev *physfn = pci_physfn(adapter->pdev);

	if (physfn == adapter->pdev)
		return false;
	*pf = physfn;
	*drv = READ_ONCE(physfn->driver);
	return *drv;
}

static bool swvf_pf_nacked(struct swvf_adapter *adapter)
{
	const void *pf, *drv;
	bool hit = false;
	unsigned int i;

	if (!swvf_pf_key(adapter, &pf, &drv))
		return false;
	mutex_lock(&swvf_nack_lock);
	for (i = 0; i < SWVF_NACK_CACHE; i++)
		if (swvf_nack_cache[i].pf == pf && swvf_nack_cache[i].drv == drv)
			hit = true;
	mutex_unlock(&swvf_nack_lock);
	return hit;
}

static void swvf_pf_remember_nack(struct swvf_adapter *adapter)
{
	const void *pf, *drv;

	if (!swvf_pf_key(adapter, &pf, &drv) || swvf_pf_nacked(adapter))
		return;
	mutex_lock(&swvf_nack_lock);
	swvf_nack_cache[swvf_nack_next].pf = pf;
	swvf_nack_cache[swvf_nack_next].drv = drv;
	swvf_nack_next = (swvf_nack_next + 1) % SWVF_NACK_CACHE;
	mutex_unlock(&swvf_nack_lock);
}

/**
 * swvf_mbx_get_config - ask the PF for our identity (project extension)
 * @adapter: the VF
 *
 * Foreign PFs (in-tree igb, DPDK) NACK the unknown message type; we then
 * remember that and never ask again for the lifetime of this binding.
 */
void swvf_mbx_get_config(struct swvf_adapter *adapter)
{
	u32 msg[1] = { SRIOV_MBX_GET_CONFIG };
	u32 reply[SRIOV_MBX_CONFIG_LEN] = {};
	struct swvf_identity id = {};
	bool nacked, changed;
	int err;

	mutex_lock(&adapter->mbx_lock);
	spin_lock(&adapter->id_lock);
	nacked = adapter->get_config_nacked;
	spin_unlock(&adapter->id_lock);
	if (!nacked && swvf_pf_nacked(adapter)) {
		nacked = true;
		dev_info(&adapter->pdev->dev,
			 "PF does not support the identity extension\n");
	}
	if (nacked)
		goto store;
	err = swvf_mbx_request(adapter, msg, 1, reply, ARRAY_SIZE(reply));
	if (err == -EPERM) {
		nacked = true;
		swvf_pf_remember_nack(adapter);
		dev_info(&adapter->pdev->dev,
			 "PF does not support the identity extension\n");
		goto store;
	}
	if (err)
		goto out;	/* keep what we had; retried after the next reset */
	if (reply[1] != SRIOV_MBX_CONFIG_MAGIC ||
	    reply[2] < SRIOV_MBX_CONFIG_VERSION_MIN) {
		dev_warn(&adapter->pdev->dev,
			 "malformed identity reply (magic %#x version %u)\n",
			 reply[1], reply[2]);
		goto store;
	}
	id.serial = (u64)reply[4] << 32 | reply[3];
	id.vport = reply[5];
	id.vf_index = reply[6];
	id.valid = true;
	/* a version 1 PF sends no flags: spoof checking stays on */
	swvf_mbx_set_policy(adapter, reply[2] >= 2 ? reply[7] :
				     SRIOV_MBX_CFG_SPOOFCHK);
store:
	/* only a PF with the extension can have disabled us */
	if (!id.valid)
		WRITE_ONCE(adapter->pf_disabled, false);
	spin_lock(&adapter->id_lock);
	changed = id.valid && (!adapter->identity.valid ||
			       adapter->identity.serial != id.serial ||
			       adapter->identity.vport != id.vport ||
			       adapter->identity.vf_index != id.vf_index);
	adapter->identity = id;
	adapter->get_config_nacked = nacked;
	spin_unlock(&adapter->id_lock);
	if (changed)
		dev_info(&adapter->pdev->dev,
			 "identity: serial %llu vport %d vf %u\n", id.serial,
			 id.vport == SRIOV_MBX_NO_VPORT ? -1 : (int)id.vport,
			 id.vf_index);
out:
	mutex_unlock(&adapter->mbx_lock);
}

/**
 * swvf_mbx_going_down - tell the PF that we are about to stop receiving
 * @adapter: the VF
 *
 * Project extension, sent at the start of PCI remove and reset_prepare,
 * while the queues still run: a project PF moves our VPort's filters to
 * its default VPort before it answers, so frames for our MAC go through
 * the PF's switch instead of into queues nobody will serve.  Only sent to
 * a PF that answered SRIOV_MBX_GET_CONFIG (a foreign PF would NACK it and
 * log an unknown message); the wait for the answer is the mailbox's
 * bounded one.
 *
 * Return: 0 when the PF acknowledged, -EOPNOTSUPP for a foreign PF, else
 * the mailbox error (the PF then only learns of it from our reset).
 */
int swvf_mbx_going_down(struct swvf_adapter *adapter)
{
	u32 msg[1] = { SRIOV_MBX_VF_GOING_DOWN }, reply[1];
	bool project_pf;
	int err;

	spin_lock(&adapter->id_lock);
	project_pf = adapter->identity.valid;
	spin_unlock(&adapter->id_lock);
	if (!project_pf)
		return -EOPNOTSUPP;
	mutex_lock(&adapter->mbx_lock);
	err = swvf_mbx_request(adapter, msg, ARRAY_SIZE(msg), reply, 1);
	mutex_unlock(&adapter->mbx_lock);
	return err;
}

/*
 * The PF invalidated our config block (PF_CONFIG): read it again, so that
 * sriov/vport is current.  RTNL held (service task): a changed serial is
 * announced like after a reset, since pairing goes by it.
 */
static void swvf_mbx_reread_config(struct swvf_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	u64 serial;
	bool valid;

	ASSERT_RTNL();
	clear_bit(SWVF_NEED_CONFIG, adapter->state);
	spin_lock(&adapter->id_lock);
	serial = adapter->identity.serial;
	valid = adapter->identity.valid;
	spin_unlock(&adapter->id_lock);
	swvf_mbx_get_config(adapter);
	spin_lock(&adapter->id_lock);
	if (adapter->identity.serial == serial &&
	    adapter->identity.valid == valid)
		netdev = NULL;
	spin_unlock(&adapter->id_lock);
	if (netdev && netdev->reg_state == NETREG_REGISTERED)
		call_netdevice_notifiers(NETDEV_CHANGEINFODATA, netdev);
}

/**
 * swvf_mbx_poll_events - notice mailbox traffic without relying on the irq
 * @adapter: the VF
 *
 * Called from the service task (process context, RTNL held).  Costs one
 * register read when nothing is pending.
 */
void swvf_mbx_poll_events(struct swvf_adapter *adapter)
{
	u32 v2p = swvf_mbx_peek(adapter);

	if (v2p == ~0U)
		return;
	if (v2p & (SWVF_V2P_RSTI | SWVF_V2P_RSTD)) {
		adapter->mbx_polled_events++;
		if (test_and_clear_bit(SWVF_MBX_READY, adapter->state))
			netdev_info(adapter->netdev,
				    "PF reset detected (mailbox %#x)\n", v2p);
		set_bit(SWVF_NEED_RESET, adapter->state);
	}
	if (v2p & SWVF_V2P_PFSTS) {
		adapter->mbx_polled_events++;
		mutex_lock(&adapter->mbx_lock);
		swvf_mbx_handle_pending(adapter);
		mutex_unlock(&adapter->mbx_lock);
	}
	/* a reset re-reads the block anyway */
	if (test_bit(SWVF_NEED_CONFIG, adapter->state) &&
	    test_bit(SWVF_MBX_READY, adapter->state) &&
	    !test_bit(SWVF_NEED_RESET, adapter->state))
		swvf_mbx_reread_config(adapter);
}
