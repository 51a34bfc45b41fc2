// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_vf: datapath of the VF's queue pair (queue 0): ring setup,
 * advanced descriptors, NAPI, transmit with checksum and VLAN offload.
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>

#include "swvf.h"

#define SWVF_RX_DESC(r, i)	(&((union swvf_rx_desc *)(r)->desc)[i])
#define SWVF_TX_DESC(r, i)	(&((struct swvf_tx_desc *)(r)->desc)[i])
#define SWVF_QUEUE_POLLS	10	/* x 1 ms for a queue to stop */

static int swvf_setup_ring(struct swvf_adapter *adapter, struct swvf_ring *ring,
			   u16 count, size_t buf_size)
{
	void *bufs;

	bufs = swvf_fault_alloc(adapter) ? NULL : kvcalloc(count, buf_size, GFP_KERNEL);
	if (!bufs)
		return -ENOMEM;
	ring->dev = &adapter->pdev->dev;
	ring->count = count;
	ring->size = ALIGN(count * 16, PAGE_SIZE);
	ring->desc = dma_alloc_coherent(ring->dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc) {
		kvfree(bufs);
		return -ENOMEM;
	}
	ring->tx_buf = bufs;
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	u64_stats_init(&ring->syncp);
	return 0;
}

static void swvf_free_ring(struct swvf_ring *ring)
{
	if (ring->desc)
		dma_free_coherent(ring->dev, ring->size, ring->desc, ring->dma);
	ring->desc = NULL;
	kvfree(ring->tx_buf);
	ring->tx_buf = NULL;
}

int swvf_setup_tx_ring(struct swvf_adapter *adapter)
{
	return swvf_setup_ring(adapter, &adapter->tx_ring,
			       adapter->tx_ring_count,
			       sizeof(struct swvf_tx_buffer));
}

int swvf_setup_rx_ring(struct swvf_adapter *adapter)
{
	return swvf_setup_ring(adapter, &adapter->rx_ring,
			       adapter->rx_ring_count,
			       sizeof(struct swvf_rx_buffer));
}

void swvf_free_tx_ring(struct swvf_adapter *adapter)
{
	swvf_clean_tx_ring(adapter);
	swvf_free_ring(&adapter->tx_ring);
}

void swvf_free_rx_ring(struct swvf_adapter *adapter)
{
	swvf_clean_rx_ring(adapter);
	swvf_free_ring(&adapter->rx_ring);
}

/* Clear a queue's ENABLE bit and wait (bounded) until the device agrees. */
static void swvf_stop_queue_hw(struct swvf_adapter *adapter, u32 reg, u32 en)
{
	unsigned int i;
	u32 val;

	swvf_wr32(adapter, reg, swvf_rd32(adapter, reg) & ~en);
	for (i = 0; i < SWVF_QUEUE_POLLS; i++) {
		val = swvf_rd32(adapter, reg);
		if (val == ~0U || !(val & en))
			return;
		usleep_range(1000, 2000);
	}
	netdev_warn(adapter->netdev, "queue register %#x did not stop\n", reg);
}

void swvf_disable_queues(struct swvf_adapter *adapter)
{
	if (test_bit(SWVF_GONE, adapter->state))
		return;
	swvf_stop_queue_hw(adapter, SWVF_RXDCTL(0), SWVF_RXDCTL_ENABLE);
	swvf_stop_queue_hw(adapter, SWVF_TXDCTL(0), SWVF_TXDCTL_ENABLE);
}

/*
 * Write the transmit tail again.  QEMU's igb sends a queue's descriptors
 * only when its tail is written, so frames posted while the PF had our
 * pool's transmit disabled would wait for the next frame, which the stack
 * holds back once those frames fill the queue's byte limit.  On the 82576
 * the same tail written again starts nothing new.  Process context.
 */
void swvf_tx_kick(struct swvf_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct swvf_ring *ring = &adapter->tx_ring;

	if (test_bit(SWVF_DOWN, adapter->state))
		return;
	netif_tx_lock_bh(netdev);
	if (READ_ONCE(ring->next_to_clean) != ring->next_to_use)
		swvf_wr32(adapter, SWVF_TDT(0), ring->next_to_use);
	netif_tx_unlock_bh(netdev);
}

