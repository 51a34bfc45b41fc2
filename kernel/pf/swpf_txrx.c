// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: descriptor rings, transmit, receive and NAPI.
 *
 * Rings use advanced descriptors (the only kind QEMU's igb fully models).
 * RX buffers come from a page pool: one page per descriptor, the frame is
 * written after SWPF_RX_HEADROOM so the first buffer becomes the skb head
 * (napi_build_skb) and following buffers of a jumbo frame become fragments.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/iopoll.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/netdev_queues.h>
#include <net/page_pool/helpers.h>

#include "swpf.h"

/* ---- ring memory ---- */

int swpf_setup_tx_ring(struct swpf_ring *ring)
{
	ring->tx_buf = kvcalloc(ring->count, sizeof(*ring->tx_buf), GFP_KERNEL);
	if (!ring->tx_buf)
		return -ENOMEM;

	ring->size = ALIGN(ring->count * sizeof(struct swpf_tx_desc), 4096);
	ring->desc = dma_alloc_coherent(ring->dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc)
		goto err_free_buf;
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	return 0;

err_free_buf:
	kvfree(ring->tx_buf);
	ring->tx_buf = NULL;
	return -ENOMEM;
}

int swpf_setup_rx_ring(struct swpf_ring *ring)
{
	struct page_pool_params pp = {
		.flags = PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV,
		.order = 0,
		.pool_size = ring->count,
		.nid = dev_to_node(ring->dev),
		.dev = ring->dev,
		.napi = &ring->q_vector->napi,
		.netdev = ring->netdev,
		.dma_dir = DMA_FROM_DEVICE,
		.offset = SWPF_RX_HEADROOM,
		.max_len = SWPF_RX_BUF_LEN,
	};
	int err = -ENOMEM;

	ring->rx_buf = kvcalloc(ring->count, sizeof(*ring->rx_buf), GFP_KERNEL);
	if (!ring->rx_buf)
		return -ENOMEM;

	ring->size = ALIGN(ring->count * sizeof(union swpf_rx_desc), 4096);
	ring->desc = dma_alloc_coherent(ring->dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc)
		goto err_free_buf;

	ring->pp = page_pool_create(&pp);
	if (IS_ERR(ring->pp)) {
		err = PTR_ERR(ring->pp);
		ring->pp = NULL;
		goto err_free_desc;
	}
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->skb = NULL;
	return 0;

err_free_desc:
	dma_free_coherent(ring->dev, ring->size, ring->desc, ring->dma);
	ring->desc = NULL;
err_free_buf:
	kvfree(ring->rx_buf);
	ring->rx_buf = NULL;
	return err;
}

static void swpf_unmap_tx_buffer(struct swpf_ring *ring,
				 struct swpf_tx_buffer *buf)
{
	if (!dma_unmap_len(buf, len))
		return;
	if (buf->mapped_page)
		dma_unmap_page(ring->dev, dma_unmap_addr(buf, dma),
			       dma_unmap_len(buf, len), DMA_TO_DEVICE);
	else
		dma_unmap_single(ring->dev, dma_unmap_addr(buf, dma),
				 dma_unmap_len(buf, len), DMA_TO_DEVICE);
	dma_unmap_len_set(buf, len, 0);
}

/* drop everything still queued (hardware queue already disabled) */
void swpf_clean_tx_ring(struct swpf_ring *ring)
{
	u16 i;

	if (!ring->tx_buf)
		return;
	for (i = 0; i < ring->count; i++) {
		struct swpf_tx_buffer *buf = &ring->tx_buf[i];

		swpf_unmap_tx_buffer(ring, buf);
		if (buf->skb) {
			dev_kfree_skb_any(buf->skb);
			buf->skb = NULL;
		}
		buf->next_to_watch = NULL;
	}
	netdev_tx_reset_queue(netdev_get_tx_queue(ring->netdev,
						  ring->queue_index));
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
}

void swpf_clean_rx_ring(struct swpf_ring *ring)
{
	u16 i;

	if (!ring->rx_buf)
		return;
	if (ring->skb) {
		dev_kfree_skb_any(ring->skb);
		ring->skb = NULL;
	}
	for (i = 0; i < ring->count; i++) {
		struct swpf_rx_buffer *buf = &ring->rx_buf[i];

		if (buf->page) {
			page_pool_put_full_page(ring->pp, buf->page, false);
			buf->page = NULL;
		}
	}
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
}

void swpf_free_tx_ring(struct swpf_ring *ring)
{
	swpf_clean_tx_ring(ring);
	if (ring->desc)
		dma_free_coherent(ring->dev, ring->size, ring->desc, ring->dma);
	ring->desc = NULL;
	kvfree(ring->tx_buf);
	ring->tx_buf = NULL;
}

void swpf_free_rx_ring(struct swpf_ring *ring)
{
	swpf_clean_rx_ring(ring);
	if (ring->pp)
		page_pool_destroy(ring->pp);
	ring->pp = NULL;
	if (ring->desc)
		dma_free_coherent(ring->dev, ring->size, ring->desc, ring->dma);
	ring->desc = NULL;
	kvfree(ring->rx_buf);
	ring->rx_buf = NULL;
}

/* ---- hardware queue programming ---- */

void swpf_disable_ring_hw(struct swpf_dev *pf, struct swpf_ring *ring, bool rx)
{
	u32 reg = rx ? SWPF_RXDCTL(ring->reg_idx) : SWPF_TXDCTL(ring->reg_idx);
	u32 val;

	swpf_wr32(pf, reg, 0);
	/* bounded wait for the queue to report disabled */
	if (read_poll_timeout(swpf_rd32, val,
			      !(val & SWPF_RXDCTL_ENABLE) || val == ~0U,
			      100, 10000, false, pf, reg))
		netdev_dbg(pf->netdev, "queue %u did not disable\n",
			   ring->reg_idx);
}

void swpf_configure_tx_ring(struct swpf_dev *pf, struct swpf_ring *ring)
{
	u8 q = ring->reg_idx;

	swpf_disable_ring_hw(pf, ring, false);
	swpf_wr32(pf, SWPF_TDBAL(q), lower_32_bits(ring->dma));
	swpf_wr32(pf, SWPF_TDBAH(q), upper_32_bits(ring->dma));
	swpf_wr32(pf, SWPF_TDLEN(q), ring->count * sizeof(struct swpf_tx_desc));
	swpf_wr32(pf, SWPF_TDWBAL(q), 0);
	swpf_wr32(pf, SWPF_TDWBAH(q), 0);
	swpf_wr32(pf, SWPF_TDH(q), 0);
	swpf_wr32(pf, SWPF_TDT(q), 0);
	ring->tail = pf->bar0 + SWPF_TDT(q);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	swpf_wr32(pf, SWPF_TXDCTL(q), SWPF_TXDCTL_ENABLE |
		  FIELD_PREP(SWPF_TXDCTL_PTHRESH, 8) |
		  FIELD_PREP(SWPF_TXDCTL_HTHRESH, 1) |
		  FIELD_PREP(SWPF_TXDCTL_WTHRESH, 1));
}

static bool swpf_alloc_rx_bufs(struct swpf_ring *ring, u16 count)
{
	u16 i = ring->next_to_use;
	bool ok = true;

	while (count--) {
		struct swpf_rx_buffer *buf = &ring->rx_buf[i];
		union swpf_rx_desc *desc = SWPF_RX_DESC(ring, i);

		if (!buf->page) {
			buf->page = page_pool_dev_alloc_pages(ring->pp);
			if (unlikely(!buf->page)) {
				u64_stats_update_begin(&ring->syncp);
				ring->stats.alloc_failed++;
				u64_stats_update_end(&ring->syncp);
				ok = false;
				break;
			}
			buf->dma = page_pool_get_dma_addr(buf->page) +
				   SWPF_RX_HEADROOM;
		}
		desc->read.pkt_addr = cpu_to_le64(buf->dma);
		/* clears the DD bit of the previous write-back too */
		desc->read.hdr_addr = 0;
		if (++i == ring->count)
			i = 0;
	}

	if (ring->next_to_use != i) {
		ring->next_to_use = i;
		/* descriptors visible before the tail moves */
		dma_wmb();
		writel(i, ring->tail);
	}
	return ok;
}

void swpf_configure_rx_ring(struct swpf_dev *pf, struct swpf_ring *ring)
{
	u8 q = ring->reg_idx;

	swpf_disable_ring_hw(pf, ring, true);
	swpf_wr32(pf, SWPF_RDBAL(q), lower_32_bits(ring->dma));
	swpf_wr32(pf, SWPF_RDBAH(q), upper_32_bits(ring->dma));
	swpf_wr32(pf, SWPF_RDLEN(q), ring->count * sizeof(union swpf_rx_desc));
	swpf_wr32(pf, SWPF_SRRCTL(q),
		  FIELD_PREP(SWPF_SRRCTL_BSIZEPKT, SWPF_RX_BUF_LEN / 1024) |
		  FIELD_PREP(SWPF_SRRCTL_DESCTYPE,
			     SWPF_SRRCTL_DESCTYPE_ADV_ONEBUF) |
		  SWPF_SRRCTL_DROP_EN);
	swpf_wr32(pf, SWPF_RDH(q), 0);
	swpf_wr32(pf, SWPF_RDT(q), 0);
	ring->tail = pf->bar0 + SWPF_RDT(q);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	swpf_wr32(pf, SWPF_RXDCTL(q), SWPF_RXDCTL_ENABLE |
		  FIELD_PREP(SWPF_RXDCTL_PTHRESH, 8) |
		  FIELD_PREP(SWPF_RXDCTL_HTHRESH, 8) |
		  FIELD_PREP(SWPF_RXDCTL_WTHRESH, 1));
	swpf_alloc_rx_bufs(ring, swpf_desc_unused(ring));
}

/* ---- transmit ---- */

static int swpf_maybe_stop_tx(struct swpf_ring *ring, u16 needed)
{
	int ret;

	ret = netif_subqueue_maybe_stop(ring->netdev, ring->queue_index,
					swpf_desc_unused(ring), needed,
					SWPF_TX_WAKE_THRESHOLD);
	if (ret < 0) {
		u64_stats_update_begin(&ring->syncp);
		ring->stats.restart_queue++;
		u64_stats_update_end(&ring->syncp);
	}
	return ret == 0 ? -EBUSY : 0;
}

static void swpf_tx_ctx(struct swpf_ring *ring, u32 vlan_macip_lens,
			u32 type_tucmd, u32 mss_l4len_idx)
{
	struct swpf_tx_ctx_desc *ctx = SWPF_TX_CTX_DESC(ring, ring->next_to_use);
	struct swpf_tx_buffer *buf = &ring->tx_buf[ring->next_to_use];

	/* the context slot maps nothing */
	dma_unmap_len_set(buf, len, 0);
	ctx->vlan_macip_lens = cpu_to_le32(vlan_macip_lens);
	ctx->seqnum_seed = 0;
	ctx->type_tucmd_mlhl = cpu_to_le32(type_tucmd | SWPF_TXD_CMD_DEXT |
					   FIELD_PREP(SWPF_TXD_DTYP,
						      SWPF_TXD_DTYP_CTXT));
	ctx->mss_l4len_idx = cpu_to_le32(mss_l4len_idx);
	if (++ring->next_to_use == ring->count)
		ring->next_to_use = 0;
}

/*
 * Offload setup.  Returns <0 to drop, otherwise fills the data descriptor
 * command/olinfo bits and writes a context descriptor when one is needed
 * (TSO, checksum or VLAN insertion).
 */
static int swpf_tx_offload(struct swpf_ring *ring, struct swpf_tx_buffer *first,
			   u32 *cmd, u32 *olinfo, u32 *hdr_len)
{
	struct sk_buff *skb = first->skb;
	u32 vlan_macip_lens = 0, type_tucmd = 0, mss_l4len_idx = 0;
	bool need_ctx = false;

	if (skb_vlan_tag_present(skb)) {
		*cmd |= SWPF_TXD_CMD_VLE;
		vlan_macip_lens |= FIELD_PREP(SWPF_TXCTX_VLAN,
					      skb_vlan_tag_get(skb));
		need_ctx = true;
	}

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		goto out;

	if (skb_is_gso(skb)) {
		union { struct iphdr *v4; struct ipv6hdr *v6; void *hdr; } ip;
		struct tcphdr *th;
		u32 l4_off, paylen;
		int err;

		err = skb_cow_head(skb, 0);
		if (err)
			return err;
		ip.hdr = skb_network_header(skb);
		th = (struct tcphdr *)skb_checksum_start(skb);
		type_tucmd |= FIELD_PREP(SWPF_TXCTX_TUCMD_L4T,
					 SWPF_TXCTX_L4T_TCP);
		if (ip.v4->version == 4) {
			/* the device rewrites length and IP checksum */
			ip.v4->tot_len = 0;
			ip.v4->check = 0;
			type_tucmd |= SWPF_TXCTX_TUCMD_IPV4;
			*olinfo |= SWPF_TXD_POPTS_IXSM;
		} else {
			ip.v6->payload_len = 0;
		}
		/* pseudo-header checksum without the length */
		l4_off = (u8 *)th - skb->data;
		paylen = skb->len - l4_off;
		csum_replace_by_diff(&th->check, (__force __wsum)htonl(paylen));

		*hdr_len = l4_off + th->doff * 4;
		first->gso_segs = skb_shinfo(skb)->gso_segs;
		first->bytecount += (first->gso_segs - 1) * *hdr_len;
		mss_l4len_idx = FIELD_PREP(SWPF_TXCTX_L4LEN, th->doff * 4) |
				FIELD_PREP(SWPF_TXCTX_MSS,
					   skb_shinfo(skb)->gso_size);
		*cmd |= SWPF_TXD_CMD_TSE;
		*olinfo |= SWPF_TXD_POPTS_TXSM;
	} else {
		switch (skb->csum_offset) {
		case offsetof(struct tcphdr, check):
			type_tucmd |= FIELD_PREP(SWPF_TXCTX_TUCMD_L4T,
						 SWPF_TXCTX_L4T_TCP);
			break;
		case offsetof(struct udphdr, check):
			type_tucmd |= FIELD_PREP(SWPF_TXCTX_TUCMD_L4T,
						 SWPF_TXCTX_L4T_UDP);
			break;
		default:
			if (skb_checksum_help(skb))
				return -EINVAL;
			goto out;
		}
		if (skb->protocol == htons(ETH_P_IP) ||
		    vlan_get_protocol(skb) == htons(ETH_P_IP))
			type_tucmd |= SWPF_TXCTX_TUCMD_IPV4;
		*olinfo |= SWPF_TXD_POPTS_TXSM;
	}
	vlan_macip_lens |= FIELD_PREP(SWPF_TXCTX_MACLEN, skb_network_offset(skb)) |
			   FIELD_PREP(SWPF_TXCTX_IPLEN,
				      skb_checksum_start_offset(skb) -
				      skb_network_offset(skb));
	need_ctx = true;
out:
	if (need_ctx)
		swpf_tx_ctx(ring, vlan_macip_lens, type_tucmd, mss_l4len_idx);
	return 0;
}

static void swpf_tx_unwind(struct swpf_ring *ring, u16 first_idx)
{
	u16 i = ring->next_to_use;

	/* unmap [first_idx, next_to_use] backwards */
	for (;;) {
		swpf_unmap_tx_buffer(ring, &ring->tx_buf[i]);
		if (i == first_idx)
			break;
		i = i ? i - 1 : ring->count - 1;
	}
	ring->next_to_use = first_idx;
}

netdev_tx_t swpf_xmit_frame_ring(struct sk_buff *skb, struct swpf_ring *ring)
{
	struct netdev_queue *txq = netdev_get_tx_queue(ring->netdev,
						       ring->queue_index);
	u16 first_idx = ring->next_to_use;
	struct swpf_tx_buffer *first = &ring->tx_buf[first_idx];
	struct swpf_tx_desc *desc = NULL;
	u32 cmd = SWPF_TXD_CMD_DEXT | SWPF_TXD_CMD_IFCS |
		  FIELD_PREP(SWPF_TXD_DTYP, SWPF_TXD_DTYP_DATA);
	u32 olinfo = 0, hdr_len = 0, data_len, size;
	u16 needed = SWPF_TXD_USE_COUNT(skb_headlen(skb)) + 3;
	skb_frag_t *frag;
	bool page = false;
	dma_addr_t dma;
	u16 i;
	int f;

	for (f = 0; f < skb_shinfo(skb)->nr_frags; f++)
		needed += SWPF_TXD_USE_COUNT(skb_frag_size(&skb_shinfo(skb)->frags[f]));
	if (swpf_maybe_stop_tx(ring, needed))
		return NETDEV_TX_BUSY;

	first->skb = skb;
	first->bytecount = max_t(unsigned int, skb->len, ETH_ZLEN);
	first->gso_segs = 1;

	if (swpf_tx_offload(ring, first, &cmd, &olinfo, &hdr_len))
		goto err_drop;
	olinfo |= FIELD_PREP(SWPF_TXD_PAYLEN, skb->len - hdr_len);

	i = ring->next_to_use;
	size = skb_headlen(skb);
	data_len = skb->data_len;
	dma = dma_map_single(ring->dev, skb->data, size, DMA_TO_DEVICE);
	frag = &skb_shinfo(skb)->frags[0];

	for (;;) {
		struct swpf_tx_buffer *buf = &ring->tx_buf[i];

		if (dma_mapping_error(ring->dev, dma))
			goto err_unmap;
		buf->mapped_page = page;
		dma_unmap_len_set(buf, len, size);
		dma_unmap_addr_set(buf, dma, dma);

		for (;;) {
			u32 chunk = min_t(u32, size, SWPF_MAX_DATA_PER_TXD);

			desc = SWPF_TX_DESC(ring, i);
			desc->addr = cpu_to_le64(dma);
			desc->cmd_type_len = cpu_to_le32(cmd | chunk);
			desc->olinfo_status = cpu_to_le32(olinfo);
			size -= chunk;
			dma += chunk;
			if (!size)
				break;
			if (++i == ring->count)
				i = 0;
			dma_unmap_len_set(&ring->tx_buf[i], len, 0);
		}
		if (!data_len)
			break;
		if (++i == ring->count)
			i = 0;
		size = skb_frag_size(frag);
		data_len -= size;
		dma = skb_frag_dma_map(ring->dev, frag, 0, size, DMA_TO_DEVICE);
		page = true;
		frag++;
	}

	desc->cmd_type_len |= cpu_to_le32(SWPF_TXD_CMD_EOP | SWPF_TXD_CMD_RS);
	skb_tx_timestamp(skb);

	/* descriptors complete before next_to_watch publishes them */
	smp_wmb();
	first->next_to_watch = desc;
	if (++i == ring->count)
		i = 0;
	ring->next_to_use = i;

	swpf_maybe_stop_tx(ring, SWPF_DESC_NEEDED);
	if (__netdev_tx_sent_queue(txq, first->bytecount, netdev_xmit_more())) {
		/* descriptor writes visible to the device before the tail */
		wmb();
		writel(i, ring->tail);
	}
	return NETDEV_TX_OK;

err_unmap:
	ring->next_to_use = i;
	swpf_tx_unwind(ring, first_idx);
err_drop:
	first->skb = NULL;
	dev_kfree_skb_any(skb);
	u64_stats_update_begin(&ring->syncp);
	ring->stats.dropped++;
	u64_stats_update_end(&ring->syncp);
	return NETDEV_TX_OK;
}

netdev_tx_t swpf_xmit_frame(struct sk_buff *skb, struct net_device *netdev)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	u16 q = skb_get_queue_mapping(skb);

	if (unlikely(q >= SWPF_NUM_QUEUE_PAIRS))
		q = 0;
	return swpf_xmit_frame_ring(skb, &pf->tx_ring[q]);
}

