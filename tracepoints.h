/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binfmt_trace:* tracepoints: the events of trace.h for perf,
 * trace-cmd and bpftrace.  Each takes the finished record, so the fields
 * are filled once, by the code that writes the record.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM binfmt_trace

#if !defined(BFT_TRACEPOINTS_H) || defined(TRACE_HEADER_MULTI_READ)
#define BFT_TRACEPOINTS_H

#include <linux/tracepoint.h>

#include "compat.h"
#include "trace.h"

TRACE_EVENT(load_start,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u32, argc)
		__field(u32, envc)
		__field(u32, flags)
		__field(u16, e_type)
		__field(u16, e_phnum)
		__field(u64, e_entry)
		__field(u64, elf_offset)
		__field(u64, elf_size)
		__string(file, ev->str)
		__string(interp, ev->str + strlen(ev->str) + 1)
		__string(label, ev->u.load_start.label)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->argc = ev->u.load_start.argc;
		__entry->envc = ev->u.load_start.envc;
		__entry->flags = ev->u.load_start.flags;
		__entry->e_type = ev->u.load_start.e_type;
		__entry->e_phnum = ev->u.load_start.e_phnum;
		__entry->e_entry = ev->u.load_start.e_entry;
		__entry->elf_offset = ev->u.load_start.elf_offset;
		__entry->elf_size = ev->u.load_start.elf_size;
		BFT_ASSIGN_STR(file, ev->str);
		BFT_ASSIGN_STR(interp, ev->str + strlen(ev->str) + 1);
		BFT_ASSIGN_STR(label, ev->u.load_start.label);
	),
	TP_printk("session=%u file=%s interp=%s argc=%u envc=%u label=%s flags=%#x elf_offset=%#llx elf_size=%llu type=%u phnum=%u entry=%#llx",
		  __entry->session, __get_str(file), __get_str(interp),
		  __entry->argc, __entry->envc, __get_str(label),
		  __entry->flags, __entry->elf_offset, __entry->elf_size,
		  __entry->e_type, __entry->e_phnum, __entry->e_entry)
);

TRACE_EVENT(load_phdr,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u8, obj)
		__field(u16, index)
		__field(u32, type)
		__field(u32, flags)
		__field(u64, offset)
		__field(u64, vaddr)
		__field(u64, paddr)
		__field(u64, filesz)
		__field(u64, memsz)
		__field(u64, align)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->obj = ev->u.load_phdr.obj;
		__entry->index = ev->u.load_phdr.index;
		__entry->type = ev->u.load_phdr.type;
		__entry->flags = ev->u.load_phdr.flags;
		__entry->offset = ev->u.load_phdr.offset;
		__entry->vaddr = ev->u.load_phdr.vaddr;
		__entry->paddr = ev->u.load_phdr.paddr;
		__entry->filesz = ev->u.load_phdr.filesz;
		__entry->memsz = ev->u.load_phdr.memsz;
		__entry->align = ev->u.load_phdr.align;
	),
	TP_printk("session=%u obj=%s index=%u type=%#x offset=%#llx vaddr=%#llx paddr=%#llx filesz=%#llx memsz=%#llx flags=%#x align=%#llx",
		  __entry->session, __entry->obj ? "interp" : "exe",
		  __entry->index, __entry->type, __entry->offset,
		  __entry->vaddr, __entry->paddr, __entry->filesz,
		  __entry->memsz, __entry->flags, __entry->align)
);

