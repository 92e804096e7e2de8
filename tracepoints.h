/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binfmt_trace:* tracepoints: the events of trace.h for perf,
 * trace-cmd and bpftrace.  Each takes the finished record, so the fields
 * are filled once, by the code that writes the record.
 *
 * TP_printk() prints exactly the text of docs/trace-format.md, and uses
 * only what libtraceevent (perf script, trace-cmd report) can evaluate
 * from the format file: plain conversions, __get_str(), the lists of
 * trace_symbols.h in __print_symbolic() and __print_flags(), and
 * ternaries on fields.  What those cannot express is done when the record
 * is written: strings are escaped and "-" when empty (bft_event_put_str()),
 * an offset in no file is -1, which prints as "-".
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM binfmt_trace

#if !defined(BFT_TRACEPOINTS_H) || defined(TRACE_HEADER_MULTI_READ)
#define BFT_TRACEPOINTS_H

#include <linux/tracepoint.h>

#include "compat.h"
#include "trace.h"
#include "trace_symbols.h"

/* The enums in the lists: libtraceevent gets their values from here. */
TRACE_DEFINE_ENUM(BFT_OBJ_EXE);
TRACE_DEFINE_ENUM(BFT_OBJ_INTERP);
TRACE_DEFINE_ENUM(BFT_OBJ_LIB);
TRACE_DEFINE_ENUM(BFT_OBJ_HEAP);
TRACE_DEFINE_ENUM(BFT_OBJ_STACK);
TRACE_DEFINE_ENUM(BFT_OBJ_ANON);
TRACE_DEFINE_ENUM(BFT_OBJ_VDSO);
TRACE_DEFINE_ENUM(BFT_OBJ_VVAR);
TRACE_DEFINE_ENUM(BFT_OBJ_NONE);
TRACE_DEFINE_ENUM(BFT_ACCESS_READ);
TRACE_DEFINE_ENUM(BFT_ACCESS_WRITE);
TRACE_DEFINE_ENUM(BFT_ACCESS_EXEC);
TRACE_DEFINE_ENUM(BFT_MODE_USER);
TRACE_DEFINE_ENUM(BFT_MODE_KERNEL);
TRACE_DEFINE_ENUM(BFT_MODE_REMOTE);
TRACE_DEFINE_ENUM(BFT_RESULT_MINOR);
TRACE_DEFINE_ENUM(BFT_RESULT_MAJOR);
TRACE_DEFINE_ENUM(BFT_RESULT_RETRY);
TRACE_DEFINE_ENUM(BFT_RESULT_SIGSEGV);
TRACE_DEFINE_ENUM(BFT_RESULT_SIGBUS);
TRACE_DEFINE_ENUM(BFT_RESULT_OOM);
TRACE_DEFINE_ENUM(BFT_CACHE_NONE);
TRACE_DEFINE_ENUM(BFT_CACHE_HIT);
TRACE_DEFINE_ENUM(BFT_CACHE_MISS);