void swvf_configure_tx(struct swvf_adapter *adapter)
{
	struct swvf_ring *ring = &adapter->tx_ring;

	swvf_stop_queue_hw(adapter, SWVF_TXDCTL(0), SWVF_TXDCTL_ENABLE);
	swvf_wr32(adapter, SWVF_TDBAL(0), lower_32_bits(ring->dma));
	swvf_wr32(adapter, SWVF_TDBAH(0), upper_32_bits(ring->dma));
	swvf_wr32(adapter, SWVF_TDLEN(0), ring->count * 16);
	swvf_wr32(adapter, SWVF_TDWBAL(0), 0);
	swvf_wr32(adapter, SWVF_TDWBAH(0), 0);
	swvf_wr32(adapter, SWVF_TDH(0), 0);
	swvf_wr32(adapter, SWVF_TDT(0), 0);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	swvf_wr32(adapter, SWVF_TXCTL(0),
		  swvf_rd32(adapter, SWVF_TXCTL(0)) & ~SWVF_TXCTL_WB_RO_EN);
	swvf_wr32(adapter, SWVF_TXDCTL(0),
		  FIELD_PREP(SWVF_TXDCTL_PTHRESH, 8) |
		  FIELD_PREP(SWVF_TXDCTL_HTHRESH, 1) |
		  FIELD_PREP(SWVF_TXDCTL_WTHRESH, 1) | SWVF_TXDCTL_ENABLE);
	netdev_reset_queue(adapter->netdev);
}

void swvf_configure_rx(struct swvf_adapter *adapter)
{
	struct swvf_ring *ring = &adapter->rx_ring;
	u32 mtu = READ_ONCE(adapter->netdev->mtu);

	if (mtu <= ETH_DATA_LEN)
		ring->rx_buf_len = SWVF_RX_BUF_LEN_STD;
	else
		ring->rx_buf_len = ALIGN(SWVF_MAX_FRAME(mtu), 1024);

	swvf_stop_queue_hw(adapter, SWVF_RXDCTL(0), SWVF_RXDCTL_ENABLE);
	swvf_wr32(adapter, SWVF_RDBAL(0), lower_32_bits(ring->dma));
	swvf_wr32(adapter, SWVF_RDBAH(0), upper_32_bits(ring->dma));
	swvf_wr32(adapter, SWVF_RDLEN(0), ring->count * 16);
	swvf_wr32(adapter, SWVF_RDH(0), 0);
	swvf_wr32(adapter, SWVF_RDT(0), 0);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	swvf_wr32(adapter, SWVF_SRRCTL(0),
		  FIELD_PREP(SWVF_SRRCTL_BSIZEPKT, ring->rx_buf_len / 1024) |
		  FIELD_PREP(SWVF_SRRCTL_DESCTYPE,
			     SWVF_SRRCTL_DESCTYPE_ADV_ONEBUF) |
		  SWVF_SRRCTL_DROP_EN);
	swvf_wr32(adapter, SWVF_RXDCTL(0),
		  FIELD_PREP(SWVF_RXDCTL_PTHRESH, 16) |
		  FIELD_PREP(SWVF_RXDCTL_HTHRESH, 8) |
		  FIELD_PREP(SWVF_RXDCTL_WTHRESH, 1) | SWVF_RXDCTL_ENABLE);
	swvf_alloc_rx_buffers(adapter, swvf_desc_unused(ring));
}

/* ---- receive ---- */

