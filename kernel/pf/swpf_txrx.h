/* SPDX-License-Identifier: GPL-2.0 */
/* sriov_pf: ring and descriptor structures (advanced descriptors only). */
#ifndef _SWPF_TXRX_H_
#define _SWPF_TXRX_H_

#include <linux/bits.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>

struct swpf_dev;
struct swpf_q_vector;
struct page_pool;

/* ---- START advanced TX descriptor ---- */
struct swpf_tx_desc {
	__le64 addr;
	__le32 cmd_type_len;
	__le32 olinfo_status;	/* DD (bit 0) in write-back */
};

#define SWPF_TXD_DTALEN			GENMASK(15, 0)
#define SWPF_TXD_DTYP			GENMASK(23, 20)
#define  SWPF_TXD_DTYP_CTXT		2
#define  SWPF_TXD_DTYP_DATA		3
#define SWPF_TXD_CMD_EOP		BIT(24)
#define SWPF_TXD_CMD_IFCS		BIT(25)
#define SWPF_TXD_CMD_RS			BIT(27)
#define SWPF_TXD_CMD_DEXT		BIT(29)
#define SWPF_TXD_CMD_VLE		BIT(30)
#define SWPF_TXD_CMD_TSE		BIT(31)

#define SWPF_TXD_STA_DD			BIT(0)
#define SWPF_TXD_IDX			GENMASK(6, 4)
#define SWPF_TXD_POPTS_IXSM		BIT(8)
#define SWPF_TXD_POPTS_TXSM		BIT(9)
#define SWPF_TXD_PAYLEN			GENMASK(31, 14)

struct swpf_tx_ctx_desc {
	__le32 vlan_macip_lens;
	__le32 seqnum_seed;
	__le32 type_tucmd_mlhl;
	__le32 mss_l4len_idx;
};

#define SWPF_TXCTX_IPLEN		GENMASK(8, 0)
#define SWPF_TXCTX_MACLEN		GENMASK(15, 9)
#define SWPF_TXCTX_VLAN			GENMASK(31, 16)
#define SWPF_TXCTX_TUCMD_IPV4		BIT(10)
#define SWPF_TXCTX_TUCMD_L4T		GENMASK(12, 11)
#define  SWPF_TXCTX_L4T_UDP		0
#define  SWPF_TXCTX_L4T_TCP		1
#define  SWPF_TXCTX_L4T_SCTP		2
#define SWPF_TXCTX_L4LEN		GENMASK(15, 8)
#define SWPF_TXCTX_MSS			GENMASK(31, 16)

/* Largest chunk we put in one data descriptor (DTALEN is 16 bit). */
#define SWPF_MAX_DATA_PER_TXD		BIT(15)
#define SWPF_TXD_USE_COUNT(s)		DIV_ROUND_UP((s), SWPF_MAX_DATA_PER_TXD)
/* descriptors needed for the worst-case skb: frags + head + context + gap */
#define SWPF_DESC_NEEDED		(MAX_SKB_FRAGS + 4)
#define SWPF_TX_WAKE_THRESHOLD		(SWPF_DESC_NEEDED * 2)
/* ---- END advanced TX descriptor ---- */

/* ---- START advanced RX descriptor ---- */
union swpf_rx_desc {
	struct {
		__le64 pkt_addr;
		__le64 hdr_addr;	/* bit 0 overlaps DD: cleared on refill */
	} read;
	struct {
		__le32 info;		/* RSS type, packet type, header length */
		__le32 csum_ip;		/* IP id + packet checksum */
		__le32 status_error;
		__le16 length;
		__le16 vlan;
	} wb;
};

#define SWPF_RXD_STAT_DD		BIT(0)
#define SWPF_RXD_STAT_EOP		BIT(1)
#define SWPF_RXD_STAT_VP		BIT(3)
#define SWPF_RXD_STAT_UDPCS		BIT(4)
#define SWPF_RXD_STAT_TCPCS		BIT(5)
#define SWPF_RXD_STAT_IPCS		BIT(6)
#define SWPF_RXD_ERR_TCPE		BIT(29)
#define SWPF_RXD_ERR_IPE		BIT(30)
#define SWPF_RXD_ERR_RXE		BIT(31)
/* ---- END advanced RX descriptor ---- */

#define SWPF_DEFAULT_TXD		256
#define SWPF_DEFAULT_RXD		256
#define SWPF_MIN_DESC			64
#define SWPF_MAX_DESC			4096
#define SWPF_DESC_ALIGN			8	/* RDLEN/TDLEN: multiple of 128 B */

/* RX buffers: one page each, packet written after SWPF_RX_HEADROOM, at most
 * SWPF_RX_BUF_LEN bytes per descriptor (SRRCTL.BSIZEPKT is in 1 KiB units);
 * larger frames span several descriptors and become page fragments.
 */
#define SWPF_RX_HEADROOM		(NET_SKB_PAD + NET_IP_ALIGN)
#define SWPF_RX_BUF_LEN			2048
#define SWPF_RX_TRUESIZE		PAGE_SIZE
#define SWPF_RX_COPYBREAK		256

