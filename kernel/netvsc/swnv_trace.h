/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoints of sriov_netvsc: requests, acks/timeouts, data path switches */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM sriov_netvsc

#if !defined(_SWNV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SWNV_TRACE_H

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

/*
 * swnv_dp_switch - the TX data path of an adapter changed; @duration_ns is
 * the time since the request (0 when TX leaves the VF before asking).
 */
TRACE_EVENT(swnv_dp_switch,
	    TP_PROTO(const struct net_device *dev, u8 from, u8 to, u8 reason,
		     u32 seq, u64 duration_ns),
	    TP_ARGS(dev, from, to, reason, seq, duration_ns),
	    TP_STRUCT__entry(__string(name, dev->name)
			     __field(u8, from)
			     __field(u8, to)
			     __field(u8, reason)
			     __field(u32, seq)
			     __field(u64, duration_ns)),
	    TP_fast_assign(__assign_str(name);
			   __entry->from = from;
			   __entry->to = to;
			   __entry->reason = reason;
			   __entry->seq = seq;
			   __entry->duration_ns = duration_ns;),
	    TP_printk("dev=%s from=%s to=%s reason=%u seq=%u duration_ns=%llu",
		      __get_str(name), __entry->from ? "vf" : "synthetic",
		      __entry->to ? "vf" : "synthetic", __entry->reason,
		      __entry->seq, __entry->duration_ns)
);

/* swnv_dp_request - a switch was requested from the host side */
TRACE_EVENT(swnv_dp_request,
	    TP_PROTO(const struct net_device *dev, u8 path, u8 reason,
		     u32 seq),
	    TP_ARGS(dev, path, reason, seq),
	    TP_STRUCT__entry(__string(name, dev->name)
			     __field(u8, path)
			     __field(u8, reason)
			     __field(u32, seq)),
	    TP_fast_assign(__assign_str(name);
			   __entry->path = path;
			   __entry->reason = reason;
			   __entry->seq = seq;),
	    TP_printk("dev=%s path=%s reason=%u seq=%u", __get_str(name),
		      __entry->path ? "vf" : "synthetic", __entry->reason,
		      __entry->seq)
);

/* swnv_dp_done - a request was acknowledged or timed out */
TRACE_EVENT(swnv_dp_done,
	    TP_PROTO(const struct net_device *dev, u8 path, u32 seq,
		     u64 duration_ns, bool timed_out),
	    TP_ARGS(dev, path, seq, duration_ns, timed_out),
	    TP_STRUCT__entry(__string(name, dev->name)
			     __field(u8, path)
			     __field(u32, seq)
			     __field(u64, duration_ns)
			     __field(bool, timed_out)),
	    TP_fast_assign(__assign_str(name);
			   __entry->path = path;
			   __entry->seq = seq;
			   __entry->duration_ns = duration_ns;
			   __entry->timed_out = timed_out;),
	    TP_printk("dev=%s path=%s seq=%u duration_ns=%llu %s",
		      __get_str(name), __entry->path ? "vf" : "synthetic",
		      __entry->seq, __entry->duration_ns,
		      __entry->timed_out ? "timeout" : "ack")
);

#endif /* _SWNV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE swnv_trace
#include <trace/define_trace.h>