void swvf_alloc_rx_buffers(struct swvf_adapter *adapter, u16 count)
{
	struct swvf_ring *ring = &adapter->rx_ring;
	u16 i = ring->next_to_use;
	union swvf_rx_desc *desc;
	struct swvf_rx_buffer *buf;
	struct sk_buff *skb;

	while (count--) {
		buf = &ring->rx_buf[i];
		if (!buf->skb) {
			skb = netdev_alloc_skb_ip_align(adapter->netdev,
							ring->rx_buf_len);
			if (!skb) {
				ring->alloc_failed++;
				break;
			}
			buf->dma = dma_map_single(ring->dev, skb->data,
						  ring->rx_buf_len,
						  DMA_FROM_DEVICE);
			if (dma_mapping_error(ring->dev, buf->dma)) {
				dev_kfree_skb_any(skb);
				ring->alloc_failed++;
				break;
			}
			buf->skb = skb;
		}
		desc = SWVF_RX_DESC(ring, i);
		desc->read.pkt_addr = cpu_to_le64(buf->dma);
		desc->read.hdr_addr = 0;	/* clears DD */
		if (++i == ring->count)
			i = 0;
	}
	if (ring->next_to_use != i) {
		ring->next_to_use = i;
		/* descriptors must be visible before the tail moves */
		wmb();
		swvf_wr32(adapter, SWVF_RDT(0), i);
	}
}

void swvf_clean_rx_ring(struct swvf_adapter *adapter)
{
	struct swvf_ring *ring = &adapter->rx_ring;
	struct swvf_rx_buffer *buf;
	u16 i;

	if (!ring->rx_buf)
		return;
	for (i = 0; i < ring->count; i++) {
		buf = &ring->rx_buf[i];
		if (!buf->skb)
			continue;
		dma_unmap_single(ring->dev, buf->dma, ring->rx_buf_len,
				 DMA_FROM_DEVICE);
		dev_kfree_skb_any(buf->skb);
		buf->skb = NULL;
	}
	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
}

/* A written-back descriptor waits at next_to_clean. */
static bool swvf_rx_pending(struct swvf_adapter *adapter)
{
	struct swvf_ring *ring = &adapter->rx_ring;
	union swvf_rx_desc *desc;

	desc = SWVF_RX_DESC(ring, READ_ONCE(ring->next_to_clean));
	return !!(le32_to_cpu(READ_ONCE(desc->wb.status_error)) &
		  SWVF_RXD_STAT_DD);
}

/*
 * The RX ring after the PF took our filters: frames for our MAC no longer
 * land here, but those that landed before the move may still wait for NAPI.
 * Give NAPI a bounded moment to deliver them before the queues stop.
 */
void swvf_drain_rx(struct swvf_adapter *adapter)
{
	unsigned long end = jiffies + msecs_to_jiffies(SWVF_RX_DRAIN_MS);
	struct swvf_ring *ring = &adapter->rx_ring;

	if (!netif_running(adapter->netdev) ||
	    test_bit(SWVF_DOWN, adapter->state) || !ring->desc)
		return;
	/* NAPI runs on its irq: kick it once in case it is armed late */
	swvf_wr32(adapter, SWVF_EICS, SWVF_EIMS_QUEUE);
	do {
		if (!swvf_rx_pending(adapter))
			return;
		usleep_range(200, 400);
	} while (time_before(jiffies, end));
	netdev_dbg(adapter->netdev, "RX ring not drained in %u ms\n",
		   SWVF_RX_DRAIN_MS);
}

static void swvf_rx_checksum(struct swvf_adapter *adapter, u32 staterr,
			     struct sk_buff *skb)
{
	skb_checksum_none_assert(skb);
	if (!(adapter->netdev->features & NETIF_F_RXCSUM))
		return;
	if (staterr & (SWVF_RXD_ERR_TCPE | SWVF_RXD_ERR_IPE)) {
		adapter->rx_ring.csum_err++;
		return;
	}
	if (staterr & (SWVF_RXD_STAT_TCPCS | SWVF_RXD_STAT_UDPCS))
		skb->ip_summed = CHECKSUM_UNNECESSARY;
}