TRACE_EVENT(load_map,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u8, obj)
		__field(s16, seg)
		__field(s32, prot)
		__field(s32, flags)
		__field(u64, addr)
		__field(u64, len)
		__field(u64, off)
		__field(u64, total)
		__field(s64, result)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->obj = ev->u.load_map.obj;
		__entry->seg = ev->u.load_map.seg;
		__entry->prot = ev->u.load_map.prot;
		__entry->flags = ev->u.load_map.flags;
		__entry->addr = ev->u.load_map.addr;
		__entry->len = ev->u.load_map.len;
		__entry->off = ev->u.load_map.off;
		__entry->total = ev->u.load_map.total;
		__entry->result = ev->u.load_map.result;
	),
	TP_printk("session=%u obj=%s seg=%d addr=%#llx len=%#llx prot=%#x flags=%#x off=%#llx total=%#llx result=%#llx",
		  __entry->session, __entry->obj ? "interp" : "exe",
		  __entry->seg, __entry->addr, __entry->len, __entry->prot,
		  __entry->flags, __entry->off, __entry->total,
		  __entry->result)
);

TRACE_EVENT(load_bss,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u8, obj)
		__field(s16, seg)
		__field(s32, prot)
		__field(u64, zero_start)
		__field(u64, zero_end)
		__field(u64, anon_start)
		__field(u64, anon_end)
		__field(s32, result)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->obj = ev->u.load_bss.obj;
		__entry->seg = ev->u.load_bss.seg;
		__entry->prot = ev->u.load_bss.prot;
		__entry->zero_start = ev->u.load_bss.zero_start;
		__entry->zero_end = ev->u.load_bss.zero_end;
		__entry->anon_start = ev->u.load_bss.anon_start;
		__entry->anon_end = ev->u.load_bss.anon_end;
		__entry->result = ev->u.load_bss.result;
	),
	TP_printk("session=%u obj=%s seg=%d prot=%#x zero=%#llx-%#llx anon=%#llx-%#llx result=%d",
		  __entry->session, __entry->obj ? "interp" : "exe",
		  __entry->seg, __entry->prot, __entry->zero_start,
		  __entry->zero_end, __entry->anon_start, __entry->anon_end,
		  __entry->result)
);

TRACE_EVENT(load_brk,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, elf_brk)
		__field(u64, start_brk)
		__field(u64, brk)
		__field(u8, moved)
		__field(u8, randomized)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->elf_brk = ev->u.load_brk.elf_brk;
		__entry->start_brk = ev->u.load_brk.start_brk;
		__entry->brk = ev->u.load_brk.brk;
		__entry->moved = ev->u.load_brk.moved;
		__entry->randomized = ev->u.load_brk.randomized;
	),
	TP_printk("session=%u elf_brk=%#llx start_brk=%#llx brk=%#llx moved=%u randomized=%u",
		  __entry->session, __entry->elf_brk, __entry->start_brk,
		  __entry->brk, __entry->moved, __entry->randomized)
);

TRACE_EVENT(load_stack,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, stack_top)
		__field(u64, p)
		__field(s32, executable)
		__field(s32, result)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->stack_top = ev->u.load_stack.stack_top;
		__entry->p = ev->u.load_stack.p;
		__entry->executable = ev->u.load_stack.executable;
		__entry->result = ev->u.load_stack.result;
	),
	TP_printk("session=%u stack_top=%#llx p=%#llx exec_stack=%d result=%d",
		  __entry->session, __entry->stack_top, __entry->p,
		  __entry->executable, __entry->result)
);

TRACE_EVENT(load_interp,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, bias)
		__field(u64, entry)
		__field(s32, result)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->bias = ev->u.load_interp.bias;
		__entry->entry = ev->u.load_interp.entry;
		__entry->result = ev->u.load_interp.result;
	),
	TP_printk("session=%u bias=%#llx entry=%#llx result=%d",
		  __entry->session, __entry->bias, __entry->entry,
		  __entry->result)
);

TRACE_EVENT(load_vdso,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, addr)
		__field(s32, result)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->addr = ev->u.load_vdso.addr;
		__entry->result = ev->u.load_vdso.result;
	),
	TP_printk("session=%u vdso=%#llx result=%d",
		  __entry->session, __entry->addr, __entry->result)
);