TRACE_EVENT(load_start,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(s32, pid)
		__field(u32, argc)
		__field(u32, envc)
		__field(u32, flags)
		__field(u16, e_type)
		__field(u16, e_phnum)
		__field(u64, e_entry)
		__field(u64, elf_offset)
		__field(u64, elf_size)
		__string(file, bft_event_str(ev, 0))
		__string(interp, bft_event_str(ev, 1))
		__string(label, bft_event_str(ev, 2))
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->pid = ev->pid;
		__entry->argc = ev->u.load_start.argc;
		__entry->envc = ev->u.load_start.envc;
		__entry->flags = ev->u.load_start.flags;
		__entry->e_type = ev->u.load_start.e_type;
		__entry->e_phnum = ev->u.load_start.e_phnum;
		__entry->e_entry = ev->u.load_start.e_entry;
		__entry->elf_offset = ev->u.load_start.elf_offset;
		__entry->elf_size = ev->u.load_start.elf_size;
		BFT_ASSIGN_STR(file, bft_event_str(ev, 0));
		BFT_ASSIGN_STR(interp, bft_event_str(ev, 1));
		BFT_ASSIGN_STR(label, bft_event_str(ev, 2));
	),
	TP_printk("session=%u pid=%d file=%s interp=%s argc=%u envc=%u label=%s flags=0x%x elf_offset=0x%llx elf_size=0x%llx type=%s phnum=%u entry=0x%llx",
		  __entry->session, __entry->pid, __get_str(file),
		  __get_str(interp), __entry->argc, __entry->envc,
		  __get_str(label), __entry->flags, __entry->elf_offset,
		  __entry->elf_size,
		  __print_symbolic(__entry->e_type, BFT_ELF_TYPE_SYMBOLS),
		  __entry->e_phnum, __entry->e_entry)
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
	TP_printk("session=%u obj=%s index=%u type=%s offset=0x%llx vaddr=0x%llx paddr=0x%llx filesz=0x%llx memsz=0x%llx flags=%s align=0x%llx",
		  __entry->session,
		  __print_symbolic(__entry->obj, BFT_OBJ_SYMBOLS),
		  __entry->index,
		  __print_symbolic(__entry->type, BFT_PHDR_TYPE_SYMBOLS),
		  __entry->offset, __entry->vaddr, __entry->paddr,
		  __entry->filesz, __entry->memsz,
		  __print_symbolic(__entry->flags, BFT_PHDR_FLAGS_SYMBOLS),
		  __entry->align)
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
	TP_printk("session=%u obj=%s seg=%d addr=0x%llx len=0x%llx prot=%s flags=%s off=0x%llx total=0x%llx result=%s",
		  __entry->session,
		  __print_symbolic(__entry->obj, BFT_OBJ_SYMBOLS),
		  __entry->seg, __entry->addr, __entry->len,
		  __print_symbolic(__entry->prot, BFT_PROT_SYMBOLS),
		  __entry->flags ?
		  __print_flags(__entry->flags, "|", BFT_MAP_FLAGS_SYMBOLS) :
		  "-",
		  __entry->off, __entry->total,
		  __print_symbolic(__entry->result, BFT_MAP_ERRNO_SYMBOLS))
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
		bft_range(&__entry->zero_start, &__entry->zero_end,
			  ev->u.load_bss.zero_start, ev->u.load_bss.zero_end);
		bft_range(&__entry->anon_start, &__entry->anon_end,
			  ev->u.load_bss.anon_start, ev->u.load_bss.anon_end);
		__entry->result = ev->u.load_bss.result;
	),
	TP_printk("session=%u obj=%s seg=%d prot=%s zero=0x%llx-0x%llx anon=0x%llx-0x%llx result=%d",
		  __entry->session,
		  __print_symbolic(__entry->obj, BFT_OBJ_SYMBOLS),
		  __entry->seg,
		  __print_symbolic(__entry->prot, BFT_PROT_SYMBOLS),
		  __entry->zero_start, __entry->zero_end,
		  __entry->anon_start, __entry->anon_end, __entry->result)
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
	TP_printk("session=%u elf_brk=0x%llx start_brk=0x%llx brk=0x%llx moved=%u randomized=%u",
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
	TP_printk("session=%u stack_top=0x%llx p=0x%llx exec_stack=%s result=%d",
		  __entry->session, __entry->stack_top, __entry->p,
		  __print_symbolic(__entry->executable,
				   BFT_EXEC_STACK_SYMBOLS),
		  __entry->result)
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
	TP_printk("session=%u bias=0x%llx entry=0x%llx result=%d",
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
	TP_printk("session=%u vdso=0x%llx result=%d",
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
	TP_printk("session=%u index=%u key=%s id=%llu value=0x%llx",
		  __entry->session, __entry->index,
		  __print_symbolic(__entry->id, BFT_AUXV_SYMBOLS),
		  __entry->id, __entry->value)
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
	TP_printk("session=%u entry=0x%llx sp=0x%llx exe_entry=0x%llx load_bias=0x%llx",
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
		__field(u8, lock)
		__field(u64, min_flt)
		__field(u64, maj_flt)
		__string(file, bft_event_str(ev, 0))
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
		__entry->lock = ev->u.page_fault.lock;
		__entry->min_flt = ev->u.page_fault.min_flt;
		__entry->maj_flt = ev->u.page_fault.maj_flt;
		BFT_ASSIGN_STR(file, bft_event_str(ev, 0));
	),
	TP_printk("session=%u since=%llu addr=0x%llx ip=%s access=%s mode=%s obj=%s seg=%d off=%s file=%s result=%s lock=%s cache=%s lat=%llu minflt=%llu majflt=%llu",
		  __entry->session, __entry->since_ns, __entry->addr,
		  __print_symbolic(__entry->ip, BFT_NONE_SYMBOLS(0)),
		  __print_symbolic(__entry->access, BFT_ACCESS_SYMBOLS),
		  __print_symbolic(__entry->mode, BFT_MODE_SYMBOLS),
		  __print_symbolic(__entry->obj, BFT_OBJ_SYMBOLS),
		  __entry->seg,
		  __print_symbolic(__entry->off, BFT_NONE_SYMBOLS(-1)),
		  __get_str(file),
		  __print_symbolic(__entry->result, BFT_RESULT_SYMBOLS),
		  __print_symbolic(__entry->lock, BFT_LOCK_SYMBOLS),
		  __print_symbolic(__entry->cache, BFT_CACHE_SYMBOLS),
		  __entry->latency_ns, __entry->min_flt, __entry->maj_flt)
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
		__field(u64, min_flt)
		__field(u64, maj_flt)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->mms_left = ev->u.mm_exit.mms_left;
		__entry->min_flt = ev->u.mm_exit.min_flt;
		__entry->maj_flt = ev->u.mm_exit.maj_flt;
	),
	TP_printk("session=%u mms_left=%u minflt=%llu majflt=%llu",
		  __entry->session, __entry->mms_left, __entry->min_flt,
		  __entry->maj_flt)
);

TRACE_EVENT(mmap,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, addr)
		__field(u64, len)
		__field(s32, prot)
		__field(s32, flags)
		__field(s32, fd)
		__field(u64, off)
		__field(s64, result)
		__string(file, bft_event_str(ev, 0))
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->addr = ev->u.mmap.addr;
		__entry->len = ev->u.mmap.len;
		__entry->prot = ev->u.mmap.prot;
		__entry->flags = ev->u.mmap.flags;
		__entry->fd = ev->u.mmap.fd;
		__entry->off = ev->u.mmap.off;
		__entry->result = ev->u.mmap.result;
		BFT_ASSIGN_STR(file, bft_event_str(ev, 0));
	),
	TP_printk("session=%u addr=0x%llx len=0x%llx prot=%s flags=%s fd=%d file=%s off=0x%llx result=%s",
		  __entry->session, __entry->addr, __entry->len,
		  __print_symbolic(__entry->prot, BFT_PROT_SYMBOLS),
		  __entry->flags ?
		  __print_flags(__entry->flags, "|", BFT_MAP_FLAGS_SYMBOLS) :
		  "-",
		  __entry->fd, __get_str(file), __entry->off,
		  __print_symbolic(__entry->result, BFT_MAP_ERRNO_SYMBOLS))
);