static int swvf_clean_rx_irq(struct swvf_adapter *adapter, int budget)
{
	struct swvf_ring *ring = &adapter->rx_ring;
	unsigned int packets = 0, bytes = 0;
	u16 cleaned = 0, ntc = ring->next_to_clean;
	union swvf_rx_desc *desc;
	struct swvf_rx_buffer *buf;
	struct sk_buff *skb;
	u32 staterr, lenvlan;
	u16 len;

	while (packets < budget) {
		desc = SWVF_RX_DESC(ring, ntc);
		staterr = le32_to_cpu(READ_ONCE(desc->wb.status_error));
		if (!(staterr & SWVF_RXD_STAT_DD))
			break;
		/* read the rest of the descriptor only after DD */
		dma_rmb();
		lenvlan = le32_to_cpu(desc->wb.length_vlan);
		len = FIELD_GET(SWVF_RXD_LEN, lenvlan);
		buf = &ring->rx_buf[ntc];
		skb = buf->skb;
		if (++ntc == ring->count)
			ntc = 0;
		cleaned++;
		if (!skb)	/* cannot happen unless the device misbehaves */
			continue;

		/*
		 * Buffers are sized for the MTU; a frame spanning descriptors
		 * or carrying errors is dropped whole (the buffer is reused).
		 */
		if (!(staterr & SWVF_RXD_STAT_EOP) ||
		    (staterr & SWVF_RXD_ERR_FRAME) || len > ring->rx_buf_len ||
		    len < ETH_HLEN) {
			ring->frame_err++;
			continue;
		}
		if (len <= SWVF_RX_COPYBREAK) {
			/* small frame (e.g. a TCP ACK): copy, keep the buffer */
			struct sk_buff *copy;

			copy = napi_alloc_skb(&adapter->napi, len);
			if (!copy) {
				ring->alloc_failed++;
				continue;
			}
			dma_sync_single_for_cpu(ring->dev, buf->dma, len,
						DMA_FROM_DEVICE);
			skb_put_data(copy, skb->data, len);
			dma_sync_single_for_device(ring->dev, buf->dma, len,
						   DMA_FROM_DEVICE);
			skb = copy;
		} else {
			buf->skb = NULL;
			dma_unmap_single(ring->dev, buf->dma, ring->rx_buf_len,
					 DMA_FROM_DEVICE);
			skb_put(skb, len);
		}
		swvf_rx_checksum(adapter, staterr, skb);
		/*
		 * A port VLAN the PF set (VMVIR) is stripped too: only a VLAN
		 * this VF added goes up as a tag, the port VLAN's frames go up
		 * untagged.  active_vlans changes under RTNL; a lockless read
		 * of one bit is enough here.
		 */
		if (staterr & SWVF_RXD_STAT_VP) {
			u16 tci = FIELD_GET(SWVF_RXD_VLAN, lenvlan);

			if (test_bit(tci & VLAN_VID_MASK, adapter->active_vlans))
				__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q),
						       tci);
		}
		skb->protocol = eth_type_trans(skb, adapter->netdev);
		packets++;
		bytes += len;
		napi_gro_receive(&adapter->napi, skb);

		if (cleaned >= SWVF_RX_REFILL_BATCH) {
			ring->next_to_clean = ntc;
			swvf_alloc_rx_buffers(adapter, cleaned);
			cleaned = 0;
		}
	}
	ring->next_to_clean = ntc;
	if (cleaned)
		swvf_alloc_rx_buffers(adapter, cleaned);

	u64_stats_update_begin(&ring->syncp);
	ring->stats.packets += packets;
	ring->stats.bytes += bytes;
	u64_stats_update_end(&ring->syncp);
	return packets;
}

/* ---- transmit ---- */

static void swvf_unmap_tx_buffer(struct swvf_ring *ring,
				 struct swvf_tx_buffer *buf)
{
	if (dma_unmap_len(buf, len)) {
		if (buf->page)
			dma_unmap_page(ring->dev, dma_unmap_addr(buf, dma),
				       dma_unmap_len(buf, len), DMA_TO_DEVICE);
		else
			dma_unmap_single(ring->dev, dma_unmap_addr(buf, dma),
					 dma_unmap_len(buf, len),
					 DMA_TO_DEVICE);
		dma_unmap_len_set(buf, len, 0);
	}
}