static bool swpf_clean_tx_irq(struct swpf_ring *ring, int budget)
{
	unsigned int pkts = 0, bytes = 0, work = 0;
	u16 ntc = ring->next_to_clean;

	while (work < ring->count) {
		struct swpf_tx_buffer *first = &ring->tx_buf[ntc];
		struct swpf_tx_desc *eop = READ_ONCE(first->next_to_watch);
		u16 eop_idx;

		if (!eop)
			break;
		/* read next_to_watch before the descriptor status */
		smp_rmb();
		if (!(READ_ONCE(eop->olinfo_status) & cpu_to_le32(SWPF_TXD_STA_DD)))
			break;

		first->next_to_watch = NULL;
		pkts += first->gso_segs;
		bytes += first->bytecount;
		napi_consume_skb(first->skb, budget);
		first->skb = NULL;

		eop_idx = eop - (struct swpf_tx_desc *)ring->desc;
		for (;;) {
			swpf_unmap_tx_buffer(ring, &ring->tx_buf[ntc]);
			work++;
			if (ntc == eop_idx) {
				if (++ntc == ring->count)
					ntc = 0;
				break;
			}
			if (++ntc == ring->count)
				ntc = 0;
		}
	}
	ring->next_to_clean = ntc;

	u64_stats_update_begin(&ring->syncp);
	ring->stats.packets += pkts;
	ring->stats.bytes += bytes;
	u64_stats_update_end(&ring->syncp);

	netif_subqueue_completed_wake(ring->netdev, ring->queue_index, pkts,
				      bytes, swpf_desc_unused(ring),
				      SWPF_TX_WAKE_THRESHOLD);
	return work < ring->count;
}

