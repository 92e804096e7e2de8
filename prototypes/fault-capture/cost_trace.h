/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bft_cost:fault - the fixed-size fault record of the prototype, as a
 * trace event (record=2): what a binfmt_trace:page_fault without strings
 * would cost through ftrace's event path.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM bft_cost

#if !defined(BFT_COST_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define BFT_COST_TRACE_H

#include <linux/tracepoint.h>

#include "cost_rec.h"

TRACE_EVENT(fault,
	TP_PROTO(const struct cost_rec *r),
	TP_ARGS(r),
	TP_STRUCT__entry(
		__field(u64, addr)
		__field(u64, ip)
		__field(u64, latency_ns)
		__field(u32, flags)
		__field(u32, vm_fault)
		__field(u32, session)
		__field(u16, seg)
		__field(u8, hook)
		__field(u8, obj)
		__field(u32, min_flt)
		__field(u32, maj_flt)
	),
	TP_fast_assign(
		__entry->addr = r->addr;
		__entry->ip = r->ip;
		__entry->latency_ns = r->latency_ns;
		__entry->flags = r->flags;
		__entry->vm_fault = r->vm_fault;
		__entry->session = r->session;
		__entry->seg = r->seg;
		__entry->hook = r->hook;
		__entry->obj = r->obj;
		__entry->min_flt = r->min_flt;
		__entry->maj_flt = r->maj_flt;
	),
	TP_printk("addr=0x%llx ip=0x%llx flags=0x%x vm_fault=0x%x lat=%llu hook=%u",
		  __entry->addr, __entry->ip, __entry->flags,
		  __entry->vm_fault, __entry->latency_ns, __entry->hook)
);

#endif

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE cost_trace
#include <trace/define_trace.h>