void swvf_clean_tx_ring(struct swvf_adapter *adapter)
{
	struct swvf_ring *ring = &adapter->tx_ring;
	struct swvf_tx_buffer *buf;
	u16 i;

	if (!ring->tx_buf)
		return;
	for (i = 0; i < ring->count; i++) {
		buf = &ring->tx_buf[i];
		swvf_unmap_tx_buffer(ring, buf);
		if (buf->skb)
			dev_kfree_skb_any(buf->skb);
		buf->skb = NULL;
	}
	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	netdev_reset_queue(adapter->netdev);
}

static bool swvf_clean_tx_irq(struct swvf_adapter *adapter, int napi_budget)
{
	struct swvf_ring *ring = &adapter->tx_ring;
	unsigned int packets = 0, bytes = 0, budget = ring->count;
	u16 ntc = ring->next_to_clean;
	struct swvf_tx_buffer *buf;
	struct swvf_tx_desc *eop;
	struct sk_buff *skb;

	while (ntc != READ_ONCE(ring->next_to_use) && budget) {
		buf = &ring->tx_buf[ntc];
		skb = buf->skb;
		if (!skb)
			break;
		eop = SWVF_TX_DESC(ring, buf->eop);
		if (!(le32_to_cpu(READ_ONCE(eop->olinfo_status)) &
		      SWVF_TXD_STAT_DD))
			break;
		dma_rmb();
		packets += buf->gso_segs;
		bytes += buf->bytes;
		buf->skb = NULL;
		for (;;) {
			bool last = ntc == buf->eop;
			struct swvf_tx_buffer *b = &ring->tx_buf[ntc];

			swvf_unmap_tx_buffer(ring, b);
			if (++ntc == ring->count)
				ntc = 0;
			if (last)
				break;
		}
		napi_consume_skb(skb, napi_budget);
		budget--;
	}
	/* publish freed slots before looking at the queue state */
	smp_store_release(&ring->next_to_clean, ntc);

	netdev_completed_queue(adapter->netdev, packets, bytes);
	u64_stats_update_begin(&ring->syncp);
	ring->stats.packets += packets;
	ring->stats.bytes += bytes;
	u64_stats_update_end(&ring->syncp);

	smp_mb(); /* pairs with the barrier in swvf_maybe_stop_tx */
	if (packets && netif_queue_stopped(adapter->netdev) &&
	    swvf_desc_unused(ring) >= SWVF_TX_WAKE_THRESH &&
	    !test_bit(SWVF_DOWN, adapter->state)) {
		netif_wake_queue(adapter->netdev);
		ring->restart_queue++;
	}
	return budget != 0;
}

static int swvf_maybe_stop_tx(struct swvf_adapter *adapter, u16 needed)
{
	struct swvf_ring *ring = &adapter->tx_ring;

	if (likely(swvf_desc_unused(ring) >= needed))
		return 0;
	netif_stop_queue(adapter->netdev);
	smp_mb(); /* re-read next_to_clean after stopping */
	if (swvf_desc_unused(ring) < needed)
		return -EBUSY;
	netif_start_queue(adapter->netdev);
	ring->restart_queue++;
	return 0;
}

/* Offload decisions for one frame, filled by swvf_tx_prepare(). */
struct swvf_tx_offload {
	u32 vlan_macip;		/* context descriptor words */
	u32 tucmd;
	u32 mss_l4len;
	u32 cmd;		/* extra data descriptor cmd bits */
	u32 olinfo;		/* POPTS and PAYLEN */
	u32 hdr_len;		/* TSO: bytes of headers repeated per segment */
	bool ctx;		/* a context descriptor is needed */
};

static u32 swvf_l4t(struct sk_buff *skb)
{
	switch (skb->csum_offset) {
	case offsetof(struct tcphdr, check):
		return SWVF_TXC_L4T_TCP;
	case offsetof(struct udphdr, check):
		return SWVF_TXC_L4T_UDP;
	default:
		return U32_MAX;
	}
}

