// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: statistics.  The hardware counters are clear-on-read and are
 * accumulated into 64-bit values under pf->stats_lock (watchdog every 2 s,
 * and on every read through ndo_get_stats64 / ethtool -S).  Per-ring packet
 * and byte counts are kept by the datapath under u64_stats.
 */
#include <linux/ethtool.h>

#include "swpf.h"

struct swpf_stat {
	char name[ETH_GSTRING_LEN];
	u32 reg;
	bool wide;		/* 64-bit counter: low register, high at +4 */
	size_t offset;
};

#define SWPF_STAT(_name, _reg, _field) { \
	.name = _name, .reg = _reg, .wide = false, \
	.offset = offsetof(struct swpf_hw_stats, _field) }
#define SWPF_STAT64(_name, _reg, _field) { \
	.name = _name, .reg = _reg, .wide = true, \
	.offset = offsetof(struct swpf_hw_stats, _field) }

static const struct swpf_stat swpf_hw_stat_table[] = {
	SWPF_STAT("rx_crc_errors", SWPF_CRCERRS, crcerrs),
	SWPF_STAT("rx_align_errors", SWPF_ALGNERRC, algnerrc),
	SWPF_STAT("rx_symbol_errors", SWPF_SYMERRS, symerrs),
	SWPF_STAT("rx_errors_hw", SWPF_RXERRC, rxerrc),
	SWPF_STAT("rx_missed_errors", SWPF_MPC, mpc),
	SWPF_STAT("tx_single_coll", SWPF_SCC, scc),
	SWPF_STAT("tx_excess_coll", SWPF_ECOL, ecol),
	SWPF_STAT("tx_multi_coll", SWPF_MCC, mcc),
	SWPF_STAT("tx_late_coll", SWPF_LATECOL, latecol),
	SWPF_STAT("collisions", SWPF_COLC, colc),
	SWPF_STAT("tx_deferred", SWPF_DC, dc),
	SWPF_STAT("tx_no_crs", SWPF_TNCRS, tncrs),
	SWPF_STAT("rx_seq_errors", SWPF_SEC, sec),
	SWPF_STAT("rx_carrier_ext_errors", SWPF_CEXTERR, cextrerr),
	SWPF_STAT("rx_length_errors", SWPF_RLEC, rlec),
	SWPF_STAT("rx_xon", SWPF_XONRXC, xonrxc),
	SWPF_STAT("tx_xon", SWPF_XONTXC, xontxc),
	SWPF_STAT("rx_xoff", SWPF_XOFFRXC, xoffrxc),
	SWPF_STAT("tx_xoff", SWPF_XOFFTXC, xofftxc),
	SWPF_STAT("rx_fc_unsupported", SWPF_FCRUC, fcruc),
	SWPF_STAT("rx_size_64", SWPF_PRC64, prc64),
	SWPF_STAT("rx_size_65_127", SWPF_PRC127, prc127),
	SWPF_STAT("rx_size_128_255", SWPF_PRC255, prc255),
	SWPF_STAT("rx_size_256_511", SWPF_PRC511, prc511),
	SWPF_STAT("rx_size_512_1023", SWPF_PRC1023, prc1023),
	SWPF_STAT("rx_size_1024_max", SWPF_PRC1522, prc1522),
	SWPF_STAT("rx_good_packets", SWPF_GPRC, gprc),
	SWPF_STAT("rx_broadcast", SWPF_BPRC, bprc),
	SWPF_STAT("rx_multicast", SWPF_MPRC, mprc),
	SWPF_STAT("tx_good_packets", SWPF_GPTC, gptc),
	SWPF_STAT64("rx_good_bytes", SWPF_GORCL, gorc),
	SWPF_STAT64("tx_good_bytes", SWPF_GOTCL, gotc),
	SWPF_STAT("rx_no_buffer", SWPF_RNBC, rnbc),
	SWPF_STAT("rx_undersize", SWPF_RUC, ruc),
	SWPF_STAT("rx_fragments", SWPF_RFC, rfc),
	SWPF_STAT("rx_oversize", SWPF_ROC, roc),
	SWPF_STAT("rx_jabbers", SWPF_RJC, rjc),
	SWPF_STAT64("rx_total_bytes", SWPF_TORL, tor),
	SWPF_STAT64("tx_total_bytes", SWPF_TOTL, tot),
	SWPF_STAT("rx_total_packets", SWPF_TPR, tpr),
	SWPF_STAT("tx_total_packets", SWPF_TPT, tpt),
	SWPF_STAT("tx_size_64", SWPF_PTC64, ptc64),
	SWPF_STAT("tx_size_65_127", SWPF_PTC127, ptc127),
	SWPF_STAT("tx_size_128_255", SWPF_PTC255, ptc255),
	SWPF_STAT("tx_size_256_511", SWPF_PTC511, ptc511),
	SWPF_STAT("tx_size_512_1023", SWPF_PTC1023, ptc1023),
	SWPF_STAT("tx_size_1024_max", SWPF_PTC1522, ptc1522),
	SWPF_STAT("tx_multicast", SWPF_MPTC, mptc),
	SWPF_STAT("tx_broadcast", SWPF_BPTC, bptc),
	SWPF_STAT("tx_tso_contexts", SWPF_TSCTC, tsctc),
	SWPF_STAT("tx_tso_ctx_fail", SWPF_TSCTFC, tsctfc),
};