TRACE_EVENT(load_auxv,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u32, index)
		__field(u64, id)
		__field(u64, value)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->index = ev->u.load_auxv.index;
		__entry->id = ev->u.load_auxv.id;
		__entry->value = ev->u.load_auxv.value;
	),
	TP_printk("session=%u index=%u id=%llu value=%#llx",
		  __entry->session, __entry->index, __entry->id,
		  __entry->value)
);

TRACE_EVENT(load_entry,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, entry)
		__field(u64, sp)
		__field(u64, exe_entry)
		__field(u64, load_bias)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->entry = ev->u.load_entry.entry;
		__entry->sp = ev->u.load_entry.sp;
		__entry->exe_entry = ev->u.load_entry.exe_entry;
		__entry->load_bias = ev->u.load_entry.load_bias;
	),
	TP_printk("session=%u entry=%#llx sp=%#llx exe_entry=%#llx load_bias=%#llx",
		  __entry->session, __entry->entry, __entry->sp,
		  __entry->exe_entry, __entry->load_bias)
);

TRACE_EVENT(load_error,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(s32, error)
		__string(step, ev->u.load_error.step)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->error = ev->u.load_error.error;
		BFT_ASSIGN_STR(step, ev->u.load_error.step);
	),
	TP_printk("session=%u step=%s error=%d",
		  __entry->session, __get_str(step), __entry->error)
);

TRACE_EVENT(load_end,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(s32, result)
		__field(u64, load_ns)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->result = ev->u.load_end.result;
		__entry->load_ns = ev->u.load_end.load_ns;
	),
	TP_printk("session=%u result=%d load_ns=%llu",
		  __entry->session, __entry->result, __entry->load_ns)
);

TRACE_EVENT(page_fault,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, since_ns)
		__field(u64, addr)
		__field(u64, ip)
		__field(u64, latency_ns)
		__field(u64, off)
		__field(u32, fault_flags)
		__field(u32, vm_fault)
		__field(u8, access)
		__field(u8, mode)
		__field(u8, obj)
		__field(u8, result)
		__field(u8, cache)
		__field(u8, file_backed)
		__field(s16, seg)
		__string(file, ev->str)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->since_ns = ev->u.page_fault.since_ns;
		__entry->addr = ev->u.page_fault.addr;
		__entry->ip = ev->u.page_fault.ip;
		__entry->latency_ns = ev->u.page_fault.latency_ns;
		__entry->off = ev->u.page_fault.off;
		__entry->fault_flags = ev->u.page_fault.fault_flags;
		__entry->vm_fault = ev->u.page_fault.vm_fault;
		__entry->access = ev->u.page_fault.access;
		__entry->mode = ev->u.page_fault.mode;
		__entry->obj = ev->u.page_fault.obj;
		__entry->result = ev->u.page_fault.result;
		__entry->cache = ev->u.page_fault.cache;
		__entry->file_backed = ev->u.page_fault.file_backed;
		__entry->seg = ev->u.page_fault.seg;
		BFT_ASSIGN_STR(file, ev->str);
	),
	TP_printk("session=%u since=%llu addr=%#llx ip=%#llx access=%u mode=%u obj=%u seg=%d off=%#llx file=%s result=%u cache=%u lat=%llu",
		  __entry->session, __entry->since_ns, __entry->addr,
		  __entry->ip, __entry->access, __entry->mode, __entry->obj,
		  __entry->seg, __entry->off, __get_str(file),
		  __entry->result, __entry->cache, __entry->latency_ns)
);

TRACE_EVENT(fork,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(s32, child_pid)
		__field(s32, child_tid)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->child_pid = ev->u.fork.child_pid;
		__entry->child_tid = ev->u.fork.child_tid;
	),
	TP_printk("session=%u child=%d",
		  __entry->session, __entry->child_pid)
);

TRACE_EVENT(mm_exit,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u32, mms_left)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->mms_left = ev->u.mm_exit.mms_left;
	),
	TP_printk("session=%u mms_left=%u",
		  __entry->session, __entry->mms_left)
);

#endif /* BFT_TRACEPOINTS_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE tracepoints
#include <trace/define_trace.h>