/*
 * Decide on checksum offload, TSO and VLAN insertion.  Falls back to a
 * software checksum when the headers do not fit the context descriptor.
 * Return: 0, or a negative errno if the frame must be dropped.
 */
static int swvf_tx_prepare(struct sk_buff *skb, struct swvf_tx_offload *o)
{
	unsigned int maclen, iplen;
	u32 l4t;
	int err;

	memset(o, 0, sizeof(*o));
	if (skb_vlan_tag_present(skb)) {
		o->vlan_macip = FIELD_PREP(SWVF_TXC_VLAN, skb_vlan_tag_get(skb));
		o->cmd |= SWVF_TXD_CMD_VLE;
		o->ctx = true;
	}
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;

	maclen = skb_network_offset(skb);
	iplen = skb_checksum_start_offset(skb) - maclen;
	l4t = swvf_l4t(skb);
	if (l4t == U32_MAX || maclen > FIELD_MAX(SWVF_TXC_MACLEN) ||
	    iplen > FIELD_MAX(SWVF_TXC_IPLEN)) {
		if (skb_is_gso(skb))
			return -EINVAL;	/* cannot happen with our features */
		return skb_checksum_help(skb);
	}
	o->vlan_macip |= FIELD_PREP(SWVF_TXC_MACLEN, maclen) |
			 FIELD_PREP(SWVF_TXC_IPLEN, iplen);
	o->tucmd = FIELD_PREP(SWVF_TXC_TUCMD_L4T, l4t);
	if (vlan_get_protocol(skb) == htons(ETH_P_IP))
		o->tucmd |= SWVF_TXC_TUCMD_IPV4;
	o->olinfo = SWVF_TXD_POPTS_TXSM;
	o->ctx = true;

	if (skb_is_gso(skb)) {
		unsigned int l4len = tcp_hdrlen(skb);
		struct tcphdr *th = tcp_hdr(skb);

		if (l4t != SWVF_TXC_L4T_TCP)
			return -EINVAL;
		err = skb_cow_head(skb, 0);
		if (err)
			return err;
		/*
		 * The device fills in lengths and checksums per segment: IP
		 * length zero, TCP checksum = pseudo header without length.
		 */
		if (o->tucmd & SWVF_TXC_TUCMD_IPV4) {
			struct iphdr *iph = ip_hdr(skb);

			iph->tot_len = 0;
			iph->check = 0;
			th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr,
						       0, IPPROTO_TCP, 0);
			o->olinfo |= SWVF_TXD_POPTS_IXSM;
		} else {
			struct ipv6hdr *ip6h = ipv6_hdr(skb);

			ip6h->payload_len = 0;
			th->check = ~csum_ipv6_magic(&ip6h->saddr,
						     &ip6h->daddr, 0,
						     IPPROTO_TCP, 0);
		}
		o->hdr_len = skb_tcp_all_headers(skb);
		o->mss_l4len = FIELD_PREP(SWVF_TXC_MSS,
					  skb_shinfo(skb)->gso_size) |
			       FIELD_PREP(SWVF_TXC_L4LEN, l4len);
		o->cmd |= SWVF_TXD_CMD_TSE;
	}
	return 0;
}

static void swvf_write_ctx(struct swvf_ring *ring, u16 idx,
			   const struct swvf_tx_offload *o)
{
	struct swvf_tx_ctx_desc *ctx;

	ctx = (struct swvf_tx_ctx_desc *)SWVF_TX_DESC(ring, idx);
	ctx->vlan_macip_lens = cpu_to_le32(o->vlan_macip);
	ctx->seqnum_seed = 0;
	ctx->type_tucmd_mlhl = cpu_to_le32(o->tucmd | SWVF_TXD_CMD_DEXT |
					   FIELD_PREP(SWVF_TXD_DTYP,
						      SWVF_TXD_DTYP_CTXT));
	ctx->mss_l4len_idx = cpu_to_le32(o->mss_l4len);
}