static const char * const swpf_ring_stat_names[] = {
	"packets", "bytes", "restart", "csum_err", "alloc_failed", "dropped",
};

#define SWPF_HW_STATS		ARRAY_SIZE(swpf_hw_stat_table)
#define SWPF_RING_STATS		ARRAY_SIZE(swpf_ring_stat_names)

static void swpf_stats_update_locked(struct swpf_dev *pf)
{
	unsigned int i;

	lockdep_assert_held(&pf->stats_lock);
	if (swpf_removed(pf))
		return;
	for (i = 0; i < SWPF_HW_STATS; i++) {
		const struct swpf_stat *s = &swpf_hw_stat_table[i];
		u64 *acc = (u64 *)((u8 *)&pf->hw_stats + s->offset);
		u64 val = swpf_rd32(pf, s->reg);

		/* low first: reading the high half clears both */
		if (s->wide)
			val |= (u64)swpf_rd32(pf, s->reg + 4) << 32;
		if (swpf_removed(pf))
			return;
		*acc += val;
	}
}

void swpf_stats_update(struct swpf_dev *pf)
{
	spin_lock_bh(&pf->stats_lock);
	swpf_stats_update_locked(pf);
	spin_unlock_bh(&pf->stats_lock);
}

static void swpf_ring_stats(struct swpf_ring *ring, struct swpf_ring_stats *out)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&ring->syncp);
		*out = ring->stats;
	} while (u64_stats_fetch_retry(&ring->syncp, start));
}

void swpf_get_stats64(struct net_device *netdev,
		      struct rtnl_link_stats64 *stats)
{
	struct swpf_dev *pf = netdev_priv(netdev);
	struct swpf_hw_stats *hw = &pf->hw_stats;
	struct swpf_ring_stats rs;
	int i;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++) {
		swpf_ring_stats(&pf->rx_ring[i], &rs);
		stats->rx_packets += rs.packets;
		stats->rx_bytes += rs.bytes;
		stats->rx_dropped += rs.dropped;
		swpf_ring_stats(&pf->tx_ring[i], &rs);
		stats->tx_packets += rs.packets;
		stats->tx_bytes += rs.bytes;
		stats->tx_dropped += rs.dropped;
	}

	spin_lock_bh(&pf->stats_lock);
	swpf_stats_update_locked(pf);
	stats->multicast = hw->mprc;
	stats->collisions = hw->colc;
	stats->rx_crc_errors = hw->crcerrs;
	stats->rx_frame_errors = hw->algnerrc;
	stats->rx_missed_errors = hw->mpc;
	/* RUC is not an error in QEMU: it counts padded short frames */
	stats->rx_length_errors = hw->rlec + hw->roc;
	stats->rx_errors = hw->crcerrs + hw->algnerrc + hw->rxerrc +
			   hw->rlec + hw->roc + hw->sec + hw->cextrerr;
	stats->rx_fifo_errors = hw->rnbc;
	stats->tx_aborted_errors = hw->ecol;
	stats->tx_window_errors = hw->latecol;
	stats->tx_carrier_errors = hw->tncrs;
	stats->tx_errors = hw->ecol + hw->latecol;
	spin_unlock_bh(&pf->stats_lock);
}

int swpf_stats_count(void)
{
	return SWPF_HW_STATS + 2 * SWPF_NUM_QUEUE_PAIRS * SWPF_RING_STATS;
}

void swpf_stats_strings(u8 *data)
{
	unsigned int i, q;

	for (i = 0; i < SWPF_HW_STATS; i++)
		ethtool_puts(&data, swpf_hw_stat_table[i].name);
	for (q = 0; q < SWPF_NUM_QUEUE_PAIRS; q++) {
		for (i = 0; i < SWPF_RING_STATS; i++)
			ethtool_sprintf(&data, "tx_queue_%u_%s", q,
					swpf_ring_stat_names[i]);
		for (i = 0; i < SWPF_RING_STATS; i++)
			ethtool_sprintf(&data, "rx_queue_%u_%s", q,
					swpf_ring_stat_names[i]);
	}
}

static u64 *swpf_fill_ring(struct swpf_ring *ring, u64 *data)
{
	struct swpf_ring_stats rs;

	swpf_ring_stats(ring, &rs);
	*data++ = rs.packets;
	*data++ = rs.bytes;
	*data++ = rs.restart_queue;
	*data++ = rs.csum_err;
	*data++ = rs.alloc_failed;
	*data++ = rs.dropped;
	return data;
}

void swpf_stats_fill(struct swpf_dev *pf, u64 *data)
{
	unsigned int i, q;

	spin_lock_bh(&pf->stats_lock);
	swpf_stats_update_locked(pf);
	for (i = 0; i < SWPF_HW_STATS; i++)
		*data++ = *(u64 *)((u8 *)&pf->hw_stats +
				   swpf_hw_stat_table[i].offset);
	spin_unlock_bh(&pf->stats_lock);

	for (q = 0; q < SWPF_NUM_QUEUE_PAIRS; q++) {
		data = swpf_fill_ring(&pf->tx_ring[q], data);
		data = swpf_fill_ring(&pf->rx_ring[q], data);
	}
}
