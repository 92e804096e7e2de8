// SPDX-License-Identifier: GPL-2.0
/*
 * Instantiate the binfmt_trace:* tracepoints and fire the one that matches
 * a finished record.
 */
#define CREATE_TRACE_POINTS
#include "tracepoints.h"

/**
 * bft_tracepoint_fire - hand a finished record to its tracepoint
 * @ev: the record, complete with strings
 *
 * Each trace_*() call is a static branch: free unless someone (perf,
 * trace-cmd, bpftrace) enabled that tracepoint.
 */
void bft_tracepoint_fire(const struct bft_event *ev)
{
	switch (ev->type) {
	case BFT_EV_LOAD_START:
		trace_load_start(ev);
		break;
	case BFT_EV_LOAD_PHDR:
		trace_load_phdr(ev);
		break;
	case BFT_EV_LOAD_MAP:
		trace_load_map(ev);
		break;
	case BFT_EV_LOAD_BSS:
		trace_load_bss(ev);
		break;
	case BFT_EV_LOAD_BRK:
		trace_load_brk(ev);
		break;
	case BFT_EV_LOAD_STACK:
		trace_load_stack(ev);
		break;
	case BFT_EV_LOAD_INTERP:
		trace_load_interp(ev);
		break;
	case BFT_EV_LOAD_VDSO:
		trace_load_vdso(ev);
		break;
	case BFT_EV_LOAD_AUXV:
		trace_load_auxv(ev);
		break;
	case BFT_EV_LOAD_ENTRY:
		trace_load_entry(ev);
		break;
	case BFT_EV_LOAD_ERROR:
		trace_load_error(ev);
		break;
	case BFT_EV_LOAD_END:
		trace_load_end(ev);
		break;
	case BFT_EV_PAGE_FAULT:
		trace_page_fault(ev);
		break;
	case BFT_EV_FORK:
		trace_fork(ev);
		break;
	case BFT_EV_MM_EXIT:
		trace_mm_exit(ev);
		break;
	case BFT_EV_MMAP:
		trace_mmap(ev);
		break;
	case BFT_EV_MPROTECT:
		trace_mprotect(ev);
		break;
	case BFT_EV_MUNMAP:
		trace_munmap(ev);
		break;
	case BFT_EV_MREMAP:
		trace_mremap(ev);
		break;
	case BFT_EV_BRK:
		trace_brk(ev);
		break;
	}
}