/* descriptors needed for one frame: data split at SWVF_MAX_TXD_DATA */
static u16 swvf_tx_desc_count(struct sk_buff *skb)
{
	unsigned int f;
	u16 n = DIV_ROUND_UP(skb_headlen(skb), SWVF_MAX_TXD_DATA);

	for (f = 0; f < skb_shinfo(skb)->nr_frags; f++)
		n += DIV_ROUND_UP(skb_frag_size(&skb_shinfo(skb)->frags[f]),
				  SWVF_MAX_TXD_DATA);
	return n + 1;	/* context */
}

/*
 * Spoof checking, the lab's stand-in for the 82576's MAC and VLAN
 * anti-spoofing (DTXSWC), which QEMU's igb model does not enforce: while
 * the PF has spoof checking on for this VF (the default), a frame whose
 * source MAC is not the VF's MAC is dropped, and so is, while the
 * administrator set a port VLAN, a frame with an 802.1Q tag other than
 * VLAN 0.  Without a port VLAN the tags are not checked here: the VLANs a
 * VF may use include those the administrator put on its VPort, which the
 * VF is not told; silicon checks them against its pool's VLAN filters.
 * A VF driven from userspace does not pass here; on silicon the NIC
 * itself drops such frames.
 */
static bool swvf_tx_spoofed(struct swvf_adapter *adapter, struct sk_buff *skb)
{
	struct swvf_ring *ring = &adapter->tx_ring;
	struct vlan_ethhdr _veth;
	const struct vlan_ethhdr *veth;
	u16 vid = 0;

	if (!READ_ONCE(adapter->pf_spoofchk))
		return false;
	veth = skb_header_pointer(skb, 0, sizeof(_veth), &_veth);
	if (!veth)
		veth = skb_header_pointer(skb, 0, ETH_HLEN, &_veth);
	if (!veth || !ether_addr_equal(veth->h_source,
				       adapter->netdev->dev_addr)) {
		ring->tx_spoof_mac++;
		return true;
	}
	if (!READ_ONCE(adapter->pf_port_vlan))
		return false;
	if (skb_vlan_tag_present(skb))
		vid = skb_vlan_tag_get_id(skb);
	else if (veth->h_vlan_proto == htons(ETH_P_8021Q) &&
		 skb->len >= VLAN_ETH_HLEN)
		vid = ntohs(veth->h_vlan_TCI) & VLAN_VID_MASK;
	if (vid) {
		ring->tx_spoof_vlan++;
		return true;
	}
	return false;
}