TRACE_EVENT(mprotect,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, addr)
		__field(u64, len)
		__field(s32, prot)
		__field(s32, result)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->addr = ev->u.mprotect.addr;
		__entry->len = ev->u.mprotect.len;
		__entry->prot = ev->u.mprotect.prot;
		__entry->result = ev->u.mprotect.result;
	),
	TP_printk("session=%u addr=0x%llx len=0x%llx prot=%s result=%d",
		  __entry->session, __entry->addr, __entry->len,
		  __print_symbolic(__entry->prot, BFT_PROT_SYMBOLS),
		  __entry->result)
);

TRACE_EVENT(munmap,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, addr)
		__field(u64, len)
		__field(s32, result)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->addr = ev->u.munmap.addr;
		__entry->len = ev->u.munmap.len;
		__entry->result = ev->u.munmap.result;
	),
	TP_printk("session=%u addr=0x%llx len=0x%llx result=%d",
		  __entry->session, __entry->addr, __entry->len,
		  __entry->result)
);

TRACE_EVENT(mremap,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, addr)
		__field(u64, old_len)
		__field(u64, new_len)
		__field(u32, flags)
		__field(u64, new_addr)
		__field(s64, result)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->addr = ev->u.mremap.addr;
		__entry->old_len = ev->u.mremap.old_len;
		__entry->new_len = ev->u.mremap.new_len;
		__entry->flags = ev->u.mremap.flags;
		__entry->new_addr = ev->u.mremap.new_addr;
		__entry->result = ev->u.mremap.result;
	),
	TP_printk("session=%u addr=0x%llx old_len=0x%llx new_len=0x%llx flags=%s new_addr=0x%llx result=%s",
		  __entry->session, __entry->addr, __entry->old_len,
		  __entry->new_len,
		  __entry->flags ?
		  __print_flags(__entry->flags, "|", BFT_MREMAP_FLAGS_SYMBOLS) :
		  "-",
		  __entry->new_addr,
		  __print_symbolic(__entry->result, BFT_MAP_ERRNO_SYMBOLS))
);

TRACE_EVENT(brk,
	TP_PROTO(const struct bft_event *ev),
	TP_ARGS(ev),
	TP_STRUCT__entry(
		__field(u32, session)
		__field(u64, brk)
		__field(u64, result)
	),
	TP_fast_assign(
		__entry->session = ev->session;
		__entry->brk = ev->u.brk.brk;
		__entry->result = ev->u.brk.result;
	),
	TP_printk("session=%u brk=0x%llx result=0x%llx",
		  __entry->session, __entry->brk, __entry->result)
);

#endif /* BFT_TRACEPOINTS_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE tracepoints
#include <trace/define_trace.h>