struct swpf_tx_buffer {
	struct swpf_tx_desc *next_to_watch;	/* EOP descriptor of the packet */
	struct sk_buff *skb;
	unsigned int bytecount;
	u16 gso_segs;
	bool mapped_page;			/* dma_unmap_page vs _single */
	DEFINE_DMA_UNMAP_ADDR(dma);
	DEFINE_DMA_UNMAP_LEN(len);
};

struct swpf_rx_buffer {
	struct page *page;
	dma_addr_t dma;
};

struct swpf_ring_stats {
	u64 packets;
	u64 bytes;
	u64 restart_queue;	/* TX: queue woken after being stopped */
	u64 csum_err;		/* RX: hardware reported bad checksum */
	u64 alloc_failed;	/* RX: page allocation failed */
	u64 dropped;		/* TX: DMA mapping failure / RX: bad frame */
};

/**
 * struct swpf_ring - one TX or RX descriptor ring of the PF
 * @q_vector:	interrupt vector servicing this ring
 * @netdev:	owning net device
 * @dev:	DMA device
 * @desc:	descriptor memory
 * @tx_buf:	per-descriptor TX bookkeeping (TX rings)
 * @rx_buf:	per-descriptor RX pages (RX rings)
 * @pp:		page pool of an RX ring
 * @skb:	RX frame in progress (multi-descriptor), NAPI context only
 * @tail:	mapped tail register
 * @dma:	bus address of @desc
 * @size:	bytes of descriptor memory
 * @count:	number of descriptors
 * @next_to_use: producer index (xmit path / refill)
 * @next_to_clean: consumer index (NAPI)
 * @queue_index: netdev queue index
 * @reg_idx:	hardware queue number (PF pool: reg_idx % 8 == pf_pool)
 * @stats:	software counters, guarded by @syncp
 * @syncp:	u64_stats sync for @stats
 */
struct swpf_ring {
	struct swpf_q_vector *q_vector;
	struct net_device *netdev;
	struct device *dev;
	void *desc;
	union {
		struct swpf_tx_buffer *tx_buf;
		struct swpf_rx_buffer *rx_buf;
	};
	struct page_pool *pp;
	struct sk_buff *skb;
	u8 __iomem *tail;
	dma_addr_t dma;
	unsigned int size;
	u16 count;
	u16 next_to_use;
	u16 next_to_clean;
	u8 queue_index;
	u8 reg_idx;
	struct swpf_ring_stats stats;
	struct u64_stats_sync syncp;
};

static inline u16 swpf_desc_unused(const struct swpf_ring *ring)
{
	u16 ntc = ring->next_to_clean;
	u16 ntu = ring->next_to_use;

	return ((ntc > ntu) ? 0 : ring->count) + ntc - ntu - 1;
}

#define SWPF_TX_DESC(r, i)	(&((struct swpf_tx_desc *)((r)->desc))[i])
#define SWPF_TX_CTX_DESC(r, i)	(&((struct swpf_tx_ctx_desc *)((r)->desc))[i])
#define SWPF_RX_DESC(r, i)	(&((union swpf_rx_desc *)((r)->desc))[i])

/**
 * struct swpf_q_vector - one MSI-X vector serving a TX/RX ring pair
 * @pf:		owning device
 * @tx_ring:	TX ring handled by @napi
 * @rx_ring:	RX ring handled by @napi
 * @napi:	NAPI context
 * @eims:	EIMS/EIMC/EICS bit of this vector
 * @v_idx:	MSI-X vector (= EICR bit) number
 * @name:	IRQ name
 */
struct swpf_q_vector {
	struct swpf_dev *pf;
	struct swpf_ring *tx_ring;
	struct swpf_ring *rx_ring;
	struct napi_struct napi;
	u32 eims;
	u16 v_idx;
	char name[IFNAMSIZ + 16];
};

int swpf_setup_tx_ring(struct swpf_ring *ring);
int swpf_setup_rx_ring(struct swpf_ring *ring);
void swpf_free_tx_ring(struct swpf_ring *ring);
void swpf_free_rx_ring(struct swpf_ring *ring);
void swpf_clean_tx_ring(struct swpf_ring *ring);
void swpf_clean_rx_ring(struct swpf_ring *ring);
void swpf_configure_tx_ring(struct swpf_dev *pf, struct swpf_ring *ring);
void swpf_configure_rx_ring(struct swpf_dev *pf, struct swpf_ring *ring);
void swpf_disable_ring_hw(struct swpf_dev *pf, struct swpf_ring *ring, bool rx);
int swpf_napi_poll(struct napi_struct *napi, int budget);
netdev_tx_t swpf_xmit_frame(struct sk_buff *skb, struct net_device *netdev);
netdev_tx_t swpf_xmit_frame_ring(struct sk_buff *skb, struct swpf_ring *ring);
int swpf_loopback_rx_check(struct swpf_ring *ring, const u8 *pattern,
			   unsigned int len);

#endif /* _SWPF_TXRX_H_ */