netdev_tx_t swvf_xmit_frame(struct sk_buff *skb, struct net_device *netdev)
{
	struct swvf_adapter *adapter = netdev_priv(netdev);
	struct swvf_ring *ring = &adapter->tx_ring;
	u16 nr_frags = skb_shinfo(skb)->nr_frags;
	struct swvf_tx_desc *desc = NULL;
	struct swvf_tx_buffer *first, *buf;
	struct swvf_tx_offload o;
	u16 i, first_idx, f;
	unsigned int len;
	dma_addr_t dma;
	u32 cmd;

	if (test_bit(SWVF_DOWN, adapter->state) || skb->len < ETH_HLEN)
		goto drop;
	if (swvf_tx_spoofed(adapter, skb))
		goto drop;
	if (swvf_maybe_stop_tx(adapter, swvf_tx_desc_count(skb) + 1)) {
		ring->tx_busy++;
		return NETDEV_TX_BUSY;
	}
	if (swvf_tx_prepare(skb, &o))
		goto drop;

	i = ring->next_to_use;
	first_idx = i;
	first = &ring->tx_buf[i];
	if (o.ctx) {
		swvf_write_ctx(ring, i, &o);
		dma_unmap_len_set(first, len, 0);
		if (++i == ring->count)
			i = 0;
	}
	o.olinfo |= FIELD_PREP(SWVF_TXD_PAYLEN, skb->len - o.hdr_len);
	cmd = FIELD_PREP(SWVF_TXD_DTYP, SWVF_TXD_DTYP_DATA) |
	      SWVF_TXD_CMD_DEXT | SWVF_TXD_CMD_IFCS | o.cmd;

	for (f = 0; f <= nr_frags; f++) {
		bool page = f > 0;

		if (page) {
			skb_frag_t *frag = &skb_shinfo(skb)->frags[f - 1];

			len = skb_frag_size(frag);
			dma = skb_frag_dma_map(ring->dev, frag, 0, len,
					       DMA_TO_DEVICE);
		} else {
			len = skb_headlen(skb);
			dma = dma_map_single(ring->dev, skb->data, len,
					     DMA_TO_DEVICE);
		}
		if (dma_mapping_error(ring->dev, dma))
			goto unwind;
		buf = &ring->tx_buf[i];
		buf->page = page;
		dma_unmap_addr_set(buf, dma, dma);
		dma_unmap_len_set(buf, len, len);
		/* one mapping, as many descriptors as the length needs */
		for (;;) {
			unsigned int chunk = min_t(unsigned int, len,
						   SWVF_MAX_TXD_DATA);

			desc = SWVF_TX_DESC(ring, i);
			desc->buffer_addr = cpu_to_le64(dma);
			desc->olinfo_status = cpu_to_le32(o.olinfo);
			desc->cmd_type_len = cpu_to_le32(cmd | chunk);
			len -= chunk;
			dma += chunk;
			if (!len)
				break;
			if (++i == ring->count)
				i = 0;
			dma_unmap_len_set(&ring->tx_buf[i], len, 0);
		}
		if (f < nr_frags && ++i == ring->count)
			i = 0;
	}
	desc->cmd_type_len |= cpu_to_le32(SWVF_TXD_CMD_EOP | SWVF_TXD_CMD_RS);

	first->skb = skb;
	first->eop = i;
	first->gso_segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
	first->bytes = skb->len + (first->gso_segs - 1) * o.hdr_len;
	netdev_sent_queue(netdev, first->bytes);
	skb_tx_timestamp(skb);

	if (++i == ring->count)
		i = 0;
	/* descriptors before tail; also orders first->skb for the cleaner */
	wmb();
	ring->next_to_use = i;
	swvf_maybe_stop_tx(adapter, SWVF_TX_DESC_NEEDED);
	if (!netdev_xmit_more() || netif_queue_stopped(netdev))
		swvf_wr32(adapter, SWVF_TDT(0), i);
	return NETDEV_TX_OK;

unwind:
	/* unmap everything mapped for this frame, from first_idx to i */
	for (;;) {
		swvf_unmap_tx_buffer(ring, &ring->tx_buf[first_idx]);
		if (first_idx == i)
			break;
		if (++first_idx == ring->count)
			first_idx = 0;
	}
drop:
	dev_kfree_skb_any(skb);
	netdev->stats.tx_dropped++;
	return NETDEV_TX_OK;
}

int swvf_poll(struct napi_struct *napi, int budget)
{
	struct swvf_adapter *adapter = container_of(napi, struct swvf_adapter,
						    napi);
	bool tx_done;
	int work;

	tx_done = swvf_clean_tx_irq(adapter, budget);
	work = budget ? swvf_clean_rx_irq(adapter, budget) : 0;
	if (!tx_done || work >= budget)
		return budget;
	/*
	 * A frame written back after the last look, while the vector was
	 * masked, raises no interrupt on QEMU's igb VF when the vector is
	 * unmasked: it would wait for the next frame, which never comes once
	 * the filters left our VPort.  So unmask, then look once more, while
	 * NAPI is still ours: once napi_complete_done() released it,
	 * swvf_down()'s napi_disable() may return and swvf_close() free the
	 * rings under us.  An interrupt raised after the unmask finds NAPI
	 * scheduled; napi_complete_done() then polls again.
	 */
	if (!test_bit(SWVF_DOWN, adapter->state)) {
		swvf_wr32(adapter, SWVF_EIMS, SWVF_EIMS_QUEUE);
		if (swvf_rx_pending(adapter))
			return budget;
	}
	napi_complete_done(napi, work);
	return work;
}
