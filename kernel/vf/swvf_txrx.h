/* SPDX-License-Identifier: GPL-2.0 */
/* sriov_vf: descriptor and ring structures of the VF queue pair. */
#ifndef _SWVF_TXRX_H
#define _SWVF_TXRX_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>

#define SWVF_DEFAULT_RING_SIZE	256
#define SWVF_MIN_RING_SIZE	64
#define SWVF_MAX_RING_SIZE	4096
#define SWVF_RING_ALIGN		8	/* RDLEN/TDLEN: multiple of 128 bytes */

#define SWVF_RX_BUF_LEN_STD	2048
#define SWVF_MAX_TXD_DATA	32768	/* bytes per data descriptor */
/* worst case for one frame: head + frags, each split once, + context */
#define SWVF_TX_DESC_NEEDED	(2 * (MAX_SKB_FRAGS + 1) + 1)
#define SWVF_TX_WAKE_THRESH	(SWVF_TX_DESC_NEEDED + 8)
#define SWVF_RX_REFILL_BATCH	16
#define SWVF_RX_COPYBREAK	256	/* copy frames up to this size */

/* Advanced receive descriptor: read format and write-back format */
union swvf_rx_desc {
	struct {
		__le64 pkt_addr;
		__le64 hdr_addr;
	} read;
	struct {
		__le32 info;		/* RSS type, packet type, header length */
		__le32 csum_ip;		/* RSS hash or IP id + checksum */
		__le32 status_error;
		__le32 length_vlan;
	} wb;
};

/* Advanced transmit data descriptor */
struct swvf_tx_desc {
	__le64 buffer_addr;
	__le32 cmd_type_len;
	__le32 olinfo_status;	/* DD is bit 0 on write-back */
};

/* Advanced transmit context descriptor */
struct swvf_tx_ctx_desc {
	__le32 vlan_macip_lens;
	__le32 seqnum_seed;
	__le32 type_tucmd_mlhl;
	__le32 mss_l4len_idx;
};

struct swvf_tx_buffer {
	struct sk_buff *skb;		/* set on the first buffer of a frame */
	u16 eop;			/* index of the frame's last descriptor */
	u16 gso_segs;
	u32 bytes;
	bool page;			/* mapped with dma_map_page */
	DEFINE_DMA_UNMAP_ADDR(dma);
	DEFINE_DMA_UNMAP_LEN(len);
};

struct swvf_rx_buffer {
	struct sk_buff *skb;
	dma_addr_t dma;
};

struct swvf_ring_stats {
	u64 packets;
	u64 bytes;
};

/*
 * One descriptor ring.  The TX ring is written by ndo_start_xmit (netdev
 * TX queue lock) and cleaned by NAPI; next_to_use/next_to_clean use the
 * usual single-producer single-consumer rules with barriers.  The RX ring
 * is touched only by NAPI (or with NAPI disabled).
 */
struct swvf_ring {
	struct device *dev;		/* for DMA mapping */
	void *desc;
	dma_addr_t dma;
	unsigned int size;		/* bytes */
	u16 count;			/* descriptors */
	u16 next_to_use;
	u16 next_to_clean;
	u16 rx_buf_len;			/* RX: bytes per buffer */
	union {
		struct swvf_tx_buffer *tx_buf;
		struct swvf_rx_buffer *rx_buf;
	};
	struct swvf_ring_stats stats;	/* guarded by syncp */
	struct u64_stats_sync syncp;
	/* error counters, same writer as stats */
	u64 restart_queue;
	u64 tx_busy;
	u64 alloc_failed;
	u64 csum_err;
	u64 frame_err;
	u64 tx_spoof_mac;		/* dropped: source MAC not ours */
	u64 tx_spoof_vlan;		/* dropped: VLAN the PF did not give */
};

static inline u16 swvf_desc_unused(const struct swvf_ring *ring)
{
	u16 ntc = READ_ONCE(ring->next_to_clean);
	u16 ntu = READ_ONCE(ring->next_to_use);

	return ((ntc > ntu) ? 0 : ring->count) + ntc - ntu - 1;
}

struct swvf_adapter;

int swvf_setup_tx_ring(struct swvf_adapter *adapter);
int swvf_setup_rx_ring(struct swvf_adapter *adapter);
void swvf_free_tx_ring(struct swvf_adapter *adapter);
void swvf_free_rx_ring(struct swvf_adapter *adapter);
void swvf_configure_tx(struct swvf_adapter *adapter);
void swvf_tx_kick(struct swvf_adapter *adapter);
void swvf_configure_rx(struct swvf_adapter *adapter);
void swvf_disable_queues(struct swvf_adapter *adapter);
void swvf_clean_tx_ring(struct swvf_adapter *adapter);
void swvf_clean_rx_ring(struct swvf_adapter *adapter);
void swvf_drain_rx(struct swvf_adapter *adapter);
void swvf_alloc_rx_buffers(struct swvf_adapter *adapter, u16 count);
int swvf_poll(struct napi_struct *napi, int budget);
netdev_tx_t swvf_xmit_frame(struct sk_buff *skb, struct net_device *netdev);

#endif /* _SWVF_TXRX_H */