/* ---- receive ---- */

static void swpf_rx_fields(struct swpf_ring *ring, union swpf_rx_desc *desc,
			   u32 staterr, struct sk_buff *skb)
{
	struct net_device *netdev = ring->netdev;

	skb_checksum_none_assert(skb);
	if ((netdev->features & NETIF_F_RXCSUM) &&
	    (staterr & (SWPF_RXD_STAT_TCPCS | SWPF_RXD_STAT_UDPCS))) {
		if (staterr & (SWPF_RXD_ERR_TCPE | SWPF_RXD_ERR_IPE)) {
			u64_stats_update_begin(&ring->syncp);
			ring->stats.csum_err++;
			u64_stats_update_end(&ring->syncp);
		} else {
			skb->ip_summed = CHECKSUM_UNNECESSARY;
		}
	}

	/* a stripped tag is reported even if stripping was just turned off */
	if (staterr & SWPF_RXD_STAT_VP)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q),
				       le16_to_cpu(desc->wb.vlan));

	skb_record_rx_queue(skb, ring->queue_index);
	skb->protocol = eth_type_trans(skb, netdev);
}

static int swpf_clean_rx_irq(struct swpf_q_vector *qv, struct swpf_ring *ring,
			     int budget)
{
	unsigned int pkts = 0, bytes = 0;
	struct sk_buff *skb = ring->skb;
	u16 cleaned = swpf_desc_unused(ring);
	u64 dropped = 0;

	while (pkts < (unsigned int)budget) {
		union swpf_rx_desc *desc;
		struct swpf_rx_buffer *buf;
		unsigned int size;
		u32 staterr;

		if (cleaned >= 16) {
			swpf_alloc_rx_bufs(ring, cleaned);
			cleaned = swpf_desc_unused(ring);
		}

		desc = SWPF_RX_DESC(ring, ring->next_to_clean);
		staterr = le32_to_cpu(READ_ONCE(desc->wb.status_error));
		if (!(staterr & SWPF_RXD_STAT_DD))
			break;
		/* read the rest of the descriptor after DD */
		dma_rmb();

		buf = &ring->rx_buf[ring->next_to_clean];
		if (unlikely(!buf->page))
			break;	/* refill failed earlier; retry next poll */
		size = min_t(unsigned int, le16_to_cpu(desc->wb.length),
			     SWPF_RX_BUF_LEN);
		dma_sync_single_range_for_cpu(ring->dev,
					      page_pool_get_dma_addr(buf->page),
					      SWPF_RX_HEADROOM, size,
					      DMA_FROM_DEVICE);

		if (!skb) {
			skb = napi_build_skb(page_address(buf->page),
					     SWPF_RX_TRUESIZE);
			if (unlikely(!skb)) {
				u64_stats_update_begin(&ring->syncp);
				ring->stats.alloc_failed++;
				u64_stats_update_end(&ring->syncp);
				break;
			}
			skb_mark_for_recycle(skb);
			skb_reserve(skb, SWPF_RX_HEADROOM);
			__skb_put(skb, size);
		} else if (skb_shinfo(skb)->nr_frags < MAX_SKB_FRAGS) {
			skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags,
					buf->page, SWPF_RX_HEADROOM, size,
					SWPF_RX_TRUESIZE);
		} else {
			/* cannot hold more: give the page back, drop frame */
			page_pool_put_full_page(ring->pp, buf->page, true);
			staterr |= SWPF_RXD_ERR_RXE;
		}
		buf->page = NULL;
		cleaned++;
		if (++ring->next_to_clean == ring->count)
			ring->next_to_clean = 0;

		if (!(staterr & SWPF_RXD_STAT_EOP))
			continue;

		if (unlikely(staterr & SWPF_RXD_ERR_RXE)) {
			dev_kfree_skb_any(skb);
			skb = NULL;
			dropped++;
			continue;
		}
		bytes += skb->len;
		swpf_rx_fields(ring, desc, staterr, skb);
		napi_gro_receive(&qv->napi, skb);
		skb = NULL;
		pkts++;
	}
	ring->skb = skb;

	u64_stats_update_begin(&ring->syncp);
	ring->stats.packets += pkts;
	ring->stats.bytes += bytes;
	ring->stats.dropped += dropped;
	u64_stats_update_end(&ring->syncp);

	if (cleaned)
		swpf_alloc_rx_bufs(ring, cleaned);
	return pkts;
}

int swpf_napi_poll(struct napi_struct *napi, int budget)
{
	struct swpf_q_vector *qv = container_of(napi, struct swpf_q_vector,
						napi);
	struct swpf_dev *pf = qv->pf;
	bool done = true;
	int work = 0;

	if (qv->tx_ring)
		done = swpf_clean_tx_irq(qv->tx_ring, budget);
	/* netpoll (budget 0): TX only, never complete */
	if (budget <= 0)
		return budget;
	if (qv->rx_ring)
		work = swpf_clean_rx_irq(qv, qv->rx_ring, budget);
	if (!done || work >= budget)
		return budget;

	if (napi_complete_done(napi, work) &&
	    !test_bit(SWPF_STATE_DOWN, pf->state))
		swpf_wr32(pf, SWPF_EIMS, qv->eims);
	return work;
}

/*
 * Loopback self-test helper (no NAPI, no interrupts): consume completed RX
 * descriptors, count frames equal to @pattern and give each buffer straight
 * back to the hardware.
 */
int swpf_loopback_rx_check(struct swpf_ring *ring, const u8 *pattern,
			   unsigned int len)
{
	int matched = 0;

	for (;;) {
		u16 ntc = ring->next_to_clean;
		union swpf_rx_desc *desc = SWPF_RX_DESC(ring, ntc);
		struct swpf_rx_buffer *buf = &ring->rx_buf[ntc];
		u32 staterr = le32_to_cpu(READ_ONCE(desc->wb.status_error));
		unsigned int size;

		if (!(staterr & SWPF_RXD_STAT_DD) || !buf->page)
			break;
		dma_rmb();
		size = le16_to_cpu(desc->wb.length);
		dma_sync_single_range_for_cpu(ring->dev,
					      page_pool_get_dma_addr(buf->page),
					      SWPF_RX_HEADROOM,
					      min_t(unsigned int, size,
						    SWPF_RX_BUF_LEN),
					      DMA_FROM_DEVICE);
		if ((staterr & SWPF_RXD_STAT_EOP) && size == len &&
		    !memcmp(page_address(buf->page) + SWPF_RX_HEADROOM,
			    pattern, len))
			matched++;
		dma_sync_single_range_for_device(ring->dev,
						 page_pool_get_dma_addr(buf->page),
						 SWPF_RX_HEADROOM,
						 SWPF_RX_BUF_LEN,
						 DMA_FROM_DEVICE);
		if (++ring->next_to_clean == ring->count)
			ring->next_to_clean = 0;
		/* re-post the same page at the producer position */
		if (ring->next_to_use != ntc) {
			ring->rx_buf[ring->next_to_use] = *buf;
			buf->page = NULL;
		}
		swpf_alloc_rx_bufs(ring, 1);
	}
	return matched;
}
